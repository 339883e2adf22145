"""Starting, running and cleaning up report exports. Pages, the API and the tests all come through here."""

import logging
import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.db_router import reading_reports
from foreign_affairs.notifications.services import notify
from foreign_affairs.tasking import enqueue

from .exporters import EXPORTERS, personal
from .filters import filters_from
from .models import Format, JobState, ReportJob
from .registry import REPORTS

logger = logging.getLogger(__name__)
EXPORT_ROLES = (Role.MANAGER, Role.OFFICER, Role.LEADER)


def may_use_reports(user) -> bool:
    """Managers and office staff (officers, leaders) see the dashboard and export reports."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser or (user.is_office_staff and any(user.has_role(role) for role in EXPORT_ROLES))
        )
    )


def job_start(*, actor, report: str, format: str, filters: dict | None = None) -> ReportJob:
    """Queue an export of `report` as `format` for the period and area in `filters` (checked here)."""
    if not may_use_reports(actor):
        raise PermissionDenied(_("Only managers and office staff export reports."))
    errors = {}
    if report not in REPORTS:
        errors["report"] = _("Choose one of the reports: %(names)s.") % {"names": ", ".join(sorted(REPORTS))}
    if format not in Format.values:
        errors["format"] = _("Choose PDF, CSV or XLSX.")
    if errors:
        raise ValidationError(errors)
    normalized = filters_from(filters or {}).as_dict()
    with transaction.atomic():
        job = ReportJob.objects.create(created_by=actor, report=report, format=format, filters=normalized)
        record_event(
            actor=actor,
            action="report.export",
            obj=job,
            data={"report": report, "format": format, **normalized},
        )
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id) -> None:
    # A function of its own: the browser test of the reports replaces it to hold the job back.
    enqueue("reports.run_job", str(job_id))


def _set_progress(job_id, percent: int) -> None:
    """Written at once (outside any transaction), so that the page polling the job sees it move."""
    ReportJob.objects.filter(pk=job_id, state=JobState.RUNNING, progress__lt=percent).update(
        progress=min(percent, 99)
    )


def job_run(*, job_id) -> ReportJob:
    """Write the job's file. A job already finished is left alone; a job found running (its worker died and
    the task was delivered again) starts over and replaces the file. Failures are kept on the job."""
    claimed = ReportJob.objects.filter(pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING, progress=0, started_at=timezone.now(), error=""
    )
    job = ReportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    ReportJob.objects.filter(pk=job_id).update(attempts=F("attempts") + 1)
    definition = REPORTS[job.report]
    filters = filters_from(job.filters)
    last = {"percent": 0}

    def progress(percent: int) -> None:
        percent = int(percent)
        if percent > last["percent"]:
            last["percent"] = percent
            _set_progress(job_id, percent)

    try:
        with tempfile.TemporaryFile() as handle, translation.override(job.created_by.preferred_language):
            # The rows are read on the replica, when there is one (foreign_affairs.db_router); the job's
            # own rows (progress, state) are written and read back on the primary.
            with reading_reports():
                rows = EXPORTERS[job.format](definition, filters, handle, progress)
            # The size of the export as downloaded: the stored file is encrypted (privacy.storage), so
            # the plain file is measured before it is saved.
            size = handle.seek(0, os.SEEK_END)
            handle.seek(0)
            name = f"reports/{job.pk}.{job.format}"
            storage = job.file.storage
            if storage.exists(name):
                storage.delete(name)
            stored = storage.save(name, File(handle, name=name))
    except Exception as error:
        logger.exception("report export failed", extra={"job": str(job_id), "report": job.report})
        return job_failed(job_id=job_id, error=error)
    now = timezone.now()
    ReportJob.objects.filter(pk=job_id).update(
        state=JobState.DONE,
        progress=100,
        file=stored,
        size=size,
        rows=rows,
        finished_at=now,
        expires_at=now + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    job.refresh_from_db()
    personal.record_written(job, definition)
    _tell(job)
    return job


def job_failed(*, job_id, error: Exception) -> ReportJob:
    message = str(error) or type(error).__name__
    ReportJob.objects.filter(pk=job_id).update(
        state=JobState.FAILED,
        error=f"{type(error).__name__}: {message}"[:1000],
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    job = ReportJob.objects.select_related("created_by").get(pk=job_id)
    _tell(job)
    return job


def _tell(job: ReportJob) -> None:
    notify(
        recipient=job.created_by,
        template="reports/job",
        context={"job": job, "title": REPORTS[job.report].title if job.report in REPORTS else job.report},
        link=job.get_absolute_url(),
        channels=("in_app",),
        key=f"report-job:{job.pk}:{job.state}",
    )


def jobs_cleanup(*, now=None) -> int:
    """Beat job: remove the exports (files and rows) kept past their date. Safe to run twice."""
    now = now or timezone.now()
    removed = 0
    for job in ReportJob.objects.filter(expires_at__lt=now):
        if job.file:
            job.file.storage.delete(job.file.name)
        job.delete()
        removed += 1
    return removed
