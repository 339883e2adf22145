"""Exchanges (area 4) at 10 000 and 100 000 activities and 200 friendship cities: the public calendar of a
month, the iCal feed, the friendship cities with their health and the office's queue.

    .venv/bin/python bench/bench_exchanges.py                   # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench .venv/bin/python bench/bench_exchanges.py
    BENCH_EXCHANGES=10000 BENCH_EXCHANGES_CITIES=200 BENCH_EXCHANGES_RUNS=10 .venv/bin/python bench/bench_exchanges.py
    .venv/bin/python bench/bench_exchanges.py --no-write        # print only, leave bench/results.json alone

A fresh database (SQLite in a temporary directory unless DATABASE_URL names one, which is emptied first),
migrated, with the demo's accounts and enterprises (foreign_affairs.accounts.demo, small), then
BENCH_EXCHANGES_CITIES friendship cities in 40 countries (a third with an agreement to renew, some soon) and,
size by size (BENCH_EXCHANGES, each a total: the next size adds what it lacks), activities bulk inserted over
three years past and six months to come: every kind and direction, in the state their dates give them (held,
reported, closed or cancelled in the past; proposed, approved, confirmed or postponed to come), two in five
public, three in ten of a friendship city, the incoming visits with their reception checklist of seven items
(ticked as far as the visit came), one in ten visiting a demo enterprise.

Then, in one process as one web worker would, BENCH_EXCHANGES_RUNS times each: what the public calendar asks
for a month (selectors.public_activities), what the iCal feed asks (the public events that ended a year ago or
later: the feed's window), the friendship cities with their health (selectors.cities_with_health: four
subqueries a city) with each badge's reasons, and the office's queue (the planned activities with their
checklist progress: the count and the first page of 50); and, when the page answers 200, the whole page through
Django's test client (the calendar, calendar.ics, the friendship cities, the back office's list of activities).
On PostgreSQL the two slowest queries at the largest size are explained (EXPLAIN ANALYZE) and printed.

Prints a table and writes the figures into bench/results.json under "exchanges" and the database's name,
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

SIZES = [int(size) for size in os.environ.get("BENCH_EXCHANGES", "10000,100000").split(",") if size]
CITIES = int(os.environ.get("BENCH_EXCHANGES_CITIES", "200"))
RUNS = int(os.environ.get("BENCH_EXCHANGES_RUNS", "20"))
QUEUE_PAGE = 50

# fmt: off
COUNTRIES = [
    ("US", "美国", "the United States"), ("JP", "日本", "Japan"), ("KR", "韩国", "Korea"),
    ("DE", "德国", "Germany"), ("FR", "法国", "France"), ("IT", "意大利", "Italy"),
    ("GB", "英国", "the United Kingdom"), ("LU", "卢森堡", "Luxembourg"), ("NL", "荷兰", "the Netherlands"),
    ("BE", "比利时", "Belgium"), ("ES", "西班牙", "Spain"), ("PT", "葡萄牙", "Portugal"), ("PL", "波兰", "Poland"),
    ("CZ", "捷克", "the Czech Republic"), ("HU", "匈牙利", "Hungary"), ("AT", "奥地利", "Austria"),
    ("RU", "俄罗斯", "Russia"), ("KZ", "哈萨克斯坦", "Kazakhstan"), ("UZ", "乌兹别克斯坦", "Uzbekistan"),
    ("TR", "土耳其", "Türkiye"), ("AE", "阿联酋", "the United Arab Emirates"), ("SA", "沙特阿拉伯", "Saudi Arabia"),
    ("EG", "埃及", "Egypt"), ("ZA", "南非", "South Africa"), ("SG", "新加坡", "Singapore"),
    ("MY", "马来西亚", "Malaysia"), ("TH", "泰国", "Thailand"), ("VN", "越南", "Vietnam"),
    ("ID", "印度尼西亚", "Indonesia"), ("PH", "菲律宾", "the Philippines"), ("AU", "澳大利亚", "Australia"),
    ("NZ", "新西兰", "New Zealand"), ("BR", "巴西", "Brazil"), ("AR", "阿根廷", "Argentina"), ("CL", "智利", "Chile"),
    ("MX", "墨西哥", "Mexico"), ("CA", "加拿大", "Canada"), ("FI", "芬兰", "Finland"), ("SE", "瑞典", "Sweden"),
    ("DK", "丹麦", "Denmark"),
]
HENAN = [("河南省", "Henan Province"), ("郑州市", "Zhengzhou"), ("洛阳市", "Luoyang"), ("开封市", "Kaifeng"),
         ("新乡市", "Xinxiang"), ("许昌市", "Xuchang"), ("南阳市", "Nanyang"), ("安阳市", "Anyang")]
TOPICS = [("跨境电商", "cross-border e-commerce"), ("航空物流", "air logistics"),
          ("装备制造", "equipment manufacturing"), ("文化旅游", "culture and tourism"),
          ("中欧班列", "the China–Europe train"), ("生物医药", "biomedicine"), ("新材料", "new materials"),
          ("农产品贸易", "farm-product trade")]
# fmt: on
AREAS = ["zhengzhou", "luoyang", "kaifeng"]
FOCUS = ["plans", "pivots", "connectivity", "coordination", "platforms"]
KINDS = [
    "provincial_exchange",
    "dignitary_visit",
    "overseas_chinese",
    "friendship_city",
    "media_interview",
    "other",
]
CHECKLIST = ["invitation", "arrival", "accommodation", "interpreters", "gifts", "security", "press"]


# In the measuring process ---------------------------------------------------------------------------------


def seed_cities(count: int) -> list[int]:
    """`count` friendship cities in bulk, a third with an agreement to renew (some within 180 days, some
    overdue); returns their ids."""
    from datetime import date, timedelta

    from django.utils import timezone

    from exchanges.models import FriendshipAgreement, FriendshipCity

    rng = random.Random(44)
    today = timezone.localdate()
    have = FriendshipCity.objects.filter(slug__startswith="bench-").count()
    cities = []
    for number in range(have, count):
        henan_zh, henan_en = HENAN[number % len(HENAN)]
        code, country_zh, country_en = COUNTRIES[number % len(COUNTRIES)]
        cities.append(
            FriendshipCity(
                slug=f"bench-{number}",
                henan_name_zh=henan_zh,
                henan_name_en=henan_en,
                foreign_name_zh=f"{country_zh}第{number}城",
                foreign_name_en=f"City {number} of {country_en}",
                country=code,
                kind=rng.choice(["formal", "friendly_exchange"]),
                established_on=date(rng.randint(1980, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                description_zh=f"{henan_zh}与{country_zh}城市的友好关系。",
                description_en=f"A friendship of {henan_en} with a city of {country_en}.",
                public=number % 10 != 0,
            )
        )
    FriendshipCity.objects.bulk_create(cities, batch_size=1000)
    FriendshipAgreement.objects.bulk_create(
        [
            FriendshipAgreement(
                city=city,
                title=f"{city.henan_name_zh}与{city.foreign_name_zh}友好交流合作备忘录",
                signed_on=today - timedelta(days=rng.randint(400, 1800)),
                renew_by=today + timedelta(days=rng.randint(-200, 900)),
            )
            for city in cities
            if rng.random() < 1 / 3
        ],
        batch_size=1000,
    )
    return list(FriendshipCity.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))


def _state(rng: random.Random, starts_on, today) -> str:
    if starts_on > today:
        return rng.choices(
            ["proposed", "approved", "confirmed", "postponed", "cancelled"], [30, 25, 35, 5, 5]
        )[0]
    return rng.choices(["closed", "reported", "held", "cancelled"], [60, 20, 10, 10])[0]


def seed_activities(count: int, city_ids: list[int]) -> float:
    """Bring the bench's activities up to `count` (bulk inserts, with the incoming visits' checklists and the
    enterprises visited); return the seconds it took."""
    import time
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from exchanges import codes
    from exchanges.models import Activity, ChecklistItem
    from foreign_affairs.accounts import demo as accounts_demo
    from foreign_affairs.accounts.models import Organization, User

    started = time.perf_counter()
    have = Activity.objects.filter(reference__startswith="HNEXB-").count()
    rng = random.Random(4000 + have)
    today = timezone.localdate()
    now = timezone.now()
    officer = User.objects.get(username="officer")
    officers = list(User.objects.filter(username__in=["officer", "officer2"]))
    enterprises = list(
        Organization.objects.filter(
            uscc__in=[accounts_demo.DEMO_USCC, accounts_demo.LUOYANG_USCC, accounts_demo.KAIFENG_USCC]
        )
    )
    Visited = Activity.enterprises_visited.through
    with transaction.atomic():
        for start in range(have, count, 5000):
            batch = []
            for number in range(start + 1, min(count, start + 5000) + 1):
                starts_on = today + timedelta(days=rng.randint(-3 * 365, 180))
                ends_on = starts_on + timedelta(days=rng.choice((0, 0, 1, 2, 3, 4)))
                state = _state(rng, starts_on, today)
                code, country_zh, country_en = rng.choice(COUNTRIES)
                topic_zh, topic_en = rng.choice(TOPICS)
                direction = rng.choices(["incoming", "outgoing", "online"], [60, 30, 10])[0]
                created = timezone.make_aware(
                    datetime.combine(starts_on - timedelta(days=rng.randint(20, 60)), datetime.min.time())
                )
                created = min(created, now)
                batch.append(
                    Activity(
                        reference=f"HNEXB-{starts_on.year}-{number:06d}",
                        kind=rng.choice(KINDS),
                        direction=direction,
                        state=state,
                        title_zh=f"{country_zh}{topic_zh}代表团交流活动（{number}）",
                        title_en=f"A delegation from {country_en} on {topic_en} ({number})",
                        summary_zh=f"围绕{topic_zh}介绍河南自贸试验区。",
                        summary_en=f"The Henan Free Trade Zone presented on {topic_en}.",
                        ftz_areas=codes.join(rng.sample(AREAS, k=rng.choice((1, 1, 1, 2)))),
                        focus=codes.join(rng.sample(FOCUS, k=rng.randint(1, 3))),
                        starts_on=starts_on,
                        ends_on=ends_on,
                        city="郑州 Zhengzhou",
                        country=code,
                        foreign_organisation=f"{country_en} delegation",
                        zone_presented=rng.random() < 0.7,
                        outcome_summary_zh="双方约定保持联系。" if state in ("reported", "closed") else "",
                        friendship_city_id=rng.choice(city_ids) if city_ids and rng.random() < 0.3 else None,
                        public=rng.random() < 0.4,
                        owner=officer,
                        created_by=officer,
                        created_at=created,
                        approved_at=created + timedelta(days=2) if state not in ("proposed",) else None,
                        state_changed_at=created,
                    )
                )
            Activity.objects.bulk_create(batch, batch_size=1000)
            items, visits = [], []
            for activity in batch:
                if activity.direction == "incoming":
                    ticked = (
                        7
                        if activity.starts_on <= today
                        else {"confirmed": 4, "approved": 1}.get(activity.state, 0)
                    )
                    assigned = 0 if activity.state == "proposed" else 7
                    for order, kind in enumerate(CHECKLIST):
                        items.append(
                            ChecklistItem(
                                activity_id=activity.pk,
                                kind=kind,
                                order=order,
                                assignee=officers[order % len(officers)] if order < assigned else None,
                                done_at=activity.created_at + timedelta(days=3) if order < ticked else None,
                                done_by=officer if order < ticked else None,
                            )
                        )
                if enterprises and rng.random() < 0.1:
                    visits.append(
                        Visited(activity_id=activity.pk, organization_id=rng.choice(enterprises).pk)
                    )
            ChecklistItem.objects.bulk_create(items, batch_size=5000)
            Visited.objects.bulk_create(visits, batch_size=5000)
    if _vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            for table in (
                "exchanges_activity",
                "exchanges_checklistitem",
                "exchanges_friendshipcity",
                "exchanges_friendshipagreement",
                "exchanges_activity_enterprises_visited",
            ):
                cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


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

    from django.urls import reverse
    from django.utils import timezone

    from exchanges import selectors
    from exchanges.health import years_before
    from exchanges.workflow import PLANNED_STATES

    today = timezone.localdate()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    def month() -> int:
        return len(list(selectors.public_activities(start=first, end=last)))

    def feed() -> int:
        # The feed's window (views.feeds): the public events ending a year ago or later.
        return len(list(selectors.public_activities(start=years_before(today, 1))))

    def cities(user) -> int:
        listed = list(selectors.cities_with_health(user, today=today))
        for city in listed:
            selectors.city_assessment(city, today=today)  # annotated: the reasons, no query
        return len(listed)

    def queue() -> int:
        planned = selectors.with_checklist_progress(
            selectors.activities_for(officer).filter(state__in=PLANNED_STATES)
        ).order_by("starts_on", "pk")
        planned.count()
        return len(list(planned[:QUEUE_PAGE]))

    return [
        ("public calendar: a month", month, reverse("exchanges:calendar"), False),
        ("iCal feed: the last year and to come", feed, reverse("exchanges:calendar_ics"), False),
        ("friendship cities with health, public", lambda: cities(None), reverse("exchanges:cities"), False),
        ("friendship cities with health, office", lambda: cities(officer), None, True),
        ("office queue: planned, first 50", queue, reverse("admin:exchanges_activity_changelist"), True),
    ]


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
    city_ids = seed_cities(CITIES)
    anonymous, signed_in = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(officer)
    sizes, explained = [], []
    for size in SIZES:
        seconds = seed_activities(size, city_ids)
        print(f"  {size} activities seeded in {seconds:.1f} s", file=sys.stderr, flush=True)
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
                "page_p50_ms": None,
                "page_p95_ms": None,
            }
            if path:
                client = signed_in if office else anonymous
                response = client.get(path)
                if response.status_code in (301, 302) and response["Location"].startswith(path):
                    path = response["Location"]  # a list's default filter
                    response = client.get(path)
                row["page"], row["page_status"] = path, response.status_code
                if row["page_status"] == 200:
                    page_times = _time(lambda client=client, path=path: client.get(path), max(5, RUNS // 2))
                    row["page_p50_ms"] = round(_percentile(page_times, 50), 1)
                    row["page_p95_ms"] = round(_percentile(page_times, 95), 1)
            rows.append(row)
            print(f"  {name} @ {size}: p50 {row['p50_ms']} ms ({found} rows)", file=sys.stderr, flush=True)
            if connection.vendor == "postgresql" and size == max(SIZES):
                explained.append((row["p50_ms"], name, statements))
        sizes.append({"activities": size, "seed_seconds": round(seconds, 1), "rows": rows})
    plans = {}
    with connection.cursor() as cursor:
        for _p50, name, statements in sorted(explained, reverse=True)[:2]:
            plans[name] = []
            for sql in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans[name].append("\n".join(line for (line,) in cursor.fetchall()))
    return {
        "database": connection.vendor,
        "cities": len(city_ids),
        "runs": RUNS,
        "sizes": sizes,
        "plans": plans,
    }


# The driver -------------------------------------------------------------------------------------------------


def bench_exchanges(env: dict) -> dict:
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
        raise SystemExit("the exchanges benchmark failed (see above)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ms(value) -> str:
    return f"{value:>9.1f}" if value is not None else f"{'—':>9}"


def print_exchanges(result: dict) -> None:
    print()
    print(
        f"Exchanges at {', '.join(str(s['activities']) for s in result['sizes'])} activities and "
        f"{result['cities']} friendship cities, {result['database']} ({result['runs']} runs; query = what the "
        "page asks of the database; page = the whole response, when the page answers 200)"
    )
    print(
        f"{'what':<42} {'rows':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'page p50':>9} {'page p95':>9}"
    )
    print("-" * 95)
    for size in result["sizes"]:
        for row in size["rows"]:
            name = f"{row['name']} @ {size['activities']}"
            page = row["page_status"]
            note = f"  (page {page})" if page not in (None, 200) else ""
            print(
                f"{name:<42} {row['rows']:>6} {row['queries']:>7} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
                f"{_ms(row['page_p50_ms'])} {_ms(row['page_p95_ms'])}{note}"
            )
    seeded = ", ".join(f"{s['activities']} in {s['seed_seconds']} s" for s in result["sizes"])
    print(f"\nSeeded (bulk, with checklists): {seeded}.")


def write_results(result: dict) -> None:
    path = ROOT / "bench" / "results.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    figures = {key: value for key, value in result.items() if key != "plans"}
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    report.setdefault("exchanges", {})[result["database"]] = figures
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
        print(
            f"Seeding {CITIES} friendship cities and up to {max(SIZES)} activities, measuring ...", flush=True
        )
        result = bench_exchanges({**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"})
    for name, plans in result["plans"].items():
        print(f"\nEXPLAIN ANALYZE, {name} @ {max(SIZES)}:")
        for plan in plans:
            print(plan, end="\n\n")
    print_exchanges(result)
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
