"""The filters of the access records: one FilterSet for the API, one for the organisations' page
(foreign_affairs.filters), and the period of the unusual-access report (back office and API). Days are the
office's (selectors.in_days)."""

import re
from datetime import date, timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from foreign_affairs.accounts.models import Person
from foreign_affairs.admin_pages import DateInput
from foreign_affairs.filters import IdFilter, ListFilterSet

from . import selectors
from .models import Door, PersonalDataAccess, Seen

MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class MonthField(forms.CharField):
    """A month as 2026-05 (what <input type="month"> sends), cleaned to its first day."""

    default_error_messages = {"invalid": _("Give the month as year and month, e.g. 2026-05.")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.input_type = "month"
        self.widget.attrs.update({"placeholder": "2026-05", "maxlength": "7"})

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        found = MONTH.fullmatch(value)
        if found is None or not 1 <= int(found[2]) <= 12 or not 1900 <= int(found[1]) <= 9998:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(int(found[1]), int(found[2]), 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, queryset, value):
        return selectors.in_month(queryset, value) if value else queryset


class DayFilter(django_filters.DateFilter):
    """The first (`last=False`) or the last day of a period, both included."""

    def __init__(self, *, last: bool, **kwargs):
        super().__init__(**kwargs)
        self.last = last

    def filter(self, queryset, value):
        if not value:
            return queryset
        return selectors.in_days(queryset, last=value) if self.last else selectors.in_days(queryset, value)


class AccessFilter(ListFilterSet):
    """The API's filters (office staff filter on everything; an organisation's staff within its records)."""

    person = IdFilter(field_name="person_id", label=_("whose"), help_text="A person's id.")
    user = IdFilter(field_name="user_id", label=_("who"), help_text="An account's id.")
    organization = IdFilter(
        field_name="organization_id", label=_("organisation"), help_text="The organisation of the person."
    )
    seen = django_filters.ChoiceFilter(label=_("what"), choices=Seen.choices)
    door = django_filters.ChoiceFilter(label=_("where"), choices=Door.choices)
    case = django_filters.CharFilter(
        field_name="case", lookup_expr="iexact", label=_("case"), help_text="A case's reference."
    )
    date_from = DayFilter(last=False, label=_("From"), help_text="YYYY-MM-DD: from this day on.")
    date_to = DayFilter(last=True, label=_("Until"), help_text="YYYY-MM-DD: until this day, included.")
    month = MonthFilter(label=_("Month"), help_text="YYYY-MM: the records of one month.")

    class Meta(ListFilterSet.Meta):
        model = PersonalDataAccess
        fields = []


def _own_people(request):
    organization = request.user.organization if request is not None else None
    if organization is None:
        return Person.objects.none()
    return Person.objects.filter(organization=organization).order_by("full_name", "pk")


class OrganizationAccessFilter(ListFilterSet):
    """The organisations' page: one of its people, one month."""

    person = django_filters.ModelChoiceFilter(
        label=_("Traveller"), queryset=_own_people, empty_label=_("All travellers")
    )
    month = MonthFilter(label=_("Month"))

    class Meta(ListFilterSet.Meta):
        model = PersonalDataAccess
        fields = []


class PeriodForm(forms.Form):
    """The days of the unusual-access report: the last 30 unless chosen, at most a year."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", first), ("date_to", last)):
            if day and not 2000 <= day.year <= 9000:
                self.add_error(name, _("Choose a day between the years 2000 and 9000."))
        if self.errors:
            return data
        if first and last and last < first:
            self.add_error("date_to", _("The last day cannot be before the first."))
        elif first and last and (last - first).days >= selectors.UNUSUAL_MAX_DAYS:
            self.add_error("date_to", _("Choose at most a year at once."))
        return data

    def period(self):
        """The days chosen, or the last 30 (also when what was typed is not valid: its errors are shown)."""
        first, last = selectors.default_period()
        if self.is_bound and self.is_valid():
            chosen_first = self.cleaned_data.get("date_from")
            chosen_last = self.cleaned_data.get("date_to")
            if chosen_first and not chosen_last:
                chosen_last = min(chosen_first + timedelta(days=selectors.UNUSUAL_MAX_DAYS - 1), last)
                chosen_last = max(chosen_last, chosen_first)
            if chosen_last and not chosen_first:
                chosen_first = chosen_last - timedelta(days=selectors.UNUSUAL_DEFAULT_DAYS - 1)
            if chosen_first:
                first, last = chosen_first, chosen_last
        return first, last
