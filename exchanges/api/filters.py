"""The filters of the exchanges API's lists (django-filter, foreign_affairs.filters): an invalid value
answers 400 naming the parameter. A search is words, each of which must occur in one of the list's
columns (part of a word too, any case), so that "Bavarian 郑州" finds what holds both."""

from functools import reduce
from operator import and_, or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.filters import IdFilter, ListFilterSet, SearchFilter

from .. import codes
from ..health import Health
from ..models import (
    Activity,
    FriendshipCity,
    MediaRequest,
    OverseasContact,
    RelationshipKind,
    consent_recorded_q,
)
from ..workflow import Direction, Focus, Kind, MediaState, State


def words_q(*columns: str):
    """The search of a list over `columns`: every word of the term in one of them."""

    def search_q(term: str) -> Q:
        words = term.split()[:10]
        return reduce(
            and_, (reduce(or_, (Q(**{f"{c}__icontains": word}) for c in columns)) for word in words), Q()
        )

    return search_q


class CountryCodeFilter(django_filters.CharFilter):
    """A country or region by its ISO 3166-1 code, any case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country or region"))
        kwargs.setdefault("help_text", "ISO 3166-1 code, e.g. DE")
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        code = (value or "").strip().upper()[:2]
        return queryset.filter(**{self.field_name: code}) if code else queryset


class CodeSetFilter(django_filters.ChoiceFilter):
    """One code of a code set kept as ",a,b," text (codes.py): the rows whose set holds it."""

    def filter(self, queryset, value):
        return queryset.filter(codes.has(self.field_name, value)) if value else queryset


class ActivityFilter(ListFilterSet):
    search = SearchFilter(
        words_q(
            "reference",
            "title_zh",
            "title_en",
            "foreign_organisation",
            "head_name",
            "city",
            "venue",
        ),
        help_text="Words in Chinese or English, or parts of words: each must occur in the reference, the "
        "title, the foreign organisation, the head of delegation, the city or the venue.",
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds"))
    direction = django_filters.ChoiceFilter(
        label=_("Direction"), choices=Direction.choices, empty_label=_("All directions")
    )
    area = CodeSetFilter(
        field_name="ftz_areas",
        label=_("Free trade zone area"),
        choices=FTZArea.choices,
        empty_label=_("All areas"),
    )
    country = CountryCodeFilter(field_name="country", label=_("Country or region of the foreign party"))
    focus = CodeSetFilter(
        field_name="focus",
        label=pgettext_lazy("exchange focus", "Focus"),
        choices=Focus.choices,
        empty_label=_("All"),
    )
    friendship_city = IdFilter(
        field_name="friendship_city_id", label=_("Friendship city"), help_text="A friendship city's id."
    )
    # An activity is in the period when it overlaps it.
    date_from = django_filters.DateFilter(
        field_name="ends_on",
        lookup_expr="gte",
        label=_("From"),
        help_text="YYYY-MM-DD: the activities of the period from this day on (those that end on it or later).",
    )
    date_to = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Until"),
        help_text="YYYY-MM-DD: the activities of the period until this day (those that start on it or earlier).",
    )

    class Meta(ListFilterSet.Meta):
        model = Activity
        fields = []


class CityFilter(ListFilterSet):
    search = SearchFilter(
        words_q("henan_name_zh", "henan_name_en", "foreign_name_zh", "foreign_name_en"),
        help_text="Words in Chinese or English, or parts of words: each must occur in a name of the pair.",
    )
    health = django_filters.ChoiceFilter(
        label=_("Health"), choices=Health.choices, empty_label=_("All"), help_text="The health's level."
    )
    country = CountryCodeFilter(field_name="country")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=RelationshipKind.choices, empty_label=_("All kinds")
    )

    class Meta(ListFilterSet.Meta):
        model = FriendshipCity
        fields = []


class MediaRequestFilter(ListFilterSet):
    search = SearchFilter(
        words_q("reference", "journalist_name", "outlet", "topic"),
        help_text="Words, or parts of words: each must occur in the reference, the journalist's name, the "
        "outlet or the topic.",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=MediaState.choices, empty_label=_("All states")
    )
    outlet_country = CountryCodeFilter(
        field_name="outlet_country", label=_("Country or region of the outlet")
    )

    class Meta(ListFilterSet.Meta):
        model = MediaRequest
        fields = []


class ContactFilter(ListFilterSet):
    search = SearchFilter(
        words_q("reference", "name_zh", "name_latin", "association", "city"),
        help_text="Words, or parts of words: each must occur in the reference, a name, the association or "
        "the city.",
    )
    country = CountryCodeFilter(field_name="country")
    consent = django_filters.BooleanFilter(
        label=_("Agreed to be contacted"),
        help_text="true: those who agreed to be contacted; false: the others.",
    )
    consent_recorded = django_filters.BooleanFilter(
        label=_("Consent recorded"),
        method="filter_consent_recorded",
        help_text="true: consent recorded in full (agreed, dated, how); false: consent not recorded.",
    )

    class Meta(ListFilterSet.Meta):
        model = OverseasContact
        fields = []

    def filter_consent_recorded(self, queryset, name, value):
        return queryset.filter(consent_recorded_q()) if value else queryset.exclude(consent_recorded_q())
