"""`make bench`: the portal's performance figures, measured against a real server.

Starts gunicorn with production settings (DEBUG off, hashed static files, 2 sync workers on this
2-core machine) on a fresh database with the demo data, then measures each page with bench/load.py,
and renders PDFs in-process. Prints a table and writes bench/results.json.

    make bench                                  # SQLite in a temporary directory
    BENCH_SIZES=1000,10000 make bench           # fewer applications for the queue figures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench make bench
    BENCH_REQUESTS=2000 BENCH_CONCURRENCY=8 make bench
    BENCH_REPORT_APPLICATIONS=20000 .venv/bin/python bench/report_pdf.py   # the report PDF only

With DATABASE_URL the named database is created if missing and its tables are emptied first.
"""

import base64
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_exchanges import bench_exchanges, print_exchanges  # noqa: E402
from bench.bench_permit import bench_permit, print_permit  # noqa: E402
from bench.bench_presence import bench_presence, print_presence  # noqa: E402
from bench.bench_projects import bench_projects, print_projects  # noqa: E402
from bench.bench_scale import bench_scale, print_scale  # noqa: E402
from bench.bench_training import bench_training, print_training  # noqa: E402
from bench.load import run  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PDF_RENDERS = int(os.environ.get("BENCH_PDF_RENDERS", "50"))
PERMIT_COUNT = int(os.environ.get("BENCH_PERMITS", "40"))
REPORT_APPLICATIONS = int(os.environ.get("BENCH_REPORT_APPLICATIONS", "20000"))
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def prepare_environment(scratch: Path) -> dict:
    env = {
        **os.environ,
        "DEBUG": "false",
        "PORTAL_BASE_URL": "https://portal.bench.invalid",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
        "PERSONAL_DATA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "PERSONAL_DATA_INDEX_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(scratch / "static"),
        "PRIVATE_MEDIA_ROOT": str(scratch / "private"),
        "LOG_LEVEL": "WARNING",
        # Production asks office staff for a second sign-in step; the pages are measured, not the sign-in.
        "OTP_REQUIRED_FOR_STAFF": "false",
        "DJANGO_SETTINGS_MODULE": "foreign_affairs.settings",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    if env["DATABASE_URL"].startswith("postgres"):
        create_postgres_database(env["DATABASE_URL"])
    return env


def create_postgres_database(url: str) -> None:
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password or "",
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def gunicorn(env: dict, port: int, workers: int, *options: str) -> subprocess.Popen:
    """gunicorn with the portal on HOST:port (sync workers), started; wait_until_up() waits for it."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "foreign_affairs.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            *options,
        ],
        cwd=ROOT,
        env=env,
    )


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped during start-up")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/robots.txt", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def session_cookie(port: int, username: str, password: str) -> str:
    """Sign in through the login form, as a browser does; return the Cookie header value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://{HOST}:{port}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"http://{HOST}:{port}/accounts/login/",
        data=data,
        headers={"Referer": f"http://{HOST}:{port}/accounts/login/"},
    )
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {username}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def bench_permits(env: dict) -> dict:
    """Issue PERMIT_COUNT permits of approved applications through the permit service, in one process, as
    one worker would: render, store, transition, audit. Gives ms per permit and permits per minute."""
    code = f"""
import json, statistics, time, django
django.setup()
from approvals.models import TravelApplication
from approvals.services import permit_issue
ids = list(TravelApplication.objects.filter(state="approved", departure_date__isnull=False)
           .values_list("pk", flat=True)[:{PERMIT_COUNT + 1}])
permit_issue(application_id=ids[0])  # the first one also loads the font
times = []
for pk in ids[1:]:
    started = time.perf_counter(); permit_issue(application_id=pk); times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({{"name": "permit: render, store and issue (one worker)", "permits": len(times),
                  "p50_ms": round(times[len(times) // 2], 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                  "permits_per_minute": round(60000 / statistics.fmean(times))}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_pdf(env: dict) -> dict:
    """Render the one-page specimen (Chinese, a table, a QR code) PDF_RENDERS times in one process."""
    code = f"""
