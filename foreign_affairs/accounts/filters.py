"""The list of travellers: one definition of its search and filters for the page and the API
(foreign_affairs.filters)."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering, SearchFilter

from .models import Gender, PassportType, Person
from .validators import normalize_passport_number

PASSPORT_CHOICES = [
    ("expired", _("Expired")),
    ("expiring", _("Expiring within six months")),
    ("missing", _("Passport details missing")),
]


def person_search_q(term: str) -> Q:
    """The name, pinyin or position, or the whole passport number."""
    return (
        Q(full_name__icontains=term)
        | Q(pinyin_name__icontains=term)
        | Q(position__icontains=term)
        | Q(passport_number=normalize_passport_number(term))
    )


class PersonFilter(ListFilterSet):
    search = SearchFilter(person_search_q, help_text=_("Name, pinyin, position or a whole passport number."))
    passport = django_filters.ChoiceFilter(
        label=_("Passport"),
        choices=PASSPORT_CHOICES,
        empty_label=_("All passports"),
        method="filter_passport",
    )
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))
    gender = django_filters.ChoiceFilter(label=_("gender"), choices=Gender.choices)
    passport_type = django_filters.ChoiceFilter(label=_("passport type"), choices=PassportType.choices)
    passport_expiry_before = django_filters.DateFilter(
        field_name="passport_expiry",
        lookup_expr="lt",
        label=_("passport expiry date"),
        widget=forms.DateInput,
    )
    passport_expiry_after = django_filters.DateFilter(
        field_name="passport_expiry",
        lookup_expr="gte",
        label=_("passport expiry date"),
        widget=forms.DateInput,
    )
    ordering = Ordering(
        choices=[
            ("full_name", _("name (Chinese)")),
            ("-full_name", _("name (Chinese)")),
            ("pinyin_name", _("name (pinyin)")),
            ("-pinyin_name", _("name (pinyin)")),
            ("passport_expiry", _("passport expiry date")),
            ("-passport_expiry", _("passport expiry date")),
            ("created_at", _("created")),
            ("-created_at", _("created")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = Person
        fields = []

    def filter_passport(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(passport_expiry__lt=today)
        if value == "expiring":
            return queryset.filter(
                passport_expiry__gte=today, passport_expiry__lt=today + timedelta(days=183)
            )
        if value == "missing":
            return queryset.filter(Q(passport_number="") | Q(passport_expiry__isnull=True))
        return queryset
