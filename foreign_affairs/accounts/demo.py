"""Demo organisations, accounts for every role, and their travellers (CONTRACT.md, `seed_demo`).

Idempotent: what exists is left alone (passwords are reset to DEMO_PASSWORD); what is missing is
created through the services, so the demo data carries the same audit events and notifications
as real data. Everything is made on the day it happened (foreign_affairs.demo_clock): the organisations
registered years or months ago, their people soon after.

Two sizes (`seed_demo --size`): `small` is the story the README tells — three enterprises, the named
accounts and nine travellers — and `year` (the default, what `make run` loads) adds the organisations
whose year of travel fills the managers' dashboard. A demo keeps the size it was made with: seeding a
`small` demo again with `--size year` adds nothing (flush the database to change the size).
"""

import contextlib
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from foreign_affairs.demo_clock import DemoClock

from . import services
from .models import FTZArea, Gender, Industry, Membership, Organization, PassportType, Person, User
from .roles import Role
from .validators import uscc_check_character

SMALL, YEAR = "small", "year"
SIZES = (SMALL, YEAR)
_size: ContextVar[str] = ContextVar("demo_size", default=YEAR)


@contextlib.contextmanager
def sized(size: str):
    """Seed at `size` ("small" or "year") within the block (seed_demo's --size)."""
    if size not in SIZES:
        raise ValueError(f"demo size must be one of {SIZES}, not {size!r}")
    token = _size.set(size)
    try:
        yield
    finally:
        _size.reset(token)


def size() -> str:
    """The size being seeded: the one asked for, or the size of the demo already in the database."""
    return _size.get()


def _uscc(first17: str) -> str:
    return first17 + uscc_check_character(first17)


DEMO_USCC = "91410100MA47XK3T84"  # 郑州示范贸易有限公司, the enterprise of `applicant` and `liaison`
LUOYANG_USCC = "91410300MA48QW7L29"
KAIFENG_USCC = "91410200MA46HR5N9F"

# `since`: days before today the organisation registered with the portal (the Zhengzhou enterprise has
# held APEC cards for five years).
ORGANIZATIONS = [
    {
        "name_zh": "郑州示范贸易有限公司",
        "name_en": "Zhengzhou Demo Trading Co., Ltd.",
        "uscc": DEMO_USCC,
        "ftz_area": FTZArea.ZHENGZHOU,
        "industry": Industry.TRADE,
        "address": "河南省郑州市郑东新区商务外环路 18 号",
        "contact_name": "李娜",
        "contact_phone": "0371-6555 0101",
        "contact_email": "liaison@example.com",
        "since": 1975,
    },
    {
        "name_zh": "洛阳示范装备制造有限公司",
        "name_en": "Luoyang Demo Equipment Manufacturing Co., Ltd.",
        "uscc": LUOYANG_USCC,
        "ftz_area": FTZArea.LUOYANG,
        "industry": Industry.MANUFACTURING,
        "address": "河南省洛阳市洛龙区开元大道 66 号",
        "contact_name": "王磊",
        "contact_phone": "0379-6333 0202",
        "contact_email": "applicant2@example.com",
        "since": 610,
    },
    {
        "name_zh": "开封示范文化旅游有限公司",
        "name_en": "Kaifeng Demo Culture and Tourism Co., Ltd.",
        "uscc": KAIFENG_USCC,
        "ftz_area": FTZArea.KAIFENG,
        "industry": Industry.CULTURE,
        "address": "河南省开封市龙亭区宋都御街 9 号",
        "contact_name": "周婷",
        "contact_phone": "0371-2222 0303",
        "contact_email": "info.kaifeng@example.com",
        "since": 590,
    },
]

