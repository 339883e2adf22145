"""Demo overseas safety (seed_demo), made through the services on the days it happened.

The registry (both sizes): the demo enterprises register their sites abroad — a representative office in
Lagos and a branch in Jakarta (郑州示范贸易), a project in Karachi, a service centre in Almaty and a
project in Minas Gerais (洛阳示范装备), an office in Berlin (开封示范文旅) — and the staff stationed there.
The office keeps a duty roster (刘洋, the `officer` account, on duty today; 孙悦, `officer2`, deputy) and
two emergency plans (境外安全事件应急预案 for security incidents of levels I–II, 自然灾害应急预案 for
disasters of level III and graver).

The story (both sizes), one incident in every state: a level II explosion near the Karachi camp reported
two hours ago, not acknowledged in time and escalated to the leaders; a Jakarta employee in hospital with
dengue fever, reported half an hour ago; a robbery in Lagos yesterday, acknowledged — the duplicate report
the office took by phone merged into it; a landslide cutting the road to the Minas Gerais project three
days ago, the response under way with the disaster plan half done; an armed robbery of two Lagos staff
a fortnight ago, every step of the security plan done and resolved; a traffic accident in Almaty five
weeks ago, closed. And a safety alert about the elections in Nigeria, sent yesterday: one answer in, the
others awaited.

The year (`seed_demo --size year`): the other enterprises' sites and staff (Hamburg, Kaduna, Mato
Grosso, Lagos, Bekasi, Stuttgart, Lahore, Almaty) and about thirty incidents over the last thirteen months,
acknowledged (a few late, escalated), handled, resolved and closed, with a few duplicate reports merged:
what the managers' figures by month, kind, level and country and the times to acknowledge and to resolve
are made of.

Nothing is made today and moved back: as in approvals.demo, each step is played on a DemoClock
(foreign_affairs.demo_clock) at its moment, through the services (overseas_safety.services.*), so the
audit chain, the timelines, the notifications and the deadlines are true.
"""

import random
import zlib
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts import services as accounts_services
from foreign_affairs.accounts.models import Gender, Membership, Organization, PassportType, Person, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.demo_clock import DemoClock, Timeline

from .models import ChecklistStep, EmergencyPlan, Incident, PlanStep, SafetyAlert, Site
from .services import alerts as alert_services
from .services import duty as duty_services
from .services import incidents as incident_services
from .services import plans as plan_services
from .services import sites as site_services
from .workflow import GRAVE_LEVELS, IncidentKind, Level, PersonStatus, SiteKind

DEMO_USCC, LUOYANG_USCC, KAIFENG_USCC = (
    accounts_demo.DEMO_USCC,
    accounts_demo.LUOYANG_USCC,
    accounts_demo.KAIFENG_USCC,
)
_EXTRA = {extra["username"]: extra["uscc"] for extra in accounts_demo.EXTRA_ORGANIZATIONS}
M, F = Gender.MALE, Gender.FEMALE
# The office's second duty officer (the demo has one officer account; a roster needs a deputy).
DEPUTY = ("officer2", "孙", "悦")

