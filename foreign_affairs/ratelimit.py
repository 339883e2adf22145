"""A small per-client rate limit for public forms and pages (fixed window, counted in the shared cache).

DRF throttles the API; this covers the public pages outside it (permit verification, objections).
"""

import hashlib

from django.core.cache import cache


def client_key(request) -> str:
    """The client's address (the proxy's X-Forwarded-For when USE_X_FORWARDED_PROTO says one is in front)."""
    from django.conf import settings

    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.split(",")[0].strip() or address
    return hashlib.sha256(address.encode()).hexdigest()[:24]


def exceeded(request, scope: str, *, limit: int, seconds: int) -> bool:
    """Count this request; True once the client made more than `limit` in the current window."""
    key = f"ratelimit:{scope}:{client_key(request)}"
    if cache.add(key, 1, timeout=seconds):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=seconds)
        return False