# The year's other organisations: in the three areas of the zone and outside it, each with its liaison's
# account (`username`, family and given name), who files and endorses its applications.
# fmt: off
EXTRA_ORGANIZATIONS = [
    {
        "name_zh": "河南中原国际物流有限公司", "name_en": "Henan Zhongyuan International Logistics Co., Ltd.",
        "uscc": _uscc("91410100MA9GQ7U2X"), "ftz_area": FTZArea.ZHENGZHOU, "industry": Industry.LOGISTICS,
        "address": "河南省郑州市经开区第八大街 126 号", "contact_name": "高原", "contact_phone": "0371-6688 1201",
        "contact_email": "gaoyuan@zylogistics.example.com", "since": 560, "username": "zylogistics",
        "liaison": ("高", "原"),
    },
    {
        "name_zh": "郑州智联终端科技有限公司", "name_en": "Zhengzhou Zhilian Smart Terminal Technology Co., Ltd.",
        "uscc": _uscc("91410100MA9HK3R5P"), "ftz_area": FTZArea.ZHENGZHOU, "industry": Industry.MANUFACTURING,
        "address": "河南省郑州市郑东新区龙子湖智慧岛 D 座", "contact_name": "秦悦", "contact_phone": "0371-6011 3302",
        "contact_email": "qinyue@zhilian.example.com", "since": 545, "username": "zhilian",
        "liaison": ("秦", "悦"),
    },
    {
        "name_zh": "郑州豫欧跨境电子商务有限公司", "name_en": "Zhengzhou Yu-Ou Cross-Border E-Commerce Co., Ltd.",
        "uscc": _uscc("91410100MA9JD8T1N"), "ftz_area": FTZArea.ZHENGZHOU, "industry": Industry.TRADE,
        "address": "河南省郑州市金水区花园路 89 号", "contact_name": "蒋涵", "contact_phone": "0371-5566 7803",
        "contact_email": "jianghan@yuou.example.com", "since": 530, "username": "yuou",
        "liaison": ("蒋", "涵"),
    },
    {
        "name_zh": "洛阳精工机器人有限公司", "name_en": "Luoyang Jinggong Robotics Co., Ltd.",
        "uscc": _uscc("91410300MA9KM4W6B"), "ftz_area": FTZArea.LUOYANG, "industry": Industry.MANUFACTURING,
        "address": "河南省洛阳市涧西区丰华路 17 号", "contact_name": "邓凯", "contact_phone": "0379-6421 5504",
        "contact_email": "dengkai@jinggong.example.com", "since": 555, "username": "jinggong",
        "liaison": ("邓", "凯"),
    },
    {
        "name_zh": "洛阳伊洛新材料科技有限公司", "name_en": "Luoyang Yiluo New Materials Technology Co., Ltd.",
        "uscc": _uscc("91410300MA9LT2Y8C"), "ftz_area": FTZArea.LUOYANG, "industry": Industry.MANUFACTURING,
        "address": "河南省洛阳市高新区滨河北路 58 号", "contact_name": "袁芳", "contact_phone": "0379-6530 2205",
        "contact_email": "yuanfang@yiluo.example.com", "since": 520, "username": "yiluo",
        "liaison": ("袁", "芳"),
    },
    {
        "name_zh": "开封宋韵文化创意有限公司", "name_en": "Kaifeng Songyun Cultural and Creative Co., Ltd.",
        "uscc": _uscc("91410200MA9MR5E3D"), "ftz_area": FTZArea.KAIFENG, "industry": Industry.CULTURE,
        "address": "河南省开封市城乡一体化示范区宋城路 32 号", "contact_name": "程雅", "contact_phone": "0371-2356 1806",
        "contact_email": "chengya@songyun.example.com", "since": 540, "username": "songyun",
        "liaison": ("程", "雅"),
    },
    {
        "name_zh": "开封汴康医疗健康旅游有限公司", "name_en": "Kaifeng Biankang Medical Tourism Co., Ltd.",
        "uscc": _uscc("91410200MA9NX7F4G"), "ftz_area": FTZArea.KAIFENG, "industry": Industry.HEALTH,
        "address": "河南省开封市城乡一体化示范区郑开大道 210 号", "contact_name": "贺宁", "contact_phone": "0371-2398 4407",
        "contact_email": "hening@biankang.example.com", "since": 515, "username": "biankang",
        "liaison": ("贺", "宁"),
    },
    {
        "name_zh": "河南黄河农业发展集团有限公司", "name_en": "Henan Yellow River Agricultural Development Group Co., Ltd.",
        "uscc": _uscc("91410700MA9PB6H2J"), "ftz_area": FTZArea.OUTSIDE, "industry": Industry.AGRICULTURE,
        "address": "河南省新乡市红旗区新二街 66 号", "contact_name": "范强", "contact_phone": "0373-3035 2208",
        "contact_email": "fanqiang@hhagri.example.com", "since": 535, "username": "hhagri",
        "liaison": ("范", "强"),
    },
    {
        "name_zh": "许昌瑞发制品进出口有限公司", "name_en": "Xuchang Ruifa Hair Products Import & Export Co., Ltd.",
        "uscc": _uscc("91411000MA9QC3K7L"), "ftz_area": FTZArea.OUTSIDE, "industry": Industry.TRADE,
        "address": "河南省许昌市建安区发制品产业园 3 号", "contact_name": "魏敏", "contact_phone": "0374-5173 3309",
        "contact_email": "weimin@ruifa.example.com", "since": 525, "username": "ruifa",
        "liaison": ("魏", "敏"),
    },
]
# fmt: on

