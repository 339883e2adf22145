"""Demo foreign organisations (seed_demo), made through the services on the days they happened.

The registry (both sizes): nine organisations that set up in Henan before the portal, entered by the office
when it opened the registry (a US regional headquarters, company offices from Britain, France, Italy, the
Netherlands, Russia and the Emirates, the Almaty region's trade office and a Malaysian business association),
and four that came through the portal last year as setting-up cases and opened, each with its portal account:
Kessler Antriebstechnik's office in Zhengzhou (DE, the `foreignrep` account), Hoshino Precision's regional
headquarters in Luoyang (JP), the Korean business association (KR) and Lion City Supply Chain (SG).

The story (both sizes):
- Setting-up cases in every state: an enquiry from France a few hours ago, an Italian olive-oil maker being
  consulted, a Dutch dairy-genetics company preparing its documents (overdue), a Kazakh exporter's papers
  at the authority, an Australian water foundation registered ten days ago and about to open, a Russian
  machine-tool maker that withdrew and an American consumer-goods company declined.
- Annual reports on last year: most filed on time and accepted (the office enters the paper reports of the
  organisations without a portal account), one filed late and accepted, one filed late and waiting, Kessler's
  returned for changes (its local staff missing), and the Korean association's never filed: overdue, reminded
  before and after the due date. The window is the default one, and the office has set next year's; when
  today is too early in the year for last year's to be past due, the office set last year's window earlier.
- Change requests: Hoshino's new address and Kessler's new chief representative approved (the registry's
  history shows the old values), the Korean association's new name rejected, Hoshino's staff numbers
  waiting, and Lion City's closure approved (closed, out of the public directory). The Russian trading
  office is suspended (its registration expired); two registrations expire within three months.
- Most organisations are listed in the public directory (consent given by the organisation itself, or
  recorded by the office), with their descriptions in English and Chinese.

The year (`seed_demo --size year`) adds sixteen setting-up cases over the last thirteen months: five opened
(their organisations file their report when one is owed), three withdrawn, three declined, and the rest
on their way.

As elsewhere (approvals.demo, overseas_safety.demo) nothing is made today and moved back: each step is
played on a DemoClock at its moment through the services (foreign_offices.services.*), so the audit chain,
the registry's history, the notifications and the deadlines are true.

`foreignrep` (password DEMO_PASSWORD), Julia Becker, is the liaison of Kessler's office: she sees its registry
entry and history (the chief representative Thomas Weber, then Katharina Vogel), its case, its report on last
year returned for changes (to correct and file again) and its change requests.
"""

import random
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts import services as accounts_services
from foreign_affairs.accounts.models import FTZArea, Gender, PassportType, User
from foreign_affairs.accounts.validators import uscc_check_character
from foreign_affairs.demo_clock import DemoClock, Timeline

from .models import CaseMessage, ChangeRequest, ForeignOrganisation, ReportingWindow, SetupCase
from .services import annual, cases, changes, registry
from .workflow import AUTHORITY_FOR_KIND, Authority, ChangeKind, EnquirySource, PresenceKind

M, F = Gender.MALE, Gender.FEMALE
ZZ, LY, KF, OUT = FTZArea.ZHENGZHOU, FTZArea.LUOYANG, FTZArea.KAIFENG, FTZArea.OUTSIDE
HQ, COMPANY, GOVERNMENT, CHAMBER, INTERNATIONAL = (
    PresenceKind.REGIONAL_HQ,
    PresenceKind.COMPANY_OFFICE,
    PresenceKind.GOVERNMENT_OFFICE,
    PresenceKind.CHAMBER_OFFICE,
    PresenceKind.INTERNATIONAL_OFFICE,
)

# The demo account of a foreign organisation: Kessler's office manager, the liaison its case's opening made.
FOREIGN_REP = {
    "username": "foreignrep",
    "email": "julia.becker@example.de",
    "first_name": "Julia",
    "last_name": "Becker",
}

# Registration numbers: valid unified social credit codes with "FN" after the region code, so that they
# never meet the enterprises' codes (accounts.demo: "MA…"; tests.factories.make_uscc: region 410100).
_REGIONS = {ZZ: "410105", LY: "410305", KF: "410205", OUT: "410184"}
_DEPARTMENTS = {
    Authority.MARKET_REGULATION: "91",
    Authority.COMMERCE: "91",
    Authority.CIVIL_AFFAIRS: "51",
    Authority.PUBLIC_SECURITY: "51",
    Authority.FOREIGN_AFFAIRS: "11",
}


def registration_number(authority: str, area: str, serial: int) -> str:
    first17 = f"{_DEPARTMENTS[authority]}{_REGIONS[area]}FN{serial:07d}"
    return first17 + uscc_check_character(first17)


