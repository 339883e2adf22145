"""What follows approval: the permit (批件), the public disclosure (公示) with its objections, and the
custody of official passports (证照管理)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import typography
from foreign_affairs.accounts.validators import mask_passport_number, normalize_passport_number
from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.verification import (  # noqa: F401 - migrations name the default here
    CODE_ALPHABET,
    new_verification_code,
    normalize_code,
)
from foreign_affairs.privacy.fields import BlindIndexField, EncryptedCharField, EncryptedFieldsModel


class PermitStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Permit(models.Model):
    application = models.OneToOneField(
        "approvals.TravelApplication",
        on_delete=models.PROTECT,
        related_name="permit",
        verbose_name=_("application"),
    )
    number = models.CharField(_("permit number"), max_length=24, unique=True)
    verification_code = models.CharField(
        _("verification code"), max_length=9, unique=True, default=new_verification_code
    )
    file = models.FileField(_("file"), storage=private_storage, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    valid_until = models.DateField(_("valid until"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    organization_lookup = "application__organization"

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("verify", args=[self.verification_code])

    def status(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.revoked_at:
            return PermitStatus.REVOKED
        if self.valid_until < today:
            return PermitStatus.EXPIRED
        return PermitStatus.VALID

    @property
    def verify_url(self) -> str:
        return f"{settings.PORTAL_BASE_URL}{self.get_absolute_url()}"


class DisclosureKind(models.TextChoices):
    TRIP = "trip", _("Planned trip")
    REPORT = "report", _("Post-trip report")


class DisclosureOutcome(models.TextChoices):
    OPEN = "open", pgettext_lazy("public notice outcome", "Open")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Disclosure(models.Model):
    """A public notice of an approved trip (before its permit) or of a post-trip report. `content` keeps
    what was published, so later changes to the application do not rewrite a notice."""

    application = models.ForeignKey(
        "approvals.TravelApplication",
        on_delete=models.CASCADE,
        related_name="disclosures",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DisclosureKind.choices)
    content = models.JSONField(_("published content"), default=dict)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    ends_on = models.DateField(_("last day of the notice"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=DisclosureOutcome.choices, default=DisclosureOutcome.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    organization_lookup = "application__organization"

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(outcome="open"),
                name="disclosure_one_open_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "ends_on"], name="disclosure_open_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.content.get('reference', '')}"

    def get_absolute_url(self):
        return reverse("notices:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.outcome == DisclosureOutcome.OPEN


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection anyone filed against a public notice; an officer upholds or dismisses it."""

    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.CASCADE, related_name="objections", verbose_name=_("public notice")
    )
    text = models.TextField(_("objection"), max_length=2000)
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=120, blank=True)
    submitted_at = models.DateTimeField(_("filed"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("reasons of the decision"), blank=True)

    organization_lookup = "disclosure__application__organization"

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="objection_status_idx")]

    def __str__(self):
        return f"{typography.label(self.disclosure)}{self.text[:40]}"


class PassportHandover(EncryptedFieldsModel):
    """One entry of a passport's custody ledger: handed out for a trip, and returned."""

    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        related_name="passport_handovers",
        verbose_name=_("passport holder"),
    )
    application = models.ForeignKey(
        "approvals.TravelApplication",
        on_delete=models.PROTECT,
        related_name="passport_handovers",
        verbose_name=_("trip"),
    )
    passport_number = EncryptedCharField(
        _("passport number"),
        max_length=20,
        blind_index="passport_number_index",
        normalize=normalize_passport_number,
    )
    passport_number_index = BlindIndexField(_("passport number index"))
    handed_out_at = models.DateTimeField(_("handed out"), default=timezone.now)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed out by")
    )
    handed_to = models.CharField(_("handed to"), max_length=100)
    due_on = models.DateField(_("to be returned by"))
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    organization_lookup = "person__organization"

    class Meta:
        verbose_name = _("passport handover")
        verbose_name_plural = _("passport custody ledger")
        ordering = ["-handed_out_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(returned_at__isnull=True),
                name="handover_one_open_per_passport",
                violation_error_message=_("This passport is already handed out."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(returned_at__isnull=True),
                name="handover_outstanding_idx",
            )
        ]

    def __str__(self):
        # Masked: the admin names objects by str() in lists (the action checkbox's label), titles, history.
        return f"{self.person} · {mask_passport_number(self.passport_number)}"

    def audit_repr(self) -> str:
        return f"Passport handover #{self.pk} · Person #{self.person_id}"

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_on < timezone.localdate()
