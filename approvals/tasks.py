"""Thin tasks of the travel applications."""

from celery import shared_task

from .reminders import send_reminders


@shared_task(name="approvals.send_reminders", acks_late=True)
def send_reminders_task() -> int:
    """Beat job (working days, 09:00): remind whoever must act on overdue applications; safe to run twice."""
    return send_reminders()
