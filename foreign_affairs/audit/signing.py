"""The audit keys: HMAC-SHA256 with a secret that lives in the environment, never in the database.

Someone who can write to the database but does not hold the key cannot produce a valid hash, so a
rewritten chain (rows changed, then every hash recomputed) no longer verifies. `AUDIT_HMAC_KEY` signs
new events and checkpoints; `AUDIT_HMAC_KEYS` holds earlier keys, kept only to verify what they signed.
Each event stores the id of its key, a fingerprint of the key itself, so that rotating needs no
configuration beyond moving the old key into `AUDIT_HMAC_KEYS`.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings


class UnknownKey(Exception):
    """An event or checkpoint names a key that is neither AUDIT_HMAC_KEY nor one of AUDIT_HMAC_KEYS."""


@dataclass(frozen=True, repr=False)
class AuditKey:
    id: str
    secret: bytes

    def __repr__(self):  # never the secret in a traceback or a log
        return f"AuditKey({self.id!r})"

    def mac(self, message: str) -> str:
        return hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()


def key_id_for(secret: str) -> str:
    """The public id of a key: 16 hex digits of a hash of it (domain-separated from the MACs)."""
    return hashlib.sha256(b"foreign_affairs.audit key id\x00" + secret.encode()).hexdigest()[:16]


def _key(secret: str) -> AuditKey:
    return AuditKey(key_id_for(secret), secret.encode())


def signing_key() -> AuditKey:
    """The key new events and checkpoints are signed with (AUDIT_HMAC_KEY)."""
    return _key(settings.AUDIT_HMAC_KEY)


def verification_keys() -> dict[str, AuditKey]:
    """Every key that may have signed something: the current one and the retired ones."""
    keys = [_key(secret) for secret in [settings.AUDIT_HMAC_KEY, *settings.AUDIT_HMAC_KEYS] if secret]
    return {key.id: key for key in keys}


def key_for(key_id: str) -> AuditKey:
    try:
        return verification_keys()[key_id]
    except KeyError:
        raise UnknownKey(key_id) from None


def macs_match(expected: str, actual: str) -> bool:
    return hmac.compare_digest(expected.encode(), actual.encode())
