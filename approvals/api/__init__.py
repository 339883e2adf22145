"""REST API of area 1's travel journey."""

from .applications import TravelApplicationViewSet
from .custody import HandoverViewSet
from .notices import NoticeViewSet, ObjectionViewSet

__all__ = ["HandoverViewSet", "NoticeViewSet", "ObjectionViewSet", "TravelApplicationViewSet"]
