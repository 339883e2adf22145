"""`python manage.py seed_bulk --applications N`: many realistic travel applications, fast (CONTRACT.md).

For benchmarks and load tests. Rows are written with bulk inserts (no audit events, no notifications),
spread over organisations in the three FTZ areas, two years of dates and every state consistent with
its dates (trips in the past are closed, reported, awaiting their report, or were never made). Each
run adds N applications; organisations and travellers are reused.
"""

import random
import time
from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from approvals.models import DelegationMember, ItineraryLeg, ReferenceCounter, StatePeriod, TravelApplication
from approvals.workflow import WAITING_STATES, State
from foreign_affairs.accounts.models import FTZArea, Industry, Organization, Person, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.validators import USCC_ALPHABET, uscc_check_character

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
NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰辉鹏飞"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


class Command(BaseCommand):
    help = "Add N realistic travel applications with bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, required=True, help="How many to add.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data.")
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, applications, seed, batch, **options):
        started = time.perf_counter()
        rng = random.Random(seed + TravelApplication.objects.count())
        organizations = self._organizations(max(20, applications // 500), rng)
        people = self._people(organizations, rng)
        officers = list(User.objects.filter(groups__name=Role.OFFICER).values_list("pk", flat=True))
        author = {org: self._author(org) for org in organizations}
        done = 0
        while done < applications:
            size = min(batch, applications - done)
            with transaction.atomic():
                self._batch(size, organizations, people, officers, author, rng)
            done += size
            self.stdout.write(f"  {done}/{applications} applications", ending="\r")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {applications} travel applications in {seconds:.1f} s "
                f"({applications / seconds:.0f} per second); {TravelApplication.objects.count()} in all."
            )
        )

    def _organizations(self, count, rng) -> list[int]:
        existing = list(
            Organization.objects.filter(name_zh__startswith="河南批量").values_list("pk", flat=True)
        )
        missing = count - len(existing)
        if missing > 0:
            areas = (
                [FTZArea.ZHENGZHOU] * 5 + [FTZArea.LUOYANG] * 3 + [FTZArea.KAIFENG] * 2 + [FTZArea.OUTSIDE]
            )
            rows = []
            for n in range(len(existing), count):
                first17 = "91410100" + "".join(USCC_ALPHABET[(n * 11 + i * 17 + 3) % 31] for i in range(9))
                rows.append(
                    Organization(
                        name_zh=f"河南批量企业{n:05d}有限公司",
                        name_en=f"Henan Bulk Enterprise {n:05d} Co., Ltd.",
                        uscc=first17 + uscc_check_character(first17),
                        ftz_area=rng.choice(areas),
                        industry=rng.choice(Industry.values),
                    )
                )
            Organization.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            existing = list(
                Organization.objects.filter(name_zh__startswith="河南批量").values_list("pk", flat=True)
            )
        return existing

    def _people(self, organizations, rng) -> dict[int, list[tuple[int, str]]]:
        have = defaultdict(list)
        for pk, org, name in Person.objects.filter(organization__in=organizations).values_list(
            "pk", "organization", "full_name"
        ):
            have[org].append((pk, name))
        rows = []
        today = timezone.localdate()
        for org in organizations:
            for n in range(len(have[org]), 30):
                rows.append(
                    Person(
                        organization_id=org,
                        full_name=rng.choice(SURNAMES) + rng.choice(NAMES) + rng.choice(NAMES),
                        pinyin_name="",
                        gender=rng.choice(["male", "female"]),
                        position=rng.choice(
                            ["经理", "主管", "工程师", "总经理", "翻译", "业务员", "副总经理"]
                        ),
                        passport_number=f"SE{org % 100:02d}{n:05d}",
                        passport_type="official_ordinary",
                        passport_expiry=today + timedelta(days=rng.randint(400, 3000)),
                    )
                )
        Person.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        people = defaultdict(list)
        for pk, org, name in Person.objects.filter(organization__in=organizations).values_list(
            "pk", "organization", "full_name"
        ):
            people[org].append((pk, name))
        return people

    def _author(self, organization) -> int:
        user, _created = User.objects.get_or_create(
            username=f"bulk-{organization}", defaults={"first_name": "批量"}
        )
        return user.pk

    def _batch(self, size, organizations, people, officers, author, rng) -> None:
        today = timezone.localdate()
        now = timezone.now()
        drafts = []
        for _ in range(size):
            created = now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
            departure = created.date() + timedelta(days=rng.randint(46, 120))
            state = rng.choice(PAST_STATES if departure < today else FUTURE_STATES)
            stops = rng.choice([1, 1, 1, 2, 2, 3])
            drafts.append((created, departure, state, stops, rng.choice(organizations)))
        counters = defaultdict(int)
        for created, *_rest in drafts:
            counters[created.year] += 1
        first_number = {}
        for year, count in counters.items():
            counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
            first_number[year] = counter.last + 1
            counter.last += count
            counter.save(update_fields=["last"])

        applications, legs, members = [], [], []
        for created, departure, state, stops, org in drafts:
            number = first_number[created.year]
            first_number[created.year] += 1
            places = rng.sample(DESTINATIONS, stops)
            day, trip_legs = departure, []
            for position, (country, city) in enumerate(places):
                length = rng.randint(2, 3)
                trip_legs.append(
                    ItineraryLeg(
                        position=position,
                        country=country,
                        city=city,
                        arrive_on=day,
                        leave_on=day + timedelta(days=length - 1),
                        host_organization=f"{city} Trade Partner",
                    )
                )
                day += timedelta(days=length)
            crew = rng.sample(people[org], rng.randint(1, min(5, len(people[org]))))
            decided = state in (
                State.APPROVED,
                State.REJECTED,
                State.PERMIT_ISSUED,
                State.REPORT_SUBMITTED,
                State.CLOSED,
                State.CANCELLED,
            )
            applications.append(
                (
                    TravelApplication(
                        reference=f"HNFA-{created.year}-{number:06d}",
                        organization_id=org,
                        created_by_id=author[org],
                        title=f"赴{places[0][1]}商务考察",
                        purpose="洽谈合作，考察市场。",
                        mission_type=rng.choice(
                            ["business_negotiation", "exhibition", "investment_promotion", "conference"]
                        ),
                        belt_and_road=rng.random() < 0.3,
                        budget_amount=rng.randint(20, 400) * 1000,
                        state=state,
                        departure_date=departure,
                        return_date=day - timedelta(days=1),
                        days_abroad=(day - departure).days,
                        countries=",".join(dict.fromkeys(country for country, _city in places)),
                        member_count=len(crew),
                        leader_name=crew[0][1],
                        rule_warnings=rng.choice([0, 0, 1, 2]),
                        assigned_officer_id=rng.choice(officers)
                        if officers and state == State.IN_REVIEW
                        else None,
                        submitted_at=created + timedelta(days=1) if state != State.DRAFT else None,
                        decided_at=created + timedelta(days=rng.randint(3, 15)) if decided else None,
                        state_changed_at=created + timedelta(days=rng.randint(1, 10)),
                        due_on=today + timedelta(days=rng.randint(-6, 6))
                        if state in WAITING_STATES
                        else None,
                        created_at=created,
                    ),
                    trip_legs,
                    crew,
                )
            )
        TravelApplication.objects.bulk_create([row for row, _legs, _crew in applications], batch_size=2000)
        for application, trip_legs, crew in applications:
            for leg in trip_legs:
                leg.application_id = application.pk
                legs.append(leg)
            for index, (person, _name) in enumerate(crew):
                members.append(
                    DelegationMember(
                        application_id=application.pk,
                        person_id=person,
                        position_on_trip="团长" if index == 0 else "团员",
                        is_leader=index == 0,
                    )
                )
        ItineraryLeg.objects.bulk_create(legs, batch_size=5000)
        DelegationMember.objects.bulk_create(members, batch_size=5000)
        StatePeriod.objects.bulk_create(
            [period for application, _legs, _crew in applications for period in _periods(application, rng)],
            batch_size=5000,
        )


def _periods(application, rng) -> list:
    """The stays in the waiting states that the application's dates imply: endorsement, review (and
    sign-off), each with its service-level deadline; the current one still open."""
    if application.submitted_at is None:
        return []
    stays = [State.SUBMITTED, State.IN_REVIEW]
    if application.state == State.PENDING_SIGNOFF or (application.decided_at and rng.random() < 0.15):
        stays.append(State.PENDING_SIGNOFF)
    current = application.state if application.state in stays else None
    if current is not None:
        stays = stays[: stays.index(current) + 1]
    end = application.decided_at or application.state_changed_at
    periods, entered = [], application.submitted_at
    for index, state in enumerate(stays):
        last = index == len(stays) - 1
        left = (
            None
            if (last and state == current)
            else (end if last else entered + timedelta(hours=rng.randint(4, 120)))
        )
        if left is not None and left < entered:
            left = entered + timedelta(hours=1)
        periods.append(
            StatePeriod(
                application_id=application.pk,
                state=state,
                entered_at=entered,
                left_at=left,
                due_on=(entered + timedelta(days={State.IN_REVIEW: 7}.get(state, 4))).date(),
            )
        )
        entered = left or entered
    return periods
