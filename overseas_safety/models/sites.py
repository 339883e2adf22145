"""Presence abroad (境外机构和人员备案): an enterprise's sites abroad and the staff stationed there."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from foreign_affairs.security.countries import country_name

from ..workflow import SiteKind


class SiteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(closed_on__isnull=True)


class Site(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="overseas_sites",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.PROJECT)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    chinese_staff_count = models.PositiveIntegerField(
        _("Chinese staff on site"),
        default=0,
        help_text=_("Everyone of Chinese nationality working there now, including staff of subcontractors."),
    )
    local_security_contact = models.CharField(
        _("local security contact"),
        max_length=200,
        blank=True,
        help_text=_("Police station, security company or embassy contact on site: name and phone."),
    )
    security_officer = models.CharField(
        _("the enterprise's security officer"),
        max_length=100,
        help_text=_("Who answers for the site's security (境外安全负责人)."),
    )
    security_officer_phone = models.CharField(_("security officer's phone"), max_length=32)
    emergency_phone = models.CharField(
        _("24-hour emergency phone"),
        max_length=32,
        help_text=_("A number that answers day and night, with the country code, e.g. +234 803 000 0000."),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("Leave empty while the site is in use.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organization"
    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("overseas site")
        verbose_name_plural = _("overseas sites")
        ordering = ["organization", "country", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(opened_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="site_closes_after_opening",
                violation_error_message=_("The closing date must be on or after the opening date."),
            ),
        ]
        indexes = [models.Index(fields=["country", "closed_on"], name="site_country_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("overseas_safety:site_detail", args=[self.pk])

    @property
    def place(self) -> str:
        return pgettext("a city in a country", "%(city)s, %(country)s") % {
            "city": self.city,
            "country": country_name(self.country.code),
        }


class StationingQuerySet(models.QuerySet):
    def on(self, day):
        """Stationed on `day` (both ends included)."""
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class Stationing(models.Model):
    """A person of the organisation stationed at one of its sites for a period (常驻人员)."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="stationings", verbose_name=_("site")
    )
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="stationings", verbose_name=_("person")
    )
    post = models.CharField(_("post"), max_length=100, help_text=_("The person's job at the site."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while open-ended.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "site__organization"
    objects = StationingQuerySet.as_manager()

    class Meta:
        verbose_name = _("stationed staff member")
        verbose_name_plural = _("stationed staff")
        ordering = ["site", "person__full_name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="stationing_ends_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]
        indexes = [models.Index(fields=["site", "starts_on", "ends_on"], name="stationing_site_idx")]

    def __str__(self):
        return f"{self.person} · {self.site}"

    def audit_repr(self) -> str:
        return f"Stationing #{self.pk} · Person #{self.person_id}"
