"""The decision letter of a card: rendered by a Celery task, once per version of the card's economies."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from foreign_affairs.audit.services import record_event
from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.documents.qr import qr_svg_data_uri
from foreign_affairs.tasking import enqueue_on_commit

from .. import notifying
from ..models import Card, Decision, Economy, PreClearance

logger = logging.getLogger(__name__)


def enqueue_letter(card: Card) -> None:
    """Queue the letter task of the card after commit (apec_cards.tasks.render_letter)."""
    enqueue_on_commit("apec_cards.render_letter", card.pk)


def _letter_context(card: Card) -> dict:
    application = card.application
    on_card = {row.economy_id: row for row in card.card_economies.select_related("economy")}
    answers = {
        row.economy_id: row
        for row in PreClearance.objects.filter(application=application).select_related("economy")
    }
    pending = [row.economy for row in answers.values() if row.decision == Decision.PENDING]
    refused = [row for row in answers.values() if row.decision == Decision.REFUSED]
    return {
        "card": card,
        "application": application,
        "holder": card.holder,
        "organization": card.organization,
        "economies": sorted(on_card.values(), key=lambda row: (row.economy.position, row.economy_id)),
        "pending": sorted(pending, key=lambda economy: economy.position),
        "refused": sorted(refused, key=lambda row: row.economy.position),
        "transitional": Economy.objects.filter(participation="transitional"),
        "qr": qr_svg_data_uri(card.verify_url),
        "rendered_on": timezone.localdate(),
    }


def letter_render(*, card_id: int) -> Card:
    """Render the card's decision letter — once per `letter_version`.

    Locks the card row for the whole work, so two runs at once are one after the other and the second
    finds the letter current and does nothing. The file has a fixed name per card and is replaced, so a
    run killed half-way and redelivered leaves one file.
    """
    with transaction.atomic():
        card = (
            Card.objects.select_for_update(of=("self",))
            .select_related("application", "holder", "organization", "issued_by")
            .get(pk=card_id)
        )
        if card.letter_rendered_version >= card.letter_version and card.letter:
            return card
        logger.info("rendering decision letter", extra={"card": card.number, "version": card.letter_version})
        pdf = render_pdf("apec_cards/pdf/decision_letter.html", _letter_context(card))
        storage = private_storage()
        name = f"apec/letters/{card.issued_on:%Y}/{card.number}.pdf"
        if storage.exists(name):
            storage.delete(name)
        card.letter.name = storage.save(name, ContentFile(pdf))
        card.letter_sha256 = hashlib.sha256(pdf).hexdigest()
        card.letter_rendered_at = timezone.now()
        card.letter_rendered_version = card.letter_version
        card.letter_error = ""
        card.save()
        record_event(
            actor=None,
            action="card.letter",
            obj=card,
            data={"version": card.letter_version, "sha256": card.letter_sha256},
        )
    return card


def letter_failed(*, card_id: int, error: Exception) -> None:
    """The letter task gave up: keep the reason on the card for the officers, and tell them."""
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card_id)
        card.letter_error = f"{type(error).__name__}: {error}"[:1000]
        card.save(update_fields=["letter_error", "updated_at"])
        record_event(actor=None, action="card.letter_failed", obj=card, data={"error": card.letter_error})
        notifying.letter_failed(card)