# username, family name, given name, role, organisation USCC (None: office), liaison
ACCOUNTS = [
    ("applicant", "张", "伟", Role.APPLICANT, DEMO_USCC, False),
    ("liaison", "李", "娜", Role.LIAISON, DEMO_USCC, True),
    ("applicant2", "王", "磊", Role.APPLICANT, LUOYANG_USCC, True),
    ("officer", "刘", "洋", Role.OFFICER, None, False),
    ("officer2", "孙", "悦", Role.OFFICER, None, False),  # the duty roster's deputy (overseas safety)
    ("leader", "陈", "静", Role.LEADER, None, False),
    ("manager", "赵", "敏", Role.MANAGER, None, False),
    ("admin", "系统", "管理员", None, None, False),
]
# The Kaifeng enterprise's liaison, for its year of travel.
YEAR_ACCOUNTS = [("kaifeng", "周", "婷", Role.LIAISON, KAIFENG_USCC, True)]


# organisation USCC, name, pinyin, gender, birth date, position, passport type, number, days until expiry
# (None: no passport yet). 孙强's passport runs out soon and 周婷 has none, so the dashboard has work.
OFFICIAL, ORDINARY = PassportType.OFFICIAL_ORDINARY, PassportType.ORDINARY
M, F = Gender.MALE, Gender.FEMALE
# fmt: off
PEOPLE = [
    (DEMO_USCC, "张伟", "ZHANG WEI", M, date(1982, 3, 14), "总经理", OFFICIAL, "SE1234501", 1500),
    (DEMO_USCC, "李娜", "LI NA", F, date(1988, 7, 2), "外事联络员", OFFICIAL, "SE1234502", 900),
    (DEMO_USCC, "孙强", "SUN QIANG", M, date(1979, 11, 23), "国际业务部经理", ORDINARY, "E87654321", 120),
    (DEMO_USCC, "周婷", "ZHOU TING", F, date(1993, 5, 30), "翻译", ORDINARY, "", None),
    (DEMO_USCC, "陈晨", "CHEN CHEN", F, date(1990, 2, 17), "市场部主管", OFFICIAL, "SE1234503", 1800),
    (DEMO_USCC, "杨帆", "YANG FAN", M, date(1987, 6, 8), "物流部经理", OFFICIAL, "SE1234504", 1600),
    (DEMO_USCC, "刘敏", "LIU MIN", F, date(1984, 12, 1), "财务总监", OFFICIAL, "SE1234505", 1400),
    (LUOYANG_USCC, "王磊", "WANG LEI", M, date(1985, 1, 9), "副总经理", OFFICIAL, "SE2234501", 1200),
    (LUOYANG_USCC, "吴刚", "WU GANG", M, date(1976, 9, 18), "总工程师", OFFICIAL, "SE2234502", 700),
]
# The travellers of the year's organisations: (name, pinyin, gender, birth date, position, official passport).
YEAR_PEOPLE = {
    LUOYANG_USCC: [
        ("郑丽", "ZHENG LI", F, date(1989, 4, 21), "国际贸易部经理", True),
        ("许博", "XU BO", M, date(1986, 10, 5), "技术部主管", True),
        ("韩雪", "HAN XUE", F, date(1992, 3, 28), "翻译", False),
        ("陆海涛", "LU HAITAO", M, date(1981, 7, 16), "售后服务部经理", True),
    ],
    KAIFENG_USCC: [
        ("赵文博", "ZHAO WENBO", M, date(1975, 2, 11), "董事长", True),
        ("冯立", "FENG LI", M, date(1980, 8, 30), "副总经理", True),
        ("孟凡", "MENG FAN", M, date(1984, 12, 19), "文创产品部经理", True),
        ("苏晓雯", "SU XIAOWEN", F, date(1991, 6, 7), "品牌推广主管", False),
        ("宋佳", "SONG JIA", F, date(1988, 1, 23), "演艺事业部经理", True),
    ],
    EXTRA_ORGANIZATIONS[0]["uscc"]: [
        ("马国栋", "MA GUODONG", M, date(1972, 5, 3), "董事长", True),
        ("高原", "GAO YUAN", M, date(1985, 9, 12), "国际货代部经理", True),
        ("田甜", "TIAN TIAN", F, date(1990, 11, 2), "班列运营主管", True),
        ("崔浩", "CUI HAO", M, date(1983, 3, 25), "副总经理", True),
        ("黎晓", "LI XIAO", F, date(1993, 8, 14), "关务专员", False),
        ("章磊", "ZHANG LEI", M, date(1979, 6, 30), "仓储中心总监", True),
    ],
    EXTRA_ORGANIZATIONS[1]["uscc"]: [
        ("罗志远", "LUO ZHIYUAN", M, date(1974, 1, 18), "总经理", True),
        ("秦悦", "QIN YUE", F, date(1989, 5, 26), "海外市场部经理", True),
        ("唐一鸣", "TANG YIMING", M, date(1987, 10, 9), "研发中心主任", True),
        ("余倩", "YU QIAN", F, date(1991, 12, 4), "产品经理", False),
        ("方浩然", "FANG HAORAN", M, date(1984, 4, 1), "供应链总监", True),
        ("姚静", "YAO JING", F, date(1986, 2, 22), "质量部经理", True),
    ],
    EXTRA_ORGANIZATIONS[2]["uscc"]: [
        ("钱峰", "QIAN FENG", M, date(1980, 7, 7), "总经理", True),
        ("蒋涵", "JIANG HAN", F, date(1992, 9, 15), "跨境运营部经理", True),
        ("薛凯", "XUE KAI", M, date(1988, 3, 3), "海外仓负责人", False),
        ("白露", "BAI LU", F, date(1994, 10, 20), "招商专员", False),
        ("邹明", "ZOU MING", M, date(1983, 12, 12), "副总经理", True),
    ],
    EXTRA_ORGANIZATIONS[3]["uscc"]: [
        ("沈建国", "SHEN JIANGUO", M, date(1970, 10, 1), "董事长", True),
        ("邓凯", "DENG KAI", M, date(1986, 6, 19), "国际业务部经理", True),
        ("雷鸣", "LEI MING", M, date(1982, 2, 8), "机器人研究院院长", True),
        ("江雪梅", "JIANG XUEMEI", F, date(1988, 9, 9), "海外销售经理", True),
        ("段飞", "DUAN FEI", M, date(1990, 4, 27), "售后工程师", False),
        ("侯亮", "HOU LIANG", M, date(1978, 11, 11), "副总经理", True),
    ],
    EXTRA_ORGANIZATIONS[4]["uscc"]: [
        ("石磊", "SHI LEI", M, date(1976, 3, 17), "总经理", True),
        ("袁芳", "YUAN FANG", F, date(1987, 8, 8), "国际合作部经理", True),
        ("潘宇", "PAN YU", M, date(1985, 5, 5), "材料研究所所长", True),
        ("陶然", "TAO RAN", F, date(1993, 1, 29), "外贸业务员", False),
        ("夏晨", "XIA CHEN", M, date(1989, 10, 31), "工艺工程师", True),
    ],
    EXTRA_ORGANIZATIONS[5]["uscc"]: [
        ("欧阳修远", "OUYANG XIUYUAN", M, date(1973, 4, 4), "董事长", True),
        ("程雅", "CHENG YA", F, date(1990, 7, 18), "对外交流部经理", True),
        ("贾晓光", "JIA XIAOGUANG", M, date(1985, 11, 27), "设计总监", True),
        ("温柔", "WEN ROU", F, date(1994, 2, 14), "策展人", False),
        ("柳青", "LIU QING", F, date(1983, 6, 6), "非遗项目主管", True),
    ],
    EXTRA_ORGANIZATIONS[6]["uscc"]: [
        ("贺宁", "HE NING", F, date(1986, 3, 9), "国际医疗部经理", True),
        ("彭涛", "PENG TAO", M, date(1975, 8, 21), "总经理", True),
        ("葛丽萍", "GE LIPING", F, date(1982, 12, 25), "康养项目总监", True),
        ("谭军", "TAN JUN", M, date(1979, 9, 3), "主任医师", True),
        ("龙小云", "LONG XIAOYUN", F, date(1995, 5, 16), "客户服务主管", False),
    ],
    EXTRA_ORGANIZATIONS[7]["uscc"]: [
        ("范强", "FAN QIANG", M, date(1981, 1, 5), "国际贸易部经理", True),
        ("付建华", "FU JIANHUA", M, date(1968, 10, 10), "董事长", True),
        ("常青", "CHANG QING", F, date(1984, 7, 29), "种业研究所所长", True),
        ("毛振宇", "MAO ZHENYU", M, date(1987, 4, 15), "海外农场项目经理", True),
        ("尹晓菲", "YIN XIAOFEI", F, date(1992, 12, 8), "翻译", False),
        ("蔡文", "CAI WEN", M, date(1978, 2, 2), "副总经理", True),
    ],
    EXTRA_ORGANIZATIONS[8]["uscc"]: [
        ("魏敏", "WEI MIN", F, date(1988, 9, 19), "外贸部经理", True),
        ("杜宏伟", "DU HONGWEI", M, date(1971, 6, 24), "总经理", True),
        ("曹璐", "CAO LU", F, date(1991, 3, 13), "跨境电商主管", False),
        ("任杰", "REN JIE", M, date(1985, 8, 2), "生产部经理", True),
        ("金珊", "JIN SHAN", F, date(1989, 11, 30), "非洲市场经理", True),
    ],
}
# fmt: on


