"""Who is asking, for every rate limit, and a small per-client limit for the public pages.

`client_address(request)` is the one answer to "which client sent this?" for every limit: the portal's
own (below: permit verification, objections, password reset) and the API's throttles
(foreign_affairs.api.throttling). X-Forwarded-For is a header anyone can send, so it is believed only
when the request comes from a proxy listed in TRUSTED_PROXIES (addresses or networks; none by default),
and then only the entries those proxies appended: the address is the right-most entry that is not
itself a trusted proxy. A forged header from a client therefore changes nothing.
"""

import hashlib
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or behind trusted proxies the address they saw."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop
        address = hop
    return address


def client_key(request) -> str:
    """The client's address as a cache key (hashed: no addresses in the cache)."""
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:24]


def exceeded(request, scope: str, *, limit: int, seconds: int, key: str = "") -> bool:
    """Count this request; True once the client (or `key`, e.g. an e-mail address) made more than `limit`
    in the current window of `seconds`."""
    subject = hashlib.sha256(key.encode()).hexdigest()[:24] if key else client_key(request)
    cache_key = f"ratelimit:{scope}:{subject}"
    if cache.add(cache_key, 1, timeout=seconds):
        return False
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # the window ended between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        return False
