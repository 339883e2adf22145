"""Demo cooperation projects (seed_demo), made through the services on the days they happened.

Thirty-two projects of the free trade zone from the office's four channels — foreign affairs, overseas Chinese
affairs, Hong Kong and Macao, friendship cities — in the three areas and all their industries, every
cooperation mode, partners in sixteen countries and regions, most with a size:

- the pipeline in every stage: new leads, contacted, negotiating, signed, implementing, completed and dropped,
  each with the demo `officer` as its owner and, while open, a next step with its due date (two overdue);
  notes on a few;
- publication in every state: most published in the catalogue, three in review, four drafts, and the Italian
  design week, dropped and archived;
- the enterprises of the demo: the Zhengzhou trading company of `applicant` and `liaison` is involved in seven
  projects — four the office entered, one it entered itself (submitted by `liaison`, published), a draft and
  one in review of its own (by `applicant`); the Luoyang equipment maker of `applicant2` is in three and had
  its own project returned to draft; the Kaifeng culture and tourism company is in three; an enterprise's
  project goes to the least busy officer, who hands it to `officer`;
- friendship-city projects name only sister relationships of long standing: Luoyang–Okayama, Zhengzhou–
  Richmond (Virginia), Henan–Mie and Henan–Kansas;
- five development achievements (发展成果), published, each with an illustration, telling of signed and
  completed projects, whose public pages show the same picture;
- eleven expressions of interest from visitors abroad: five forwarded to the enterprises involved (so
  `applicant` sees four leads and `applicant2` one), five still to be read and a spam message closed.

As in the other areas' demos (foreign_offices.demo, approvals.demo) nothing is made today and moved back: each
step is played on a DemoClock at its moment through the services (projects.services.*), so the audit trail,
the stages' dates, the publication dates and the notifications are true. The same story at both sizes.
"""

import io
import math
import random
from datetime import date, datetime, time, timedelta
from functools import partial
from importlib import import_module

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import FTZArea, Organization, User
from foreign_affairs.demo_clock import DemoClock, Timeline

from .models import CooperationProject, Industry, InterestMessage, ProjectDocumentKind
from .services import achievements, interest, projects, taxonomy
from .workflow import Channel, Mode

ZZ, LY, KF = FTZArea.ZHENGZHOU, FTZArea.LUOYANG, FTZArea.KAIFENG
FOREIGN, OVERSEAS, HKMO, FRIENDSHIP = (
    Channel.FOREIGN_AFFAIRS,
    Channel.OVERSEAS_CHINESE,
    Channel.HONG_KONG_MACAO,
    Channel.FRIENDSHIP_CITY,
)
INVESTMENT, TRADE, TECHNOLOGY, JOINT_VENTURE, TALENT, OTHER = (
    Mode.INVESTMENT,
    Mode.TRADE,
    Mode.TECHNOLOGY,
    Mode.JOINT_VENTURE,
    Mode.TALENT,
    Mode.OTHER,
)
# The demo enterprises (foreign_affairs.accounts.demo), by their unified social credit codes.
ENTERPRISES = {
    "zz": accounts_demo.DEMO_USCC,
    "ly": accounts_demo.LUOYANG_USCC,
    "kf": accounts_demo.KAIFENG_USCC,
}
# The Zhengzhou enterprise's liaison is the contact of the projects it enters itself.
ZZ_CONTACT = {
    "contact_name": "李娜",
    "contact_email": "liaison@example.com",
    "contact_phone": "0371-6555 0101",
}
LY_CONTACT = {
    "contact_name": "王磊",
    "contact_email": "applicant2@example.com",
    "contact_phone": "0379-6333 0202",
}

