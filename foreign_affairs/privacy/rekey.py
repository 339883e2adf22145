"""Key rotation: every encrypted value (EncryptedCharFields and the other fields `encrypted_at_rest`)
and private file re-encrypted under the newest key of PERSONAL_DATA_KEYS, and every blind index
recomputed with PERSONAL_DATA_INDEX_KEY."""

import os
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from . import crypto
from .fields import EncryptedCharField
from .storage import EncryptedFileSystemStorage

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


def rekey_files(storage) -> tuple[int, int]:
    """(files rewritten, files checked) under the private storage's location."""
    if not isinstance(storage, EncryptedFileSystemStorage):
        return 0, 0
    rewritten = checked = 0
    root = storage.location
    for directory, _dirs, names in os.walk(root):
        for name in names:
            if name.endswith(".rekey"):
                continue
            relative = os.path.relpath(os.path.join(directory, name), root)
            checked += 1
            data = storage.raw_bytes(relative)
            if crypto.needs_rotation(data):
                storage.rewrite(relative, crypto.rotate_bytes(data))
                rewritten += 1
    return rewritten, checked


def rekey() -> RekeyResult:
    from foreign_affairs.documents.models import private_storage

    result = RekeyResult(values=rekey_values())
    result.files, result.files_checked = rekey_files(private_storage())
    return result
