"""Demo travel applications (seed_demo), made through the services on the days they happened.

The story (both sizes): the twelve applications of 郑州示范贸易有限公司, one in every state — a draft, one
awaiting endorsement, one in review, one returned, one awaiting leader sign-off, approved (its public
notice open), not approved, withdrawn, cancelled, a trip that ended five days ago and awaits its report
(passports still out), a report submitted (杨帆 has not handed his passport back) and a closed one.

The year (`seed_demo --size year`, the default): about two hundred more applications of the thirteen
demo organisations, in the three areas of the zone and outside it, over the last fifteen months — trips
to fairs in their month, Belt and Road projects, negotiations, conferences, training; returned for
changes, refused, withdrawn and cancelled ones; passports back on time or late; reports accepted, a few
late, two overdue now; delegations abroad today and more in review and waiting for sign-off.

Nothing is made today and moved back. Each application's steps (created, submitted, endorsed, reviewed,
…, report accepted) are planned first, then everything is played in order of time on a DemoClock
(foreign_affairs.demo_clock), through the services, so every time they write is when it happened — and
the audit chain, which covers those times, is written in order. The rules see the world as it was then:
a trip is filed 45 days before it leaves (20 for the Belt and Road), a traveller is on one trip at a time,
an organisation with an overdue report files nothing new until it is in; the plan respects them. The
beat jobs run every played day: public notices close and permits are issued (and rendered) then,
reminders go out. Steps after the real now are left: they have not happened yet, which is what makes
the drafts, the queues and the trips abroad of today.
"""

import contextlib
import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from unittest import mock

from django.core.files.base import ContentFile
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import Membership, Organization, Person, User
from foreign_affairs.demo_clock import BackgroundPDFs, DemoClock, Timeline
from foreign_affairs.documents.models import private_storage
from foreign_affairs.workdays.models import CalendarDay
from foreign_affairs.workdays.selectors import is_working_day

from . import services, summary
from .models import PassportHandover, Permit, TravelApplication
from .reminders import send_reminders, send_report_and_passport_reminders
from .services import permits
from .services.custody import OFFICIAL_PASSPORTS

DEMO_USCC = accounts_demo.DEMO_USCC
ENGLISH_PURPOSE = {
    "business_negotiation": "for business talks on our cooperation",
    "exhibition": "to visit the exhibition and meet our exhibitors and buyers",
    "investment_promotion": "to present investment and trade opportunities to our members",
    "conference": "to take part in the conference and its working sessions",
    "training": "to attend our professional training programme",
    "other": "for a programme of cultural exchange and performances",
}

# The story -----------------------------------------------------------------------------------------------
# title, legs (country, city, host, days), members (leader first), B&R, what happened (see _story_steps)
STORY = [
    ("赴德国汉堡港洽谈物流合作", [("DE", "汉堡", "Hamburg Port Logistics AG", 4)], ["张伟", "杨帆"], "draft"),
    ("参加新加坡国际物流展", [("SG", "新加坡", "Singapore Expo Pte Ltd", 4)], ["杨帆", "陈晨"], "submitted"),
    (
        "赴日本、韩国考察跨境电商",
        [("JP", "东京", "JETRO Tokyo", 3), ("KR", "首尔", "KITA Seoul", 3)],
        ["陈晨", "李娜"],
        "in_review",
    ),
    ("赴法国参加中欧班列合作论坛", [("FR", "里昂", "Lyon Expo SA", 4)], ["张伟", "刘敏"], "returned"),
    (
        "赴哈萨克斯坦推进“一带一路”物流园项目",
        [("KZ", "阿拉木图", "Almaty Logistics Hub", 9)],
        ["张伟", "陈晨"],
        "pending_signoff",
    ),
    ("赴意大利米兰参加国际食品展", [("IT", "米兰", "Fiera Milano", 4)], ["刘敏", "陈晨"], "approved"),
    ("赴美国洽谈投资合作", [("US", "洛杉矶", "LA Trade Council", 5)], ["杨帆", "李娜"], "rejected"),
    ("赴英国参加航运峰会", [("GB", "伦敦", "London Shipping Forum", 3)], ["陈晨", "杨帆"], "withdrawn"),
    ("赴荷兰考察冷链物流", [("NL", "鹿特丹", "Port of Rotterdam", 4)], ["刘敏", "李娜"], "cancelled"),
]
# Trips that already happened: title, legs, members, what happened, days ago they ended
STORY_PAST = [
    (
        "赴波兰罗兹考察中欧班列终点站",
        [("PL", "罗兹", "Lodz Logistics Centre", 4)],
        ["张伟", "刘敏"],
        "travelled",
        5,
    ),
    (
        "赴匈牙利布达佩斯参加经贸洽谈会",
        [("HU", "布达佩斯", "HEPA Budapest", 4)],
        ["杨帆", "陈晨"],
        "report_submitted",
        17,
    ),
    (
        "赴阿联酋迪拜参加物流博览会",
        [("AE", "迪拜", "Dubai World Trade Centre", 4)],
        ["陈晨", "李娜"],
        "closed",
        60,
    ),
]
STORY_CITIES = {
    "汉堡": "Hamburg",
    "新加坡": "Singapore",
    "东京": "Tokyo",
    "首尔": "Seoul",
    "里昂": "Lyon",
    "阿拉木图": "Almaty",
    "米兰": "Milan",
    "洛杉矶": "Los Angeles",
    "伦敦": "London",
    "鹿特丹": "Rotterdam",
    "罗兹": "Lodz",
    "布达佩斯": "Budapest",
    "迪拜": "Dubai",
}

