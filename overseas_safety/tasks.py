"""Celery tasks of overseas safety: thin, idempotent, calling services."""

from celery import shared_task

from .services import incidents


@shared_task(name="overseas_safety.escalate_unacknowledged")
def escalate_unacknowledged() -> int:
    return incidents.escalate_unacknowledged()
