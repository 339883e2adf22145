"""The list of travel applications: one definition of its search and filters for the page, the API
and the back office's search box (foreign_affairs.filters)."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from foreign_affairs.accounts.models import Organization
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering, SearchFilter

from .forms.sections import country_choices
from .models import DelegationMember, TravelApplication
from .workflow import State


def search_q(term: str) -> Q:
    """The whole reference, the title, the leader's or a member's name, a member's whole passport number
    or the organisation's name. Subqueries on the primary key keep one row per application."""
    members = DelegationMember.objects.filter(
        Q(person__full_name__icontains=term) | Q(person__passport_number=normalize_passport_number(term))
    )
    organizations = Organization.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
    return (
        Q(reference__iexact=term)
        | Q(title__icontains=term)
        | Q(leader_name__icontains=term)
        | Q(pk__in=members.values("application"))
        | Q(organization__in=organizations.values("pk"))
    )


SEARCH_HELP = _("Reference, title, organisation, a member's name or a whole passport number.")


class CountryFilter(django_filters.CharFilter):
    """A destination by ISO code (any case); a select of the countries on the page."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.Select(choices=lambda: [("", _("All countries")), *country_choices()])
        )
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        code = (value or "").strip().upper()[:2]
        return queryset.filter(countries__contains=code) if code else queryset


def report_due_q(today: date | None = None) -> Q:
    """Trips whose post-trip report is due now: the permit issued and the trip ended (back on or before
    today, local date). The start page's to-do, the list's filter and its badge all mean this."""
    return Q(state=State.PERMIT_ISSUED, return_date__lte=today or timezone.localdate())


def report_is_due(application: TravelApplication, today: date | None = None) -> bool:
    """report_due_q for one application already loaded (the list's badge, without a query per row)."""
    return (
        application.state == State.PERMIT_ISSUED
        and application.return_date is not None
        and application.return_date <= (today or timezone.localdate())
    )


class FlagField(forms.BooleanField):
    """A box that narrows the list when ticked: True, or None (no filter) when not ticked or "false"."""

    def to_python(self, value):
        return True if super().to_python(value) else None


@extend_schema_field(OpenApiTypes.BOOL)
class ReportDueFilter(django_filters.Filter):
    """`report_due=1` (or `true`, or the ticked box): only trips whose post-trip report is due now."""

    field_class = FlagField

    def filter(self, queryset, value):
        return queryset.filter(report_due_q()) if value else queryset


class ApplicationFilter(ListFilterSet):
    search = SearchFilter(search_q, help_text=SEARCH_HELP)
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))
    country = CountryFilter(label=_("Country"))
    departure_date_after = django_filters.DateFilter(
        field_name="departure_date", lookup_expr="gte", label=_("Departure from"), widget=forms.DateInput
    )
    departure_date_before = django_filters.DateFilter(
        field_name="departure_date", lookup_expr="lte", label=_("Departure until"), widget=forms.DateInput
    )
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))
    belt_and_road = django_filters.BooleanFilter(label=_("Belt and Road"))
    report_due = ReportDueFilter(label=_("Only trips whose post-trip report is due"))
    ordering = Ordering(
        choices=[
            ("-created_at", _("Newest first")),
            ("created_at", _("Oldest first")),
            ("departure_date", _("Departure, soonest first")),
            ("-departure_date", _("Departure, latest first")),
            ("reference", _("Reference")),
            ("-reference", _("Reference, descending")),
            ("due_on", _("Due date")),
            ("-due_on", _("Due date, latest first")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = TravelApplication
        fields = []
