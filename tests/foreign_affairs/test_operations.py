"""Operations: demo data, logging and `make run` (the container set-up: test_compose.py)."""

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from foreign_affairs.accounts.models import Membership, Organization, Person, User
from foreign_affairs.audit.models import AuditEvent
from tests.conftest import private_location
from tests.factories import OrganizationFactory

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)
    }


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_every_role(demo, settings, django_capture_on_commit_callbacks):
    """`demo` holds what seed_demo wrote once this session; running the real command again adds nothing."""
    counts = _row_counts()
    assert counts["accounts.User"] == 12 and counts["audit.AuditEvent"] > 0
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _row_counts() == counts
    roles = {user.username: sorted(user.roles) for user in User.objects.all()}
    assert roles == {
        "applicant": ["Applicant"],
        "liaison": ["Applicant", "Liaison"],
        "applicant2": ["Applicant", "Liaison"],
        "officer": ["Officer"],
        "officer2": ["Officer"],
        "leader": ["Leader"],
        "manager": ["Manager"],
        "admin": [],
        # Foreign organisations' offices in Henan opened through setting-up cases: each contact its liaison.
        "foreignrep": ["Applicant", "Liaison"],
        "jihoon.park@example.com": ["Applicant", "Liaison"],
        "kenji.sato@example.com": ["Applicant", "Liaison"],
        "rachel.lim@example.com": ["Applicant", "Liaison"],
    }
    assert User.objects.get(username="admin").is_superuser
    zhengzhou = Membership.objects.get(user__username="applicant").organization
    assert (zhengzhou.name_en, zhengzhou.ftz_area) == ("Zhengzhou Demo Trading Co., Ltd.", "zhengzhou")
    assert Membership.objects.get(user__username="applicant2").organization.ftz_area == "luoyang"
    # The demo accounts; the contacts of the other offices opened in the demo set their own password from
    # the invitation, as a real contact does.
    demo_accounts = User.objects.exclude(username__contains="@")
    assert all(user.check_password(settings.DEMO_PASSWORD) for user in demo_accounts)


@pytest.mark.django_db
def test_tests_without_the_demo_fixture_see_none_of_it():
    """The shared demo data (conftest.py `demo`) is written into the tests that ask for it only."""
    for model in (User, Organization, Person, AuditEvent):
        assert not model._base_manager.exists(), model
    assert not private_location().exists()


@pytest.mark.django_db
def test_rows_a_test_makes_around_the_demo_data_keep_ids_of_their_own(officer, demo):
    """`officer` is made before the demo data is written, the organisation after it."""
    organization = OrganizationFactory()
    assert (
        User.objects.count() == 13 and User.objects.filter(pk=officer.pk, username=officer.username).exists()
    )
    # 3 enterprises of the demo, 4 foreign organisations' offices with an account, and this one.
    assert Organization.objects.count() == 8 and Organization.objects.filter(pk=organization.pk).exists()


def test_logs_are_json_lines_in_production(capsys):
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
        )
    )
    logger = logging.getLogger("foreign_affairs.access.test")
    logger.addHandler(handler)
    logger.propagate = False
    logger.warning(
        "GET %s %s", "/healthz", 503, extra={"path": "/healthz", "status": 503, "duration_ms": 1.5}
    )
    record = json.loads(capsys.readouterr().out.strip())
    assert {
        "level": "WARNING",
        "logger": "foreign_affairs.access.test",
        "message": "GET /healthz 503",
        "path": "/healthz",
        "status": 503,
        "duration_ms": 1.5,
    }.items() <= record.items()


def test_settings_use_the_same_json_formatter():
    from django.conf import settings

    assert settings.LOGGING["formatters"]["json"]["()"] == "pythonjsonlogger.json.JsonFormatter"


# make run ------------------------------------------------------------------------------------------------

# Stands in for .venv/bin/python: notes each manage.py command with the environment it was given; the
# server stops after a second (with RUNSERVER_EXIT as its status), the periodic jobs run until they are
# sent SIGTERM or SIGINT.
FAKE_PYTHON = """#!/bin/sh
echo "$2 $3|DEBUG=$DEBUG|PORTAL_BASE_URL=$PORTAL_BASE_URL|PORTAL_LISTEN=$PORTAL_LISTEN" >> "$MAKE_RUN_LOG"
case "$2" in
  run_periodic) trap 'echo "run_periodic stopped" >> "$MAKE_RUN_LOG"; exit 0' TERM INT
                while :; do sleep 0.1; done ;;
  runserver) sleep 1; exit ${RUNSERVER_EXIT:-0} ;;
esac
"""


def make_run(tmp_path: Path, **environment) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`make run` with its recipe as written, the venv's python replaced by FAKE_PYTHON."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    (venv / ".installed-run").touch()  # newer than pyproject.toml: nothing to install
    log = tmp_path / "make-run.log"
    result = subprocess.run(
        # RUN_PACKAGES empty: no Debian package is looked for (or installed as root).
        ["make", "--no-print-directory", "run", f"VENV={venv}", "RUN_PACKAGES="],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "MAKE_RUN_LOG": str(log), **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, log.read_text().splitlines()


requires_make = pytest.mark.skipif(not shutil.which("make"), reason="needs GNU make")


@requires_make
def test_make_run_serves_on_port_with_links_there_and_the_periodic_jobs_beside_it(tmp_path):
    result, log = make_run(tmp_path, PORT="8202")
    assert result.returncode == 0, result.stdout + result.stderr
    environment = "DEBUG=true|PORTAL_BASE_URL=http://127.0.0.1:8202|PORTAL_LISTEN=127.0.0.1:8202"
    assert log[:2] == [f"migrate --noinput|{environment}", f"seed_demo |{environment}"]
    assert sorted(log[2:4]) == [f"run_periodic |{environment}", f"runserver 127.0.0.1:8202|{environment}"]
    assert log[4:] == ["run_periodic stopped"]  # stopped with the server, before make returns
    assert "Periodic jobs run in the background" in result.stdout


@requires_make
def test_make_run_keeps_a_base_url_and_debug_it_is_given(tmp_path):
    result, log = make_run(tmp_path, PORTAL_BASE_URL="https://demo.example.gov.cn", DEBUG="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {line.split("|", 1)[1] for line in log if "|" in line} == {
        "DEBUG=false|PORTAL_BASE_URL=https://demo.example.gov.cn|PORTAL_LISTEN=127.0.0.1:8000"
    }


@requires_make
def test_make_run_with_redis_leaves_the_periodic_jobs_to_celery_beat_and_says_so(tmp_path):
    result, log = make_run(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split("|")[0] for line in log] == [
        "migrate --noinput",
        "seed_demo ",
        "runserver 127.0.0.1:8000",
    ]
    assert "make worker" in result.stdout and "make beat" in result.stdout


@requires_make
def test_when_the_server_cannot_start_make_run_fails_and_stops_the_periodic_jobs(tmp_path):
    result, log = make_run(tmp_path, RUNSERVER_EXIT="1")  # e.g. the port is taken
    assert result.returncode != 0
    assert log[-1] == "run_periodic stopped"