import json, statistics, time, django
django.setup()
from foreign_affairs.documents.management.commands.pdf_specimen import specimen_context
from foreign_affairs.documents.pdf import render_pdf
context = specimen_context()
started = time.perf_counter(); render_pdf("documents/pdf_sample.html", context); first = time.perf_counter() - started
times = []
for _ in range({PDF_RENDERS}):
    started = time.perf_counter(); render_pdf("documents/pdf_sample.html", context)
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({{"name": "pdf: one-page specimen (in-process)", "renders": len(times),
                  "first_render_ms": round(first * 1000, 1), "p50_ms": round(times[len(times) // 2], 2),
                  "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
                  "renders_per_second": round(1000 / statistics.fmean(times), 1)}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_report_pdf(env: dict, have: int = 0) -> dict:
    """Export the last year of travel approvals to PDF in one process, as one worker would (cover, contents,
    figures and charts by WeasyPrint, the list by ReportLab, joined by pypdf), with at least
    REPORT_APPLICATIONS applications in the database (seed_bulk adds what `have` lacks). Gives rows, pages,
    seconds in all and per phase, and list rows per second."""
    if have < REPORT_APPLICATIONS:
        manage(
            {**env, "CELERY_TASK_ALWAYS_EAGER": "true"},
            "seed_bulk",
            "--applications",
            str(REPORT_APPLICATIONS - have),
        )
    code = """
import io, json, time, django
django.setup()
from datetime import timedelta
from django.utils import timezone, translation
from pypdf import PdfReader
from approvals.models import TravelApplication
from foreign_affairs.reports.exporters.pdf import write_pdf
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import REPORTS
today = timezone.localdate()
filters = Filters(today - timedelta(days=364), today)
reached = {}
started = time.perf_counter()
def progress(percent):
    reached.setdefault(percent, time.perf_counter() - started)
out = io.BytesIO()
with translation.override("zh-hans"):
    rows = write_pdf(REPORTS["travel_approvals"], filters, out, progress)
seconds = time.perf_counter() - started
listed = reached[95] - reached[10]
print(json.dumps({"name": "report pdf: travel approvals, last year (one process)",
                  "applications": TravelApplication.objects.count(), "rows": rows,
                  "pages": len(PdfReader(io.BytesIO(out.getvalue())).pages),
                  "megabytes": round(len(out.getvalue()) / 1e6, 1),
                  "seconds": round(seconds, 2), "figures_seconds": round(reached[3], 2),
                  "front_matter_seconds": round(reached[10] - reached[3], 2), "list_seconds": round(listed, 2),
                  "merge_seconds": round(seconds - reached[95], 2), "list_rows_per_second": round(rows / listed)}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        env = prepare_environment(scratch)
        print(
            f"Preparing: {env['DATABASE_URL'].split('@')[-1]}, collectstatic, migrate, seed_demo ...",
            flush=True,
        )
        manage(env, "collectstatic", "--noinput")
        manage(env, "migrate", "--noinput")
        if env["DATABASE_URL"].startswith("postgres"):
            manage(env, "flush", "--noinput")
            manage(env, "migrate", "--noinput")
        env_seed = {**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"}
        manage(env_seed, "seed_demo", "--force")

        port = free_port()
        server = gunicorn(env, port, WORKERS)
        try:
            wait_until_up(port, server)
            cookie = session_cookie(port, "applicant", env.get("DEMO_PASSWORD", "demo-pass-2026"))
            office = session_cookie(port, "officer", env.get("DEMO_PASSWORD", "demo-pass-2026"))
            scenarios = [
                ("floor: robots.txt (trivial view)", "/robots.txt", {}),
                ("home page, anonymous", "/", {}),
                ("home page, signed in (applicant)", "/", {"Cookie": cookie}),
                ("dashboard, applicant", "/dashboard/", {"Cookie": cookie}),
                ("dashboard, officer", "/dashboard/", {"Cookie": office}),
                ("travellers list, applicant", "/people/", {"Cookie": cookie}),
                ("health check", "/healthz", {}),
            ]
            results = []
            for name, path, headers in scenarios:
                result = run(
                    name, HOST, port, path, requests=REQUESTS, concurrency=CONCURRENCY, headers=headers
                )
                results.append(result.summary())
                print(f"  {name}: {result.rps:.0f} req/s", flush=True)
            presence = bench_presence(env, port, office, have=0, concurrency=CONCURRENCY)
        finally:
            server.terminate()
            server.wait(timeout=30)
        pdf = bench_pdf(env)
        permits = bench_permits(env)
        permit_ratio = bench_permit(env)
        report_pdf = bench_report_pdf(env, have=presence["applications"])
        projects = bench_projects(env)
        exchanges = bench_exchanges(env)
        training = bench_training(env)
        scale = bench_scale(env)

    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "server": {
            "gunicorn_workers": WORKERS,
            "worker_class": "sync",
            "debug": False,
            "database": env["DATABASE_URL"].split(":", 1)[0],
        },
        "load": {"requests_per_scenario": REQUESTS, "concurrency": CONCURRENCY, "client": "bench/load.py"},
        "http": results,
        "scale": scale,
        "permit_ratio": permit_ratio,
        "pdf": pdf,
        "permits": permits,
        "report_pdf": report_pdf,
        "presence": presence,
        "projects_catalogue": {projects["database"]: {k: v for k, v in projects.items() if k != "plans"}},
        "exchanges": {exchanges["database"]: {k: v for k, v in exchanges.items() if k != "plans"}},
        "training": {training["database"]: {k: v for k, v in training.items() if k != "plans"}},
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print_table(report)


def print_table(report: dict) -> None:
    print()
    print(f"{'scenario':<46} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    print("-" * 81)
    for row in report["http"]:
        print(
            f"{row['name']:<46} {row['requests_per_second']:>8.1f} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} "
            f"{row['errors']:>7}"
        )
    pdf = report["pdf"]
    print(
        f"{pdf['name']:<46} {pdf['renders_per_second']:>8.1f} {pdf['p50_ms']:>8.2f} {pdf['p95_ms']:>8.2f} "
        f"{'':>7}"
    )
    permits = report["permits"]
    print(
        f"{permits['name']:<46} {permits['permits_per_minute']:>8} {permits['p50_ms']:>8.1f} "
        f"{permits['p95_ms']:>8.1f}   (permits per minute)"
    )
    print_permit(report["permit_ratio"])
    print_report_pdf(report["report_pdf"])
    print_presence(report["presence"])
    for figures in report.get("projects_catalogue", {}).values():
        print_projects(figures)
    for figures in report.get("exchanges", {}).values():
        print_exchanges(figures)
    for figures in report.get("training", {}).values():
        print_training(figures)
    print_scale(report["scale"])
    print(
        f"\n{report['server']['gunicorn_workers']} gunicorn workers, {report['load']['concurrency']} concurrent "
        f"clients, {report['load']['requests_per_scenario']} requests each, database "
        f"{report['server']['database']}; first PDF render (font load) {pdf['first_render_ms']} ms. "
        "Written to bench/results.json."
    )


def print_report_pdf(result: dict) -> None:
    print(
        f"{result['name']:<46} {result['rows']} rows, {result['pages']} pages in {result['seconds']} s "
        f"(figures {result['figures_seconds']} s, front matter {result['front_matter_seconds']} s, list "
        f"{result['list_seconds']} s = {result['list_rows_per_second']} rows/s, joining {result['merge_seconds']} s; "
        f"{result['applications']} applications)"
    )


if __name__ == "__main__":
    main()