# The organisations that set up before the portal, entered by the office when it opened the registry.
# `registered`: (years before this year, month, day); `valid`: days from today the registration runs to
# (None: it does not expire; negative: expired); `report`: how last year's annual report went ("on_time",
# share of the window), ("late", days after the due date) or ("late_waiting", None): filed late, undecided.
# fmt: off
REGISTRY = [
    {
        "key": "prairie", "serial": 101, "registered": (7, 9, 12), "valid": None, "staff": (5, 34),
        "report": ("on_time", 0.15), "report_staff": (6, 38),
        "data": {
            "name": "Prairie Grain Technologies Inc. Central China Regional Headquarters",
            "name_zh": "普瑞谷物科技公司华中地区总部", "kind": HQ, "country": "US",
            "parent_organisation": "Prairie Grain Technologies Inc. (Des Moines, Iowa)",
            "address": "郑州市郑东新区商务内环路 9 号豫发大厦 21 层", "ftz_area": ZZ, "authority": Authority.COMMERCE,
        },
        "listing": {
            "website": "https://prairie-grain.example.com",
            "description": "Seed technology, grain storage and milling equipment for Central China; the "
                           "headquarters coordinates the company's offices in Henan, Hubei and Shaanxi.",
            "description_zh": "面向华中地区提供种子技术、粮食仓储和制粉设备，统筹公司在河南、湖北、陕西的业务。",
        },
        "activities": "全年组织小麦良种示范推广活动 6 场，与省内 3 家粮食企业签订仓储设备合作协议，"
                      "参加第二十届中国（郑州）国际粮食博览会。",
    },
    {
        "key": "thames", "serial": 102, "registered": (5, 3, 8), "valid": 45, "staff": (2, 6),
        "report": ("late", 9), "report_staff": (2, 7),
        "data": {
            "name": "Thames Valley Instruments Ltd. Zhengzhou Representative Office",
            "name_zh": "泰晤士谷仪器有限公司郑州代表处", "kind": COMPANY, "country": "GB",
            "parent_organisation": "Thames Valley Instruments Ltd. (Reading)",
            "address": "郑州市金水区花园路 39 号国贸中心 A 座 1508 室", "ftz_area": ZZ,
            "authority": Authority.MARKET_REGULATION,
        },
        "listing": {
            "website": "https://tv-instruments.example.com",
            "description": "Liaison for laboratory and environmental monitoring instruments: product "
                           "information, distributor support and training for users in Henan.",
            "description_zh": "实验室及环境监测仪器的联络机构：提供产品信息、支持经销商，并为省内用户开展培训。",
        },
        "activities": "走访省内环境监测站和高校实验室客户 40 余家，举办仪器操作培训班 4 期。",
    },
    {
        "key": "lafont", "serial": 103, "registered": (8, 5, 21), "valid": 900, "staff": (1, 4),
        "report": ("on_time", 0.4), "report_staff": (1, 4),
        "data": {
            "name": "Maison Lafont Vins et Spiritueux SAS, bureau de représentation de Zhengzhou",
            "name_zh": "拉丰酒业有限公司郑州代表处", "kind": COMPANY, "country": "FR",
            "parent_organisation": "Maison Lafont Vins et Spiritueux SAS (Bordeaux)",
            "address": "郑州市经开区第五大街 88 号跨境电商产业园 3 号楼 402 室", "ftz_area": ZZ,
            "authority": Authority.MARKET_REGULATION,
        },
        "listing": {
            "website": "https://maison-lafont.example.com",
            "description": "Market research and brand promotion for French wines imported through the "
                           "Zhengzhou airport port and the cross-border e-commerce zone.",
            "description_zh": "为经郑州航空口岸和跨境电商综试区进口的法国葡萄酒开展市场调研和品牌推广。",
        },
        "activities": "参加郑州国际食品博览会，配合进口商开展品鉴推介活动 12 场。",
    },
    {
        "key": "monteverde", "serial": 104, "registered": (6, 10, 14), "valid": 75, "staff": (2, 9),
        "report": ("on_time", 0.6), "report_staff": (2, 11),
        "data": {
            "name": "Ceramiche Monteverde S.p.A. Ufficio di rappresentanza di Luoyang",
            "name_zh": "蒙特维尔德陶瓷股份公司洛阳代表处", "kind": COMPANY, "country": "IT",
            "parent_organisation": "Ceramiche Monteverde S.p.A. (Sassuolo)",
            "address": "洛阳市洛龙区开元大道 218 号日报大厦 12 层", "ftz_area": LY,
            "authority": Authority.MARKET_REGULATION,
        },
        "listing": {
            "website": "https://ceramiche-monteverde.example.com",
            "description": "Technical liaison for ceramic tile production lines and glazes; works with "
                           "the ceramics makers of western Henan.",
            "description_zh": "陶瓷砖生产线和釉料的技术联络机构，服务豫西陶瓷企业。",
        },
        "activities": "为洛阳、汝州两地陶瓷企业提供釉料工艺技术交流 8 次，组织企业赴意大利考察 1 次。",
    },
    {
        "key": "vanderberg", "serial": 105, "registered": (9, 4, 2), "valid": None, "staff": (1, 3),
        "report": ("late_waiting", None), "report_staff": (1, 3),
        "data": {
            "name": "Van der Berg Horticulture B.V. Vertegenwoordiging Zhengzhou",
            "name_zh": "范德伯格园艺有限公司郑州代表处", "kind": COMPANY, "country": "NL",
            "parent_organisation": "Van der Berg Horticulture B.V. (Westland)",
            "address": "新郑市航空港区四港联动大道 66 号", "ftz_area": OUT,
            "authority": Authority.MARKET_REGULATION,
        },
        "listing": None,
        "activities": "联络省内花卉种植基地，协助引进温室种植技术；全年接待客户考察 9 批。",
    },
    {
        "key": "almaty", "serial": 106, "registered": (10, 6, 18), "valid": None, "staff": (3, 2),
        "report": ("on_time", 0.7), "report_staff": (3, 2),
        "data": {
            "name": "Trade and Economic Representative Office of the Almaty Region in Zhengzhou",
            "name_zh": "哈萨克斯坦阿拉木图州驻郑州经贸代表处", "kind": GOVERNMENT, "country": "KZ",
            "parent_organisation": "Akimat of the Almaty Region",
            "address": "郑州市金水区农业路东 16 号 1102 室", "ftz_area": ZZ,
            "authority": Authority.FOREIGN_AFFAIRS,
        },
        "listing": {
            "website": "https://almaty-region-trade.example.com",
            "description": "Promotes trade, transport and investment between the Almaty region and Henan, "
                           "along the China–Europe freight trains from Zhengzhou.",
            "description_zh": "促进阿拉木图州与河南之间的贸易、物流和投资合作，依托中欧班列（郑州）开展对接。",
        },
        "activities": "组织阿拉木图州企业代表团来豫洽谈 2 次，协助省内企业参加阿拉木图国际贸易展览会。",
    },
    {
        "key": "mhba", "serial": 107, "registered": (4, 11, 9), "valid": None, "staff": (1, 2),
        "report": ("on_time", 0.8), "report_staff": (1, 2),
        "data": {
            "name": "Malaysia-Henan Business Association Representative Office",
            "name_zh": "马来西亚—河南商业协会驻郑州代表处", "kind": CHAMBER, "country": "MY",
            "parent_organisation": "Persatuan Perniagaan Malaysia-Henan (Kuala Lumpur)",
            "address": "郑州市郑东新区如意东路 68 号 906 室", "ftz_area": ZZ,
            "authority": Authority.CIVIL_AFFAIRS,
        },
        "listing": {
            "website": "https://mhba.example.com",
            "description": "Helps Malaysian companies find partners in Henan and Henan companies enter "
                           "the Malaysian market: matchmaking, seminars and trade missions.",
            "description_zh": "帮助马来西亚企业在豫寻找合作伙伴、河南企业开拓马来西亚市场：对接洽谈、研讨会和经贸考察。",
        },
        "activities": "举办中马经贸合作对接会 3 场，组织会员企业考察郑州航空港区。",
    },
    {
        "key": "volga", "serial": 108, "registered": (6, 2, 25), "valid": -20, "staff": (2, 1),
        "report": ("on_time", 0.35), "report_staff": (2, 1),
        "data": {
            "name": "Volga Agro Trading LLC Zhengzhou Representative Office",
            "name_zh": "伏尔加农业贸易有限责任公司郑州代表处", "kind": COMPANY, "country": "RU",
            "parent_organisation": "Volga Agro Trading LLC (Samara)",
            "address": "郑州市中原区建设西路 187 号 808 室", "ftz_area": OUT,
            "authority": Authority.MARKET_REGULATION,
        },
        "listing": None,
        "activities": "联络葵花籽油、面粉进口业务，参加中国（郑州）国际粮食博览会。",
    },
    {
        "key": "alnoor", "serial": 109, "registered": (3, 5, 16), "valid": 1400, "staff": (2, 5),
        "report": ("on_time", 0.5), "report_staff": (2, 6),
        "data": {
            "name": "Al Noor Gulf Logistics LLC Zhengzhou Representative Office",
            "name_zh": "努尔海湾物流有限责任公司郑州代表处", "kind": COMPANY, "country": "AE",
            "parent_organisation": "Al Noor Gulf Logistics LLC (Dubai)",
            "address": "郑州市航空港区郑港四路 21 号国际物流中心 2 层", "ftz_area": ZZ,
            "authority": Authority.MARKET_REGULATION,
        },
        "listing": {
            "website": "https://alnoor-logistics.example.com",
            "description": "Air cargo between Zhengzhou and the Gulf: liaison with airlines, freight "
                           "forwarders and the Zhengzhou airport's bonded zone.",
            "description_zh": "郑州与海湾地区之间的航空货运联络：对接航空公司、货运代理和郑州航空港保税区。",
        },
        "activities": "协调郑州至迪拜全货机航线舱位，全年组织物流企业交流活动 5 次。",
    },
]
# fmt: on

