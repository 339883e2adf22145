"""Demo exchanges (seed_demo), made through the services on the days they happened.

A year of the office's exchange activities in the three areas of the free trade zone — Zhengzhou (the air
and rail hub, the Zhengzhou–Luxembourg “Air Silk Road”, cross-border e-commerce), Luoyang (equipment
manufacturing, robots, new materials) and Kaifeng (Song-dynasty culture, tourism, creative design) — of every
kind, incoming, outgoing and online, in every state:

- past: closed (a Luxembourg minister's visit, the Kansas agriculture delegation, the overseas-Chinese leaders'
  tour of the three areas, Almaty on the China–Europe trains, Luoyang in Plzeň, Henan in Mie, a trade mission
  to Hamburg and Luxembourg, a German paper's interview, Toda's delegation in Kaifeng — postponed once and
  taken up again — and an online presentation to Singapore companies); reported (Richmond, the Korean
  Ambassador in Luoyang, overseas-Chinese e-commerce matchmaking, a Japanese paper's interview); held, the
  outcomes still to report (Dubai, foreign diplomats in Kaifeng, a video call with Hamburg); a mission to
  São Paulo cancelled;
- to come: confirmed (the Air Silk Road progress meeting, the Lieutenant Governor of Kansas, a Luxembourg
  weekly's interview), approved (Luoyang's mission to Germany and the Czech Republic, overseas-Chinese leaders
  in Kaifeng), proposed (a visit to Okayama, a Singapore minister, RCEP chambers online) and a Lombardy
  delegation postponed;
- incoming visits have their reception checklist assigned to `officer` and `officer2` and ticked as far as the
  visit has come; every activity of the year has an agenda; past ones have their agreements (six with the
  signed document), follow-up tasks (three overdue), coverage and outcomes; about half are on the public
  calendar, past and to come;
- the demo enterprises are visited: the Zhengzhou trading company of `applicant` and `liaison` nine times (three
  visits still to come), the Luoyang equipment maker of `applicant2` and the Kaifeng culture and tourism
  company five times each.

Twelve friendship-city pairs of Henan and its three cities, registered by the office when it opened the
registry fourteen months ago together with their earlier exchanges (recorded after the fact) and agreements:
six active; four that need attention (Henan–Mie's memorandum to renew within 180 days, Zhengzhou–Almaty's due
for renewal already, Henan–Chungcheongbuk-do quiet for over two years, Luoyang–Okayama quiet for over three
years but with a cooperation project under way); two dormant (Luoyang–Tours, Kaifeng–Tambov). The four
friendship-city projects of the projects demo are linked to their pairs.

Interview requests of foreign journalists in every state (two just requested, one arranged with `officer2`
as escort, one held with its coverage, one closed, one declined), and six overseas-Chinese community
leaders, five of whom agreed to be contacted, linked to the overseas-Chinese exchanges.

As in the other areas' demos nothing is made today and moved back: each step is played on a DemoClock at its
moment through the services (exchanges.services.*), so the audit trail, the notices, the dates of approval
and of reporting are true. The year size (`seed_demo --size year`) adds eighteen business delegations to
the year's other enterprises of the zone.
"""

import io
import random
from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import FTZArea, Organization, User
from foreign_affairs.demo_clock import DemoClock, Timeline

from .models import Activity, ActivityDocumentKind, AgreementKind, ChecklistKind, MediaMessage
from .services import activities, cities, contacts, media
from .workflow import HELD_STATES, Direction, Focus, Kind, ProtocolRank, State

ZZ, LY, KF = FTZArea.ZHENGZHOU, FTZArea.LUOYANG, FTZArea.KAIFENG
IN, OUT, ONLINE = Direction.INCOMING, Direction.OUTGOING, Direction.ONLINE
PROVINCIAL, DIGNITARY, OVERSEAS, FRIENDSHIP, MEDIA, OTHER = (
    Kind.PROVINCIAL_EXCHANGE,
    Kind.DIGNITARY_VISIT,
    Kind.OVERSEAS_CHINESE,
    Kind.FRIENDSHIP_CITY,
    Kind.MEDIA_INTERVIEW,
    Kind.OTHER,
)
PLANS, PIVOTS, CONNECTIVITY, COORDINATION, PLATFORMS = (
    Focus.PLANS,
    Focus.PIVOTS,
    Focus.CONNECTIVITY,
    Focus.COORDINATION,
    Focus.PLATFORMS,
)
MOU, AGREEMENT, INTENT = AgreementKind.MEMORANDUM, AgreementKind.AGREEMENT, AgreementKind.LETTER_OF_INTENT
# The demo enterprises (foreign_affairs.accounts.demo), by their unified social credit codes.
ENTERPRISES = {
    "zz": accounts_demo.DEMO_USCC,
    "ly": accounts_demo.LUOYANG_USCC,
    "kf": accounts_demo.KAIFENG_USCC,
}
# The office opened its exchanges registry this many days ago: it entered the pairs, their agreements and
# their earlier exchanges then.
REGISTRY_OPENED = 420
HOSTS = {
    ZZ: "河南省人民政府外事办公室\n郑州航空港经济综合实验区管委会\n河南自贸试验区郑州片区管委会",
    LY: "河南省人民政府外事办公室\n洛阳市人民政府\n河南自贸试验区洛阳片区管委会",
    KF: "河南省人民政府外事办公室\n开封市人民政府\n河南自贸试验区开封片区管委会",
}
MATERIALS = (
    "《中国（河南）自由贸易试验区建设白皮书》中英文版\n河南自贸试验区宣传片（中英文字幕）\n片区重点项目推介册"
)
BRIEFING_BY = "河南省商务厅（省自贸办）"

# Friendship cities: `key`, the registry's data, its `agreements` (title, signed on, renew by — a date, or
# days from today — with a document or not).
# fmt: off
CITIES = [
    {
        "key": "henan-kansas",
        "data": {"henan_name_zh": "河南省", "henan_name_en": "Henan Province", "foreign_name_zh": "堪萨斯州",
                 "foreign_name_en": "Kansas", "country": "US", "kind": "formal", "established_on": date(1981, 10, 21),
                 "description_zh": "河南省与美国堪萨斯州是河南省最早的友好省州之一，两地在小麦育种、粮食贸易、储粮技术和农业教育方面"
                                   "交流密切。",
                 "description_en": "One of Henan's oldest sister-state relationships; the two work together on wheat breeding, "
                                   "grain trade, grain storage and agricultural education.",
                 "henan_contact": "河南省人民政府外事办公室友好城市处，0371-6590 1101，youcheng@example.com",
                 "foreign_contact": "Office of International Trade, Kansas Department of Commerce, trade@example.org"},
        "agreements": [("河南省与美国堪萨斯州建立友好省州关系协议书", date(1981, 10, 21), None, False)],
    },
    {
        "key": "henan-mie",
        "data": {"henan_name_zh": "河南省", "henan_name_en": "Henan Province", "foreign_name_zh": "三重县",
                 "foreign_name_en": "Mie Prefecture", "country": "JP", "kind": "formal", "established_on": date(1986, 11, 14),
                 "description_zh": "河南省与日本三重县的友好省县关系，近年来以文创设计、传统工艺和青少年交流为重点。",
                 "description_en": "The friendship of Henan Province and Mie Prefecture, lately centred on creative design, "
                                   "traditional crafts and youth exchanges.",
                 "henan_contact": "河南省人民政府外事办公室友好城市处，0371-6590 1101，youcheng@example.com",
                 "foreign_contact": "International Affairs Division, Mie Prefectural Government, kokusai@example.jp"},
        "agreements": [("河南省与日本三重县建立友好省县关系协议书", date(1986, 11, 14), None, False),
                       ("河南省与三重县友好交流合作备忘录（第二期）", -1705, 120, True)],
    },
    {
        "key": "henan-chungbuk",
        "data": {"henan_name_zh": "河南省", "henan_name_en": "Henan Province", "foreign_name_zh": "忠清北道",
                 "foreign_name_en": "Chungcheongbuk-do", "country": "KR", "kind": "friendly_exchange",
                 "established_on": date(2009, 5, 20),
                 "description_zh": "河南省与韩国忠清北道的友好交流关系，合作领域包括生物医药、半导体和职业教育。",
                 "description_en": "A friendly exchange relationship of Henan and Chungcheongbuk-do: biomedicine, "
                                   "semiconductors and vocational education.",
                 "henan_contact": "河南省人民政府外事办公室亚洲处，0371-6590 1102",
                 "foreign_contact": "International Cooperation Division, Chungcheongbuk-do, intl@example.kr"},
        "agreements": [("河南省与忠清北道友好交流关系意向书", date(2009, 5, 20), None, False)],
    },
    {
        "key": "zz-richmond",
        "data": {"henan_name_zh": "郑州市", "henan_name_en": "Zhengzhou", "foreign_name_zh": "里士满市",
                 "foreign_name_en": "Richmond, Virginia", "country": "US", "kind": "formal", "established_on": date(1994, 9, 15),
                 "description_zh": "郑州市与美国弗吉尼亚州里士满市的友好城市关系，近年来在生物医药和医疗器械领域开展合作。",
                 "description_en": "The sister-city relationship of Zhengzhou and Richmond, Virginia; lately cooperation in "
                                   "biomedicine and medical devices.",
                 "henan_contact": "郑州市人民政府外事办公室，0371-6718 2201",
                 "foreign_contact": "Richmond Sister Cities Commission, sistercities@example.org"},
        "agreements": [("郑州市与美国里士满市建立友好城市关系协议书", date(1994, 9, 15), None, False)],
    },
    {
        "key": "zz-luxembourg",
        "data": {"henan_name_zh": "郑州市", "henan_name_en": "Zhengzhou", "foreign_name_zh": "卢森堡市",
                 "foreign_name_en": "Luxembourg City", "country": "LU", "kind": "friendly_exchange",
                 "established_on": date(2017, 6, 12),
                 "description_zh": "以郑州—卢森堡“空中丝绸之路”为纽带建立的友好交流关系，合作涵盖航空物流、冷链、跨境电商和金融。",
                 "description_en": "A friendly exchange relationship built on the Zhengzhou–Luxembourg “Air Silk Road”: air "
                                   "logistics, cold chain, cross-border e-commerce and finance.",
                 "henan_contact": "郑州市人民政府外事办公室，0371-6718 2201",
                 "foreign_contact": "Service des relations internationales, Ville de Luxembourg, international@example.lu"},
        "agreements": [("郑州市与卢森堡市友好交流合作意向书", date(2017, 6, 12), 700, False)],
    },
    {
        "key": "zz-almaty",
        "data": {"henan_name_zh": "郑州市", "henan_name_en": "Zhengzhou", "foreign_name_zh": "阿拉木图市",
                 "foreign_name_en": "Almaty", "country": "KZ", "kind": "friendly_exchange", "established_on": date(2016, 9, 8),
                 "description_zh": "依托中欧班列（郑州）中亚线路建立的友好交流关系，合作重点为国际物流和农产品贸易。",
                 "description_en": "A friendly exchange relationship along the Central Asian routes of the China–Europe train "
                                   "(Zhengzhou): international logistics and farm-product trade.",
                 "henan_contact": "郑州市人民政府外事办公室，0371-6718 2201",
                 "foreign_contact": "International Relations Department, Akimat of Almaty, intl@example.kz"},
        "agreements": [("郑州市与阿拉木图市友好交流合作备忘录", -1139, -40, True)],
    },
    {
        "key": "zz-hamburg",
        "data": {"henan_name_zh": "郑州市", "henan_name_en": "Zhengzhou", "foreign_name_zh": "汉堡市",
                 "foreign_name_en": "Hamburg", "country": "DE", "kind": "friendly_exchange", "established_on": date(2014, 4, 23),
                 "description_zh": "中欧班列（郑州）以汉堡为主要欧洲枢纽，两市在多式联运、港口物流和会展方面保持交流。",
                 "description_en": "Hamburg is the main European hub of the China–Europe train (Zhengzhou); the two cities work "
                                   "together on multimodal transport, port logistics and trade fairs.",
                 "henan_contact": "郑州市人民政府外事办公室，0371-6718 2201",
                 "foreign_contact": "Senatskanzlei Hamburg, Internationale Zusammenarbeit, international@example.de"},
        "agreements": [("郑州市与汉堡市友好交流关系意向书", date(2014, 4, 23), None, False)],
    },
    {
        "key": "ly-okayama",
        "data": {"henan_name_zh": "洛阳市", "henan_name_en": "Luoyang", "foreign_name_zh": "冈山市",
                 "foreign_name_en": "Okayama", "country": "JP", "kind": "formal", "established_on": date(1981, 4, 6),
                 "description_zh": "洛阳市与日本冈山市是河南省建立最早的友好城市之一，曾在牡丹文化、职业教育和精密制造方面交流频繁。",
                 "description_en": "One of the oldest sister-city pairs of Henan; the two cities once met often on peonies, "
                                   "vocational education and precision manufacturing.",
                 "henan_contact": "洛阳市人民政府外事办公室，0379-6323 3301",
                 "foreign_contact": "International Affairs Division, Okayama City, kokusai@example.jp"},
        "agreements": [("洛阳市与日本冈山市建立友好城市关系协议书", date(1981, 4, 6), None, False)],
    },
    {
        "key": "ly-tours",
        "data": {"henan_name_zh": "洛阳市", "henan_name_en": "Luoyang", "foreign_name_zh": "图尔市",
                 "foreign_name_en": "Tours", "country": "FR", "kind": "formal", "established_on": date(1982, 10, 22),
                 "description_zh": "洛阳市与法国图尔市的友好城市关系，以历史文化名城保护和旅游交流为主。",
                 "description_en": "The sister-city relationship of Luoyang and Tours, on historic towns and tourism.",
                 "henan_contact": "洛阳市人民政府外事办公室，0379-6323 3301",
                 "foreign_contact": "Relations internationales, Ville de Tours, international@example.fr"},
        "agreements": [("洛阳市与法国图尔市建立友好城市关系协议书", date(1982, 10, 22), None, False)],
    },
    {
        "key": "ly-plzen",
        "data": {"henan_name_zh": "洛阳市", "henan_name_en": "Luoyang", "foreign_name_zh": "比尔森市",
                 "foreign_name_en": "Plzeň", "country": "CZ", "kind": "friendly_exchange", "established_on": date(2018, 5, 16),
                 "description_zh": "两座以装备制造业见长的城市建立的友好交流关系，合作重点为机械制造、职业技能培训和工业旅游。",
                 "description_en": "Two cities of engineering: machinery, vocational training and industrial tourism.",
                 "henan_contact": "洛阳市人民政府外事办公室，0379-6323 3301",
                 "foreign_contact": "Odbor zahraničních vztahů, Statutární město Plzeň, international@example.cz"},
        "agreements": [("洛阳市与比尔森市友好交流合作备忘录", date(2018, 5, 16), None, False)],
    },
    {
        "key": "kf-toda",
        "data": {"henan_name_zh": "开封市", "henan_name_en": "Kaifeng", "foreign_name_zh": "户田市",
                 "foreign_name_en": "Toda", "country": "JP", "kind": "formal", "established_on": date(1984, 10, 9),
                 "description_zh": "开封市与日本户田市的友好城市关系，以文化旅游、青少年和体育交流为主。",
                 "description_en": "The sister-city relationship of Kaifeng and Toda: culture, tourism, youth and sport.",
                 "henan_contact": "开封市人民政府外事办公室，0371-2396 4401",
                 "foreign_contact": "Toda City International Exchange Association, info@example.jp"},
        "agreements": [("开封市与日本户田市建立友好城市关系协议书", date(1984, 10, 9), None, False)],
    },
    {
        "key": "kf-tambov",
        "data": {"henan_name_zh": "开封市", "henan_name_en": "Kaifeng", "foreign_name_zh": "坦波夫市",
                 "foreign_name_en": "Tambov", "country": "RU", "kind": "friendly_exchange", "established_on": date(2013, 7, 3),
                 "description_zh": "开封市与俄罗斯坦波夫市的友好交流关系，曾开展农业和文化艺术交流。",
                 "description_en": "A friendly exchange relationship of Kaifeng and Tambov, once on farming and the arts.",
                 "henan_contact": "开封市人民政府外事办公室，0371-2396 4401",
                 "foreign_contact": "Department of International Relations, Tambov City Administration"},
        "agreements": [("开封市与坦波夫市友好交流关系意向书", date(2013, 7, 3), None, False)],
    },
]
# The pairs' exchanges before the registry opened, entered by the office on the days it opened it: `start`
# days from today (their last exchange: dormant after three years, quiet after two).
EARLIER = [
    {"city": "ly-tours", "start": -1530, "days": 3, "kind": FRIENDSHIP, "direction": IN, "areas": [LY], "country": "FR",
     "title_zh": "图尔市文化代表团访问洛阳", "title_en": "A cultural delegation from Tours visits Luoyang",
     "outcome_zh": "双方交流了历史文化名城保护经验，商定互办图片展。",
     "outcome_en": "The two sides compared notes on protecting historic towns and agreed to exchange photo exhibitions."},
    {"city": "kf-tambov", "start": -1290, "days": 4, "kind": FRIENDSHIP, "direction": OUT, "areas": [KF], "country": "RU",
     "title_zh": "开封市代表团访问坦波夫市", "title_en": "A Kaifeng delegation visits Tambov",
     "outcome_zh": "参观坦波夫州农业企业，商谈农产品贸易，未形成具体项目。",
     "outcome_en": "Visits to farm companies of the Tambov region and talks on farm-product trade; no project followed."},
    {"city": "ly-okayama", "start": -1200, "days": 3, "kind": FRIENDSHIP, "direction": IN, "areas": [LY], "country": "JP",
     "title_zh": "冈山市友好代表团访问洛阳", "title_en": "An Okayama friendship delegation visits Luoyang",
     "outcome_zh": "双方回顾友城交流历程，商定在职业教育和精密加工人才培养方面加强合作。",
     "outcome_en": "The two sides looked back on their friendship and agreed to work together on vocational education "
                   "and on training precision machinists."},
    {"city": "zz-almaty", "start": -1140, "days": 2, "kind": PROVINCIAL, "direction": OUT, "areas": [ZZ], "country": "KZ",
     "title_zh": "郑州市代表团访问阿拉木图并签署友好交流合作备忘录",
     "title_en": "A Zhengzhou delegation in Almaty signs a memorandum of friendly exchange",
     "outcome_zh": "签署为期三年的友好交流合作备忘录，商定推动中欧班列中亚线路回程货源合作。",
     "outcome_en": "A three-year memorandum of friendly exchange was signed; both sides will look for return cargo "
                   "on the Central Asian routes of the China–Europe train."},
    {"city": "henan-chungbuk", "start": -860, "days": 2, "kind": PROVINCIAL, "direction": IN, "areas": [ZZ], "country": "KR",
     "title_zh": "忠清北道经济通商代表团访问郑州", "title_en": "A Chungcheongbuk-do trade delegation visits Zhengzhou",
     "outcome_zh": "双方就生物医药园区合作交换意见，约定次年互访。",
     "outcome_en": "Views exchanged on cooperation between biomedicine parks; a return visit was planned for the next year."},
]
# fmt: on

