"""Celery tasks of foreign organisations: thin, idempotent, calling services."""

from celery import shared_task

from foreign_affairs.tasking import RETRY_POLICY

from .services import annual, messages


@shared_task(name="foreign_offices.send_report_reminders")
def send_report_reminders() -> int:
    """Reminders of annual reports before and after the due date; each stage once per organisation."""
    return annual.send_reminders()


@shared_task(name="foreign_offices.deliver_case_message", **RETRY_POLICY)
def deliver_case_message(message_id: int) -> bool:
    """Send one e-mail to an enquirer (services.messages.deliver); safe to run twice."""
    return messages.deliver(message_id)


@shared_task(name="foreign_offices.retry_case_messages")
def retry_case_messages() -> int:
    """Send the enquirers' e-mails still pending (the mail server was down, or the first task was lost)."""
    return messages.deliver_pending()