# The setting-up cases. `enquired`: ("ago", days, hours) before now, or ("year", years back, month, day,
# hour) — a date in last year (1) or the year before (2). `steps`: days after the enquiry on which the office
# consulted, prepared, submitted to the authority, the authority `registered` (the date) and the office
# recorded it (`register`), the office `opened` (the date) and the office recorded it (`open`). `end`:
# (transition, days after the enquiry, the reason). `registration`: what the office records on `register`.
# fmt: off
ORG_CASES = [
    {
        "key": "kessler", "serial": 201, "enquired": ("year", 1, 1, 13, 15.5), "language": "en",
        "enquiry": {
            "organisation_name": "Kessler Antriebstechnik GmbH", "organisation_name_zh": "凯斯勒传动技术有限公司",
            "parent_organisation": "Kessler Antriebstechnik GmbH (Stuttgart)", "country": "DE", "kind": COMPANY,
            "preferred_area": ZZ, "contact_name": "Julia Becker", "contact_email": FOREIGN_REP["email"],
            "contact_phone": "+49 711 5550 2140",
            "message": "We make gearboxes and drive systems for construction and mining machinery and have "
                       "customers in Zhengzhou. We would like to open a representative office there this year "
                       "and would be grateful for advice on the registration and on office space near the "
                       "Zhengdong CBD.",
        },
        "steps": {"consult": 1, "prepare": 12, "submit_to_authority": 52, "registered": 74, "register": 75,
                  "opened": 96, "open": 97},
        "registration": {
            "name": "Kessler Antriebstechnik GmbH Zhengzhou Representative Office",
            "name_zh": "凯斯勒传动技术有限公司郑州代表处", "address": "郑州市郑东新区商务外环路 20 号海联大厦 1206 室",
            "valid_years": 3,
        },
        "chief": ("Thomas Weber", "WEBER THOMAS", M, date(1971, 3, 9), "C4K9M2T7X"),
        "listing": {
            "website": "https://kessler-antrieb.example.com",
            "description": "Sales and service liaison for Kessler gearboxes and drive systems used in "
                           "construction, mining and port machinery made in Henan.",
            "description_zh": "凯斯勒齿轮箱和传动系统的销售与服务联络机构，服务省内工程、矿山和港口机械制造企业。",
        },
        "notes": [(1, "已电话联系 Becker 女士，介绍外国企业常驻代表机构登记所需材料，约定下周视频会议。"),
                  (40, "企业已确定郑东新区办公地址，租赁合同已签订。")],
    },
    {
        "key": "hoshino", "serial": 202, "enquired": ("year", 2, 11, 18, 10), "language": "en",
        "source": EnquirySource.OFFICE,
        "enquiry": {
            "organisation_name": "Hoshino Precision Co., Ltd.", "organisation_name_zh": "星野精密株式会社",
            "parent_organisation": "Hoshino Precision Co., Ltd. (Nagoya)", "country": "JP", "kind": HQ,
            "preferred_area": LY, "contact_name": "Kenji Sato", "contact_email": "kenji.sato@example.com",
            "contact_phone": "+81 52 555 0187",
            "message": "Met the office at the Luoyang investment fair. Hoshino supplies precision bearings "
                       "and robot reducers and wants to make Luoyang its headquarters for Central China.",
        },
        "steps": {"consult": 2, "prepare": 20, "submit_to_authority": 70, "registered": 100, "register": 101,
                  "opened": 118, "open": 119},
        "registration": {
            "name": "Hoshino Precision Co., Ltd. Central China Headquarters",
            "name_zh": "星野精密株式会社华中地区总部", "address": "洛阳市涧西区丰华路 17 号科技大厦 5 层",
            "valid_years": None,
        },
        "chief": ("Ryo Takahashi", "TAKAHASHI RYO", M, date(1969, 8, 21), "TK2081937"),
        "listing": {
            "website": "https://hoshino-precision.example.com",
            "description": "Regional headquarters for Central China: sales, application engineering and "
                           "after-sales service for precision bearings and robot reducers.",
            "description_zh": "华中地区总部：负责精密轴承和机器人减速器的销售、应用技术支持和售后服务。",
        },
        "notes": [(2, "洛阳投资洽谈会上接洽，企业拟在洛阳片区设立地区总部，已介绍地区总部认定条件。"),
                  (60, "商务厅已受理地区总部认定材料，待审查。")],
    },
    {
        "key": "kbcc", "serial": 203, "enquired": ("year", 1, 3, 4, 9), "language": "en",
        "enquiry": {
            "organisation_name": "Korean Business Council of Central China",
            "organisation_name_zh": "华中韩国商会", "parent_organisation": "Korean Business Council (Seoul)",
            "country": "KR", "kind": CHAMBER, "preferred_area": ZZ, "contact_name": "Park Ji-hoon",
            "contact_email": "jihoon.park@example.com", "contact_phone": "+82 2 555 0143",
            "message": "Our council represents about sixty Korean companies with business in Henan. We "
                       "would like to set up a representative office in Zhengzhou to serve them.",
        },
        "steps": {"consult": 3, "prepare": 18, "submit_to_authority": 60, "registered": 118, "register": 120,
                  "opened": 135, "open": 136},
        "registration": {
            "name": "Korean Business Council of Central China, Zhengzhou Office",
            "name_zh": "华中韩国商会郑州代表处", "address": "郑州市金水区金水路 219 号盛世广场 1703 室",
            "valid_years": None,
        },
        "chief": ("Kim Min-jun", "KIM MINJUN", M, date(1975, 11, 2), "M58213094"),
        "listing": None,
        "notes": [(3, "外国商会代表机构须经民政部门登记，已告知其总会章程和业务范围材料要求。")],
    },
    {
        "key": "lioncity", "serial": 204, "enquired": ("year", 1, 2, 6, 11), "language": "zh-hans",
        "enquiry": {
            "organisation_name": "Lion City Supply Chain Pte. Ltd.", "organisation_name_zh": "狮城供应链私人有限公司",
            "parent_organisation": "Lion City Supply Chain Pte. Ltd. (Singapore)", "country": "SG",
            "kind": COMPANY, "preferred_area": ZZ, "contact_name": "Rachel Lim",
            "contact_email": "rachel.lim@example.com", "contact_phone": "+65 6555 0192",
            "message": "我司从事东南亚与中国之间的冷链供应链服务，计划在郑州设立代表处，对接郑州航空港和中欧班列业务，"
                       "请告知办理流程。",
        },
        "steps": {"consult": 1, "prepare": 14, "submit_to_authority": 50, "registered": 72, "register": 73,
                  "opened": 86, "open": 87},
        "registration": {
            "name": "Lion City Supply Chain Pte. Ltd. Zhengzhou Representative Office",
            "name_zh": "狮城供应链私人有限公司郑州代表处", "address": "郑州市航空港区护航路 16 号 1 号楼 503 室",
            "valid_years": 2,
        },
        "chief": ("Daniel Goh", "GOH DANIEL", M, date(1980, 4, 27), "K1234567E"),
        "listing": {
            "website": "https://lioncity-scm.example.com",
            "description": "Cold-chain logistics between Southeast Asia and Central China.",
            "description_zh": "东南亚与华中地区之间的冷链物流服务联络。",
        },
        "notes": [(1, "已回复办理流程（中文），企业关注航空港区冷链设施。")],
    },
]

