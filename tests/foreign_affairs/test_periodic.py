"""The periodic jobs in the embedded default: `manage.py run_periodic` runs the Celery beat schedule in-process
(each job once per due time, crontabs in TIME_ZONE, a failing job logged and the loop going on)."""

import logging
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from foreign_affairs.areas.management.commands import run_periodic
from foreign_affairs.areas.management.commands.run_periodic import InProcessScheduler
from foreign_affairs.celery import app as celery_app

# The jobs run between database connection checks (as in a worker), which need the database.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
COUNT, FAIL = "tests.periodic.count", "tests.periodic.fail"


@pytest.fixture(autouse=True)
def _tasks_imported():
    """The tasks modules imported before the test (importing them runs django.setup() again, through
    Celery's Django fixup, which configures logging afresh and would unhook caplog)."""
    celery_app.loader.import_default_modules()


@pytest.fixture
def runs():
    """Two tasks registered for the test: one notes when it ran (local time), one fails."""
    ran = []

    def count(label="count"):
        ran.append((label, timezone.localtime()))

    def fail():
        ran.append(("fail", timezone.localtime()))
        raise RuntimeError("the job broke")

    celery_app.task(name=COUNT, shared=False)(count)
    celery_app.task(name=FAIL, shared=False)(fail)
    yield ran
    for name in (COUNT, FAIL):
        celery_app.tasks.pop(name, None)


def scheduler(tmp_path, entries=None) -> InProcessScheduler:
    return InProcessScheduler(celery_app, schedule_filename=str(tmp_path / "schedule"), entries=entries)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_crontab_job_runs_once_per_due_time(tmp_path, runs):
    with time_machine.travel(local(2026, 3, 10, 10, 0), tick=False) as clock:
        jobs = scheduler(tmp_path, {"hourly": {"task": COUNT, "schedule": crontab(minute=5)}})
        assert jobs.run_due() > 0 and runs == []
        clock.move_to(local(2026, 3, 10, 10, 5, 0, 500_000))
        jobs.run_due()
        jobs.run_due()
        clock.move_to(local(2026, 3, 10, 10, 40))
        jobs.run_due()
        assert [when.strftime("%H:%M") for _, when in runs] == ["10:05"]
        clock.move_to(local(2026, 3, 10, 11, 5, 1))
        jobs.run_due()
        jobs.run_due()
        jobs.close()
    assert [when.strftime("%H:%M") for _, when in runs] == ["10:05", "11:05"]


def test_an_interval_job_runs_once_per_interval(tmp_path, runs):
    start = local(2026, 3, 10, 10, 0)
    with time_machine.travel(start, tick=False) as clock:
        jobs = scheduler(tmp_path, {"every-minute": {"task": COUNT, "schedule": 60}})
        for seconds in (0, 30, 59):
            clock.move_to(start + timedelta(seconds=seconds))
            jobs.run_due()
        assert runs == []
        for seconds in (60.5, 61, 90, 121, 121.5, 150):
            clock.move_to(start + timedelta(seconds=seconds))
            jobs.run_due()
        jobs.close()
    assert [when.strftime("%H:%M:%S") for _, when in runs] == ["10:01:00", "10:02:01"]