# The year's activities. `start`: the first day, in days from today; `days`: how many; `state`: how far it
# came. A past activity was proposed `lead` days before its start (default 40), one still to come
# `proposed` days ago. `enterprises` visited (demo enterprises); `city` (a friendship city's key); `agenda`
# (day, from, until, Chinese, English, place) — without one, a plain programme of the kind; `outcome`;
# `agreements` (kind, Chinese and English title, parties, day of the visit it was signed on, with the signed
# document); `follow_ups` (task, owner, due days after the last day, done so many days after it or None);
# `coverage` (outlet, headline, days after the last day); `postpone`/`cancel` (days from the start, reason);
# `resumed` (postponed days from the start, reason, the new start).
# fmt: off
ACTIVITIES = [
    {
        "key": "lux-minister", "kind": DIGNITARY, "direction": IN, "start": -330, "days": 3, "state": State.CLOSED,
        "lead": 50, "public": True, "areas": [ZZ], "focus": [CONNECTIVITY, PIVOTS, PLATFORMS],
        "enterprises": ["zz"], "city": "zz-luxembourg",
        "data": {
            "title_zh": "卢森堡经济部长率团考察郑州航空港“空中丝绸之路”",
            "title_en": "Luxembourg's Minister of the Economy at the Zhengzhou end of the “Air Silk Road”",
            "summary_zh": "卢森堡经济部长率政府和企业代表团访问郑州，考察郑州航空港经济综合实验区、新郑国际机场货运区和郑州片区"
                          "跨境电商企业，出席郑州—卢森堡“空中丝绸之路”合作座谈会，听取河南自贸试验区建设情况介绍。",
            "summary_en": "Luxembourg's Minister of the Economy led a government and business delegation to Zhengzhou: the "
                          "Zhengzhou Airport Economy Zone, the cargo area of Xinzheng International Airport, cross-border "
                          "e-commerce companies of the Zhengzhou area, a round table on the Zhengzhou–Luxembourg “Air Silk "
                          "Road” and a briefing on the Henan Free Trade Zone.",
            "city": "郑州 Zhengzhou", "venue": "郑州航空港经济综合实验区管委会", "country": "LU",
            "foreign_organisation": "Ministère de l'Économie, Grand-Duché de Luxembourg",
            "head_name": "Paul Schmit", "head_title": "Minister of the Economy", "head_rank": ProtocolRank.MINISTER,
            "members": "Anne Weber, Director of Logistics\nMarc Hoffmann, Economic Counsellor, Embassy of Luxembourg in "
                       "Beijing\nSophie Muller, Head of the Asia Desk, Luxembourg Trade and Invest",
            "delegation_size": 12,
        },
        "outcome": ("双方签署冷链物流合作备忘录，商定增加郑州—卢森堡全货机航班，共建冷链中转中心；代表团考察了郑州示范贸易有限公司"
                    "的跨境电商保税仓。",
                    "A memorandum on cold-chain logistics was signed; both sides agreed to add freighter flights between "
                    "Zhengzhou and Luxembourg and to build a cold-chain transit centre together. The delegation saw the "
                    "bonded e-commerce warehouse of Zhengzhou Demo Trading."),
        "agreements": [(MOU, "郑州—卢森堡“空中丝绸之路”冷链物流合作备忘录",
                        "Memorandum on cold-chain logistics along the Zhengzhou–Luxembourg Air Silk Road",
                        "河南省商务厅；Ministère de l'Économie du Luxembourg", 1, True)],
        "follow_ups": [("向卢方提供冷链中转中心选址方案", "officer", 30, 26), ("整理会谈纪要报省政府", "officer2", 7, 4)],
        "coverage": [("中原经济报", "卢森堡经济部长考察郑州航空港", 1),
                     ("Luxembourg Business Review", "Minister sees the Zhengzhou end of the Air Silk Road", 3)],
    },
    {
        "key": "kansas-agri", "kind": FRIENDSHIP, "direction": IN, "start": -300, "days": 4, "state": State.CLOSED,
        "public": True, "areas": [ZZ], "focus": [PLATFORMS, COORDINATION], "city": "henan-kansas",
        "data": {
            "title_zh": "美国堪萨斯州农业代表团访豫开展友好省州交流",
            "title_en": "A Kansas agriculture delegation visits its sister province",
            "summary_zh": "堪萨斯州农业厅率州内粮食合作社和农业大学代表访问河南，考察郑州片区粮食物流和储备设施，与省内粮食贸易"
                          "企业洽谈硬红冬小麦贸易和低温储粮技术合作。",
            "summary_en": "The Kansas Department of Agriculture brought grain cooperatives and a farm university to Henan: "
                          "grain logistics and storage in the Zhengzhou area, and talks with grain traders of the province "
                          "on hard red winter wheat and low-temperature grain storage.",
            "city": "郑州 Zhengzhou", "venue": "河南省人民政府外事办公室", "country": "US",
            "foreign_organisation": "Kansas Department of Agriculture",
            "head_name": "Laura Bennett", "head_title": "Deputy Secretary of Agriculture", "head_rank": ProtocolRank.DEPUTY,
            "members": "Daniel Price, Sunflower Grain Cooperative\nDr. Karen Hughes, Professor of Grain Science",
            "delegation_size": 9,
        },
        "outcome": ("签署小麦贸易与低温储粮技术合作意向书，此后形成与堪萨斯州的小麦贸易合作项目。",
                    "A letter of intent on wheat trade and grain storage was signed; the wheat trade project with Kansas came "
                    "out of it."),
        "agreements": [(INTENT, "小麦贸易与低温储粮技术合作意向书",
                        "Letter of intent on wheat trade and low-temperature grain storage",
                        "郑州片区粮食贸易企业；Sunflower Grain Cooperative", 2, False)],
        "follow_ups": [("推动企业与堪萨斯方面开展视频洽谈", "officer", 20, 15)],
        "coverage": [("中原经济报", "堪萨斯州农业代表团来豫洽谈小麦贸易", 1)],
    },
    {
        "key": "oc-leaders-tour", "kind": OVERSEAS, "direction": IN, "start": -250, "days": 5, "state": State.CLOSED,
        "public": True, "areas": [ZZ, LY, KF], "focus": [PLANS, PLATFORMS], "enterprises": ["zz", "ly", "kf"],
        "data": {
            "title_zh": "“海外侨领看河南自贸区”考察交流活动",
            "title_en": "Overseas Chinese community leaders see the Henan Free Trade Zone",
            "summary_zh": "来自马来西亚、意大利、西班牙、美国、荷兰等国的华侨华人社团负责人 20 人先后考察郑州、洛阳、开封三个片区，"
                          "了解自贸试验区的制度创新和产业布局，与片区企业开展对接。",
            "summary_en": "Twenty leaders of overseas Chinese associations from Malaysia, Italy, Spain, the United States, the "
                          "Netherlands and elsewhere toured the Zhengzhou, Luoyang and Kaifeng areas: the zone's reforms, its "
                          "industries and meetings with its companies.",
            "city": "郑州、洛阳、开封 Zhengzhou, Luoyang, Kaifeng", "venue": "三个片区", "country": "MY",
            "foreign_organisation": "海外华侨华人社团", "head_name": "林志远",
            "head_title": "马来西亚河南总商会会长", "head_rank": ProtocolRank.OTHER, "delegation_size": 20,
        },
        "outcome": ("侨领们为三个片区推荐海外合作企业 12 家，签署招商合作意向书一份，并表示将在所在国宣介河南自贸试验区。",
                    "The leaders recommended twelve partner companies abroad to the three areas, signed a letter of intent "
                    "on investment promotion and will present the zone in their countries."),
        "agreements": [(INTENT, "海外侨团与河南自贸试验区招商合作意向书",
                        "Letter of intent of overseas Chinese associations on promoting investment in the zone",
                        "河南自贸试验区三片区管委会；海外华侨华人社团", 4, True)],
        "follow_ups": [("将侨领推荐的海外企业名单转交三个片区", "officer", 10, 6)],
        "coverage": [("中原侨声", "海外侨领走进河南自贸试验区三片区", 2)],
    },
    {
        "key": "almaty-rail", "kind": PROVINCIAL, "direction": IN, "start": -240, "days": 2, "state": State.CLOSED,
        "areas": [ZZ], "focus": [CONNECTIVITY, PIVOTS], "city": "zz-almaty",
        "data": {
            "title_zh": "阿拉木图市代表团来郑洽谈中欧班列与中亚物流合作",
            "title_en": "An Almaty delegation in Zhengzhou on the China–Europe train and Central Asian logistics",
            "summary_zh": "阿拉木图市副市长率团访问郑州，考察郑州国际陆港和中欧班列（郑州）集结中心，洽谈中亚线路回程货源和农产品"
                          "贸易合作。",
            "summary_en": "A deputy mayor of Almaty led a delegation to Zhengzhou: the Zhengzhou international dry port and the "
                          "consolidation centre of the China–Europe train, and talks on return cargo and farm-product trade "
                          "on the Central Asian routes.",
            "city": "郑州 Zhengzhou", "venue": "郑州国际陆港", "country": "KZ", "foreign_organisation": "Akimat of Almaty",
            "head_name": "Yerlan Sadykov", "head_title": "Deputy Akim (Deputy Mayor) of Almaty",
            "head_rank": ProtocolRank.DEPUTY, "delegation_size": 7,
        },
        "outcome": ("商定每周增开一列郑州—阿拉木图回程班列，并组织两地农产品企业对接。",
                    "One more return train a week between Almaty and Zhengzhou was agreed, and meetings of farm-product "
                    "companies of both cities."),
        "follow_ups": [("组织两地农产品企业线上对接", "officer2", 30, 21)],
    },
    {
        "key": "plzen-machinery", "kind": FRIENDSHIP, "direction": OUT, "start": -210, "days": 6, "state": State.CLOSED,
        "lead": 60, "areas": [LY], "focus": [PLATFORMS, COORDINATION], "enterprises": ["ly"], "city": "ly-plzen",
        "data": {
            "title_zh": "洛阳市代表团赴捷克比尔森开展装备制造合作交流",
            "title_en": "A Luoyang delegation in Plzeň on equipment manufacturing",
            "summary_zh": "洛阳市和洛阳片区装备制造企业代表团访问比尔森，考察当地机械制造企业和职业技术学校，推介洛阳片区装备制造"
                          "产业和自贸试验区政策。",
            "summary_en": "Luoyang and equipment makers of the Luoyang area visited Plzeň: machinery companies and a technical "
                          "school, and a presentation of the Luoyang area's equipment industry and the zone's policies.",
            "city": "比尔森 Plzeň", "venue": "Plzeň City Hall", "country": "CZ",
            "foreign_organisation": "Statutární město Plzeň", "head_name": "Petr Novák",
            "head_title": "Deputy Mayor of Plzeň", "head_rank": ProtocolRank.DEPUTY, "delegation_size": 8,
        },
        "outcome": ("签署装备制造职业技能培训合作备忘录；洛阳示范装备制造有限公司与当地两家企业建立联系。",
                    "A memorandum on vocational training in equipment manufacturing was signed; Luoyang Demo Equipment "
                    "Manufacturing made contact with two local companies."),
        "agreements": [(MOU, "洛阳—比尔森装备制造职业技能培训合作备忘录",
                        "Memorandum on vocational training in equipment manufacturing, Luoyang–Plzeň",
                        "洛阳市人民政府；Statutární město Plzeň", 1, True)],
        "follow_ups": [("商定首批赴比尔森培训的技工名单", "officer", 45, 40)],
        "coverage": [("洛阳日报社", "洛阳装备制造企业走进比尔森", 4)],
    },
    {
        "key": "mie-design", "kind": FRIENDSHIP, "direction": OUT, "start": -150, "days": 5, "state": State.CLOSED,
        "lead": 45, "areas": [KF], "focus": [PLATFORMS, COORDINATION], "enterprises": ["kf"], "city": "henan-mie",
        "data": {
            "title_zh": "河南省友好代表团访问三重县并举办开封文创设计交流会",
            "title_en": "A Henan friendship delegation in Mie, with a Kaifeng creative design exchange",
            "summary_zh": "河南省友好代表团访问三重县，出席两省县友好交流座谈会，在铃鹿市举办开封文创设计交流会，考察伊势型纸传统"
                          "工艺工坊。",
            "summary_en": "A Henan friendship delegation visited Mie Prefecture: a meeting of the two partners, a Kaifeng "
                          "creative design exchange in Suzuka and the workshops of Ise katagami stencil makers.",
            "city": "津市、铃鹿市 Tsu, Suzuka", "venue": "Mie Prefectural Government", "country": "JP",
            "foreign_organisation": "Mie Prefectural Government", "head_name": "Ito Takeshi",
            "head_title": "Vice-Governor of Mie Prefecture", "head_rank": ProtocolRank.DEPUTY, "delegation_size": 7,
        },
        "outcome": ("双方商定续签友好交流合作备忘录，并在开封举办第四期文创设计工作坊。",
                    "Both sides agreed to renew their memorandum of friendly exchange and to hold the fourth creative "
                    "design workshop in Kaifeng."),
        "follow_ups": [("起草友好交流合作备忘录（第三期）文本", "officer", 170, None)],
        "coverage": [("开封文旅", "开封文创设计亮相三重县", 3)],
    },
    {
        "key": "hamburg-mission", "kind": PROVINCIAL, "direction": OUT, "start": -180, "days": 7, "state": State.CLOSED,
        "lead": 60, "public": True, "areas": [ZZ], "focus": [CONNECTIVITY, PLANS, PLATFORMS], "enterprises": ["zz"],
        "city": "zz-hamburg",
        "data": {
            "title_zh": "河南省经贸代表团赴德国、卢森堡推介河南自贸试验区",
            "title_en": "A Henan trade mission presents the Free Trade Zone in Germany and Luxembourg",
            "summary_zh": "河南省经贸代表团在汉堡、卢森堡举办河南自贸试验区推介会，考察汉堡港和卢森堡货运机场，推动中欧班列（郑州）"
                          "和“空中丝绸之路”双通道联动。",
            "summary_en": "A Henan trade mission presented the Free Trade Zone in Hamburg and Luxembourg, saw the Port of "
                          "Hamburg and Luxembourg's cargo airport, and worked on joining up the China–Europe train "
                          "(Zhengzhou) and the Air Silk Road.",
            "city": "汉堡、卢森堡 Hamburg, Luxembourg", "venue": "Handelskammer Hamburg", "country": "DE",
            "foreign_organisation": "Handelskammer Hamburg", "head_name": "Dr. Katrin Albers",
            "head_title": "Vice-President, Hamburg Chamber of Commerce", "head_rank": ProtocolRank.OTHER,
            "delegation_size": 15,
        },
        "outcome": ("在汉堡签署中欧班列（郑州）—汉堡港多式联运合作协议，推介会吸引德国企业 80 余家参加。",
                    "An agreement on multimodal transport between the China–Europe train (Zhengzhou) and the Port of "
                    "Hamburg was signed in Hamburg; over 80 German companies came to the presentation."),
        "agreements": [(AGREEMENT, "中欧班列（郑州）—汉堡港多式联运合作协议",
                        "Agreement on multimodal transport, China–Europe train (Zhengzhou) and the Port of Hamburg",
                        "郑州国际陆港开发建设有限公司；Hamburg Port Logistics GmbH", 1, True)],
        "follow_ups": [("跟进德国企业参会名单中的 12 家意向企业", "officer", 30, 28),
                       ("编写出访总结报省政府", "officer2", 10, 8)],
        "coverage": [("中原经济报", "河南自贸试验区在汉堡推介", 1),
                     ("Hamburger Hafenbrief", "Zhengzhou's trains and Hamburg's port sign up", 2)],
    },
    {
        "key": "media-rhein-main", "kind": MEDIA, "direction": IN, "start": -160, "days": 2, "state": State.CLOSED,
        "lead": 20, "areas": [ZZ], "focus": [CONNECTIVITY],
        "data": {
            "title_zh": "德国《莱茵—美因经济报》记者采访中欧班列（郑州）和跨境电商",
            "title_en": "Rhein-Main Wirtschaftszeitung on the China–Europe train (Zhengzhou) and cross-border e-commerce",
            "summary_zh": "德国记者采访郑州国际陆港和跨境电商综合试验区，了解中欧班列（郑州）开行和跨境电商监管创新。",
            "summary_en": "A German reporter at the Zhengzhou dry port and the cross-border e-commerce pilot zone: the China–"
                          "Europe train and how cross-border e-commerce is cleared.",
            "city": "郑州 Zhengzhou", "venue": "郑州国际陆港", "country": "DE",
            "foreign_organisation": "Rhein-Main Wirtschaftszeitung", "head_name": "Felix Braun",
            "head_title": "Correspondent", "head_rank": ProtocolRank.OTHER, "delegation_size": 2,
        },
        "outcome": ("采访顺利完成，报道已刊发。", "The interviews went as planned; the report was published."),
        "coverage": [("Rhein-Main Wirtschaftszeitung", "Zhengzhou: where Europe's parcels change trains", 12)],
    },
    {
        "key": "toda-culture", "kind": FRIENDSHIP, "direction": IN, "start": -170, "days": 3, "state": State.CLOSED,
        "lead": 40, "public": True, "areas": [KF], "focus": [PLATFORMS], "enterprises": ["kf"], "city": "kf-toda",
        "resumed": (-30, "户田市议会会期调整，外方请求推迟一个月来访。", -140),
        "data": {
            "title_zh": "户田市友好代表团访问开封暨宋文化旅游交流",
            "title_en": "A Toda friendship delegation in Kaifeng: Song-dynasty culture and tourism",
            "summary_zh": "户田市长率友好代表团访问开封，考察开封片区文化创意和文旅企业，参观清明上河园，商谈旅游互送客源。",
            "summary_en": "The Mayor of Toda led a friendship delegation to Kaifeng: creative and tourism companies of the "
                          "Kaifeng area, the Millennium City Park, and talks on sending tourists both ways.",
            "city": "开封 Kaifeng", "venue": "开封市人民政府", "country": "JP", "foreign_organisation": "Toda City",
            "head_name": "Suzuki Hiroshi", "head_title": "Mayor of Toda", "head_rank": ProtocolRank.GOVERNOR,
            "members": "Tanaka Emi, Director of International Exchange\nMori Kenta, Toda Chamber of Commerce",
            "delegation_size": 10,
        },
        "outcome": ("双方签署文化旅游合作备忘录，开封示范文化旅游有限公司与户田市旅行社商定互送旅游团。",
                    "A memorandum on culture and tourism was signed; Kaifeng Demo Culture and Tourism and a Toda travel "
                    "agency agreed to send tour groups both ways."),
        "agreements": [(MOU, "开封市与户田市文化旅游合作备忘录", "Memorandum on culture and tourism, Kaifeng–Toda",
                        "开封市人民政府；Toda City", 0, False)],
        "follow_ups": [("协助企业设计面向日本游客的宋文化旅游线路", "officer", 40, 35)],
        "coverage": [("开封文旅", "户田市友好代表团访问开封", 1)],
    },
    {
        "key": "sg-online", "kind": OTHER, "direction": ONLINE, "start": -120, "days": 1, "state": State.CLOSED,
        "lead": 25, "public": True, "areas": [ZZ, LY, KF], "focus": [PLANS, PLATFORMS],
        "data": {
            "title_zh": "河南自贸试验区面向新加坡企业线上推介会",
            "title_en": "The Henan Free Trade Zone presented online to Singapore companies",
            "summary_zh": "与新加坡中华总商会合作举办线上推介会，三个片区分别介绍产业定位和投资便利化措施。",
            "summary_en": "An online presentation with a Singapore business federation: each of the three areas on its "
                          "industries and its facilitation of investment.",
            "city": "线上 Online", "venue": "视频会议", "country": "SG",
            "foreign_organisation": "Singapore Chinese Business Federation", "delegation_size": 120,
        },
        "outcome": ("120 家新加坡企业在线参加，会后 9 家企业提出对接需求。",
                    "120 Singapore companies took part; nine asked to meet companies of the zone."),
        "follow_ups": [("将 9 家新加坡企业的对接需求转交片区", "officer", 7, 5)],
    },
    {
        "key": "brazil-roadshow", "kind": PROVINCIAL, "direction": OUT, "start": -80, "days": 6, "state": State.CANCELLED,
        "lead": 50, "areas": [ZZ], "focus": [PLATFORMS],
        "cancel": (-18, "签证办理时间不足，且外方主要会见对象日程冲突，经研究取消出访，改为线上推介。"),
        "data": {
            "title_zh": "河南自贸试验区赴巴西圣保罗经贸推介",
            "title_en": "Presenting the Henan Free Trade Zone in São Paulo",
            "summary_zh": "拟赴巴西圣保罗举办河南自贸试验区推介会，推动农产品和跨境电商合作。",
            "summary_en": "A presentation of the zone in São Paulo was planned, for farm products and cross-border "
                          "e-commerce.",
            "city": "圣保罗 São Paulo", "country": "BR", "foreign_organisation": "Câmara de Comércio Brasil-China",
            "delegation_size": 6,
        },
    },
    {
        "key": "richmond-medtech", "kind": FRIENDSHIP, "direction": IN, "start": -95, "days": 3, "state": State.REPORTED,
        "public": True, "areas": [ZZ], "focus": [PLATFORMS, COORDINATION], "enterprises": ["zz"], "city": "zz-richmond",
        "data": {
            "title_zh": "里士满市代表团访郑洽谈医疗器械企业“软着陆”合作",
            "title_en": "A Richmond delegation in Zhengzhou on a soft landing for medical device companies",
            "summary_zh": "里士满市副市长率团访问郑州，考察郑州片区生物医药园区和孵化器，商谈为里士满医疗器械初创企业提供落地服务。",
            "summary_en": "Richmond's Vice Mayor led a delegation to Zhengzhou: the biomedicine park and incubators of the "
                          "Zhengzhou area, and a soft landing for Richmond's medical device start-ups.",
            "city": "郑州 Zhengzhou", "venue": "郑州片区生物医药园区", "country": "US",
            "foreign_organisation": "City of Richmond, Virginia", "head_name": "Angela Brooks",
            "head_title": "Vice Mayor of Richmond", "head_rank": ProtocolRank.DEPUTY,
            "members": "Michael Turner, Richmond Sister Cities Commission\nSarah Mitchell, Virginia Bio-Startups Network",
            "delegation_size": 6,
        },
        "outcome": ("签署生物医药产业合作备忘录，确定首批 3 家里士满企业到郑州片区考察落地。",
                    "A memorandum on biomedicine was signed; three Richmond companies will come first to look at the "
                    "Zhengzhou area."),
        "agreements": [(MOU, "郑州—里士满生物医药产业合作备忘录", "Memorandum on biomedicine, Zhengzhou–Richmond",
                        "郑州市人民政府；City of Richmond", 1, True)],
        "follow_ups": [("提供郑州片区生物医药园区孵化场地清单", "officer", 21, None),
                       ("组织里士满企业与片区企业线上对接", "officer2", 110, None)],
        "coverage": [("中原经济报", "里士满医疗器械企业有望落地郑州", 2)],
    },
    {
        "key": "kr-ambassador", "kind": DIGNITARY, "direction": IN, "start": -70, "days": 2, "state": State.REPORTED,
        "lead": 30, "public": True, "areas": [LY], "focus": [PLATFORMS, PIVOTS], "enterprises": ["ly"],
        "data": {
            "title_zh": "韩国驻华大使访问洛阳片区考察机器人和新材料产业",
            "title_en": "The Korean Ambassador visits the robotics and new-materials industries of the Luoyang area",
            "summary_zh": "韩国驻华大使一行访问洛阳，考察洛阳片区机器人和新材料企业，听取河南自贸试验区洛阳片区情况介绍。",
            "summary_en": "The Ambassador of the Republic of Korea visited Luoyang: robotics and new-materials companies and a "
                          "briefing on the Luoyang area of the zone.",
            "city": "洛阳 Luoyang", "venue": "河南自贸试验区洛阳片区管委会", "country": "KR",
            "foreign_organisation": "Embassy of the Republic of Korea in China", "head_name": "Kim Jae-won",
            "head_title": "Ambassador of the Republic of Korea to China", "head_rank": ProtocolRank.AMBASSADOR,
            "members": "Lee Soo-jin, Commercial Counsellor\nPark Ji-hoon, First Secretary",
            "delegation_size": 5,
        },
        "outcome": ("韩方表示将组织韩国机器人企业来洛对接，洛阳示范装备制造有限公司介绍了与韩企合作的意向。",
                    "The Korean side will bring Korean robot makers to Luoyang; Luoyang Demo Equipment Manufacturing "
                    "presented what it seeks from Korean partners."),
        "follow_ups": [("向韩方提供洛阳片区机器人企业合作需求清单", "officer", 14, None)],
        "coverage": [("洛阳日报社", "韩国驻华大使考察洛阳片区", 1)],
    },
    {
        "key": "oc-ecommerce", "kind": OVERSEAS, "direction": IN, "start": -60, "days": 2, "state": State.REPORTED,
        "lead": 35, "areas": [ZZ], "focus": [PLATFORMS, CONNECTIVITY], "enterprises": ["zz"],
        "data": {
            "title_zh": "华侨华人跨境电商合作对接会（郑州）",
            "title_en": "Overseas Chinese cross-border e-commerce matchmaking in Zhengzhou",
            "summary_zh": "欧洲华侨华人商会负责人来郑参加跨境电商合作对接会，考察跨境电商综合试验区和保税仓，与郑州片区企业对接"
                          "海外仓合作。",
            "summary_en": "Leaders of overseas Chinese chambers in Europe came to Zhengzhou for cross-border e-commerce "
                          "matchmaking: the pilot zone, the bonded warehouses and overseas warehouses with companies of the "
                          "Zhengzhou area.",
            "city": "郑州 Zhengzhou", "venue": "中国（郑州）跨境电子商务综合试验区", "country": "ES",
            "foreign_organisation": "欧洲华侨华人商会", "head_name": "王建国", "head_title": "西班牙华侨华人协会副会长",
            "head_rank": ProtocolRank.OTHER, "delegation_size": 11,
        },
        "outcome": ("达成海外仓合作意向 6 项，郑州示范贸易有限公司与西班牙、荷兰两家侨资企业签署合作意向书。",
                    "Six overseas-warehouse projects were agreed in principle; Zhengzhou Demo Trading signed letters of "
                    "intent with two companies of overseas Chinese in Spain and the Netherlands."),
        "agreements": [(INTENT, "跨境电商海外仓合作意向书", "Letter of intent on overseas warehouses for e-commerce",
                        "郑州示范贸易有限公司；西班牙、荷兰侨资企业", 1, False)],
        "follow_ups": [("跟踪海外仓合作意向落实情况", "officer", 45, None)],
    },
    {
        "key": "media-kansai", "kind": MEDIA, "direction": IN, "start": -45, "days": 1, "state": State.REPORTED,
        "lead": 18, "areas": [KF], "focus": [PLATFORMS],
        "data": {
            "title_zh": "日本《关西商业时报》记者采访开封片区文化旅游和医疗康养",
            "title_en": "Kansai Business Times in the Kaifeng area: culture, tourism and medical tourism",
            "summary_zh": "日本记者采访开封片区文化创意企业和中医药康养机构，了解开封片区服务贸易创新。",
            "summary_en": "A Japanese reporter with creative companies and traditional-medicine wellness centres of the "
                          "Kaifeng area, on its innovations in trade in services.",
            "city": "开封 Kaifeng", "venue": "河南自贸试验区开封片区", "country": "JP",
            "foreign_organisation": "Kansai Business Times", "head_name": "Sato Haruki", "head_title": "Reporter",
            "head_rank": ProtocolRank.OTHER, "delegation_size": 2,
        },
        "outcome": ("采访顺利完成，记者参观了开封示范文化旅游有限公司。",
                    "The interviews went as planned; the reporter visited Kaifeng Demo Culture and Tourism."),
    },
    {
        "key": "dubai-delegation", "kind": DIGNITARY, "direction": IN, "start": -20, "days": 2, "state": State.HELD,
        "lead": 30, "public": True, "areas": [ZZ], "focus": [PIVOTS, CONNECTIVITY, PLATFORMS], "enterprises": ["zz"],
        "data": {
            "title_zh": "阿联酋迪拜经济代表团访问郑州片区",
            "title_en": "A Dubai economic delegation visits the Zhengzhou area",
            "summary_zh": "迪拜经济发展部门率团访问郑州，考察郑州片区跨境电商和航空物流，洽谈迪拜海外仓和郑州—迪拜航空货运合作。",
            "summary_en": "A Dubai economic development delegation in Zhengzhou: cross-border e-commerce and air logistics of "
                          "the Zhengzhou area, overseas warehouses in Dubai and air cargo between Zhengzhou and Dubai.",
            "city": "郑州 Zhengzhou", "venue": "郑州航空港经济综合实验区", "country": "AE",
            "foreign_organisation": "Dubai Economic Development Office", "head_name": "Khalid Al Mansoori",
            "head_title": "Director General, Dubai Economic Development Office",
            "head_rank": ProtocolRank.VICE_MINISTER,
            "members": "Fatima Al Hashimi, Director of Trade Promotion\nOmar Haddad, Jebel Ali Free Zone",
            "delegation_size": 8,
        },
        "agreements": [(MOU, "郑州—迪拜海外仓与航空物流合作备忘录",
                        "Memorandum on overseas warehouses and air logistics, Zhengzhou–Dubai",
                        "郑州片区管委会；Dubai Economic Development Office", 1, True)],
        "follow_ups": [("与迪拜方面确认海外仓二期合作清单", "officer", 35, None)],
        "coverage": [("中原经济报", "迪拜经济代表团考察郑州航空港", 1)],
    },
    {
        "key": "kf-diplomats", "kind": PROVINCIAL, "direction": IN, "start": -12, "days": 2, "state": State.HELD,
        "lead": 30, "public": True, "areas": [KF], "focus": [PLANS, PLATFORMS], "enterprises": ["kf"],
        "data": {
            "title_zh": "外国驻华使领馆官员“开封行”考察宋文化和文旅产业",
            "title_en": "Foreign diplomats in Kaifeng: Song-dynasty culture and the tourism industry",
            "summary_zh": "八个国家驻华使领馆官员访问开封，考察开封片区文化创意、艺术品交易和文旅企业，听取开封片区服务贸易情况介绍。",
            "summary_en": "Diplomats of eight countries visited Kaifeng: creative, art-trade and tourism companies of the "
                          "Kaifeng area, and a briefing on its trade in services.",
            "city": "开封 Kaifeng", "venue": "开封片区管委会", "foreign_organisation": "各国驻华使领馆",
            "delegation_size": 16,
        },
        "follow_ups": [("向各使领馆寄送开封片区英文推介材料", "officer2", 20, None)],
    },
    {
        "key": "hamburg-video", "kind": OTHER, "direction": ONLINE, "start": -6, "days": 1, "state": State.HELD,
        "lead": 14, "areas": [ZZ], "focus": [CONNECTIVITY, COORDINATION], "city": "zz-hamburg", "presented": False,
        "data": {
            "title_zh": "郑州—汉堡中欧班列合作视频会商",
            "title_en": "A video call of Zhengzhou and Hamburg on the China–Europe train",
            "summary_zh": "两市物流主管部门视频会商中欧班列（郑州）冬季运力安排和汉堡港中转效率。",
            "summary_en": "The logistics offices of both cities on the winter capacity of the China–Europe train (Zhengzhou) "
                          "and transhipment at the Port of Hamburg.",
            "city": "线上 Online", "venue": "视频会议", "country": "DE",
            "foreign_organisation": "Behörde für Wirtschaft und Innovation, Hamburg", "delegation_size": 6,
        },
    },
    # Still to come --------------------------------------------------------------------------------------------
    {
        "key": "lux-forum", "kind": PROVINCIAL, "direction": IN, "start": 12, "days": 3, "state": State.CONFIRMED,
        "proposed": 40, "public": True, "areas": [ZZ], "focus": [CONNECTIVITY, PIVOTS, PLATFORMS], "enterprises": ["zz"],
        "city": "zz-luxembourg",
        "agenda": [
            (0, "09:00", "09:40", "会见卢森堡代表团", "Meeting with the Luxembourg delegation", "河南省人民政府外事办公室"),
            (0, "10:00", "11:30", "“空中丝绸之路”建设推进交流会", "Air Silk Road progress meeting", "郑州航空港经济综合实验区管委会"),
            (0, "14:30", "17:00", "考察新郑国际机场货运区和冷链中转中心", "Visit: airport cargo area and the cold-chain centre",
             "新郑国际机场"),
            (1, "09:30", "11:30", "河南自贸试验区郑州片区情况介绍", "Briefing on the Zhengzhou area of the zone",
             "郑州片区管委会"),
            (1, "14:00", "16:30", "考察郑州示范贸易有限公司跨境电商保税仓", "Visit: Zhengzhou Demo Trading's bonded warehouse",
             "郑州示范贸易有限公司"),
            (2, "09:00", "10:00", "代表团离郑", "Departure", "新郑国际机场"),
        ],
        "data": {
            "title_zh": "郑州—卢森堡“空中丝绸之路”建设推进交流会",
            "title_en": "Zhengzhou–Luxembourg “Air Silk Road” progress meeting",
            "summary_zh": "卢森堡经济部外贸总司长率团来郑，回顾冷链物流合作备忘录落实情况，考察冷链中转中心建设进展，商谈新增航线。",
            "summary_en": "Luxembourg's Director General for Foreign Trade brings a delegation to Zhengzhou: how the cold-chain "
                          "memorandum is being carried out, the cold-chain transit centre under construction and new routes.",
            "city": "郑州 Zhengzhou", "venue": "郑州航空港经济综合实验区管委会", "country": "LU",
            "foreign_organisation": "Ministère de l'Économie, Grand-Duché de Luxembourg", "head_name": "Claude Reuter",
            "head_title": "Director General for Foreign Trade", "head_rank": ProtocolRank.VICE_MINISTER,
            "members": "Anne Weber, Director of Logistics\nLuc Kremer, Luxembourg Airport Cargo Centre",
            "delegation_size": 10,
        },
    },
    {
        "key": "kansas-lt-governor", "kind": DIGNITARY, "direction": IN, "start": 25, "days": 2, "state": State.CONFIRMED,
        "proposed": 30, "public": True, "areas": [ZZ], "focus": [PLATFORMS, COORDINATION], "enterprises": ["zz"],
        "city": "henan-kansas",
        "agenda": [
            (0, "10:00", "11:00", "省领导会见堪萨斯州副州长", "Provincial leaders meet the Lieutenant Governor",
             "河南省人民政府"),
            (0, "11:00", "12:00", "签署友好省州交流合作备忘录", "Signing of a memorandum of sister-state exchange",
             "河南省人民政府"),
            (0, "15:00", "17:00", "河南—堪萨斯经贸合作座谈会", "Henan–Kansas business round table", "郑州国际会展中心"),
            (1, "09:00", "11:30", "考察郑州片区粮食物流设施", "Visit: grain logistics in the Zhengzhou area", "郑州国际陆港"),
            (1, "14:00", "15:30", "考察郑州示范贸易有限公司", "Visit: Zhengzhou Demo Trading", "郑州示范贸易有限公司"),
        ],
        "data": {
            "title_zh": "美国堪萨斯州副州长率经贸代表团访豫",
            "title_en": "The Lieutenant Governor of Kansas leads a trade delegation to Henan",
            "summary_zh": "堪萨斯州副州长率经贸代表团访问河南，出席河南—堪萨斯经贸合作座谈会，考察郑州片区粮食物流和贸易企业。",
            "summary_en": "The Lieutenant Governor of Kansas leads a trade delegation to Henan: a Henan–Kansas business round "
                          "table, grain logistics and trading companies of the Zhengzhou area.",
            "city": "郑州 Zhengzhou", "venue": "河南省人民政府", "country": "US", "foreign_organisation": "State of Kansas",
            "head_name": "Robert Miller", "head_title": "Lieutenant Governor of Kansas", "head_rank": ProtocolRank.DEPUTY,
            "members": "Laura Bennett, Deputy Secretary of Agriculture\nJames Carter, Kansas Department of Commerce",
            "delegation_size": 14,
        },
    },
    {
        "key": "media-luxembourg", "kind": MEDIA, "direction": IN, "start": 8, "days": 1, "state": State.CONFIRMED,
        "proposed": 16, "areas": [ZZ], "focus": [CONNECTIVITY, PIVOTS], "enterprises": ["zz"],
        "data": {
            "title_zh": "卢森堡《经济周刊》记者采访郑州航空港",
            "title_en": "A Luxembourg business weekly interviews at the Zhengzhou Airport Economy Zone",
            "summary_zh": "卢森堡记者采访郑州航空港和跨境电商企业，报道“空中丝绸之路”的中国一端。",
            "summary_en": "A Luxembourg reporter at the Zhengzhou Airport Economy Zone and an e-commerce company: the Chinese "
                          "end of the Air Silk Road.",
            "city": "郑州 Zhengzhou", "venue": "郑州航空港经济综合实验区", "country": "LU",
            "foreign_organisation": "Wirtschaftsblatt Luxemburg", "head_name": "Luc Wagner", "head_title": "Editor",
            "head_rank": ProtocolRank.OTHER, "delegation_size": 2,
        },
    },
    {
        "key": "ly-mission-europe", "kind": PROVINCIAL, "direction": OUT, "start": 45, "days": 8, "state": State.APPROVED,
        "proposed": 20, "areas": [LY], "focus": [PLATFORMS, COORDINATION], "enterprises": ["ly"], "city": "ly-plzen",
        "data": {
            "title_zh": "洛阳片区装备制造企业赴德国、捷克经贸交流",
            "title_en": "Equipment makers of the Luoyang area on a trade mission to Germany and the Czech Republic",
            "summary_zh": "洛阳片区装备制造和机器人企业赴德国、捷克开展经贸交流，落实洛阳—比尔森职业技能培训合作备忘录。",
            "summary_en": "Equipment and robot makers of the Luoyang area go to Germany and the Czech Republic, and carry out "
                          "the Luoyang–Plzeň memorandum on vocational training.",
            "city": "斯图加特、比尔森 Stuttgart, Plzeň", "country": "CZ", "foreign_organisation": "Statutární město Plzeň",
            "head_name": "Petr Novák", "head_title": "Deputy Mayor of Plzeň", "head_rank": ProtocolRank.DEPUTY,
            "delegation_size": 9,
        },
    },
    {
        "key": "oc-kaifeng", "kind": OVERSEAS, "direction": IN, "start": 30, "days": 3, "state": State.APPROVED,
        "proposed": 18, "areas": [KF], "focus": [PLATFORMS], "enterprises": ["kf"],
        "data": {
            "title_zh": "海外华侨华人社团负责人开封文化旅游考察",
            "title_en": "Overseas Chinese association leaders on a culture and tourism visit to Kaifeng",
            "summary_zh": "海外华侨华人社团负责人考察开封片区文化旅游和艺术品交易企业，推动海外宋文化推广合作。",
            "summary_en": "Leaders of overseas Chinese associations visit culture, tourism and art-trade companies of the "
                          "Kaifeng area, to promote Song-dynasty culture abroad together.",
            "city": "开封 Kaifeng", "venue": "开封片区管委会", "country": "US", "foreign_organisation": "海外华侨华人社团",
            "head_name": "赵志强", "head_title": "美国中原同乡会会长", "head_rank": ProtocolRank.OTHER, "delegation_size": 12,
        },
    },
    {
        "key": "okayama-return", "kind": FRIENDSHIP, "direction": OUT, "start": 60, "days": 5, "state": State.PROPOSED,
        "proposed": 5, "areas": [LY], "focus": [COORDINATION], "city": "ly-okayama",
        "data": {
            "title_zh": "洛阳市友好代表团访问冈山市，恢复友城交流",
            "title_en": "A Luoyang friendship delegation to Okayama, to take up the exchanges again",
            "summary_zh": "洛阳市友好代表团拟访问冈山市，商定精密加工技能人才交流培训项目，恢复两市定期互访。",
            "summary_en": "A Luoyang friendship delegation would visit Okayama to settle the training of precision machinists "
                          "and take up regular visits again.",
            "city": "冈山 Okayama", "country": "JP", "foreign_organisation": "Okayama City", "delegation_size": 6,
        },
    },
    {
        "key": "sg-minister", "kind": DIGNITARY, "direction": IN, "start": 50, "days": 2, "state": State.PROPOSED,
        "proposed": 3, "areas": [ZZ], "focus": [PIVOTS, PLATFORMS],
        "data": {
            "title_zh": "新加坡贸工部高级政务部长访问郑州片区",
            "title_en": "Singapore's Senior Minister of State for Trade and Industry visits the Zhengzhou area",
            "summary_zh": "新加坡贸工部高级政务部长拟率团访问郑州，考察郑州片区金融和物流平台，出席新加坡—河南企业座谈会。",
            "summary_en": "Singapore's Senior Minister of State for Trade and Industry would visit Zhengzhou: the finance and "
                          "logistics platforms of the Zhengzhou area and a Singapore–Henan business round table.",
            "city": "郑州 Zhengzhou", "country": "SG", "foreign_organisation": "Ministry of Trade and Industry, Singapore",
            "head_name": "Tan Wei Ming", "head_title": "Senior Minister of State for Trade and Industry",
            "head_rank": ProtocolRank.VICE_MINISTER, "delegation_size": 8,
        },
    },
    {
        "key": "rcep-online", "kind": OTHER, "direction": ONLINE, "start": 20, "days": 1, "state": State.PROPOSED,
        "proposed": 2, "areas": [ZZ, LY, KF], "focus": [PLATFORMS, CONNECTIVITY],
        "data": {
            "title_zh": "RCEP 成员国商协会线上对接会",
            "title_en": "Online matchmaking with chambers of commerce of RCEP members",
            "summary_zh": "邀请 RCEP 成员国商协会与三个片区企业线上对接，介绍原产地规则和自贸试验区便利化措施。",
            "summary_en": "Chambers of commerce of RCEP members meet companies of the three areas online: rules of origin and "
                          "the zone's facilitation measures.",
            "city": "线上 Online", "venue": "视频会议", "foreign_organisation": "RCEP 成员国商协会",
        },
    },
    {
        "key": "lombardy", "kind": DIGNITARY, "direction": IN, "start": 15, "days": 3, "state": State.POSTPONED,
        "proposed": 35, "areas": [ZZ, LY], "focus": [PLATFORMS, COORDINATION], "enterprises": ["ly"],
        "postpone": (-21, "外方因大区议会选举推迟来访，新日期待外方确认。"),
        "data": {
            "title_zh": "意大利伦巴第大区经济代表团访问郑州、洛阳",
            "title_en": "A Lombardy economic delegation to Zhengzhou and Luoyang",
            "summary_zh": "伦巴第大区经济发展部门拟率企业代表团访问郑州和洛阳，考察装备制造和设计产业。",
            "summary_en": "Lombardy's economic development department would bring companies to Zhengzhou and Luoyang for "
                          "equipment manufacturing and design.",
            "city": "郑州、洛阳 Zhengzhou, Luoyang", "country": "IT", "foreign_organisation": "Regione Lombardia",
            "head_name": "Giovanni Rossi", "head_title": "Regional Minister for Economic Development",
            "head_rank": ProtocolRank.GOVERNOR, "delegation_size": 18,
        },
    },
]

# Interview requests of foreign journalists: `submitted` (days, hours ago), the wished dates from so many days
# after it, for so many days; `arrange` (days after, the activity, interviewees, sites); `hold` and `close` (days
# after the activity's first day); `coverage`; `decline` (days after, the office's reason).
MEDIA_REQUESTS = [
    {
        "key": "rhein-main", "submitted": (187, 3), "wished": (24, 4), "language": "en",
        "data": {"journalist_name": "Felix Braun", "email": "felix.braun@example.de", "phone": "+49 69 1234 5678",
                 "outlet": "Rhein-Main Wirtschaftszeitung", "outlet_country": "DE",
                 "press_card": "DE-PK-04412, Deutscher Journalisten-Verband",
                 "topic": "How the China–Europe train and cross-border e-commerce make Zhengzhou a hub for Europe's trade.",
                 "people_wished": "A logistics official of the Zhengzhou area; a cross-border e-commerce company",
                 "sites_wished": "Zhengzhou international dry port; the cross-border e-commerce pilot zone"},
        "arrange": (8, "media-rhein-main", "郑州国际陆港负责人；郑州示范贸易有限公司总经理张伟",
                    "郑州国际陆港；中国（郑州）跨境电子商务综合试验区"),
        "hold": 0, "close": 15,
        "coverage": [("Rhein-Main Wirtschaftszeitung", "Zhengzhou: where Europe's parcels change trains", 12)],
    },
    {
        "key": "kansai", "submitted": (66, 5), "wished": (20, 2), "language": "en",
        "data": {"journalist_name": "Sato Haruki", "email": "haruki.sato@example.jp", "phone": "+81 6 1234 5678",
                 "outlet": "Kansai Business Times", "outlet_country": "JP",
                 "press_card": "JP-KPC-00871, Kansai Press Club",
                 "topic": "Kaifeng's Song-dynasty heritage as an industry: creative design, art trade and medical tourism.",
                 "people_wished": "The Kaifeng area's administration; a culture and tourism company",
                 "sites_wished": "The Kaifeng area; the Millennium City Park"},
        "arrange": (6, "media-kansai", "开封片区管委会副主任；开封示范文化旅游有限公司负责人",
                    "开封片区文化创意产业园；清明上河园"),
        "hold": 0,
        "coverage": [("Kansai Business Times", "Kaifeng turns a thousand-year-old capital into a service industry", 6)],
    },
    {
        "key": "luxembourg-weekly", "submitted": (20, 4), "wished": (27, 2), "language": "en",
        "data": {"journalist_name": "Luc Wagner", "email": "luc.wagner@example.lu", "phone": "+352 26 12 34 56",
                 "outlet": "Wirtschaftsblatt Luxemburg", "outlet_country": "LU",
                 "press_card": "LU-CP-0347, Conseil de presse Luxembourg",
                 "topic": "The Air Silk Road seen from Zhengzhou: freighter flights, the cold chain and e-commerce parcels.",
                 "people_wished": "The Zhengzhou Airport Economy Zone; a company shipping to Luxembourg",
                 "sites_wished": "The airport cargo area; a bonded e-commerce warehouse"},
        "arrange": (11, "media-luxembourg", "郑州航空港经济综合实验区管委会副主任；郑州示范贸易有限公司总经理张伟",
                    "新郑国际机场货运区；郑州示范贸易有限公司跨境电商保税仓"),
    },
    {
        "key": "del-plata", "submitted": (34, 2), "wished": (30, 4), "language": "en",
        "data": {"journalist_name": "Lucía Fernández", "email": "lucia.fernandez@example.com.ar",
                 "outlet": "Revista Económica del Plata", "outlet_country": "AR",
                 "press_card": "AR-APE-1190, Asociación de Periodistas Económicos",
                 "topic": "Chinese demand for South American farm products through Henan's free trade zone.",
                 "people_wished": "The Governor of Henan", "sites_wished": "Grain and meat importers of Zhengzhou"},
        "decline": (4, "所请采访省政府主要领导，近期日程无法安排；已建议改为书面采访省自贸办负责人。"),
    },
    {
        "key": "nordic", "submitted": (2, 3), "wished": (25, 3), "language": "en",
        "data": {"journalist_name": "Jonas Lindqvist", "email": "jonas.lindqvist@example.se", "phone": "+46 8 123 456 78",
                 "outlet": "Nordic Trade Weekly", "outlet_country": "SE",
                 "press_card": "SE-SJF-0412, Svenska Journalistförbundet",
                 "topic": "Cross-border e-commerce exports from Henan to the Nordic countries and the bonded warehouses of "
                          "the Zhengzhou area.",
                 "people_wished": "A cross-border e-commerce company; customs officers of the Zhengzhou area",
                 "sites_wished": "The cross-border e-commerce bonded warehouses of Zhengzhou"},
    },
    {
        "key": "lion-city", "submitted": (0, 5), "wished": (21, 2), "language": "zh-hans",
        "data": {"journalist_name": "李明辉", "email": "minghui.li@example.sg", "phone": "+65 6123 4567",
                 "outlet": "狮城商业周刊 Lion City Business Weekly", "outlet_country": "SG",
                 "press_card": "SG-MCI-3381",
                 "topic": "洛阳片区机器人和新材料企业如何开拓 RCEP 市场。",
                 "people_wished": "洛阳片区管委会；机器人企业负责人", "sites_wished": "洛阳片区机器人企业"},
    },
]