# Sites: key, organisation, name, kind, country, city, address, Chinese staff, local security contact,
# security officer, their phone, 24-hour phone, years open; then the staff stationed there:
# (name, pinyin, gender, born, position, post, phone).
# fmt: off
SITES = [
    ("lagos", DEMO_USCC, "郑州示范贸易有限公司拉各斯代表处", SiteKind.OFFICE, "NG", "拉各斯",
     "尼日利亚拉各斯州维多利亚岛阿德奥拉·奥德库街 15 号", 6,
     "维多利亚岛警察分局 +234 1 463 0110；安保公司 Halogen +234 1 270 3000", "赵建国", "+234 803 555 0101",
     "+234 803 555 0199", 5,
     [("赵建国", "ZHAO JIANGUO", M, date(1978, 4, 2), "首席代表", "首席代表", "+234 803 555 0101"),
      ("钱小波", "QIAN XIAOBO", M, date(1989, 9, 14), "业务经理", "业务经理", "+234 803 555 0102"),
      ("许雯", "XU WEN", F, date(1992, 2, 8), "行政主管", "行政兼翻译", "+234 803 555 0103")]),
    ("jakarta", DEMO_USCC, "郑州示范贸易有限公司雅加达分公司", SiteKind.BRANCH, "ID", "雅加达",
     "印度尼西亚雅加达南区苏迪尔曼大街 52 号 18 层", 4,
     "雅加达南区警察局 +62 21 720 6011", "黄志明", "+62 812 5550 2201", "+62 812 5550 2299", 3,
     [("黄志明", "HUANG ZHIMING", M, date(1981, 6, 19), "分公司经理", "分公司经理", "+62 812 5550 2201"),
      ("吕佳", "LYU JIA", F, date(1990, 12, 3), "财务主管", "财务主管", "+62 812 5550 2202")]),
    ("karachi", LUOYANG_USCC, "卡拉奇港口起重设备安装项目部", SiteKind.PROJECT, "PK", "卡拉奇",
     "巴基斯坦信德省卡拉奇卡西姆港 3 号泊位作业区", 28,
     "卡西姆港警察局 +92 21 3472 0015；中国驻卡拉奇总领馆领保电话 +92 21 3587 4168", "孔德明", "+92 300 555 3301",
     "+92 300 555 3399", 2,
     [("孔德明", "KONG DEMING", M, date(1975, 8, 11), "项目经理", "项目经理", "+92 300 555 3301"),
      ("高峰", "GAO FENG", M, date(1986, 3, 27), "安装工程师", "安装工程师", "+92 300 555 3302"),
      ("韩冰", "HAN BING", F, date(1994, 7, 5), "翻译", "乌尔都语翻译", "+92 300 555 3303")]),
    ("almaty", LUOYANG_USCC, "洛阳示范装备阿拉木图售后服务中心", SiteKind.BRANCH, "KZ", "阿拉木图",
     "哈萨克斯坦阿拉木图市阿里法拉比大街 77/8 号", 5,
     "阿拉木图布斯坦德克区警察局 +7 727 254 4102", "蒋立新", "+7 701 555 4401", "+7 701 555 4499", 4,
     [("蒋立新", "JIANG LIXIN", M, date(1979, 1, 30), "服务中心主任", "服务中心主任", "+7 701 555 4401"),
      ("曹宇", "CAO YU", M, date(1991, 10, 16), "维修工程师", "维修工程师", "+7 701 555 4402")]),
    ("minas", LUOYANG_USCC, "米纳斯吉拉斯选矿设备项目部", SiteKind.PROJECT, "BR", "贝洛奥里藏特",
     "巴西米纳斯吉拉斯州贝洛奥里藏特 BR-040 公路 512 公里处工业区", 14,
     "米纳斯吉拉斯州军警第 1 营 +55 31 2123 9500", "邵振华", "+55 31 9555 5501", "+55 31 9555 5599", 1,
     [("邵振华", "SHAO ZHENHUA", M, date(1977, 5, 22), "项目经理", "项目经理", "+55 31 9555 5501"),
      ("杜晓峰", "DU XIAOFENG", M, date(1988, 11, 9), "电气工程师", "电气工程师", "+55 31 9555 5502"),
      ("安然", "AN RAN", F, date(1993, 4, 15), "葡语翻译", "葡语翻译", "+55 31 9555 5503")]),
    ("berlin", KAIFENG_USCC, "开封示范文化旅游有限公司柏林代表处", SiteKind.OFFICE, "DE", "柏林",
     "德国柏林市米特区弗里德里希大街 95 号", 3,
     "柏林米特区警察局 +49 30 4664 310700", "林晓", "+49 151 5550 6601", "+49 151 5550 6699", 2,
     [("林晓", "LIN XIAO", F, date(1985, 9, 1), "首席代表", "首席代表", "+49 151 5550 6601"),
      ("白雪", "BAI XUE", F, date(1995, 3, 12), "文旅推广专员", "推广专员", "+49 151 5550 6602")]),
]
YEAR_SITES = [
    ("hamburg", _EXTRA["zylogistics"], "中原国际物流汉堡集结中心", SiteKind.BRANCH, "DE", "汉堡",
     "德国汉堡市威廉斯堡区港口物流园 12 号仓", 7,
     "汉堡港警察局 +49 40 4286 50", "章磊", "+49 160 5550 7701", "+49 160 5550 7799", 3,
     [("林海", "LIN HAI", M, date(1983, 2, 14), "集结中心经理", "集结中心经理", "+49 160 5550 7701"),
      ("叶青", "YE QING", F, date(1991, 8, 30), "关务主管", "关务主管", "+49 160 5550 7702")]),
    ("khorgos", _EXTRA["zylogistics"], "中原国际物流阿拉木图物流园项目部", SiteKind.PROJECT, "KZ", "阿拉木图",
     "哈萨克斯坦阿拉木图州伊犁区物流园区 2 号地块", 16,
     "伊犁区警察局 +7 727 522 1102", "崔浩", "+7 702 555 7801", "+7 702 555 7899", 2,
     [("戴勇", "DAI YONG", M, date(1980, 6, 6), "项目经理", "项目经理", "+7 702 555 7801"),
      ("胡斌", "HU BIN", M, date(1987, 1, 21), "施工员", "施工员", "+7 702 555 7802")]),
    ("kaduna", _EXTRA["hhagri"], "黄河农业卡杜纳农业示范园", SiteKind.PROJECT, "NG", "卡杜纳",
     "尼日利亚卡杜纳州卡杜纳市南郊农业示范园区", 11,
     "卡杜纳州警察总部 +234 62 240 101", "毛振宇", "+234 805 555 8801", "+234 805 555 8899", 4,
     [("孙立军", "SUN LIJUN", M, date(1976, 12, 12), "示范园主任", "示范园主任", "+234 805 555 8801"),
      ("易文", "YI WEN", M, date(1990, 5, 18), "农艺师", "农艺师", "+234 805 555 8802")]),
    ("matogrosso", _EXTRA["hhagri"], "黄河农业马托格罗索大豆合作项目部", SiteKind.PROJECT, "BR", "库亚巴",
     "巴西马托格罗索州库亚巴市 BR-364 公路农业园区", 6,
     "马托格罗索州军警 +55 65 3613 8500", "蔡文", "+55 65 9555 8901", "+55 65 9555 8999", 2,
     [("郭振", "GUO ZHEN", M, date(1982, 7, 7), "项目经理", "项目经理", "+55 65 9555 8901"),
      ("卢敏", "LU MIN", F, date(1993, 9, 25), "葡语翻译", "葡语翻译", "+55 65 9555 8902")]),
    ("ikeja", _EXTRA["ruifa"], "瑞发发制品拉各斯工厂", SiteKind.BRANCH, "NG", "拉各斯",
     "尼日利亚拉各斯州伊凯贾工业区 7 号", 9,
     "伊凯贾警察分局 +234 1 493 0170", "任杰", "+234 806 555 9901", "+234 806 555 9999", 6,
     [("宋志刚", "SONG ZHIGANG", M, date(1979, 10, 4), "厂长", "厂长", "+234 806 555 9901"),
      ("彭丽", "PENG LI", F, date(1988, 4, 9), "生产主管", "生产主管", "+234 806 555 9902")]),
    ("bekasi", _EXTRA["zhilian"], "智联终端勿加泗组装厂", SiteKind.BRANCH, "ID", "勿加泗",
     "印度尼西亚西爪哇省勿加泗县吉卡朗工业区 M2 号", 8,
     "吉卡朗警察分局 +62 21 893 2110", "姚静", "+62 813 5550 1101", "+62 813 5550 1199", 2,
     [("陈旭", "CHEN XU", M, date(1984, 3, 3), "厂长", "厂长", "+62 813 5550 1101"),
      ("梁晓燕", "LIANG XIAOYAN", F, date(1992, 11, 20), "品质主管", "品质主管", "+62 813 5550 1102")]),
    ("stuttgart", _EXTRA["jinggong"], "精工机器人斯图加特欧洲技术服务中心", SiteKind.OFFICE, "DE", "斯图加特",
     "德国斯图加特市费尔巴赫工业区卡尔-本茨大街 21 号", 4,
     "斯图加特警察局 +49 711 8990 0", "侯亮", "+49 152 5550 1201", "+49 152 5550 1299", 3,
     [("魏东", "WEI DONG", M, date(1983, 8, 16), "技术服务经理", "技术服务经理", "+49 152 5550 1201")]),
    ("lahore", _EXTRA["yiluo"], "伊洛新材料拉合尔项目部", SiteKind.PROJECT, "PK", "拉合尔",
     "巴基斯坦旁遮普省拉合尔市孙达尔工业园区 B-17 号", 12,
     "孙达尔警察局 +92 42 3529 0015", "潘宇", "+92 301 555 1301", "+92 301 555 1399", 1,
     [("周涛", "ZHOU TAO", M, date(1981, 5, 9), "项目经理", "项目经理", "+92 301 555 1301"),
      ("马丽", "MA LI", F, date(1990, 7, 27), "技术员", "技术员", "+92 301 555 1302")]),
]
# fmt: on

