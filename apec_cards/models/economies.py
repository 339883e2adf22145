"""The APEC economies and how each takes part in the card scheme (seeded by migration 0002)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Participation(models.TextChoices):
    FULL = "full", _("Full participant (pre-clears card holders)")
    TRANSITIONAL = "transitional", _("Transitional member (fast-track lanes only)")


class EconomyQuerySet(models.QuerySet):
    def preclearing(self):
        """The economies a Chinese applicant can ask for pre-clearance: full participants but China."""
        return self.filter(participation=Participation.FULL, is_home=False)


class Economy(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True, help_text=_("ISO 3166 code, e.g. AU"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60)
    participation = models.CharField(_("participation"), max_length=12, choices=Participation.choices)
    is_home = models.BooleanField(
        _("home economy"), default=False, help_text=_("The economy that issues the office's cards (China).")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = EconomyQuerySet.as_manager()

    class Meta:
        verbose_name = _("APEC economy")
        verbose_name_plural = _("APEC economies")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "zh-hans").startswith("zh") else self.name_en

    @property
    def pre_clears(self) -> bool:
        return self.participation == Participation.FULL and not self.is_home