# Overseas-Chinese community leaders: registered `registered` days after the activity they first came with,
# with their consent (given the day before, as `basis` says), later exchanges linked.
CONTACTS = [
    {"first": "oc-leaders-tour", "also": ["oc-kaifeng"], "consent": True, "basis": "writing",
     "data": {"name_zh": "林志远", "name_latin": "Lim Chee Yuan", "country": "MY", "city": "Kuala Lumpur",
              "association": "马来西亚河南总商会", "role": "会长", "phone": "+60 3 2123 4567",
              "email": "lim.cheeyuan@example.my", "wechat": "lim_cy_kl"}},
    {"first": "oc-leaders-tour", "also": ["oc-ecommerce"], "consent": True, "basis": "writing",
     "data": {"name_zh": "王建国", "name_latin": "Wang Jianguo", "country": "ES", "city": "Madrid",
              "association": "西班牙华侨华人协会", "role": "副会长", "phone": "+34 91 123 45 67",
              "email": "wang.jianguo@example.es"}},
    {"first": "oc-leaders-tour", "also": ["oc-ecommerce"], "consent": True, "basis": "email",
     "data": {"name_zh": "陈丽娟", "name_latin": "Chen Lijuan", "country": "IT", "city": "Prato",
              "association": "意大利普拉托华商会", "role": "会长", "phone": "+39 0574 123456",
              "email": "chen.lijuan@example.it", "wechat": "chenlj_prato"}},
    {"first": "oc-leaders-tour", "also": ["oc-kaifeng"], "consent": True, "basis": "message",
     "data": {"name_zh": "赵志强", "name_latin": "Peter Zhao", "country": "US", "city": "San Francisco",
              "association": "美国中原同乡会", "role": "会长", "phone": "+1 415 555 0142",
              "email": "peter.zhao@example.com"}},
    {"first": "oc-leaders-tour", "also": ["oc-ecommerce"], "consent": True, "basis": "email",
     "data": {"name_zh": "黄文杰", "name_latin": "Wong Man-kit", "country": "NL", "city": "Rotterdam",
              "association": "荷兰华人物流商会", "role": "会长", "phone": "+31 10 123 4567",
              "email": "wong.mankit@example.nl"}},
    {"first": "oc-ecommerce", "also": [], "consent": True, "basis": "oral",
     "note": "对接会当天由经办处长当面听取，记入会议纪要。",
     "data": {"name_zh": "周雅琴", "name_latin": "Zhou Yaqin", "country": "HU", "city": "Budapest",
              "association": "匈牙利河南商会", "role": "秘书长",
              "notes": "在跨境电商对接会上结识，同意登记，联系方式待下次见面时补充。"}},
]

