"""Sign-in throttling: after repeated failures for one username, further attempts are refused for a while.

Counted in the cache (Redis in production, so all web processes share it) by username, whatever the
address, because guessing one account's password is the attack that matters here; a correct password
does not reset the lock early, so the lock cannot be used to test guesses. The lock is enforced by the
authentication backend (accounts.backends.LockoutBackend), so every sign-in door goes through it; a
completed password reset (which proves the mailbox) lifts it.
"""

import hashlib

from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _key(username: str) -> str:
    # Hashed: the username is whatever a client sent (any length, any characters), and a cache key must
    # stay short and plain (memcached refuses spaces and control characters; Django warns of them).
    digest = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def failures(username: str) -> int:
    return cache.get(_key(username), 0)


def is_locked(username: str) -> bool:
    return failures(username) >= MAX_FAILURES


@receiver(user_login_failed)
def count_failure(sender, credentials, **kwargs):
    count(credentials.get("username", ""))


def count(username: str) -> None:
    """One more failed sign-in for `username` (a wrong password, or a wrong two-step code)."""
    key = _key(username)
    if cache.add(key, 1, timeout=LOCK_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=LOCK_SECONDS)


def clear(username: str) -> None:
    """Lift the lock: the user proved who they are another way (a completed password reset)."""
    cache.delete(_key(username))


LOCKED_MESSAGE = _("Too many failed sign-ins for this account. Wait 15 minutes, or reset your password.")
