"""Browser pages of the APEC Business Travel Card (mounted at /apec/): the public guide and self-check
(guide.py), the organisation's applications (applications.py) and cards (cards.py).

Enterprise users see their own organisation's applications and cards only (scope_for_user); anything
else answers 404. The office's own work is in the back office (apec_cards.admin).
"""

from .applications import (
    application_create,
    application_detail,
    application_edit,
    application_list,
    application_transition,
    attachment_add,
    attachment_remove,
)
from .cards import card_detail, card_letter, card_list, card_transition
from .guide import eligibility, guide

__all__ = [
    "application_create",
    "application_detail",
    "application_edit",
    "application_list",
    "application_transition",
    "attachment_add",
    "attachment_remove",
    "card_detail",
    "card_letter",
    "card_list",
    "card_transition",
    "eligibility",
    "guide",
]
