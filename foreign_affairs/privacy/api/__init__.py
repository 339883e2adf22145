"""The privacy API, under /api/v1/privacy/ (foreign_affairs.urls registers ROUTES as `privacy/<prefix>`):
access records (access.py) and a person's data (person_data.py)."""

from .access import PersonalDataAccessViewSet, UnusualAccessViewSet
from .person_data import ROUTES as PERSON_DATA_ROUTES

ROUTES = [
    ("access", PersonalDataAccessViewSet, "privacy-access"),
    ("unusual-access", UnusualAccessViewSet, "privacy-unusual-access"),
    *PERSON_DATA_ROUTES,
]