STORY_CASES = [
    {
        "key": "delorme", "serial": 301, "enquired": ("ago", 0, 6), "language": "en",
        "enquiry": {
            "organisation_name": "Atelier Delorme SAS", "organisation_name_zh": "德洛姆工坊",
            "parent_organisation": "", "country": "FR", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Claire Martin", "contact_email": "claire.martin@example.com",
            "contact_phone": "+33 1 5550 2377",
            "message": "We sell leather goods through cross-border e-commerce and are looking at a "
                       "representative office in the Zhengzhou e-commerce zone. What are the first steps, "
                       "and can a representative office sign contracts with Chinese partners?",
        },
        "steps": {},
    },
    {
        "key": "santoro", "serial": 302, "enquired": ("ago", 10, 3), "language": "en",
        "enquiry": {
            "organisation_name": "Oleificio Santoro S.r.l.", "organisation_name_zh": "桑托罗橄榄油有限公司",
            "parent_organisation": "", "country": "IT", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Marco Rinaldi", "contact_email": "marco.rinaldi@example.com",
            "contact_phone": "+39 080 555 0164",
            "message": "Olive oil producer from Apulia, exporting to China through Zhengzhou's bonded "
                       "zone. We would like to understand whether a representative office or a trading "
                       "company suits us better.",
        },
        "steps": {"consult": 1},
        "notes": [(2, "已视频沟通：代表处不得从事经营活动，如需直接销售应设立外商投资企业，企业正在比较两种方案。")],
    },
    {
        "key": "dutchdairy", "serial": 303, "enquired": ("ago", 72, 5), "language": "en",
        "enquiry": {
            "organisation_name": "Dutch Dairy Genetics B.V.", "organisation_name_zh": "荷兰乳牛遗传育种有限公司",
            "parent_organisation": "", "country": "NL", "kind": COMPANY, "preferred_area": OUT,
            "contact_name": "Sanne de Vries", "contact_email": "sanne.devries@example.com",
            "contact_phone": "+31 317 555 021",
            "message": "We supply dairy cattle genetics and herd-management advice and have several "
                       "farms in Henan as customers. We plan a small representative office near Zhengzhou.",
        },
        "steps": {"consult": 2, "prepare": 28},
        "notes": [(3, "企业客户集中在郑州周边奶牛场，建议选址郑州市区，不必在自贸区内。"),
                  (45, "企业反馈母公司公证认证文件仍在办理中，预计还需三周。")],
    },
    {
        "key": "steppe", "serial": 304, "enquired": ("ago", 96, 2), "language": "en",
        "enquiry": {
            "organisation_name": "Steppe Agro Export LLP", "organisation_name_zh": "草原农产品出口有限责任合伙企业",
            "parent_organisation": "", "country": "KZ", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Aigerim Sadykova", "contact_email": "aigerim.sadykova@example.com",
            "contact_phone": "+7 727 555 0135",
            "message": "We export wheat and flaxseed to China by the China–Europe trains and would like a "
                       "representative office in Zhengzhou to work with the buyers and the railway port.",
        },
        "steps": {"consult": 2, "prepare": 16, "submit_to_authority": 82},
        "notes": [(20, "已协助企业准备代表处登记申请书和首席代表任命书。")],
    },
    {
        "key": "apcwf", "serial": 305, "enquired": ("ago", 150, 4), "language": "en",
        "enquiry": {
            "organisation_name": "Asia Pacific Clean Water Foundation",
            "organisation_name_zh": "亚太清洁水基金会", "parent_organisation": "", "country": "AU",
            "kind": INTERNATIONAL, "preferred_area": ZZ, "contact_name": "Olivia Harris",
            "contact_email": "olivia.harris@example.com", "contact_phone": "+61 2 5550 1947",
            "message": "Our foundation supports rural drinking-water projects and would like to open a "
                       "representative office in Henan, working with the provincial water authorities.",
        },
        "steps": {"consult": 3, "prepare": 20, "submit_to_authority": 62, "registered": 140, "register": 141},
        "registration": {
            "name": "Asia Pacific Clean Water Foundation Henan Representative Office",
            "name_zh": "亚太清洁水基金会河南代表处", "address": "郑州市金水区纬五路 21 号 2 号楼 601 室",
            "valid_years": 5,
        },
        "notes": [(4, "境外非政府组织代表机构须经业务主管单位同意后向公安厅登记，已联系省水利厅作为业务主管单位。"),
                  (100, "公安厅补正通知：需补充项目资金来源说明，已转告企业。")],
    },
    {
        "key": "uralstanok", "serial": 306, "enquired": ("ago", 58, 7), "language": "en",
        "enquiry": {
            "organisation_name": "Ural Machine Tools JSC", "organisation_name_zh": "乌拉尔机床股份公司",
            "parent_organisation": "", "country": "RU", "kind": COMPANY, "preferred_area": LY,
            "contact_name": "Dmitry Volkov", "contact_email": "dmitry.volkov@example.com",
            "contact_phone": "+7 343 555 0118",
            "message": "We are considering an office in Luoyang for machine-tool service in Central China.",
        },
        "steps": {"consult": 2},
        "end": ("withdraw", 27, "The company decided to open its office in Wuhan instead; thanked the office."),
    },
    {
        "key": "harborview", "serial": 307, "enquired": ("ago", 25, 9), "language": "en",
        "enquiry": {
            "organisation_name": "Harborview Consumer Goods Inc.", "organisation_name_zh": "港景消费品公司",
            "parent_organisation": "", "country": "US", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Emily Clark", "contact_email": "emily.clark@example.com",
            "contact_phone": "+1 206 555 0172",
            "message": "We want an office in Zhengzhou that sells our household products directly to "
                       "shops and signs the sales contracts.",
        },
        "steps": {"consult": 1},
        "end": ("decline", 6, "A representative office may not sell or sign sales contracts; the company was "
                              "advised to set up a foreign-invested trading company with the market "
                              "regulation administration instead."),
    },
]

