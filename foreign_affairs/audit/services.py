"""Writing to the audit log, and its checkpoints outside the database."""

import json
import logging
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from . import checkpoints, signing
from .models import GENESIS_HASH, AuditEvent, ChainHead

logger = logging.getLogger(__name__)


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Requires: `action` as "<thing>.<verb>" ("membership.create", "travel_application.approve").
    `actor` is a user, or None for the system (tasks, commands). Locks the chain head until the
    caller's transaction ends, so events are linked in commit order and a rolled-back change leaves
    no event behind. The hash is an HMAC with AUDIT_HMAC_KEY; the event names the key (`key_id`).
    """
    # Stored values must hash the same after a round trip through the database's JSON type.
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    key = signing.signing_key()
    # No savepoint of its own: an event that cannot be written fails the caller's whole transaction (the
    # change it records must not stand without it), and two statements fewer per event.
    with transaction.atomic(savepoint=False):
        head, _created = ChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        event = AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=(actor.get_username() if actor is not None and actor.is_authenticated else "system"),
            action=action,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=object_repr(obj),
            from_state=from_state or "",
            to_state=to_state or "",
            comment=comment or "",
            data=data,
            key_id=key.id,
            prev_hash=head.last_hash,
        )
        event.hash = key.mac(event.canonical_payload())
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.last_event_id = event.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return event


def object_repr(obj) -> str:
    """What the log keeps to name `obj`: its audit_repr() when it has one (objects whose str() holds a
    person's name or passport number: "Person #12"; the log is append-only, so erasure could not remove
    the name later), else str(obj); at most 200 characters."""
    if obj is None:
        return ""
    audit_repr = getattr(obj, "audit_repr", None)
    return str(audit_repr() if callable(audit_repr) else obj)[:200]


def checkpoint_write(*, path: Path | None = None) -> checkpoints.Checkpoint | None:
    """Anchor the newest event outside the database: sign its id and hash with AUDIT_HMAC_KEY, append
    them to the checkpoint file (AUDIT_CHECKPOINT_DIR) and write them to the log as JSON.

    Requires a writable checkpoint directory; changes nothing in the database. Safe to run twice: while
    the newest event is the one the file's last checkpoint names, no line is added (the checkpoint is
    logged again, so that the latest one is always in the recent logs). Returns the checkpoint, or None
    while the audit log is empty.
    """
    newest = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if newest is None:
        logger.info("audit checkpoint skipped: the audit log is empty")
        return None
    checkpoint, appended = checkpoints.append(
        path or checkpoints.default_path(), event_id=newest["id"], hash=newest["hash"]
    )
    logger.info("audit checkpoint", extra={"audit_checkpoint": checkpoint.as_dict(), "appended": appended})
    return checkpoint