PLANS = [
    {
        "title": "境外安全事件应急预案",
        "kind": IncidentKind.SECURITY,
        "max_level": Level.II,
        "summary": "适用于境外恐怖袭击、武装抢劫、绑架、社会动乱等造成或可能造成我省人员伤亡的Ⅰ、Ⅱ级安全事件。",
        "steps": [
            ("核实事件情况，确认涉事人员身份、人数及伤亡情况", "值班员", "企业境外安全负责人"),
            (
                "报告带班领导，并按程序报告省政府总值班室和外交部全球领事保护与服务应急呼叫中心",
                "值班员",
                "外交部领保热线 +86 10 12308",
            ),
            ("联系中国驻当地使领馆，请求协调当地警方和医疗救助", "值班员", "驻当地使领馆领保电话"),
            ("指导企业启动现场应急处置，组织人员转移至安全地点，清点人数", "企业境外安全负责人", ""),
            ("通知涉事人员家属并做好安抚工作", "企业外事联络员", ""),
            ("每日汇总进展，直至人员安全、事件平息", "值班员", ""),
            ("事件结束后形成书面报告，总结经验教训", "值班员", ""),
        ],
    },
    {
        "title": "自然灾害应急预案",
        "kind": IncidentKind.DISASTER,
        "max_level": Level.III,
        "summary": "适用于境外地震、洪水、山体滑坡、台风等自然灾害影响我省企业人员和项目安全的Ⅲ级以上事件。",
        "steps": [
            ("与企业现场负责人取得联系，确认全部人员位置和安全状况", "值班员", "企业境外安全负责人"),
            ("指导现场停工避险，人员撤离至安全地带", "企业境外安全负责人", ""),
            ("报告带班领导，视情通报驻当地使领馆", "值班员", "驻当地使领馆领保电话"),
            ("协调保障饮用水、食品、药品等基本生活物资", "企业外事联络员", ""),
            ("评估灾情对项目的影响，确定复工条件", "企业境外安全负责人", ""),
            ("灾情解除后报告处置结果", "值班员", ""),
        ],
    },
]

