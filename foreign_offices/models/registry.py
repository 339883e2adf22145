"""The registry of foreign organisations in Henan (驻豫外国机构名录) and the history of its every field."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from foreign_affairs import typography
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.accounts.validators import validate_uscc

from ..workflow import Authority, OrganisationWorkflow, PresenceKind

# The fields whose every change the registry keeps (FieldChange), in the order the history shows them.
TRACKED_FIELDS = (
    "name",
    "name_zh",
    "kind",
    "country",
    "parent_organisation",
    "address",
    "ftz_area",
    "authority",
    "registration_number",
    "registered_on",
    "registration_valid_until",
    "opened_on",
    "chief_representative",
    "staff_foreign",
    "staff_local",
    "state",
    "closed_on",
    "list_publicly",
    "website",
    "description",
    "description_zh",
)


class ForeignOrganisation(OrganisationWorkflow, models.Model):
    name = models.CharField(_("name (original)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    kind = models.CharField(_("kind of presence"), max_length=24, choices=PresenceKind.choices)
    country = CountryField(_("country"))
    parent_organisation = models.CharField(_("parent organisation"), max_length=200, blank=True)
    address = models.CharField(_("address in Henan"), max_length=300)
    ftz_area = models.CharField(_("free trade zone area"), max_length=16, choices=FTZArea.choices)
    authority = models.CharField(_("registering authority"), max_length=24, choices=Authority.choices)
    registration_number = models.CharField(
        _("registration number (unified social credit code)"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
    )
    registered_on = models.DateField(_("registered on"))
    registration_valid_until = models.DateField(
        _("registration valid until"),
        null=True,
        blank=True,
        help_text=_("Empty when the registration does not expire."),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    chief_representative = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chief representative"),
    )
    staff_foreign = models.PositiveIntegerField(
        _("foreign staff"), default=0, validators=[MaxValueValidator(100000)]
    )
    staff_local = models.PositiveIntegerField(
        _("local staff"), default=0, validators=[MaxValueValidator(100000)]
    )
    list_publicly = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_("The organisation's consent to show its name, kind, country, area and address publicly."),
    )
    consent_changed_at = models.DateTimeField(_("consent given or withdrawn"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what the office does (English)"), max_length=2000, blank=True)
    description_zh = models.TextField(_("what the office does (Chinese)"), max_length=2000, blank=True)
    account = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="foreign_organisation",
        verbose_name=_("portal account"),
        editable=False,
    )
    created_at = models.DateTimeField(_("entered in the registry"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "account"

    class Meta:
        verbose_name = _("foreign organisation")
        verbose_name_plural = _("foreign organisations")
        ordering = ["name_zh", "pk"]
        indexes = [
            models.Index(fields=["state", "country"], name="foreign_org_country_idx"),
            models.Index(fields=["registration_valid_until"], name="foreign_org_valid_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("foreign_offices:directory_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The Chinese name in Chinese, the original name in English."""
        if get_language() == "en" and self.name:
            return self.name
        return self.name_zh or self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en":
            return self.description or self.description_zh
        return self.description_zh or self.description


class FieldChange(models.Model):
    """One field of a registry entry changed: the old and the new value, who, when, and why."""

    organisation = models.ForeignKey(
        ForeignOrganisation, on_delete=models.CASCADE, related_name="history", verbose_name=_("organisation")
    )
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    change_request = models.ForeignKey(
        "foreign_offices.ChangeRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change request"),
    )

    organization_lookup = "organisation__account"

    class Meta:
        verbose_name = _("registry change")
        verbose_name_plural = _("registry changes")
        ordering = ["organisation", "-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "field", "-changed_at"], name="foreign_org_history_idx")
        ]

    def __str__(self):
        return f"{typography.label(self.field)}{self.old_value} → {self.new_value}"
