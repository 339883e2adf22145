"""Thin tasks of the travel applications: they take ids and call one service; all are safe to run twice."""

import logging

from celery import shared_task

from .reminders import send_reminders, send_report_and_passport_reminders
from .services import close_ended_disclosures, permit_failed, permit_issue

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="approvals.issue_permit", acks_late=True, max_retries=3)
def issue_permit(self, application_id: int) -> str:
    """Render the permit of an approved application (exactly once: see services.permit_issue).

    A failure is retried with back-off (1, 2, 4 minutes); after the last attempt the reason is kept on
    the application and the officers are told, so that someone looks.
    """
    try:
        permit = permit_issue(application_id=application_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.exception("permit failed", extra={"application": application_id})
            permit_failed(application_id=application_id, error=error)
            return "failed"
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
    return permit.number if permit else "waiting"


@shared_task(name="approvals.send_reminders", acks_late=True)
def send_reminders_task() -> int:
    """Beat job (daily, 09:00): overdue applications, post-trip reports and passports; each reminder once."""
    return send_reminders() + send_report_and_passport_reminders()


@shared_task(name="approvals.close_disclosures", acks_late=True)
def close_disclosures_task() -> int:
    """Beat job (hourly): public notices past their last day close, and their permits are issued."""
    return close_ended_disclosures()
