"""Writes to card applications and cards. Every path — pages, back office, API, commands, tasks — goes
through these functions."""

from .applications import (
    APPLICATION_FIELDS,
    CONDITION_ERRORS,
    application_assign,
    application_create,
    application_transition,
    application_update,
    attachment_add,
    attachment_remove,
    available_transitions,
    current_card,
    next_reference,
    precheck,
)
from .cards import (
    USER_CARD_TRANSITIONS,
    available_card_transitions,
    card_add_economy,
    card_issue,
    card_transition,
    expire_cards,
    send_expiry_reminders,
)
from .economies import economy_update
from .letters import enqueue_letter, letter_failed, letter_render
from .preclearance import preclearance_record

__all__ = [
    "APPLICATION_FIELDS",
    "CONDITION_ERRORS",
    "USER_CARD_TRANSITIONS",
    "application_assign",
    "application_create",
    "application_transition",
    "application_update",
    "attachment_add",
    "attachment_remove",
    "available_card_transitions",
    "available_transitions",
    "card_add_economy",
    "card_issue",
    "card_transition",
    "current_card",
    "economy_update",
    "enqueue_letter",
    "expire_cards",
    "letter_failed",
    "letter_render",
    "next_reference",
    "precheck",
    "preclearance_record",
    "send_expiry_reminders",
]
