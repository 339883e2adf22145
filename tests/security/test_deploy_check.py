"""Row 1: Django's deployment checklist (`manage.py check --deploy`) with production settings."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# As a production server is started: DEBUG off, its own secrets, a host name; nothing else from the test run.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3#9vQ!x7Lp2@Wz8Rt5^Ny4&Mb6*Hc1(Jd0)Fg-Ks=Ua+Ie~Yo|Xq;Zw:Ve,Sr.Tl",
    "AUDIT_HMAC_KEY": "Zq7-Hn2vRk9sLw4tBx6yCm8dFp3gJr5hKs1uNv0eWa-TbQc_YdXf",
    "PERSONAL_DATA_KEYS": "bXlfdGVzdF9wZXJzb25hbF9kYXRhX2tleV8wMTIzNDU=",
    "PERSONAL_DATA_INDEX_KEY": "Pq4-Lm8nVx2cRt6yBw0zKs3hJd7gFa5eUi9oNv1-MbXc",
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "PORTAL_BASE_URL": "https://portal.example.gov.cn",
}
FINDING = re.compile(r"^\S*: \((?P<id>[\w.]+)\) (?P<message>.*)$", re.MULTILINE)
SUMMARY = re.compile(r"System check identified (?P<count>no|\d+) issues?")


def test_production_settings_pass_the_deployment_checklist(figures, tmp_path):
    started = time.monotonic()
    environment = {
        "PATH": os.environ["PATH"],
        **PRODUCTION,
        # `check` does not connect; a scratch file all the same, so that nothing real can be reached.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
    }
    if os.environ.get("REDIS_URL"):  # CI: the cache settings production runs with
        environment["REDIS_URL"] = os.environ["REDIS_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    summary = SUMMARY.search(output)
    assert summary, f"no summary from check --deploy:\n{output}"
    count = 0 if summary["count"] == "no" else int(summary["count"])
    findings = [f"{found['id']}: {found['message']}" for found in FINDING.finditer(output)]
    assert len(findings) == count, output
    figures.add("deploy.findings", count)
    for finding in findings:
        figures.note("deploy.findings", finding)
    figures.timed("deploy", time.monotonic() - started)