# Each project: `by` who entered it (the officer, or an enterprise user for the enterprise's own), `created` days
# ago, `data` for projects.project_create, `industries` (codes of migration 0002), `enterprises` involved;
# `stages` (transition, days after it was entered[, reason]), `publication` (transition, days after, who[,
# comment]), `next` (the next step, due in so many days from today: negative is overdue) recorded with the last
# stage step (or on entry), `notes` (days after, text), `image` (the scene of its public picture, days after).
# fmt: off
PROJECTS = [
    # Foreign affairs (外事) --------------------------------------------------------------------------------
    {
        "key": "lux-coldchain", "by": "officer", "created": 330,
        "data": {
            "title_zh": "郑州—卢森堡“空中丝绸之路”冷链中转中心",
            "title_en": "Zhengzhou–Luxembourg “Air Silk Road” cold-chain transit centre",
            "description_zh": "依托郑州—卢森堡“空中丝绸之路”双枢纽航线，在郑州航空港建设面积约 1.2 万平方米的冷链中转中心，"
                              "承接经卢森堡集结的欧洲生鲜食品和药品的全货机运输，并为河南特色农产品出口欧洲提供温控仓储和分拨服务。"
                              "项目由卢森堡物流企业与郑州片区企业共同投资，分两期建设。",
            "description_en": "Building on the Zhengzhou–Luxembourg “Air Silk Road”, the air link between the two hubs, a "
                              "cold-chain transit centre of about 12,000 m² at Zhengzhou airport handles European fresh "
                              "food and medicines consolidated in Luxembourg and flown in on freighters, and offers "
                              "temperature-controlled storage and distribution to Henan's farm products bound for Europe. "
                              "Jointly invested by a Luxembourg logistics company and an enterprise of the Zhengzhou area, "
                              "in two phases.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": INVESTMENT, "partner_country": "LU",
            "partner_organisation": "Grand-Duché Cold Chain S.à r.l.",
            "amount": "35000000", "currency": "EUR",
            "contact_name": "杨帆", "contact_email": "yang.fan@example.com", "contact_phone": "0371-6555 0106",
        },
        "industries": ["logistics"], "enterprises": ["zz"],
        "stages": [("contact", 12), ("negotiate", 30), ("sign", 95), ("implement", 130)],
        "image": ("air", 3),
        "publication": [("publish", 5)],
        "next": ("与卢方确认二期冷库设备进口清单", 18),
        "notes": [(96, "合资协议已在卢森堡签署，外方首期出资已到位。")],
    },
    {
        "key": "de-testbench", "by": "officer", "created": 120,
        "data": {
            "title_zh": "与斯图加特工程公司共建电驱动桥测试台联合实验室",
            "title_en": "Joint laboratory for electric-axle test benches with a Stuttgart engineering firm",
            "description_zh": "郑州片区一家新能源汽车零部件企业拟与德国斯图加特一家工程技术公司合作，共建电驱动桥耐久性和噪声"
                              "测试台联合实验室，引进德方测试规范和软件，培养本地测试工程师，为省内整车和零部件企业提供产品认证服务。",
            "description_en": "A new-energy vehicle parts maker of the Zhengzhou area plans a joint laboratory with an "
                              "engineering company in Stuttgart for endurance and noise test benches of electric axles: "
                              "German test standards and software, local test engineers trained, and product certification "
                              "for the vehicle and parts makers of Henan.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TECHNOLOGY, "partner_country": "DE",
            "partner_city": "Stuttgart", "partner_organisation": "Neckar Prüftechnik GmbH",
            "amount": "4800000", "currency": "EUR",
            "contact_name": "Markus Weber", "contact_email": "markus.weber@example.de",
        },
        "industries": ["automobiles", "high-end-equipment"], "enterprises": [],
        "stages": [("contact", 10), ("negotiate", 35)],
        "publication": [("publish", 4)],
        "next": ("约德方视频会议，确认测试台技术参数", -5),
        "notes": [(36, "德方希望先签保密协议再提供测试规范，已转告企业法务部门。")],
    },
    {
        "key": "kr-display", "by": "officer", "created": 200,
        "data": {
            "title_zh": "韩国显示模组企业投资建设智能终端配套工厂",
            "title_en": "Korean display-module plant for the Zhengzhou smart-terminal cluster",
            "description_zh": "韩国一家显示模组供应商在郑州片区投资建设车载和手机显示模组工厂，就近配套郑州智能终端产业集群。"
                              "一期规划年产能 1200 万片，预计带动就业约 600 人。",
            "description_en": "A Korean supplier of display modules is building a plant in the Zhengzhou area for in-vehicle "
                              "and phone displays, next to the Zhengzhou smart-terminal cluster: 12 million modules a year "
                              "in the first phase and about 600 jobs.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": INVESTMENT, "partner_country": "KR",
            "partner_city": "Suwon", "partner_organisation": "Hanbit Display Co., Ltd.",
            "amount": "20000000", "currency": "USD",
            "contact_name": "Park Min-seo", "contact_email": "minseo.park@example.com",
        },
        "industries": ["smart-terminals"], "enterprises": [],
        "stages": [("contact", 8), ("negotiate", 25), ("sign", 80)],
        "publication": [("publish", 3)],
        "next": ("协调厂房租赁和环评手续", 25),
        "notes": [(81, "投资协议已签署，企业正在办理外商投资企业设立登记。")],
    },
    {
        "key": "fr-adjuvant", "by": "officer", "created": 25,
        "data": {
            "title_zh": "法国生物技术企业寻求疫苗佐剂联合研发伙伴",
            "title_en": "French biotech company seeks partners for vaccine adjuvant research",
            "description_zh": "法国里昂一家生物技术企业希望与郑州片区生物医药企业或科研院所合作，联合开展兽用疫苗佐剂的研发和"
                              "中试，可提供技术许可，并共同申报国际科技合作项目。",
            "description_en": "A biotechnology company in Lyon is looking for a biomedicine company or research institute "
                              "of the Zhengzhou area to develop and pilot adjuvants for veterinary vaccines together; it "
                              "can license its technology and apply jointly for international research funding.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TECHNOLOGY, "partner_country": "FR",
            "partner_city": "Lyon", "partner_organisation": "Adjuvance Biotech SAS",
            "contact_name": "Claire Moreau", "contact_email": "claire.moreau@example.com",
        },
        "industries": ["biomedicine"], "enterprises": [],
        "publication": [("publish", 4)],
        "next": ("向省内生物医药企业和高校推送项目信息", 10),
    },
    {
        "key": "pl-dairy", "by": "applicant", "created": 150,
        "data": {
            "title_zh": "经中欧班列（郑州）进口波兰乳制品和化妆品的跨境电商合作",
            "title_en": "Polish dairy products and cosmetics by China–Europe freight train for cross-border e-commerce",
            "description_zh": "我公司从事跨境电商进口业务，拟通过中欧班列（郑州）从波兰批量进口乳制品和日化产品，存入郑州跨境电商"
                              "保税仓后以网购保税进口方式销售，现寻求波兰生产商或出口商建立长期供货关系。",
            "description_en": "We import through cross-border e-commerce and plan to bring Polish dairy products and "
                              "cosmetics in bulk by the China–Europe freight train (Zhengzhou) into the Zhengzhou bonded "
                              "e-commerce warehouses, for online bonded import sales. We are looking for Polish makers or "
                              "exporters for long-term supply.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TRADE, "partner_country": "PL", "partner_city": "Warsaw",
            "amount": "2000000", "currency": "USD", **ZZ_CONTACT,
        },
        "industries": ["cross-border-e-commerce", "international-trade"],
        "stages": [("contact", 40)],
        "publication": [("submit_for_review", 1, "liaison"), ("publish", 4)],
        "next": ("组织企业与波兰客商视频对接", 12),
    },
    {
        "key": "ae-warehouse", "by": "officer", "created": 400,
        "data": {
            "title_zh": "迪拜河南商品海外仓",
            "title_en": "Henan products warehouse in Dubai",
            "description_zh": "郑州片区企业与阿联酋迪拜一家物流企业合作，在杰贝阿里自由区建设 8000 平方米海外仓，集中展示和分拨"
                              "河南产食品、发制品、建材等商品，辐射中东和北非市场。",
            "description_en": "An enterprise of the Zhengzhou area and a Dubai logistics company built an 8,000 m² "
                              "overseas warehouse in the Jebel Ali Free Zone to show and distribute food, hair products, "
                              "building materials and other goods made in Henan across the Middle East and North Africa.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TRADE, "partner_country": "AE", "partner_city": "Dubai",
            "partner_organisation": "Gulf Gateway Warehousing FZE", "amount": "6500000", "currency": "USD",
            "contact_name": "孙强", "contact_email": "sun.qiang@example.com", "contact_phone": "0371-6555 0103",
        },
        "industries": ["international-trade", "logistics"], "enterprises": ["zz"],
        "stages": [("contact", 6), ("negotiate", 20), ("sign", 60), ("implement", 75), ("complete", 240)],
        "image": ("warehouse", 6),
        "publication": [("publish", 8)],
        "notes": [(241, "海外仓已投入运营，首批 40 个集装箱货物入仓。")],
    },
    {
        "key": "sg-finance", "by": "officer", "created": 30,
        "data": {
            "title_zh": "与新加坡银行合作开展跨境人民币贸易融资",
            "title_en": "Cross-border RMB trade finance with a Singapore bank",
            "description_zh": "新加坡一家商业银行拟与郑州片区金融机构合作，为自贸区进出口企业提供跨境人民币结算、信用证和供应链"
                              "融资服务，帮助企业降低汇兑成本。",
            "description_en": "A Singapore commercial bank proposes to work with financial institutions of the Zhengzhou "
                              "area on cross-border RMB settlement, letters of credit and supply-chain finance for the "
                              "zone's importers and exporters, lowering their exchange costs.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": OTHER, "partner_country": "SG",
            "partner_organisation": "Straits Merchant Bank Ltd.",
            "contact_name": "Tan Wei Ling", "contact_email": "weiling.tan@example.com",
        },
        "industries": ["finance"], "enterprises": [],
        "stages": [("contact", 9)],
        "publication": [("submit_for_review", 20)],
        "next": ("征求地方金融监管部门意见", 14),
    },
    {
        "key": "it-design-week", "by": "officer", "created": 330,
        "data": {
            "title_zh": "意大利家具设计周（郑州国际会展中心）",
            "title_en": "Italian furniture design week at the Zhengzhou International Convention and Exhibition Centre",
            "description_zh": "意大利一家展览公司拟与郑州会展企业合作，在郑州国际会展中心举办意大利家具设计周，邀请 60 家意大利"
                              "家具和设计品牌参展，同期举办采购对接会。",
            "description_en": "An Italian exhibition company proposed to hold an Italian furniture design week at the "
                              "Zhengzhou International Convention and Exhibition Centre with a Zhengzhou events company: "
                              "60 Italian furniture and design brands, and a buyers' matchmaking session.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": OTHER, "partner_country": "IT", "partner_city": "Milan",
            "partner_organisation": "Fiere Design Milano S.r.l.",
            "contact_name": "Giulia Ferri", "contact_email": "giulia.ferri@example.com",
        },
        "industries": ["exhibitions"], "enterprises": [],
        "stages": [("contact", 15), ("negotiate", 40),
                   ("drop", 120, "意方因展期与米兰国际家具展冲突，取消当年来华办展计划。")],
        "publication": [("publish", 6), ("archive", 125)],
    },
    {
        "key": "ru-grid", "by": "officer", "created": 90,
        "data": {
            "title_zh": "向俄罗斯电网企业供应输变电设备",
            "title_en": "Power transmission equipment for a Russian grid company",
            "description_zh": "俄罗斯新西伯利亚一家电网企业计划采购 220 千伏变压器和气体绝缘组合电器，郑州片区装备制造企业正与其"
                              "洽谈供货和本地化服务方案，设备拟经中欧班列（郑州）运输。",
            "description_en": "A grid company in Novosibirsk plans to buy 220 kV transformers and gas-insulated "
                              "switchgear; a maker of the Zhengzhou area is negotiating the supply and local service, the "
                              "equipment to go by the China–Europe freight train (Zhengzhou).",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TRADE, "partner_country": "RU",
            "partner_city": "Novosibirsk", "partner_organisation": "Sibir Grid Engineering JSC",
            "amount": "850000000", "currency": "RUB",
            "contact_name": "Dmitry Orlov", "contact_email": "dmitry.orlov@example.com",
        },
        "industries": ["high-end-equipment"], "enterprises": [],
        "stages": [("contact", 7), ("negotiate", 28)],
        "publication": [("publish", 3)],
        "next": ("协助企业准备俄方招标技术文件", 9),
    },
    {
        "key": "jp-robot", "by": "officer", "created": 210,
        "data": {
            "title_zh": "中日合资工业机器人关节模组项目",
            "title_en": "Sino-Japanese joint venture for industrial robot joint modules",
            "description_zh": "洛阳片区装备制造企业与日本一家精密减速器企业合资，在洛阳建设工业机器人关节模组生产线。日方提供"
                              "减速器技术和工艺管理，中方负责厂房、整机配套和国内市场。",
            "description_en": "An equipment maker of the Luoyang area and a Japanese maker of precision reducers are "
                              "setting up a joint venture in Luoyang for industrial robot joint modules: the Japanese side "
                              "brings the reducer technology and process management, the Chinese side the plant, the "
                              "integration and the domestic market.",
            "channel": FOREIGN, "ftz_area": LY, "mode": JOINT_VENTURE, "partner_country": "JP",
            "partner_city": "Nagoya", "partner_organisation": "Hoshino Precision Co., Ltd.",
            "amount": "1500000000", "currency": "JPY",
            "contact_name": "吴刚", "contact_email": "wu.gang@example.com", "contact_phone": "0379-6333 0205",
        },
        "industries": ["robots", "equipment-manufacturing"], "enterprises": ["ly"],
        "stages": [("contact", 10), ("negotiate", 30), ("sign", 110)],
        "publication": [("publish", 5)],
        "next": ("办理合资公司营业执照和进口设备免税手续", 20),
        "notes": [(111, "合资合同在洛阳签署，外方持股 40%。")],
    },
    {
        "key": "kz-molybdenum", "by": "officer", "created": 75,
        "data": {
            "title_zh": "面向哈萨克斯坦冶金企业的钼合金制品合作",
            "title_en": "Molybdenum alloy products for a Kazakh metallurgical company",
            "description_zh": "洛阳片区一家新材料企业拟向哈萨克斯坦一家冶金企业供应钼合金棒材和板材，并探讨在当地合作建设深加工"
                              "车间，双方已互换样品和技术资料。",
            "description_en": "A new-materials company of the Luoyang area proposes to supply molybdenum alloy bars and "
                              "plates to a Kazakh metallurgical company and to explore a joint finishing workshop there; "
                              "the two sides have exchanged samples and technical data.",
            "channel": FOREIGN, "ftz_area": LY, "mode": TRADE, "partner_country": "KZ",
            "partner_city": "Karaganda", "partner_organisation": "Saryarka Metallurgy LLP",
            "contact_name": "Yerlan Akhmetov", "contact_email": "yerlan.akhmetov@example.com",
        },
        "industries": ["new-materials"], "enterprises": [],
        "stages": [("contact", 14)],
        "publication": [("publish", 4)],
        "next": ("督促企业向哈方寄送第二批样品", -12),
    },
    {
        "key": "kz-mining", "by": "officer", "created": 300,
        "data": {
            "title_zh": "为东哈萨克斯坦铜矿供应成套选矿设备",
            "title_en": "Ore-processing equipment for a copper mine in East Kazakhstan",
            "description_zh": "洛阳片区企业为哈萨克斯坦东哈萨克斯坦州一座铜矿提供球磨机、破碎机等成套选矿设备，并负责安装调试。"
                              "设备分批经中欧班列运抵矿区。",
            "description_en": "An enterprise of the Luoyang area supplies a copper mine in the East Kazakhstan region "
                              "with ball mills, crushers and other ore-processing equipment, and installs and commissions "
                              "it; the equipment goes in batches by the China–Europe freight train.",
            "channel": FOREIGN, "ftz_area": LY, "mode": TRADE, "partner_country": "KZ",
            "partner_city": "Oskemen", "partner_organisation": "Altai Copper LLP",
            "amount": "28000000", "currency": "USD",
            "contact_name": "王磊", "contact_email": "applicant2@example.com", "contact_phone": "0379-6333 0202",
        },
        "industries": ["equipment-manufacturing"], "enterprises": ["ly"],
        "stages": [("contact", 7), ("negotiate", 21), ("sign", 70), ("implement", 100)],
        "image": ("train", 8),
        "publication": [("publish", 10)],
        "next": ("跟进第二批设备发运和清关", 15),
        "notes": [(101, "首批 12 个车皮的设备已从洛阳发运。"), (180, "首批设备已完成安装，进入试运行。")],
    },
    {
        "key": "my-bpo", "by": "officer", "created": 12,
        "data": {
            "title_zh": "马来西亚企业在开封设立服务外包交付中心",
            "title_en": "Malaysian service-outsourcing delivery centre in Kaifeng",
            "description_zh": "马来西亚一家业务流程外包企业有意在开封片区设立多语种客户服务和数据处理交付中心，初期规模约 150 人，"
                              "希望了解场地、人才和政策支持情况。",
            "description_en": "A Malaysian business process outsourcing company is considering a multilingual customer "
                              "service and data processing centre in the Kaifeng area, starting with about 150 staff, and "
                              "would like to know about premises, talent and support policies.",
            "channel": FOREIGN, "ftz_area": KF, "mode": INVESTMENT, "partner_country": "MY",
            "partner_city": "Kuala Lumpur", "partner_organisation": "Nusantara Business Services Sdn. Bhd.",
            "contact_name": "Nur Aisyah Rahman", "contact_email": "aisyah.rahman@example.com",
        },
        "industries": ["service-outsourcing"], "enterprises": [],
        "next": ("整理开封片区服务外包扶持政策发给马方", 5),
    },
    {
        "key": "kr-wellness", "by": "officer", "created": 100,
        "data": {
            "title_zh": "面向韩国游客的开封中医药康养旅游线路",
            "title_en": "Traditional Chinese medicine wellness tours in Kaifeng for Korean visitors",
            "description_zh": "开封片区文化旅游企业与韩国首尔一家旅行社洽谈合作，开发“宋韵文化 + 中医药康养”旅游产品，包括中医"
                              "体质辨识、艾灸理疗和宋都古城游览，计划每年接待韩国游客 3000 人次。",
            "description_en": "A culture and tourism company of the Kaifeng area is negotiating with a Seoul travel agency "
                              "over tours combining Song dynasty culture with traditional Chinese medicine wellness — "
                              "constitution assessment, moxibustion and therapy, and the old Song capital — for 3,000 "
                              "Korean visitors a year.",
            "channel": FOREIGN, "ftz_area": KF, "mode": OTHER, "partner_country": "KR", "partner_city": "Seoul",
            "partner_organisation": "Hanul Wellness Travel Co., Ltd.",
            "contact_name": "周婷", "contact_email": "info.kaifeng@example.com", "contact_phone": "0371-2222 0303",
        },
        "industries": ["medical-tourism"], "enterprises": ["kf"],
        "stages": [("contact", 12), ("negotiate", 30)],
        "publication": [("publish", 5)],
        "next": ("邀请韩方旅行社来汴踩线考察", 21),
    },
    # Overseas Chinese affairs (侨务) ------------------------------------------------------------------------
    {
        "key": "my-halal", "by": "officer", "created": 160,
        "data": {
            "title_zh": "马来西亚侨商投资清真食品跨境电商平台",
            "title_en": "Halal food cross-border e-commerce platform of a Malaysian Chinese entrepreneur",
            "description_zh": "马来西亚华侨华人企业家在郑州片区投资设立跨境电商公司，搭建清真食品进出口平台，将马来西亚燕窝、"
                              "咖啡等商品引入国内市场，同时把河南清真食品销往东南亚。",
            "description_en": "A Malaysian Chinese entrepreneur is investing in a cross-border e-commerce company in the "
                              "Zhengzhou area: a halal food import and export platform bringing Malaysian bird's nest and "
                              "coffee to China, and Henan's halal food to Southeast Asia.",
            "channel": OVERSEAS, "ftz_area": ZZ, "mode": INVESTMENT, "partner_country": "MY",
            "partner_city": "Kuala Lumpur", "partner_organisation": "Harmoni Global Trading Sdn. Bhd.",
            "amount": "30000000", "currency": "CNY",
            "contact_name": "Lim Chee Keong", "contact_email": "cheekeong.lim@example.com",
        },
        "industries": ["cross-border-e-commerce"], "enterprises": [],
        "stages": [("contact", 5), ("negotiate", 18), ("sign", 50)],
        "publication": [("publish", 4)],
        "next": ("协助办理跨境电商企业备案", 30),
        "notes": [(6, "侨商已在郑东新区考察办公场地，对跨境电商综试区政策很感兴趣。")],
    },
    {
        "key": "us-peony", "by": "officer", "created": 380,
        "data": {
            "title_zh": "美国侨界“洛阳牡丹文化之旅”推介合作",
            "title_en": "“Luoyang peony culture tour” with Chinese communities in the United States",
            "description_zh": "通过美国华人社团联合推介洛阳牡丹文化节，组织侨胞和当地民众赴洛阳赏花，参观龙门石窟和隋唐洛阳城，"
                              "并在旧金山、洛杉矶举办牡丹文化图片展。",
            "description_en": "Chinese community associations in the United States promote the Luoyang Peony Culture "
                              "Festival: overseas Chinese and local residents visit Luoyang for the peonies, the Longmen "
                              "Grottoes and the Sui and Tang city of Luoyang, and peony photo exhibitions are held in San "
                              "Francisco and Los Angeles.",
            "channel": OVERSEAS, "ftz_area": LY, "mode": OTHER, "partner_country": "US",
            "partner_city": "San Francisco", "partner_organisation": "Bay Area Chinese Community Alliance",
            "contact_name": "David Chen", "contact_email": "david.chen@example.com",
        },
        "industries": ["cultural-tourism"], "enterprises": [],
        "stages": [("contact", 5), ("negotiate", 15), ("sign", 40), ("implement", 60), ("complete", 120)],
        "image": ("peony", 4),
        "publication": [("publish", 6)],
    },
    {
        "key": "au-antibody", "by": "officer", "created": 40,
        "data": {
            "title_zh": "墨尔本华人科学家生物医药团队回国创业项目",
            "title_en": "Antibody drug team of Chinese scientists from Melbourne plans a start-up in Zhengzhou",
            "description_zh": "澳大利亚墨尔本一支华人科学家团队从事单克隆抗体药物研发，拟带项目回国在郑州片区创业，寻求孵化场地、"
                              "临床前研究合作和天使投资。",
            "description_en": "A team of Chinese scientists in Melbourne developing monoclonal antibody drugs plans to "
                              "bring its project to the Zhengzhou area, and looks for incubator space, preclinical research "
                              "partners and angel investment.",
            "channel": OVERSEAS, "ftz_area": ZZ, "mode": TALENT, "partner_country": "AU",
            "partner_city": "Melbourne",
            "contact_name": "Dr. Helen Zhou", "contact_email": "helen.zhou@example.com",
        },
        "industries": ["biomedicine"], "enterprises": [],
        "stages": [("contact", 8)],
        "publication": [("submit_for_review", 15)],
        "next": ("安排团队负责人与生物医药产业园座谈", 7),
    },
    {
        "key": "fr-bianxiu", "by": "officer", "created": 45,
        "data": {
            "title_zh": "巴黎侨胞画廊引进汴绣和朱仙镇木版年画",
            "title_en": "Bian embroidery and Zhuxianzhen woodblock prints for a Paris gallery",
            "description_zh": "旅法侨胞在巴黎经营的画廊希望与开封片区艺术品交易机构合作，引进汴绣、朱仙镇木版年画等非物质文化遗产"
                              "艺术品，在巴黎举办展销活动。",
            "description_en": "A gallery in Paris run by an overseas Chinese would like to work with an art trading house "
                              "of the Kaifeng area to show and sell Bian embroidery, Zhuxianzhen woodblock New Year prints "
                              "and other intangible cultural heritage in Paris.",
            "channel": OVERSEAS, "ftz_area": KF, "mode": TRADE, "partner_country": "FR", "partner_city": "Paris",
            "partner_organisation": "Galerie Lumière d'Orient",
            "contact_name": "Wang Li", "contact_email": "li.wang@example.fr",
        },
        "industries": ["art-trade", "creative-design"], "enterprises": [],
        "publication": [("publish", 3)],
        "next": ("推荐开封片区艺术品交易机构与画廊联系", 6),
    },
    {
        "key": "sg-engineers", "by": "officer", "created": 210,
        "data": {
            "title_zh": "新加坡华人工程师团队智能终端软件合作",
            "title_en": "Embedded software for smart terminals by a team of Chinese engineers in Singapore",
            "description_zh": "新加坡华人工程师团队拟为郑州片区智能终端企业提供嵌入式软件开发服务，并探讨在郑州设立研发分部。",
            "description_en": "A team of Chinese engineers in Singapore proposed embedded software development for the "
                              "smart-terminal makers of the Zhengzhou area, and a research branch in Zhengzhou.",
            "channel": OVERSEAS, "ftz_area": ZZ, "mode": TALENT, "partner_country": "SG",
            "contact_name": "Jason Ong", "contact_email": "jason.ong@example.com",
        },
        "industries": ["smart-terminals"], "enterprises": [],
        "stages": [("contact", 10), ("drop", 50, "团队主要成员已加入新加坡本地企业，项目暂停。")],
    },
    {
        "key": "de-bearings", "by": "officer", "created": 360,
        "data": {
            "title_zh": "与旅德华人教授共建高速精密轴承联合研发中心",
            "title_en": "Joint research centre for high-speed bearings with Chinese professors in Germany",
            "description_zh": "经旅德华人专家学者牵线，德国亚琛一所高校的华人教授团队与洛阳片区轴承企业共建高速精密轴承联合研发"
                              "中心，开展材料、润滑和寿命试验研究，已联合培养研究生 6 名。",
            "description_en": "Introduced by Chinese scholars in Germany, a team of Chinese professors at a university in "
                              "Aachen and a bearing maker of the Luoyang area set up a joint research centre for high-speed "
                              "precision bearings, working on materials, lubrication and life tests; six postgraduates "
                              "have been trained jointly so far.",
            "channel": OVERSEAS, "ftz_area": LY, "mode": TECHNOLOGY, "partner_country": "DE",
            "partner_city": "Aachen", "amount": "12000000", "currency": "CNY",
            "contact_name": "吴刚", "contact_email": "wu.gang@example.com", "contact_phone": "0379-6333 0205",
        },
        "industries": ["research-and-design", "equipment-manufacturing"], "enterprises": ["ly"],
        "stages": [("contact", 10), ("negotiate", 30), ("sign", 75), ("implement", 90)],
        "publication": [("publish", 6)],
        "next": ("组织年度联合研发成果评估会", 40),
    },
    # Hong Kong and Macao (港澳) -----------------------------------------------------------------------------
    {
        "key": "hk-fund", "by": "officer", "created": 170,
        "data": {
            "title_zh": "香港基金投资郑州片区供应链金融项目",
            "title_en": "Hong Kong fund invests in supply-chain finance in the Zhengzhou area",
            "description_zh": "中国香港一家私募基金与郑州片区贸易企业合作设立供应链金融服务公司，为自贸区中小进出口企业提供订单"
                              "融资和应收账款融资服务。",
            "description_en": "A private fund of Hong Kong, China, and a trading company of the Zhengzhou area are setting "
                              "up a supply-chain finance company offering order and receivables financing to the zone's "
                              "small importers and exporters.",
            "channel": HKMO, "ftz_area": ZZ, "mode": INVESTMENT, "partner_country": "HK",
            "partner_organisation": "Harbour Bridge Capital Ltd.",
            "amount": "500000000", "currency": "HKD",
            "contact_name": "刘敏", "contact_email": "liu.min@example.com", "contact_phone": "0371-6555 0107",
        },
        "industries": ["finance"], "enterprises": ["zz"],
        "stages": [("contact", 6), ("negotiate", 20), ("sign", 65)],
        "publication": [("publish", 5)],
        "next": ("协助合资公司办理地方金融组织备案", 28),
    },
    {
        "key": "hk-logistics", "by": "officer", "created": 420,
        "data": {
            "title_zh": "香港货代企业郑州华中区域分拨中心",
            "title_en": "Central China distribution centre of a Hong Kong freight forwarder in Zhengzhou",
            "description_zh": "中国香港一家国际货运代理企业在郑州设立华中区域分拨中心，开通郑州至香港卡车航班和全货机联运，为电子"
                              "产品和跨境电商包裹提供“一站式”通关和分拨服务。",
            "description_en": "A freight forwarder of Hong Kong, China, opened its Central China distribution centre in "
                              "Zhengzhou, with road feeder services and freighter connections between Zhengzhou and Hong "
                              "Kong, and one-stop clearance and distribution for electronics and cross-border e-commerce "
                              "parcels.",
            "channel": HKMO, "ftz_area": ZZ, "mode": INVESTMENT, "partner_country": "HK",
            "partner_organisation": "Victoria Harbour Freight Ltd.",
            "amount": "120000000", "currency": "HKD",
            "contact_name": "Chan Ka Ho", "contact_email": "kaho.chan@example.com",
        },
        "industries": ["logistics", "cross-border-e-commerce"], "enterprises": [],
        "stages": [("contact", 7), ("negotiate", 15), ("sign", 30), ("implement", 40), ("complete", 220)],
        "image": ("harbour", 3),
        "publication": [("publish", 5)],
    },
    {
        "key": "mo-digital", "by": "officer", "created": 80,
        "data": {
            "title_zh": "与澳门文创企业合作打造《清明上河图》沉浸式数字展",
            "title_en": "Immersive digital exhibition of “Along the River During the Qingming Festival” with a Macao "
                        "creative company",
            "description_zh": "开封片区文化旅游企业与中国澳门一家文化创意公司洽谈合资，以《清明上河图》为主题打造沉浸式数字艺术展，"
                              "计划先在开封首展，再赴澳门巡展。",
            "description_en": "A culture and tourism company of the Kaifeng area is negotiating a joint venture with a "
                              "creative company of Macao, China, for an immersive digital art exhibition on “Along the "
                              "River During the Qingming Festival”, shown first in Kaifeng and then in Macao.",
            "channel": HKMO, "ftz_area": KF, "mode": JOINT_VENTURE, "partner_country": "MO",
            "partner_organisation": "Lótus Criativo Limitada",
            "amount": "18000000", "currency": "MOP",
            "contact_name": "周婷", "contact_email": "info.kaifeng@example.com", "contact_phone": "0371-2222 0303",
        },
        "industries": ["culture-and-media", "creative-design"], "enterprises": ["kf"],
        "stages": [("contact", 10), ("negotiate", 25)],
        "publication": [("publish", 4)],
        "next": ("双方确认合资公司股比和展陈方案", 14),
        "notes": [(26, "澳方提出由其负责数字内容制作，开封方负责场馆和运营，股比待定。")],
    },
    {
        "key": "mo-tourism", "by": "officer", "created": 20,
        "data": {
            "title_zh": "洛阳—澳门“双世界遗产”旅游线路推广合作",
            "title_en": "Luoyang–Macao tourism route linking two World Heritage sites",
            "description_zh": "拟与中国澳门旅游业界合作，联合推出“龙门石窟—澳门历史城区”双世界遗产旅游线路，互为客源地开展推介。",
            "description_en": "A proposal to work with the tourism trade of Macao, China, on a route linking two World "
                              "Heritage sites, the Longmen Grottoes and the Historic Centre of Macao, each side promoting "
                              "it to its own visitors.",
            "channel": HKMO, "ftz_area": LY, "mode": OTHER, "partner_country": "MO",
            "contact_name": "Ho Weng Chi", "contact_email": "wengchi.ho@example.com",
        },
        "industries": ["cultural-tourism"], "enterprises": [],
        "publication": [("publish", 3)],
        "next": ("联系澳门旅游业界商会确定推介会时间", 12),
    },
    {
        "key": "hk-interns", "by": "officer", "created": 250,
        "data": {
            "title_zh": "港澳青年郑州片区实习计划",
            "title_en": "Internships in the Zhengzhou area for young people from Hong Kong and Macao",
            "description_zh": "与中国香港青年团体合作，每年暑期组织 30 名港澳大学生到郑州片区企业实习六周，岗位涵盖跨境电商、"
                              "物流和金融，并安排中原文化考察。",
            "description_en": "With youth organisations of Hong Kong, China, 30 university students from Hong Kong and "
                              "Macao spend six weeks each summer as interns in companies of the Zhengzhou area — "
                              "cross-border e-commerce, logistics and finance — and visit the heritage of the Central "
                              "Plains.",
            "channel": HKMO, "ftz_area": ZZ, "mode": TALENT, "partner_country": "HK",
            "partner_organisation": "Hong Kong Youth Exchange Network",
            "contact_name": "陈晨", "contact_email": "chen.chen@example.com", "contact_phone": "0371-6555 0105",
        },
        "industries": ["cross-border-e-commerce", "logistics", "finance"], "enterprises": ["zz"],
        "stages": [("contact", 8), ("negotiate", 20), ("sign", 45), ("implement", 70)],
        "publication": [("publish", 4)],
        "next": ("确定下一期实习企业和岗位名单", 35),
    },
    # Friendship cities (友城) --------------------------------------------------------------------------------
    {
        "key": "okayama-technicians", "by": "officer", "created": 60,
        "data": {
            "title_zh": "冈山—洛阳精密加工技能人才交流培训",
            "title_en": "Okayama–Luoyang training of precision machining technicians",
            "description_zh": "依托洛阳市与日本冈山市的友好城市关系，拟组织洛阳片区企业技术骨干赴冈山职业技术学校和企业研修精密"
                              "加工与质量管理，冈山方面派专家来洛讲学。",
            "description_en": "Through the sister-city relationship of Luoyang and Okayama, technicians of companies in "
                              "the Luoyang area would train in precision machining and quality management at vocational "
                              "schools and companies in Okayama, and experts from Okayama would teach in Luoyang.",
            "channel": FRIENDSHIP, "ftz_area": LY, "mode": TALENT, "partner_country": "JP",
            "partner_city": "Okayama", "friendship_city": "洛阳市—日本冈山市（Luoyang – Okayama）",
            "contact_name": "Sato Yumi", "contact_email": "yumi.sato@example.com",
        },
        "industries": ["equipment-manufacturing", "research-and-design"], "enterprises": [],
        "stages": [("contact", 12)],
        "publication": [("publish", 5)],
        "next": ("与冈山市国际交流部门商定首批研修名额", 16),
    },
    {
        "key": "richmond-medtech", "by": "officer", "created": 18,
        "data": {
            "title_zh": "里士满医疗器械初创企业落地郑州合作",
            "title_en": "A soft landing in Zhengzhou for medical device start-ups from Richmond",
            "description_zh": "借助郑州市与美国弗吉尼亚州里士满市的友好城市关系，拟为里士满医疗器械初创企业提供在郑州片区落地的"
                              "“软着陆”服务，包括孵化场地、产品注册咨询和本地合作伙伴对接。",
            "description_en": "Through the sister-city relationship of Zhengzhou and Richmond, Virginia, medical device "
                              "start-ups from Richmond would be offered a soft landing in the Zhengzhou area: incubator "
                              "space, advice on product registration and introductions to local partners.",
            "channel": FRIENDSHIP, "ftz_area": ZZ, "mode": INVESTMENT, "partner_country": "US",
            "partner_city": "Richmond, Virginia", "friendship_city": "郑州市—美国里士满市（Zhengzhou – Richmond）",
            "contact_name": "Sarah Mitchell", "contact_email": "sarah.mitchell@example.com",
        },
        "industries": ["biomedicine"], "enterprises": [],
        "publication": [("publish", 4)],
        "next": ("向里士满方面发送郑州片区生物医药园区介绍", 9),
    },
    {
        "key": "mie-katagami", "by": "officer", "created": 280,
        "data": {
            "title_zh": "伊势型纸与开封文创设计交流合作",
            "title_en": "Ise katagami stencils and Kaifeng creative design",
            "description_zh": "依托河南省与日本三重县的友好省县关系，开封片区创意设计企业与三重县传统工艺团体合作，将伊势型纸纹样"
                              "与汴绣、宋瓷元素相结合开发文创产品，已在两地联合举办设计工作坊三期。",
            "description_en": "Through the friendship of Henan Province and Mie Prefecture, creative design companies of "
                              "the Kaifeng area and a traditional crafts group of Mie combine Ise katagami stencil "
                              "patterns with Bian embroidery and Song porcelain motifs in new products; three joint "
                              "design workshops have been held in the two places.",
            "channel": FRIENDSHIP, "ftz_area": KF, "mode": TECHNOLOGY, "partner_country": "JP",
            "partner_city": "Suzuka", "friendship_city": "河南省—日本三重县（Henan – Mie）",
            "amount": "1500000", "currency": "CNY",
            "contact_name": "周婷", "contact_email": "info.kaifeng@example.com", "contact_phone": "0371-2222 0303",
        },
        "industries": ["creative-design"], "enterprises": ["kf"],
        "stages": [("contact", 10), ("negotiate", 25), ("sign", 60), ("implement", 75)],
        "publication": [("publish", 5)],
        "next": ("筹备第四期设计工作坊", 45),
    },
    {
        "key": "kansas-wheat", "by": "officer", "created": 110,
        "data": {
            "title_zh": "与美国堪萨斯州开展小麦贸易和低温储粮技术合作",
            "title_en": "Wheat trade and low-temperature grain storage with Kansas",
            "description_zh": "依托河南省与美国堪萨斯州的友好省州关系，郑州片区粮食贸易企业与堪萨斯州农业合作组织洽谈优质硬红冬"
                              "小麦进口和低温储粮技术合作。",
            "description_en": "Through the sister-state relationship of Henan and Kansas, a grain trading company of the "
                              "Zhengzhou area is negotiating with a Kansas farm cooperative on imports of hard red winter "
                              "wheat and on low-temperature grain storage.",
            "channel": FRIENDSHIP, "ftz_area": ZZ, "mode": TRADE, "partner_country": "US", "partner_city": "Topeka",
            "partner_organisation": "Sunflower Grain Cooperative", "friendship_city": "河南省—美国堪萨斯州（Henan – Kansas）",
            "amount": "15000000", "currency": "USD",
            "contact_name": "Emily Johnson", "contact_email": "emily.johnson@example.com",
        },
        "industries": ["international-trade", "logistics"], "enterprises": [],
        "stages": [("contact", 10), ("negotiate", 30)],
        "publication": [("publish", 5)],
        "next": ("邀请堪萨斯方面参加中国（郑州）国际粮食博览会", 30),
    },
    # The demo enterprises' own, seeking partners ------------------------------------------------------------
    {
        "key": "it-appliances", "by": "applicant", "created": 6,
        "data": {
            "title_zh": "寻求意大利厨房电器生产商开展保税进口合作",
            "title_en": "Seeking Italian makers of kitchen appliances for bonded imports",
            "description_zh": "我公司拟通过中国（郑州）跨境电子商务综合试验区开展意大利厨房小家电保税进口业务，现寻求意大利咖啡机、"
                              "面食机等厨房电器生产商，建立品牌授权和长期供货关系。",
            "description_en": "We plan bonded imports of Italian small kitchen appliances through the China (Zhengzhou) "
                              "cross-border e-commerce pilot zone, and are looking for Italian makers of coffee machines, "
                              "pasta makers and other kitchen appliances for brand licensing and long-term supply.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TRADE, "partner_country": "IT", "partner_city": "Bologna",
            **ZZ_CONTACT,
        },
        "industries": ["cross-border-e-commerce", "international-trade"],
    },
    {
        "key": "jp-skincare", "by": "applicant", "created": 9,
        "data": {
            "title_zh": "寻求日本护肤品品牌入驻郑州保税仓",
            "title_en": "Seeking Japanese skincare brands for our Zhengzhou bonded warehouse",
            "description_zh": "我公司在郑州片区运营跨境电商保税仓和直播选品中心，现寻求日本护肤品品牌方或总代理合作，提供保税"
                              "仓储、清关、直播销售和售后“一站式”服务。",
            "description_en": "We run a cross-border e-commerce bonded warehouse and a livestream selection centre in the "
                              "Zhengzhou area, and are looking for Japanese skincare brands or their general agents: bonded "
                              "storage, clearance, livestream sales and after-sales service under one roof.",
            "channel": FOREIGN, "ftz_area": ZZ, "mode": TRADE, "partner_country": "JP", "partner_city": "Osaka",
            **ZZ_CONTACT,
        },
        "industries": ["cross-border-e-commerce"],
        "publication": [("submit_for_review", 1, "applicant")],
    },
    {
        "key": "pl-roof-supports", "by": "applicant2", "created": 35,
        "data": {
            "title_zh": "寻求波兰液压支架代理商",
            "title_en": "Seeking a distributor in Poland for hydraulic roof supports",
            "description_zh": "我公司生产煤矿综采液压支架和配套阀组，产品已出口中亚，现寻求波兰及中东欧地区矿山设备代理商，开展"
                              "产品认证、销售和售后服务合作。",
            "description_en": "We make hydraulic roof supports and valve sets for longwall coal mining, already exported "
                              "to Central Asia, and are looking for a distributor of mining equipment in Poland and Central "
                              "and Eastern Europe for certification, sales and after-sales service.",
            "channel": FOREIGN, "ftz_area": LY, "mode": TRADE, "partner_country": "PL", "partner_city": "Katowice",
            **LY_CONTACT,
        },
        "industries": ["equipment-manufacturing"],
        "publication": [
            ("submit_for_review", 1, "applicant2"),
            ("return_to_draft", 4, "officer",
             "请在英文简介中补充产品主要参数和已取得的认证（如 CE 认证），便于外方了解；修改后再提交审核。"),
        ],
    },
]

