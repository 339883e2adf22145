"""Demo training (seed_demo), made through the services on the days it happened.

The office opened its training registry about two years ago with seven courses: the pre-departure briefing
行前教育 with its online test (PD-01, five questions, pass mark 80, three attempts, certificate valid 12
months), the monthly group briefing for delegations that the liaisons enrol their colleagues in (PD-02, no
test: attendance on the register earns the 12-month certificate), foreign-affairs discipline and
confidentiality for liaisons (FA-01), protocol (PR-01), the free trade zone's policies (FTZ-01), intercultural
communication and negotiation (IC-01) and a course for the office's own staff (OF-01) — bilingual, PD-01 with
its handbook.

Every traveller who goes on the approvals demo's trips holds a pre-departure certificate valid on the
departure date, as the rule `predeparture_training` (an error) demands: in the story (`--size small`) each
took the training once, between two and a half and seven months ago (the story's trips left from 63 days
ago to four months ahead); in the year, whose trips go back 390 days and are filed up to 100 days before,
each renews about every ten months (a certificate runs twelve), the first time at least 400 days ago or
soon after their organisation registered, the last within the last seven months (and PD-02's every sixth
in the last weeks again, before a long trip). Those with an account (`applicant` 张伟, `liaison` 李娜,
`applicant2` 王磊, and in the year the other organisations' liaisons) take PD-01: they check in with the
venue's QR code or are marked from the online session's record, then take the test (张伟 needed two
tries; 王磊 failed all three at the session before and passed at the next). The others go to PD-02,
enrolled by their liaison and ticked on the register (杨帆 missed one, 刘敏's place was cancelled once, a
session was called off for a rainstorm warning and its trainees went to the next).

Left for the walk-through of the rule (the demo enterprise, 郑州示范贸易有限公司): 周婷 holds no valid
pre-departure training — her certificate of last year expired and the one of six weeks ago was revoked (a
colleague had signed in for her) — and 孙强's certificate expires within the next three weeks. Both are free
to be added to a draft, where the rule fails and offers the next session with free places (PD-02 in a week).

To come: PD-02 in a week (free places), PD-01 in person and online, the intercultural workshop (five places,
full, 周婷 on the waiting list after 刘敏 was given 杨帆's place), protocol in Luoyang, the zone's policies
(`applicant` enrolled), discipline for liaisons (李娜 renewing her expiring certificate) and the office's
course. Past sessions of every course hold completed, failed, absent and cancelled enrolments, and
certificates valid, expiring within 30 days (孙强's pre-departure one, 李娜's on discipline), expired and
one revoked (周婷's).

Nothing is made today and moved back: each step is played on a DemoClock at its moment through
training.services (foreign_affairs.demo_clock), so the audit trail, the notices and the certificates' dates
are true; certificates are rendered when issued, as the worker would have.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import Membership, Organization, Person, User
from foreign_affairs.accounts.services import person_update
from foreign_affairs.demo_clock import DemoClock, Timeline
from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.workdays.models import CalendarDay
from foreign_affairs.workdays.selectors import is_working_day

from . import services
from .models import Certificate, Course, Enrolment, Question, TrainingMessage
from .services.courses import material_add, question_save
from .workflow import Mode, SessionLanguage

DEMO_USCC, LUOYANG_USCC = accounts_demo.DEMO_USCC, accounts_demo.LUOYANG_USCC
# The office opened its training registry this many days ago.
REGISTRY_OPENED = 790
# When each traveller last took pre-departure training, in days before today: (PD-02's range, PD-01's), at
# the year size and the small one. The latest session on or before the day chosen is taken (PD-02 comes every
# four weeks, PD-01 every eight, a holiday moves one by up to nine days), so the certificate still runs past
# the approvals demo's last departure filed by now (about 135 days ahead): the year's trips and the story's
# (the earliest of the story left 63 days ago, so its last training is older than that).
LAST_TRAINED = {"year": ((185, 100), (150, 20)), "small": ((170, 70), (150, 80))}
# Before that, at the year size, a certificate is renewed about this many days after the one before it (it
# runs a year: the session taken may be up to 37 days earlier, PD-01's up to 65), until one is FIRST_BEFORE
# days old — the year's trips go back 390 days — or the traveller's organisation was not registered yet.
# Every sixth traveller of PD-02 renewed early as well, in the last months (before a long trip).
RENEW_AFTER = {"PD-02": 300, "PD-01": 280}
FIRST_BEFORE = 400

ZHENGZHOU_ROOM = "河南省人民政府外事办公室三楼培训室（郑州市金水区）"
LUOYANG_ROOM = "河南自贸试验区洛阳片区管委会二楼会议室"
KAIFENG_ROOM = "河南自贸试验区开封片区管委会一楼报告厅"
MEETING = "https://meeting.example.com/j/{}"
PD_INSTRUCTORS = ["刘洋（省外办因公出国（境）管理处）", "孙悦（省外办领事处）"]

# fmt: off
COURSES = [
    {
        "code": "PD-01", "topic": "predeparture", "audience": "enterprise", "duration_hours": 3,
        "certificate_months": 12, "pass_mark": 80, "max_attempts": 3,
        "title_zh": "出国（境）人员行前教育（含结业测试）",
        "title_en": "Pre-departure briefing for travellers abroad (with a test)",
        "description_zh": (
            "面向因公出国（境）的企业人员，系统讲解外事纪律、境外安全、保密要求和涉外礼仪：出访任务和行程的审批与执行纪律，"
            "护照证件的管理，境外人身和财产安全、突发事件应对与领事保护，涉密载体和工作资料的管理，对外交往中的言行规范和"
            "礼宾常识。课后进行在线结业测试（5 题，80 分及格，可作答 3 次），通过后颁发结业证书，有效期 12 个月。"
        ),
        "description_en": (
            "For company staff travelling abroad on official business: foreign-affairs discipline, security abroad, "
            "confidentiality and protocol — keeping to the approved mission and itinerary, passports and their custody, "
            "personal safety, emergencies and consular protection, classified material and work data, conduct and "
            "courtesy with foreign partners. An online test follows the session (5 questions, pass mark 80 %, 3 "
            "attempts); those who pass receive a certificate valid for 12 months."
        ),
    },
    {
        "code": "PD-02", "topic": "predeparture", "audience": "enterprise", "duration_hours": 2.5,
        "certificate_months": 12, "pass_mark": None,
        "title_zh": "出访团组行前集中教育",
        "title_en": "Pre-departure group briefing for delegations",
        "description_zh": (
            "每月集中举办一期，由各单位外事联络员为即将出访的团组成员统一报名。内容与行前教育相同——外事纪律、境外安全、"
            "保密和涉外礼仪，并结合近期出访目的地的安全提醒作专题讲解。全程参加并经现场签到登记的，颁发结业证书，有效期 "
            "12 个月。"
        ),
        "description_en": (
            "Held once a month; each organisation's foreign-affairs liaison enrols the members of its coming "
            "delegations. It covers what the pre-departure briefing covers — foreign-affairs discipline, security "
            "abroad, confidentiality and protocol — with the office's latest safety advice for the destinations of "
            "the coming trips. Attending the whole session, recorded on the register, earns a certificate valid for "
            "12 months."
        ),
    },
    {
        "code": "FA-01", "topic": "discipline", "audience": "liaison", "duration_hours": 3,
        "certificate_months": 24, "pass_mark": None,
        "title_zh": "外事纪律与保密规定专题培训",
        "title_en": "Foreign-affairs discipline and confidentiality",
        "description_zh": (
            "面向企业外事联络员和经常出访的管理人员：因公出国（境）管理规定，出访审批和出访报告制度，因公护照集中保管，"
            "对外交往中的保密要求和常见泄密风险，违反外事纪律的典型案例剖析。"
        ),
        "description_en": (
            "For foreign-affairs liaisons and managers who travel often: the rules on official travel abroad, "
            "approval and the report after the trip, central custody of official passports, confidentiality in "
            "dealings with foreign partners and the usual ways secrets leak, and cases of breaches of discipline."
        ),
    },
    {
        "code": "PR-01", "topic": "protocol", "audience": "enterprise", "duration_hours": 3,
        "certificate_months": 36, "pass_mark": None,
        "title_zh": "涉外礼宾礼仪实务",
        "title_en": "Protocol in practice: receiving foreign guests and visiting abroad",
        "description_zh": (
            "涉外接待和出访中的礼宾安排：迎送，会见、会谈座次，宴请，礼品，国旗悬挂和称谓，结合河南自贸试验区外事接待的"
            "实际案例讲解。"
        ),
        "description_en": (
            "Protocol for receiving foreign guests and for visits abroad: welcoming and seeing off, seating at "
            "meetings and talks, banquets, gifts, flags and forms of address, with cases from receptions in the "
            "Henan Free Trade Zone."
        ),
    },
    {
        "code": "FTZ-01", "topic": "ftz_policy", "audience": "enterprise", "duration_hours": 2,
        "certificate_months": 24, "pass_mark": None,
        "title_zh": "河南自贸试验区政策与制度创新解读",
        "title_en": "The Henan Free Trade Zone: its policies and reforms",
        "description_zh": (
            "解读《中国（河南）自由贸易试验区总体方案》和郑州、开封、洛阳三个片区的功能定位，跨境电商、多式联运、贸易"
            "便利化等制度创新成果，企业“走出去”的政策支持，以及对外推介自贸试验区时使用的口径和数据。"
        ),
        "description_en": (
            "The overall plan of the China (Henan) Pilot Free Trade Zone and the roles of its Zhengzhou, Kaifeng and "
            "Luoyang areas; its reforms in cross-border e-commerce, multimodal transport and trade facilitation; "
            "support for companies going abroad; and the wording and figures to use when presenting the zone abroad."
        ),
    },
    {
        "code": "IC-01", "topic": "intercultural", "audience": "enterprise", "duration_hours": 6,
        "certificate_months": 36, "pass_mark": None,
        "title_zh": "跨文化沟通与国际商务谈判",
        "title_en": "Intercultural communication and international business negotiation",
        "description_zh": (
            "不同文化背景下的沟通方式、时间观念和决策习惯；与欧美、日韩、中东和中亚合作伙伴开展商务谈判的要点；借助"
            "翻译开展会谈的技巧。小班教学，以案例研讨为主。"
        ),
        "description_en": (
            "How people of other cultures communicate, keep time and decide; negotiating with partners from Europe "
            "and America, Japan and Korea, the Middle East and Central Asia; holding talks through an interpreter. "
            "Small groups, mostly case studies."
        ),
    },
    {
        "code": "OF-01", "topic": "other", "audience": "office", "duration_hours": 6,
        "certificate_months": 24, "pass_mark": None,
        "title_zh": "外事干部服务能力提升培训",
        "title_en": "Raising the service capability of foreign-affairs staff",
        "description_zh": (
            "面向省外办工作人员：因公出国（境）审批政策的最新变化，服务企业的工作规范，涉外突发事件应急处置流程，数据"
            "安全和个人信息保护。守住底线、讲清政策、亮明观点，维护国家利益。"
        ),
        "description_en": (
            "For the office's own staff: the latest changes to the policy on approving official travel, standards "
            "of service to companies, the procedure for emergencies abroad and involving foreigners, data security "
            "and personal information — holding to the bottom line, making policies and views clear, safeguarding "
            "the country's interests."
        ),
    },
]

# PD-01's test: (question, answers with the right one first — the order shown is set below).
QUESTIONS = [
    (("在境外活动中，外国媒体记者就敏感问题向你提问，正确的做法是：",
      "Abroad, a foreign journalist asks you about a sensitive issue. What do you do?"),
     [("礼貌婉拒，不擅自表态，事后向团组负责人报告",
       "Decline politely, make no statement of your own, and tell the delegation leader afterwards"),
      ("以个人身份自由发表看法", "Give your personal view freely"),
      ("只要对方不录音，就可以详细交谈", "Talk at length as long as nothing is recorded")]),
    (("因公出国（境）回国后，因公护照应当：", "After an official trip, your official passport:"),
     [("按规定及时交回本单位统一保管", "Goes back to your organisation's custody in time, as the rules say"),
      ("由本人保管，以备下次出访使用", "Stays with you for the next trip"),
      ("交给旅行社或代办机构保管", "Is left with the travel agency")]),
    (("关于涉密文件和工作电脑，下列做法正确的是：", "Classified papers and work laptops on a trip abroad:"),
     [("涉密载体不得携带出境；确需携带的工作资料须经审批并随身保管",
       "Classified material never leaves the country; work material you must take is approved and kept on you"),
      ("可以存放在酒店房间的保险箱内", "May be left in the hotel room's safe"),
      ("可以通过酒店公共无线网络传回国内", "May be sent home over the hotel's public Wi-Fi")]),
    (("出访期间遇到证件丢失或人身伤害等突发事件，首先应当：",
      "During the trip you lose your passport or are hurt. What comes first?"),
     [("确保人身安全，立即联系我驻当地使领馆，并报告团组负责人和派出单位",
       "Get to safety, contact the Chinese embassy or consulate at once, and tell the delegation leader "
       "and your organisation"),
      ("等回国后再向单位报告", "Report it to your organisation when you are back"),
      ("自行与当地警方协商解决，不必告知他人", "Settle it with the local police and tell nobody")]),
    (("出席外方正式宴请时，下列做法符合涉外礼仪的是：", "At a formal banquet given by your hosts abroad:"),
     [("按主人安排就座，尊重当地饮食习俗和宗教禁忌",
       "Sit where the hosts place you and respect local food customs and religious taboos"),
      ("自行调换座位，方便与同事交谈", "Change seats to sit next to your colleagues"),
      ("向外方赠送贵重礼品以示诚意", "Give your hosts a valuable gift to show good faith")]),
]
# fmt: on

HANDBOOK = "training/pdf/demo_handbook.html"  # PD-01's handbook (a template of the demo's own)


def seed() -> int:
    """The area's demo records, once: returns the number of training sessions created."""
    if Course.objects.filter(code=COURSES[0]["code"]).exists():
        return 0
    demo = TrainingDemo(year=accounts_demo.size() == accounts_demo.YEAR)
    demo.plan()
    return demo.play()


