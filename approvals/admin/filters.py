"""The queue's list filters and small helpers shared by the back-office pages of applications."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role

from ..models import (
    ItineraryLeg,
)
from ..workflow import STATE_TONES, WAITING_STATES, State

COMMENT_SESSION_KEY = "approvals-admin-comment-%s"


def office_officers():
    """Active users holding the Officer role in person: whom an application can be given to."""
    return User.objects.filter(is_active=True, groups__name=Role.OFFICER).order_by("last_name", "username")


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


class StateFilter(admin.SimpleListFilter):
    """The state, "in review" unless chosen otherwise: the officer's queue opens on what awaits them."""

    title = _("state")
    parameter_name = "state"
    default = State.IN_REVIEW
    everything = "all"

    def lookups(self, request, model_admin):
        return [(self.everything, _("All")), *State.choices]

    def value(self):
        if self.parameter_name in self.used_parameters:
            return self.used_parameters[self.parameter_name]
        # A search (a reference from a phone call, a traveller's name) looks through every state.
        return self.everything if self.request.GET.get(SEARCH_VAR, "").strip() else self.default

    def choices(self, changelist):
        # Replaces SimpleListFilter's "All" (no parameter), which here means the default state.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value in State.values:
            return queryset.filter(state=value)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # One query over the indexed itinerary column: the countries that occur in some application.
        codes = ItineraryLeg.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, country_names.name(code) or code) for code in codes), key=lambda item: item[1])

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


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Me")), ("nobody", _("Nobody"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_officer=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_officer__isnull=True)
        return queryset


class OfficerChoiceForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), empty_label=_("Choose an officer")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = office_officers()
        self.fields["officer"].label_from_instance = lambda user: f"{user} ({user.username})"


# The officers' queue ------------------------------------------------------------------------------------
