"""`make loadtest`: 50 simulated users for 5 minutes against the production stack, then a table.

The stack is the one bench/run.py measures — gunicorn with production settings (DEBUG off, hashed static
files, second sign-in step for office staff) on PostgreSQL — plus Redis and a Celery worker consuming every
queue, since exports, permits and e-mails are the worker's. The database is emptied, migrated, given the
demo data and LOADTEST_APPLICATIONS applications (seed_bulk), and the accounts of the simulated users
(bench/locustfile.py). Then two phases, both with locust headless:

1. the mixed workload: enterprise pages, the officers' queue and decisions, the API, managers' dashboards
   and exports, and anonymous visitors, LOADTEST_USERS users for LOADTEST_DURATION;
2. the floor: the same number of users asking for the trivial page (/robots.txt) with no think time for
   LOADTEST_FLOOR_DURATION, i.e. the most requests per second this machine serves through the same
   server and client — the mixed workload's throughput is given against it.

Prints per page p50/p95/max, requests and failures, writes bench/loadtest-results.json, stops what it
started, and exits 1 when any request or any task of the worker failed.

    make loadtest
    LOADTEST_APPLICATIONS=5000 LOADTEST_DURATION=1m make loadtest
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fa_load REDIS_URL=redis://127.0.0.1:6379/3 make loadtest

The database named by DATABASE_URL (default foreign_affairs_loadtest on the local PostgreSQL) is created
when missing and emptied; Redis (REDIS_URL, default redis://127.0.0.1:6379/0) has its task queues purged.
"""

import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import HOST, free_port, gunicorn, manage, prepare_environment, wait_until_up  # noqa: E402

