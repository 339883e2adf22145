"""The privacy API, under /api/v1/privacy/ (foreign_affairs.urls registers ROUTES as `privacy/<prefix>`):
access records (access.py) and a person's data (person_data.py)."""

from .access import PersonalDataAccessViewSet, UnusualAccessViewSet

ROUTES = [
    ("access", PersonalDataAccessViewSet, "privacy-access"),
    ("unusual-access", UnusualAccessViewSet, "privacy-unusual-access"),
]
