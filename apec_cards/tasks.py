"""Thin tasks of the APEC cards: they take ids and call one service; all are safe to run twice."""

import logging

from celery import shared_task

from .services import expire_cards, letter_failed, letter_render, send_expiry_reminders

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="apec_cards.render_letter", acks_late=True, max_retries=3)
def render_letter(self, card_id: int) -> str:
    """Render a card's decision letter (once per version: see services.letter_render).

    A failure is retried with back-off (1, 2, 4 minutes); after the last attempt the reason is kept on
    the card and the officers are told.
    """
    try:
        card = letter_render(card_id=card_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.exception("decision letter failed", extra={"card": card_id})
            letter_failed(card_id=card_id, error=error)
            return "failed"
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
    return f"{card.number} v{card.letter_rendered_version}"


@shared_task(name="apec_cards.expire_cards", acks_late=True)
def expire_cards_task() -> int:
    """Beat job (daily, 00:10): valid cards past their expiry date expire."""
    return expire_cards()


@shared_task(name="apec_cards.send_expiry_reminders", acks_late=True)
def send_expiry_reminders_task() -> int:
    """Beat job (daily, 09:10): reminders six months and one month before a card expires."""
    return send_expiry_reminders()
