"""The API of cooperation projects, under /api/v1/projects/ (foreign_affairs.urls registers ROUTES)."""

ROUTES = []
