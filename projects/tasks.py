"""Celery tasks of cooperation projects (each safe to run twice)."""

from celery import shared_task

from foreign_affairs.tasking import RETRY_POLICY

from .services import interest


@shared_task(name="projects.deliver_interest_message", **RETRY_POLICY)
def deliver_interest_message(message_id: int) -> bool:
    """Send one acknowledgement to a visitor (services.interest.deliver); safe to run twice."""
    return interest.deliver(message_id)


@shared_task(name="projects.retry_interest_messages")
def retry_interest_messages() -> int:
    """The beat job: acknowledgements still unsent are sent again."""
    return interest.deliver_pending()
