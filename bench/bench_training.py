"""Training (area 5) at 10 000 and 100 000 certificates: the pre-departure rule for a delegation of ten, the
calendar of sessions to come, the back office's lists of sessions and the API's list of certificates.

    .venv/bin/python bench/bench_training.py                   # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench .venv/bin/python bench/bench_training.py
    BENCH_TRAINING=10000 BENCH_TRAINING_RUNS=10 .venv/bin/python bench/bench_training.py
    .venv/bin/python bench/bench_training.py --no-write        # print only, leave bench/results.json alone

A fresh database (SQLite in a temporary directory unless DATABASE_URL names one, which is emptied first),
migrated, with the demo's accounts and enterprises (foreign_affairs.accounts.demo, small) and the demo's seven
courses, then, size by size (BENCH_TRAINING, each a total of certificates: the next size adds what it lacks),
bulk inserted: organisations with a traveller for every four certificates, past sessions over three years (of
every course, a twentieth online, one in fifty called off) with 30 trainees each — 25 completed with their
certificate (valid for the course's months, one in 200 revoked), 3 absent, 1 failed, 1 cancelled — and the
sessions of the next six months, half full, one in eight full with a waiting list.

Then, in one process as one web worker would, BENCH_TRAINING_RUNS times each: what the rule asks for a
delegation of ten (training.rule.training_status, one query), what the calendar asks (the sessions to come
with their places: the count and the first page), what the back office's list of sessions asks (with their
places: the count and the first page of 100, of those to come — the list's default — and of those held, the
latest first) and what the API's list of certificates asks for an officer (the count and the first page of
20); and, when the page answers 200, the whole page through Django's test client (the calendar,
/admin/training/session/ with and without ?period=past, /api/v1/training/certificates/). The query counts
are those of one run. On PostgreSQL the two slowest queries at the largest size are explained (EXPLAIN
ANALYZE) and printed.

Prints a table and writes the figures into bench/results.json under "training" and the database's name,
keeping the rest of the file (bench/run.py writes the other figures).
"""

import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [int(size) for size in os.environ.get("BENCH_TRAINING", "10000,100000").split(",") if size]
RUNS = int(os.environ.get("BENCH_TRAINING_RUNS", "20"))
PER_SESSION = 30  # trainees of a past session: 25 completed, 3 absent, 1 failed, 1 cancelled
COMPLETED = 25
DELEGATION = 10
API_PAGE = 20
ADMIN_PAGE = 100
CALENDAR_PAGE = 20
ADMIN = "/admin/training/session/"

# fmt: off
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "霞", "平", "刚", "桂英",
         "建华", "晓东", "海燕", "志强", "丽娟", "文博", "雪梅", "国栋", "子涵", "一鸣"]
VENUES = ["河南省人民政府外事办公室三楼培训室（郑州市金水区）", "河南自贸试验区洛阳片区管委会二楼会议室",
          "河南自贸试验区开封片区管委会一楼报告厅"]
# Of every hundred sessions: PD-02 45, PD-01 20, FA-01 8, PR-01 8, FTZ-01 8, IC-01 6, OF-01 5.
COURSE_WEIGHTS = {"PD-02": 45, "PD-01": 20, "FA-01": 8, "PR-01": 8, "FTZ-01": 8, "IC-01": 6, "OF-01": 5}
# fmt: on


# In the measuring process ---------------------------------------------------------------------------------


def _courses() -> dict:
    """The demo's seven courses (training.demo.COURSES), made once."""
    from training.demo import COURSES
    from training.models import Course

    for spec in COURSES:
        if not Course.objects.filter(code=spec["code"]).exists():
            Course.objects.create(**spec)
    return {course.code: course for course in Course.objects.all()}


