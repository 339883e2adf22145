"""The office's calendar: public holidays and the weekend days that are worked instead (调休)."""

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A date whose status differs from the rule "Monday to Friday are working days"."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a weekend day that is worked (调休). Not ticked: a public holiday."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. National Day"))

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self):
        return f"{date_format(self.date, 'DATE_FORMAT')} {self.name}".strip()
