"""The list of incidents: one definition of its search and filters for the page, the API and the back
office's search box (foreign_affairs.filters), and the list's query with what every door shows beside a
row (the plan's checklist progress, the people affected), in a fixed number of queries."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Organization
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering, SearchFilter
from foreign_affairs.security.countries import destination_choices

from .models import Incident
from .workflow import OPEN_STATES, IncidentKind, Level, State

INCIDENT_SEARCH_HELP = _("A whole reference (HNAS-2026-00012), or words of the title or the city.")
OPEN = "open"
ALL = "all"
UNACKNOWLEDGED = "unacknowledged"
OVERDUE = "overdue"
ATTENTION_CHOICES = [
    (UNACKNOWLEDGED, _("Not yet acknowledged")),
    (OVERDUE, _("Acknowledgement overdue")),
]


def incident_search_q(term: str) -> Q:
    """The whole reference, or words of the title or the city (the organisation's name for the office)."""
    organizations = Organization.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term))
    return (
        Q(reference__iexact=term)
        | Q(title__icontains=term)
        | Q(city__icontains=term)
        | Q(organization__in=organizations.values("pk"))
    )


def _is_office(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_office_staff)


class IncidentFilter(ListFilterSet):
    search = SearchFilter(incident_search_q, help_text=INCIDENT_SEARCH_HELP)
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            (OPEN, _("Open (reported, acknowledged, responding)")),
            (ALL, _("All states")),
            *State.choices,
        ],
        method="filter_state",
        help_text="`open` (reported, acknowledged, responding), `all`, or one state. Default for office "
        "staff: `open`; for the enterprise: `all`.",
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, empty_label=_("All levels"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=IncidentKind.choices, empty_label=_("All kinds")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=destination_choices,
        empty_label=_("All countries"),
        help_text="ISO 3166-1 code, e.g. NG",
    )
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))
    attention = django_filters.ChoiceFilter(
        label=_("Acknowledgement"),
        choices=ATTENTION_CHOICES,
        empty_label=_("Any"),
        method="filter_attention",
        help_text="`unacknowledged`: still reported; `overdue`: not acknowledged by its deadline.",
    )
    ordering = Ordering(
        choices=[
            ("-reported_at", _("Newest first")),
            ("reported_at", _("Oldest first")),
            ("level", _("Gravest first")),
            ("-occurred_at", _("Happened, latest first")),
            ("reference", _("Reference")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = Incident
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The office's list opens on what it still works on; the enterprise's on all its reports.
        state = self.filters["state"]
        if _is_office(request):
            state.extra["empty_label"] = _("Open (reported, acknowledged, responding)")
            state.extra["choices"] = [(ALL, _("All states")), *State.choices]
        else:
            state.extra["empty_label"] = _("All states")
            state.extra["choices"] = [(OPEN, _("Open (reported, acknowledged, responding)")), *State.choices]
            del self.filters["organization"]

    @property
    def office_default(self) -> bool:
        """Whether the office's default (the open states) narrows the list: no state was chosen."""
        return _is_office(self.request) and not (self.form.is_valid() and self.form.cleaned_data.get("state"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.office_default:
            queryset = queryset.filter(state__in=OPEN_STATES)
        return queryset

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(state__in=OPEN_STATES)
        if value in State.values:
            return queryset.filter(state=value)
        return queryset

    def filter_attention(self, queryset, name, value):
        if value == UNACKNOWLEDGED:
            return queryset.filter(state=State.REPORTED)
        if value == OVERDUE:
            return queryset.filter(state=State.REPORTED, ack_due_at__lt=timezone.now())
        return queryset
