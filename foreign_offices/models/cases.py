"""Setting-up cases (设立服务): from a foreign organisation's first enquiry to the opening of its office."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from foreign_affairs import typography
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.documents.models import CaseAttachment
from foreign_affairs.notifications.models import OutboxMessage

from ..workflow import Authority, CaseState, CaseWorkflow, EnquirySource, PresenceKind


class Counter(models.Model):
    """The last case reference number used in a year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class CaseServiceLevel(models.Model):
    """How many working days a case may wait in a state before it shows as overdue."""

    state = models.CharField(_("state"), max_length=24, choices=CaseState.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("deadline in working days"))

    class Meta:
        verbose_name = _("setting-up service level")
        verbose_name_plural = _("setting-up service levels")
        ordering = ["state"]

    def __str__(self):
        return f"{typography.label(self.get_state_display())}{self.working_days}"


class SetupCase(CaseWorkflow, models.Model):
    """One foreign organisation's way to an office in Henan, opened by its enquiry."""

    reference = models.CharField(
        pgettext_lazy("setting-up case", "reference"), max_length=20, unique=True, editable=False
    )
    organisation_name = models.CharField(_("organisation (name in its own language)"), max_length=200)
    organisation_name_zh = models.CharField(_("organisation (Chinese name)"), max_length=200, blank=True)
    parent_organisation = models.CharField(_("parent organisation"), max_length=200, blank=True)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind of presence"), max_length=24, choices=PresenceKind.choices)
    preferred_area = models.CharField(
        _("preferred area"), max_length=16, choices=FTZArea.choices, default=FTZArea.ZHENGZHOU
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(
        _("language of the enquiry"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    source = models.CharField(
        _("source"), max_length=12, choices=EnquirySource.choices, default=EnquirySource.PUBLIC_FORM
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="setupcase_assigned",
        verbose_name=_("officer in charge"),
    )
    address = models.CharField(
        _("address in Henan"),
        max_length=300,
        blank=True,
        help_text=_("Where the office will be, once known."),
    )
    authority = models.CharField(
        _("registering authority"), max_length=24, choices=Authority.choices, blank=True
    )
    registration_number = models.CharField(
        _("registration number (unified social credit code)"), max_length=18, blank=True
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    registration_valid_until = models.DateField(_("registration valid until"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted to the authority on"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    organisation = models.OneToOneField(
        "foreign_offices.ForeignOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("registry entry"),
        editable=False,
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now, editable=False)
    due_on = models.DateField(_("due"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Cases are the office's; the organisation they led to sees its own once it is registered.
    organization_lookup = "organisation__account"

    class Meta:
        verbose_name = _("setting-up case")
        verbose_name_plural = _("setting-up cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="setup_case_queue_idx"),
            models.Index(fields=["created_at"], name="setup_case_created_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.organisation_name}"

    def get_absolute_url(self):
        return reverse("admin:foreign_offices_setupcase_change", args=[self.pk])

    @property
    def organization(self):
        """The portal organisation (account) the case led to, or None: what documents are filed under."""
        return self.organisation.account if self.organisation_id and self.organisation.account_id else None

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()


class CaseNote(models.Model):
    """The officer's notes on a case and the portal's record of its steps, in order of time."""

    case = models.ForeignKey(
        SetupCase, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    action = models.CharField(_("action"), max_length=40, blank=True)
    text = models.TextField(_("note"), blank=True)

    organization_lookup = "case__organisation__account"

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return self.text[:60]


class CaseDocumentKind(models.TextChoices):
    LETTER = "letter", _("Letter or application form")
    PARENT_REGISTRATION = "parent_registration", _("Parent organisation's registration")
    LEASE = "lease", _("Office lease")
    APPOINTMENT = "appointment", _("Appointment of the chief representative")
    REGISTRATION = "registration", _("Registration certificate")
    OTHER = "other", pgettext_lazy("case document", "Other")


class CaseDocument(CaseAttachment):
    application = models.ForeignKey(
        SetupCase, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CaseDocumentKind.choices)

    organization_lookup = "application__organisation__account"

    class Meta(CaseAttachment.Meta):
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")


class CaseMessage(OutboxMessage):
    """An e-mail to the enquirer, who has no account (so no place in the portal's notification outbox):
    written in the enquiry's language, kept until sent, sent by a task after commit and retried by a beat
    job (foreign_affairs.notifications.outbox)."""

    case = models.ForeignKey(
        SetupCase, on_delete=models.CASCADE, related_name="messages", verbose_name=_("case")
    )

    organization_lookup = "case__organisation__account"

    class Meta:
        verbose_name = _("message to the enquirer")
        verbose_name_plural = _("messages to the enquirer")
        ordering = ["case", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="case_message_pending_idx",
            )
        ]
