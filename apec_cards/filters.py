"""The lists of card applications and cards: one definition of each list's search and filters for the
page, the API and the back office's search box (foreign_affairs.filters)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Organization
from foreign_affairs.accounts.validators import normalize_passport_number
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering, SearchFilter

from . import selectors
from .models import Card, CardApplication
from .workflow import CardState, Kind, State

APPLICATION_SEARCH_HELP = _(
    "Reference, the card holder's name or pinyin, a whole passport number or the organisation."
)
CARD_SEARCH_HELP = _("Card number, the holder's name or pinyin, or a whole passport number.")
EXPIRY_CHOICES = [
    ("expired", _("Expired")),
    ("1m", _("Expiring within a month")),
    ("6m", _("Expiring within six months (renewal open)")),
    ("later", _("Valid for more than six months")),
]


def _organizations(term: str):
    return Organization.objects.filter(Q(name_zh__icontains=term) | Q(name_en__icontains=term)).values("pk")


def application_search_q(term: str) -> Q:
    """The whole reference, the holder's name or pinyin, the whole passport number, the organisation's
    name. Only single-valued relations and a subquery: one row per application."""
    return (
        Q(reference__iexact=term)
        | Q(person__full_name__icontains=term)
        | Q(person__pinyin_name__icontains=term)
        | Q(passport_number=normalize_passport_number(term))
        | Q(organization__in=_organizations(term))
    )


def card_search_q(term: str) -> Q:
    """The whole card number, the holder's name or pinyin, the whole passport number."""
    return (
        Q(number__iexact=term)
        | Q(holder__full_name__icontains=term)
        | Q(holder__pinyin_name__icontains=term)
        | Q(passport_number=normalize_passport_number(term))
    )


class ApplicationFilter(ListFilterSet):
    search = SearchFilter(application_search_q, help_text=APPLICATION_SEARCH_HELP)
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind of application"), choices=Kind.choices, empty_label=_("All kinds")
    )
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))
    economy_pending = django_filters.CharFilter(
        label=_("Awaiting the answer of"),
        method="filter_economy_pending",
        help_text="Economy code: applications awaiting its answer",
    )
    ordering = Ordering(
        choices=[
            ("-created_at", _("Newest first")),
            ("created_at", _("Oldest first")),
            ("-submitted_at", _("Submitted, latest first")),
            ("submitted_at", _("Submitted, earliest first")),
            ("reference", _("Reference")),
            ("-reference", _("Reference, descending")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = CardApplication
        fields = []

    def filter_economy_pending(self, queryset, name, value):
        return selectors.pending_economy(queryset, value)


class CardFilter(ListFilterSet):
    search = SearchFilter(card_search_q, help_text=CARD_SEARCH_HELP)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=CardState.choices, empty_label=_("All states")
    )
    expiry = django_filters.ChoiceFilter(
        label=_("Expiry"),
        choices=EXPIRY_CHOICES,
        empty_label=_("Any expiry date"),
        method="filter_expiry",
    )
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))
    economy = django_filters.CharFilter(
        label=_("Economy"), method="filter_economy", help_text="Economy code on the card"
    )
    expires_on_after = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="gte", label=_("Expires from"), widget=forms.DateInput
    )
    expires_on_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Expires until"), widget=forms.DateInput
    )
    ordering = Ordering(
        choices=[
            ("-issued_on", _("Issued, latest first")),
            ("issued_on", _("Issued, earliest first")),
            ("expires_on", _("Expiry, soonest first")),
            ("-expires_on", _("Expiry, latest first")),
            ("number", _("Card number")),
            ("-number", _("Card number, descending")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = Card
        fields = []

    def filter_expiry(self, queryset, name, value):
        return selectors.expiry_window(queryset, value)

    def filter_economy(self, queryset, name, value):
        return queryset.filter(card_economies__economy_id=value.upper())