# The year ------------------------------------------------------------------------------------------------
# Trips the organisations make: tags (which organisations make them), kind of mission, title, legs
# (country, city, city in English, host, days), Belt and Road, month of the fair (None: any time).
BN, EX, IP, CO, TR, OT = (
    "business_negotiation",
    "exhibition",
    "investment_promotion",
    "conference",
    "training",
    "other",
)
# fmt: off
TRIPS = [
    ({"logistics"}, BN, "赴德国汉堡港洽谈中欧班列海铁联运合作", [("DE", "汉堡", "Hamburg", "Hamburg Port Authority", 4)], True, None),
    ({"logistics", "trade"}, BN, "赴波兰罗兹考察中欧班列终点站", [("PL", "罗兹", "Lodz", "Hatrans Logistics Sp. z o.o.", 4)], True, None),
    ({"logistics"}, BN, "赴卢森堡洽谈“空中丝绸之路”航空货运合作", [("LU", "卢森堡", "Luxembourg", "Cargolux Airlines International S.A.", 4)], True, None),
    ({"logistics"}, BN, "赴哈萨克斯坦、乌兹别克斯坦考察中亚物流通道",
     [("KZ", "阿拉木图", "Almaty", "KTZ Express JSC", 4), ("UZ", "塔什干", "Tashkent", "Uzbekistan Railways JSC", 3)], True, None),
    ({"logistics"}, EX, "赴德国慕尼黑参加国际物流博览会", [("DE", "慕尼黑", "Munich", "Messe Muenchen GmbH", 5)], False, 6),
    ({"logistics", "trade"}, BN, "赴荷兰鹿特丹考察冷链物流", [("NL", "鹿特丹", "Rotterdam", "Port of Rotterdam Authority", 4)], False, None),
    ({"logistics", "trade"}, CO, "赴匈牙利布达佩斯参加中东欧物流合作论坛", [("HU", "布达佩斯", "Budapest", "Hungarian Export Promotion Agency", 3)], True, None),
    ({"ecommerce", "trade"}, IP, "赴马来西亚、泰国推介郑州跨境电商综试区",
     [("MY", "吉隆坡", "Kuala Lumpur", "MATRADE", 3), ("TH", "曼谷", "Bangkok", "Thai Chamber of Commerce", 3)], True, None),
    ({"ecommerce"}, BN, "赴比利时列日考察海外仓项目", [("BE", "列日", "Liege", "Liege Airport S.A.", 4)], False, None),
    ({"ecommerce", "trade", "agriculture"}, EX, "赴阿联酋迪拜参加海湾食品展", [("AE", "迪拜", "Dubai", "Dubai World Trade Centre", 5)], True, 2),
    ({"ecommerce", "trade"}, BN, "赴俄罗斯莫斯科洽谈跨境电商合作", [("RU", "莫斯科", "Moscow", "Moscow Chamber of Commerce and Industry", 5)], True, None),
    ({"ecommerce", "trade"}, BN, "赴日本东京洽谈进口商品采购", [("JP", "东京", "Tokyo", "JETRO Tokyo", 4)], False, None),
    ({"ecommerce"}, BN, "赴韩国首尔考察跨境电商直播基地", [("KR", "首尔", "Seoul", "Korea International Trade Association", 4)], False, None),
    ({"trade", "agriculture"}, EX, "赴意大利米兰参加国际食品展", [("IT", "米兰", "Milan", "Fiera Milano S.p.A.", 5)], False, 5),
    ({"electronics"}, EX, "赴美国拉斯维加斯参加国际消费电子展", [("US", "拉斯维加斯", "Las Vegas", "Consumer Technology Association", 5)], False, 1),
    ({"electronics"}, EX, "赴西班牙巴塞罗那参加世界移动通信大会", [("ES", "巴塞罗那", "Barcelona", "GSMA Ltd.", 5)], False, 3),
    ({"electronics"}, EX, "赴德国柏林参加国际消费电子展", [("DE", "柏林", "Berlin", "Messe Berlin GmbH", 5)], False, 9),
    ({"electronics"}, BN, "赴越南河内考察智能终端配套产业园", [("VN", "河内", "Hanoi", "Vietnam Chamber of Commerce and Industry", 4)], True, None),
    ({"electronics"}, BN, "赴印度尼西亚、新加坡开拓东盟智能终端市场",
     [("ID", "雅加达", "Jakarta", "KADIN Indonesia", 3), ("SG", "新加坡", "Singapore", "Enterprise Singapore", 3)], True, None),
    ({"equipment", "robotics", "electronics"}, EX, "赴德国汉诺威参加汉诺威工业博览会", [("DE", "汉诺威", "Hanover", "Deutsche Messe AG", 5)], False, 4),
    ({"equipment", "robotics"}, EX, "赴俄罗斯叶卡捷琳堡参加国际工业博览会", [("RU", "叶卡捷琳堡", "Yekaterinburg", "Innoprom Exhibition Company", 5)], True, 7),
    ({"equipment"}, BN, "赴沙特阿拉伯利雅得洽谈矿山装备项目", [("SA", "利雅得", "Riyadh", "Saudi Industrial Development Fund", 4)], True, None),
    ({"equipment", "materials"}, BN, "赴塞尔维亚贝尔格莱德考察境外产业园", [("RS", "贝尔格莱德", "Belgrade", "Development Agency of Serbia", 4)], True, None),
    ({"equipment", "robotics"}, TR, "赴德国斯图加特参加智能制造技术培训", [("DE", "斯图加特", "Stuttgart", "Fraunhofer IPA", 5)], False, None),
    ({"equipment"}, IP, "赴巴西、智利推介矿山装备",
     [("BR", "圣保罗", "Sao Paulo", "FIESP", 5), ("CL", "圣地亚哥", "Santiago", "CORFO", 5)], False, None),
    ({"robotics"}, BN, "赴日本大阪考察协作机器人应用", [("JP", "大阪", "Osaka", "Osaka Chamber of Commerce and Industry", 4)], False, None),
    ({"materials"}, CO, "赴美国匹兹堡参加国际新材料大会", [("US", "匹兹堡", "Pittsburgh", "ASM International", 4)], False, None),
    ({"materials"}, BN, "赴法国里昂洽谈耐火材料技术合作", [("FR", "里昂", "Lyon", "Lyon Chamber of Commerce and Industry", 4)], False, None),
    ({"materials"}, BN, "赴捷克布拉格考察玻璃新材料企业", [("CZ", "布拉格", "Prague", "CzechTrade", 4)], True, None),
    ({"culture"}, EX, "赴德国法兰克福参加国际书展", [("DE", "法兰克福", "Frankfurt", "Frankfurter Buchmesse GmbH", 5)], False, 10),
    ({"culture"}, OT, "赴英国爱丁堡参加国际艺术节展演", [("GB", "爱丁堡", "Edinburgh", "Edinburgh Festival Fringe Society", 5)], False, 8),
    ({"culture"}, EX, "赴法国巴黎参加家居设计博览会", [("FR", "巴黎", "Paris", "SAFI Maison et Objet", 5)], False, 9),
    ({"culture"}, BN, "赴日本京都洽谈非遗文创合作", [("JP", "京都", "Kyoto", "Kyoto Chamber of Commerce and Industry", 4)], False, None),
    ({"culture", "tourism"}, IP, "赴泰国曼谷推介宋都文化旅游", [("TH", "曼谷", "Bangkok", "Tourism Authority of Thailand", 4)], True, None),
    ({"culture", "tourism"}, CO, "赴意大利佛罗伦萨参加世界遗产城市论坛", [("IT", "佛罗伦萨", "Florence", "Comune di Firenze", 4)], False, None),
    ({"tourism", "culture"}, EX, "赴德国柏林参加国际旅游交易会", [("DE", "柏林", "Berlin", "Messe Berlin GmbH", 5)], False, 3),
    ({"health"}, EX, "赴阿联酋迪拜参加阿拉伯医疗展", [("AE", "迪拜", "Dubai", "Informa Markets", 4)], True, 1),
    ({"health"}, EX, "赴德国杜塞尔多夫参加国际医疗器械展", [("DE", "杜塞尔多夫", "Dusseldorf", "Messe Duesseldorf GmbH", 5)], False, 11),
    ({"health", "tourism"}, BN, "赴泰国曼谷考察国际医疗旅游", [("TH", "曼谷", "Bangkok", "Bumrungrad International Hospital", 4)], True, None),
    ({"health"}, TR, "赴韩国首尔参加康复护理培训", [("KR", "首尔", "Seoul", "Seoul National University Hospital", 5)], False, None),
    ({"agriculture"}, EX, "赴德国汉诺威参加国际农业机械展", [("DE", "汉诺威", "Hanover", "DLG Service GmbH", 5)], False, 11),
    ({"agriculture"}, BN, "赴哈萨克斯坦考察境外农业合作区", [("KZ", "阿斯塔纳", "Astana", "Kazakh Invest", 5)], True, None),
    ({"agriculture"}, EX, "赴法国巴黎参加国际食品展", [("FR", "巴黎", "Paris", "Comexposium", 5)], False, 10),
    ({"agriculture"}, BN, "赴新西兰奥克兰考察乳业合作", [("NZ", "奥克兰", "Auckland", "New Zealand Trade and Enterprise", 5)], True, None),
    ({"agriculture", "trade"}, BN, "赴澳大利亚悉尼洽谈牛肉进口", [("AU", "悉尼", "Sydney", "Austrade", 5)], False, None),
    ({"hair"}, EX, "赴意大利博洛尼亚参加国际美容展", [("IT", "博洛尼亚", "Bologna", "BolognaFiere S.p.A.", 5)], False, 3),
    ({"hair"}, BN, "赴尼日利亚、南非开拓非洲发制品市场",
     [("NG", "拉各斯", "Lagos", "Lagos Chamber of Commerce and Industry", 4),
      ("ZA", "约翰内斯堡", "Johannesburg", "Johannesburg Chamber of Commerce and Industry", 4)], True, None),
    ({"hair"}, BN, "赴美国芝加哥拜访发制品分销商", [("US", "芝加哥", "Chicago", "Illinois Department of Commerce", 5)], False, None),
    ({"hair"}, BN, "赴加纳阿克拉筹建海外仓", [("GH", "阿克拉", "Accra", "Ghana Investment Promotion Centre", 5)], True, None),
    ({"trade"}, BN, "赴英国伦敦洽谈国际贸易结算合作", [("GB", "伦敦", "London", "China-Britain Business Council", 4)], False, None),
    ({"trade", "hair"}, BN, "赴土耳其伊斯坦布尔洽谈纺织品贸易", [("TR", "伊斯坦布尔", "Istanbul", "Istanbul Chamber of Commerce", 4)], True, None),
    ({"trade", "logistics"}, BN, "赴埃及开罗考察苏伊士经贸合作区", [("EG", "开罗", "Cairo", "General Authority for Investment and Free Zones", 5)], True, None),
]
# fmt: on
# The organisations' kinds of trip and how many they plan over the fifteen months (some still to be filed).
PROFILES = {
    DEMO_USCC: ({"trade", "logistics"}, 20),
    accounts_demo.LUOYANG_USCC: ({"equipment"}, 19),
    accounts_demo.KAIFENG_USCC: ({"culture", "tourism"}, 15),
    **{
        extra["uscc"]: (tags, count)
        for extra, (tags, count) in zip(
            accounts_demo.EXTRA_ORGANIZATIONS,
            [
                ({"logistics"}, 26),
                ({"electronics"}, 24),
                ({"ecommerce", "trade"}, 21),
                ({"robotics", "equipment"}, 23),
                ({"materials"}, 17),
                ({"culture"}, 19),
                ({"health", "tourism"}, 17),
                ({"agriculture"}, 20),
                ({"hair", "trade"}, 20),
            ],
            strict=True,
        )
    },
}
RETURN_COMMENTS = [
    "请补充邀请单位盖章的邀请函原件扫描件及详细日程。",
    "出访人员中有人员职务填写不完整，请核实后补正。",
    "请说明本次出访与企业主营业务的关联，并补充预算明细。",
    "行程中各站停留天数与邀请函不一致，请修改。",
]
REJECT_COMMENTS = [
    "邀请单位资质不足，出访必要性不充分。",
    "本年度同类出访已安排，出访任务重复，不予批准。",
    "出访人员与出访任务关联度不高，建议精简团组后重新申请。",
]
CANCEL_COMMENTS = ["合作方会议延期。", "对方展会日程调整，本次出访取消。", "团组主要成员工作冲突，出访取消。"]
REPORT_RETURN_COMMENTS = [
    "请补充签署的合作协议文本及后续工作安排。",
    "出访总结过于简略，请补充成果和经费使用情况。",
]
LIAISON_RETURN_COMMENTS = ["请先补充出访预算和经费来源说明。", "团组名单需经公司领导确认，请修改后再提交。"]
OUTCOMES = [
    "签署合作备忘录 1 份，达成后续合作意向。",
    "与 6 家境外企业开展洽谈，达成采购意向约 800 万元。",
    "完成项目现场考察，形成可行性调研报告。",
    "参展期间接待客户 120 余批次，现场签约 2 项。",
    "参加培训并取得结业证书，形成培训总结。",
]