def _people(today: date, *, year: bool) -> list[tuple[str, dict]]:
    people = [
        (
            uscc,
            {
                "full_name": name,
                "pinyin_name": pinyin,
                "gender": gender,
                "birth_date": born,
                "position": position,
                "passport_type": kind,
                "passport_number": number,
                "passport_expiry": today + timedelta(days=days) if days else None,
            },
        )
        for uscc, name, pinyin, gender, born, position, kind, number, days in PEOPLE
    ]
    if year:
        for org_index, (uscc, rows) in enumerate(YEAR_PEOPLE.items()):
            for index, (name, pinyin, gender, born, position, official) in enumerate(rows):
                serial = 3000000 + org_index * 100 + index + 1
                people.append(
                    (
                        uscc,
                        {
                            "full_name": name,
                            "pinyin_name": pinyin,
                            "gender": gender,
                            "birth_date": born,
                            "position": position,
                            "passport_type": OFFICIAL if official else ORDINARY,
                            "passport_number": f"SE{serial}" if official else f"E7{serial}",
                            "passport_expiry": today + timedelta(days=800 + (serial * 37) % 2000),
                        },
                    )
                )
    return people


def _settle_size() -> str:
    """The demo keeps the size it was made with; a new demo takes the size asked for."""
    if Organization.objects.filter(uscc=DEMO_USCC).exists():
        extra = Organization.objects.filter(uscc__in=[o["uscc"] for o in EXTRA_ORGANIZATIONS]).exists()
        _size.set(YEAR if extra else SMALL)
    return size()


