"""The API of overseas safety, under /api/v1/safety/ (foreign_affairs.urls registers ROUTES)."""

from . import alerts, incidents, presence, sites

ROUTES = [*sites.ROUTES, *incidents.ROUTES, *presence.ROUTES, *alerts.ROUTES]
