"""Friendship cities (友好城市): the province's pairs, their agreements and renewals, and the cooperation
projects that came through them. Their health (health.py) is worked out from the activities held."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .common import in_language


class RelationshipKind(models.TextChoices):
    FORMAL = "formal", _("Friendship city (formal)")
    FRIENDLY_EXCHANGE = "friendly_exchange", _("Friendly exchange relationship")


class FriendshipCity(models.Model):
    slug = models.SlugField(_("address on the public site"), max_length=120, unique=True, editable=False)
    henan_name_zh = models.CharField(_("Henan city or province (Chinese)"), max_length=100)
    henan_name_en = models.CharField(_("Henan city or province (English)"), max_length=100)
    foreign_name_zh = models.CharField(_("foreign city or region (Chinese)"), max_length=100)
    foreign_name_en = models.CharField(_("foreign city or region (English)"), max_length=100)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=RelationshipKind.choices)
    established_on = models.DateField(_("established on"))
    description_zh = models.TextField(_("description (Chinese)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    henan_contact = models.TextField(
        _("contact on the Henan side"),
        max_length=1000,
        blank=True,
        help_text=_("Name, office, phone, e-mail."),
    )
    foreign_contact = models.TextField(
        _("contact on the foreign side"),
        max_length=1000,
        blank=True,
        help_text=_("Name, office, phone, e-mail."),
    )
    projects = models.ManyToManyField(
        "projects.CooperationProject",
        related_name="friendship_cities",
        verbose_name=_("cooperation projects"),
        blank=True,
    )
    public = models.BooleanField(_("shown on the public site"), default=True)
    notes = models.TextField(_("office notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("friendship city")
        verbose_name_plural = _("friendship cities")
        ordering = ["henan_name_en", "foreign_name_en", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["henan_name_en", "foreign_name_en", "country"], name="friendship_city_pair_unique"
            )
        ]

    def __str__(self):
        return f"{self.henan_name} – {self.foreign_name}"

    def get_absolute_url(self):
        return reverse("exchanges:city_detail", args=[self.slug])

    @property
    def henan_name(self) -> str:
        return in_language(self.henan_name_zh, self.henan_name_en)

    @property
    def foreign_name(self) -> str:
        return in_language(self.foreign_name_zh, self.foreign_name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_zh, self.description_en)


class FriendshipAgreement(models.Model):
    """An agreement of the pair (the founding one, a renewal, a cooperation memorandum) and when it is to
    be renewed."""

    city = models.ForeignKey(
        FriendshipCity, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("friendship city")
    )
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    renew_by = models.DateField(
        _("to be renewed by"), null=True, blank=True, help_text=_("Empty for an agreement without a term.")
    )
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="friendship_agreement",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = pgettext_lazy("friendship city", "agreement")
        verbose_name_plural = pgettext_lazy("friendship city", "agreements")
        ordering = ["city", "-signed_on", "pk"]

    def __str__(self):
        return self.title
