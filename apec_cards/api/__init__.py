from .applications import CardApplicationViewSet, EconomyViewSet
from .cards import CardViewSet

__all__ = ["CardApplicationViewSet", "CardViewSet", "EconomyViewSet"]
