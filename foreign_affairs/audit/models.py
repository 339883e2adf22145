"""The audit log: an append-only, hash-chained record of every state change.

Each event stores the hash of the event before it (`prev_hash`) and its own hash over its content and
that link, so that changing, inserting or removing a row anywhere breaks the chain from there on;
`manage.py audit_verify` finds the first broken link. The hash is an HMAC-SHA256 with a key from the
environment (audit.signing), so whoever can write to the database but lacks the key cannot recompute
the chain after changing it. The ORM refuses updates and deletes, and on PostgreSQL so does a trigger
(migration 0004); a checkpoint of the newest hash is written outside the database every hour
(audit.checkpoints), so that even a rewrite with the key, or a cut chain, is found.
"""

import json
from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import signing

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete audit events through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be updated.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("Audit events are written one at a time by audit.services.record_event.")

    def timeline_for(self, obj) -> "AuditEventQuerySet":
        """The events about one object, oldest first."""
        return (
            self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
            .select_related("actor")
            .order_by("id")
        )


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # users with a history are deactivated, never deleted
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    from_state = models.CharField(_("from state"), max_length=32, blank=True)
    to_state = models.CharField(_("to state"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    key_id = models.CharField(_("key id"), max_length=16, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def actor_display(self) -> str:
        """Who acted, as a reader wants it: the person's name, or "the portal" for tasks and the public."""
        if self.actor is not None:
            return self.actor.get_full_name() or self.actor.get_username()
        if self.actor_label and self.actor_label != "system":
            return self.actor_label
        return str(_("The portal"))

    @property
    def action_label(self) -> str:
        from .labels import label_for

        return label_for(self.action)

    def canonical_payload(self) -> str:
        """The content the hash covers, as canonical JSON."""
        return json.dumps(
            {
                "prev_hash": self.prev_hash,
                "created_at": self.created_at.astimezone(UTC).isoformat(),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "content_type_id": self.content_type_id,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "from_state": self.from_state,
                "to_state": self.to_state,
                "comment": self.comment,
                "data": self.data,
                "key_id": self.key_id,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            cls=DjangoJSONEncoder,
        )

    def compute_hash(self) -> str:
        """HMAC-SHA256 of the canonical payload with the key the event names (raises UnknownKey)."""
        return signing.key_for(self.key_id).mac(self.canonical_payload())


class ChainHead(models.Model):
    """One row holding the newest hash; locking it orders concurrent writers into one chain."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_event_id = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return self.last_hash
