"""A real Celery worker runs an export of 20 000 applications: the job's progress moves in between, as the
page's progress bar shows it, and the file holds every row."""

import time

import pytest
from django.core.management import call_command

from approvals.models import TravelApplication
from foreign_affairs.accounts.roles import Role
from foreign_affairs.reports import services, tasks
from foreign_affairs.reports.models import JobState, ReportJob
from tests.conftest import requires_services
from tests.factories import office_user


@requires_services
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_reports_progress_while_it_exports(settings, monkeypatch, celery_worker_process, tmp_path):
    import io

    call_command("seed_bulk", "--applications", "20000", stdout=io.StringIO())
    manager = office_user(Role.MANAGER)
    private = tmp_path / "private"
    worker = celery_worker_process(PRIVATE_MEDIA_ROOT=str(private))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from foreign_affairs.celery import app

    filters = {"preset": "last_12_months"}
    expected = services.REPORTS["travel_approvals"].count(services.filters_from(filters))
    assert expected > 5000
    with app.connection_for_write(worker.redis_url) as connection:
        monkeypatch.setattr(
            tasks.run_job, "delay", lambda job_id: tasks.run_job.apply_async([job_id], connection=connection)
        )
        job = services.job_start(actor=manager, report="travel_approvals", format="xlsx", filters=filters)
        seen, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            state, progress = ReportJob.objects.filter(pk=job.pk).values_list("state", "progress").get()
            seen.append(progress)
            if state in (JobState.DONE, JobState.FAILED):
                break
            time.sleep(0.02)
    job.refresh_from_db()
    assert job.state == JobState.DONE, (job.error, worker.output()[-3000:])
    assert seen == sorted(seen), "progress only moves forward"
    assert [value for value in set(seen) if 0 < value < 100], (
        f"no progress seen between 0 and 100: {sorted(set(seen))}"
    )
    assert job.rows == expected and job.progress == 100
    assert TravelApplication.objects.count() == 20000