def _people(count: int) -> list[int]:
    """Travellers of bench organisations (up to `count`, 100 per organisation); returns their ids."""
    from foreign_affairs.accounts.models import Organization, Person

    have = Person.objects.filter(organization__uscc__startswith="91BENCH").count()
    rng = random.Random(5000 + have)
    organizations = list(Organization.objects.filter(uscc__startswith="91BENCH").order_by("pk"))
    new_orgs = []
    for number in range(len(organizations), -(-count // 100)):
        new_orgs.append(
            Organization(
                name_zh=f"河南培训基准测试企业{number:04d}有限公司",
                name_en=f"Henan Bench Trading {number:04d} Co., Ltd.",
                uscc=f"91BENCH{number:011d}",
                ftz_area=("zhengzhou", "luoyang", "kaifeng", "outside")[number % 4],
                industry="trade",
                address="河南省郑州市",
                contact_name="联络员",
                contact_phone="0371-0000 0000",
                contact_email=f"bench{number}@example.com",
            )
        )
    Organization.objects.bulk_create(new_orgs, batch_size=1000)
    organizations = list(Organization.objects.filter(uscc__startswith="91BENCH").order_by("pk"))
    people = []
    for number in range(have, count):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        people.append(
            Person(
                organization=organizations[number // 100],
                full_name=name,
                pinyin_name=f"BENCH {number}",
                position="业务经理",
                passport_number=f"E9{number:07d}",
                passport_type="ordinary",
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    return list(
        Person.objects.filter(organization__uscc__startswith="91BENCH")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def seed_training(certificates: int) -> float:
    """Bring the bench's certificates up to `certificates` (bulk inserts: travellers, past sessions with their
    enrolments and certificates, and the sessions to come); return the seconds it took."""
    import secrets
    import time
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from approvals.rules.registry import add_months
    from foreign_affairs.accounts.models import User
    from training.models import Certificate, Enrolment, Session

    started = time.perf_counter()
    courses = _courses()
    have = Certificate.objects.filter(number__startswith="HNTCB-").count()
    if have >= certificates:
        return 0.0
    people = _people(certificates // 4)
    officer = User.objects.get(username="officer")
    office = list(User.objects.filter(username__in=["officer", "officer2", "leader", "manager"]))
    rng = random.Random(6000 + have)
    now = timezone.now()
    codes = [code for code, weight in COURSE_WEIGHTS.items() for _ in range(weight)]
    sessions_have = Session.objects.filter(reference__startswith="HNTSB-").count()
    past_sessions = -(-(certificates - have) // COMPLETED)
    upcoming = max(40, past_sessions // 20)
    with transaction.atomic():
        numbers = iter(range(sessions_have + 1, sessions_have + past_sessions + upcoming + 1))
        certificate_numbers = iter(range(have + 1, certificates + past_sessions * COMPLETED + 1))
        for start in range(0, past_sessions + upcoming, 1000):
            batch = []
            for index in range(start, min(start + 1000, past_sessions + upcoming)):
                course = courses[rng.choice(codes)]
                if index < past_sessions:
                    starts = now - timedelta(days=rng.uniform(1, 3 * 365))
                else:
                    starts = now + timedelta(days=rng.uniform(1, 180))
                online = rng.random() < 0.05
                full = index >= past_sessions and index % 8 == 7  # one in eight to come: full, a waiting list
                batch.append(
                    Session(
                        reference=f"HNTSB-{next(numbers):07d}",
                        course=course,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=float(course.duration_hours)),
                        mode="online" if online else "in_person",
                        venue="" if online else rng.choice(VENUES),
                        online_url="https://meeting.example.com/j/bench" if online else "",
                        capacity=PER_SESSION - 5 if full else PER_SESSION + 10,
                        instructor="省外办",
                        enrolment_deadline=starts - timedelta(days=2),
                        check_in_secret=secrets.token_hex(32),
                        state="cancelled" if index < past_sessions and rng.random() < 0.02 else "scheduled",
                        created_by=officer,
                        created_at=min(starts - timedelta(days=40), now),
                    )
                )
            Session.objects.bulk_create(batch, batch_size=1000)
            enrolments = []
            for session in batch:
                past = session.starts_at < now
                for position, person in enumerate(rng.sample(people, PER_SESSION)):
                    if session.course.audience == "office":
                        if position >= len(office):
                            break
                        trainee = {"user": office[position], "person": None, "organization": None}
                    else:
                        trainee = {"user": None, "person_id": person, "organization_id": None}
                    if session.state == "cancelled":
                        state = "cancelled"
                    elif past:
                        state = (
                            "completed"
                            if position < COMPLETED
                            else ("absent", "absent", "absent", "failed", "cancelled")[position - COMPLETED]
                        )
                    elif session.capacity < PER_SESSION:  # full, with a waiting list
                        state = "enrolled" if position < session.capacity else "waiting"
                    else:
                        state = "enrolled" if position < PER_SESSION // 2 else None
                    if state is None:
                        break
                    enrolments.append(
                        Enrolment(
                            session=session,
                            state=state,
                            enrolled_by=officer,
                            created_at=session.created_at + timedelta(days=3),
                            attended_at=session.starts_at if state in ("completed", "failed") else None,
                            check_in_method="register" if state in ("completed", "failed") else "",
                            completed_at=session.ends_at if state in ("completed", "failed") else None,
                            **trainee,
                        )
                    )
            # The organisation of each traveller (the enrolments carry it for scoping and the figures).
            organizations = dict(
                _person_organizations({e.person_id for e in enrolments if e.person_id is not None})
            )
            for enrolment in enrolments:
                if enrolment.person_id is not None:
                    enrolment.organization_id = organizations[enrolment.person_id]
            Enrolment.objects.bulk_create(enrolments, batch_size=5000)
            issued = []
            for enrolment in enrolments:
                if enrolment.state != "completed":
                    continue
                course = enrolment.session.course
                day = timezone.localtime(enrolment.completed_at).date()
                revoked = rng.random() < 0.005
                issued.append(
                    Certificate(
                        enrolment_id=enrolment.pk,
                        number=f"HNTCB-{next(certificate_numbers):08d}",
                        course=course,
                        person_id=enrolment.person_id,
                        organization_id=enrolment.organization_id,
                        holder_name="培训学员",
                        is_predeparture=course.topic == "predeparture",
                        issued_on=day,
                        valid_until=add_months(day, course.certificate_months) - timedelta(days=1),
                        revoked_at=enrolment.completed_at + timedelta(days=5) if revoked else None,
                        revoked_by=officer if revoked else None,
                        revoke_reason="基准测试：撤销" if revoked else "",
                        created_at=enrolment.completed_at,
                    )
                )
            Certificate.objects.bulk_create(issued, batch_size=5000)
    if _vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            for table in (
                "training_session",
                "training_enrolment",
                "training_certificate",
                "accounts_person",
            ):
                cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def _person_organizations(ids: set[int]):
    from foreign_affairs.accounts.models import Person

    return Person.objects.filter(pk__in=ids).values_list("pk", "organization_id")


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _percentile(values: list[float], q: float) -> float:
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _queries(officer) -> list[tuple]:
    """(name, what the page asks of the database → the number of rows, the page's path or None, signed in)."""
    from datetime import timedelta
    from functools import partial

    from django.db.models import Count
    from django.utils import timezone

    from foreign_affairs.accounts.models import Person
    from training import selectors
    from training.models import Audience, Certificate
    from training.rule import training_status

    today = timezone.localdate()
    # A delegation of ten of one organisation, leaving in a month: the members with most certificates first.
    organization = (
        Certificate.objects.filter(organization__uscc__startswith="91BENCH")
        .values("organization")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()["organization"]
    )
    delegation = list(Person.objects.filter(organization=organization).order_by("pk")[:DELEGATION])

    def rule() -> int:
        return len(training_status(delegation, today + timedelta(days=30)))

    def calendar() -> int:
        sessions = selectors.upcoming_sessions().exclude(course__audience=Audience.OFFICE)
        sessions.count()
        return len(list(sessions[:CALENDAR_PAGE]))

    def back_office(*, held: bool) -> int:
        # The list's default is the sessions to come and under way, soonest first; "held" the latest first.
        now = timezone.now()
        sessions = selectors.sessions_for_office()
        if held:
            sessions = sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
        else:
            sessions = sessions.filter(ends_at__gt=now).order_by("starts_at", "pk")
        sessions.count()
        return len(list(sessions[:ADMIN_PAGE]))

    def api() -> int:
        certificates = selectors.certificates_for(officer)
        certificates.count()
        return len(list(certificates[:API_PAGE]))

    return [
        ("pre-departure rule: a delegation of 10", rule, None, False),
        ("calendar: sessions to come, first page", calendar, _path("training:calendar"), False),
        ("back office: sessions to come, first 100", partial(back_office, held=False), ADMIN, True),
        (
            "back office: sessions held, first 100",
            partial(back_office, held=True),
            f"{ADMIN}?period=past",
            True,
        ),
        ("API: certificates, officer, first 20", api, "/api/v1/training/certificates/", True),
    ]


def _path(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _time(function, runs: int) -> list[float]:
    import time

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from foreign_affairs.accounts import demo as accounts_demo
    from foreign_affairs.accounts.models import User

    with accounts_demo.sized(accounts_demo.SMALL):
        accounts_demo.seed()  # the office's accounts and the demo enterprises (kept when they exist)
    officer = User.objects.get(username="officer")
    anonymous, signed_in = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(officer)
    sizes, explained = [], []
    for size in SIZES:
        seconds = seed_training(size)
        print(f"  {size} certificates seeded in {seconds:.1f} s", file=sys.stderr, flush=True)
        rows = []
        for name, query, path, office in _queries(officer):
            found = query()  # warm-up
            times = _time(query, RUNS)
            with CaptureQueriesContext(connection) as queries:
                query()
            # Read now: the test client's requests below empty the connection's log the capture reads from.
            statements = [captured["sql"] for captured in queries.captured_queries]
            row = {
                "name": name,
                "rows": found,
                "queries": len(statements),
                "p50_ms": round(_percentile(times, 50), 1),
                "p95_ms": round(_percentile(times, 95), 1),
                "page": None,
                "page_status": None,
                "page_queries": None,
                "page_p50_ms": None,
                "page_p95_ms": None,
            }
            if path:
                client = signed_in if office else anonymous
                with CaptureQueriesContext(connection) as page_queries:
                    response = client.get(path)
                if response.status_code in (301, 302) and response["Location"].startswith(path):
                    path = response["Location"]  # a list's default filter
                    with CaptureQueriesContext(connection) as page_queries:
                        response = client.get(path)
                row["page"], row["page_status"] = path, response.status_code
                row["page_queries"] = len(page_queries.captured_queries)
                if row["page_status"] == 200:
                    page_times = _time(lambda client=client, path=path: client.get(path), max(5, RUNS // 2))
                    row["page_p50_ms"] = round(_percentile(page_times, 50), 1)
                    row["page_p95_ms"] = round(_percentile(page_times, 95), 1)
            rows.append(row)
            print(f"  {name} @ {size}: p50 {row['p50_ms']} ms ({found} rows)", file=sys.stderr, flush=True)
            if connection.vendor == "postgresql" and size == max(SIZES):
                explained.append((row["p50_ms"], name, statements))
        sizes.append({"certificates": size, "seed_seconds": round(seconds, 1), "rows": rows})
    plans = {}
    with connection.cursor() as cursor:
        for _p50, name, statements in sorted(explained, reverse=True)[:2]:
            plans[name] = []
            for sql in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans[name].append("\n".join(line for (line,) in cursor.fetchall()))
    from training.models import Enrolment, Session

    return {
        "database": connection.vendor,
        "runs": RUNS,
        "sessions": Session.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "sizes": sizes,
        "plans": plans,
    }


# The driver -------------------------------------------------------------------------------------------------


def bench_training(env: dict) -> dict:
    """Migrated database in `env` → the figures (runs the measuring process). The officer's session skips the
    second sign-in step (OTP_REQUIRED_FOR_STAFF): the back office's page is measured, not the sign-in."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure"],
        cwd=ROOT,
        env={**env, "OTP_REQUIRED_FOR_STAFF": "false"},
        check=False,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode:
        raise SystemExit("the training benchmark failed (see above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ms(value) -> str:
    return f"{value:>9.1f}" if value is not None else f"{'—':>9}"


def print_training(result: dict) -> None:
    print()
    print(
        f"Training at {', '.join(str(s['certificates']) for s in result['sizes'])} certificates "
        f"({result['sessions']} sessions, {result['enrolments']} enrolments at the largest), {result['database']} "
        f"({result['runs']} runs; query = what the page asks of the database; page = the whole response, when "
        "the page answers 200)"
    )
    print(
        f"{'what':<52} {'rows':>5} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'page q':>6} {'page p50':>9} "
        f"{'page p95':>9}"
    )
    print("-" * 112)
    for size in result["sizes"]:
        for row in size["rows"]:
            name = f"{row['name']} @ {size['certificates']}"
            page = row["page_status"]
            note = f"  (page {page})" if page not in (None, 200) else ""
            page_queries = row.get("page_queries")
            print(
                f"{name:<52} {row['rows']:>5} {row['queries']:>7} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
                f"{page_queries if page_queries is not None else '—':>6} {_ms(row['page_p50_ms'])} "
                f"{_ms(row['page_p95_ms'])}{note}"
            )
    seeded = ", ".join(f"{s['certificates']} in {s['seed_seconds']} s" for s in result["sizes"])
    print(f"\nSeeded (bulk, with sessions and enrolments): {seeded}.")


def write_results(result: dict) -> None:
    path = ROOT / "bench" / "results.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    figures = {key: value for key, value in result.items() if key != "plans"}
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.setdefault("training", {})[result["database"]] = figures
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def main(write: bool = True) -> None:
    from bench.run import manage, prepare_environment

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch_dir:
        env = prepare_environment(Path(scratch_dir))
        print(f"Preparing: {env['DATABASE_URL'].split('@')[-1]}, collectstatic, migrate ...", flush=True)
        manage(env, "collectstatic", "--noinput")
        manage(env, "migrate", "--noinput")
        if env["DATABASE_URL"].startswith("postgres"):
            manage(env, "flush", "--noinput")
            manage(env, "migrate", "--noinput")
        print(f"Seeding up to {max(SIZES)} certificates, measuring ...", flush=True)
        result = bench_training({**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"})
    for name, plans in result["plans"].items():
        print(f"\nEXPLAIN ANALYZE, {name} @ {max(SIZES)}:")
        for plan in plans:
            print(plan, end="\n\n")
    print_training(result)
    if write:
        write_results(result)
        print("Written to bench/results.json.")


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreign_affairs.settings")
        django.setup()
        print(json.dumps(measure(), ensure_ascii=False))
    else:
        main(write="--no-write" not in sys.argv[1:])