class _Clock(DemoClock):
    """The demo clock, doing also what the worker does with the e-mails to trainees without an account (the
    area's outbox): each counts as sent when it was written."""

    def _run_task(self, task_name: str, *args) -> None:
        if task_name == "training.deliver_message":
            TrainingMessage.objects.filter(pk=args[0], sent_at__isnull=True).update(
                sent_at=self.now, attempts=1
            )
            return
        super()._run_task(task_name, *args)


@dataclass
class _Seat:
    """One trainee of a session and what becomes of them: `person` (a traveller) or `user` (office staff),
    who enrols them (`by`: "self", "liaison" or "officer") how many days before the session starts, and the
    `outcome`: "attend", "absent", "cancel", "revoke" (attends; the certificate is revoked later) or "" (the
    session is still to come). `scores`: the test's attempts, each the number of right answers."""

    person: Person | None = None
    user: User | None = None
    by: str = "liaison"
    days_before: float = 12
    outcome: str = "attend"
    scores: tuple = (5,)


@dataclass
class _Session:
    key: str
    course: str
    starts: datetime
    hours: float
    venue: str = ZHENGZHOU_ROOM
    online: bool = False
    capacity: int = 40
    instructor: str = ""
    language: str = SessionLanguage.CHINESE
    notes: str = ""
    scheduled: datetime | None = None  # when the office scheduled it
    deadline: datetime | None = None  # enrolment closes
    cancel: str = ""  # why the office called it off (the morning of the day)
    seats: list = field(default_factory=list)

    @property
    def day(self) -> date:
        return timezone.localtime(self.starts).date()

    @property
    def ends(self) -> datetime:
        return self.starts + timedelta(minutes=int(self.hours * 60))


