"""The filters and the search of the interview requests' queue in the back office: it opens on the open
requests (requested, arranged, held); a search or a country looks through every state."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.admin_queue import CountryInUseFilter, QueueStateFilter

from ..workflow import OPEN_MEDIA_STATES, MediaState

MEDIA_SEARCH_HELP = _(
    "A reference (HNMR-2026-00004), words of the outlet or the journalist's name, or the e-mail."
)
OPEN = "open"


def media_search_q(term: str) -> Q:
    query = Q()
    for word in (term or "").split()[:10]:
        query &= (
            Q(reference__icontains=word)
            | Q(outlet__icontains=word)
            | Q(journalist_name__icontains=word)
            | Q(email__iexact=word)
        )
    return query


class MediaStateFilter(QueueStateFilter):
    """The state; by default the open ones (requested, arranged, held)."""

    title = _("state")
    parameter_name = "state"
    states = MediaState
    default = OPEN

    def widened(self) -> bool:
        return bool(self.request.GET.get("country"))

    def lookups(self, request, model_admin):
        return [(OPEN, _("Open (requested to held)")), (self.everything, _("All")), *MediaState.choices]

    def queryset(self, request, queryset):
        if self.value() == OPEN:
            return queryset.filter(state__in=OPEN_MEDIA_STATES)
        return super().queryset(request, queryset)


class OutletCountryFilter(CountryInUseFilter):
    title = _("country or region of the outlet")
    parameter_name = "country"
    field = "outlet_country"


class EscortFilter(admin.SimpleListFilter):
    title = _("escort")
    parameter_name = "escort"

    def lookups(self, request, model_admin):
        return [("me", _("Me")), ("nobody", pgettext_lazy("escort", "Nobody yet"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(escort=request.user)
        if self.value() == "nobody":
            return queryset.filter(escort__isnull=True)
        return queryset
