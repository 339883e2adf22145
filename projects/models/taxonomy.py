"""The industries projects are filed under: a taxonomy the office edits, seeded with the industries the
free trade zone's overall plan names for each area."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import FTZArea


class Industry(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    area = models.CharField(
        _("free trade zone area"),
        max_length=16,
        choices=FTZArea.choices,
        blank=True,
        help_text=_("The area whose plan names the industry; empty for all areas."),
    )
    priority = models.BooleanField(
        _("priority industry"), default=False, help_text=_("The office's priority industries come first.")
    )
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Industries no longer in use stay on old projects.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["-priority", "order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh
