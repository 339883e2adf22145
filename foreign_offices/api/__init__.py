"""The API of foreign organisations, under /api/v1/foreign-offices/ (foreign_affairs.urls registers ROUTES)."""

from . import cases, changes, enquiries, organisations, reports

ROUTES = [*cases.ROUTES, *enquiries.ROUTES, *organisations.ROUTES, *reports.ROUTES, *changes.ROUTES]
