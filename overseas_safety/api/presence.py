"""API of overseas safety under /api/v1/safety/: presence (being built). ROUTES: (prefix, viewset, basename)."""

ROUTES = []