def seed() -> int:
    organization = Organization.objects.get(uscc=DEMO_USCC)
    if TravelApplication.objects.filter(organization=organization).exists():
        return 0
    demo = _Demo(year=accounts_demo.size() == accounts_demo.YEAR)
    demo.plan_story(organization)
    if demo.year:
        demo.plan_year()
    played = demo.play()
    # The services kept the dashboard's daily summary as the story played; recomputed from the rows all
    # the same, so that the demo's dashboard matches its applications whatever wrote them.
    summary.rebuild()
    return played


# Planning ------------------------------------------------------------------------------------------------


@dataclass
class _Trip:
    """One application of the demo and its steps, in order of time: (moment, what, arguments)."""

    key: str
    organization: Organization
    author: User
    liaison: User
    title: str
    mission: str
    belt_and_road: bool
    legs: list  # (country, city, city in English, host, days)
    members: list  # Person, the leader first
    departure: date
    steps: list = field(default_factory=list)
    application: TravelApplication | None = None
    handovers: dict = field(default_factory=dict)
    report_at: datetime | None = None  # when the post-trip report is (planned to be) submitted
    kept: set = field(default_factory=set)  # members whose passport does not come back before now

    @property
    def days(self) -> int:
        return sum(leg[4] for leg in self.legs)

    @property
    def return_date(self) -> date:
        return self.departure + timedelta(days=self.days - 1)

    @property
    def justification(self) -> str:
        limit = {1: 5, 2: 8, 3: 10}.get(len({leg[0] for leg in self.legs}), 10)
        return "多国连续考察，需在各站完成项目对接与签约，行程无法压缩。" if self.days > limit else ""

    def step(self, moment: datetime, what: str, **arguments) -> None:
        self.steps.append((moment, what, arguments))

    def gated(self) -> list[tuple[datetime, datetime]]:
        """When the rules may refuse this application for another one's overdue report: at each
        (re)submission, and from its approval until a leader's sign-off a few days later."""
        found = []
        for moment, what, arguments in self.steps:
            if what in ("submit", "resubmit", "approve", "sign_off"):
                found.append((moment, moment))
            elif what == "decide" and arguments.get("outcome") == "approve":
                found.append((moment, moment + timedelta(days=9)))
        return found


