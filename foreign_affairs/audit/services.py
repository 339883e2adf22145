"""Writing to the audit log."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from .models import GENESIS_HASH, AuditEvent, ChainHead


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
    no event behind.
    """
    # Stored values must hash the same after a round trip through the database's JSON type.
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        event = AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=(actor.get_username() if actor is not None and actor.is_authenticated else "system"),
            action=action,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            from_state=from_state or "",
            to_state=to_state or "",
            comment=comment or "",
            data=data,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.last_event_id = event.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return event
