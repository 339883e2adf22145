"""What `seed_bulk` writes: its 200 organisations, their travellers, and batches of applications as plain
rows (tuples in the column order of bulk_insert), so that one plan feeds both PostgreSQL's COPY and the
ORM's bulk_create.

Every application is consistent with its dates: a trip that has begun is closed, reported, awaiting its
report, or was never made; the waiting states have a deadline and an open StatePeriod. Nothing here
touches the database except the organisations, people and authors, which are few and made by the ORM
(so that passport numbers are encrypted by their field).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from foreign_affairs.accounts.models import FTZArea, Industry, Organization, Person, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.validators import USCC_ALPHABET, uscc_check_character

from .workflow import WAITING_STATES, State

ORGANIZATIONS = 200
TRAVELLERS_PER_ORGANIZATION = 30
NAME_PREFIX = "河南批量企业"
# Share of the organisations per area, in tenths (Zhengzhou is the largest area; a few applicants are
# outside the free trade zone, as in real life).
AREAS = [FTZArea.ZHENGZHOU] * 4 + [FTZArea.LUOYANG] * 3 + [FTZArea.KAIFENG] * 2 + [FTZArea.OUTSIDE]
# The region code of the USCC (positions 3 to 8) of each area's city; Xinxiang for the outside ones.
REGION_CODES = {
    FTZArea.ZHENGZHOU: "410100",
    FTZArea.LUOYANG: "410300",
    FTZArea.KAIFENG: "410200",
    FTZArea.OUTSIDE: "410700",
}

DESTINATIONS = [
    ("DE", "汉堡"),
    ("DE", "法兰克福"),
    ("FR", "巴黎"),
    ("FR", "里昂"),
    ("IT", "米兰"),
    ("ES", "马德里"),
    ("NL", "鹿特丹"),
    ("BE", "布鲁塞尔"),
    ("PL", "华沙"),
    ("HU", "布达佩斯"),
    ("CZ", "布拉格"),
    ("GB", "伦敦"),
    ("RU", "莫斯科"),
    ("KZ", "阿拉木图"),
    ("UZ", "塔什干"),
    ("AE", "迪拜"),
    ("SA", "利雅得"),
    ("TR", "伊斯坦布尔"),
    ("EG", "开罗"),
    ("ZA", "约翰内斯堡"),
    ("JP", "东京"),
    ("KR", "首尔"),
    ("SG", "新加坡"),
    ("MY", "吉隆坡"),
    ("TH", "曼谷"),
    ("VN", "河内"),
    ("ID", "雅加达"),
    ("AU", "悉尼"),
    ("US", "洛杉矶"),
    ("BR", "圣保罗"),
]
FUTURE_STATES = (
    [State.DRAFT] * 8
    + [State.SUBMITTED] * 8
    + [State.IN_REVIEW] * 12
    + [State.RETURNED] * 4
    + [State.PENDING_SIGNOFF] * 3
    + [State.APPROVED] * 8
    + [State.PERMIT_ISSUED] * 10
    + [State.REJECTED] * 3
    + [State.WITHDRAWN] * 3
)
PAST_STATES = (
    [State.CLOSED] * 25
    + [State.REPORT_SUBMITTED] * 4
    + [State.PERMIT_ISSUED] * 3
    + [State.REJECTED] * 3
    + [State.WITHDRAWN] * 2
    + [State.CANCELLED] * 2
)
DECIDED_STATES = frozenset(
    {
        State.APPROVED,
        State.REJECTED,
        State.PERMIT_ISSUED,
        State.REPORT_SUBMITTED,
        State.CLOSED,
        State.CANCELLED,
    }
)
MISSION_TYPES = ["business_negotiation", "exhibition", "investment_promotion", "conference"]
POSITIONS = ["经理", "主管", "工程师", "总经理", "翻译", "业务员", "副总经理"]
NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰辉鹏飞"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
# Days of each waiting state's deadline (the service levels of the demo, in calendar days).
DEADLINE_DAYS = {State.SUBMITTED: 4, State.IN_REVIEW: 7, State.PENDING_SIGNOFF: 4}

# Column order of the rows below; bulk_insert writes them under these names.
# The reference and the id are given when the batch is written (bulk_insert).
APPLICATION_COLUMNS = (
    "organization_id",
    "created_by_id",
    "title",
    "purpose",
    "mission_type",
    "belt_and_road",
    "budget_amount",
    "state",
    "departure_date",
    "return_date",
    "days_abroad",
    "countries",
    "member_count",
    "leader_name",
    "rule_warnings",
    "assigned_officer_id",
    "submitted_at",
    "decided_at",
    "state_changed_at",
    "due_on",
    "created_at",
)
# Rows of the children start with the index of their application in the batch (bulk_insert puts its id).
LEG_COLUMNS = ("application_id", "position", "country", "city", "arrive_on", "leave_on", "host_organization")
MEMBER_COLUMNS = ("application_id", "person_id", "position_on_trip", "is_leader")
PERIOD_COLUMNS = ("application_id", "state", "entered_at", "left_at", "due_on")


def uscc_for(number: int) -> str:
    """The unified social credit code of bulk organisation `number` (0 ≤ number < 31⁹): its 9-character
    organisation code is `number` scrambled by a multiplication modulo 31⁹ (a bijection, since the
    factor is prime to 31), so distinct numbers always give distinct codes."""
    area = AREAS[number % len(AREAS)]
    value = (number * 7_368_787 + 1_234_567) % 31**9
    digits = []
    for _ in range(9):
        value, digit = divmod(value, 31)
        digits.append(USCC_ALPHABET[digit])
    first17 = "91" + REGION_CODES[area] + "".join(reversed(digits))
    return first17 + uscc_check_character(first17)


def organizations_ensure(rng) -> list[int]:
    """The ids of the 200 bulk organisations, creating those missing (found again by name on later
    runs). A code already taken by another organisation raises IntegrityError: nothing is dropped."""
    names = {f"{NAME_PREFIX}{n:05d}有限公司": n for n in range(ORGANIZATIONS)}
    have = dict(Organization.objects.filter(name_zh__in=names).values_list("name_zh", "pk"))
    missing = [
        Organization(
            name_zh=name,
            name_en=f"Henan Bulk Enterprise {n:05d} Co., Ltd.",
            uscc=uscc_for(n),
            ftz_area=AREAS[n % len(AREAS)],
            industry=rng.choice(Industry.values),
        )
        for name, n in names.items()
        if name not in have
    ]
    Organization.objects.bulk_create(missing, batch_size=1000)
    return list(Organization.objects.filter(name_zh__in=names).order_by("pk").values_list("pk", flat=True))


def people_ensure(organizations: list[int], rng) -> dict[int, list[tuple[int, str]]]:
    """Thirty travellers per organisation (created with the ORM, so their passport numbers are encrypted
    with their blind index), as {organisation: [(person id, name)]}."""
    people = defaultdict(list)
    for pk, org, name in Person.objects.filter(organization__in=organizations).values_list(
        "pk", "organization", "full_name"
    ):
        people[org].append((pk, name))
    today = timezone.localdate()
    rows = [
        Person(
            organization_id=org,
            full_name=rng.choice(SURNAMES) + rng.choice(NAMES) + rng.choice(NAMES),
            pinyin_name="",
            gender=rng.choice(["male", "female"]),
            position=rng.choice(POSITIONS),
            passport_number=f"SE{org % 100:02d}{n:05d}",
            passport_type="official_ordinary",
            passport_expiry=today + timedelta(days=rng.randint(400, 3000)),
        )
        for org in organizations
        for n in range(len(people[org]), TRAVELLERS_PER_ORGANIZATION)
    ]
    for person in Person.objects.bulk_create(rows, batch_size=2000):
        people[person.organization_id].append((person.pk, person.full_name))
    return dict(people)


def authors_ensure(organizations: list[int]) -> dict[int, int]:
    """The user who created each organisation's bulk applications (`bulk-<organisation id>`)."""
    usernames = {f"bulk-{org}": org for org in organizations}
    have = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=name, first_name="批量") for name in usernames if name not in have], batch_size=1000
    )
    return {
        usernames[name]: pk
        for name, pk in User.objects.filter(username__in=usernames).values_list("username", "pk")
    }


@dataclass
class Batch:
    """Applications not yet numbered (their references are given in the writing transaction, from
    `years`) and their children, each child pointing at its application by index. `prepared` is what
    the writer makes of it before its transaction (bulk_insert)."""

    years: list[int] = field(default_factory=list)
    applications: list[tuple] = field(default_factory=list)
    legs: list[tuple] = field(default_factory=list)
    members: list[tuple] = field(default_factory=list)
    periods: list[tuple] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    prepared: object = None

    @property
    def rows(self) -> int:
        return len(self.applications) + len(self.legs) + len(self.members) + len(self.periods)


class Planner:
    """Draws applications for the given organisations, travellers, authors and officers."""

    def __init__(self, *, rng, organizations, people, authors, officers):
        self.rng = rng
        self.organizations = organizations
        self.people = people
        self.authors = authors
        self.officers = officers
        self.now = timezone.now()
        self.today = timezone.localdate()

    @classmethod
    def for_bulk_organizations(cls, rng) -> "Planner":
        organizations = organizations_ensure(rng)
        return cls(
            rng=rng,
            organizations=organizations,
            people=people_ensure(organizations, rng),
            authors=authors_ensure(organizations),
            officers=list(User.objects.filter(groups__name=Role.OFFICER).values_list("pk", flat=True)),
        )

    def batch(self, size: int) -> Batch:
        rng, random, randint = self.rng, self.rng.random, self.rng.randint
        now, today = self.now, self.today
        batch = Batch()
        for index in range(size):
            created = now - timedelta(days=randint(0, 720), minutes=randint(0, 1440))
            departure = created.date() + timedelta(days=randint(46, 120))
            state = rng.choice(PAST_STATES if departure < today else FUTURE_STATES)
            org = rng.choice(self.organizations)
            places = rng.sample(DESTINATIONS, rng.choice((1, 1, 1, 2, 2, 3)))
            day = departure
            for position, (country, city) in enumerate(places):
                leave = day + timedelta(days=randint(1, 2))
                batch.legs.append((index, position, country, city, day, leave, f"{city} Trade Partner"))
                day = leave + timedelta(days=1)
            crew = rng.sample(self.people[org], randint(1, min(5, len(self.people[org]))))
            for place, (person, _name) in enumerate(crew):
                batch.members.append((index, person, "团员" if place else "团长", place == 0))
            submitted = created + timedelta(days=1) if state != State.DRAFT else None
            decided = created + timedelta(days=randint(3, 15)) if state in DECIDED_STATES else None
            changed = created + timedelta(days=randint(1, 10))
            batch.years.append(created.year)
            batch.applications.append(
                (
                    org,
                    self.authors[org],
                    f"赴{places[0][1]}商务考察",
                    "洽谈合作，考察市场。",
                    rng.choice(MISSION_TYPES),
                    random() < 0.3,
                    randint(20, 400) * 1000,
                    state,
                    departure,
                    day - timedelta(days=1),
                    (day - departure).days,
                    ",".join(dict.fromkeys(country for country, _city in places)),
                    len(crew),
                    crew[0][1],
                    rng.choice((0, 0, 1, 2)),
                    rng.choice(self.officers) if self.officers and state == State.IN_REVIEW else None,
                    submitted,
                    decided,
                    changed,
                    today + timedelta(days=randint(-6, 6)) if state in WAITING_STATES else None,
                    created,
                )
            )
            if submitted is not None:
                self._periods(batch.periods, index, state, submitted, decided or changed, decided is not None)
        return batch

    def _periods(self, periods: list, index: int, state, submitted, end, decided: bool) -> None:
        """The stays in the waiting states that the application's dates imply: endorsement, review (and
        sign-off), each with its deadline; the current one still open."""
        rng = self.rng
        stays = [State.SUBMITTED, State.IN_REVIEW]
        if state == State.PENDING_SIGNOFF or (decided and rng.random() < 0.15):
            stays.append(State.PENDING_SIGNOFF)
        current = state if state in stays else None
        if current is not None:
            stays = stays[: stays.index(current) + 1]
        entered = submitted
        for position, stay in enumerate(stays):
            if position < len(stays) - 1:
                left = entered + timedelta(hours=rng.randint(4, 120))
            else:  # the last stay: left when the application reached its state, unless it is that state
                left = None if stay == current else end
            if left is not None and left < entered:
                left = entered + timedelta(hours=1)
            due = (entered + timedelta(days=DEADLINE_DAYS[stay])).date()
            periods.append((index, stay, entered, left, due))
            entered = left or entered
