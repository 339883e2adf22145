"""One-off: re-chain the events written before the chain was keyed, with AUDIT_HMAC_KEY.

Until now each hash was a plain SHA-256 of the event's content, which anyone with database access
could recompute after changing a row. This migration walks the existing events once, in order, and

1. checks the old chain as it stands (each link and each plain SHA-256, and the chain head): if it does
   not hold, it stops, so that an altered history is never re-signed as if it were intact (find the
   event with the previous release's `manage.py audit_verify` and restore it from a backup first);
2. gives each event the id of the current key and an HMAC-SHA256 over its content (now including that
   id) and the new hash of the event before it, and moves the chain head to the new last hash.

It runs before 0004 installs the trigger that refuses UPDATE on the table, and needs the production
AUDIT_HMAC_KEY in the environment of `manage.py migrate` (settings refuse to start without it). The
verification code then knows one scheme only, so an attacker cannot pass off rewritten events as
"old-style". Reversing checks the HMACs and re-chains with plain SHA-256, as 0001's code expects.

The payload and key-id functions are frozen copies of AuditEvent.canonical_payload and
audit.signing.key_id_for at the time of writing, so that this migration means the same later.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

GENESIS_HASH = "0" * 64
BATCH = 1000


class ChainBroken(Exception):
    pass


def _key_id(secret: str) -> str:
    return hashlib.sha256(b"foreign_affairs.audit key id\x00" + secret.encode()).hexdigest()[:16]


def _payload(event, *, keyed: bool) -> str:
    content = {
        "prev_hash": event.prev_hash,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "content_type_id": event.content_type_id,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
        "data": event.data,
    }
    if keyed:
        content["key_id"] = event.key_id
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def _plain(event) -> str:
    return hashlib.sha256(_payload(event, keyed=False).encode()).hexdigest()


def _keyed(secrets_by_id: dict[str, str]):
    def mac(event) -> str:
        secret = secrets_by_id.get(event.key_id)
        if secret is None:
            raise ChainBroken(f"event #{event.pk} names key {event.key_id!r}, which is not configured")
        return hmac.new(secret.encode(), _payload(event, keyed=True).encode(), hashlib.sha256).hexdigest()

    return mac


def _events(AuditEvent):
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def _rechain(apps, *, old_hash, new_hash, new_key_id: str) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    old_prev, new_prev = GENESIS_HASH, GENESIS_HASH
    for event in _events(AuditEvent):
        if event.prev_hash != old_prev or not hmac.compare_digest(old_hash(event), event.hash):
            raise ChainBroken(
                f"The audit chain is broken at event #{event.pk}: it is not re-chained, so that an altered "
                "history is not signed as intact. Find and restore the event (audit_verify of the previous "
                "release), then migrate again."
            )
        old_prev = event.hash
        event.prev_hash, event.key_id = new_prev, new_key_id
        event.hash = new_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            prev_hash=event.prev_hash, key_id=event.key_id, hash=event.hash
        )
        new_prev = event.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.last_hash != old_prev:
            raise ChainBroken(
                f"The audit chain head names event {head.last_event_id}, which is not the last event: "
                "events were removed from the end. Restore them, then migrate again."
            )
        ChainHead.objects.filter(pk=1).update(last_hash=new_prev)


def rechain_with_hmac(apps, schema_editor):
    key = settings.AUDIT_HMAC_KEY
    key_id = _key_id(key)
    _rechain(apps, old_hash=_plain, new_hash=_keyed({key_id: key}), new_key_id=key_id)


def rechain_with_sha256(apps, schema_editor):
    secrets_by_id = {_key_id(secret): secret for secret in [settings.AUDIT_HMAC_KEY, *settings.AUDIT_HMAC_KEYS]}
    _rechain(apps, old_hash=_keyed(secrets_by_id), new_hash=_plain, new_key_id="")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_auditevent_key_id"),
    ]

    operations = [
        migrations.RunPython(rechain_with_hmac, rechain_with_sha256, elidable=False),
    ]
