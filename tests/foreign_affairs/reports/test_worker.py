"""A real Celery worker runs an export: the job's progress, written as the export goes, is seen from another
connection (as the page's progress bar sees it) while the job still runs, and the file holds every row.

The test does not race the worker. While the test holds an advisory lock, a trigger on the jobs' table makes
the worker's next write to its job after its first progress report wait, so however fast the export runs,
the job stays running with that progress until the test has seen it."""

import io
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from approvals.models import TravelApplication
from foreign_affairs.accounts.roles import Role
from foreign_affairs.reports import services, tasks
from foreign_affairs.reports.exporters import xlsx
from foreign_affairs.reports.models import JobState, ReportJob
from tests.conftest import requires_services
from tests.factories import office_user

APPLICATIONS = 3000  # seed_bulk spreads them over two years; the period below holds nearly all of them
HOLD = 7_310_001  # the advisory lock's key (advisory locks are per database: each test database has its own)


@contextmanager
def held_after_first_progress():
    """While the block runs, a report job's first write after its progress became non-zero (the next
    progress or the end) waits for this connection's advisory lock."""
    table, running = ReportJob._meta.db_table, JobState.RUNNING.value
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE OR REPLACE FUNCTION test_hold_report_job() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.state = '{running}' AND OLD.progress > 0 THEN
                    PERFORM pg_advisory_xact_lock_shared({HOLD});
                END IF;
                RETURN NEW;
            END $$"""
        )
        cursor.execute(
            f"CREATE TRIGGER test_hold_report_job BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION test_hold_report_job()"
        )
        cursor.execute("SELECT pg_advisory_lock(%s)", [HOLD])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")  # first: the worker may be waiting for it
            cursor.execute(f"DROP TRIGGER IF EXISTS test_hold_report_job ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS test_hold_report_job()")


def worker_is_held() -> bool:
    """Whether a write waits for the lock (advisory lock keys below 2**32 are objid, classid 0)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database() "
            "AND l.classid = 0 AND l.objid = %s AND l.objsubid = 1)",
            [HOLD],
        )
        return cursor.fetchone()[0]


@requires_services
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_reports_progress_while_it_exports(settings, monkeypatch, celery_worker_process, tmp_path):
    call_command("seed_bulk", "--applications", str(APPLICATIONS), stdout=io.StringIO())
    manager = office_user(Role.MANAGER)
    private = tmp_path / "private"
    worker = celery_worker_process(PRIVATE_MEDIA_ROOT=str(private))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from foreign_affairs.celery import app

    # Celery read its configuration once: an eager run here, in this connection, would not wait for the lock.
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    today = timezone.localdate()
    filters = {"date_from": (today - timedelta(days=729)).isoformat(), "date_to": today.isoformat()}
    expected = services.REPORTS["travel_approvals"].count(services.filters_from(filters))
    assert expected > xlsx.PROGRESS_EVERY, "the XLSX exporter reports progress every PROGRESS_EVERY rows"
    with app.connection_for_write(worker.redis_url) as broker, held_after_first_progress():
        monkeypatch.setattr(
            tasks.run_job, "delay", lambda job_id: tasks.run_job.apply_async([job_id], connection=broker)
        )
        job = services.job_start(actor=manager, report="travel_approvals", format="xlsx", filters=filters)
        seen, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            state, progress = ReportJob.objects.filter(pk=job.pk).values_list("state", "progress").get()
            seen.append(progress)
            if state in (JobState.DONE, JobState.FAILED) or (state == JobState.RUNNING and progress > 0):
                break
            if worker_is_held():  # it is past its first progress report, yet none is visible here
                break
            time.sleep(0.02)
        # The worker's next write waits for the lock until the block ends: the job cannot have moved on.
        halfway = (state, progress)
    worker.wait_for(
        lambda: ReportJob.objects.filter(pk=job.pk, state__in=[JobState.DONE, JobState.FAILED]).exists(),
        timeout=120,
        message="the export finished",
    )
    job.refresh_from_db()
    assert job.state == JobState.DONE, (job.error, worker.output()[-3000:])
    assert halfway[0] == JobState.RUNNING and 0 < halfway[1] < 100, (
        f"no progress seen while the export ran: the job was {halfway} (progress seen: {sorted(set(seen))})"
    )
    assert seen == sorted(seen), "progress only moves forward"
    assert job.rows == expected and job.progress == 100
    assert TravelApplication.objects.count() == APPLICATIONS
