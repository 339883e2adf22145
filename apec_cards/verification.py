"""How a card's decision letter answers /verify/<code>/ (registered in apec_cards/area.py)."""

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from foreign_affairs.documents.verification import Verification, normalize_code
from foreign_affairs.typography import enumerate_items

from .models import Card
from .workflow import CardState


def card_status(card: Card, today=None) -> str:
    """ "valid", "expired" or "revoked" (lost, cancelled or replaced), as /verify/ shows it."""
    today = today or timezone.localdate()
    if card.state == CardState.ACTIVE:
        return "valid" if card.expires_on >= today else "expired"
    if card.state == CardState.EXPIRED:
        return "expired"
    return "revoked"


def card_verification(code: str) -> Verification | None:
    card = (
        Card.objects.select_related("organization")
        .prefetch_related("card_economies__economy")
        .filter(verification_code=normalize_code(code))
        .first()
    )
    if card is None:
        return None
    status = card_status(card)
    labels = {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("No longer valid")}
    notes = {
        "valid": _("The card was issued by the office and is valid."),
        "expired": _("The card has expired."),
        "revoked": _("The card is no longer valid: %(state)s.") % {"state": card.get_state_display()},
    }
    organization = card.organization
    economies = enumerate_items(row.economy.name for row in card.card_economies.all()) or "—"
    return Verification(
        kind=str(_("APEC Business Travel Card decision letter")),
        status=status,
        status_label=str(labels[status]),
        note=str(notes[status]),
        facts=[
            (_("Card number"), card.number),
            (
                _("Organisation"),
                organization.name_en
                if get_language() == "en" and organization.name_en
                else organization.name_zh,
            ),
            (_("Issued on"), formats.date_format(card.issued_on)),
            (_("Valid until"), formats.date_format(card.expires_on)),
            (_("Pre-cleared economies"), economies),
        ],
    )
