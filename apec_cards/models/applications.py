"""Applications for an APEC Business Travel Card, their documents and the economies' pre-clearance."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.documents.models import CaseAttachment
from foreign_affairs.privacy.fields import BlindIndexField, EncryptedCharField, EncryptedFieldsModel

from ..workflow import OPEN_STATES, ApplicationWorkflow, Decision, Kind


class Counter(models.Model):
    """The last number used in a series and year (application references, card numbers)."""

    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="apec_counter_unique")]

    def __str__(self):
        return f"{self.series} {self.year}: {self.last}"


class CardApplication(ApplicationWorkflow, EncryptedFieldsModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="card_applications",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    kind = models.CharField(_("kind of application"), max_length=16, choices=Kind.choices, default=Kind.NEW)
    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        related_name="card_applications",
        verbose_name=_("applicant (card holder)"),
    )
    replaces_card = models.ForeignKey(
        "apec_cards.Card",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_applications",
        verbose_name=_("card replaced"),
        help_text=_("For a renewal, replacement or new passport: the card the person holds now."),
    )
    passport_number = EncryptedCharField(
        _("passport number"),
        max_length=20,
        blind_index="passport_number_index",
        normalize=normalize_passport_number,
    )
    passport_number_index = BlindIndexField(_("passport number index"))
    passport_expiry = models.DateField(_("passport expiry date"))
    economies = models.ManyToManyField(
        "apec_cards.Economy",
        blank=True,
        related_name="card_applications",
        verbose_name=_("economies requested"),
    )
    justification = models.TextField(
        _("business justification"),
        help_text=_(
            "Why the applicant travels often to APEC economies on business: markets, partners, projects."
        ),
    )
    travel_history = models.TextField(
        _("business travel in the last three years"),
        blank=True,
        help_text=_("Trips to APEC economies: where, when and why; one per line."),
    )
    replacement_reason = models.CharField(
        _("reason for the replacement"),
        max_length=200,
        blank=True,
        help_text=_("For a replacement: where and when the card was lost, or how it was damaged."),
    )

    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned officer"),
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endorsed by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    endorsed_at = models.DateTimeField(_("endorsed"), null=True, blank=True, editable=False)
    preclearance_requested_at = models.DateTimeField(
        _("pre-clearance requested"), null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("APEC card application")
        verbose_name_plural = _("APEC card applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state__in=OPEN_STATES),
                name="card_application_one_open_per_person",
                violation_error_message=_("This person already has an APEC card application in progress."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "state_changed_at"], name="card_application_queue_idx"),
            models.Index(fields=["organization", "state", "created_at"], name="card_application_org_idx"),
            models.Index(fields=["-created_at", "-id"], name="card_application_newest_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.person}"

    def get_absolute_url(self):
        return reverse("apec_cards:application_detail", args=[self.pk])

    def audit_repr(self) -> str:
        return self.reference

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - timezone.localtime(self.state_changed_at).date()).days


class AttachmentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport photo page")
    PHOTO = "photo", _("Photograph")
    ENDORSEMENT = "endorsement", _("Employer's letter of endorsement")
    OTHER = "other", _("Other")


class CardAttachment(CaseAttachment):
    application = models.ForeignKey(CardApplication, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)


class PreClearance(models.Model):
    """One economy's answer to one application: asked when the application goes to pre-clearance."""

    application = models.ForeignKey(
        CardApplication, on_delete=models.CASCADE, related_name="preclearances", verbose_name=_("application")
    )
    economy = models.ForeignKey(
        "apec_cards.Economy",
        on_delete=models.PROTECT,
        related_name="preclearances",
        verbose_name=_("economy"),
    )
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    organization_lookup = "application__organization"

    class Meta:
        verbose_name = _("pre-clearance")
        verbose_name_plural = _("pre-clearances")
        ordering = ["application", "economy__position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "economy"], name="preclearance_once_per_economy"),
            models.CheckConstraint(
                condition=models.Q(decision="pending", decided_on__isnull=True)
                | (~models.Q(decision="pending") & models.Q(decided_on__isnull=False)),
                name="preclearance_decided_has_date",
            ),
        ]
        indexes = [models.Index(fields=["economy", "decision"], name="preclearance_economy_idx")]

    def __str__(self):
        return f"{typography.label(f'{self.application.reference} {self.economy_id}')}{self.get_decision_display()}"

    @property
    def waiting_days(self) -> int | None:
        if self.decision != Decision.PENDING:
            return None
        return (timezone.localdate() - self.requested_on).days