# The friendship-city projects of the projects demo (projects.demo, by key) and the pair each came through.
PROJECT_LINKS = {
    "richmond-medtech": "zz-richmond",
    "kansas-wheat": "henan-kansas",
    "mie-katagami": "henan-mie",
    "okayama-technicians": "ly-okayama",
}

# The year (seed_demo --size year): business delegations to the year's other enterprises of the zone.
YEAR_ENTERPRISES = [
    ("zylogistics", ZZ, "现代物流", "logistics"),
    ("zhilian", ZZ, "智能终端", "smart terminals"),
    ("yuou", ZZ, "跨境电商", "cross-border e-commerce"),
    ("jinggong", LY, "工业机器人", "industrial robots"),
    ("yiluo", LY, "新材料", "new materials"),
    ("songyun", KF, "文化创意", "creative design"),
    ("biankang", KF, "医疗康养", "medical tourism"),
]
YEAR_COUNTRIES = [
    ("DE", "德国", "Germany"), ("FR", "法国", "France"), ("IT", "意大利", "Italy"), ("NL", "荷兰", "the Netherlands"),
    ("PL", "波兰", "Poland"), ("HU", "匈牙利", "Hungary"), ("JP", "日本", "Japan"), ("KR", "韩国", "Korea"),
    ("SG", "新加坡", "Singapore"), ("MY", "马来西亚", "Malaysia"), ("TH", "泰国", "Thailand"), ("VN", "越南", "Vietnam"),
    ("AE", "阿联酋", "the United Arab Emirates"), ("KZ", "哈萨克斯坦", "Kazakhstan"), ("UZ", "乌兹别克斯坦", "Uzbekistan"),
    ("AU", "澳大利亚", "Australia"), ("NZ", "新西兰", "New Zealand"), ("CL", "智利", "Chile"),
]
AREA_WORDS = {
    ZZ: ("郑州 Zhengzhou", "郑州片区", "the Zhengzhou area"),
    LY: ("洛阳 Luoyang", "洛阳片区", "the Luoyang area"),
    KF: ("开封 Kaifeng", "开封片区", "the Kaifeng area"),
}
# fmt: on