class _Demo:
    def __init__(self, *, year: bool):
        self.year = year
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rng = random.Random(20261)
        first, last = self.today - timedelta(days=560), self.today + timedelta(days=200)
        self.exceptions = dict(
            CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day")
        )
        self.officer = User.objects.get(username="officer")
        self.leader = User.objects.get(username="leader")
        self.trips: list[_Trip] = []
        self.busy: dict[int, list[tuple[date, date]]] = {}  # person → the days they are taken
        self.letters = 0
        self.failures: list[str] = []

    # Calendar ----------------------------------------------------------------------------------------------

    def working(self, day: date) -> bool:
        return is_working_day(day, self.exceptions)

    def workday(self, day: date, forward: bool = True) -> date:
        while not self.working(day):
            day += timedelta(days=1 if forward else -1)
        return day

    def add_workdays(self, day: date, count: int) -> date:
        step = 1 if count >= 0 else -1
        for _ in range(abs(count)):
            day = self.workday(day + timedelta(days=step), forward=step > 0)
        return day

    def at(self, day: date, hour: float) -> datetime:
        minutes = int(hour * 60)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def office(self, day: date, *, early: float = 9, late: float = 17.3) -> datetime:
        """A moment in the office's working hours on `day` (the next working day if it is not one)."""
        return self.at(self.workday(day), self.rng.uniform(early, late))

    def office_before(self, day: date, *, early: float = 9, late: float = 17.3) -> datetime:
        """A moment in the office's working hours on `day`, or on the last working day before it."""
        return self.at(self.workday(day, forward=False), self.rng.uniform(early, late))

    def recent(self, *, early: float, late: float, working: bool, margin: float = 0.5) -> datetime:
        """The latest moment, at least `margin` hours before now, within `early`–`late` o'clock (on a
        working day if `working`): what happened last before today's now."""
        latest = timezone.localtime(self.now - timedelta(hours=margin))
        day = latest.date()
        while True:
            if not working or self.working(day):
                end = self.at(day, late)
                if end <= latest:
                    return end - timedelta(minutes=self.rng.randint(5, 90))
                if self.at(day, early) < latest:
                    return latest - timedelta(minutes=self.rng.randint(0, 10))
            day -= timedelta(days=1)

    def later(
        self, moment: datetime, working_days: float, *, early: float = 9, late: float = 17.3
    ) -> datetime:
        """A moment in office hours about `working_days` after `moment`, never before it."""
        day = self.add_workdays(timezone.localtime(moment).date(), int(working_days))
        candidate = self.office(day, early=early, late=late)
        if candidate <= moment:
            candidate = self.office(self.add_workdays(day, 1), early=early, late=late)
        return candidate

    # People ------------------------------------------------------------------------------------------------

    def free(self, person: Person, start: date, end: date) -> bool:
        return all(
            end < taken_from or start > taken_to for taken_from, taken_to in self.busy.get(person.pk, [])
        )

    def take(self, people, start: date, end: date) -> None:
        for person in people:
            self.busy.setdefault(person.pk, []).append((start, end))

    def can_travel(self, person: Person, departure: date, back: date) -> bool:
        return (
            bool(person.passport_number)
            and person.passport_expiry is not None
            and person.passport_expiry >= back + timedelta(days=200)
            and self.free(person, departure - timedelta(days=4), back + timedelta(days=8))
        )

    # The story ---------------------------------------------------------------------------------------------

    def plan_story(self, organization: Organization) -> None:
        people = {p.full_name: p for p in Person.objects.filter(organization=organization)}
        author, liaison = User.objects.get(username="applicant"), User.objects.get(username="liaison")
        today, ago = self.today, self._workdays_ago

        def trip(index, title, legs, names, departure):
            legs = [(country, city, STORY_CITIES[city], host, days) for country, city, host, days in legs]
            made = _Trip(
                key=f"story-{index}",
                organization=organization,
                author=author,
                liaison=liaison,
                title=title,
                mission="exhibition" if "展" in title else "business_negotiation",
                belt_and_road="一带一路" in title,
                legs=legs,
                members=[people[name] for name in names],
                departure=departure,
            )
            self.take(made.members, departure - timedelta(days=4), made.return_date + timedelta(days=8))
            self.trips.append(made)
            return made

        for index, (title, legs, names, outcome) in enumerate(STORY):
            made = trip(index, title, legs, names, today + timedelta(days=50 + index * 9))
            self._story_steps(made, outcome, ago)
        for index, (title, legs, names, outcome, ended) in enumerate(STORY_PAST, start=len(STORY)):
            back = today - timedelta(days=ended)
            made = trip(index, title, legs, names, back - timedelta(days=sum(leg[3] for leg in legs) - 1))
            self._story_past_steps(made, outcome)

    def _workdays_ago(self, count: int, hour: float) -> datetime:
        return self.at(
            self.add_workdays(self.workday(self.today - timedelta(days=1), forward=False), -count), hour
        )

    def _story_steps(self, trip: _Trip, outcome: str, ago) -> None:
        """The future trips of the story: each stopped in its state by the real now."""
        plan = {
            "draft": [(ago(0, 16.2), "create")],
            "submitted": [
                (ago(2, 10.5), "create"),
                (self.recent(early=8.5, late=21, working=False), "submit"),
            ],
            "in_review": [(ago(6, 14), "create"), (ago(4, 9.6), "submit"), (ago(3, 11), "endorse")],
            "returned": [
                (ago(9, 10), "create"),
                (ago(7, 16), "submit"),
                (ago(6, 9.8), "endorse"),
                (ago(5, 10), "assign"),
                (ago(3, 15.5), "return_for_changes", {"comment": "请补充论坛主办方盖章的邀请函及详细日程。"}),
            ],
            "pending_signoff": [
                (ago(8, 9.5), "create"),
                (ago(6, 11), "submit"),
                (ago(5, 16), "endorse"),
                (ago(4, 9.3), "assign"),
                (ago(1, 14.7), "escalate"),
            ],
            "approved": [
                (ago(11, 10), "create"),
                (ago(10, 9.4), "submit"),
                (ago(9, 15), "endorse"),
                (ago(8, 9.1), "assign"),
                (self.recent(early=9, late=17.3, working=True, margin=1), "approve"),
            ],
            "rejected": [
                (ago(15, 14), "create"),
                (ago(14, 10), "submit"),
                (ago(13, 11.5), "endorse"),
                (ago(12, 9.2), "assign"),
                (ago(8, 16.1), "reject", {"comment": "邀请单位资质不足，出访必要性不充分。"}),
            ],
            "withdrawn": [(ago(7, 11), "create"), (ago(5, 17), "withdraw")],
            "cancelled": [
                (ago(13, 9.7), "create"),
                (ago(12, 14), "submit"),
                (ago(11, 10.3), "endorse"),
                (ago(10, 9.5), "assign"),
                (ago(3, 10.4), "approve"),
                (ago(1, 9.9), "cancel", {"comment": "合作方会议延期。"}),
            ],
        }[outcome]
        for moment, what, *arguments in plan:
            trip.step(moment, what, **(arguments[0] if arguments else {}))

    def _story_past_steps(self, trip: _Trip, outcome: str) -> None:
        """The trips of the story that happened: filed about ten weeks before, approved, travelled."""
        submitted = self.office(trip.departure - timedelta(days=72))
        trip.step(self.office_before(trip.departure - timedelta(days=76)), "create")
        trip.step(submitted, "submit")
        endorsed = self.later(submitted, 1)
        trip.step(endorsed, "endorse")
        trip.step(self.later(endorsed, 0.2), "assign")
        trip.step(self.later(endorsed, 3), "approve")
        trip.step(self.office_before(trip.departure - timedelta(days=2)), "passports_out")
        back = trip.return_date
        if outcome == "travelled":  # ended five days ago: passports not due yet, report not yet written
            return
        kept = {"杨帆"} if outcome == "report_submitted" else set()
        trip.kept = kept
        self.take([m for m in trip.members if m.full_name in kept], trip.departure, date.max)
        for member in trip.members:
            if member.full_name not in kept and member.passport_type in OFFICIAL_PASSPORTS:
                trip.step(self.later(self.at(back, 18), 2), "passport_back", person=member.full_name)
        if outcome == "report_submitted":  # written on time, two weeks after the return; the notice is open
            trip.report_at = self._workdays_ago(2, 15.5)
            trip.step(trip.report_at, "submit_report")
        else:  # reported ten days after the return and accepted
            trip.report_at = self.office(back + timedelta(days=10))
            trip.step(trip.report_at, "submit_report")
            trip.step(self.later(trip.report_at, 4), "accept_report")

    # The year ----------------------------------------------------------------------------------------------

    def plan_year(self) -> None:
        organizations = {o.uscc: o for o in Organization.objects.filter(uscc__in=PROFILES)}
        memberships = Membership.objects.filter(organization__in=organizations.values()).select_related(
            "user"
        )
        users = {}
        for membership in memberships.order_by("is_liaison", "user__username"):
            authors, liaisons = users.setdefault(membership.organization.uscc, ([], []))
            (liaisons if membership.is_liaison else authors).append(membership.user)
        people = {}
        for person in Person.objects.filter(organization__in=organizations.values()).order_by("pk"):
            people.setdefault(person.organization_id, []).append(person)
        wanted = []
        for uscc, (tags, count) in PROFILES.items():
            organization = organizations[uscc]
            authors, liaisons = users[uscc]
            liaison = liaisons[0]
            author = authors[0] if authors else liaison
            choices = [trip for trip in TRIPS if trip[0] & tags]
            for departure, template in self._departures(choices, count):
                wanted.append((departure, organization, author, liaison, template, None))
        # This month has a departure (the first of the month, or today), and the queues of today have
        # something in them: one application awaiting the Luoyang liaison, one in review, one overdue.
        luoyang, logistics = accounts_demo.LUOYANG_USCC, accounts_demo.EXTRA_ORGANIZATIONS[0]["uscc"]
        forced = [(self.today.replace(day=1), logistics, "approve")]
        for uscc, stop, days in [(luoyang, "submit", 0), (luoyang, "assign", 2), (logistics, "assign", 8)]:
            forced.append((self.today + timedelta(days=62 + 9 * days), uscc, (stop, days)))
        for departure, uscc, outcome in forced:
            authors, liaisons = users[uscc]
            choices = [trip for trip in TRIPS if trip[0] & PROFILES[uscc][0] and trip[5] is None]
            template = choices[self.rng.randrange(len(choices))]
            author = authors[0] if authors else liaisons[0]
            wanted.append((departure, organizations[uscc], author, liaisons[0], template, outcome))
        wanted.sort(key=lambda row: row[0])
        for number, (departure, organization, author, liaison, template, outcome) in enumerate(wanted):
            _tags, mission, title, legs, belt_and_road, _month = template
            made = _Trip(
                key=f"year-{number}",
                organization=organization,
                author=author,
                liaison=liaison,
                title=title,
                mission=mission,
                belt_and_road=belt_and_road,
                legs=legs,
                members=[],
                departure=departure,
            )
            made.members = self._delegation(people[organization.pk], made)
            if not made.members:
                continue
            if isinstance(outcome, tuple):
                self._current_steps(made, *outcome)
            elif not self._year_steps(made, sure=outcome == "approve"):
                continue
            self.trips.append(made)
            for member in made.members:  # taken until back, and until the passport is back in custody
                back = [
                    timezone.localtime(m).date()
                    for m, what, a in made.steps
                    if what == "passport_back" and a["person"] == member.full_name
                ]
                self.take(
                    [member],
                    departure - timedelta(days=4),
                    max([made.return_date + timedelta(days=8), *back]),
                )
        self._overdue_now()
        self._no_filing_while_overdue()

    def _departures(self, choices, count):
        """`count` departures over the fifteen months (fairs in their month), spread evenly."""
        first, last = self.today - timedelta(days=390), self.today + timedelta(days=150)
        span = (last - first).days
        found, used = [], set()
        for index in range(count):
            template = choices[self.rng.randrange(len(choices))]
            month = template[5]
            if month is None:
                slot = first + timedelta(days=int(span * (index + self.rng.random()) / count))
            else:
                years = [
                    y for y in (first.year, first.year + 1, last.year) if first <= date(y, month, 20) <= last
                ]
                options = [(y, month) for y in sorted(set(years)) if (template[2], y) not in used]
                if not options:
                    continue
                year, month = options[self.rng.randrange(len(options))]
                used.add((template[2], year))
                slot = date(year, month, self.rng.randint(5, 22))
            found.append((slot, template))
        return found

    def _delegation(self, people: list[Person], trip: _Trip) -> list[Person]:
        """Free travellers with passports long enough: a leader of rank, then one to three more."""
        back = trip.return_date
        ready = [p for p in people if self.can_travel(p, trip.departure, back)]
        if not ready:
            return []
        ranks = ("董事长", "总经理", "副总经理", "院长", "所长", "总监", "主任", "经理")
        ready.sort(key=lambda p: next((i for i, rank in enumerate(ranks) if rank in p.position), 9))
        leader = ready[0] if self.rng.random() < 0.7 else ready[self.rng.randrange(len(ready))]

        def top(person):  # leaders of the organisation do not normally travel together (leadership_pair)
            return any(word in person.position for word in ("董事长", "总经理", "总裁"))

        rest = [p for p in ready if p != leader and not (top(p) and top(leader))]
        size = min(len(rest), self.rng.choice([0, 1, 1, 1, 2, 2, 2, 3, 3, 4]))
        return [leader, *self.rng.sample(rest, size)]

    def _current_steps(self, trip: _Trip, stop: str, days: int) -> None:
        """An application in today's queues: submitted `days` working days ago, stopped after `stop`
        (submit: awaiting endorsement; assign: in review, overdue once the service level has passed)."""
        rng = self.rng
        if days == 0:
            submitted = self.recent(early=8.5, late=20.5, working=False, margin=3)
        else:
            submitted = self.at(self.add_workdays(self.today, -days - 1), rng.uniform(9, 17))
        created = self.at(
            self.workday(submitted.date() - timedelta(days=rng.randint(1, 5)), forward=False), 10
        )
        steps = [(created, "create", {}), (submitted, "submit", {})]
        if stop == "assign":
            endorsed = self.later(submitted, 1)
            steps += [
                (endorsed, "endorse", {}),
                (endorsed + timedelta(minutes=rng.randint(30, 90)), "assign", {}),
            ]
        trip.steps = steps

    def _year_steps(self, trip: _Trip, *, sure: bool = False) -> bool:
        """Plan the steps of one application; False if it would have been filed after today, or could not
        have been decided in time for its departure."""
        rng, departure = self.rng, trip.departure
        needed = 20 if trip.belt_and_road else 45  # the lead_time rule, checked at each (re)submission
        lead = rng.randint(42, 80) if trip.belt_and_road else rng.randint(60, 100)
        submitted = self.office(departure - timedelta(days=lead), early=8.5, late=20.5)
        created = self.at(
            self.workday(submitted.date() - timedelta(days=rng.randint(1, 8)), forward=False),
            rng.uniform(8.5, 20),
        )
        if created >= self.now:
            return False

        def in_time(moment):  # still far enough ahead of the departure to be filed again
            return (departure - timezone.localtime(moment).date()).days > needed

        steps = [(created, "create", {})]
        roll = 0.5 if sure else rng.random()
        if roll < 0.03:  # filed as a draft and given up
            trip.steps = [*steps, (self.later(created, rng.randint(3, 12)), "withdraw", {})]
            return True
        steps.append((submitted, "submit", {}))
        endorsed = self.later(submitted, rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 5]), early=8.5, late=19)
        resubmitted = self.later(endorsed, rng.randint(1, 3), early=8.5, late=20.5)
        if rng.random() < 0.04 and in_time(resubmitted):  # the liaison sends it back first
            comment = rng.choice(LIAISON_RETURN_COMMENTS)
            steps += [(endorsed, "return_for_changes", {"actor": "liaison", "comment": comment})]
            steps += [(resubmitted, "resubmit", {})]
            endorsed = self.later(resubmitted, rng.choice([0, 1, 1, 2]), early=8.5, late=19)
        steps.append((endorsed, "endorse", {}))
        taken = self.later(endorsed, rng.choice([0, 0, 1, 1, 2]))
        steps.append((taken, "assign", {}))
        if roll < 0.07:  # withdrawn while in review
            trip.steps = [*steps, (self.later(taken, rng.randint(1, 4), early=8.5, late=20), "withdraw", {})]
            return True
        decided = self.later(taken, rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8]))
        resubmitted = self.later(decided, rng.randint(1, 5), early=8.5, late=20.5)
        if rng.random() < 0.14 and in_time(resubmitted):  # returned for changes, changed and filed again
            comment = rng.choice(RETURN_COMMENTS)
            steps += [(decided, "return_for_changes", {"actor": "officer", "comment": comment})]
            endorsed = self.later(resubmitted, rng.choice([0, 0, 1, 2]), early=8.5, late=19)
            steps += [(resubmitted, "resubmit", {}), (endorsed, "endorse", {})]
            decided = self.later(endorsed, rng.choice([1, 2, 2, 3, 4]))
        if roll < 0.15:  # not approved
            comment = rng.choice(REJECT_COMMENTS)
            trip.steps = [*steps, (decided, "decide", {"outcome": "reject", "comment": comment})]
            return True
        # Approved (after the leader's sign-off for a long trip, and some others) two or three weeks
        # ahead: the public notice runs five working days, then the permit.
        if (departure - timezone.localtime(decided).date()).days < 24:
            return False
        sign_off = trip.justification != "" or rng.random() < 0.1
        steps.append((decided, "decide", {"outcome": "approve", "sign_off": sign_off}))
        if roll < 0.18:  # cancelled before departure
            comment = rng.choice(CANCEL_COMMENTS)
            trip.steps = [
                *steps,
                (
                    self.office_before(departure - timedelta(days=rng.randint(4, 9))),
                    "cancel",
                    {"comment": comment},
                ),
            ]
            return True
        back = trip.return_date
        steps.append(
            (
                self.office_before(departure - timedelta(days=rng.randint(1, 3)), late=16.5),
                "passports_out",
                {},
            )
        )
        for member in trip.members:
            if member.passport_type in OFFICIAL_PASSPORTS:
                days = rng.randint(7, 16) if rng.random() < 0.1 else rng.randint(1, 4)  # one in ten late
                steps.append(
                    (self.later(self.at(back, 20), days), "passport_back", {"person": member.full_name})
                )
        late_report = rng.random() < 0.1
        delay = rng.randint(17, 30) if late_report else rng.randint(3, 13)
        trip.report_at = self.office(back + timedelta(days=delay), early=9, late=21)
        steps.append((trip.report_at, "submit_report", {}))
        accepted = self.later(trip.report_at, rng.randint(1, 7))
        if rng.random() < 0.06:  # the report is returned once
            comment = rng.choice(REPORT_RETURN_COMMENTS)
            steps.append((accepted, "return_report", {"comment": comment}))
            trip.report_at = self.later(accepted, rng.randint(2, 6), early=9, late=21)
            steps.append((trip.report_at, "submit_report", {}))
            accepted = self.later(trip.report_at, rng.randint(1, 5))
        steps.append((accepted, "accept_report", {}))
        trip.steps = steps
        return True

    def _overdue_now(self) -> None:
        """Two trips of the year whose reports are overdue today, and passports that did not come back."""
        today = self.today
        candidates = [
            t
            for t in self.trips
            if t.key.startswith("year")
            and t.report_at is not None
            and today - timedelta(days=48) <= t.return_date <= today - timedelta(days=19)
            and t.organization.uscc != DEMO_USCC
        ]
        chosen, organizations = [], set()
        for trip in sorted(candidates, key=lambda t: t.return_date):
            if trip.organization.pk in organizations:
                continue
            chosen.append(trip)
            organizations.add(trip.organization.pk)
            if len(chosen) == 2:
                break
        for trip in chosen:  # the report is not written yet
            trip.steps = [
                s for s in trip.steps if s[1] not in ("submit_report", "accept_report", "return_report")
            ]
            trip.report_at = None
        # Passports kept past their day: a member of a trip back in the last month, who travels no more.
        later_trips = {}
        for trip in self.trips:
            for member in trip.members:
                later_trips.setdefault(member.pk, []).append(trip.departure)
        kept = 0
        for trip in sorted(self.trips, key=lambda t: t.return_date, reverse=True):
            if (
                kept == 2
                or not trip.key.startswith("year")
                or not (today - timedelta(days=40) <= trip.return_date <= today - timedelta(days=12))
            ):
                continue
            for moment, what, arguments in list(trip.steps):
                if what != "passport_back":
                    continue
                person = next(m for m in trip.members if m.full_name == arguments["person"])
                if max(later_trips[person.pk]) == trip.departure:
                    trip.steps.remove((moment, what, arguments))
                    trip.kept.add(person.full_name)
                    kept += 1
                    break

    def _no_filing_while_overdue(self) -> None:
        """An organisation with an overdue post-trip report (15 days after the return) files nothing: a
        report planned late becomes an on-time one if the organisation files something meanwhile, and what
        an organisation would file while a report is overdue today is not filed."""
        while True:
            windows = {}
            for trip in self.trips:
                if trip.report_at is None and not any(s[1] == "passports_out" for s in trip.steps):
                    continue
                opens = self.at(trip.return_date + timedelta(days=16), 0)
                closes = trip.report_at or datetime.max.replace(tzinfo=opens.tzinfo)
                if closes > opens and opens <= self.now:
                    windows.setdefault(trip.organization.pk, []).append((opens, closes, trip))
            changed = False
            for trip in list(self.trips):
                for first, last in trip.gated():
                    for opens, closes, late in windows.get(trip.organization.pk, []):
                        if first < closes and last >= opens and late is not trip:
                            if late.report_at is not None and late.key.startswith("year"):
                                self._report_on_time(late)
                            elif trip.key.startswith("year"):
                                self.trips.remove(trip)
                            else:
                                raise RuntimeError(
                                    f"the demo's story files {trip.title} while a report is overdue"
                                )
                            changed = True
                            break
                    if changed:
                        break
                if changed:
                    break
            if not changed:
                return

    def _report_on_time(self, trip: _Trip) -> None:
        trip.steps = [
            s for s in trip.steps if s[1] not in ("submit_report", "accept_report", "return_report")
        ]
        trip.report_at = self.office(
            trip.return_date + timedelta(days=self.rng.randint(3, 12)), early=9, late=21
        )
        trip.step(trip.report_at, "submit_report")
        trip.step(self.later(trip.report_at, self.rng.randint(1, 6)), "accept_report")

    # Playing -----------------------------------------------------------------------------------------------

    def play(self) -> int:
        # A year's permits are rendered by other processes while the year plays (see BackgroundPDFs).
        pdfs = BackgroundPDFs() if self.year else None
        rendering = (
            mock.patch.object(permits, "render_pdf", pdfs.render) if pdfs else contextlib.nullcontext()
        )
        with DemoClock() as clock, rendering:
            timeline = Timeline(clock)
            for trip in self.trips:
                for moment, what, arguments in trip.steps:
                    timeline.add(
                        moment,
                        partial(self._do, timeline, trip, what, arguments),
                        thread=trip.key,
                        label=f"{trip.key} {trip.title} {what}",
                    )
            first = min(
                (moment for trip in self.trips for moment, _w, _a in trip.steps), default=self.now
            ).date()
            day = first
            while day <= self.today:
                # The beat. Reminders of overdue steps at nine on working days (the job finds nothing on the
                # others). Reminders of reports and passports go once per stage, whatever day the job finds
                # them: played weekly, and today. Public notices close (and permits follow) after midnight
                # on the day after a notice ends: played on those days (see _after).
                if self.working(day):
                    timeline.add(self.at(day, 9), send_reminders, label="reminders")
                if day.weekday() == 0 or day == self.today:
                    timeline.add(
                        self.at(day, 9.1), send_report_and_passport_reminders, label="report reminders"
                    )
                if day.weekday() == 6:
                    timeline.add(self.at(day, 23.5), _read_notifications, label="notifications read")
                day += timedelta(days=1)
            timeline.run()
            self.failures = timeline.failures
        if pdfs is not None:
            _put_in_place(pdfs.finish())
        return sum(1 for trip in self.trips if trip.application is not None)

    def _actor(self, trip: _Trip, name: str) -> User:
        return {
            "officer": self.officer,
            "leader": self.leader,
            "liaison": trip.liaison,
            "author": trip.author,
        }[name]

    def _do(self, timeline: Timeline, trip: _Trip, what: str, arguments: dict) -> None:
        if what == "create":
            trip.application = self._create(trip)
            return
        if trip.application is None:
            return
        application = trip.application
        if what == "assign":
            trip.application = services.application_assign(
                application=application, actor=self.officer, officer=self.officer
            )
        elif what == "decide":
            self._decide(timeline, trip, **arguments)
        elif what == "passports_out":
            for member in trip.members:
                if member.passport_type in OFFICIAL_PASSPORTS:
                    # A passport one in ten travellers brings back late may still be out from the trip
                    # before: it comes back now, on the day the next trip needs it.
                    for late in PassportHandover.objects.filter(person=member, returned_at__isnull=True):
                        services.passport_return(handover=late, actor=trip.liaison)
                    trip.handovers[member.full_name] = services.passport_hand_out(
                        application=application, person=member, actor=trip.liaison, handed_to=member.full_name
                    )
        elif what == "passport_back":
            handover = trip.handovers.get(arguments["person"])
            if (
                handover is not None
                and not PassportHandover.objects.filter(pk=handover.pk, returned_at__isnull=False).exists()
            ):
                services.passport_return(handover=handover, actor=trip.liaison)
        else:
            actor = arguments.get("actor") or {
                "submit": "author",
                "resubmit": "author",
                "withdraw": "author",
                "cancel": "author",
                "submit_report": "author",
                "endorse": "liaison",
                "sign_off": "leader",
            }.get(what, "officer")
            report = None
            if what == "submit_report":
                report = {
                    "summary": f"代表团按计划完成{trip.title.removeprefix('赴')}任务，"
                    "与对方就后续合作进行了深入交流。",
                    "outcomes": self.rng.choice(OUTCOMES),
                    "actual_return_date": trip.return_date,
                    "actual_spending": 18000 * len(trip.members) + 1000 * self.rng.randint(0, 15),
                }
            trip.application = services.application_transition(
                application=application,
                actor=self._actor(trip, actor),
                name=what,
                comment=arguments.get("comment", ""),
                report=report,
            )
            self._after(timeline, trip.application, what)

    def _after(self, timeline: Timeline, application: TravelApplication, what: str) -> None:
        """A public notice opened: the beat closes it after midnight on the day after its last day."""
        if what not in ("approve", "sign_off", "submit_report"):
            return
        for ends_on in application.disclosures.filter(outcome="open").values_list("ends_on", flat=True):
            timeline.add(
                self.at(ends_on + timedelta(days=1), 0.1),
                services.close_ended_disclosures,
                label="close notices",
            )

    def _decide(self, timeline, trip, *, outcome, sign_off=False, comment="") -> None:
        application = TravelApplication.objects.get(pk=trip.application.pk)
        if outcome == "approve" and not (sign_off or application.requires_signoff):
            trip.application = services.application_transition(
                application=application, actor=self.officer, name="approve"
            )
            self._after(timeline, trip.application, "approve")
            return
        if outcome == "reject" and not application.requires_signoff:
            trip.application = services.application_transition(
                application=application, actor=self.officer, name="reject", comment=comment
            )
            return
        # Beyond the officer: to the leader, who signs off (or refuses) a few days later.
        trip.application = services.application_transition(
            application=application, actor=self.officer, name="escalate"
        )
        later = self.later(timezone.now(), self.rng.choice([1, 1, 2, 2, 3, 4]))
        name = "sign_off" if outcome == "approve" else "reject"
        timeline.add(
            later,
            partial(self._do, timeline, trip, name, {"actor": "leader", "comment": comment}),
            thread=trip.key,
            label=f"{trip.key} {trip.title} {name}",
        )

    def _create(self, trip: _Trip) -> TravelApplication:
        organization, members = trip.organization, trip.members
        itinerary, day = [], trip.departure
        for country, city, _city_en, host, days in trip.legs:
            itinerary.append(
                {
                    "country": country,
                    "city": city,
                    "host_organization": host,
                    "arrive_on": day,
                    "leave_on": day + timedelta(days=days - 1),
                }
            )
            day += timedelta(days=days)
        per_member = (
            32000 if trip.legs[0][0] in ("US", "GB", "DE", "FR", "IT", "AU", "NZ", "BR", "CL") else 22000
        )
        application = services.application_create(
            actor=trip.author,
            organization=organization,
            data={
                "title": trip.title,
                "purpose": f"{trip.title}，推进自贸区企业国际合作。",
                "mission_type": trip.mission,
                "belt_and_road": trip.belt_and_road,
                "budget_amount": per_member * len(members) + 1000 * (len(trip.title) % 9),
                "budget_currency": "CNY",
                "funding_source": "own_funds",
                "contact_name": organization.contact_name,
                "contact_phone": organization.contact_phone,
                "justification": trip.justification,
            },
            legs=itinerary,
            members=[
                {"person": person, "position_on_trip": "团长" if i == 0 else "团员", "is_leader": i == 0}
                for i, person in enumerate(members)
            ],
        )
        services.attachment_add(
            application=application,
            actor=trip.author,
            kind="invitation",
            uploaded_file=ContentFile(self._invitation(trip), name="invitation.pdf"),
        )
        return application

    def _invitation(self, trip: _Trip) -> bytes:
        """The host's letter of invitation, in English as hosts write them (one page, drawn with ReportLab)."""
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        country, _city, city, host, days = trip.legs[0]
        written = timezone.localdate() - timedelta(days=7 + len(trip.title) % 10)
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
        page.setTitle("Letter of Invitation")
        width, height = A4
        page.setFont("Helvetica-Bold", 15)
        page.drawString(60, height - 70, host)
        page.setFont("Helvetica", 10)
        page.drawString(60, height - 88, f"{city}, {dict(_COUNTRY_NAMES).get(country, country)}")
        page.drawRightString(width - 60, height - 120, f"{city}, {written:%d %B %Y}")
        page.setFont("Helvetica-Bold", 13)
        page.drawString(60, height - 160, "Letter of Invitation")
        page.setFont("Helvetica", 10.5)
        leader = trip.members[0]
        leave = trip.departure + timedelta(days=days - 1)
        lines = [
            f"To: {trip.organization.name_en or trip.organization.name_zh}",
            "",
            f"{host} is pleased to invite a delegation of your company led by {leader.pinyin_name}",
            f"to visit us in {city} from {trip.departure:%d %B %Y} to {leave:%d %B %Y}",
            f"{ENGLISH_PURPOSE.get(trip.mission, ENGLISH_PURPOSE['business_negotiation'])}.",
            "",
            "Members of the delegation:",
            *[f"    {index}. {person.pinyin_name}" for index, person in enumerate(trip.members, start=1)],
            "",
            "The delegation bears its own travel and accommodation costs. We look forward to welcoming you.",
            "",
            "Yours sincerely,",
            "",
            f"{host}",
        ]
        y = height - 190
        for line in lines:
            page.drawString(60, y, line)
            y -= 16
        page.showPage()
        page.save()
        self.letters += 1
        return buffer.getvalue()


