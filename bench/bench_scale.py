"""Flat pages at a million applications: the same pages at 1 000, 100 000 and 1 000 000 applications,
served at the same time by one gunicorn per database, measured round by round, medians of five rounds.

Part of `make bench` (bench/run.py calls bench_scale()); on its own:

    .venv/bin/python bench/bench_scale.py
    BENCH_SCALE_POSTGRES=postgres://postgres@127.0.0.1:5432/portal_scale .venv/bin/python bench/bench_scale.py
    BENCH_SCALE_SIZES=1000,100000 BENCH_SCALE_BACKENDS=sqlite .venv/bin/python bench/bench_scale.py

Backends: PostgreSQL (1 000 / 100 000 / 1 000 000, one database per size named after
BENCH_SCALE_POSTGRES, default postgres://postgres@127.0.0.1:5432/portal_scale) when it answers, and SQLite
(1 000 / 100 000, files in var/bench/). The databases are kept: a later run that finds a database with its
applications reuses it (seeding a million takes minutes); BENCH_SCALE_RESEED=1 starts afresh. Each size is
the demo data plus seed_bulk's applications; the time seed_bulk took is printed with its goal.

Pages, as the issue measured them: the officer's review queue, the API list, the office's applications page
(p50 at the largest size within 1.2× of p50 at 1 000), the reports dashboard over 12 months for one manager
(≤ 150 ms at 1 000 000 on PostgreSQL, ≤ 300 ms at 100 000 on SQLite) and for four at once (≤ 2× one).
The dashboard's figures are shared for a minute (REPORTS_DASHBOARD_CACHE_SECONDS): those pages are what
managers mostly get, figures computed less than a minute before. "dashboard, computed" asks for a period no
one asked for before at each request (a year ending on a different day each time), so that every figure is
computed for it: what the first manager of the minute waits for. It is printed, with no goal.
"""

import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import run  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "5"))
ROUND_REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "30"))
# The dashboard costs seconds where the lists cost milliseconds: fewer requests a round.
DASHBOARD_REQUESTS = int(os.environ.get("BENCH_SCALE_DASHBOARD_REQUESTS", "5"))
WORKERS = int(os.environ.get("BENCH_SCALE_WORKERS", "2"))
POSTGRES = os.environ.get("BENCH_SCALE_POSTGRES", "postgres://postgres@127.0.0.1:5432/portal_scale")
BACKENDS = os.environ.get("BENCH_SCALE_BACKENDS", "postgresql,sqlite").split(",")
DEFAULT_SIZES = {"postgresql": [1_000, 100_000, 1_000_000], "sqlite": [1_000, 100_000]}
SEED_GOAL_SECONDS = {1_000_000: 300}
PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")

_missed = itertools.count()


def computed_dashboard() -> str:
    """A year of figures ending on a day no earlier request asked for: computed, not taken from the cache."""
    last = date.today() - timedelta(days=next(_missed))
    return f"/reports/?date_from={last - timedelta(days=364)}&date_to={last}"


# (name, path, account, concurrency, goal): a goal is ("ratio", limit) against the smallest size's p50,
# ("ms", {backend: (size, limit)}) for an absolute p50, ("vs", name, limit) against another page here, or
# None (printed only). The path may be a function giving each request its own.
PAGES = [
    # Every state ("All"): the default page (in review) holds fewer than a page of rows at 1 000.
    ("officer queue", "/admin/approvals/travelapplication/?state=all", "officer", 1, ("ratio", 1.2)),
    ("API list", "/api/v1/travel-applications/", "officer", 1, ("ratio", 1.2)),
    ("office applications page", "/applications/", "officer", 1, ("ratio", 1.2)),
    (
        "dashboard, 1 manager",
        "/reports/?preset=last_12_months",
        "manager",
        1,
        ("ms", {"postgresql": (1_000_000, 150), "sqlite": (100_000, 300)}),
    ),
    (
        "dashboard, 4 managers",
        "/reports/?preset=last_12_months",
        "manager",
        4,
        ("vs", "dashboard, 1 manager", 2),
    ),
    ("dashboard, computed", computed_dashboard, "manager", 1, None),
]