# The reception checklist: who it is assigned to, due so many days before the first day, and a note.
CHECKLIST_PLAN = [
    (ChecklistKind.INVITATION, "officer", 30, ""),
    (ChecklistKind.ARRIVAL, "officer2", 3, "接机：新郑国际机场 T2 贵宾通道"),
    (ChecklistKind.ACCOMMODATION, "officer", 10, ""),
    (ChecklistKind.INTERPRETERS, "officer2", 7, ""),
    (ChecklistKind.GIFTS, "officer", 5, ""),
    (ChecklistKind.SECURITY, "officer2", 3, ""),
    (ChecklistKind.PRESS, "officer", 2, ""),
]
GIFTS = {ZZ: "礼品：黄河澄泥砚", LY: "礼品：洛阳唐三彩摆件", KF: "礼品：汴绣团扇"}
# How far the checklist has come: the items assigned and ticked, by the activity's state.
ASSIGNED = {State.APPROVED: 3, State.POSTPONED: 3}
TICKED = {State.APPROVED: 1, State.POSTPONED: 1, State.CONFIRMED: 4}


def seed() -> int:
    """The area's demo records, once: returns the number of exchange activities created."""
    if Activity.objects.filter(title_en=ACTIVITIES[0]["data"]["title_en"]).exists():
        return 0
    demo = ExchangesDemo(year=accounts_demo.size() == accounts_demo.YEAR)
    demo.plan()
    return demo.play()


class _Clock(DemoClock):
    """The demo clock, doing also what the worker does with the e-mails to journalists (the outbox past the
    notifications): each counts as sent when it was written, as DemoClock.settle does for notifications."""

    def _run_task(self, task_name: str, *args) -> None:
        if task_name == "exchanges.deliver_media_message":
            # The worker's write (notifications.outbox.deliver) without the mail server: sent then.
            MediaMessage.objects.filter(pk=args[0], sent_at__isnull=True).update(sent_at=self.now, attempts=1)
            return
        super()._run_task(task_name, *args)


