"""The API of foreign organisations, under /api/v1/foreign-offices/ (foreign_affairs.urls registers ROUTES)."""

ROUTES = []
