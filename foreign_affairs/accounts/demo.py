"""Demo organisations, accounts for every role, and their travellers (CONTRACT.md, `seed_demo`).

Idempotent: what exists is left alone (passwords are reset to DEMO_PASSWORD); what is missing is
created through the services, so the demo data carries the same audit events and notifications
as real data.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from . import services
from .models import FTZArea, Gender, Industry, Membership, Organization, PassportType, Person, User
from .roles import Role

ORGANIZATIONS = [
    {
        "name_zh": "郑州示范贸易有限公司",
        "name_en": "Zhengzhou Demo Trading Co., Ltd.",
        "uscc": "91410100MA47XK3T84",
        "ftz_area": FTZArea.ZHENGZHOU,
        "industry": Industry.TRADE,
        "address": "河南省郑州市郑东新区商务外环路 18 号",
        "contact_name": "李娜",
        "contact_phone": "0371-6555 0101",
        "contact_email": "liaison@example.com",
    },
    {
        "name_zh": "洛阳示范装备制造有限公司",
        "name_en": "Luoyang Demo Equipment Manufacturing Co., Ltd.",
        "uscc": "91410300MA48QW7L29",
        "ftz_area": FTZArea.LUOYANG,
        "industry": Industry.MANUFACTURING,
        "address": "河南省洛阳市洛龙区开元大道 66 号",
        "contact_name": "王磊",
        "contact_phone": "0379-6333 0202",
        "contact_email": "applicant2@example.com",
    },
    {
        "name_zh": "开封示范文化旅游有限公司",
        "name_en": "Kaifeng Demo Culture and Tourism Co., Ltd.",
        "uscc": "91410200MA46HR5N9F",
        "ftz_area": FTZArea.KAIFENG,
        "industry": Industry.CULTURE,
        "address": "河南省开封市龙亭区宋都御街 9 号",
        "contact_name": "周婷",
        "contact_phone": "0371-2222 0303",
        "contact_email": "info.kaifeng@example.com",
    },
]

# username, family name, given name, role, organisation index (None: office), liaison
ACCOUNTS = [
    ("applicant", "张", "伟", Role.APPLICANT, 0, False),
    ("liaison", "李", "娜", Role.LIAISON, 0, True),
    ("applicant2", "王", "磊", Role.APPLICANT, 1, True),
    ("officer", "刘", "洋", Role.OFFICER, None, False),
    ("leader", "陈", "静", Role.LEADER, None, False),
    ("manager", "赵", "敏", Role.MANAGER, None, False),
    ("admin", "系统", "管理员", None, None, False),
]


# organisation index, name, pinyin, gender, birth date, position, passport type, number, days until expiry
# (None: no passport yet). 孙强's passport runs out soon and 周婷 has none, so the dashboard has work.
OFFICIAL, ORDINARY = PassportType.OFFICIAL_ORDINARY, PassportType.ORDINARY
# fmt: off
PEOPLE = [
    (0, "张伟", "ZHANG WEI", Gender.MALE, date(1982, 3, 14), "总经理", OFFICIAL, "SE1234501", 1500),
    (0, "李娜", "LI NA", Gender.FEMALE, date(1988, 7, 2), "外事联络员", OFFICIAL, "SE1234502", 900),
    (0, "孙强", "SUN QIANG", Gender.MALE, date(1979, 11, 23), "国际业务部经理", ORDINARY, "E87654321", 120),
    (0, "周婷", "ZHOU TING", Gender.FEMALE, date(1993, 5, 30), "翻译", ORDINARY, "", None),
    (0, "陈晨", "CHEN CHEN", Gender.FEMALE, date(1990, 2, 17), "市场部主管", OFFICIAL, "SE1234503", 1800),
    (0, "杨帆", "YANG FAN", Gender.MALE, date(1987, 6, 8), "物流部经理", OFFICIAL, "SE1234504", 1600),
    (0, "刘敏", "LIU MIN", Gender.FEMALE, date(1984, 12, 1), "财务总监", OFFICIAL, "SE1234505", 1400),
    (1, "王磊", "WANG LEI", Gender.MALE, date(1985, 1, 9), "副总经理", OFFICIAL, "SE2234501", 1200),
    (1, "吴刚", "WU GANG", Gender.MALE, date(1976, 9, 18), "总工程师", OFFICIAL, "SE2234502", 700),
]
# fmt: on


def _people(today: date) -> list[tuple[int, dict]]:
    return [
        (
            org,
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
        for org, name, pinyin, gender, born, position, kind, number, days in PEOPLE
    ]


def seed() -> dict:
    """Create what is missing of the demo data; return counts of what was created."""
    created = {"organizations": 0, "users": 0, "people": 0}
    admin = _user("admin", "系统", "管理员", created)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])

    organizations = []
    for fields in ORGANIZATIONS:
        organization = Organization.objects.filter(uscc=fields["uscc"]).first()
        if organization is None:
            organization = services.organization_create(actor=admin, **fields)
            created["organizations"] += 1
        organizations.append(organization)

    for username, family, given, role, org_index, liaison in ACCOUNTS:
        if username == "admin":
            continue
        user = _user(username, family, given, created)
        if org_index is None:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(Group.objects.get(name=role))
        elif not Membership.objects.filter(user=user).exists():
            services.membership_save(
                membership=Membership(
                    user=user,
                    organization=organizations[org_index],
                    is_liaison=liaison,
                    job_title="外事联络员" if liaison else "业务经理",
                ),
                actor=admin,
            )

    for org_index, fields in _people(timezone.localdate()):
        organization = organizations[org_index]
        if not Person.objects.filter(organization=organization, full_name=fields["full_name"]).exists():
            services.person_create(organization=organization, actor=admin, **fields)
            created["people"] += 1
    return created


def _user(username: str, family: str, given: str, created: dict) -> User:
    user, was_created = User.objects.get_or_create(
        username=username,
        defaults={"last_name": family, "first_name": given, "email": f"{username}@example.com"},
    )
    user.set_password(settings.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    created["users"] += int(was_created)
    return user
