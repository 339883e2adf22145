"""The friendship cities' list filters and search in the back office. The health filter works on the level
health.annotate puts on each row in the database: the same rules as the badge (health.assess), so a filtered
list and its badges always agree."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import CountryInUseFilter

from ..health import Health
from ..models import FriendshipCity, RelationshipKind
from ..models.common import in_language

CITY_SEARCH_HELP = _(
    "Words of the Henan or the foreign city's name, in Chinese or English, or a country code."
)


def city_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    found = (
        Q(henan_name_zh__icontains=term)
        | Q(henan_name_en__icontains=term)
        | Q(foreign_name_zh__icontains=term)
        | Q(foreign_name_en__icontains=term)
    )
    if len(term) == 2 and term.isascii() and term.isalpha():
        found |= Q(country=term.upper())
    return found


class HealthFilter(admin.SimpleListFilter):
    """The relationship's health, dormant first: what the office looks at first."""

    title = _("health")
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [(level, Health(level).label) for level in (Health.DORMANT, Health.ATTENTION, Health.ACTIVE)]

    def queryset(self, request, queryset):
        if self.value() in Health.values:
            return queryset.filter(health=self.value())
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return RelationshipKind.choices

    def queryset(self, request, queryset):
        if self.value() in RelationshipKind.values:
            return queryset.filter(kind=self.value())
        return queryset


class CountryFilter(CountryInUseFilter):
    """The countries of the registered pairs."""

    title = _("country")
    parameter_name = "country"


class HenanCityFilter(admin.SimpleListFilter):
    """The Henan cities (or the province) that have pairs, named in the reader's language."""

    title = _("Henan city")
    parameter_name = "henan"

    def lookups(self, request, model_admin):
        names = (
            FriendshipCity.objects.order_by("henan_name_en")
            .values_list("henan_name_en", "henan_name_zh")
            .distinct()
        )
        seen, rows = set(), []
        for name_en, name_zh in names:
            if name_en.casefold() not in seen:
                seen.add(name_en.casefold())
                rows.append((name_en, in_language(name_zh, name_en)))
        return rows

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(henan_name_en__iexact=self.value())
        return queryset