# The year's incidents: kind, levels to choose from, title (with {city} and {short}), description.
YEAR_TEMPLATES = [
    (
        IncidentKind.SECURITY,
        (Level.III, Level.IV),
        "{short}员工外出途中遭抢劫",
        "员工下班乘车途中遭两名持刀歹徒拦截，手机、现金被抢，人员无大碍，已向当地警方报案。",
    ),
    (
        IncidentKind.SECURITY,
        (Level.IV,),
        "{short}营地夜间遭盗窃",
        "营地仓库夜间被撬，部分工具和电缆被盗，无人员受伤，已报警并加强夜间巡逻。",
    ),
    (
        IncidentKind.SECURITY,
        (Level.II, Level.III),
        "{city}发生骚乱，{short}临时停工",
        "当地爆发抗议活动并出现打砸，项目部临时停工，人员集中在营地内，暂无伤亡。",
    ),
    (
        IncidentKind.ACCIDENT,
        (Level.II, Level.III),
        "{short}施工现场发生高处坠落事故",
        "一名中方员工在设备吊装作业中从约四米高处坠落，送当地医院救治。",
    ),
    (
        IncidentKind.ACCIDENT,
        (Level.III, Level.IV),
        "{short}员工乘车途中发生交通事故",
        "员工乘坐的车辆与当地货车相撞，一人轻伤，已就医，事故由当地警方处理。",
    ),
    (
        IncidentKind.HEALTH,
        (Level.IV,),
        "{short}员工感染疟疾住院治疗",
        "一名员工持续高烧，经当地医院确诊为疟疾，已住院治疗，病情稳定。",
    ),
    (
        IncidentKind.HEALTH,
        (Level.III,),
        "{short}多名员工出现食物中毒症状",
        "营地食堂晚餐后多名员工出现腹痛、呕吐症状，已送医，食堂暂停供餐。",
    ),
    (
        IncidentKind.DISASTER,
        (Level.II, Level.III),
        "{city}暴雨引发洪水，{short}停工避险",
        "连续强降雨导致营地周边道路被淹，项目部停工，人员转移至高处安置点。",
    ),
    (
        IncidentKind.DETENTION,
        (Level.III,),
        "{short}员工因签证问题被当地移民部门扣留",
        "一名员工在例行检查中被认为签证类别不符被带走问询，企业已联系律师和使领馆。",
    ),
    (
        IncidentKind.LABOUR,
        (Level.III, Level.IV),
        "{short}当地雇员聚集要求加薪",
        "约三十名当地雇员在项目部门口聚集，要求提高工资，未发生冲突，企业正在协商。",
    ),
    (
        IncidentKind.OTHER,
        (Level.IV,),
        "{short}员工护照遗失",
        "员工在外出途中遗失护照，已向当地警方报失并联系使领馆申请旅行证。",
    ),
]
SHORT = {
    SiteKind.PROJECT: "项目部",
    SiteKind.BRANCH: "分公司",
    SiteKind.OFFICE: "代表处",
    SiteKind.OTHER: "驻地",
}
NOTES = [
    "已与现场负责人电话联系，人员情况已核实。",
    "已联系中国驻当地使领馆领事保护部门，请其关注。",
    "企业已安排专人陪同就医，并每日报告情况。",
    "已向带班领导报告处置进展。",
    "当地警方已立案调查，企业加强了营地安保。",
]
RESOLVE_COMMENTS = [
    "人员均已安全，现场恢复正常。",
    "伤员已出院，企业已完成善后工作。",
    "事件已平息，企业落实了整改措施。",
]


def seed() -> int:
    """The area's demo records, once: returns the number of incidents created."""
    if Site.objects.filter(organization__uscc=DEMO_USCC).exists():
        return 0
    demo = SafetyDemo(year=accounts_demo.size() == accounts_demo.YEAR)
    demo.plan()
    return demo.play()


