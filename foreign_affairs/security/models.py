"""Area 2, external security. For now: the country advisory levels that travel approval consults."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from foreign_affairs import typography

from .countries import country_name


class AdvisoryLevel(models.TextChoices):
    LOW = "low", _("Normal precautions")
    MEDIUM = "medium", _("Increased caution")
    HIGH = "high", _("High risk: reconsider travel")


class CountryAdvisory(models.Model):
    """The office's current advice for one destination; a high level sends trips to leader sign-off."""

    country = CountryField(_("country"), unique=True)
    level = models.CharField(
        _("level"), max_length=8, choices=AdvisoryLevel.choices, default=AdvisoryLevel.LOW
    )
    summary = models.TextField(_("summary"), blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("country advisory")
        verbose_name_plural = _("country advisories")
        ordering = ["country"]

    def __str__(self):
        return f"{typography.label(country_name(self.country.code))}{self.get_level_display()}"
