from .applications import AttachmentKind, CardApplication, CardAttachment, Counter, Decision, PreClearance
from .cards import Card, CardEconomy
from .economies import Economy, Participation

__all__ = [
    "AttachmentKind",
    "Card",
    "CardApplication",
    "CardAttachment",
    "CardEconomy",
    "Counter",
    "Decision",
    "Economy",
    "Participation",
    "PreClearance",
]
