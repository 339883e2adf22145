"""The filters every report and the dashboard take: a period and an FTZ area."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.accounts.models import FTZArea

MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date  # inclusive
    ftz_area: str = ""  # "" for all areas

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def as_dict(self) -> dict:
        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "ftz_area": self.ftz_area,
        }

    def between(self, field: str) -> Q:
        """`field` (a datetime) within the period's days in the portal's time zone, as a range the
        database can answer from an index (not `field__date`, which converts every row)."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.date_from, time.min, tzinfo=zone)
        end = datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=zone)
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    def months(self) -> list[tuple[date, date]]:
        """(first day, last day) of each calendar month the period touches, cut to the period."""
        found, first = [], self.date_from.replace(day=1)
        while first <= self.date_to:
            following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            found.append((max(first, self.date_from), min(following - timedelta(days=1), self.date_to)))
            first = following
        return found


def default_filters(today: date | None = None) -> Filters:
    """This year so far."""
    today = today or timezone.localdate()
    return Filters(date(today.year, 1, 1), today)


PRESETS = {
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "this_quarter": gettext_lazy("This quarter"),
    "this_year": gettext_lazy("This year"),
    "last_year": gettext_lazy("Last year"),
    "last_12_months": gettext_lazy("Last 12 months"),
}


def preset_period(name: str, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    if name == "this_month":
        return today.replace(day=1), today
    if name == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if name == "this_quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if name == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if name == "last_12_months":
        return today - timedelta(days=364), today
    return date(today.year, 1, 1), today


class FiltersForm(forms.Form):
    preset = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[("", gettext_lazy("Choose dates")), *PRESETS.items()],
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ftz_area = forms.ChoiceField(
        label=gettext_lazy("FTZ area"),
        required=False,
        choices=[("", gettext_lazy("All areas")), *FTZArea.choices],
    )

    def clean(self):
        data = super().clean()
        if data.get("preset"):
            data["date_from"], data["date_to"] = preset_period(data["preset"])
        default = default_filters()
        data["date_from"] = data.get("date_from") or default.date_from
        data["date_to"] = data.get("date_to") or default.date_to
        if data["date_to"] < data["date_from"]:
            raise ValidationError({"date_to": _("The end of the period must be on or after its start.")})
        if (data["date_to"] - data["date_from"]).days >= MAX_PERIOD_DAYS:
            raise ValidationError({"date_from": _("Choose a period of at most three years.")})
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(data["date_from"], data["date_to"], data.get("ftz_area") or "")


def filters_from(data) -> Filters:
    """Filters from a query string or a job's stored filters; ValidationError on bad input."""
    form = FiltersForm(data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.filters()
