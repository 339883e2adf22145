"""The filters and the search of the activities' queue in the back office. The queue opens on the planned
activities (a leader's on those awaiting approval); a search, a period or a country looks through every
state unless a state is chosen as well."""

from datetime import date, timedelta

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.accounts.roles import Role
from foreign_affairs.admin_queue import ChoicesFilter, CountryInUseFilter, QueueStateFilter

from .. import codes
from ..workflow import PLANNED_STATES, Direction, Focus, Kind, State

ACTIVITY_SEARCH_HELP = _(
    "A reference (HNEX-2026-00012), or words of the title, the foreign organisation or the head of "
    "delegation, in Chinese or English."
)
PLANNED = "planned"


def activity_search_q(term: str) -> Q:
    """Every word of the term in the reference, a title, the foreign organisation or the head's name."""
    query = Q()
    for word in (term or "").split()[:10]:
        query &= (
            Q(reference__icontains=word)
            | Q(title_zh__icontains=word)
            | Q(title_en__icontains=word)
            | Q(foreign_organisation__icontains=word)
            | Q(head_name__icontains=word)
        )
    return query


def leader_first(user) -> bool:
    """A leader who is no officer opens the queue on what awaits approval."""
    return user.has_role(Role.LEADER) and not user.has_role(Role.OFFICER)


def default_state(user) -> str:
    return State.PROPOSED if leader_first(user) else PLANNED


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class ActivityStateFilter(QueueStateFilter):
    """The state; by default the planned ones (proposed, approved, confirmed, postponed)."""

    title = _("state")
    parameter_name = "state"
    states = State
    widening = ("period", "country")

    @property
    def default(self):
        return default_state(self.request.user)

    def widened(self) -> bool:
        return any(self.request.GET.get(name) for name in self.widening)

    def lookups(self, request, model_admin):
        return [
            (PLANNED, _("Planned (proposed to postponed)")),
            (self.everything, _("All")),
            *State.choices,
        ]

    def queryset(self, request, queryset):
        if self.value() == PLANNED:
            return queryset.filter(state__in=PLANNED_STATES)
        return super().queryset(request, queryset)


class KindFilter(ChoicesFilter):
    title = _("kind")
    parameter_name = "kind"
    field = "kind"
    choices_class = Kind


class DirectionFilter(ChoicesFilter):
    title = _("direction")
    parameter_name = "direction"
    field = "direction"
    choices_class = Direction


class CodeSetFilter(admin.SimpleListFilter):
    """One code of a code set kept as ",a,b," text (codes.py)."""

    field: str
    choices_class: type

    def lookups(self, request, model_admin):
        return self.choices_class.choices

    def queryset(self, request, queryset):
        if self.value() in self.choices_class.values:
            return queryset.filter(codes.has(self.field, self.value()))
        return queryset


class AreaFilter(CodeSetFilter):
    title = _("free trade zone area")
    parameter_name = "area"
    field = "ftz_areas"
    choices_class = FTZArea


class FocusFilter(CodeSetFilter):
    title = _("focus")
    parameter_name = "focus"
    field = "focus"
    choices_class = Focus


class CountryFilter(CountryInUseFilter):
    """The countries of the foreign parties in use."""

    title = _("country or region")
    parameter_name = "country"


class OwnerFilter(admin.SimpleListFilter):
    title = _("officer in charge")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("me", _("Mine")), ("nobody", pgettext_lazy("officer in charge", "Nobody"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(owner=request.user)
        if self.value() == "nobody":
            return queryset.filter(owner__isnull=True)
        return queryset


class PeriodFilter(admin.SimpleListFilter):
    """When it takes place: this month, the next three months, or past (its last day gone)."""

    title = pgettext_lazy("activity filter", "period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            ("month", _("This month")),
            ("next3", _("Next 3 months")),
            ("past", pgettext_lazy("period", "Past")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "month":
            first, last = month_bounds(today)
            return queryset.filter(starts_on__lte=last, ends_on__gte=first)
        if self.value() == "next3":
            return queryset.filter(ends_on__gte=today, starts_on__lte=today + timedelta(days=91))
        if self.value() == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset
