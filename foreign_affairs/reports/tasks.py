"""Thin tasks of the reports: they take ids and call one service."""

from celery import shared_task

from .services import job_run, jobs_cleanup


@shared_task(name="reports.run_job", acks_late=True, soft_time_limit=540, time_limit=600)
def run_job(job_id: str) -> str:
    """Write one export (a worker killed half-way leaves it running; the redelivered task starts over)."""
    return job_run(job_id=job_id).state


@shared_task(name="reports.cleanup", acks_late=True)
def cleanup_task() -> int:
    """Beat job (daily, 03:15): exports kept past REPORT_RETENTION_DAYS are removed."""
    return jobs_cleanup()