# Fixed keys: the kept databases hold data encrypted with them (bench data only, never a real key).
FIXED_KEYS = {
    "SECRET_KEY": "bench-scale-secret-key-not-for-production-0123456789abcdefghijklmnop",
    "AUDIT_HMAC_KEY": "bench-scale-audit-key-not-for-production-0123456789abcdefgh",
    "PERSONAL_DATA_KEYS": "YmVuY2gtc2NhbGUta2V5LW5vdC1mb3ItcHJvZHVjdGk=",
    "PERSONAL_DATA_INDEX_KEY": "bench-scale-index-key-not-for-production-0123456789",
}

COUNT = """
import django
django.setup()
from approvals.models import TravelApplication
print(TravelApplication.objects.count())
"""


def _python(env: dict, code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def database_url(backend: str, size: int) -> str:
    if backend == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'scale-{size}.sqlite3'}"
    return f"{POSTGRES}_{size}"


def postgres_reachable() -> bool:
    import urllib.parse

    import psycopg2

    parts = urllib.parse.urlsplit(POSTGRES)
    try:
        psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            dbname="postgres",
            connect_timeout=5,
        ).close()
        return True
    except psycopg2.OperationalError:
        return False


def drop(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import urllib.parse

    import psycopg2

    parts = urllib.parse.urlsplit(url)
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


_redis_databases = itertools.count(10)


def _own_redis(base_env: dict) -> dict:
    """A Redis database of its own for each size's server (10, 11, …): the cache's keys (the dashboard's
    figures) name no database, as a deployment serves one."""
    url = base_env.get("REDIS_URL")
    if not url:
        return {}
    parts = urllib.parse.urlsplit(url)
    return {"REDIS_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{next(_redis_databases)}"))}


