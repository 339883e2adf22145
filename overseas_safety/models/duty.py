"""The duty roster (值班表): who answers for new incidents on each day."""

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography


class DutyShift(models.Model):
    day = models.DateField(_("day"), unique=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("duty officer")
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(deputy=models.F("officer")),
                name="duty_deputy_not_officer",
                violation_error_message=_("The deputy must be someone other than the duty officer."),
            )
        ]

    def __str__(self):
        return f"{typography.label(date_format(self.day, 'DATE_FORMAT'))}{self.officer}"