# The year's other cases (`--size year`), over the last thirteen months.
YEAR_CASES = [
    {
        "key": "pennine", "serial": 401, "enquired": ("ago", 385, 5), "language": "en",
        "enquiry": {
            "organisation_name": "Pennine Textiles Ltd.", "organisation_name_zh": "奔宁纺织有限公司",
            "parent_organisation": "Pennine Textiles Ltd. (Bradford)", "country": "GB", "kind": COMPANY,
            "preferred_area": ZZ, "contact_name": "Oliver Bennett", "contact_email": "oliver.bennett@example.com",
            "contact_phone": "+44 1274 555 018", "message": "Wool fabrics; we buy yarn in Henan and want a "
            "sourcing office in Zhengzhou.",
        },
        "steps": {"consult": 2, "prepare": 14, "submit_to_authority": 48, "registered": 70, "register": 71,
                  "opened": 84, "open": 85},
        "registration": {"name": "Pennine Textiles Ltd. Zhengzhou Representative Office",
                         "name_zh": "奔宁纺织有限公司郑州代表处", "address": "郑州市二七区大学路 80 号 1401 室",
                         "valid_years": 3},
        "listing": {"website": "https://pennine-textiles.example.com",
                    "description": "Sourcing office for yarns and fabrics made in Henan.",
                    "description_zh": "在豫采购纱线和面料的联络机构。"},
    },
    {
        "key": "aubert", "serial": 402, "enquired": ("ago", 350, 3), "language": "en",
        "enquiry": {
            "organisation_name": "Groupe Aubert Ingénierie", "organisation_name_zh": "奥贝尔工程集团",
            "parent_organisation": "Groupe Aubert Ingénierie SA (Lyon)", "country": "FR", "kind": HQ,
            "preferred_area": ZZ, "contact_name": "Camille Dubois", "contact_email": "camille.dubois@example.com",
            "contact_phone": "+33 4 5550 3311", "message": "Engineering for rail and metro projects; we "
            "plan our Central China headquarters in Zhengzhou.",
        },
        "steps": {"consult": 1, "prepare": 18, "submit_to_authority": 55, "registered": 88, "register": 89,
                  "opened": 104, "open": 105},
        "registration": {"name": "Groupe Aubert Ingénierie Central China Headquarters",
                         "name_zh": "奥贝尔工程集团华中地区总部",
                         "address": "郑州市郑东新区金水东路 85 号雅宝东方国际广场 2 号楼 18 层", "valid_years": None},
        "listing": {"website": "https://aubert-ingenierie.example.com",
                    "description": "Rail and metro engineering for Central China.",
                    "description_zh": "华中地区轨道交通工程咨询与设计。"},
    },
    {
        "key": "nakamura", "serial": 403, "enquired": ("ago", 330, 6), "language": "en",
        "enquiry": {
            "organisation_name": "Nakamura Foods Co., Ltd.", "organisation_name_zh": "中村食品株式会社",
            "parent_organisation": "", "country": "JP", "kind": COMPANY, "preferred_area": KF,
            "contact_name": "Yuki Nakamura", "contact_email": "yuki.nakamura@example.com",
            "contact_phone": "+81 6 5550 4411", "message": "Frozen dumplings for export to Japan; looking at "
            "an office in Kaifeng close to our suppliers.",
        },
        "steps": {"consult": 2, "prepare": 20},
        "end": ("withdraw", 44, "The company will work through its Kaifeng supplier instead of an office."),
    },
    {
        "key": "haeorum", "serial": 404, "enquired": ("ago", 300, 8), "language": "en",
        "enquiry": {
            "organisation_name": "Haeorum Cosmetics Co., Ltd.", "organisation_name_zh": "海奥伦化妆品株式会社",
            "parent_organisation": "", "country": "KR", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Lee Soo-jin", "contact_email": "soojin.lee@example.com",
            "contact_phone": "+82 2 555 0177", "message": "We would like to open a shop and office in Zhengzhou.",
        },
        "steps": {"consult": 1},
        "end": ("decline", 5, "A representative office cannot run a shop; advised on setting up a "
                              "foreign-invested enterprise."),
    },
    {
        "key": "mittelstand", "serial": 405, "enquired": ("ago", 280, 4), "language": "en",
        "enquiry": {
            "organisation_name": "Deutsch-Chinesischer Mittelstandsverband e.V.",
            "organisation_name_zh": "德中中小企业协会", "parent_organisation": "Deutsch-Chinesischer "
            "Mittelstandsverband e.V. (Düsseldorf)", "country": "DE", "kind": CHAMBER, "preferred_area": ZZ,
            "contact_name": "Stefan Hoffmann", "contact_email": "stefan.hoffmann@example.de",
            "contact_phone": "+49 211 5550 1290", "message": "Our association of German SMEs would like a "
            "representative office in Henan.",
        },
        "steps": {"consult": 3, "prepare": 21, "submit_to_authority": 60, "registered": 110, "register": 111,
                  "opened": 125, "open": 126},
        "registration": {"name": "Deutsch-Chinesischer Mittelstandsverband e.V. Henan Office",
                         "name_zh": "德中中小企业协会河南代表处",
                         "address": "郑州市金水区东风路 28 号 1609 室", "valid_years": None},
        "listing": {"website": "https://dcmv.example.com",
                    "description": "Brings German small and medium-sized companies and Henan partners together.",
                    "description_zh": "为德国中小企业与河南合作伙伴牵线搭桥。"},
    },
    {
        "key": "bassi", "serial": 406, "enquired": ("ago", 250, 5), "language": "en",
        "enquiry": {
            "organisation_name": "Fratelli Bassi Macchine Agricole S.r.l.", "organisation_name_zh": "巴西兄弟农机有限公司",
            "parent_organisation": "", "country": "IT", "kind": COMPANY, "preferred_area": LY,
            "contact_name": "Giulia Bassi", "contact_email": "giulia.bassi@example.com",
            "contact_phone": "+39 0522 555 019", "message": "Tractor implements; an office in Luoyang?",
        },
        "steps": {"consult": 2, "prepare": 25},
        "end": ("withdraw", 62, "The parent company postponed its plans for China."),
    },
    {
        "key": "southerncross", "serial": 407, "enquired": ("ago", 220, 2), "language": "en",
        "enquiry": {
            "organisation_name": "Southern Cross Wool Pty Ltd", "organisation_name_zh": "南十字羊毛有限公司",
            "parent_organisation": "Southern Cross Wool Pty Ltd (Geelong)", "country": "AU", "kind": COMPANY,
            "preferred_area": OUT, "contact_name": "Jack Wilson", "contact_email": "jack.wilson@example.com",
            "contact_phone": "+61 3 5550 2288", "message": "Wool exporter; office near our mills' customers in "
            "Henan.",
        },
        "steps": {"consult": 1, "prepare": 15, "submit_to_authority": 45, "registered": 66, "register": 67,
                  "opened": 80, "open": 81},
        "registration": {"name": "Southern Cross Wool Pty Ltd Henan Representative Office",
                         "name_zh": "南十字羊毛有限公司河南代表处", "address": "新乡市红旗区平原路 301 号 7 层",
                         "valid_years": 3},
    },
    {
        "key": "maasport", "serial": 408, "enquired": ("ago", 175, 6), "language": "en",
        "enquiry": {
            "organisation_name": "Maas Port Consultancy B.V.", "organisation_name_zh": "马斯港口咨询有限公司",
            "parent_organisation": "", "country": "NL", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Lars Jansen", "contact_email": "lars.jansen@example.com",
            "contact_phone": "+31 10 555 0144", "message": "Consultancy for inland ports; we have one project.",
        },
        "steps": {"consult": 2},
        "end": ("decline", 21, "One project does not need an office; advised to work through its Chinese "
                               "partner's contract."),
    },
    {
        "key": "falcon", "serial": 409, "enquired": ("ago", 150, 3), "language": "en",
        "enquiry": {
            "organisation_name": "Falcon Trade Holdings LLC", "organisation_name_zh": "猎鹰贸易控股有限责任公司",
            "parent_organisation": "", "country": "AE", "kind": HQ, "preferred_area": ZZ,
            "contact_name": "Omar Haddad", "contact_email": "omar.haddad@example.com",
            "contact_phone": "+971 4 555 0166", "message": "Regional headquarters for our trading group.",
        },
        "steps": {"consult": 2, "prepare": 14, "submit_to_authority": 55},
        "notes": [(90, "商务厅反馈地区总部认定材料需补充母公司资产证明，已通知企业。")],
    },
    {
        "key": "kostanay", "serial": 410, "enquired": ("ago", 60, 4), "language": "en",
        "enquiry": {
            "organisation_name": "Representative Office of the Kostanay Region",
            "organisation_name_zh": "哈萨克斯坦科斯塔奈州代表处", "parent_organisation": "Akimat of the Kostanay "
            "Region", "country": "KZ", "kind": GOVERNMENT, "preferred_area": ZZ,
            "contact_name": "Nurlan Abenov", "contact_email": "nurlan.abenov@example.com",
            "contact_phone": "+7 7142 555 012", "message": "The region would like a trade office in Henan.",
        },
        "steps": {"consult": 3, "prepare": 23},
    },
    {
        "key": "penang", "serial": 411, "enquired": ("ago", 95, 5), "language": "zh-hans",
        "enquiry": {
            "organisation_name": "Penang Electronics Sdn. Bhd.", "organisation_name_zh": "槟城电子有限公司",
            "parent_organisation": "", "country": "MY", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Lim Mei Ling", "contact_email": "meiling.lim@example.com",
            "contact_phone": "+60 4 555 0133", "message": "我司为智能终端企业配套电子元器件，想了解在郑州设立代表处的条件。",
        },
        "steps": {"consult": 1},
        "end": ("withdraw", 12, "企业决定由现有经销商负责河南市场。"),
    },
    {
        "key": "sibirles", "serial": 412, "enquired": ("ago", 30, 6), "language": "en",
        "enquiry": {
            "organisation_name": "Sibirsky Les Trading LLC", "organisation_name_zh": "西伯利亚森林贸易有限责任公司",
            "parent_organisation": "", "country": "RU", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Anna Sokolova", "contact_email": "anna.sokolova@example.com",
            "contact_phone": "+7 391 555 0150", "message": "Timber imports by train to Zhengzhou.",
        },
        "steps": {"consult": 2},
    },
    {
        "key": "afsi", "serial": 413, "enquired": ("ago", 45, 2), "language": "en",
        "enquiry": {
            "organisation_name": "Asia Food Security Institute", "organisation_name_zh": "亚洲粮食安全研究所",
            "parent_organisation": "", "country": "SG", "kind": INTERNATIONAL, "preferred_area": ZZ,
            "contact_name": "Priya Nair", "contact_email": "priya.nair@example.com",
            "contact_phone": "+65 6555 0177", "message": "Research cooperation on grain storage; an office in "
            "Henan.",
        },
        "steps": {"consult": 2, "prepare": 21},
    },
    {
        "key": "hartley", "serial": 414, "enquired": ("ago", 70, 7), "language": "en",
        "enquiry": {
            "organisation_name": "Hartley & Finch LLP", "organisation_name_zh": "哈特利与芬奇律师事务所",
            "parent_organisation": "", "country": "GB", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Sophie Turner", "contact_email": "sophie.turner@example.com",
            "contact_phone": "+44 20 5550 1844", "message": "A law firm's representative office in Zhengzhou.",
        },
        "steps": {"consult": 1},
        "end": ("decline", 6, "Foreign law firms' offices are approved by the justice authorities; the "
                              "firm was referred to the Department of Justice."),
    },
    {
        "key": "biolac", "serial": 415, "enquired": ("ago", 2, 3), "language": "en",
        "enquiry": {
            "organisation_name": "Biolac Nutrition SAS", "organisation_name_zh": "比奥拉克营养品公司",
            "parent_organisation": "", "country": "FR", "kind": COMPANY, "preferred_area": ZZ,
            "contact_name": "Hugo Lefebvre", "contact_email": "hugo.lefebvre@example.com",
            "contact_phone": "+33 2 5550 7781", "message": "Infant nutrition; first questions about an office.",
        },
        "steps": {},
    },
    {
        "key": "cascade", "serial": 416, "enquired": ("ago", 300, 2), "language": "en",
        "enquiry": {
            "organisation_name": "Cascade Medical Devices Inc.", "organisation_name_zh": "喀斯喀特医疗器械公司",
            "parent_organisation": "Cascade Medical Devices Inc. (Portland, Oregon)", "country": "US",
            "kind": COMPANY, "preferred_area": ZZ, "contact_name": "Michael Brown",
            "contact_email": "michael.brown@example.com", "contact_phone": "+1 503 555 0139",
            "message": "Medical devices; liaison office for hospitals in Henan.",
        },
        "steps": {"consult": 2, "prepare": 16, "submit_to_authority": 50, "registered": 75, "register": 76,
                  "opened": 90, "open": 91},
        "registration": {"name": "Cascade Medical Devices Inc. Zhengzhou Representative Office",
                         "name_zh": "喀斯喀特医疗器械公司郑州代表处",
                         "address": "郑州市高新区科学大道 100 号 5 号楼 802 室", "valid_years": 3},
        "listing": {"website": "https://cascade-medical.example.com",
                    "description": "Product information and training for hospitals in Henan.",
                    "description_zh": "为省内医院提供产品信息和培训。"},
    },
]
# fmt: on

