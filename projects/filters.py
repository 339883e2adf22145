"""The lists of cooperation projects, achievements, expressions of interest and industries: one definition
of their search and filters (foreign_affairs.filters), for the API and any page that wants them.

The catalogue's search (selectors.search: every word in the public words of both languages, part of a
word too) is everyone's `search`; office staff also find a project by the fields only they see (the
partner organisation, the contact, the enterprises: selectors.project_search_q). Filters on the office's
follow-up (stage, publication, owner, overdue next steps) exist for office staff only: on published
projects they would tell the public what is not published.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.filters import IdFilter, ListFilterSet, Ordering

from . import selectors
from .models import Achievement, CooperationProject, Industry, Interest
from .workflow import OPEN_STAGES, Channel, InterestState, Mode, Publication, Stage

PROJECT_SEARCH_HELP = _(
    "Words in Chinese or English, or parts of words (新能源, electric, logist): every word must occur in the "
    "project's public text. Office staff also find a whole reference, the partner organisation, the "
    "contact or an enterprise involved."
)
OFFICE_ONLY = ("stage", "publication", "owner", "overdue")


def _user(request):
    return getattr(request, "user", None)


def is_office(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_office_staff)


class CountryCodeFilter(django_filters.CharFilter):
    """A country or region by its ISO 3166-1 code, any case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Partner country or region"))
        kwargs.setdefault("help_text", "ISO 3166-1 code, e.g. DE")
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        code = (value or "").strip().upper()[:2]
        return queryset.filter(**{self.field_name: code}) if code else queryset


class ProjectFilter(ListFilterSet):
    search = django_filters.CharFilter(
        label=_("Search"), method="filter_search", help_text=PROJECT_SEARCH_HELP
    )
    channel = django_filters.ChoiceFilter(
        label=pgettext_lazy("cooperation project", "Channel"),
        choices=Channel.choices,
        empty_label=_("All channels"),
    )
    industry = django_filters.CharFilter(
        label=_("Industry"),
        method="filter_industry",
        help_text="An industry's code (industries API), e.g. automobiles.",
    )
    ftz_area = django_filters.ChoiceFilter(
        label=_("Free trade zone area"), choices=FTZArea.choices, empty_label=_("All areas")
    )
    partner_country = CountryCodeFilter(field_name="partner_country")
    mode = django_filters.ChoiceFilter(
        label=_("Cooperation mode"), choices=Mode.choices, empty_label=_("All modes")
    )
    mine = django_filters.BooleanFilter(
        label=_("Mine"),
        method="filter_mine",
        help_text="true: your enterprise's projects (enterprise users) or the projects you own (officers); "
        "false: the others. Ignored without an account.",
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All stages"), help_text="Office staff only."
    )
    publication = django_filters.ChoiceFilter(
        label=_("Publication"),
        choices=Publication.choices,
        empty_label=_("All"),
        help_text="Office staff only.",
    )
    owner = IdFilter(
        field_name="owner_id", label=_("Owner (officer)"), help_text="Office staff only: a user id."
    )
    overdue = django_filters.BooleanFilter(
        label=_("Next step overdue"),
        method="filter_overdue",
        help_text="Office staff only. true: open projects whose next step is past its due date; false: the "
        "others.",
    )
    ordering = Ordering(
        choices=[
            ("-published_at", _("Published, latest first")),
            ("-created_at", _("Entered, latest first")),
            ("reference", _("Reference")),
        ]
    )

    class Meta(ListFilterSet.Meta):
        model = CooperationProject
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not is_office(_user(request)):
            for name in OFFICE_ONLY:
                del self.filters[name]

    def filter_search(self, queryset, name, value):
        term = (value or "").strip()
        if not term:
            return queryset
        if not is_office(_user(self.request)):
            return selectors.search(queryset, term)
        # The public words, or what the office alone sees; as a subquery of ids, so that the join through
        # the enterprises gives no row twice.
        found = selectors.search(CooperationProject.objects.all(), term).values("pk")
        office = CooperationProject.objects.filter(selectors.project_search_q(term)).values("pk")
        return queryset.filter(Q(pk__in=found) | Q(pk__in=office))

    def filter_industry(self, queryset, name, value):
        code = (value or "").strip()
        return queryset.filter(industries__code=code) if code else queryset

    def filter_mine(self, queryset, name, value):
        user = _user(self.request)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        if is_office(user):
            mine = Q(owner=user)
        else:
            organization = user.organization
            if organization is None:
                return queryset.none() if value else queryset
            mine = Q(pk__in=CooperationProject.objects.filter(enterprises=organization).values("pk"))
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(stage__in=OPEN_STAGES, next_step_due__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class AchievementFilter(ListFilterSet):
    search = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text="Words in Chinese or English, or parts of words: every word must occur in the story.",
    )
    channel = django_filters.ChoiceFilter(
        label=pgettext_lazy("cooperation project", "Channel"),
        choices=Channel.choices,
        empty_label=_("All channels"),
    )
    ftz_area = django_filters.ChoiceFilter(
        label=_("Free trade zone area"), choices=FTZArea.choices, empty_label=_("All areas")
    )
    project = IdFilter(
        field_name="projects", label=_("Project"), help_text="A project's id: the stories linked to it."
    )
    publication = django_filters.ChoiceFilter(
        label=_("Publication"),
        choices=Publication.choices,
        empty_label=_("All"),
        help_text="Office staff only.",
    )

    class Meta(ListFilterSet.Meta):
        model = Achievement
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not is_office(_user(request)):
            del self.filters["publication"]

    def filter_search(self, queryset, name, value):
        term = (value or "").strip()
        return selectors.search(queryset, term) if term else queryset


class InterestFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=InterestState.choices, empty_label=_("All states")
    )
    project = IdFilter(field_name="project_id", label=_("Project"), help_text="A project's id.")

    class Meta(ListFilterSet.Meta):
        model = Interest
        fields = []


class IndustryFilter(ListFilterSet):
    area = django_filters.ChoiceFilter(
        label=_("Free trade zone area"),
        choices=FTZArea.choices,
        empty_label=_("All areas"),
        help_text="The industries the area's plan names (those of every area are not included).",
    )
    priority = django_filters.BooleanFilter(label=_("Priority industry"))

    class Meta(ListFilterSet.Meta):
        model = Industry
        fields = []