def _moment(today: date, days_ago: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour, minute)))


def seed() -> dict:
    """Create what is missing of the demo data; return counts of what was created."""
    year = _settle_size() == YEAR
    created = {"organizations": 0, "users": 0, "people": 0}
    password = make_password(settings.DEMO_PASSWORD)  # one hash for every demo account: ~0.2 s each
    today = timezone.localdate()
    organizations = [*ORGANIZATIONS, *(EXTRA_ORGANIZATIONS if year else [])]
    accounts = [*ACCOUNTS, *(YEAR_ACCOUNTS if year else [])]
    for extra in EXTRA_ORGANIZATIONS if year else []:
        family, given = extra["liaison"]
        accounts.append((extra["username"], family, given, Role.LIAISON, extra["uscc"], True))
    opened = {o["uscc"]: o["since"] for o in organizations}
    with DemoClock() as clock:
        # The office's accounts came first.
        clock.set(_moment(today, max(opened.values()) + 20, 9))
        admin = _user("admin", "系统", "管理员", password, created)
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        for username, family, given, role, uscc, _liaison in accounts:
            if uscc is None and username != "admin":
                user = _user(username, family, given, password, created)
                user.is_staff = True
                user.save(update_fields=["is_staff"])
                user.groups.add(Group.objects.get(name=role))

        by_uscc = {}
        for fields in sorted(organizations, key=lambda o: -o["since"]):
            organization = Organization.objects.filter(uscc=fields["uscc"]).first()
            if organization is None:
                clock.set(_moment(today, fields["since"], 10, 30))
                organization = services.organization_create(
                    actor=admin,
                    **{k: v for k, v in fields.items() if k not in ("since", "username", "liaison")},
                )
                created["organizations"] += 1
            by_uscc[fields["uscc"]] = organization

        for username, family, given, _role, uscc, liaison in accounts:
            if uscc is None:
                continue
            clock.set(_moment(today, opened[uscc], 14))
            user = _user(username, family, given, password, created)
            if not Membership.objects.filter(user=user).exists():
                services.membership_save(
                    membership=Membership(
                        user=user,
                        organization=by_uscc[uscc],
                        is_liaison=liaison,
                        job_title="外事联络员" if liaison else "业务经理",
                    ),
                    actor=admin,
                )

        for uscc, fields in _people(today, year=year):
            organization = by_uscc[uscc]
            if not Person.objects.filter(organization=organization, full_name=fields["full_name"]).exists():
                clock.set(_moment(today, opened[uscc] - 2, 10))
                services.person_create(organization=organization, actor=admin, **fields)
                created["people"] += 1
    return created


def _user(username: str, family: str, given: str, password: str, created: dict) -> User:
    user, was_created = User.objects.get_or_create(
        username=username,
        defaults={"last_name": family, "first_name": given, "email": f"{username}@example.com"},
    )
    user.password = password
    user.save(update_fields=["password"])
    created["users"] += int(was_created)
    return user