_COUNTRY_NAMES = [
    ("AE", "United Arab Emirates"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("CL", "Chile"),
    ("CZ", "Czech Republic"),
    ("DE", "Germany"),
    ("EG", "Egypt"),
    ("ES", "Spain"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("GH", "Ghana"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("KR", "Republic of Korea"),
    ("KZ", "Kazakhstan"),
    ("LU", "Luxembourg"),
    ("MY", "Malaysia"),
    ("NG", "Nigeria"),
    ("NL", "Netherlands"),
    ("NZ", "New Zealand"),
    ("PL", "Poland"),
    ("RS", "Serbia"),
    ("RU", "Russia"),
    ("SA", "Saudi Arabia"),
    ("SG", "Singapore"),
    ("TH", "Thailand"),
    ("TR", "Turkiye"),
    ("US", "United States"),
    ("UZ", "Uzbekistan"),
    ("VN", "Viet Nam"),
    ("ZA", "South Africa"),
]


def _put_in_place(rendered: dict[bytes, bytes]) -> None:
    """Each permit's PDF in place of the placeholder it was stored with (same file name, its checksum)."""
    by_checksum = {hashlib.sha256(placeholder).hexdigest(): pdf for placeholder, pdf in rendered.items()}
    storage = private_storage()
    for permit in Permit.objects.filter(sha256__in=by_checksum):
        pdf = by_checksum[permit.sha256]
        name = permit.file.name
        storage.delete(name)
        if storage.save(name, ContentFile(pdf)) != name:
            raise RuntimeError(f"the permit {permit.number} could not be stored as {name}")
        Permit.objects.filter(pk=permit.pk).update(sha256=hashlib.sha256(pdf).hexdigest())


def _read_notifications() -> None:
    """People read their notices on the portal: what is two days old has been read by the evening."""
    from foreign_affairs.notifications.models import Channel, Notification

    now = timezone.now()
    Notification.objects.filter(
        channel=Channel.IN_APP, read_at__isnull=True, created_at__lt=now - timedelta(days=2)
    ).update(read_at=now)
