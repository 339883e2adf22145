"""Key rotation: every encrypted value (EncryptedCharFields and the other fields `encrypted_at_rest`)
and private file re-encrypted under the newest key of PERSONAL_DATA_KEYS, and every blind index
recomputed with PERSONAL_DATA_INDEX_KEY."""

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from . import crypto
from .fields import EncryptedCharField
from .storage import EncryptingStorage

BATCH = 1000


@dataclass
class RekeyResult:
    values: dict[str, int] = field(default_factory=dict)
    files: int = 0
    files_checked: int = 0


def _encrypted(field) -> bool:
    """An EncryptedCharField, or another field that encrypts what it saves and decrypts what it reads
    (e.g. a JSON object with an encrypted passport number, foreign_offices.models.fields): it says so with
    `encrypted_at_rest`, so that saving what was read re-encrypts it under the newest key."""
    return isinstance(field, EncryptedCharField) or getattr(field, "encrypted_at_rest", False)


def encrypted_fields() -> dict:
    """{model: [its encrypted fields]} over every installed model."""
    found = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if _encrypted(f)]
        if fields:
            found[model] = fields
    return found


def rekey_values() -> dict[str, int]:
    counts = {}
    for model, fields in encrypted_fields().items():
        names = [f.name for f in fields]
        names += [f.blind_index for f in fields if isinstance(f, EncryptedCharField)]
        done, last = 0, None
        while True:
            queryset = model._default_manager.order_by("pk")
            if last is not None:
                queryset = queryset.filter(pk__gt=last)
            batch = list(queryset.only("pk", *names)[:BATCH])
            if not batch:
                break
            with transaction.atomic():
                model._default_manager.bulk_update(batch, names)
            done += len(batch)
            last = batch[-1].pk
        counts[model._meta.label] = done
    return counts


def _names(storage, directory: str = "") -> Iterator[str]:
    """The name of every file the storage holds under `directory`, through the storage's own listing: the
    folders of the local disk, the keys of a bucket (one listing per folder: documents/, permits/2026/, …)."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:  # a local folder not made yet: no private file so far
        return
    for name in files:
        yield posixpath.join(directory, name)
    for folder in folders:
        yield from _names(storage, posixpath.join(directory, folder))


def rekey_files(storage) -> tuple[int, int]:
    """(files rewritten, files checked) of the private storage, on disk or in a bucket (settings.S3_BUCKET).
    A file already under the newest key is left as it is: a second run rewrites nothing."""
    if not isinstance(storage, EncryptingStorage):
        return 0, 0
    rewritten = checked = 0
    for name in _names(storage):
        if name.endswith(".rekey"):  # a local rewrite's temporary file (storage.rewrite)
            continue
        checked += 1
        data = storage.raw_bytes(name)
        if crypto.needs_rotation(data):
            storage.rewrite(name, crypto.rotate_bytes(data))
            rewritten += 1
    return rewritten, checked


def rekey() -> RekeyResult:
    from foreign_affairs.documents.models import private_storage

    result = RekeyResult(values=rekey_values())
    result.files, result.files_checked = rekey_files(private_storage())
    return result
