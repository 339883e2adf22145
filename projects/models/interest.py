"""Expressions of interest (合作意向) from visitors without an account, and the e-mails they are sent."""

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from foreign_affairs.notifications.models import OutboxMessage

from ..workflow import InterestWorkflow
from .projects import CooperationProject


class Interest(InterestWorkflow, models.Model):
    project = models.ForeignKey(
        CooperationProject, on_delete=models.CASCADE, related_name="interests", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200)
    country = CountryField(_("country"))
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    message = models.TextField(pgettext_lazy("expression of interest", "message"), max_length=3000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True, editable=False)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forwarded by"),
        editable=False,
    )

    # The enterprises involved see the leads forwarded to them (selectors narrow to those).
    organization_lookup = "project__enterprises"

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="interest_queue_idx"),
            models.Index(fields=["created_at"], name="interest_created_idx"),
        ]

    def __str__(self):
        # Kept in the audit log as written, whatever the reader's language: brackets by the words' script.
        if re.search(r"[\u3400-\u9fff]", f"{self.name}{self.organisation}"):
            return f"{self.name}（{self.organisation}）"
        return f"{self.name} ({self.organisation})"

    @property
    def organization(self):
        return self.project.organization


class InterestMessage(OutboxMessage):
    """The acknowledgement to the visitor (foreign_affairs.notifications.outbox)."""

    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("expression of interest")
    )

    organization_lookup = "interest__project__enterprises"

    class Meta:
        verbose_name = _("message to the visitor")
        verbose_name_plural = _("messages to visitors")
        ordering = ["interest", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="interest_message_pending_idx",
            )
        ]
