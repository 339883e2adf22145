"""The back office's list filters and searches of cooperation projects, expressions of interest and
development achievements. The projects' search is the selectors' (the same as the API's)."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.admin_queue import ChoicesFilter, CountryInUseFilter, QueueStateFilter

from ..models import Industry
from ..workflow import OPEN_STAGES, Channel, Mode, Publication, Stage

PROJECT_SEARCH_HELP = _(
    "A whole reference (HNCP-2026-00012), or words of the titles, the partner organisation or city, the "
    "contact person or an enterprise's Chinese name."
)
INTEREST_SEARCH_HELP = _("Words of the name or the organisation, or the whole e-mail address.")
ACHIEVEMENT_SEARCH_HELP = _("A whole reference (HNCA-2026-00003), or words of the titles.")
INDUSTRY_SEARCH_HELP = _("Words of the Chinese or English name, or the code.")


def interest_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    return Q(name__icontains=term) | Q(organisation__icontains=term) | Q(email__iexact=term)


def achievement_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    return Q(reference__iexact=term) | Q(title_zh__icontains=term) | Q(title_en__icontains=term)


def industry_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    return Q(name_zh__icontains=term) | Q(name_en__icontains=term) | Q(code__iexact=term)


# Projects --------------------------------------------------------------------------------------------------


class StageFilter(QueueStateFilter):
    """The stage; by default the open ones (lead to implementing). A search, the publication queue, the
    overdue next steps, the industry or the partner country look through every stage unless one is
    chosen."""

    title = pgettext_lazy("project", "stage")
    parameter_name = "stage"
    states = Stage
    default = "open"
    widening = ("publication", "overdue", "partner_country", "industry")

    def widened(self) -> bool:
        return any(self.request.GET.get(name) for name in self.widening)

    def lookups(self, request, model_admin):
        return [
            (self.default, _("Open (lead to implementing)")),
            (self.everything, _("All")),
            *Stage.choices,
        ]

    def queryset(self, request, queryset):
        if self.value() == self.default:
            return queryset.filter(stage__in=OPEN_STAGES)
        if self.value() in Stage.values:
            return queryset.filter(stage=self.value())
        return queryset


class PublicationFilter(ChoicesFilter):
    title = _("publication")
    parameter_name = "publication"
    field = "publication"
    choices_class = Publication


class ChannelFilter(ChoicesFilter):
    title = _("channel")
    parameter_name = "channel"
    field = "channel"
    choices_class = Channel


class ProjectChannelFilter(ChannelFilter):
    title = _("project's channel")
    field = "project__channel"


class AreaFilter(ChoicesFilter):
    title = _("area")
    parameter_name = "area"
    field = "ftz_area"
    choices_class = FTZArea


class ModeFilter(ChoicesFilter):
    title = _("cooperation mode")
    parameter_name = "mode"
    field = "mode"
    choices_class = Mode


class IndustryFilter(admin.SimpleListFilter):
    """The industries in use (one query), priority ones first."""

    title = _("industry")
    parameter_name = "industry"

    def lookups(self, request, model_admin):
        return [(industry.code, industry.name) for industry in Industry.objects.filter(active=True)]

    def queryset(self, request, queryset):
        if self.value():
            # A subquery rather than a join: a project of two industries stays one row.
            return queryset.filter(
                pk__in=queryset.model.objects.filter(industries__code=self.value()).values("pk")
            )
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("me", _("Mine")), ("nobody", _("Nobody"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(owner=request.user)
        if self.value() == "nobody":
            return queryset.filter(owner__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """An open project whose next step is past its due date (selectors.overdue_next_steps)."""

    title = _("next step overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        condition = Q(stage__in=OPEN_STAGES, next_step_due__lt=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(condition)
        if self.value() == "no":
            return queryset.exclude(condition)
        return queryset


class CountryFilter(CountryInUseFilter):
    title = _("partner country")
    parameter_name = "partner_country"
    field = "partner_country"


# Expressions of interest -----------------------------------------------------------------------------------


class InterestCountryFilter(CountryFilter):
    title = _("country")
    parameter_name = "country"
    field = "country"


class ProjectAreaFilter(AreaFilter):
    title = _("project's area")
    field = "project__ftz_area"


class ProjectOwnerFilter(admin.SimpleListFilter):
    """The interest in the projects the officer owns (the start page's task links here)."""

    title = _("project's owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("me", _("Mine"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(project__owner=request.user)
        return queryset
