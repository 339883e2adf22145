"""The report PDF scenario of bench/run.py on its own, without the web server:

    BENCH_REPORT_APPLICATIONS=20000 .venv/bin/python bench/report_pdf.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foreign_affairs_bench .venv/bin/python bench/report_pdf.py

A fresh database (SQLite in a temporary directory unless DATABASE_URL names one, which is emptied first),
the demo data, BENCH_REPORT_APPLICATIONS applications from seed_bulk, then one export of the last year of
travel approvals to PDF in one process. Prints the figures as JSON.
"""

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import bench_report_pdf, manage, prepare_environment, print_report_pdf  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch_dir:
        env = prepare_environment(Path(scratch_dir))
        print(
            f"Preparing: {env['DATABASE_URL'].split('@')[-1]}, migrate, seed_demo, seed_bulk ...", flush=True
        )
        manage(env, "migrate", "--noinput")
        if env["DATABASE_URL"].startswith("postgres"):
            manage(env, "flush", "--noinput")
            manage(env, "migrate", "--noinput")
        manage(
            {**env, "CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_URL": "dummymail://"}, "seed_demo", "--force"
        )
        result = bench_report_pdf(env)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print_report_pdf(result)


if __name__ == "__main__":
    main()