def prepare(base_env: dict, backend: str, size: int) -> tuple[dict, float | None]:
    """The environment of one size's database, seeded unless it already holds `size` applications; the
    seconds seed_bulk took when it ran now."""
    from bench.run import create_postgres_database, manage

    url = database_url(backend, size)
    env = {**base_env, **FIXED_KEYS, "DATABASE_URL": url, **_own_redis(base_env)}
    if os.environ.get("BENCH_SCALE_RESEED"):
        drop(url)
    if backend == "postgresql":
        create_postgres_database(url)
    manage(env, "migrate", "--noinput")
    if int(_python(env, COUNT)) >= size:
        print(f"  {backend} {size}: reusing the kept database (its daily summary rebuilt)", flush=True)
        manage(env, "rebuild_travel_summary")
        return env, None
    drop(url)
    if backend == "postgresql":
        create_postgres_database(url)
    seeding = {**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"}
    manage(env, "migrate", "--noinput")
    manage(seeding, "seed_demo", "--force", "--size", "small")
    started = time.perf_counter()
    manage(seeding, "seed_bulk", "--applications", str(size))
    seconds = time.perf_counter() - started
    print(f"  {backend} {size}: seed_bulk took {seconds:.0f} s", flush=True)
    return env, seconds


def serve(env: dict) -> tuple[subprocess.Popen, int]:
    from bench.run import free_port, gunicorn, wait_until_up

    port = free_port()
    server = gunicorn(env, port, WORKERS)
    wait_until_up(port, server)
    return server, port


def measure(backend: str, servers: dict[int, int], cookies: dict) -> list[dict]:
    """Median over ROUNDS rounds of each page's p50 at each size; in each round the sizes take turns."""
    from bench.run import HOST

    p50s = {(page[0], size): [] for page in PAGES for size in servers}
    errors = dict.fromkeys(p50s, 0)
    for round_number in range(ROUNDS):
        for name, path, account, concurrency, _goal in PAGES:
            for size, port in servers.items():
                result = run(
                    f"{name} @ {size}",
                    HOST,
                    port,
                    path,
                    requests=(DASHBOARD_REQUESTS if name.startswith("dashboard") else ROUND_REQUESTS)
                    * concurrency,
                    concurrency=concurrency,
                    warmup=3 if round_number == 0 else 0,
                    headers={"Cookie": cookies[(size, account)]},
                )
                p50s[(name, size)].append(result.percentile(50))
                errors[(name, size)] += result.errors
        print(f"  {backend}: round {round_number + 1} of {ROUNDS} done", flush=True)
    return [
        {
            "backend": backend,
            "page": name,
            "applications": size,
            "p50_ms": round(statistics.median(p50s[(name, size)]), 1),
            "errors": errors[(name, size)],
        }
        for name, *_rest in PAGES
        for size in servers
    ]


def verdicts(rows: list[dict]) -> list[dict]:
    """Each goal with its measured figure and whether it is met."""
    found = {(row["backend"], row["page"], row["applications"]): row["p50_ms"] for row in rows}
    backends = sorted({row["backend"] for row in rows})
    out = []
    for backend in backends:
        sizes = sorted({size for (b, _page, size) in found if b == backend})
        smallest, largest = sizes[0], sizes[-1]
        for name, _path, _account, _concurrency, goal in PAGES:
            if goal is None:
                continue
            if goal[0] == "ratio":
                for size in sizes[1:]:
                    ratio = found[(backend, name, size)] / found[(backend, name, smallest)]
                    out.append(
                        _verdict(
                            backend,
                            f"{name}: p50 {size:,} / {smallest:,}",
                            ratio,
                            goal[1],
                            "×",
                            size == largest,
                        )
                    )
            elif goal[0] == "ms" and backend in goal[1]:
                size, limit = goal[1][backend]
                if (backend, name, size) in found:
                    out.append(
                        _verdict(
                            backend, f"{name}: p50 at {size:,}", found[(backend, name, size)], limit, "ms"
                        )
                    )
            elif goal[0] == "vs":
                ratio = found[(backend, name, largest)] / found[(backend, goal[1], largest)]
                out.append(_verdict(backend, f"{name} / {goal[1]} at {largest:,}", ratio, goal[2], "×"))
    return out


def _verdict(backend, what, value, limit, unit, judged=True) -> dict:
    return {
        "backend": backend,
        "figure": what,
        "value": round(value, 2),
        "goal": f"≤ {limit}{unit}" if judged else "",
        "met": (value <= limit) if judged else None,
    }


def bench_scale(base_env: dict) -> dict:
    from bench.run import session_cookie

    report = {"rows": [], "seeding": [], "verdicts": []}
    for backend in BACKENDS:
        if backend == "postgresql" and not postgres_reachable():
            print("  PostgreSQL does not answer: its scale figures are skipped.", flush=True)
            continue
        sizes = [int(s) for s in os.environ.get("BENCH_SCALE_SIZES", "").split(",") if s] or DEFAULT_SIZES[
            backend
        ]
        servers, processes, cookies = {}, [], {}
        try:
            for size in sizes:
                env, seconds = prepare(base_env, backend, size)
                if seconds is not None:
                    report["seeding"].append(
                        {"backend": backend, "applications": size, "seconds": round(seconds)}
                    )
                server, port = serve(env)
                processes.append(server)
                servers[size] = port
                for account in {page[2] for page in PAGES}:
                    cookies[(size, account)] = session_cookie(port, account, PASSWORD)
            report["rows"] += measure(backend, servers, cookies)
        finally:
            for server in processes:
                server.terminate()
                server.wait(timeout=30)
    report["verdicts"] = verdicts(report["rows"])
    for seeded in report["seeding"]:
        goal = SEED_GOAL_SECONDS.get(seeded["applications"])
        if goal and seeded["backend"] == "postgresql":
            report["verdicts"].append(
                _verdict("postgresql", f"seed_bulk {seeded['applications']:,}", seeded["seconds"], goal, " s")
            )
    return report


def print_scale(report: dict) -> None:
    print(f"\n{'backend':<11} {'page':<28} {'applications':>13} {'p50 ms':>8} {'errors':>7}")
    for row in report["rows"]:
        print(
            f"{row['backend']:<11} {row['page']:<28} {row['applications']:>13,} {row['p50_ms']:>8.1f} "
            f"{row['errors']:>7}"
        )
    print(f"\n{'backend':<11} {'figure':<58} {'value':>9} {'goal':>9}  met")
    for verdict in report["verdicts"]:
        met = {True: "yes", False: "NO", None: ""}[verdict["met"]]
        print(
            f"{verdict['backend']:<11} {verdict['figure']:<58} {verdict['value']:>9} {verdict['goal']:>9}  {met}"
        )


def main() -> None:
    from bench.run import prepare_environment

    scratch = ROOT / "var" / "bench"
    scratch.mkdir(parents=True, exist_ok=True)
    env = prepare_environment(scratch)
    from bench.run import manage

    manage({**env, **FIXED_KEYS}, "collectstatic", "--noinput")
    report = bench_scale(env)
    (ROOT / "bench" / "scale-results.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )
    print_scale(report)


if __name__ == "__main__":
    main()
