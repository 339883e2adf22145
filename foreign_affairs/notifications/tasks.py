"""Thin tasks: they take ids and call one service; both are safe to run twice."""

from celery import shared_task

from .services import due_notification_ids, notification_deliver


@shared_task(name="notifications.deliver", acks_late=True, max_retries=0)
def deliver(notification_id: int) -> str:
    notification = notification_deliver(notification_id=notification_id)
    return notification.status if notification else "skipped"


@shared_task(name="notifications.retry_pending", acks_late=True)
def retry_pending() -> int:
    """Beat job: send every e-mail whose next attempt is due (see CELERY_BEAT_SCHEDULE)."""
    ids = due_notification_ids()
    for notification_id in ids:
        deliver.delay(notification_id)
    return len(ids)
