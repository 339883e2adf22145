"""Encryption of personal data at rest: Fernet (AES-128-CBC with an HMAC-SHA256, from the maintained
`cryptography` library) under a key ring, and a keyed hash (the blind index) for exact lookups.

Keys come from the environment (settings.PERSONAL_DATA_KEYS), never from the database or its backups:
the first key encrypts, every key decrypts (MultiFernet), so a key is rotated by putting a new one in
front and running `manage.py personal_data_rekey`, which re-encrypts every value and file under it; the
old key can then be dropped. The blind index is an HMAC-SHA256 with its own key
(settings.PERSONAL_DATA_INDEX_KEY), so that knowing a hash says nothing without the key, and changing
that key means recomputing the indexes (the same command does).
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Every Fernet token starts with these bytes (version 0x80 and a timestamp's high zero bytes): what is
# stored without them is a value written before encryption was switched on, read as it is.
TOKEN_PREFIX = b"gAAAAA"
INDEX_LENGTH = 32  # hex digits of the HMAC kept: 128 bits


class DecryptionError(Exception):
    """A stored value that none of the keys opens: a key was removed before re-encrypting."""


@lru_cache(maxsize=1)
def _ring() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.PERSONAL_DATA_KEYS])


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    return settings.PERSONAL_DATA_INDEX_KEY.encode()


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"PERSONAL_DATA_KEYS", "PERSONAL_DATA_INDEX_KEY"}:
        _ring.cache_clear()
        _index_key.cache_clear()


def is_encrypted(data: bytes) -> bool:
    return data[: len(TOKEN_PREFIX)] == TOKEN_PREFIX


def encrypt_bytes(data: bytes) -> bytes:
    return _ring().encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    """The plain bytes of `data`; bytes stored before encryption are returned as they are."""
    if not is_encrypted(data):
        return data
    try:
        return _ring().decrypt(data)
    except InvalidToken as error:
        raise DecryptionError("No key in PERSONAL_DATA_KEYS opens this value.") from error


def rotate_bytes(data: bytes) -> bytes:
    """`data` encrypted under the newest key (plain bytes are encrypted)."""
    if not is_encrypted(data):
        return encrypt_bytes(data)
    try:
        return _ring().rotate(data)
    except InvalidToken as error:
        raise DecryptionError("No key in PERSONAL_DATA_KEYS opens this value.") from error


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode("ascii") if value else ""


def decrypt_text(value: str) -> str:
    return decrypt_bytes(value.encode("ascii", "surrogateescape")).decode() if value else ""


def needs_rotation(data: bytes) -> bool:
    """Whether `data` is plain or encrypted under another key than the newest."""
    if not is_encrypted(data):
        return bool(data)
    try:
        Fernet(settings.PERSONAL_DATA_KEYS[0]).decrypt(data)
    except InvalidToken:
        return True
    return False


def blind_index(value: str) -> str:
    """The keyed hash that finds `value` (already normalised by its field) without decrypting anything;
    "" for no value."""
    if not value:
        return ""
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()[:INDEX_LENGTH]


def derive_key(secret: str, purpose: str) -> bytes:
    """A Fernet key derived from `secret` for `purpose`: the development default, no safer than the
    secret."""
    import base64

    return base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{secret}".encode()).digest())