OFFICE_NOTES = [
    "已电话回访，企业确认办理进度。",
    "已将材料清单通过电子邮件发给联系人。",
    "企业询问办公场所是否须在自贸区内，已答复。",
]


def seed() -> int:
    """The area's demo records, once: returns the number of setting-up cases created."""
    first = REGISTRY[0]
    marker = registration_number(first["data"]["authority"], first["data"]["ftz_area"], first["serial"])
    if ForeignOrganisation.objects.filter(registration_number=marker).exists():
        return 0
    demo = OfficesDemo(year=accounts_demo.size() == accounts_demo.YEAR)
    demo.plan()
    return demo.play()


class _Clock(DemoClock):
    """The demo clock, doing also what the worker does with the mail this area sends past the notification
    outbox: an enquirer's message counts as sent when it was written (as DemoClock.settle does for the
    notifications), and the set-a-password link of an account opened long ago is not sent today."""

    def _run_task(self, task_name: str, *args) -> None:
        if task_name == "foreign_offices.deliver_case_message":
            # The worker's write (services.messages.deliver) without the mail server: sent then.
            CaseMessage.objects.filter(pk=args[0], sent_at__isnull=True).update(sent_at=self.now, attempts=1)
            return
        if task_name == "accounts.send_password_reset":
            return  # its link would long have expired; `foreignrep` signs in with DEMO_PASSWORD
        super()._run_task(task_name, *args)