# Development achievements (发展成果): the story, the projects it tells of, the day it happened (days ago) and the
# illustration's theme. Written two days later, published the day after.
ACHIEVEMENTS = [
    {
        "key": "coldchain-opens", "projects": ["lux-coldchain"], "happened": 150, "image": "air",
        "data": {
            "title_zh": "“空中丝绸之路”冷链中转中心一期投入使用",
            "title_en": "First phase of the “Air Silk Road” cold-chain transit centre opens",
            "description_zh": "郑州—卢森堡冷链中转中心一期冷库投入使用，首月即承接欧洲生鲜食品和药品全货机 16 架次。河南出口欧洲的"
                              "鲜食玉米、食用菌从郑州直飞卢森堡，48 小时内即可分拨到欧洲各地客户手中。",
            "description_en": "The first cold store of the Zhengzhou–Luxembourg cold-chain transit centre opened and "
                              "handled 16 freighter flights of European fresh food and medicines in its first month. "
                              "Henan's sweet corn and edible mushrooms now fly direct from Zhengzhou to Luxembourg and "
                              "reach customers across Europe within 48 hours.",
        },
    },
    {
        "key": "dubai-warehouse-opens", "projects": ["ae-warehouse"], "happened": 158, "image": "warehouse",
        "data": {
            "title_zh": "迪拜河南商品海外仓开仓运营",
            "title_en": "The Henan products warehouse in Dubai opens",
            "description_zh": "迪拜河南商品海外仓正式开仓，首批 40 个集装箱的食品、发制品和建材入仓。已有 23 家省内企业签约入驻，"
                              "货物从迪拜分拨至中东和北非 12 个国家。",
            "description_en": "The Henan products warehouse in Dubai opened with 40 containers of food, hair products and "
                              "building materials. 23 companies from Henan have signed up, and goods go from Dubai to 12 "
                              "countries of the Middle East and North Africa.",
        },
    },
    {
        "key": "mining-by-rail", "projects": ["kz-mining"], "happened": 118, "image": "train",
        "data": {
            "title_zh": "首批选矿设备经中欧班列运抵东哈萨克斯坦",
            "title_en": "First ore-processing equipment reaches East Kazakhstan by China–Europe freight train",
            "description_zh": "洛阳片区企业为东哈萨克斯坦州铜矿生产的首批球磨机和破碎机经中欧班列运抵矿区，运输时间比海运缩短近"
                              " 30 天。设备已完成安装，进入试运行。",
            "description_en": "The first ball mills and crushers made in the Luoyang area for the copper mine in East "
                              "Kazakhstan arrived by China–Europe freight train, nearly 30 days faster than by sea. The "
                              "equipment is installed and on trial run.",
        },
    },
    {
        "key": "hk-centre-year", "projects": ["hk-logistics"], "happened": 20, "image": "harbour",
        "data": {
            "title_zh": "香港货代华中区域分拨中心年处理货物超过 5 万吨",
            "title_en": "Hong Kong forwarder's Central China centre handles 50,000 tonnes in its first year",
            "description_zh": "中国香港国际货代企业在郑州设立的华中区域分拨中心运营近一年，处理电子产品和跨境电商包裹超过 5 万吨。"
                              "郑州至香港卡车航班每周开行 20 班，新增就业岗位 180 个。",
            "description_en": "In its first year the Central China distribution centre of the Hong Kong freight forwarder "
                              "in Zhengzhou handled more than 50,000 tonnes of electronics and cross-border e-commerce "
                              "parcels. 20 road feeder services a week link Zhengzhou and Hong Kong, and 180 jobs were "
                              "created.",
        },
    },
    {
        "key": "peony-visitors", "projects": ["us-peony"], "happened": 250, "image": "peony",
        "data": {
            "title_zh": "300 余名美国侨胞和友人赴洛阳赏牡丹",
            "title_en": "More than 300 overseas Chinese and American friends visit Luoyang for the peonies",
            "description_zh": "在美国华人社团的联合推介下，300 余名侨胞和美国友人组团赴洛阳参加牡丹文化节，参观龙门石窟和隋唐"
                              "洛阳城。旧金山、洛杉矶两地的牡丹文化图片展吸引观众 1.2 万人次。",
            "description_en": "Promoted by Chinese community associations in the United States, more than 300 overseas "
                              "Chinese and American friends came to Luoyang for the Peony Culture Festival and visited the "
                              "Longmen Grottoes and the Sui and Tang city. The peony photo exhibitions in San Francisco "
                              "and Los Angeles drew 12,000 visitors.",
        },
    },
]

