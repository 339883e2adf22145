"""Celery tasks of overseas safety: thin, idempotent, calling services."""

from celery import shared_task

from foreign_affairs.tasking import RETRY_POLICY

from .services import alerts, incidents


@shared_task(name="overseas_safety.escalate_unacknowledged")
def escalate_unacknowledged() -> int:
    return incidents.escalate_unacknowledged()


# An alert to a country with thousands of people abroad renders thousands of messages: longer limits
# than the default. A run cut short (time limit, lost worker) is redelivered or retried and carries on
# where the last committed batch ended; nobody is told twice (services.alerts.alert_deliver).
@shared_task(
    name="overseas_safety.deliver_alert",
    acks_late=True,
    time_limit=1800,
    soft_time_limit=1700,
    **RETRY_POLICY,
)
def deliver_alert(alert_id: int) -> int:
    """Send a safety alert to everyone it concerns (services.alerts.alert_deliver); safe to run twice."""
    return alerts.alert_deliver(alert_id)
