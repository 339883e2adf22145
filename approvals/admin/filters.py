"""The queue's list filters and small helpers shared by the back-office pages of applications."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import QueueStateFilter
from foreign_affairs.distinct_values import distinct_values
from foreign_affairs.security.countries import country_name

from ..models import (
    ItineraryLeg,
    PassportHandover,
)
from ..workflow import STATE_TONES, WAITING_STATES, State


def days_overdue(application) -> int:
    """Days past the service-level deadline while someone must act; 0 otherwise."""
    if application.state not in WAITING_STATES or application.due_on is None:
        return 0
    return max((timezone.localdate() - application.due_on).days, 0)


def state_tag(state: str):
    tone = STATE_TONES.get(state, "neutral")
    label = State(state).label if state in State.values else state
    return format_html('<span class="state-tag state-{}">{}</span>', tone, label)


# Filters ----------------------------------------------------------------------------------------------


class StateFilter(QueueStateFilter):
    """The state, "in review" unless chosen otherwise: the officer's queue opens on what awaits them.

    A search, or one of the follow-up filters below (whose applications are never in review), looks
    through every state unless a state is chosen as well.
    """

    states = State
    default = State.IN_REVIEW

    def lookups(self, request, model_admin):
        return [(self.everything, _("All")), *State.choices]

    def widened(self) -> bool:
        return any(self.request.GET.get(name) == "yes" for name in FOLLOW_UP_PARAMETERS)


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # The countries that occur in some application, by a loose scan of the itinerary's country index.
        codes = distinct_values(ItineraryLeg, "country")
        return sorted(((code, country_name(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                pk__in=ItineraryLeg.objects.filter(country=self.value()).values("application")
            )
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = Q(due_on__lt=timezone.localdate(), state__in=WAITING_STATES)
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


# After approval: what the office must follow up. Each reads the application's own columns (or one
# subquery), so the list keeps its fixed number of queries.


class YesNoFilter(admin.SimpleListFilter):
    condition: Q

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def get_condition(self) -> Q:
        return self.condition

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.get_condition())
        if self.value() == "no":
            return queryset.exclude(self.get_condition())
        return queryset


class PermitProblemFilter(YesNoFilter):
    """Approved, but the permit task gave up (permit_error holds the reason)."""

    title = _("permit problem")
    parameter_name = "permit_problem"
    condition = Q(state=State.APPROVED) & ~Q(permit_error="")


class ReportOverdueFilter(YesNoFilter):
    title = _("report overdue")
    parameter_name = "report_overdue"

    def get_condition(self) -> Q:
        return Q(state=State.PERMIT_ISSUED, report_due_on__lt=timezone.localdate())


class PassportOverdueFilter(YesNoFilter):
    """A passport of the trip is out past its return date (a subquery on the primary key: no duplicates)."""

    title = _("passport overdue")
    parameter_name = "passport_overdue"

    def get_condition(self) -> Q:
        late = PassportHandover.objects.filter(returned_at__isnull=True, due_on__lt=timezone.localdate())
        return Q(pk__in=late.values("application"))


class ObjectionsPendingFilter(YesNoFilter):
    title = _("objections pending")
    parameter_name = "objections"
    condition = Q(pending_objections__gt=0)


FOLLOW_UP_PARAMETERS = tuple(
    f.parameter_name
    for f in (PermitProblemFilter, ReportOverdueFilter, PassportOverdueFilter, ObjectionsPendingFilter)
)


def report_days_overdue(application) -> int:
    """Days past the post-trip report's deadline while the report is still to come; 0 otherwise."""
    if application.state != State.PERMIT_ISSUED or application.report_due_on is None:
        return 0
    return max((timezone.localdate() - application.report_due_on).days, 0)


def has_permit_problem(application) -> bool:
    return application.state == State.APPROVED and bool(application.permit_error)
