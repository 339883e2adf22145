"""Thin tasks of personal information: they call one service and are safe to run twice."""

from celery import shared_task

from .retention import apply


@shared_task(name="privacy.apply_retention", acks_late=True, soft_time_limit=1740, time_limit=1800)
def apply_retention() -> dict:
    """Beat job (daily, 03:40): the personal data past its retention period is purged, record by record,
    each with an audit event. A second run (a redelivered message) finds nothing more to purge."""
    summary = apply()
    return {"due": summary["due"], "purged": summary["purged"], "failed": summary["failed"]}