def test_crontab_hours_are_in_the_portals_time_zone(tmp_path, runs, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai" and str(celery_app.timezone) == "Asia/Shanghai"
    with time_machine.travel(datetime(2026, 3, 10, 3, 0, tzinfo=UTC), tick=False) as clock:
        jobs = scheduler(tmp_path, {"nightly": {"task": COUNT, "schedule": crontab(hour=3, minute=15)}})
        clock.move_to(datetime(2026, 3, 10, 3, 15, 30, tzinfo=UTC))  # 11:15 in Zhengzhou
        jobs.run_due()
        assert runs == []
        clock.move_to(datetime(2026, 3, 10, 19, 15, 30, tzinfo=UTC))  # 03:15 the next morning
        jobs.run_due()
        jobs.close()
    assert [when.isoformat(timespec="minutes") for _, when in runs] == ["2026-03-11T03:15+08:00"]


def test_a_failing_job_is_logged_and_the_others_go_on(tmp_path, runs, caplog):
    caplog.set_level(logging.INFO, logger="foreign_affairs.periodic")
    start = local(2026, 3, 10, 10, 0)
    with time_machine.travel(start, tick=False) as clock:
        jobs = scheduler(
            tmp_path,
            {"broken": {"task": FAIL, "schedule": 60}, "working": {"task": COUNT, "schedule": 60}},
        )
        for seconds in (61, 122):
            clock.move_to(start + timedelta(seconds=seconds))
            jobs.run_due()
        jobs.close()
    assert Counter(label for label, _ in runs) == {"fail": 2, "count": 2}
    failed = [record for record in caplog.records if record.levelno == logging.ERROR]
    # The durations are measured on the real clock: only their form is known.
    assert [_seconds_as_n(record.getMessage()) for record in failed] == [
        "Periodic job broken (tests.periodic.fail) failed after N s; it runs again when next due."
    ] * 2
    assert all("the job broke" in str(record.exc_info[1]) for record in failed)
    done = [_seconds_as_n(record.getMessage()) for record in caplog.records if record.levelno == logging.INFO]
    assert done == ["Periodic job working (tests.periodic.count) done in N s."] * 2


def _seconds_as_n(message: str) -> str:
    return re.sub(r"\d+\.\d s\b", "N s", message)


def test_a_job_whose_task_is_not_registered_fails_alone(tmp_path, runs):
    start = local(2026, 3, 10, 10, 0)
    with time_machine.travel(start, tick=False) as clock:
        jobs = scheduler(
            tmp_path,
            {
                "unknown": {"task": "tests.periodic.no_such_task", "schedule": 60},
                "working": {"task": COUNT, "schedule": 60},
            },
        )
        assert jobs.run(jobs.schedule["unknown"]) is False
        clock.move_to(start + timedelta(seconds=61))
        jobs.run_due()
        jobs.close()
    assert [label for label, _ in runs] == ["count"]


def test_the_schedule_file_keeps_each_due_time_across_restarts(tmp_path, runs):
    entries = {"hourly": {"task": COUNT, "schedule": crontab(minute=5)}}
    with time_machine.travel(local(2026, 3, 10, 10, 0), tick=False) as clock:
        jobs = scheduler(tmp_path, entries)
        clock.move_to(local(2026, 3, 10, 10, 5, 1))
        jobs.run_due()
        jobs.close()
        # Stopped and started again within the hour: the 10:05 run is not repeated.
        clock.move_to(local(2026, 3, 10, 10, 20))
        jobs = scheduler(tmp_path, entries)
        jobs.run_due()
        jobs.close()
        assert len(runs) == 1
        # Stopped over 11:05 and 12:05: what fell due meanwhile runs once, at the start.
        clock.move_to(local(2026, 3, 10, 12, 30))
        jobs = scheduler(tmp_path, entries)
        jobs.run_due()
        jobs.run_due()
        jobs.close()
    assert [when.strftime("%H:%M") for _, when in runs] == ["10:05", "12:30"]


class CountingTask:
    """Stands in for every registered task of the real schedule: notes which ran, and when."""

    max_retries = 3
    autoretry_for = ()

    def __init__(self, name, ran):
        self.name, self.ran = name, ran

    def apply(self, args=(), kwargs=None, *, throw=False, **options):
        self.ran.append((self.name, timezone.localtime()))


def test_the_command_runs_the_real_schedule_and_stops_on_sigterm(tmp_path, monkeypatch, caplog):
    """The whole command in this process, on the app's own beat schedule (shared and areas' jobs), the
    clock moved on by each sleep; SIGTERM ends it."""
    caplog.set_level(logging.INFO, logger="foreign_affairs.periodic")
    ran = []
    monkeypatch.setattr(run_periodic, "registered_task", lambda name: CountingTask(name, ran))
    end = local(2026, 3, 10, 9, 6, 10)  # a Tuesday
    handler = signal.getsignal(signal.SIGTERM)

    with time_machine.travel(local(2026, 3, 10, 8, 58), tick=False) as clock:

        def sleep(seconds, *, until):
            assert 0 < seconds <= InProcessScheduler.max_interval
            clock.shift(seconds)
            if timezone.now() >= end:
                signal.raise_signal(signal.SIGTERM)

        monkeypatch.setattr(run_periodic, "_sleep", sleep)
        call_command("run_periodic", schedule=str(tmp_path / "schedule"))

    times = {}
    for name, when in ran:
        times.setdefault(name, []).append(when.strftime("%H:%M"))
    every_minute = ["08:59", "09:00", "09:01", "09:02", "09:03", "09:04", "09:05", "09:06"]
    assert times == {
        "notifications.retry_pending": every_minute,
        "overseas_safety.escalate_unacknowledged": every_minute,
        "foreign_offices.retry_case_messages": ["09:00", "09:05"],
        "projects.retry_interest_messages": ["09:00", "09:05"],
        "exchanges.retry_media_messages": ["09:00", "09:05"],
        "training.retry_messages": ["09:00", "09:05"],
        "training.send_reminders": ["09:00"],
        "approvals.send_reminders": ["09:00"],
        "approvals.close_disclosures": ["09:05"],
    }
    messages = [record.getMessage() for record in caplog.records]
    assert "approvals-close-disclosures" in messages[0] and "apec-cards-expire" in messages[0]
    assert "Periodic jobs: SIGTERM received, stopping." in messages
    assert messages[-1] == "Periodic jobs stopped."
    assert signal.getsignal(signal.SIGTERM) == handler  # given back


def test_the_scheduler_knows_every_job_of_the_beat_schedule(tmp_path):
    jobs = scheduler(tmp_path)
    assert set(jobs.schedule) == set(celery_app.conf.beat_schedule)
    assert {"approvals-close-disclosures", "apec-cards-expire", "notifications-retry-pending"} <= set(
        jobs.schedule
    )
    jobs.close()


def test_with_a_broker_the_command_leaves_the_jobs_to_celery_beat(settings, tmp_path):
    # Through the settings, which the Celery app reads live: writing to celery_app.conf would leave the
    # value pinned there after the test (monkeypatch restores by writing it back), and later tests that
    # turn eager mode off for a real worker would run their tasks in-process instead.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError, match="make beat"):
        call_command("run_periodic", schedule=str(tmp_path / "schedule"))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_command_stops_cleanly_on_a_signal(tmp_path, stop):
    """As `make run` starts and stops it: in the background, then a signal."""
    environment = {
        "PATH": os.environ["PATH"],
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
        "LOG_FORMAT": "text",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_periodic", "--schedule", str(tmp_path / "schedule")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = process.stdout.readline()
        assert "Periodic jobs run in this process (times in Asia/Shanghai)" in started, started
        process.send_signal(stop)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, output
    assert f"{stop.name} received, stopping." in output and "Periodic jobs stopped." in output
    assert "Traceback" not in output