# Expressions of interest (合作意向) from visitors: the project, when (days and hours ago), the language they
# wrote in, what they wrote, and what the owner officer did (transition, days after[, comment]) or None (still
# to be read).
INTERESTS = [
    {
        "project": "ae-warehouse", "ago": (92, 14), "language": "en", "then": ("forward", 1),
        "data": {"name": "Omar Al Mansoori", "organisation": "Emirates Fresh Foods LLC", "country": "AE",
                 "email": "omar.almansoori@example.com", "phone": "+971 4 555 0128",
                 "message": "We import frozen dumplings and noodles for supermarkets in the UAE and Oman and would "
                            "like to store them in your Dubai warehouse. Which Henan food makers already use it?"},
    },
    {
        "project": "lux-coldchain", "ago": (60, 3), "language": "en",
        "then": ("forward", 2, "比利时生鲜物流企业，每周有稳定货量，请企业直接联系。"),
        "data": {"name": "Jan Peeters", "organisation": "Antwerp Fresh Logistics NV", "country": "BE",
                 "email": "jan.peeters@example.com", "phone": "+32 3 555 0147",
                 "message": "We ship fresh produce from Belgium to China every week and would like to route it "
                            "through Luxembourg and your cold-chain centre. Could you put us in touch with the "
                            "operator?"},
    },
    {
        "project": "pl-dairy", "ago": (45, 9), "language": "en", "then": ("forward", 1),
        "data": {"name": "Katarzyna Nowak", "organisation": "Mazowsze Dairy Cooperative", "country": "PL",
                 "email": "katarzyna.nowak@example.com",
                 "message": "We produce UHT milk, butter and cheese and already ship containers to China by rail "
                            "from Małaszewicze. We would be glad to supply your bonded warehouse."},
    },
    {
        "project": "jp-robot", "ago": (30, 1), "language": "en", "then": ("forward", 2),
        "data": {"name": "Hiroshi Tanaka", "organisation": "Kansai Servo Systems Co., Ltd.", "country": "JP",
                 "email": "hiroshi.tanaka@example.com",
                 "message": "We make servo motors and drives for robot joints and would like to offer them to the "
                            "new joint venture in Luoyang."},
    },
    {
        "project": "hk-fund", "ago": (25, 6), "language": "en", "then": ("forward", 3),
        "data": {"name": "Wong Siu Ming", "organisation": "Kowloon Trade Credit Ltd.", "country": "HK",
                 "email": "siuming.wong@example.com", "phone": "+852 5550 1932",
                 "message": "We insure trade receivables and would like to discuss credit insurance for the "
                            "receivables the new supply-chain finance company will buy."},
    },
    {
        "project": "kansas-wheat", "ago": (20, 22), "language": "en", "then": None,
        "data": {"name": "Robert Miller", "organisation": "Heartland Milling Co.", "country": "US",
                 "email": "robert.miller@example.com",
                 "message": "We mill hard red winter wheat in Kansas and export flour. Is there interest in flour "
                            "as well as grain?"},
    },
    {
        "project": "kr-wellness", "ago": (14, 4), "language": "en", "then": None,
        "data": {"name": "Kim Soo-yeon", "organisation": "Seoul Senior Travel Club", "country": "KR",
                 "email": "sooyeon.kim@example.com",
                 "message": "Our members are retired teachers interested in traditional medicine. We would like to "
                            "bring two groups of 25 in the spring."},
    },
    {
        "project": "fr-bianxiu", "ago": (10, 15), "language": "zh-hans", "then": None,
        "data": {"name": "陈美玲", "organisation": "法国中华艺术交流协会", "country": "FR",
                 "email": "meiling.chen@example.fr",
                 "message": "我们协会每年在巴黎举办中国传统艺术展，希望参与汴绣和木版年画的展销活动，能否提供开封合作机构的联系方式？"},
    },
    {
        "project": "mo-tourism", "ago": (8, 2), "language": "en",
        "then": ("close", 1, "与项目无关的网络推广信息。"),
        "data": {"name": "Top Rank Team", "organisation": "Top Rank Digital", "country": "US",
                 "email": "offers@example.com",
                 "message": "Boost your website to the first page of Google in 7 days! Cheap SEO packages for "
                            "tourism websites, reply now for a free audit."},
    },
    {
        "project": "richmond-medtech", "ago": (5, 19), "language": "en", "then": None,
        "data": {"name": "Michael Carter", "organisation": "James River MedTech LLC", "country": "US",
                 "email": "michael.carter@example.com",
                 "message": "We are a Richmond start-up making single-use surgical instruments and are considering "
                            "a first office in China. What would the soft-landing package include?"},
    },
    {
        "project": "pl-dairy", "ago": (3, 5), "language": "en", "then": None,
        "data": {"name": "Tomasz Wiśniewski", "organisation": "Kraków Natural Cosmetics Sp. z o.o.",
                 "country": "PL", "email": "tomasz.wisniewski@example.com",
                 "message": "We make natural skincare products and hold EU organic certificates. Are cosmetics "
                            "still wanted, and in what volumes?"},
    },
]
# fmt: on


