"""The outbox: every message to a user is a row first, delivered afterwards.

In-app notifications are delivered by being stored; e-mails and text messages (SMS, when a gateway is
configured: notifications.sms) wait as `pending` until a Celery task sends them, and a beat job retries
those whose delivery failed, so nothing is lost while Redis, the mail server or the gateway is down.

An e-mail is written once, in the recipient's language. An in-app notification is read on the portal
in whatever language the reader has chosen since, so it keeps its subject and body in each of the
portal's languages, written when it was made (`texts`); older ones have only `subject` and `body`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the portal")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    template = models.CharField(
        _("template"), max_length=100, blank=True, editable=False, help_text=_("What the text was made from.")
    )
    # {"en": {"subject": ..., "body": ...}, "zh-hans": {...}}: the in-app copy in every language.
    texts = models.JSONField(_("texts by language"), default=dict, blank=True, editable=False)
    link = models.CharField(_("link"), max_length=500, blank=True, help_text=_("A path within the portal."))
    # Callers that may run twice (reminders, retried tasks) pass a key; a second notify() with the
    # same recipient, channel and key is a no-op.
    key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "key"],
                condition=~models.Q(key=""),
                name="notification_unique_key",
            ),
        ]
        indexes = [
            # The header's unread count and the user's list.
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(channel="in_app"),
                name="notification_inbox_idx",
            ),
            # The retry job's scan of what is due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notification_pending_idx",
            ),
        ]

    def __str__(self):
        return self.display_subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def display_subject(self) -> str:
        """The subject in the reader's language (as written for the recipient when there is none)."""
        return self._in_reader_language().get("subject", self.subject)

    @property
    def display_body(self) -> str:
        return self._in_reader_language().get("body", self.body)

    def _in_reader_language(self) -> dict:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return self.texts.get(language) or self.texts.get(language.split("-")[0]) or {}


class OutboxMessage(models.Model):
    """An e-mail to someone without an account (notifications.outbox writes and sends them): an area's
    concrete outbox adds its foreign key. The key makes a message written twice a single one."""

    key = models.CharField(max_length=120, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.subject
