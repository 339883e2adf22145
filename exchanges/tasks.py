"""Celery tasks of exchanges (each safe to run twice)."""

from celery import shared_task

from foreign_affairs.notifications import outbox
from foreign_affairs.tasking import RETRY_POLICY

from .models import MediaMessage


@shared_task(name="exchanges.deliver_media_message", **RETRY_POLICY)
def deliver_media_message(message_id: int) -> bool:
    """Send one e-mail to a journalist; safe to run twice (a sent message is not sent again)."""
    return outbox.deliver(MediaMessage, message_id)


@shared_task(name="exchanges.retry_media_messages")
def retry_media_messages() -> int:
    """The beat job: e-mails to journalists still unsent are sent again."""
    return outbox.deliver_pending(MediaMessage)