class SafetyDemo:
    def __init__(self, *, year: bool):
        self.year = year
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rng = random.Random(20263)
        self.officer = User.objects.get(username="officer")
        self.leader = User.objects.get(username="leader")
        self.admin = User.objects.get(username="admin")
        # The registry and the roster start when the office opened it to the enterprises; the roster's
        # rotation (刘洋, 孙悦, …) puts 刘洋 on duty today.
        start = self.today - timedelta(days=420 if year else 60)
        if (self.today - start).days % 2:
            start -= timedelta(days=1)
        self.start = start
        self.steps: list[tuple[datetime, object, object, str]] = []  # (moment, action, thread, label)
        self.incidents: dict[str, Incident] = {}
        self.sites: dict[str, Site] = {}
        self.people: dict[str, dict[str, Person]] = {}  # site key → {name: Person}
        self.reported_at: dict[str, datetime] = {}
        self.site_of: dict[str, str] = {}  # incident key → site key
        self.failures: list[str] = []
        self.created = 0

    # Time -----------------------------------------------------------------------------------------------

    def at(self, day: date, hour: float) -> datetime:
        minutes = int(hour * 60)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def ago(self, **delta) -> datetime:
        return self.now - timedelta(**delta)

    def add(self, moment: datetime, action, *, thread=None, label: str = "") -> None:
        self.steps.append((moment, action, thread, label))

    # Planning -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        self._plan_office()
        self._plan_registry()
        self._plan_story()
        if self.year:
            self._plan_year()

    def _plan_office(self) -> None:
        self.add(self.at(self.start - timedelta(days=3), 9), self._deputy, label="deputy account")
        self.add(self.at(self.start - timedelta(days=2), 10), self._plans, label="emergency plans")
        # The roster, a quarter at a time, a few days ahead, until a month from today.
        first, last = self.start, self.today + timedelta(days=30)
        while first <= last:
            end = min(first + timedelta(days=duty_services.ROSTER_FILL_MAX_DAYS - 1), last)
            self.add(
                self.at(first - timedelta(days=1), 16), partial(self._roster, first, end), label="roster"
            )
            first = end + timedelta(days=1)

    def _plan_registry(self) -> None:
        sites = [*SITES, *(YEAR_SITES if self.year else [])]
        for index, row in enumerate(sites):
            key = row[0]
            moment = self.at(self.start + timedelta(days=1 + index % 5), 10 + index % 6)
            self.add(moment, partial(self._site, row), thread=f"site:{key}", label=f"site {key}")

    def _plan_story(self) -> None:
        # Closed: a traffic accident in Almaty five weeks ago.
        occurred = self.ago(days=38, hours=3)
        self._incident(
            "almaty_accident",
            "almaty",
            occurred=occurred,
            reported=occurred + timedelta(minutes=40),
            kind=IncidentKind.ACCIDENT,
            level=Level.IV,
            title="阿拉木图售后服务中心工程车辆发生交通事故",
            description="服务中心工程车在前往客户现场途中与当地小客车相撞，维修工程师曹宇左臂擦伤，"
            "已送阿拉木图市第一医院处理，车辆受损。当地交警已到场。",
            people={"曹宇": PersonStatus.INJURED, "蒋立新": PersonStatus.SAFE},
            ack_after=timedelta(hours=1, minutes=5),
            respond_after=timedelta(minutes=20),
            notes=[(timedelta(hours=3), "已与蒋立新主任通话，伤员伤情轻微，已包扎后返回驻地。")],
            statuses=[(timedelta(days=1), "曹宇", PersonStatus.SAFE, "复查无碍，已恢复工作")],
            resolve_after=timedelta(days=2, hours=4),
            resolve_comment="伤员已恢复工作，交通事故责任已由当地交警认定，保险理赔已启动。",
            close_after=timedelta(days=3),
        )
        # Resolved: two Lagos staff robbed at gunpoint a fortnight ago; the security plan, every step done.
        occurred = self.ago(days=16, hours=2)
        self._incident(
            "lagos_robbery",
            "lagos",
            occurred=occurred,
            reported=occurred + timedelta(minutes=25),
            kind=IncidentKind.SECURITY,
            level=Level.II,
            title="拉各斯代表处两名员工在前往机场途中遭持枪抢劫",
            description="赵建国、钱小波乘车前往穆尔塔拉·穆罕默德国际机场途中，在第三大陆桥附近遭三名持枪歹徒拦车抢劫，"
            "钱小波头部被枪托击伤，现金、手机、护照被抢。司机已驾车脱离，两人已到附近医院。",
            people={"赵建国": PersonStatus.SAFE, "钱小波": PersonStatus.INJURED},
            ack_after=timedelta(minutes=12),
            respond_after=timedelta(minutes=8),
            plan=0,
            ticks=[timedelta(minutes=15 + 50 * n) for n in range(7)],
            notes=[
                (timedelta(hours=1), "已联系中国驻拉各斯总领馆，总领馆已派员前往医院探望。"),
                (timedelta(days=1), "钱小波头部伤口已缝合，留院观察一天；护照已向总领馆申请补发旅行证。"),
            ],
            statuses=[(timedelta(days=2), "钱小波", PersonStatus.SAFE, "已出院")],
            resolve_after=timedelta(days=3),
            resolve_comment="两名员工均已安全，旅行证已补办，代表处更换了安保车辆并调整出行路线。",
        )
        # Responding: a landslide cutting the road to the Minas Gerais project; the disaster plan half done.
        occurred = self.ago(days=3, hours=5)
        self._incident(
            "minas_landslide",
            "minas",
            occurred=occurred,
            reported=occurred + timedelta(hours=1, minutes=40),
            kind=IncidentKind.DISASTER,
            level=Level.III,
            title="米纳斯吉拉斯州暴雨引发山体滑坡，项目部进出道路中断",
            description="连续三天暴雨引发山体滑坡，项目部营地通往 BR-040 公路的唯一道路被阻断，"
            "营地内 14 名中方人员均在，暂无伤亡，饮用水和食品可维持约五天。",
            people={"邵振华": PersonStatus.SAFE, "杜晓峰": PersonStatus.SAFE, "安然": PersonStatus.SAFE},
            ack_after=timedelta(minutes=50),
            respond_after=timedelta(minutes=30),
            plan=1,
            ticks=[timedelta(hours=1), timedelta(hours=2), timedelta(hours=6)],
            notes=[
                (timedelta(hours=4), "已通报中国驻里约热内卢总领馆；当地政府称道路预计一周内抢通。"),
                (timedelta(days=1, hours=2), "企业已联系直升机公司备用，营地物资充足。"),
            ],
        )
        # Acknowledged, and its duplicate merged: a Lagos employee robbed on the way home yesterday.
        occurred = self.ago(hours=27)
        self._incident(
            "lagos_phone",
            "lagos",
            occurred=occurred,
            reported=occurred + timedelta(minutes=30),
            kind=IncidentKind.SECURITY,
            level=Level.III,
            title="拉各斯代表处一名员工下班途中遭抢",
            description="许雯下班步行至停车场途中被两名骑摩托车男子抢走手提包，内有手机和少量现金，人员未受伤。",
            people={"许雯": PersonStatus.SAFE},
            ack_after=timedelta(minutes=25),
        )
        self._duplicate(
            "lagos_phone_call",
            "lagos_phone",
            after=timedelta(minutes=10),
            merge_after=timedelta(minutes=28),
            title="接拉各斯代表处电话：员工下班途中被抢",
            description="钱小波来电：同事许雯下班途中手提包被抢，人未受伤，已报警。",
            people={"许雯": PersonStatus.SAFE},
        )
        # Reported and escalated: an explosion near the Karachi camp, not acknowledged within 30 minutes.
        occurred = self.ago(hours=2, minutes=10)
        self._incident(
            "karachi_blast",
            "karachi",
            occurred=occurred,
            reported=occurred + timedelta(minutes=15),
            kind=IncidentKind.SECURITY,
            level=Level.II,
            title="卡拉奇项目部营地附近发生爆炸，一名中方员工受伤",
            description="当地时间上午营地东侧约三百米处的检查站发生爆炸，营地部分窗户震碎，安装工程师高峰被玻璃划伤，"
            "其余人员已集中到营地安全屋，当地安保已封锁现场。",
            people={"高峰": PersonStatus.INJURED, "孔德明": PersonStatus.SAFE, "韩冰": PersonStatus.UNKNOWN},
            escalate=True,
        )
        # Reported just now: a Jakarta employee in hospital with suspected dengue fever.
        self._incident(
            "jakarta_dengue",
            "jakarta",
            occurred=self.ago(hours=3),
            reported=self.ago(minutes=35),
            kind=IncidentKind.HEALTH,
            level=Level.IV,
            title="雅加达分公司一名员工高烧不退，疑似登革热住院",
            description="财务主管吕佳连续两天高烧，今日在雅加达 Siloam 医院检查血小板偏低，疑似登革热，已住院治疗。",
            people={"吕佳": PersonStatus.INJURED},
        )
        # The alert: the elections in Nigeria, sent yesterday; one answer so far.
        self.add(self.ago(hours=20), partial(_seed_alert, self), thread="alert", label="safety alert")
        self.add(self.ago(hours=19), _answer_first, thread="alert", label="safety alert answered")

    def _plan_year(self) -> None:
        rng = self.rng
        keys = [row[0] for row in [*SITES, *YEAR_SITES]]
        # After the registry opened, and before the story (the last 38 days), so that no report of the year
        # meets a report of the story as its duplicate.
        first, last = self.start + timedelta(days=15), self.today - timedelta(days=45)
        taken: dict[tuple, list[date]] = {}
        number = 0
        for _attempt in range(200):
            if number >= 32:
                break
            kind, levels, title, description = rng.choice(YEAR_TEMPLATES)
            key = rng.choice(keys)
            row = next(r for r in [*SITES, *YEAR_SITES] if r[0] == key)
            day = first + timedelta(days=rng.randint(0, (last - first).days))
            if any(abs((day - other).days) < 3 for other in taken.get((row[1], kind, row[4]), [])):
                continue
            taken.setdefault((row[1], kind, row[4]), []).append(day)
            number += 1
            level = rng.choice(levels)
            occurred = self.at(day, rng.uniform(6, 22))
            reported = occurred + timedelta(minutes=rng.randint(10, 90))
            late = level in GRAVE_LEVELS and rng.random() < 0.25
            if level in GRAVE_LEVELS:
                ack = timedelta(minutes=rng.randint(38, 80) if late else rng.randint(4, 26))
            else:
                ack = timedelta(minutes=rng.randint(20, 200))
            staff = [person[0] for person in row[13]]
            named = rng.sample(staff, k=min(len(staff), rng.choice([1, 1, 2])))
            harmed = {
                IncidentKind.ACCIDENT: PersonStatus.INJURED,
                IncidentKind.HEALTH: PersonStatus.INJURED,
                IncidentKind.DETENTION: PersonStatus.DETAINED,
            }.get(kind, PersonStatus.SAFE)
            people = {name: (harmed if index == 0 else PersonStatus.SAFE) for index, name in enumerate(named)}
            fits_plan = (kind == IncidentKind.SECURITY and level in GRAVE_LEVELS) or (
                kind == IncidentKind.DISASTER and level in (Level.I, Level.II, Level.III)
            )
            plan = (0 if kind == IncidentKind.SECURITY else 1) if fits_plan else None
            steps = len(PLANS[plan]["steps"]) if plan is not None else 0
            resolve = timedelta(hours=rng.choice([5, 9, 20, 30, 52, 75, 110, 160, 230]))
            incident_key = f"year{number}"
            self._incident(
                incident_key,
                key,
                occurred=occurred,
                reported=reported,
                kind=kind,
                level=level,
                title=title.format(city=row[5], short=f"{row[5]}{SHORT[row[3]]}"),
                description=description,
                people=people,
                ack_after=ack,
                escalate=late,
                respond_after=timedelta(minutes=rng.randint(5, 60)),
                plan=plan,
                ticks=[resolve * (n + 1) / (steps + 1) for n in range(steps)],
                notes=[(resolve / 3, rng.choice(NOTES))],
                statuses=[(resolve * 0.8, named[0], PersonStatus.SAFE, "")]
                if harmed != PersonStatus.SAFE
                else [],
                resolve_after=resolve,
                resolve_comment=rng.choice(RESOLVE_COMMENTS),
                close_after=timedelta(days=rng.randint(1, 6)) if rng.random() < 0.85 else None,
            )
            if number % 12 == 5:
                self._duplicate(
                    f"{incident_key}_call",
                    incident_key,
                    after=ack / 3,
                    merge_after=ack + timedelta(minutes=5),
                    title=f"来电：{title.format(city=row[5], short=f'{row[5]}{SHORT[row[3]]}')}",
                    description=f"企业值班人员来电报告：{description}",
                    people={named[0]: PersonStatus.UNKNOWN},
                )

    def _incident(
        self,
        key: str,
        site: str,
        *,
        occurred: datetime,
        reported: datetime,
        kind: str,
        level: str,
        title: str,
        description: str,
        people: dict,
        ack_after: timedelta | None = None,
        escalate: bool = False,
        respond_after: timedelta | None = None,
        plan: int | None = None,
        ticks=(),
        notes=(),
        statuses=(),
        resolve_after: timedelta | None = None,
        resolve_comment: str = "",
        close_after: timedelta | None = None,
    ) -> None:
        """The steps of one incident, from its report to wherever it has got by now (later steps are left:
        they have not happened yet)."""
        thread = f"incident:{key}"
        data = {
            "kind": kind,
            "level": level,
            "title": title,
            "description": description,
            "occurred_at": occurred,
        }
        self.reported_at[key] = reported
        self.add(reported, partial(self._report, key, site, data, people), thread=thread, label=key)
        if escalate:
            # The beat finds it a minute after its deadline (levels I–II: 30 minutes, day and night).
            grace = timedelta(minutes=settings.OVERSEAS_SAFETY_ACK_MINUTES_GRAVE + 1)
            self.add(reported + grace, incident_services.escalate_unacknowledged, label=f"{key} escalated")
            if ack_after is not None and ack_after <= grace:
                ack_after = grace + timedelta(minutes=4)
        if ack_after is None:
            return
        acknowledged = reported + ack_after
        self.add(acknowledged, partial(self._transition, key, "acknowledge"), thread=thread, label=key)
        for after, text in notes:
            self.add(acknowledged + after, partial(self._note, key, text), thread=thread, label=key)
        for after, name, status, note in statuses:
            self.add(acknowledged + after, partial(self._status, key, name, status, note), thread=thread)
        if respond_after is None:
            return
        responding = acknowledged + respond_after
        self.add(responding, partial(self._transition, key, "respond"), thread=thread, label=key)
        if plan is not None:
            self.add(responding + timedelta(minutes=3), partial(self._plan_attach, key, plan), thread=thread)
            for position, after in enumerate(ticks, start=1):
                moment = responding + timedelta(minutes=5) + after
                self.add(moment, partial(self._tick, key, position), thread=thread, label=key)
        if resolve_after is None:
            return
        resolved = responding + max(
            resolve_after, (ticks[-1] if ticks else timedelta()) + timedelta(minutes=10)
        )
        self.add(
            resolved, partial(self._transition, key, "resolve", resolve_comment), thread=thread, label=key
        )
        if close_after is not None:
            self.add(
                resolved + close_after, partial(self._transition, key, "close"), thread=thread, label=key
            )

    def _duplicate(self, key, original, *, after, merge_after, title, description, people) -> None:
        """A second report of `original`'s incident, taken by the duty officer from a call `after` the first
        was reported, and merged into it `merge_after` the first was reported."""
        thread, first = f"incident:{original}", self.reported_at[original]
        data = {"title": title, "description": description}
        self.add(
            first + after, partial(self._report_call, key, original, data, people), thread=thread, label=key
        )
        self.add(first + merge_after, partial(self._merge, key, original), thread=thread, label=key)

    # Playing --------------------------------------------------------------------------------------------

    def play(self) -> int:
        with DemoClock() as clock:
            timeline = Timeline(clock)
            for moment, action, thread, label in self.steps:
                timeline.add(moment, action, thread=thread, label=label)
            timeline.run()
            self.failures = timeline.failures
        return self.created

    # Steps ----------------------------------------------------------------------------------------------

    def _on_duty(self) -> User:
        return duty_services.duty_officer_on(timezone.localdate()) or self.officer

    def _deputy(self) -> None:
        username, family, given = DEPUTY
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": family,
                "first_name": given,
                "email": f"{username}@example.com",
                "is_staff": True,
                "password": make_password(settings.DEMO_PASSWORD),
            },
        )
        if created:
            user.groups.add(Group.objects.get(name=Role.OFFICER))
        self.deputy = User.objects.get(pk=user.pk)

    def _plans(self) -> None:
        for fields in PLANS:
            if EmergencyPlan.objects.filter(title=fields["title"]).exists():
                continue
            plan_services.plan_save(
                plan=EmergencyPlan(
                    title=fields["title"],
                    kind=fields["kind"],
                    max_level=fields["max_level"],
                    summary=fields["summary"],
                ),
                actor=self.officer,
                steps=[
                    PlanStep(text=text, responsible=responsible, contacts=contacts)
                    for text, responsible, contacts in fields["steps"]
                ],
            )

    def _roster(self, first: date, end: date) -> None:
        deputy = getattr(self, "deputy", None) or User.objects.get(username=DEPUTY[0])
        duty_services.roster_fill(
            start=first,
            end=end,
            officers=[self.officer, deputy],
            actor=self.officer,
            days=duty_services.RosterDays.EVERY,
        )

    def _keeper(self, organization: Organization) -> User:
        """Who registers the organisation's sites: its liaison, or the office when it has none."""
        membership = (
            Membership.objects.filter(organization=organization, is_liaison=True, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return membership.user if membership else self.officer

    def _reporter(self, organization: Organization) -> User:
        """Who reports the organisation's incidents: a member (the applicant first), else the duty officer
        from a call."""
        membership = (
            Membership.objects.filter(organization=organization, user__is_active=True)
            .select_related("user")
            .order_by("is_liaison", "pk")
            .first()
        )
        return membership.user if membership else self._on_duty()

    def _site(self, row) -> None:
        (key, uscc, name, kind, country, city, address, staff_count, contact, officer_name, officer_phone,
         emergency, years, staff) = row  # fmt: skip
        organization = Organization.objects.get(uscc=uscc)
        keeper = self._keeper(organization)
        today = timezone.localdate()
        opened = today - timedelta(days=365 * years + 40)
        site = site_services.site_create(
            actor=keeper,
            organization=organization,
            data={
                "name": name,
                "kind": kind,
                "country": country,
                "city": city,
                "address": address,
                "chinese_staff_count": staff_count,
                "local_security_contact": contact,
                "security_officer": officer_name,
                "security_officer_phone": officer_phone,
                "emergency_phone": emergency,
                "opened_on": opened,
            },
        )
        self.sites[key] = site
        people = self.people.setdefault(key, {})
        for index, (full_name, pinyin, gender, born, position, post, phone) in enumerate(staff):
            person = Person.objects.filter(organization=organization, full_name=full_name).first()
            if person is None:
                serial = 50000000 + zlib.crc32(full_name.encode()) % 40000000
                person = accounts_services.person_create(
                    organization=organization,
                    actor=self.admin,
                    full_name=full_name,
                    pinyin_name=pinyin,
                    gender=gender,
                    birth_date=born,
                    position=position,
                    passport_type=PassportType.ORDINARY,
                    passport_number=f"E{serial:08d}",
                    passport_expiry=today + timedelta(days=900 + 97 * index),
                    phone=phone,
                )
            people[full_name] = person
            site_services.stationing_create(
                actor=keeper,
                data={
                    "site": site,
                    "person": person,
                    "post": post,
                    "starts_on": max(opened, today - timedelta(days=300 + 150 * index)),
                },
            )

    def _person(self, site_key: str, name: str) -> Person:
        if name not in self.people.get(site_key, {}):
            site = self.sites[site_key]
            self.people.setdefault(site_key, {})[name] = Person.objects.get(
                organization_id=site.organization_id, full_name=name
            )
        return self.people[site_key][name]

    def _report(self, key, site_key, data, people) -> None:
        site = self.sites[site_key]
        organization = site.organization
        persons = {self._person(site_key, name): status for name, status in people.items()}
        actor = self._reporter(organization)
        self.incidents[key] = incident_services.incident_report(
            actor=actor,
            organization=organization,
            data={
                **data,
                "country": site.country.code,
                "city": site.city,
                "site": site,
                "reporter_name": site.security_officer,
                "reporter_phone": site.security_officer_phone,
                "people": [person.pk for person in persons],
                "statuses": {person.pk: status for person, status in persons.items()},
            },
        )
        self.site_of[key] = site_key
        self.created += 1

    def _report_call(self, key, original, data, people) -> None:
        first = self.incidents[original]
        site_key = self.site_of[original]
        persons = {self._person(site_key, name): status for name, status in people.items()}
        self.incidents[key] = incident_services.incident_report(
            actor=self._on_duty(),
            organization=first.organization,
            data={
                "title": data["title"],
                "description": data["description"],
                "kind": first.kind,
                "level": first.level,
                "country": first.country.code,
                "city": first.city,
                "occurred_at": first.occurred_at,
                "site": first.site_id,
                "reporter_name": next(iter(persons)).full_name if persons else "",
                "people": [person.pk for person in persons],
                "statuses": {person.pk: status for person, status in persons.items()},
                "allow_duplicate": True,
            },
        )
        self.site_of[key] = site_key
        self.created += 1

    def _transition(self, key, name, comment="") -> None:
        incident = self.incidents[key]
        actor = (
            incident.duty_officer if name != "acknowledge" and incident.duty_officer_id else self._on_duty()
        )
        self.incidents[key] = incident_services.incident_transition(
            incident=incident, actor=actor, name=name, comment=comment
        )

    def _merge(self, key, original) -> None:
        first = self.incidents[original]
        self.incidents[key] = incident_services.incident_transition(
            incident=self.incidents[key],
            actor=first.duty_officer or self._on_duty(),
            name="merge",
            comment=f"与 {first.reference} 为同一事件，合并处理。",
            merged_into=first,
        )

    def _note(self, key, text) -> None:
        incident = self.incidents[key]
        incident_services.timeline_add(
            incident=incident, actor=incident.duty_officer or self.officer, text=text
        )

    def _status(self, key, name, status, note="") -> None:
        incident = self.incidents[key]
        incident_services.person_set(
            incident=incident,
            actor=incident.duty_officer or self.officer,
            person=self._person(self.site_of[key], name),
            status=status,
            note=note,
        )

    def _plan_attach(self, key, index) -> None:
        incident = self.incidents[key]
        plan = EmergencyPlan.objects.get(title=PLANS[index]["title"])
        plan_services.plan_attach(incident=incident, actor=incident.duty_officer or self.officer, plan=plan)

    def _tick(self, key, position) -> None:
        incident = self.incidents[key]
        step = ChecklistStep.objects.select_related("incident").get(incident=incident, position=position)
        plan_services.step_tick(step=step, actor=incident.duty_officer or self.officer)


def _seed_alert(demo: SafetyDemo) -> None:
    """The safety alert about the elections in Nigeria: prepared and sent by the duty officer, delivered to
    everyone of ours there (the fan-out runs as the worker would, on the demo clock), one person answering
    "safe" an hour later (their answer link)."""
    actor = demo._on_duty()
    alert = alert_services.alert_create(
        actor=actor,
        data={
            "country": "NG",
            "city": "",
            "title": "关于尼日利亚大选期间加强安全防范的提醒",
            "message": "尼日利亚将于近期举行大选，部分州可能发生集会、游行和暴力冲突。请在尼人员：\n"
            "一、避免前往人员密集场所和政党集会现场，减少不必要外出；\n"
            "二、储备必要的饮用水、食品和药品，保持通讯畅通；\n"
            "三、企业加强营地和驻地安保，落实24小时值班；\n"
            "四、遇紧急情况请拨打当地报警电话112及中国驻尼日利亚使领馆领保电话。\n"
            "请每位在尼人员收到后点击“我已安全”回复。",
        },
    )
    # The fan-out is queued for after the step; the demo clock runs it then, as the worker would.
    alert_services.alert_send(alert=alert, actor=actor)


def _answer_first() -> None:
    """The first of the people told answers "safe" through their link."""
    alert = SafetyAlert.objects.filter(country="NG").latest("created_at")
    recipient = alert.recipients.select_related("person").order_by("person__full_name").first()
    if recipient is not None:
        alert_services.alert_answer(recipient=recipient, answer="safe")
