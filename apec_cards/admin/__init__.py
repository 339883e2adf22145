"""Back office of the APEC Business Travel Cards: the office's queue of card applications with the
economies' pre-clearance answers, the card registry, and the economies.

Officers act; leaders and managers read (apec_cards.apps grants the permissions). Every change goes
through apec_cards.services, as from the portal and the API.
"""

from .applications import CardApplicationAdmin
from .cards import CardAdmin
from .economies import EconomyAdmin

__all__ = ["CardAdmin", "CardApplicationAdmin", "EconomyAdmin"]
