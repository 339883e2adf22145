"""Thin tasks of the travel applications: they take ids and call one service; all are safe to run twice."""

from celery import shared_task

from foreign_affairs.tasking import RETRY_POLICY

from .reminders import send_reminders, send_report_and_passport_reminders
from .services import close_ended_disclosures, permit_failed, permit_issue


def _permit_gave_up(task, error, task_id, args, kwargs, einfo) -> None:
    """Celery's on_failure, after the last attempt: the reason is kept on the application and the
    officers are told, so that someone looks."""
    permit_failed(application_id=args[0], error=error)


@shared_task(name="approvals.issue_permit", acks_late=True, **RETRY_POLICY, on_failure=_permit_gave_up)
def issue_permit(application_id: int) -> str:
    """Render the permit of an approved application (exactly once: see services.permit_issue).

    A failure is retried by Celery (tasking.RETRY_POLICY: after 1, 2 and 4 minutes); the last one goes
    to `_permit_gave_up`.
    """
    permit = permit_issue(application_id=application_id)
    return permit.number if permit else "waiting"


@shared_task(name="approvals.send_reminders", acks_late=True)
def send_reminders_task() -> int:
    """Beat job (daily, 09:00): overdue applications, post-trip reports and passports; each reminder once."""
    return send_reminders() + send_report_and_passport_reminders()


@shared_task(name="approvals.close_disclosures", acks_late=True)
def close_disclosures_task() -> int:
    """Beat job (hourly): public notices past their last day close, and their permits are issued."""
    return close_ended_disclosures()