class ExchangesDemo:
    """The area's demo history: `plan()` lays out its steps, `play()` plays them on the clock and returns the
    number of activities made (`failures`: the steps the services refused; the tests want none)."""

    def __init__(self, *, year: bool = False):
        self.year = year
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rng = random.Random(202604)
        self.users = {name: User.objects.get(username=name) for name in ("officer", "officer2", "leader")}
        self.officer, self.leader = self.users["officer"], self.users["leader"]
        self.organizations = {key: Organization.objects.get(uscc=uscc) for key, uscc in ENTERPRISES.items()}
        self.registry_day = self._weekday(self.today - timedelta(days=REGISTRY_OPENED))
        self.steps: list[tuple[datetime, object, object, str]] = []
        self.activities: dict[str, Activity] = {}
        self.cities: dict = {}
        self.requests: dict = {}
        self.contacts: dict = {}
        self.specs: dict[str, dict] = {}
        self.failures: list[str] = []
        self.created = 0

    # Time -----------------------------------------------------------------------------------------------

    def at(self, day: date, hour: float) -> datetime:
        minutes = int(hour * 60)
        return timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))

    @staticmethod
    def _weekday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def office_at(self, day: date, hour: float | None = None) -> datetime:
        """An office hour on `day`, or on the Monday after it when it falls on a weekend (unless that is still
        to come: then the weekend day itself)."""
        hour = hour if hour is not None else self.rng.uniform(9, 17)
        moment = self.at(self._weekday(day), hour)
        if moment > self.now - timedelta(minutes=30):
            moment = self.at(day, hour)
        return moment

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def add(self, moment: datetime, action, *, thread=None, label: str = "") -> None:
        if moment >= self.now:
            # A step still to come would be left out by the timeline: the story must not depend on the hour.
            raise ValueError(f"demo step {label} planned for {moment}, after now")
        self.steps.append((moment, action, thread, label))

    # Planning -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        self._plan_registry()
        for spec in ACTIVITIES:
            self._plan_activity(spec)
        for spec in self._year_activities() if self.year else []:
            self._plan_activity(spec)
        for spec in MEDIA_REQUESTS:
            self._plan_media_request(spec)
        for index, spec in enumerate(CONTACTS):
            self._plan_contact(index, spec)
        self._plan_project_links()

    def _plan_registry(self) -> None:
        """The office opens the registry: the pairs with their agreements, then their earlier exchanges."""
        thread = _Thread(self, "registry")
        moment = self.at(self.registry_day, 9.5)
        for spec in CITIES:
            moment = thread.add(moment, partial(self._register_city, spec), f"city {spec['key']}", gap=12)
            for agreement in spec["agreements"]:
                moment = thread.add(
                    moment, partial(self._city_agreement, spec["key"], *agreement), "agreement"
                )
        for index, spec in enumerate(EARLIER):
            # Two or three an afternoon, over the next days.
            day = self._weekday(self.registry_day + timedelta(days=1 + index // 3))
            thread.add(
                self.at(day, 14 + (index % 3)), partial(self._record_earlier, spec), f"earlier {index}"
            )

    def _plan_activity(self, spec) -> None:
        key, state = spec["key"], spec["state"]
        self.specs[key] = spec
        thread = _Thread(self, f"activity:{key}")
        start = self.day(spec["start"])
        end = start + timedelta(days=spec.get("days", 1) - 1)
        if "proposed" in spec:
            proposed_day = self.day(-spec["proposed"])
        else:
            proposed_day = start - timedelta(days=spec.get("lead", 40))
        incoming = spec["direction"] == IN
        thread.add(self.office_at(proposed_day, 9.5), partial(self._propose, spec), "propose")
        thread.add(thread.last, partial(self._agenda, spec), "agenda", gap=20)
        if state == State.PROPOSED:
            return
        approved = thread.add(
            self.office_at(proposed_day + timedelta(days=2)), partial(self._run, key, "approve"), "approve"
        )
        if incoming and state not in HELD_STATES:
            # A visit to come has its items assigned now and ticked as they are done; a past one's items are
            # assigned and ticked at once in the weeks before it (_plan_ticks).
            assigned = ASSIGNED.get(state, len(CHECKLIST_PLAN))
            thread.add(
                self.office_at(self._date(approved) + timedelta(days=1)),
                partial(self._assign_checklist, key, assigned),
                "checklist",
            )
        if "resumed" in spec:
            days, reason, new_start = spec["resumed"]
            postponed = thread.add(
                self.office_at(start + timedelta(days=days)),
                partial(self._run, key, "postpone", reason),
                "postpone",
            )
            resumed = thread.add(
                self.office_at(self._date(postponed) + timedelta(days=1)),
                partial(self._resume, key, self.day(new_start), spec.get("days", 1)),
                "resume",
            )
            thread.add(
                self.office_at(self._date(resumed) + timedelta(days=2)),
                partial(self._run, key, "approve"),
                "approve",
            )
            start = self.day(new_start)
            end = start + timedelta(days=spec.get("days", 1) - 1)
        if state == State.POSTPONED:
            days, reason = spec["postpone"]
            postponed = start + timedelta(days=days)
            self._plan_ticks(thread, spec, until=postponed - timedelta(days=1))
            thread.add(self.office_at(postponed), partial(self._run, key, "postpone", reason), "postpone")
            return
        if state == State.CANCELLED:
            days, reason = spec["cancel"]
            thread.add(
                self.office_at(start + timedelta(days=days)),
                partial(self._run, key, "cancel", reason),
                "cancel",
            )
            return
        if state == State.APPROVED:
            self._plan_ticks(thread, spec, until=start - timedelta(days=1))
            return
        # A fortnight before the visit, or a few days ago for one still to come.
        confirm_day = max(self._date(thread.last) + timedelta(days=2), start - timedelta(days=12))
        confirm_day = min(confirm_day, self.today - timedelta(days=4))
        thread.add(self.office_at(confirm_day), partial(self._run, key, "confirm"), "confirm")
        self._plan_ticks(thread, spec, until=start - timedelta(days=1))
        if state == State.CONFIRMED:
            return
        thread.add(self.at(start, 18), partial(self._run, key, "hold"), "hold")
        for index, agreement in enumerate(spec.get("agreements", [])):
            signed = start + timedelta(days=min(agreement[4], (end - start).days))
            thread.add(
                self.at(signed, 19), partial(self._agreement, key, agreement, signed), f"agreement {index}"
            )
        for index in range(len(spec.get("follow_ups", []))):
            thread.add(
                self.office_at(end + timedelta(days=1)),
                partial(self._follow_up, key, index, end),
                "follow-up",
            )
        events = []
        for index, item in enumerate(spec.get("follow_ups", [])):
            if item[3] is not None:
                events.append((item[3], partial(self._follow_up_done, key, index), "follow-up done"))
        for index, (_outlet, _title, days) in enumerate(spec.get("coverage", [])):
            events.append((days, partial(self._coverage, key, index, end), "coverage"))
        if state in (State.REPORTED, State.CLOSED):
            events.append((5, partial(self._report, spec), "report"))
        if state == State.CLOSED:
            closer = "leader" if spec["start"] % 2 else "officer"  # either may close
            events.append((25, partial(self._run, key, "close", actor=closer), "close"))
        for days, action, label in sorted(events, key=lambda event: event[0]):
            thread.add(self.office_at(end + timedelta(days=days)), action, label)

    def _plan_ticks(self, thread, spec, *, until: date) -> None:
        """The officer ticks the reception checklist's items one by one as they are done, up to `until` (the day
        before the visit, or yesterday for a visit still to come)."""
        if spec["direction"] != IN:
            return
        ticked = TICKED.get(spec["state"], len(CHECKLIST_PLAN))
        first = self._date(thread.last)
        last = min(until, self.today - timedelta(days=1))
        span = max(0, (last - first).days)
        assign = spec["state"] in HELD_STATES
        for index in range(ticked):
            day = first + timedelta(days=span * (index + 1) // (ticked + 1))
            action = partial(self._tick, spec["key"], index, assign=assign)
            thread.add(self.office_at(day), action, "tick", gap=5)

    def _plan_media_request(self, spec) -> None:
        thread = _Thread(self, f"media:{spec['key']}")
        days, hours = spec["submitted"]
        submitted = self.now - timedelta(days=days, hours=hours)
        thread.add(submitted, partial(self._submit, spec), "submit")
        if "decline" in spec:
            after, reason = spec["decline"]
            thread.add(
                self.office_at(self._date(submitted) + timedelta(days=after)),
                partial(self._decline, spec["key"], reason),
                "decline",
            )
            return
        if "arrange" not in spec:
            return
        after, activity_key = spec["arrange"][:2]
        thread.add(
            self.office_at(self._date(submitted) + timedelta(days=after)),
            partial(self._arrange, spec),
            "arrange",
        )
        activity = self.specs[activity_key]
        held_on = self.day(activity["start"])
        if "hold" in spec:
            thread.add(
                self.at(held_on + timedelta(days=spec["hold"]), 18.5),
                partial(self._media_run, spec["key"], "hold"),
                "hold",
            )
        for index, (_outlet, _title, days_after) in enumerate(spec.get("coverage", [])):
            thread.add(
                self.office_at(held_on + timedelta(days=days_after)),
                partial(self._media_coverage, spec, index, held_on),
                "coverage",
            )
        if "close" in spec:
            thread.add(
                self.office_at(held_on + timedelta(days=spec["close"])),
                partial(self._media_run, spec["key"], "close"),
                "close",
            )

    def _plan_contact(self, index: int, spec) -> None:
        thread = _Thread(self, f"contact:{index}")
        first = self.specs[spec["first"]]
        met = self.day(first["start"] + first.get("days", 1) + 1)
        thread.add(self.office_at(met), partial(self._register_contact, index, spec, met), "register")
        for key in spec["also"]:
            other = self.specs[key]
            day = self.day(other["start"] + other.get("days", 1) + 1)
            if other["start"] > 0:  # a visit to come: listed once it is approved
                day = self.day(-other["proposed"] + 4)
            thread.add(self.office_at(day), partial(self._link_contact, index, key), "link")

    def _plan_project_links(self) -> None:
        """The friendship-city projects of the projects demo, linked to their pairs the day after they were
        entered (when there are: the projects demo runs first in seed_demo)."""
        from projects.demo import PROJECTS
        from projects.models import CooperationProject

        titles = {spec["key"]: spec["data"]["title_en"] for spec in PROJECTS}
        for project_key, city_key in PROJECT_LINKS.items():
            project = CooperationProject.objects.filter(title_en=titles.get(project_key)).first()
            if project is None:
                continue
            entered = timezone.localtime(project.created_at).date()
            moment = max(self.office_at(entered + timedelta(days=1)), project.created_at + timedelta(hours=1))
            moment = max(moment, self.at(self.registry_day, 18))
            self.add(
                min(moment, self.now - timedelta(hours=1)),
                partial(self._link_project, city_key, project),
                thread=f"project:{project_key}",
                label=f"link {project_key}",
            )

    def _year_activities(self) -> list[dict]:
        """Eighteen business delegations to the year's other enterprises, one every three weeks or so."""
        organizations = {
            spec["username"]: spec["uscc"]
            for spec in accounts_demo.EXTRA_ORGANIZATIONS
            if spec["username"] in {row[0] for row in YEAR_ENTERPRISES}
        }
        specs = []
        for index in range(18):
            username, area, sector_zh, sector_en = YEAR_ENTERPRISES[index % len(YEAR_ENTERPRISES)]
            code, country_zh, country_en = self.rng.choice(YEAR_COUNTRIES)
            organization = Organization.objects.get(uscc=organizations[username])
            self.organizations[username] = organization
            start = -350 + index * 19 + self.rng.randint(0, 8)
            city, area_zh, area_en = AREA_WORDS[area]
            state = State.CLOSED if start < -60 else State.REPORTED if start < -12 else State.HELD
            specs.append(
                {
                    "key": f"year-{index}", "kind": self.rng.choice([PROVINCIAL, OTHER]), "direction": IN,
                    "start": start, "days": self.rng.choice([1, 2]), "state": state, "lead": self.rng.randint(20, 45),
                    "public": index % 3 == 0, "areas": [area], "focus": self.rng.sample(list(Focus.values), k=2),
                    "enterprises": [username],
                    "data": {
                        "title_zh": f"{country_zh}{sector_zh}企业代表团考察{organization.name_zh}",
                        "title_en": f"A {sector_en} business delegation from {country_en} visits "
                                    f"{organization.name_en}",
                        "summary_zh": f"{country_zh}{sector_zh}企业代表团访问{area_zh}，听取河南自贸试验区情况介绍，"
                                      f"考察{organization.name_zh}，洽谈合作。",
                        "summary_en": f"A {sector_en} business delegation from {country_en} in {area_en}: a briefing on "
                                      f"the Henan Free Trade Zone, a visit to {organization.name_en} and talks.",
                        "city": city, "venue": organization.name_zh, "country": code,
                        "foreign_organisation": f"{country_en} business delegation",
                        "delegation_size": self.rng.randint(4, 15),
                    },
                    "outcome": (
                        f"双方就{sector_zh}合作深入交流，约定推动企业间进一步对接。",
                        f"Both sides talked through cooperation in {sector_en} and will bring their companies together.",
                    ),
                }
            )  # fmt: skip
        return specs

    def _date(self, moment: datetime) -> date:
        return timezone.localtime(moment).date()

    # Playing --------------------------------------------------------------------------------------------

    def play(self) -> int:
        with _Clock() as clock:
            timeline = Timeline(clock)
            for moment, action, thread, label in self.steps:
                timeline.add(moment, action, thread=thread, label=label)
            timeline.run()
            self.failures = timeline.failures
        return self.created

    # Steps: the registry --------------------------------------------------------------------------------

    def _register_city(self, spec) -> None:
        self.cities[spec["key"]] = cities.city_create(actor=self.officer, data=spec["data"])

    def _city_agreement(self, key: str, title: str, signed, renew, with_document: bool) -> None:
        signed_on = signed if isinstance(signed, date) else self.day(signed)
        renew_by = self.day(renew) if isinstance(renew, int) else renew
        city = self.cities[key]
        document = None
        if with_document:
            document = ContentFile(
                agreement_pdf(title, f"{city.henan_name_en} and {city.foreign_name_en}", signed_on),
                name="agreement.pdf",
            )
        cities.agreement_add(
            city=city,
            actor=self.officer,
            data={"title": title, "signed_on": signed_on, "renew_by": renew_by},
            uploaded_file=document,
        )

    def _record_earlier(self, spec) -> None:
        """An exchange held before the registry opened, recorded after the fact: proposed, approved and run
        through to closed the same day."""
        start = self.day(spec["start"])
        data = {
            "kind": spec["kind"],
            "direction": spec["direction"],
            "title_zh": spec["title_zh"],
            "title_en": spec["title_en"],
            "ftz_areas": spec["areas"],
            "country": spec["country"],
            "starts_on": start,
            "ends_on": start + timedelta(days=spec["days"] - 1),
            "city": AREA_WORDS[spec["areas"][0]][0] if spec["direction"] == IN else "",
            "outcome_summary_zh": spec["outcome_zh"],
            "outcome_summary_en": spec["outcome_en"],
            "friendship_city": self.cities[spec["city"]].pk,
            "zone_presented": spec["direction"] == IN,
        }
        activity = activities.activity_create(actor=self.officer, data=data)
        self.created += 1
        activity = activities.activity_run(activity=activity, actor=self.leader, name="approve")
        for name in ("confirm", "hold", "report", "close"):
            activity = activities.activity_run(activity=activity, actor=self.officer, name=name)

    # Steps: activities ----------------------------------------------------------------------------------

    def _propose(self, spec) -> None:
        start = self.day(spec["start"])
        data = {
            **spec["data"],
            "kind": spec["kind"],
            "direction": spec["direction"],
            "ftz_areas": spec["areas"],
            "focus": spec["focus"],
            "starts_on": start,
            "ends_on": start + timedelta(days=spec.get("days", 1) - 1),
            "public": spec.get("public", False),
            "enterprises_visited": [self.organizations[key].pk for key in spec.get("enterprises", [])],
        }
        if "city" in spec:
            data["friendship_city"] = self.cities[spec["city"]].pk
        if spec["direction"] == IN:
            data.setdefault("hosts", HOSTS[spec["areas"][0]])
        elif spec["direction"] == OUT:
            data.setdefault("hosts", "河南省人民政府外事办公室\n河南省商务厅")
        if spec.get("presented", True):
            data.update(zone_presented=True, briefing_by=BRIEFING_BY, materials=MATERIALS)
        self.activities[spec["key"]] = activities.activity_create(actor=self.officer, data=data)
        self.created += 1

    def _agenda(self, spec) -> None:
        activity = self.activities[spec["key"]]
        rows = spec.get("agenda") or self._plain_agenda(spec)
        items = [
            {
                "day": activity.starts_on + timedelta(days=day),
                "starts_at": starts,
                "ends_at": ends,
                "title_zh": zh,
                "title_en": en,
                "place": place,
            }
            for day, starts, ends, zh, en, place in rows
        ]
        activities.agenda_set(activity=activity, actor=self.officer, items=items)

    def _plain_agenda(self, spec) -> list[tuple]:
        """A programme of the usual shape when the spec has none."""
        venue = spec["data"].get("venue", "")
        if spec["direction"] == ONLINE:
            return [(0, "15:00", "17:00", "视频会议", "Video conference", venue)]
        if spec["direction"] == OUT:
            rows = [
                (0, "10:00", "11:30", "会见外方负责人", "Meeting with the hosts", venue),
                (
                    0,
                    "14:00",
                    "16:30",
                    "河南自贸试验区推介会",
                    "Presentation of the Henan Free Trade Zone",
                    venue,
                ),
            ]
            if spec.get("days", 1) > 1:
                rows.append((1, "09:30", "12:00", "企业对接与考察", "Company meetings and visits", ""))
            return rows
        area = spec["areas"][0]
        _city, area_zh, area_en = AREA_WORDS[area]
        rows = [
            (0, "09:00", "09:40", "会见代表团", "Meeting with the delegation", venue),
            (0, "10:00", "11:30", f"{area_zh}情况介绍", f"Briefing on {area_en}", f"{area_zh}管委会"),
        ]
        for key in spec.get("enterprises", [])[:1]:
            organization = self.organizations[key]
            rows.append(
                (0, "14:30", "16:30", f"考察{organization.name_zh}", f"Visit: {organization.name_en}", "")
            )
        if spec.get("days", 1) > 1:
            rows.append((1, "09:30", "11:30", "企业座谈会", "Round table with companies", f"{area_zh}管委会"))
        return rows

    def _run(self, key: str, name: str, comment: str = "", *, actor: str | None = None) -> None:
        if actor is None:
            actor = "leader" if name == "approve" else "officer"
        self.activities[key] = activities.activity_run(
            activity=self.activities[key], actor=self.users[actor], name=name, comment=comment
        )

    def _resume(self, key: str, new_start: date, days: int) -> None:
        """New dates agreed with the foreign party, then taken up again (a leader approves it again)."""
        activity = activities.activity_update(
            activity=self.activities[key],
            actor=self.officer,
            data={"starts_on": new_start, "ends_on": new_start + timedelta(days=days - 1)},
        )
        self.activities[key] = activity
        self._agenda(self.specs[key])
        self._run(key, "resume")

    def _assignment(self, activity: Activity, index: int) -> dict:
        """Who does an item of the reception checklist, by when (not before tomorrow), with a note."""
        kind, assignee, before, note = CHECKLIST_PLAN[index]
        if kind == ChecklistKind.GIFTS:
            note = GIFTS.get(activity.area_codes[0] if activity.area_codes else ZZ, note)
        due = max(activity.starts_on - timedelta(days=before), timezone.localdate() + timedelta(days=1))
        return {"assignee": self.users[assignee].pk, "due_on": min(due, activity.starts_on), "note": note}

    def _assign_checklist(self, key: str, count: int) -> None:
        activity = self.activities[key]
        items = {item.kind: item for item in activity.checklist.all()}
        for index in range(count):
            item = items[CHECKLIST_PLAN[index][0]]
            activities.checklist_update(item=item, actor=self.officer, data=self._assignment(activity, index))

    def _tick(self, key: str, index: int, *, assign: bool) -> None:
        activity = self.activities[key]
        item = activity.checklist.get(kind=CHECKLIST_PLAN[index][0])
        data = {**(self._assignment(activity, index) if assign else {}), "done": True}
        activities.checklist_update(item=item, actor=self.officer, data=data)

    def _agreement(self, key: str, agreement, signed: date) -> None:
        kind, title_zh, title_en, parties, _day, with_document = agreement
        activity = self.activities[key]
        data = {"kind": kind, "title": f"{title_zh}（{title_en}）", "parties": parties, "signed_on": signed}
        if with_document:
            document = activities.document_add(
                activity=activity,
                actor=self.officer,
                kind=ActivityDocumentKind.AGREEMENT,
                uploaded_file=ContentFile(agreement_pdf(title_en, parties, signed), name="agreement.pdf"),
            )
            data["document"] = document.pk
        activities.agreement_add(activity=activity, actor=self.officer, data=data)

    def _follow_up(self, key: str, index: int, end: date) -> None:
        spec = self.specs[key]
        task, owner, due, _done = spec["follow_ups"][index]
        activities.follow_up_add(
            activity=self.activities[key],
            actor=self.officer,
            data={"task": task, "owner": self.users[owner].pk, "due_on": end + timedelta(days=due)},
        )

    def _follow_up_done(self, key: str, index: int) -> None:
        follow_up = self.activities[key].follow_ups.order_by("pk")[index]
        activities.follow_up_done(follow_up=follow_up, actor=follow_up.owner)

    def _coverage(self, key: str, index: int, end: date) -> None:
        spec = self.specs[key]
        outlet, title, days = spec["coverage"][index]
        activities.coverage_add(
            actor=self.officer,
            activity=self.activities[key],
            data={
                "url": _coverage_url(key, index, end),
                "outlet": outlet,
                "title": title,
                "published_on": end + timedelta(days=days),
            },
        )

    def _report(self, spec) -> None:
        zh, en = spec["outcome"]
        key = spec["key"]
        self.activities[key] = activities.activity_update(
            activity=self.activities[key],
            actor=self.officer,
            data={"outcome_summary_zh": zh, "outcome_summary_en": en},
        )
        self._run(key, "report")

    # Steps: media requests, contacts, projects ---------------------------------------------------------------

    def _submit(self, spec) -> None:
        start = timezone.localdate() + timedelta(days=spec["wished"][0])
        data = {
            **spec["data"],
            "wished_from": start,
            "wished_until": start + timedelta(days=spec["wished"][1] - 1),
        }
        self.requests[spec["key"]] = media.media_request_submit(data=data, language=spec["language"])

    def _arrange(self, spec) -> None:
        _after, activity_key, interviewees, sites = spec["arrange"]
        activity = self.activities[activity_key]
        request = media.media_request_update(
            request=self.requests[spec["key"]],
            actor=self.officer,
            data={
                "arranged_interviewees": interviewees,
                "arranged_sites": sites,
                "arranged_on": activity.starts_on,
                "escort": self.users["officer2"].pk,
                "activity": activity.pk,
            },
        )
        self.requests[spec["key"]] = media.media_request_run(
            request=request, actor=self.officer, name="arrange"
        )

    def _media_run(self, key: str, name: str, comment: str = "") -> None:
        self.requests[key] = media.media_request_run(
            request=self.requests[key], actor=self.officer, name=name, comment=comment
        )

    def _decline(self, key: str, reason: str) -> None:
        self._media_run(key, "decline", reason)

    def _media_coverage(self, spec, index: int, held_on: date) -> None:
        outlet, title, days = spec["coverage"][index]
        activities.coverage_add(
            actor=self.officer,
            media_request=self.requests[spec["key"]],
            data={
                "url": _coverage_url(spec["key"], index, held_on),
                "outlet": outlet,
                "title": title,
                "published_on": held_on + timedelta(days=days),
            },
        )

    def _register_contact(self, index: int, spec, met: date) -> None:
        data = {
            **spec["data"],
            "consent": spec["consent"],
            "consent_on": met - timedelta(days=1),
            "consent_basis": spec["basis"],
            "consent_note": spec.get("note", ""),
            "activities": [self.activities[spec["first"]].pk],
        }
        self.contacts[index] = contacts.contact_create(actor=self.officer, data=data)

    def _link_contact(self, index: int, key: str) -> None:
        contact = self.contacts[index]
        linked = [*contact.activities.values_list("pk", flat=True), self.activities[key].pk]
        self.contacts[index] = contacts.contact_update(
            contact=contact, actor=self.officer, data={"activities": linked}
        )

    def _link_project(self, city_key: str, project) -> None:
        cities.project_link(city=self.cities[city_key], actor=self.officer, project=project)


class _Thread:
    """The steps of one record in order: each at its moment, or just after the one before."""

    def __init__(self, demo: ExchangesDemo, name: str):
        self.demo, self.name, self.last = demo, name, None

    def add(self, moment: datetime, action, label: str, *, gap: int = 15) -> datetime:
        if self.last is not None:
            moment = max(moment, self.last + timedelta(minutes=gap))
        self.last = moment
        self.demo.add(moment, action, thread=self.name, label=f"{label} {self.name}")
        return moment


def _coverage_url(key: str, index: int, day: date) -> str:
    hosts = ["news.example.com", "www.example.org", "media.example.net"]
    return f"https://{hosts[index % len(hosts)]}/{day:%Y/%m}/{key}"


def agreement_pdf(title: str, parties: str, signed_on: date) -> bytes:
    """The signature page of an agreement, in English (one page, drawn with ReportLab: no Chinese font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    page.setTitle(title[:100])
    page.setFont("Helvetica-Bold", 14)
    y = height - 90
    words, line = title.split(), ""
    for word in words:  # the title over as many lines as it needs
        if page.stringWidth(f"{line} {word}".strip(), "Helvetica-Bold", 14) > width - 120:
            page.drawString(60, y, line)
            y, line = y - 20, word
        else:
            line = f"{line} {word}".strip()
    page.drawString(60, y, line)
    page.setFont("Helvetica", 10.5)
    lines = [
        "",
        f"Signed on {signed_on:%d %B %Y}.",
        "",
        "The parties, wishing to deepen their cooperation in the spirit of friendship and mutual benefit,",
        "have agreed on the terms set out in the preceding pages.",
        "",
        "For the parties:",
        "",
        *[
            f"    {party.strip()}"
            for party in parties.replace("；", ";").split(";")
            if party.strip().isascii()
        ],
    ]
    y -= 30
    for text in lines:
        page.drawString(60, y, text)
        y -= 16
    page.showPage()
    page.save()
    return buffer.getvalue()
