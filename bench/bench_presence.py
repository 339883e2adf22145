"""The presence map (/safety/presence/, officer) at 100 000 travel applications and 10 000 stationed staff.

Part of `make bench` through bench/run.py (bench_presence() measures against the server run.py started,
after its sizes have filled the database); on its own, with its own server:

    .venv/bin/python bench/bench_presence.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench .venv/bin/python bench/bench_presence.py
    BENCH_PRESENCE_APPLICATIONS=10000 BENCH_PRESENCE_STATIONED=1000 .venv/bin/python bench/bench_presence.py

A fresh database (SQLite in a temporary directory unless DATABASE_URL names one, which is emptied first), the
demo data, seed_bulk up to BENCH_PRESENCE_APPLICATIONS applications, BENCH_PRESENCE_STATIONED stationed staff
at sites in 60 countries (bulk inserts), then BENCH_PRESENCE_REQUESTS requests of the map page from
BENCH_CONCURRENCY clients. Prints the figures as JSON and one table line.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import run  # noqa: E402

APPLICATIONS = int(os.environ.get("BENCH_PRESENCE_APPLICATIONS", "100000"))
STATIONED = int(os.environ.get("BENCH_PRESENCE_STATIONED", "10000"))
REQUESTS = int(os.environ.get("BENCH_PRESENCE_REQUESTS", "200"))

# Sites of the bulk organisations in 60 countries, 20 staff each; a tenth of the stationings have ended.
SEED_STATIONED = """
import json, random, django
django.setup()
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from foreign_affairs.accounts.models import Organization, Person
from overseas_safety.models import Site, Stationing

COUNTRIES = ["AE", "AO", "AR", "AU", "BD", "BR", "CL", "CO", "DE", "DZ", "EG", "ES", "ET", "FR", "GB", "GH",
             "GR", "HU", "ID", "IN", "IQ", "IR", "IT", "JP", "KE", "KH", "KR", "KZ", "LA", "LK", "MA", "MM",
             "MX", "MY", "MZ", "NG", "NL", "NP", "NZ", "PE", "PH", "PK", "PL", "QA", "RS", "RU", "SA", "SD",
             "SG", "TH", "TR", "TZ", "UA", "UG", "US", "UZ", "VN", "ZA", "ZM", "ZW"]
wanted = {wanted}
rng = random.Random(2026)
today = timezone.localdate()
have = Stationing.objects.count()
organizations = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
with transaction.atomic():
    sites = Site.objects.bulk_create(
        [
            Site(
                organization_id=organizations[index % len(organizations)],
                name=f"Bench site {{have + index}}",
                country=COUNTRIES[index % len(COUNTRIES)],
                city="City",
                address="1 Bench Road",
                chinese_staff_count=rng.randint(0, 200),
                security_officer="王安",
                security_officer_phone="+86 371 6000 0000",
                emergency_phone="+1 555 000 0000",
                opened_on=today - timedelta(days=rng.randint(30, 2000)),
            )
            for index in range((wanted + 19) // 20)
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                organization_id=sites[index // 20].organization_id,
                full_name=f"常驻{{have + index}}",
                gender="male",
                position="工程师",
                passport_type="official_ordinary",
            )
            for index in range(wanted)
        ],
        batch_size=5000,
    )
    Stationing.objects.bulk_create(
        [
            Stationing(
                site=sites[index // 20],
                person=person,
                post="工程师",
                starts_on=today - timedelta(days=rng.randint(31, 900)),
                ends_on=(today - timedelta(days=rng.randint(1, 30))) if index % 10 == 0 else None,
            )
            for index, person in enumerate(people)
        ],
        batch_size=5000,
    )
print(json.dumps({{"stationed": Stationing.objects.count(), "sites": Site.objects.count()}}))
"""


def seed_stationed(env: dict, count: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SEED_STATIONED.format(wanted=count)],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"seeding the stationed staff failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_presence(env: dict, port: int, office_cookie: str, *, have: int, concurrency: int = 4) -> dict:
    """Fill the database up to APPLICATIONS applications (seed_bulk adds what `have` lacks) and STATIONED
    stationed staff, then measure the officer's presence map on the server at `port`."""
    from bench.run import HOST, manage

    if have < APPLICATIONS:
        manage(
            {**env, "CELERY_TASK_ALWAYS_EAGER": "true"},
            "seed_bulk",
            "--applications",
            str(APPLICATIONS - have),
        )
    seeded = seed_stationed(env, STATIONED)
    result = run(
        f"presence map, officer @ {APPLICATIONS} + {STATIONED} stationed",
        HOST,
        port,
        "/safety/presence/",
        requests=REQUESTS,
        concurrency=concurrency,
        warmup=min(20, REQUESTS // 10),
        headers={"Cookie": office_cookie},
    )
    return {**result.summary(), "applications": max(have, APPLICATIONS), **seeded}


def print_presence(result: dict) -> None:
    print(
        f"{result['name']:<46} {result['requests_per_second']:>8.1f} {result['p50_ms']:>8.2f} "
        f"{result['p95_ms']:>8.2f} {result['errors']:>7}"
    )


def main() -> None:
    from bench.run import (
        CONCURRENCY,
        HOST,
        WORKERS,
        free_port,
        manage,
        prepare_environment,
        session_cookie,
        wait_until_up,
    )

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch_dir:
        env = prepare_environment(Path(scratch_dir))
        print(f"Preparing: {env['DATABASE_URL'].split('@')[-1]}, migrate, seed_demo ...", flush=True)
        manage(env, "collectstatic", "--noinput")
        manage(env, "migrate", "--noinput")
        if env["DATABASE_URL"].startswith("postgres"):
            manage(env, "flush", "--noinput")
            manage(env, "migrate", "--noinput")
        manage(
            {**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"}, "seed_demo", "--force"
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "foreign_affairs.wsgi", "--bind", f"{HOST}:{port}",
             "--workers", str(WORKERS), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        try:
            wait_until_up(port, server)
            office = session_cookie(port, "officer", env.get("DEMO_PASSWORD", "demo-pass-2026"))
            print(f"Seeding {APPLICATIONS} applications and {STATIONED} stationed staff ...", flush=True)
            result = bench_presence(env, port, office, have=0, concurrency=CONCURRENCY)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print_presence(result)


if __name__ == "__main__":
    main()