class OfficesDemo:
    """The area's demo history: `plan()` lays out its steps, `play()` plays them on the clock and returns the
    number of setting-up cases made (`failures`: the steps the services refused; the tests want none)."""

    def __init__(self, *, year: bool):
        self.year = year
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rng = random.Random(20262)
        self.officer = User.objects.get(username="officer")
        self.report_year = annual.current_report_year(self.today)
        self.window, self.window_set_by_office = self._window()
        # The office opened the registry to the portal in the autumn of the year before last.
        self.launch = self._weekday(date(self.today.year - 2, 10, 14))
        self.steps: list[tuple[datetime, object, object, str]] = []
        self.cases: dict[str, SetupCase] = {}
        self.organisations: dict[str, ForeignOrganisation] = {}
        self.failures: list[str] = []
        self.created = 0

    # Time -----------------------------------------------------------------------------------------------

    def at(self, day: date, hour: float) -> datetime:
        minutes = int(hour * 60)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    def ago(self, **delta) -> datetime:
        return self.now - timedelta(**delta)

    @staticmethod
    def _weekday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def office_at(self, day: date, hour: float | None = None) -> datetime:
        """An office hour on `day`, or on the Monday after it when it falls on a weekend (unless that is still
        to come: then the weekend day itself, when the officer was on duty)."""
        hour = hour if hour is not None else self.rng.uniform(9, 17)
        moment = self.at(self._weekday(day), hour)
        if moment > self.now - timedelta(minutes=30):
            moment = self.at(day, hour)
        return moment

    def add(self, moment: datetime, action, *, thread=None, label: str = "") -> None:
        self.steps.append((moment, action, thread, label))

    def _window(self) -> tuple[ReportingWindow, bool]:
        """Last year's reporting window: the default one when its due date is a month past, else the one the
        office set earlier (so that a demo made early in the year has late and overdue reports too)."""
        year = self.report_year
        default = ReportingWindow.default_for(year)
        if default.due_on <= self.today - timedelta(days=30):
            return default, False
        due = self.today - timedelta(days=30)
        opens = min(date(year + 1, 1, 1), due - timedelta(days=60))
        return ReportingWindow(year=year, opens_on=opens, due_on=due), True

    def in_window(self, share: float) -> date:
        window = self.window
        return window.opens_on + timedelta(days=int((window.due_on - window.opens_on).days * share))

    # Planning -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        self._plan_registry()
        for spec in ORG_CASES + STORY_CASES + (YEAR_CASES if self.year else []):
            self._plan_case(spec)
        self._plan_window_and_reminders()
        self._plan_reports()
        self._plan_changes()

    def _plan_registry(self) -> None:
        for index, spec in enumerate(REGISTRY):
            key = spec["key"]
            thread = f"organisation:{key}"
            self.add(
                self.office_at(self.launch + timedelta(days=index // 3), 9.5 + index % 3 * 2),
                partial(self._enter, spec),
                thread=thread,
                label=f"registry {key}",
            )
            if spec["listing"]:
                self.add(
                    self.office_at(self.launch + timedelta(days=20 + index * 3)),
                    partial(self._listing, key, spec["listing"], by_office=True),
                    thread=thread,
                    label=f"listing {key}",
                )
        # The Russian trading office's registration ran out and was not renewed: suspended.
        self.add(
            self.office_at(self.today - timedelta(days=12), 10),
            partial(
                self._organisation_transition,
                "volga",
                "suspend",
                "登记证有效期已届满，未办理延续登记；暂停其名录状态，补办登记后恢复。",
            ),
            thread="organisation:volga",
            label="suspend volga",
        )

    def _enquired_at(self, spec) -> datetime:
        when = spec["enquired"]
        if when[0] == "ago":
            return self.ago(days=when[1], hours=when[2])
        _kind, years_back, month, day, hour = when
        return self.at(date(self.today.year - years_back, month, day), hour)

    def _plan_case(self, spec) -> None:
        """The steps of one case, from the enquiry to wherever it has got by now."""
        key = spec["key"]
        thread = f"case:{key}"
        enquired = self._enquired_at(spec)
        self.add(enquired, partial(self._enquire, spec), thread=thread, label=f"enquiry {key}")
        first = timezone.localtime(enquired).date()
        steps, last = spec["steps"], enquired

        def step_at(days: int) -> datetime:
            nonlocal last
            moment = max(self.office_at(first + timedelta(days=days)), last + timedelta(minutes=40))
            last = moment
            return moment

        for name in ("consult", "prepare", "submit_to_authority"):
            if name in steps:
                self.add(step_at(steps[name]), partial(self._transition, key, name), thread=thread, label=key)
        if "register" in steps:
            registered_on = first + timedelta(days=steps["registered"])
            registration = spec["registration"]
            data = {
                "organisation_name": registration["name"],
                "organisation_name_zh": registration["name_zh"],
                "address": registration["address"],
                "authority": AUTHORITY_FOR_KIND[spec["enquiry"]["kind"]],
                "registration_number": registration_number(
                    AUTHORITY_FOR_KIND[spec["enquiry"]["kind"]],
                    spec["enquiry"]["preferred_area"],
                    spec["serial"],
                ),
                "registered_on": registered_on,
                "registration_valid_until": (
                    _years_after(registered_on, registration["valid_years"])
                    if registration["valid_years"]
                    else None
                ),
            }
            moment = step_at(steps["register"])
            self.add(moment, partial(self._transition, key, "register", data=data), thread=thread, label=key)
        if "open" in steps:
            opened_on = first + timedelta(days=steps["opened"])
            moment = step_at(steps["open"])
            self.add(moment, partial(self._open, spec, opened_on), thread=thread, label=f"open {key}")
            self._plan_opened(spec, moment, thread)
        if "end" in spec:
            name, days, comment = spec["end"]
            moment = step_at(days)
            self.add(moment, partial(self._transition, key, name, comment), thread=thread, label=key)
        for days, text in spec.get("notes", []):
            moment = max(self.office_at(first + timedelta(days=days)), enquired + timedelta(hours=1))
            self.add(moment, partial(self._note, key, text), thread=thread, label=f"note {key}")
        if self.year and spec in YEAR_CASES and not spec.get("notes") and "consult" in steps:
            moment = max(
                self.office_at(first + timedelta(days=steps["consult"] + 1)), enquired + timedelta(hours=2)
            )
            note = self.rng.choice(OFFICE_NOTES)
            self.add(moment, partial(self._note, key, note), thread=thread, label=f"note {key}")

    def _plan_opened(self, spec, opened: datetime, thread: str) -> None:
        """After the opening: the organisation names its chief representative (the office records it from the
        registration certificate) and gives its consent to the public listing; the year's organisations
        file their annual report when they owe one."""
        key = spec["key"]
        day = timezone.localtime(opened).date()
        if spec.get("chief"):
            self.add(self.at(day + timedelta(days=1), 15), partial(self._chief, spec), thread=thread)
            self.add(
                self.office_at(day + timedelta(days=2), 9.5), partial(self._record_chief, key), thread=thread
            )
        if spec.get("listing"):
            self.add(
                self.at(day + timedelta(days=5), 16),
                partial(self._listing, key, spec["listing"], by_office=False),
                thread=thread,
                label=f"listing {key}",
            )
        if spec in YEAR_CASES:
            registered_on = timezone.localtime(self._enquired_at(spec)).date() + timedelta(
                days=spec["steps"]["registered"]
            )
            if registered_on.year <= self.report_year:
                filed = max(self.window.opens_on + timedelta(days=10), day + timedelta(days=8))
                filed = min(filed, self.today - timedelta(days=3))
                moment = self.at(filed, 14)
                self.add(
                    moment, partial(self._file, key, by_office=False), thread=thread, label=f"report {key}"
                )
                self.add(
                    self.office_at(filed + timedelta(days=3), 10),
                    partial(self._decide, key, "accept"),
                    thread=thread,
                    label=f"report {key}",
                )

    def _plan_window_and_reminders(self) -> None:
        window = self.window
        if self.window_set_by_office:
            moment = self.office_at(window.opens_on - timedelta(days=20), 10)
            self.add(moment, partial(self._set_window, window.year, window.opens_on, window.due_on))
        else:
            # Next year's: the office gives the organisations April too.
            year = self.today.year
            self.add(
                self.office_at(self.today - timedelta(days=9), 11),
                partial(self._set_window, year, date(year + 1, 1, 1), date(year + 1, 4, 30)),
            )
        days = [window.due_on - timedelta(days=n) for n in settings.FOREIGN_OFFICES_REMIND_BEFORE_DAYS]
        days += [window.due_on + timedelta(days=n) for n in settings.FOREIGN_OFFICES_REMIND_AFTER_DAYS]
        # The daily job sends something only on the day a stage begins (each stage once); it is played on
        # those days.
        for day in sorted(days):
            if day >= window.opens_on:
                self.add(self.at(day, 8 + 20 / 60), partial(annual.send_reminders), label="report reminders")

    def _plan_reports(self) -> None:
        due = self.window.due_on
        for spec in REGISTRY:
            key, (how, value) = spec["key"], spec["report"]
            thread = f"organisation:{key}"
            if how == "on_time":
                filed = self.office_at(self.in_window(value))
                decided = self.office_at(timezone.localtime(filed).date() + timedelta(days=4))
            elif how == "late":
                filed = self.office_at(due + timedelta(days=value))
                decided = self.office_at(timezone.localtime(filed).date() + timedelta(days=3))
            else:  # late, filed after the office called last week; not decided yet
                filed, decided = (
                    self.office_at(max(due + timedelta(days=1), self.today - timedelta(days=6))),
                    None,
                )
            self.add(
                filed,
                partial(self._file, key, by_office=True, spec=spec),
                thread=thread,
                label=f"report {key}",
            )
            if decided is not None:
                self.add(decided, partial(self._decide, key, "accept"), thread=thread, label=f"report {key}")
        # The organisations that came through the portal file their own.
        kessler = self.at(self.in_window(0.55), 11)
        self.add(kessler, partial(self._file, "kessler", by_office=False), thread="case:kessler")
        self.add(
            self.office_at(timezone.localtime(kessler).date() + timedelta(days=4), 14),
            partial(
                self._decide,
                "kessler",
                "return_for_changes",
                "Please give the local staff at the end of the year (the report says none, the office has "
                "seen four) and list the trade fairs you attended. 请补充年末中方雇员人数和参加的展会。",
            ),
            thread="case:kessler",
        )
        for key, share in (("hoshino", 0.3), ("lioncity", 0.2)):
            filed = self.at(self.in_window(share), 10.5)
            self.add(filed, partial(self._file, key, by_office=False), thread=f"case:{key}")
            self.add(
                self.office_at(timezone.localtime(filed).date() + timedelta(days=3)),
                partial(self._decide, key, "accept"),
                thread=f"case:{key}",
            )
        # The Korean association never files: overdue, reminded before and after the due date.

    def _plan_changes(self) -> None:
        today = self.today
        # Hoshino moved within the Luoyang area; approved two working days later.
        filed = self.office_at(today - timedelta(days=75), 10)
        self.add(
            filed,
            partial(
                self._change,
                "hoshino",
                ChangeKind.ADDRESS,
                {"address": "洛阳市洛龙区开元大道 260 号洛阳国际商务中心 9 层", "ftz_area": LY},
                "The headquarters moved to larger offices in the Luoyang international business centre.",
            ),
            thread="case:hoshino",
        )
        self.add(
            self.office_at(today - timedelta(days=73), 15),
            partial(self._decide_change, "hoshino", ChangeKind.ADDRESS, "approve"),
            thread="case:hoshino",
        )
        # Kessler's new chief representative.
        self.add(
            self.office_at(today - timedelta(days=50), 11),
            partial(
                self._change,
                "kessler",
                ChangeKind.CHIEF_REPRESENTATIVE,
                {
                    "full_name": "Katharina Vogel",
                    "passport_number": "C7X2L9P4R",
                    "passport_expiry": date(today.year + 6, 5, 14),
                    "position": "Chief Representative",
                },
                "Thomas Weber returns to Stuttgart; Katharina Vogel takes over the office.",
            ),
            thread="case:kessler",
        )
        self.add(
            self.office_at(today - timedelta(days=47), 10),
            partial(self._decide_change, "kessler", ChangeKind.CHIEF_REPRESENTATIVE, "approve"),
            thread="case:kessler",
        )
        # The Korean association's new name, rejected.
        self.add(
            self.office_at(today - timedelta(days=120), 9.5),
            partial(
                self._change,
                "kbcc",
                ChangeKind.NAME,
                {
                    "name": "Korean Business Association of Henan, Zhengzhou Office",
                    "name_zh": "河南韩国商会郑州代表处",
                },
                "The council renamed itself at its general assembly.",
            ),
            thread="case:kbcc",
        )
        self.add(
            self.office_at(today - timedelta(days=116), 16),
            partial(
                self._decide_change,
                "kbcc",
                ChangeKind.NAME,
                "reject",
                "The new name must first be approved by the civil affairs department; file again with its "
                "approval. 新名称须先经民政部门核准，请取得核准文件后重新提交。",
            ),
            thread="case:kbcc",
        )
        # Lion City closes its office; approved after the closing date.
        self.add(
            self.office_at(today - timedelta(days=40), 11),
            partial(
                self._change,
                "lioncity",
                ChangeKind.CLOSURE,
                {"closing_on": today - timedelta(days=38)},
                "母公司调整中国业务布局，郑州代表处业务并入上海代表处，已办理登记机关注销手续。",
            ),
            thread="case:lioncity",
        )
        self.add(
            self.office_at(today - timedelta(days=36), 10),
            partial(self._decide_change, "lioncity", ChangeKind.CLOSURE, "approve"),
            thread="case:lioncity",
        )
        # Waiting: Hoshino's staff numbers after this year's hiring, filed three days ago.
        self.add(
            self.ago(days=3, hours=2),
            partial(
                self._change,
                "hoshino",
                ChangeKind.STAFF,
                {"staff_foreign": 5, "staff_local": 26},
                "Five engineers hired for the new application centre.",
            ),
            thread="case:hoshino",
        )

    # Playing --------------------------------------------------------------------------------------------

    def play(self) -> int:
        with _Clock() as clock:
            timeline = Timeline(clock)
            for moment, action, thread, label in self.steps:
                timeline.add(moment, action, thread=thread, label=label)
            timeline.run()
            self.failures = timeline.failures
        return self.created

    # Steps ----------------------------------------------------------------------------------------------

    def _enter(self, spec) -> None:
        registered_years, month, day = spec["registered"]
        registered_on = date(self.today.year - registered_years, month, day)
        data = {
            **spec["data"],
            "registration_number": registration_number(
                spec["data"]["authority"], spec["data"]["ftz_area"], spec["serial"]
            ),
            "registered_on": registered_on,
            "opened_on": registered_on + timedelta(days=21),
            "registration_valid_until": (
                self.today + timedelta(days=spec["valid"]) if spec["valid"] is not None else None
            ),
            "staff_foreign": spec["staff"][0],
            "staff_local": spec["staff"][1],
        }
        self.organisations[spec["key"]] = registry.organisation_create(actor=self.officer, data=data)

    def _organisation(self, key: str) -> ForeignOrganisation:
        if key in self.cases:
            self.organisations[key] = ForeignOrganisation.objects.get(case=self.cases[key])
        return self.organisations[key]

    def _member(self, key: str) -> User:
        """The organisation's liaison, fresh (roles and organisation are cached on a user)."""
        return User.objects.get(membership__organization_id=self._organisation(key).account_id)

    def _enquire(self, spec) -> None:
        source = spec.get("source", EnquirySource.PUBLIC_FORM)
        self.cases[spec["key"]] = cases.enquiry_create(
            data=spec["enquiry"],
            language=spec["language"],
            source=source,
            actor=self.officer if source == EnquirySource.OFFICE else None,
        )
        self.created += 1

    def _officer_of(self, key: str) -> User:
        case = self.cases[key]
        return case.assigned_officer if case.assigned_officer_id else self.officer

    def _transition(self, key: str, name: str, comment: str = "", data: dict | None = None) -> None:
        self.cases[key] = cases.case_transition(
            case=self.cases[key], actor=self._officer_of(key), name=name, comment=comment, data=data
        )

    def _note(self, key: str, text: str) -> None:
        cases.note_add(case=self.cases[key], actor=self._officer_of(key), text=text)

    def _open(self, spec, opened_on: date) -> None:
        if spec["enquiry"]["contact_email"] == FOREIGN_REP["email"]:
            # The demo's account of a foreign organisation, made as accounts.demo makes every demo account
            # (no service creates users: the portal's come from the admin or from account_open). The
            # opening below finds it by its e-mail and makes it the organisation's liaison.
            User.objects.get_or_create(
                username=FOREIGN_REP["username"],
                defaults={
                    "email": FOREIGN_REP["email"],
                    "first_name": FOREIGN_REP["first_name"],
                    "last_name": FOREIGN_REP["last_name"],
                    "preferred_language": "en",
                    "password": make_password(settings.DEMO_PASSWORD),
                },
            )
        self._transition(spec["key"], "open", data={"opened_on": opened_on})

    def _chief(self, spec) -> None:
        """The organisation adds its chief representative to its people (as its liaison would)."""
        full_name, passport_name, gender, born, number = spec["chief"]
        accounts_services.person_create(
            actor=self._member(spec["key"]),
            full_name=full_name,
            pinyin_name=passport_name,
            gender=gender,
            birth_date=born,
            position="Chief Representative",
            passport_type=PassportType.ORDINARY,
            passport_number=number,
            passport_expiry=self.today + timedelta(days=1500),
        )

    def _record_chief(self, key: str) -> None:
        """The office records the chief representative named on the registration certificate."""
        organisation = self._organisation(key)
        person = organisation.account.people.get(full_name=ORG_CASES_BY_KEY[key]["chief"][0])
        registry.organisation_update(
            organisation=organisation, actor=self.officer, data={"chief_representative": person}
        )

    def _listing(self, key: str, listing: dict, *, by_office: bool) -> None:
        """The consent to the public listing: given in the portal by the organisation, or on paper and
        recorded by the office."""
        actor = self.officer if by_office else self._member(key)
        registry.profile_update(
            organisation=self._organisation(key), actor=actor, data={"list_publicly": True, **listing}
        )

    def _organisation_transition(self, key: str, name: str, comment: str) -> None:
        registry.organisation_transition(
            organisation=self._organisation(key), actor=self.officer, name=name, comment=comment
        )

    def _set_window(self, year: int, opens_on: date, due_on: date) -> None:
        annual.window_set(actor=self.officer, year=year, opens_on=opens_on, due_on=due_on)

    def _file(self, key: str, *, by_office: bool, spec=None) -> None:
        """The report on last year: the organisation files it in the portal, or the office enters the paper
        report of one without an account."""
        organisation = self._organisation(key)
        if spec is not None:
            staff_foreign, staff_local = spec["report_staff"]
            activities = spec["activities"]
        elif key == "kessler":
            staff_foreign, staff_local = 2, 0
            activities = (
                "Opened the office in Zhengzhou and visited 14 machinery makers in Henan; first service "
                "contracts signed for the gearboxes of two crane makers."
            )
        else:
            staff_foreign, staff_local = self.rng.choice([(1, 3), (2, 5), (3, 12), (4, 21)])
            activities = (
                "Visited customers and partners in Henan, took part in trade fairs in Zhengzhou and "
                "Luoyang, and supported the parent company's projects in the province."
            )
        if key == "hoshino":
            staff_foreign, staff_local = 4, 21
        annual.report_submit(
            organisation=organisation,
            actor=self.officer if by_office else self._member(key),
            year=self.report_year,
            data={
                "activities": activities,
                "staff_foreign": staff_foreign,
                "staff_local": staff_local,
                "address_confirmed": True,
                "representative_confirmed": True,
            },
        )

    def _decide(self, key: str, name: str, comment: str = "") -> None:
        report = self._organisation(key).annual_reports.get(year=self.report_year)
        annual.report_transition(report=report, actor=self.officer, name=name, comment=comment)

    def _change(self, key: str, kind: str, proposed: dict, reason: str) -> None:
        changes.change_submit(
            organisation=self._organisation(key),
            actor=self._member(key),
            kind=kind,
            proposed={k: v.isoformat() if isinstance(v, date) else v for k, v in proposed.items()},
            reason=reason,
        )

    def _decide_change(self, key: str, kind: str, name: str, comment: str = "") -> None:
        request = ChangeRequest.objects.get(
            organisation=self._organisation(key), kind=kind, state="submitted"
        )
        changes.change_transition(request=request, actor=self.officer, name=name, comment=comment)


ORG_CASES_BY_KEY = {spec["key"]: spec for spec in ORG_CASES}


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
