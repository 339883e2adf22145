"""The list filters of the card application queue and the card registry.

Every filter is a condition on the row's own columns or one subquery on the primary key, so the lists
keep a fixed number of queries and never show a row twice.
"""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import QueueStateFilter

from .. import selectors
from ..models import CardEconomy, Economy
from ..workflow import OFFICE_STATES, State

# Pre-clearance answers are still awaited while the application is in pre-clearance, and after an early
# card was issued (selectors.pending_by_economy counts the same).
AWAITING_ANSWER_STATES = (State.PRE_CLEARANCE, State.ISSUED)


class StateFilter(QueueStateFilter):
    """The state; by default what the office must act on (endorsed, in review, pre-clearance).

    A search (a reference from a phone call, a holder's name) and the "economy pending" filter look
    through every state unless a state is chosen as well.
    """

    states = State
    default = "office"

    def lookups(self, request, model_admin):
        return [
            (self.default, _("To act on (endorsed, in review, pre-clearance)")),
            (self.everything, _("All")),
            *State.choices,
        ]

    def widened(self) -> bool:
        return bool(self.request.GET.get(EconomyPendingFilter.parameter_name))

    def queryset(self, request, queryset):
        if self.value() == self.default:
            return queryset.filter(state__in=OFFICE_STATES)
        return super().queryset(request, queryset)


class EconomyFilter(admin.SimpleListFilter):
    """The economies taking part in pre-clearance, by code."""

    parameter_name = "economy"

    def lookups(self, request, model_admin):
        return [(economy.code, economy.name) for economy in Economy.objects.preclearing()]


class EconomyPendingFilter(EconomyFilter):
    """Applications whose answer from one economy is still awaited (in pre-clearance, or issued early)."""

    title = _("economy pending")

    def queryset(self, request, queryset):
        if self.value():
            return selectors.pending_economy(queryset, self.value()).filter(state__in=AWAITING_ANSWER_STATES)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting in this state")
    parameter_name = "waiting"
    thresholds = {"30": 30, "90": 90}

    def lookups(self, request, model_admin):
        return [("30", _("Over 30 days")), ("90", _("Over 90 days"))]

    def queryset(self, request, queryset):
        days = self.thresholds.get(self.value() or "")
        if days is None:
            return queryset
        return queryset.filter(state_changed_at__lt=timezone.now() - timedelta(days=days))


# The card registry --------------------------------------------------------------------------------------


class ExpiryFilter(admin.SimpleListFilter):
    """selectors.EXPIRY_WINDOWS: expired, valid and expiring within one or six months, or later."""

    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        labels = {
            "expired": _("Expired"),
            "1m": _("Expires within 1 month"),
            "6m": _("Expires within 6 months"),
            "later": _("Expires later"),
        }
        return [(window, labels[window]) for window in selectors.EXPIRY_WINDOWS]

    def queryset(self, request, queryset):
        if self.value() in selectors.EXPIRY_WINDOWS:
            return selectors.expiry_window(queryset, self.value())
        return queryset


class CardEconomyFilter(EconomyFilter):
    title = _("economy on the card")

    def queryset(self, request, queryset):
        if self.value():
            on_card = CardEconomy.objects.filter(card=OuterRef("pk"), economy_id=self.value().upper())
            return queryset.filter(Exists(on_card))
        return queryset
