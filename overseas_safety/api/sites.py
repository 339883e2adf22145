"""API of overseas safety under /api/v1/safety/: sites (being built). ROUTES: (prefix, viewset, basename)."""

ROUTES = []