def seed() -> int:
    """The area's demo records, once: returns the number of cooperation projects created."""
    if CooperationProject.objects.filter(title_en=PROJECTS[0]["data"]["title_en"]).exists():
        return 0
    demo = ProjectsDemo()
    demo.plan()
    return demo.play()


class _Clock(DemoClock):
    """The demo clock, doing also what the worker does with the acknowledgements to visitors (the outbox past
    the notifications): each counts as sent when it was written, as DemoClock.settle does for notifications."""

    def _run_task(self, task_name: str, *args) -> None:
        if task_name == "projects.deliver_interest_message":
            # The worker's write (services.interest.deliver) without the mail server: sent then.
            InterestMessage.objects.filter(pk=args[0], sent_at__isnull=True).update(
                sent_at=self.now, attempts=1
            )
            return
        super()._run_task(task_name, *args)


class ProjectsDemo:
    """The area's demo history: `plan()` lays out its steps, `play()` plays them on the clock and returns the
    number of projects made (`failures`: the steps the services refused; the tests want none)."""

    def __init__(self):
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.rng = random.Random(202614)
        self.users = {
            name: User.objects.get(username=name)
            for name in ("officer", "officer2", "applicant", "liaison", "applicant2")
        }
        self.officer = self.users["officer"]
        self.organizations = {key: Organization.objects.get(uscc=uscc) for key, uscc in ENTERPRISES.items()}
        self.steps: list[tuple[datetime, object, object, str]] = []
        self.projects: dict[str, CooperationProject] = {}
        self.achievements: dict = {}
        self.interests: dict = {}
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

    def add(self, moment: datetime, action, *, thread=None, label: str = "") -> None:
        self.steps.append((moment, action, thread, label))

    # Planning -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        self._plan_industries()
        for spec in PROJECTS:
            self._plan_project(spec)
        for spec in ACHIEVEMENTS:
            self._plan_achievement(spec)
        for index, spec in enumerate(INTERESTS):
            self._plan_interest(index, spec)

    def _plan_industries(self) -> None:
        """The industries come with migration 0002; a database emptied since (manage.py flush, as bench/run.py
        and transactional tests do) has lost them: the office enters them again before the first project."""
        have = set(Industry.objects.values_list("code", flat=True))
        plan = import_module("projects.migrations._industries").INDUSTRIES
        missing = [(order, *row) for order, row in enumerate(plan, start=1) if row[0] not in have]
        if missing:
            earliest = max(spec["created"] for spec in PROJECTS)
            self.add(
                self.office_at(self.today - timedelta(days=earliest + 7), 9),
                partial(self._enter_industries, missing),
                label="industries",
            )

    def _plan_project(self, spec) -> None:
        key = spec["key"]
        thread = f"project:{key}"
        first = self.today - timedelta(days=spec["created"])
        entered = self.office_at(first)
        last = entered
        stages = spec.get("stages", [])
        next_step = spec.get("next")
        with_entry = next_step if next_step and not stages else None
        self.add(entered, partial(self._enter, spec, with_entry), thread=thread, label=f"enter {key}")
        if spec["by"] != "officer":
            # An enterprise's project goes to the least busy officer, who hands it to the one who follows the
            # enterprise.
            last = entered + timedelta(hours=2)
            self.add(last, partial(self._hand_over, key), thread=thread, label=f"hand over {key}")

        events = []
        for index, (name, days, *comment) in enumerate(stages):
            data = None
            if index == len(stages) - 1 and next_step:
                data = {"next_step": next_step[0], "next_step_due": self.today + timedelta(days=next_step[1])}
            events.append((days, partial(self._stage, key, name, comment[0] if comment else "", data), name))
        for name, days, *rest in spec.get("publication", []):
            actor = rest[0] if rest else "officer"
            comment = rest[1] if len(rest) > 1 else ""
            events.append((days, partial(self._publication, key, name, actor, comment), name))
        for days, text in spec.get("notes", []):
            events.append((days, partial(self._note, key, text), "note"))
        if "image" in spec:
            theme, days = spec["image"]
            events.append((days, partial(self._picture, key, theme), "image"))
        for days, action, name in sorted(events, key=lambda event: event[0]):
            moment = max(self.office_at(first + timedelta(days=days)), last + timedelta(minutes=40))
            last = moment
            self.add(moment, action, thread=thread, label=f"{name} {key}")

    def _plan_achievement(self, spec) -> None:
        key = spec["key"]
        thread = f"achievement:{key}"
        happened = self.today - timedelta(days=spec["happened"])
        written = self.office_at(happened + timedelta(days=2), 10)
        self.add(written, partial(self._write, spec, happened), thread=thread, label=f"achievement {key}")
        self.add(
            written + timedelta(minutes=25),
            partial(self._illustrate, spec),
            thread=thread,
            label=f"image {key}",
        )
        self.add(
            self.office_at(timezone.localtime(written).date() + timedelta(days=1), 15),
            partial(self._publish_achievement, key),
            thread=thread,
            label=f"publish {key}",
        )

    def _plan_interest(self, index: int, spec) -> None:
        thread = f"interest:{index}"
        days, hours = spec["ago"]
        expressed = self.now - timedelta(days=days, hours=hours)
        self.add(expressed, partial(self._express, index, spec), thread=thread, label=f"interest {index}")
        if spec["then"]:
            name, after, *comment = spec["then"]
            moment = self.office_at(timezone.localtime(expressed).date() + timedelta(days=after))
            self.add(
                max(moment, expressed + timedelta(hours=1)),
                partial(self._interest_run, index, name, comment[0] if comment else ""),
                thread=thread,
                label=f"{name} interest {index}",
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

    def _enter_industries(self, missing) -> None:
        for order, code, name_zh, name_en, area, priority in missing:
            data = {"code": code, "name_zh": name_zh, "name_en": name_en, "area": area, "priority": priority}
            taxonomy.industry_save(actor=self.officer, data={**data, "order": order})

    def _enter(self, spec, next_step) -> None:
        industries = dict(Industry.objects.filter(code__in=spec["industries"]).values_list("code", "pk"))
        data = {**spec["data"], "industries": [industries[code] for code in spec["industries"]]}
        if spec["by"] == "officer":
            data["enterprises"] = [self.organizations[key].pk for key in spec.get("enterprises", [])]
            if next_step:
                data["next_step"] = next_step[0]
                data["next_step_due"] = self.today + timedelta(days=next_step[1])
        self.projects[spec["key"]] = projects.project_create(actor=self.users[spec["by"]], data=data)
        self.created += 1

    def _hand_over(self, key: str) -> None:
        project = self.projects[key]
        if project.owner_id != self.officer.pk:
            self.projects[key] = projects.project_assign(
                project=project, actor=project.owner, owner=self.officer
            )

    def _stage(self, key: str, name: str, comment: str, data: dict | None) -> None:
        self.projects[key] = projects.stage_run(
            project=self.projects[key], actor=self.officer, name=name, comment=comment, data=data
        )

    def _publication(self, key: str, name: str, actor: str, comment: str) -> None:
        self.projects[key] = projects.publication_run(
            project=self.projects[key], actor=self.users[actor], name=name, comment=comment
        )

    def _picture(self, key: str, theme: str) -> None:
        """A picture of the project for its public page (the same scene as its achievement's)."""
        projects.document_add(
            project=self.projects[key],
            actor=self.officer,
            kind=ProjectDocumentKind.IMAGE,
            uploaded_file=ContentFile(illustration(theme), name=f"{key}.png"),
            public=True,
        )

    def _note(self, key: str, text: str) -> None:
        projects.note_add(project=self.projects[key], actor=self.officer, text=text)

    def _write(self, spec, happened: date) -> None:
        linked = [self.projects[key] for key in spec["projects"]]
        data = {
            **spec["data"],
            "channel": linked[0].channel,
            "ftz_area": linked[0].ftz_area,
            "happened_on": happened,
            "projects": [project.pk for project in linked],
        }
        self.achievements[spec["key"]] = achievements.achievement_create(actor=self.officer, data=data)

    def _illustrate(self, spec) -> None:
        achievements.image_add(
            achievement=self.achievements[spec["key"]],
            actor=self.officer,
            uploaded_file=ContentFile(illustration(spec["image"]), name=f"{spec['key']}.png"),
        )

    def _publish_achievement(self, key: str) -> None:
        self.achievements[key] = achievements.achievement_publication_run(
            achievement=self.achievements[key], actor=self.officer, name="publish"
        )

    def _express(self, index: int, spec) -> None:
        self.interests[index] = interest.interest_express(
            project=self.projects[spec["project"]], data=spec["data"], language=spec["language"]
        )

    def _interest_run(self, index: int, name: str, comment: str) -> None:
        self.interests[index] = interest.interest_run(
            interest=self.interests[index], actor=self.officer, name=name, comment=comment
        )


# Illustrations of the achievements: flat scenes drawn with Pillow (no text, so no font), at twice the size and
# scaled down for smooth edges. Themes: sky top, sky bottom, ground, accent.
WIDTH, HEIGHT, SCALE = 960, 540, 2
THEMES = {
    "air": ((20, 64, 120), (93, 156, 214), (226, 236, 245), (255, 196, 87)),
    "warehouse": ((236, 128, 62), (250, 208, 140), (196, 152, 104), (255, 240, 200)),
    "train": ((58, 96, 150), (176, 206, 232), (120, 138, 112), (200, 40, 40)),
    "harbour": ((16, 48, 84), (64, 120, 170), (30, 70, 110), (255, 206, 84)),
    "peony": ((250, 226, 232), (255, 246, 240), (124, 168, 110), (214, 60, 110)),
}
CONTAINERS = [(40, 110, 170), (200, 70, 50), (50, 140, 90), (230, 160, 40)]


def _p(*xy) -> list[int]:
    return [round(v * SCALE) for v in xy]


def _plane(draw, cx, cy, size, colour, shade) -> None:
    k = size / 100
    shapes = [
        ([(-10, 0), (-30, -90), (-8, -90), (45, 0)], shade),
        ([(-10, 0), (-30, 90), (-8, 90), (45, 0)], shade),
        ([(-118, 0), (-128, -40), (-112, -40), (-90, 0)], shade),
        ([(-120, -6), (95, -14), (135, 0), (95, 14), (-120, 6)], colour),
    ]
    for shape, fill in shapes:
        draw.polygon(_p(*[v for x, y in shape for v in (cx + x * k, cy + y * k)]), fill=fill)


def _air(draw, ground, accent) -> None:
    draw.rectangle(_p(0, 430, WIDTH, HEIGHT), fill=ground)
    draw.arc(_p(110, 170, 850, 830), 195, 345, fill=(255, 255, 255), width=4 * SCALE)
    for angle in (195, 345):
        x = 480 + 370 * math.cos(math.radians(angle))
        y = 500 + 330 * math.sin(math.radians(angle))
        draw.ellipse(_p(x - 24, y - 24, x + 24, y + 24), fill=accent)
        draw.ellipse(_p(x - 10, y - 10, x + 10, y + 10), fill=(20, 64, 120))
    _plane(draw, 500, 190, 95, (248, 250, 253), (210, 224, 240))
    for i, x in enumerate(range(70, 900, 110)):
        h = 34 + (i % 3) * 10
        draw.rounded_rectangle(_p(x, 500 - h, x + 80, 500), radius=4 * SCALE, fill=(70, 150, 210))
        draw.rectangle(_p(x + 10, 500 - h + 10, x + 70, 500 - h + 16), fill=(255, 255, 255))


def _warehouse(draw, ground, accent) -> None:
    draw.ellipse(_p(640, 70, 800, 230), fill=accent)
    draw.rectangle(_p(0, 420, WIDTH, HEIGHT), fill=ground)
    draw.polygon(_p(160, 220, 480, 130, 800, 220, 800, 420, 160, 420), fill=(245, 245, 240))
    draw.polygon(_p(140, 225, 480, 115, 820, 225, 820, 240, 480, 132, 140, 240), fill=(120, 70, 50))
    for i in range(3):
        x = 220 + i * 200
        draw.rectangle(_p(x, 290, x + 120, 420), fill=(150, 160, 170))
        for y in range(300, 420, 16):
            draw.line(_p(x + 4, y, x + 116, y), fill=(125, 135, 145), width=2 * SCALE)
    for i in range(6):
        x = 60 + i * 150
        draw.rectangle(_p(x, 440, x + 120, 500), fill=CONTAINERS[i % 4])
        for j in range(1, 6):
            draw.line(_p(x + j * 20, 444, x + j * 20, 496), fill=(255, 255, 255), width=SCALE)


def _train(draw, ground, accent) -> None:
    for i, (x, h) in enumerate(((0, 120), (180, 190), (420, 150), (650, 210), (860, 130))):
        draw.polygon(_p(x - 140, 360, x + 60, 360 - h, x + 260, 360), fill=(150 - i * 6, 172 - i * 4, 196))
    draw.rectangle(_p(0, 360, WIDTH, HEIGHT), fill=ground)
    draw.rectangle(_p(0, 452, WIDTH, 462), fill=(90, 80, 70))
    for x in range(0, WIDTH, 36):
        draw.rectangle(_p(x, 462, x + 18, 470), fill=(110, 96, 80))
    draw.rounded_rectangle(_p(620, 330, 880, 440), radius=10 * SCALE, fill=accent)
    draw.rectangle(_p(780, 300, 860, 335), fill=accent)
    draw.rectangle(_p(640, 350, 700, 385), fill=(230, 240, 250))
    for i, colour in enumerate([CONTAINERS[0], CONTAINERS[2], CONTAINERS[3], CONTAINERS[0]]):
        x = 60 + i * 140
        draw.rectangle(_p(x, 350, x + 128, 440), fill=colour)
        for j in range(1, 8):
            draw.line(_p(x + j * 16, 356, x + j * 16, 434), fill=(255, 255, 255), width=SCALE)
    for x in [*range(80, 600, 70), 650, 720, 800, 850]:
        draw.ellipse(_p(x, 432, x + 26, 458), fill=(50, 50, 55))


def _harbour(draw, ground, accent) -> None:
    draw.ellipse(_p(120, 60, 190, 130), fill=(240, 240, 220))
    skyline = [(0, 260), (60, 200), (110, 240), (170, 150), (230, 220), (300, 120), (360, 210), (420, 170),
               (480, 230), (540, 110), (600, 200), (680, 160), (740, 230), (820, 140), (880, 220), (960, 190)]  # fmt: skip
    for x, top in skyline:
        draw.rectangle(_p(x, top, x + 56, 380), fill=(28, 60, 96))
        for wy in range(top + 14, 370, 22):
            for wx in range(x + 8, x + 50, 14):
                if (wx + wy) % 3:
                    draw.rectangle(_p(wx, wy, wx + 6, wy + 8), fill=accent)
    draw.rectangle(_p(0, 380, WIDTH, HEIGHT), fill=ground)
    for i in range(0, WIDTH, 40):
        y = 420 + (i // 40) % 3 * 20
        draw.line(_p(i, y, i + 24, y), fill=(90, 140, 190), width=2 * SCALE)
    draw.polygon(_p(520, 470, 900, 470, 870, 510, 550, 510), fill=(200, 60, 50))
    colours = [CONTAINERS[0], CONTAINERS[3], CONTAINERS[2], (240, 240, 240)]
    for i in range(8):
        x, y = 560 + (i % 4) * 78, 430 - (i // 4) * 38
        draw.rectangle(_p(x, y, x + 72, y + 36), fill=colours[(i + i // 4) % 4])


def _peony(draw, ground, accent) -> None:
    draw.rectangle(_p(0, 400, WIDTH, HEIGHT), fill=ground)
    flowers = [(260, 260, 120, accent), (560, 300, 100, (236, 120, 160)), (790, 250, 80, (246, 170, 190)),
               (120, 380, 60, (236, 120, 160))]  # fmt: skip
    for cx, cy, _r, _colour in flowers:
        draw.line(_p(cx, cy, cx + 10, 470), fill=(70, 120, 60), width=6 * SCALE)
        draw.ellipse(_p(cx - 55, 405, cx + 5, 430), fill=(90, 150, 80))
        draw.ellipse(_p(cx + 12, 428, cx + 72, 453), fill=(90, 150, 80))
    for cx, cy, r, colour in flowers:
        lighter = tuple(min(255, c + 30) for c in colour)
        for count, distance, size, fill, turn in ((10, 0.55, 0.55, colour, 0), (7, 0.28, 0.32, lighter, 0.3)):
            for k in range(count):
                a = k * 2 * math.pi / count + turn
                px, py = cx + math.cos(a) * r * distance, cy + math.sin(a) * r * distance
                draw.ellipse(
                    _p(px - r * size, py - r * size, px + r * size, py + r * size),
                    fill=fill,
                    outline=(255, 255, 255),
                    width=SCALE,
                )
        draw.ellipse(_p(cx - r * 0.16, cy - r * 0.16, cx + r * 0.16, cy + r * 0.16), fill=(250, 210, 80))


SCENES = {"air": _air, "warehouse": _warehouse, "train": _train, "harbour": _harbour, "peony": _peony}


def illustration(theme: str) -> bytes:
    """A PNG of 960 × 540 pixels: the theme's scene on a sky of its colours."""
    top, bottom, ground, accent = THEMES[theme]
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), top)
    draw = ImageDraw.Draw(image)
    bands = 60
    for i in range(bands):
        t = i / (bands - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.rectangle(
            [0, HEIGHT * SCALE * i // bands, WIDTH * SCALE, HEIGHT * SCALE * (i + 1) // bands], fill=colour
        )
    SCENES[theme](draw, ground, accent)
    buffer = io.BytesIO()
    image.reduce(SCALE).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
