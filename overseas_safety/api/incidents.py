"""API of overseas safety under /api/v1/safety/: incidents (being built). ROUTES: (prefix, viewset, basename)."""

ROUTES = []
