"""Celery tasks of training: rendering a certificate (once), the day-before reminders, the trainees' outbox."""

from celery import shared_task

from foreign_affairs.notifications import outbox
from foreign_affairs.tasking import RETRY_POLICY

from .models import TrainingMessage
from .services import certificate_failed, certificate_render, send_reminders


def _render_gave_up(task, error, task_id, args, kwargs, einfo) -> None:
    certificate_failed(certificate_id=args[0], error=error)


@shared_task(name="training.render_certificate", acks_late=True, **RETRY_POLICY, on_failure=_render_gave_up)
def render_certificate(certificate_id: int) -> str:
    """Render a certificate's PDF; a second run (redelivery, a retry) finds it rendered and does nothing."""
    return certificate_render(certificate_id=certificate_id).number


@shared_task(name="training.send_reminders")
def send_reminders_task() -> int:
    """Beat job (daily): the reminders of tomorrow's sessions."""
    return send_reminders()


@shared_task(name="training.deliver_message")
def deliver_message(message_id: int) -> bool:
    return outbox.deliver(TrainingMessage, message_id)


@shared_task(name="training.retry_messages")
def retry_messages() -> int:
    """Beat job (every 5 minutes): e-mails to trainees without an account that are still unsent."""
    return outbox.deliver_pending(TrainingMessage)