APPLICATIONS = int(os.environ.get("LOADTEST_APPLICATIONS", "100000"))
DURATION = os.environ.get("LOADTEST_DURATION", "5m")
FLOOR_DURATION = os.environ.get("LOADTEST_FLOOR_DURATION", "30s")
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SPAWN_RATE = os.environ.get("LOADTEST_SPAWN_RATE", "10")
WORKERS = int(os.environ.get("LOADTEST_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
DEMO_SIZE = os.environ.get("LOADTEST_DEMO_SIZE", "small")
WORKER_CONCURRENCY = os.environ.get("LOADTEST_WORKER_CONCURRENCY", "2")
QUEUES = "celery,notifications,pdf,exports"
# The user classes of bench/locustfile.py in each phase (tests/bench/test_locustfile.py keeps them in step).
MIXED_USERS = [
    "Visitor",
    "EnterpriseApplicant",
    "Liaison",
    "Officer",
    "Manager",
    "ApiEnterprise",
    "ApiOffice",
]
FLOOR_USERS = ["FloorVisitor"]
FLOOR_NAME = "floor: robots.txt, no think time"
RESULTS = ROOT / "bench" / "loadtest-results.json"

# Written in the database's own process: the simulated users' accounts (bench/locustfile.py reads the file).
ACCOUNTS_SCRIPT = """
import json, sys, django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice
from foreign_affairs.accounts.models import Membership, Organization, User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.services import membership_save

organisations, office = int(sys.argv[1]), int(sys.argv[2])
password = make_password(settings.DEMO_PASSWORD)  # one hash for every account
admin = User.objects.get(username="admin")
busiest = list(
    Organization.objects.annotate(n=Count("travel_applications")).order_by("-n", "pk")[:organisations]
)

def enterprise(prefix, liaison, orgs):
    names = []
    for index, organization in enumerate(orgs):
        user = User.objects.create(username=f"{prefix}-{index}", password=password, first_name=prefix)
        membership_save(
            membership=Membership(user=user, organization=organization, is_liaison=liaison), actor=admin
        )
        names.append(user.username)
    return names

def staff(prefix, role, count):
    group, people = Group.objects.get(name=role), []
    for index in range(count):
        user = User.objects.create(username=f"{prefix}-{index}", password=password, is_staff=True)
        user.groups.add(group)
        # A code is computed when the form is sent; under load it may wait in the server's queue for more
        # than the usual one-step tolerance, where a person would type the next code: 20 steps either way.
        device = TOTPDevice.objects.create(
            user=user, name="authenticator app", confirmed=True, tolerance=20
        )
        people.append({"username": user.username, "totp_key": device.key})
    return people

print(json.dumps({
    "password": settings.DEMO_PASSWORD,
    "organisations": [o.pk for o in busiest],
    "applicants": enterprise("load-applicant", False, busiest),
    "liaisons": enterprise("load-liaison", True, busiest),
    "api_applicants": enterprise("load-api-applicant", False, busiest[: max(1, organisations // 3)]),
    "officers": staff("load-officer", Role.OFFICER, office),
    "api_officers": staff("load-api-officer", Role.OFFICER, max(1, office // 4)),
    "managers": staff("load-manager", Role.MANAGER, max(1, office // 4)),
}))
"""


def prepare(scratch: Path) -> dict:
    """The production environment of bench/run.py on PostgreSQL and Redis, the database emptied and seeded,
    and the accounts file; returns the environment."""
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/foreign_affairs_loadtest")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("make loadtest runs on PostgreSQL: set DATABASE_URL=postgres://...")
    env = prepare_environment(scratch)
    env.update(
        {
            "EMAIL_URL": os.environ.get("LOADTEST_EMAIL_URL", "dummymail://"),
            "LOADTEST_ACCOUNTS": str(scratch / "accounts.json"),
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
    )
    seeding = {**env, "CELERY_TASK_ALWAYS_EAGER": "true"}
    print(f"Preparing {env['DATABASE_URL'].split('@')[-1]}: collectstatic, migrate, empty ...", flush=True)
    manage(env, "collectstatic", "--noinput")
    manage(env, "migrate", "--noinput")
    manage(env, "flush", "--noinput")
    manage(env, "migrate", "--noinput")
    # The small demo: its accounts (admin, officer, manager...) and a few applications in every state; the
    # volume is seed_bulk's (the year-long demo adds ~10 minutes of permits and e-mails on this machine).
    print(f"  seed_demo --size {DEMO_SIZE} ...", flush=True)
    manage(seeding, "seed_demo", "--force", "--size", DEMO_SIZE)
    print(f"  seed_bulk --applications {APPLICATIONS} ...", flush=True)
    manage(seeding, "seed_bulk", "--applications", str(APPLICATIONS))
    accounts = subprocess.run(
        [sys.executable, "-c", ACCOUNTS_SCRIPT, "30", "40"],
        cwd=ROOT,
        env=seeding,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    Path(env["LOADTEST_ACCOUNTS"]).write_text(accounts.strip().splitlines()[-1])
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "foreign_affairs", "purge", "-f", "-Q", QUEUES],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def start_stack(env: dict, scratch: Path, port: int, processes: list[subprocess.Popen]) -> None:
    """The Celery worker and gunicorn, added to `processes` as they start (the caller stops them)."""
    worker_log = (scratch / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "foreign_affairs",
            "worker",
            "-Q",
            QUEUES,
            "--concurrency",
            WORKER_CONCURRENCY,
            "--loglevel",
            "warning",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    processes.append(worker)
    # Gunicorn's 30 s default kills a worker whose request waits that long for a CPU: on a machine shared
    # with other work that is the machine's doing, not the page's, so allow two minutes.
    server = gunicorn(env, port, WORKERS, "--timeout", os.environ.get("LOADTEST_GUNICORN_TIMEOUT", "120"))
    processes.append(server)
    wait_until_up(port, server)
    health = json.loads(urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=10).read())
    if health.get("broker") != "ok":
        raise SystemExit(f"/healthz does not see the broker: {health}")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def locust(
    env: dict, port: int, scratch: Path, phase: str, users: list[str], duration: str, rate: str
) -> Path:
    """Run one phase headless; returns the CSV prefix of its figures."""
    prefix = scratch / phase
    with (scratch / f"locust-{phase}.log").open("w") as log:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                rate,
                "-t",
                duration,
                "--host",
                f"http://{HOST}:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
                "--exit-code-on-error",
                "0",
                *users,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    return prefix


def read_stats(prefix: Path) -> tuple[list[dict], dict]:
    """Locust's per-name rows (GET and POST of one name together) and the total row."""
    rows, total = [], {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            figures = {
                "name": row["Name"],
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0), 1),
                "requests_per_second": round(float(row["Requests/s"]), 2),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                rows.append(figures)
    return sorted(rows, key=lambda r: r["name"]), total


def read_failures(prefix: Path) -> list[dict]:
    with open(f"{prefix}_failures.csv", newline="") as handle:
        return [
            {"name": row["Name"], "error": row["Error"], "occurrences": int(row["Occurrences"])}
            for row in csv.DictReader(handle)
        ]


def worker_errors(scratch: Path) -> tuple[list[str], int]:
    """The worker's error lines (the first 20), and how many of them are failed tasks (celery.app.trace)."""
    lines = [
        line for line in (scratch / "worker.log").read_text(errors="replace").splitlines() if "ERROR" in line
    ]
    return lines[:20], sum("celery.app.trace" in line for line in lines)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="portal-loadtest-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = prepare(scratch)
        port = free_port()
        processes: list[subprocess.Popen] = []
        try:
            start_stack(env, scratch, port, processes)
            print(f"Mixed workload: {USERS} users for {DURATION} ...", flush=True)
            mixed = locust(env, port, scratch, "mixed", MIXED_USERS, DURATION, SPAWN_RATE)
            print(
                f"Floor: {USERS} users asking for /robots.txt without pause for {FLOOR_DURATION} ...",
                flush=True,
            )
            floor = locust(env, port, scratch, "floor", FLOOR_USERS, FLOOR_DURATION, str(USERS))
        finally:
            stop(processes)
        pages, total = read_stats(mixed)
        _floor_rows, floor_total = read_stats(floor)
        failures = read_failures(mixed) + read_failures(floor)
        errors, failed_tasks = worker_errors(scratch)

    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "stack": {
            "gunicorn_workers": WORKERS,
            "worker_class": "sync",
            "celery_concurrency": int(WORKER_CONCURRENCY),
            "queues": QUEUES,
            "debug": False,
            "database": "postgresql",
            "applications": APPLICATIONS,
        },
        "load": {
            "users": USERS,
            "spawn_rate": SPAWN_RATE,
            "duration": DURATION,
            "client": "locust (FastHttpUser)",
        },
        "pages": pages,
        "total": total,
        "floor": {**floor_total, "name": FLOOR_NAME, "duration": FLOOR_DURATION},
        "throughput_vs_floor": round(total["requests_per_second"] / floor_total["requests_per_second"], 3)
        if floor_total.get("requests_per_second")
        else None,
        "failures": failures,
        "worker_errors": errors,
        "failed_tasks": failed_tasks,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print_table(report)
    return 1 if total.get("failures") or floor_total.get("failures") or failed_tasks else 0


def print_table(report: dict) -> None:
    print()
    print(f"{'page':<48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>9} {'requests':>9} {'failures':>9}")
    print("-" * 96)
    for row in [*report["pages"], report["total"] | {"name": "all pages"}, report["floor"]]:
        print(
            f"{row['name'][:48]:<48} {row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f} {row['max_ms']:>9.0f} "
            f"{row['requests']:>9} {row['failures']:>9}"
        )
    total, floor, load, stack = report["total"], report["floor"], report["load"], report["stack"]
    print(
        f"\nThroughput: {total['requests_per_second']:.1f} req/s for the mixed workload, against the floor of "
        f"{floor['requests_per_second']:.1f} req/s (the trivial page without think time, same stack and client) "
        f"= {100 * (report['throughput_vs_floor'] or 0):.1f} %."
    )
    print(
        f"{load['users']} users for {load['duration']} on {report['machine']['cpus']} CPUs shared by the server, "
        f"the worker, PostgreSQL, Redis and locust; {stack['gunicorn_workers']} gunicorn workers, "
        f"{stack['applications']} applications. Written to {RESULTS.relative_to(ROOT)}."
    )
    for failure in report["failures"]:
        print(f"FAILED {failure['occurrences']}× {failure['name']}: {failure['error'][:200]}")
    for line in report["worker_errors"]:
        print(f"WORKER {line[:200]}")


if __name__ == "__main__":
    sys.exit(main())
