"""Thin tasks of the APEC cards: they take ids and call one service; all are safe to run twice."""

from celery import shared_task

from foreign_affairs.tasking import RETRY_POLICY

from .services import expire_cards, letter_failed, letter_render, send_expiry_reminders


def _letter_gave_up(task, error, task_id, args, kwargs, einfo) -> None:
    """Celery's on_failure, after the last attempt: the reason is kept on the card and the officers are told."""
    letter_failed(card_id=args[0], error=error)


@shared_task(name="apec_cards.render_letter", acks_late=True, **RETRY_POLICY, on_failure=_letter_gave_up)
def render_letter(card_id: int) -> str:
    """Render a card's decision letter (once per version: see services.letter_render).

    A failure is retried by Celery (tasking.RETRY_POLICY: after 1, 2 and 4 minutes); the last one goes
    to `_letter_gave_up`.
    """
    card = letter_render(card_id=card_id)
    return f"{card.number} v{card.letter_rendered_version}"


@shared_task(name="apec_cards.expire_cards", acks_late=True)
def expire_cards_task() -> int:
    """Beat job (daily, 00:10): valid cards past their expiry date expire."""
    return expire_cards()


@shared_task(name="apec_cards.send_expiry_reminders", acks_late=True)
def send_expiry_reminders_task() -> int:
    """Beat job (daily, 09:10): reminders six months and one month before a card expires."""
    return send_expiry_reminders()
