"""Change requests (变更申请) and closure (注销): filed by the organisation, in force once approved."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography

from ..workflow import ChangeKind, ChangeWorkflow
from .fields import EncryptedKeysJSONField


class ChangeRequest(ChangeWorkflow, models.Model):
    organisation = models.ForeignKey(
        "foreign_offices.ForeignOrganisation",
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("what changes"), max_length=24, choices=ChangeKind.choices)
    # The proposed values by field (services.changes.PROPOSAL_FIELDS), and the registry's values when the
    # request was filed (shown beside them; the approval checks nothing changed meanwhile). A proposed
    # passport number is stored encrypted (fields.EncryptedKeysJSONField); in Python it reads plain.
    proposed = EncryptedKeysJSONField(_("proposed"), default=dict, encrypted_keys=("passport_number",))
    current = models.JSONField(_("values when filed"), default=dict, editable=False)
    reason = models.TextField(_("reason"), max_length=5000, blank=True)
    effective_on = models.DateField(_("takes effect on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("filed"), default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    comment = models.TextField(_("office's comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organisation__account"

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One open request per organisation and kind: a second would race the first.
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=models.Q(state="submitted"),
                name="change_request_one_open_per_kind",
                violation_error_message=_("A request of this kind is already waiting for the office."),
            )
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="change_request_queue_idx")]

    def __str__(self):
        return f"{typography.label(str(self.organisation))}{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("foreign_offices:change_detail", args=[self.pk])

    @property
    def account_id(self):
        """The portal organisation the request belongs to (the workflow's `is_member` asks)."""
        return self.organisation.account_id