class TrainingDemo:
    """The area's demo history: `plan()` lays out the sessions and their trainees, `play()` plays every step
    on the clock and returns the number of sessions made (`failures`: the steps the services refused; the
    tests want none)."""

    def __init__(self, *, year: bool = False):
        self.year = year
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rng = random.Random(2026_05_16)
        first, last = self.today - timedelta(days=REGISTRY_OPENED + 30), self.today + timedelta(days=90)
        self.exceptions = dict(
            CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day")
        )
        self.users = {
            user.username: user
            for user in User.objects.filter(username__in=["officer", "officer2", "leader", "manager"])
        }
        self.officer = self.users["officer"]
        usccs = [DEMO_USCC, LUOYANG_USCC, accounts_demo.KAIFENG_USCC]
        if year:
            usccs += [extra["uscc"] for extra in accounts_demo.EXTRA_ORGANIZATIONS]
        self.organizations = list(Organization.objects.filter(uscc__in=usccs))
        self.people = {
            (person.organization_id, person.full_name): person
            for person in Person.objects.filter(organization__in=self.organizations)
            .select_related("organization")
            .order_by("pk")
        }
        # Each organisation's liaison (who enrols colleagues) and the accounts that are travellers too (the
        # user whose family and given name is a traveller's name): they take PD-01 and its test.
        self.liaisons, self.accounts = {}, {}
        for membership in Membership.objects.filter(organization__in=self.organizations).select_related(
            "user"
        ):
            user = membership.user
            if membership.is_liaison:
                self.liaisons.setdefault(membership.organization_id, user)
            person = self.people.get((membership.organization_id, f"{user.last_name}{user.first_name}"))
            if person is not None and person.pk not in self.accounts:
                self.accounts[person.pk] = user
        self.sessions: dict[str, _Session] = {}
        self.ready: dict[int, datetime] = {}  # traveller → when their record has the e-mail of their account
        self.made: dict[str, object] = {}  # session key → Session
        self.enrolments: dict[tuple, Enrolment] = {}  # (session key, person or user pk) → Enrolment
        self.courses: dict[str, Course] = {}
        self.steps: list[tuple] = []
        self.failures: list[str] = []
        self.created = 0

    # Time -----------------------------------------------------------------------------------------------

    def at(self, day: date, hour: float) -> datetime:
        minutes = round(hour * 60)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def workday(self, day: date, *, forward: bool = True) -> date:
        while not is_working_day(day, self.exceptions):
            day += timedelta(days=1 if forward else -1)
        return day

    def latest(self, moment: datetime) -> datetime:
        """`moment`, or the same hour a day or more earlier when it has not come yet (steps of sessions still
        to come are played up to now)."""
        while moment >= self.now - timedelta(hours=1):
            moment -= timedelta(days=1)
        return moment

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def add(self, moment: datetime, action, *, thread=None, label: str = "") -> None:
        if moment >= self.now:
            # A step still to come would be left out by the timeline: the story must not depend on the hour.
            raise ValueError(f"demo step {label} planned for {moment}, after now")
        self.steps.append((moment, action, thread, label))

    def person(self, uscc: str, name: str) -> Person:
        organization = next(o for o in self.organizations if o.uscc == uscc)
        return self.people[(organization.pk, name)]

    # Planning -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        self._plan_registry()
        self._plan_sessions()
        self._plan_predeparture()
        self._plan_other_courses()
        for key, spec in list(self.sessions.items()):
            if spec.seats or spec.day >= self.today:
                self._plan_session(spec)
            else:  # a past session nobody took is left out
                del self.sessions[key]
        self._plan_reminders()

    def _plan_registry(self) -> None:
        """The office enters its courses, PD-01's test and handbook; the travellers with an account get their
        e-mail on their traveller record (My training finds them by it)."""
        opened = self.workday(self.day(-REGISTRY_OPENED))
        moment = self.at(opened, 9.5)
        for index, spec in enumerate(COURSES):
            self.add(moment + timedelta(minutes=20 * index), partial(self._course, spec), label=spec["code"])
        self.add(moment + timedelta(hours=3), self._assessment, label="PD-01 test")
        self.add(moment + timedelta(hours=3.5), self._handbook, label="PD-01 handbook")
        emails = [(person_id, user, user.email) for person_id, user in self.accounts.items()]
        # Two travellers without an account gave their e-mail: the portal writes to them (the area's outbox).
        for name, email in (("陈晨", "chenchen@example.com"), ("吴刚", "wugang@example.com")):
            uscc = DEMO_USCC if name == "陈晨" else LUOYANG_USCC
            person = self.person(uscc, name)
            emails.append((person.pk, self.liaisons[person.organization_id], email))
        by_pk = {person.pk: person for person in self.people.values()}
        for person_id, actor, email in emails:
            person = by_pk[person_id]
            when = max(moment + timedelta(hours=5), person.created_at + timedelta(days=1, hours=1))
            self.ready[person.pk] = when
            self.add(when, partial(self._email, person, actor, email), label=f"e-mail {person}")

    def _plan_sessions(self) -> None:
        """The sessions of every course, past and to come (their trainees are added by the next steps)."""
        # PD-02 once every four weeks, mostly in Zhengzhou.
        for number in range(23):
            day = self.workday(self.day(-15 - 28 * number))
            venue = (ZHENGZHOU_ROOM, ZHENGZHOU_ROOM, LUOYANG_ROOM, ZHENGZHOU_ROOM, KAIFENG_ROOM)[number % 5]
            self._session(
                f"pd02-{number}",
                "PD-02",
                self.at(day, 14.5),
                2.5,
                venue=venue,
                capacity=40,
                instructor=PD_INSTRUCTORS[number % 2],
                notes="由各单位外事联络员统一报名；请携带本人身份证件，提前 15 分钟到场签到。",
            )
        # PD-01 every eight weeks, in person (QR check-in) and online in turn.
        for number in range(12):
            online = number % 2 == 1
            day = self.workday(self.day(-20 - 56 * number))
            self._session(
                f"pd01-{number}",
                "PD-01",
                self.at(day, 14 if online else 9),
                3,
                online=online,
                capacity=100 if online else 30,
                instructor=PD_INSTRUCTORS[(number + 1) % 2],
                notes=(
                    "线上进行，请提前 10 分钟用实名入会；课后在“我的培训”中完成结业测试。"
                    if online
                    else "请提前到场，用手机扫描现场屏幕上的二维码签到；课后在“我的培训”中完成结业测试。"
                ),
            )
        # To come.
        self._session(
            "pd02-next",
            "PD-02",
            self.at(self.workday(self.day(7)), 14.5),
            2.5,
            capacity=40,
            instructor=PD_INSTRUCTORS[0],
            notes="由各单位外事联络员统一报名；请携带本人身份证件，提前 15 分钟到场签到。",
        )
        self._session(
            "pd01-next",
            "PD-01",
            self.at(self.workday(self.day(16)), 9),
            3,
            capacity=30,
            instructor=PD_INSTRUCTORS[1],
            notes="请提前到场，用手机扫描现场屏幕上的二维码签到；课后在“我的培训”中完成结业测试。",
        )
        self._session(
            "pd01-online",
            "PD-01",
            self.at(self.workday(self.day(45)), 14),
            3,
            online=True,
            capacity=100,
            instructor=PD_INSTRUCTORS[0],
            notes="线上进行，请提前 10 分钟用实名入会；课后在“我的培训”中完成结业测试。",
        )

    def _session(self, key: str, course: str, starts: datetime, hours: float, **fields) -> _Session:
        spec = _Session(key=key, course=course, starts=starts, hours=hours, **fields)
        if spec.online:
            spec.venue = ""
        scheduled = self.workday(spec.day - timedelta(days=40))
        spec.scheduled = min(self.at(scheduled, 10.2), self.at(self.workday(self.day(-40)), 10.2))
        spec.deadline = self.at(self.workday(spec.day - timedelta(days=2), forward=False), 17)
        self.sessions[key] = spec
        return spec

    def _past(self, course: str) -> list[_Session]:
        past = [spec for spec in self.sessions.values() if spec.course == course and spec.day < self.today]
        return sorted(past, key=lambda spec: spec.starts)

    def _chain(self, sessions: list[_Session], last: int, since: date) -> list[_Session]:
        """The sessions a traveller completes: the latest on or before `last` days from today and, at the year
        size, one about RENEW_AFTER days before each until one is FIRST_BEFORE days old — or the first after
        `since` (their organisation registered) if that comes first. Each renewal comes before the last
        certificate runs out."""
        chosen, target = [], self.day(last)
        while True:
            earlier = [s for s in sessions if since <= s.day <= target]
            if not earlier:
                later = [s for s in sessions if s.day >= since and (not chosen or s.day < chosen[-1].day)]
                if later:
                    chosen.append(later[0])
                break
            chosen.append(earlier[-1])
            if not self.year or chosen[-1].day <= self.day(-FIRST_BEFORE):
                break
            target = chosen[-1].day - timedelta(days=RENEW_AFTER[chosen[-1].course])
        return chosen

    def _plan_predeparture(self) -> None:
        """Every traveller's pre-departure certificates, and the stories around them."""
        pd01, pd02 = self._past("PD-01"), self._past("PD-02")
        zhou, sun = self.person(DEMO_USCC, "周婷"), self.person(DEMO_USCC, "孙强")
        travellers = [p for p in self.people.values() if p.pk not in (zhou.pk, sun.pk)]
        ranges = LAST_TRAINED["year" if self.year else "small"]
        for index, person in enumerate(travellers):
            since = timezone.localdate(person.created_at) + timedelta(days=7)
            with_test = person.pk in self.accounts
            low, high = ranges[with_test]
            chain = self._chain(pd01 if with_test else pd02, -(high + (index * 47) % (low - high)), since)
            if self.year and not with_test and index % 6 == 0:
                recent = [
                    s for s in pd02 if self.day(-75) <= s.day and s.day > chain[0].day + timedelta(days=60)
                ]
                if recent:
                    chain.insert(0, recent[(index // 6) % len(recent)])
            for spec in chain:
                if with_test:
                    spec.seats.append(_Seat(person, by="self", days_before=self.rng.uniform(5, 20)))
                else:
                    spec.seats.append(_Seat(person, days_before=self.rng.choice([6, 9, 12, 15])))
        # 孙强: renewed last 351 days ago (valid for another two weeks or so), and before that 631 days ago.
        for spec in (self.sessions["pd02-12"], self.sessions["pd02-22"]):
            spec.seats.append(_Seat(sun, days_before=9))
        # 周婷: trained 435 days ago (expired since); six weeks ago a colleague signed in for her and the
        # certificate was revoked.
        self.sessions["pd02-15"].seats.append(_Seat(zhou, days_before=9))
        self.sessions["pd02-1"].seats.append(_Seat(zhou, days_before=9, outcome="revoke"))
        self._predeparture_stories(pd01, pd02)
        # To come: renewals.
        chen, liu = self.person(DEMO_USCC, "陈晨"), self.person(DEMO_USCC, "刘敏")
        self.sessions["pd02-next"].seats += [
            _Seat(chen, days_before=9, outcome=""),
            _Seat(liu, days_before=9, outcome=""),
        ]
        wang = self.person(LUOYANG_USCC, "王磊")
        self.sessions["pd01-next"].seats.append(_Seat(wang, by="self", days_before=18, outcome=""))
        if self.year:
            others = [p for p in travellers if p.organization.uscc not in (DEMO_USCC, LUOYANG_USCC)]
            for person in self.rng.sample(others, min(9, len(others))):
                key = "pd01-online" if person.pk in self.accounts else "pd02-next"
                by = "self" if person.pk in self.accounts else "liaison"
                self.sessions[key].seats.append(_Seat(person, by=by, days_before=8, outcome=""))

    def _predeparture_stories(self, pd01: list[_Session], pd02: list[_Session]) -> None:
        """杨帆 missed a session, 刘敏's place was cancelled once, 张伟 needed two tries at the test, 王磊
        failed all three once; the trainees of the session called off went to the next one."""

        def seat_of(name: str, uscc: str = DEMO_USCC) -> tuple[_Session, _Seat]:
            person = self.person(uscc, name)
            found = [(s, seat) for s in [*pd01, *pd02] for seat in s.seats if seat.person == person]
            return max(found, key=lambda pair: pair[0].starts)

        def before(spec: _Session, sessions: list[_Session]) -> _Session:
            """The last session before `spec` that someone attended (or just the one before)."""
            earlier = sessions[: sessions.index(spec)]
            attended = [s for s in earlier if any(seat.outcome == "attend" for seat in s.seats)]
            return (attended or earlier)[-1]

        spec, seat = seat_of("杨帆")
        before(spec, pd02).seats.append(_Seat(seat.person, days_before=10, outcome="absent"))
        spec, seat = seat_of("刘敏")
        before(spec, pd02).seats.append(_Seat(seat.person, days_before=12, outcome="cancel"))
        spec, seat = seat_of("张伟")
        seat.scores = (3, 5)
        spec, seat = seat_of("王磊", LUOYANG_USCC)
        before(spec, pd01).seats.append(_Seat(seat.person, by="self", days_before=10, scores=(2, 3, 3)))
        # A session called off (a rainstorm warning): one nobody came to, just before the one most trainees
        # came to (of those two months old or more), who had enrolled in it first.
        pairs = [
            (called_off, [seat for seat in following.seats if seat.outcome == "attend" and seat.person])
            for called_off, following in itertools.pairwise(pd02)
            if not called_off.seats
            and called_off.day < self.day(-60)
            and all(
                self.ready.get(seat.person.pk, seat.person.created_at)
                < called_off.starts - timedelta(days=20)
                for seat in following.seats
                if seat.person
            )
        ]
        called_off, attending = max(pairs, key=lambda pair: (len(pair[1]), pair[0].starts))
        called_off.cancel = "受暴雨红色预警影响，本期集中教育取消，已报名人员请改报下期。"
        called_off.seats += [_Seat(seat.person, days_before=8, outcome="") for seat in attending]

    def _plan_other_courses(self) -> None:
        """The other courses: a few sessions each, past and to come."""
        d = partial(self.person, DEMO_USCC)
        zhang, li, chen, yang, liu, sun, zhou = (
            d(name) for name in ("张伟", "李娜", "陈晨", "杨帆", "刘敏", "孙强", "周婷")
        )
        wang, wu = self.person(LUOYANG_USCC, "王磊"), self.person(LUOYANG_USCC, "吴刚")
        officer, officer2, leader, manager = (
            self.users[n] for n in ("officer", "officer2", "leader", "manager")
        )

        def session(key, course, offset, hour, hours, *seats, **fields) -> _Session:
            spec = self._session(key, course, self.at(self.workday(self.day(offset)), hour), hours, **fields)
            spec.seats += seats
            return spec

        coming = {"outcome": ""}
        # Discipline for liaisons: two years ago (李娜's certificate runs out within weeks; she renews next
        # month), and last spring.
        teacher = {"capacity": 30, "instructor": "陈静（省外办因公出国（境）管理处）"}
        session("fa-0", "FA-01", -722, 9, 3, _Seat(li, by="self"), **teacher)
        session("fa-1", "FA-01", -260, 9, 3, _Seat(wang, by="self"), _Seat(wu, days_before=10), **teacher)
        session("fa-next", "FA-01", 38, 9, 3, _Seat(li, by="self", days_before=40, **coming), **teacher)
        # Protocol, in Zhengzhou and in Luoyang; 周婷 missed the last one.
        teacher = {"capacity": 30, "instructor": "赵敏（省外办礼宾处）"}
        session("pr-0", "PR-01", -480, 14, 3, _Seat(zhang, by="self"), _Seat(sun), **teacher)
        session(
            "pr-1",
            "PR-01",
            -150,
            14,
            3,
            _Seat(wu),
            _Seat(yang),
            _Seat(zhou, outcome="absent"),
            venue=LUOYANG_ROOM,
            **teacher,
        )
        session(
            "pr-next",
            "PR-01",
            24,
            14,
            3,
            _Seat(li, by="self", days_before=26, **coming),
            venue=LUOYANG_ROOM,
            **teacher,
        )
        # The zone's policies: `applicant` is enrolled in the next one.
        teacher = {"capacity": 60, "instructor": "河南省商务厅（省自贸办）"}
        session("ftz-0", "FTZ-01", -330, 9.5, 2, _Seat(li, by="self"), _Seat(chen), **teacher)
        session(
            "ftz-1",
            "FTZ-01",
            -90,
            9.5,
            2,
            _Seat(wu),
            capacity=60,
            venue=LUOYANG_ROOM,
            instructor="洛阳片区管委会",
        )
        session(
            "ftz-next",
            "FTZ-01",
            30,
            9.5,
            2,
            _Seat(zhang, by="self", days_before=26, **coming),
            _Seat(yang, days_before=21, **coming),
            **teacher,
        )
        # Intercultural communication: online last spring; the workshop to come is full, with a waiting list.
        teacher = {
            "language": SessionLanguage.BILINGUAL,
            "instructor": "Dr. Anna Keller（不来梅应用科技大学）",
        }
        session(
            "ic-0",
            "IC-01",
            -240,
            9,
            6,
            _Seat(zhang, by="self"),
            _Seat(li, by="self"),
            _Seat(liu, outcome="absent"),
            online=True,
            capacity=50,
            **teacher,
        )
        # In this order: five places, then two on the waiting list; 杨帆 drops out and 刘敏 moves up.
        session(
            "ic-next",
            "IC-01",
            10,
            9,
            6,
            _Seat(zhang, by="self", days_before=20, **coming),
            _Seat(wang, by="self", days_before=19, **coming),
            _Seat(yang, days_before=18, outcome="cancel"),
            _Seat(sun, days_before=18, **coming),
            _Seat(wu, days_before=17, **coming),
            _Seat(liu, days_before=15, **coming),
            _Seat(zhou, days_before=15, **coming),
            capacity=5,
            notes="小班研讨，名额 5 人，额满后进入候补名单。",
            **teacher,
        )
        # The office's own course.
        teacher = {"capacity": 40, "instructor": "省外办培训中心"}
        session(
            "of-0",
            "OF-01",
            -400,
            9,
            6,
            _Seat(user=officer2, by="self"),
            _Seat(user=leader, by="self"),
            _Seat(user=manager, by="self", outcome="absent"),
            **teacher,
        )
        session(
            "of-1",
            "OF-01",
            -100,
            9,
            6,
            _Seat(user=officer, by="self"),
            _Seat(user=manager, by="self"),
            **teacher,
        )
        session(
            "of-next", "OF-01", 20, 9, 6, _Seat(user=officer2, by="self", days_before=22, **coming), **teacher
        )
        if self.year:  # the year's organisations send people to the zone's policies and to protocol
            others = [p for p in self.people.values() if p.organization.uscc not in (DEMO_USCC, LUOYANG_USCC)]
            for key, count in (("ftz-1", 6), ("pr-1", 4), ("ftz-next", 5)):
                spec = self.sessions[key]
                for person in self.rng.sample(others, min(count, len(others))):
                    if timezone.localdate(person.created_at) < spec.day - timedelta(days=20):
                        outcome = "" if spec.day > self.today else "attend"
                        days = self.rng.choice([5, 8, 11]) + (20 if spec.day > self.today else 0)
                        spec.seats.append(_Seat(person, days_before=days, outcome=outcome))

    # Planning one session's steps ---------------------------------------------------------------------------

    def _plan_session(self, spec: _Session) -> None:
        key = spec.key
        self.add(spec.scheduled, partial(self._schedule, spec), thread=key, label=f"schedule {key}")
        self.created += 1
        # Enrolments: each self-enrolment alone; a liaison's colleagues of one day in one action.
        groups: dict[tuple, list[_Seat]] = {}
        for index, seat in enumerate(spec.seats):
            by_self = seat.by == "self" or seat.user is not None
            hour = 8.5 + (index % 10) * 0.9 if by_self else 10 + (seat.person.organization_id % 6) * 0.75
            when = self._enrol_moment(spec, seat, hour, index)
            if by_self:
                self.add(when, partial(self._enrol_self, key, seat), thread=key, label=f"{key} enrol")
            else:
                groups.setdefault((when, seat.person.organization_id), []).append(seat)
        for (when, _organization), seats in groups.items():
            self.add(when, partial(self._enrol_group, key, seats), thread=key, label=f"{key} enrol group")
        for seat in spec.seats:
            if seat.outcome == "cancel":
                when = self.latest(self.at(self.workday(spec.deadline.date() - timedelta(days=4)), 11))
                self.add(when, partial(self._cancel, key, seat), thread=key, label=f"{key} cancel")
        if spec.cancel:
            when = self.at(spec.day, 8)
            self.add(when, partial(self._call_off, key, spec.cancel), thread=key, label=f"{key} called off")
            return
        if spec.day >= self.today:
            return
        has_test = next(c for c in COURSES if c["code"] == spec.course)["pass_mark"] is not None
        attending = [seat for seat in spec.seats if seat.outcome in ("attend", "revoke")]
        absent = [seat for seat in spec.seats if seat.outcome == "absent"]
        if spec.online:  # the officer marks attendance from the meeting platform's list after the session
            when = spec.ends + timedelta(minutes=25)
            self.add(when, partial(self._online, key, attending, absent), thread=key, label=f"{key} record")
        else:  # those with an account check in with the venue's code; the officer ticks the others
            scanned = [s for s in attending if has_test and s.person and s.person.pk in self.accounts]
            for index, seat in enumerate(scanned):
                when = spec.starts - timedelta(minutes=12) + timedelta(minutes=3 * index)
                self.add(when, partial(self._check_in, key, seat), thread=key, label=f"{key} QR")
            ticked = [s for s in attending if s not in scanned]
            if ticked or absent:
                when = spec.starts + timedelta(minutes=20)
                self.add(
                    when, partial(self._register, key, ticked, absent), thread=key, label=f"{key} register"
                )
        if has_test:
            for index, seat in enumerate(attending):
                for attempt, right in enumerate(seat.scores):
                    when = spec.ends + timedelta(minutes=50 + 9 * index + 25 * attempt)
                    self.add(when, partial(self._attempt, key, seat, right), thread=key, label=f"{key} test")
        for seat in spec.seats:
            if seat.outcome == "revoke":
                when = self.at(self.workday(spec.day + timedelta(days=3)), 15.5)
                self.add(when, partial(self._revoke, key, seat), thread=key, label=f"{key} revoke")

    def _enrol_moment(self, spec: _Session, seat: _Seat, hour: float, index: int) -> datetime:
        """`seat.days_before` the session on a working day at `hour` — once the session is scheduled and the
        trainee in the portal (with their e-mail, to enrol themself), before the deadline, and before now."""
        day = timezone.localtime(spec.starts - timedelta(days=seat.days_before)).date()
        when = self.at(self.workday(day, forward=False), hour)
        earliest = spec.scheduled + timedelta(hours=1, minutes=index)
        if seat.person is not None:
            earliest = max(
                earliest, self.ready.get(seat.person.pk, seat.person.created_at) + timedelta(hours=1)
            )
        when = max(when, earliest)
        if when >= spec.deadline:
            when = max(earliest, spec.deadline - timedelta(hours=3, minutes=index))
        return self.latest(when)

    def _plan_reminders(self) -> None:
        """The beat's job at nine the day before each session (those starting tomorrow are reminded)."""
        days = {spec.day - timedelta(days=1) for spec in self.sessions.values()}
        for day in sorted(days):
            moment = self.at(day, 9)
            if moment < self.now:
                self.add(moment, services.send_reminders, label="reminders")

    # Playing --------------------------------------------------------------------------------------------

    def play(self) -> int:
        with _Clock() as clock:
            timeline = Timeline(clock)
            for moment, action, thread, label in self.steps:
                timeline.add(moment, action, thread=thread, label=label)
            timeline.run()
            self.failures = timeline.failures
        return self.created

    # Steps ------------------------------------------------------------------------------------------------

    def _course(self, spec: dict) -> None:
        self.courses[spec["code"]] = services.course_save(course=Course(**spec), actor=self.officer)

    def _assessment(self) -> None:
        course = self.courses["PD-01"]
        for number, ((text_zh, text_en), answers) in enumerate(QUESTIONS, start=1):
            # The right answer (the first given) is not always the first one shown.
            order = [(0, 1, 2), (1, 0, 2), (2, 1, 0), (1, 2, 0), (0, 2, 1)][number - 1]
            question_save(
                question=Question(course=course, position=number, text_zh=text_zh, text_en=text_en),
                actor=self.officer,
                choices=[
                    {"text_zh": answers[i][0], "text_en": answers[i][1], "is_correct": i == 0} for i in order
                ],
            )

    def _handbook(self) -> None:
        material_add(
            course=self.courses["PD-01"],
            actor=self.officer,
            kind="handbook",
            uploaded_file=ContentFile(render_pdf(HANDBOOK), name="出国（境）人员行前教育手册.pdf"),
        )

    def _email(self, person: Person, actor: User, email: str) -> None:
        if not person.email:
            person_update(person=person, actor=actor, data={"email": email})

    def _schedule(self, spec: _Session) -> None:
        course = self.courses[spec.course]
        number = len(self.made)
        self.made[spec.key] = services.session_create(
            actor=self.officer,
            course=course,
            starts_at=spec.starts,
            ends_at=spec.ends,
            mode=Mode.ONLINE if spec.online else Mode.IN_PERSON,
            venue=spec.venue,
            online_url=MEETING.format(8_140_000_000 + number * 7_919) if spec.online else "",
            capacity=spec.capacity,
            instructor=spec.instructor,
            language=spec.language,
            enrolment_deadline=spec.deadline,
            notes=spec.notes,
        )

    def _trainee_key(self, seat: _Seat) -> tuple:
        return ("person", seat.person.pk) if seat.person is not None else ("user", seat.user.pk)

    def _enrolment(self, key: str, seat: _Seat) -> Enrolment:
        return self.enrolments[(key, *self._trainee_key(seat))]

    def _enrol_self(self, key: str, seat: _Seat) -> None:
        if seat.user is not None:
            enrolment = services.enrol_self(session=self.made[key], actor=seat.user)
        else:
            enrolment = services.enrol_self(session=self.made[key], actor=self.accounts[seat.person.pk])
        self.enrolments[(key, *self._trainee_key(seat))] = enrolment

    def _enrol_group(self, key: str, seats: list[_Seat]) -> None:
        liaison = self.liaisons.get(seats[0].person.organization_id) or self.officer
        outcome = services.enrol_people(
            session=self.made[key], actor=liaison, people=[seat.person for seat in seats]
        )
        for enrolment in [*outcome.enrolled, *outcome.waiting]:
            self.enrolments[(key, "person", enrolment.person_id)] = enrolment

    def _cancel(self, key: str, seat: _Seat) -> None:
        enrolment = self._enrolment(key, seat)
        actor = self.liaisons.get(enrolment.organization_id) if enrolment.organization_id else seat.user
        services.enrolment_cancel(enrolment=enrolment, actor=actor, comment="出差时间冲突，改报下期。")

    def _call_off(self, key: str, reason: str) -> None:
        services.session_cancel(session=self.made[key], actor=self.officer, comment=reason)

    def _check_in(self, key: str, seat: _Seat) -> None:
        session = self.made[key]
        services.check_in(
            session=session, actor=self.accounts[seat.person.pk], code=services.code_for(session)
        )

    def _register(self, key: str, attended: list[_Seat], absent: list[_Seat]) -> None:
        """The officer ticks the register: those present who did not check in with the code, and the absent.
        The office's own course is ticked by the other officer when the first one takes it."""
        spec = self.sessions[key]
        actor = (
            self.users["officer2"] if any(seat.user == self.officer for seat in spec.seats) else self.officer
        )
        services.mark_many(
            session=self.made[key],
            actor=actor,
            attended_ids=[self._enrolment(key, seat).pk for seat in attended],
            absent_ids=[self._enrolment(key, seat).pk for seat in absent],
        )

    def _online(self, key: str, attended: list[_Seat], absent: list[_Seat]) -> None:
        """The meeting platform's list of participants, pasted by the officer: name and e-mail, or name and
        organisation, one a line (someone of the office who looked after the meeting matches nobody)."""
        lines = []
        for seat in attended:
            person = seat.person
            if person.pk in self.accounts:
                lines.append(f"{person.full_name} <{self.accounts[person.pk].email}>")
            else:
                lines.append(f"{person.full_name}, {person.organization.name_zh}")
        lines.append("省外办会议保障")
        session = self.made[key]
        services.online_record(session=session, actor=self.officer, text="\n".join(lines))
        if absent:
            ids = [self._enrolment(key, seat).pk for seat in absent]
            services.mark_many(session=session, actor=self.officer, attended_ids=[], absent_ids=ids)

    def _attempt(self, key: str, seat: _Seat, right: int) -> None:
        enrolment = Enrolment.objects.get(pk=self._enrolment(key, seat).pk)
        if enrolment.state != "attended":
            return  # passed or failed already
        answers = {}
        for index, question in enumerate(self.courses["PD-01"].questions.prefetch_related("choices")):
            choices = list(question.choices.all())
            wanted = index < right
            answers[str(question.pk)] = next(c for c in choices if c.is_correct == wanted).pk
        services.assessment_submit(enrolment=enrolment, actor=self.accounts[seat.person.pk], answers=answers)

    def _revoke(self, key: str, seat: _Seat) -> None:
        enrolment = self._enrolment(key, seat)
        certificate = Certificate.objects.get(enrolment=enrolment)
        services.certificate_revoke(
            certificate=certificate,
            actor=self.officer,
            reason="经核实，本人未参加该期培训，系同事代为签到，证书予以撤销。",
        )
