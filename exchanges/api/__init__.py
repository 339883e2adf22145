"""The API of exchanges, under /api/v1/exchanges/ (foreign_affairs.urls registers ROUTES as
`exchanges/<prefix>`): activities, journalists' interview requests, friendship cities and overseas-Chinese
contacts, one module each; their serializers and filters beside them."""

from .activities import ActivityViewSet
from .cities import FriendshipCityViewSet
from .contacts import ContactViewSet
from .media import MediaRequestViewSet

ROUTES = [
    ("activities", ActivityViewSet, "exchange-activity"),
    ("media-requests", MediaRequestViewSet, "exchange-media-request"),
    ("friendship-cities", FriendshipCityViewSet, "exchange-friendship-city"),
    ("contacts", ContactViewSet, "exchange-contact"),
]
