"""Read queries of cooperation projects shared by pages, the back office, the API, the feeds and reports.

The catalogue's search looks in `search_text` (the public words of both languages, lower-cased): every
word of the query must occur in it, as part of a word too ("logist", "物流"). On PostgreSQL a trigram
index (pg_trgm, GIN) serves these `LIKE '%…%'` lookups of three characters or more; on SQLite they run
without an index. Results come newest first on both: ranking every match by similarity cost a second at
50 000 projects for a common word (bench/bench_projects.py), newest first uses the catalogue's index and
stops at the page. A search's count stops at SEARCH_COUNT_CAP ("more than 1 000").
"""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from foreign_affairs.accounts.selectors import scope_for_user

from .models import Achievement, AchievementImage, CooperationProject, Industry, Interest, ProjectDocument
from .workflow import OPEN_STAGES, InterestState, Publication

# At most this many words of a query are looked for (a query is not a document).
MAX_WORDS = 8
SEARCH_COUNT_CAP = 1000
CATALOGUE_VERSION_KEY = "projects:catalogue-version"


def search_words(term: str) -> list[str]:
    words = [w for w in (term or "").lower().split() if w]
    return [w[:50] for w in words[:MAX_WORDS]]


def search(queryset: QuerySet, term: str) -> QuerySet:
    """`queryset` narrowed to the rows whose public words contain every word of `term`."""
    for word in search_words(term):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


class CappedPaginator(Paginator):
    """A paginator whose count stops at SEARCH_COUNT_CAP + 1 for a search (`capped` says so): counting every
    match of a common word is most of a search's time, and nobody pages past the thousandth."""

    def __init__(self, object_list, per_page, *, capped_search: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.capped_search = capped_search
        self.capped = False

    @cached_property
    def count(self) -> int:
        if not self.capped_search:
            return super().count
        found = self.object_list.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()
        self.capped = found > SEARCH_COUNT_CAP
        return min(found, SEARCH_COUNT_CAP)


def published_countries() -> list[str]:
    """The partner countries of published projects (the catalogue's country filter), cached until the next
    change of what is published (services bump the version)."""

    def compute():
        return list(
            CooperationProject.objects.filter(publication=Publication.PUBLISHED)
            .exclude(partner_country="")
            .order_by()
            .values_list("partner_country", flat=True)
            .distinct()
        )

    version = cache.get_or_set(CATALOGUE_VERSION_KEY, 1, None)
    return cache.get_or_set(f"projects:published-countries:{version}", compute, 3600)


def catalogue_changed() -> None:
    """What is published changed: the cached country list is computed again."""
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 2, None)


def _public_images() -> Prefetch:
    return Prefetch(
        "attachments",
        queryset=ProjectDocument.objects.filter(public=True)
        .select_related("document")
        .order_by("kind", "created_at", "pk"),
        to_attr="public_documents",
    )


def published_projects() -> QuerySet:
    """What the public sees: published projects, newest first, with their industries and public files."""
    return (
        CooperationProject.objects.filter(publication=Publication.PUBLISHED)
        .prefetch_related("industries", _public_images())
        .order_by("-published_at", "-pk")
    )


def catalogue(
    *,
    term: str = "",
    channel: str = "",
    industry: str = "",
    area: str = "",
    country: str = "",
    mode: str = "",
) -> QuerySet:
    """The public catalogue, filtered (industry by its code) and searched."""
    queryset = published_projects()
    if channel:
        queryset = queryset.filter(channel=channel)
    if industry:
        queryset = queryset.filter(industries__code=industry)
    if area:
        queryset = queryset.filter(ftz_area=area)
    if country:
        queryset = queryset.filter(partner_country=country.upper())
    if mode:
        queryset = queryset.filter(mode=mode)
    return search(queryset, term)


def published_project(reference: str) -> CooperationProject | None:
    return published_projects().filter(reference=reference).first()


def related_projects(project: CooperationProject, *, limit: int = 4) -> list[CooperationProject]:
    """Other published projects of the same industry or partner country: those sharing more first."""
    industry_ids = [i.pk for i in project.industries.all()]
    match = Q(industries__in=industry_ids) if industry_ids else Q(pk__in=[])
    if project.partner_country:
        match |= Q(partner_country=project.partner_country)
    ids = (
        CooperationProject.objects.filter(publication=Publication.PUBLISHED)
        .exclude(pk=project.pk)
        .filter(match)
        .values("pk")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(ids)
    found = {p.pk: p for p in CooperationProject.objects.filter(pk__in=ids).prefetch_related("industries")}
    return [found[pk] for pk in ids if pk in found]


def published_achievements() -> QuerySet:
    return (
        Achievement.objects.filter(publication=Publication.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=AchievementImage.objects.select_related("document").order_by("created_at", "pk"),
                to_attr="images",
            ),
            Prefetch(
                "projects",
                queryset=CooperationProject.objects.filter(publication=Publication.PUBLISHED),
                to_attr="public_projects",
            ),
        )
        .order_by("-published_at", "-pk")
    )


def published_achievement(reference: str) -> Achievement | None:
    return published_achievements().filter(reference=reference).first()


def project_list_for(user) -> QuerySet:
    """Every project the user may see beyond the catalogue: all for office staff, the projects their
    enterprise is involved in for enterprise users."""
    return (
        scope_for_user(CooperationProject.objects.all(), user)
        .select_related("owner")
        .prefetch_related("industries", "enterprises")
    )


def project_search_q(term: str) -> Q:
    """The back office's and the API's search: reference, titles, partner, contact."""
    term = (term or "").strip()
    if not term:
        return Q()
    return (
        Q(reference__iexact=term)
        | Q(title_zh__icontains=term)
        | Q(title_en__icontains=term)
        | Q(partner_organisation__icontains=term)
        | Q(partner_city__icontains=term)
        | Q(contact_name__icontains=term)
        | Q(enterprises__name_zh__icontains=term)
    )


def overdue_next_steps(today=None) -> QuerySet:
    """Open projects whose next step is past its due date."""
    return CooperationProject.objects.filter(
        stage__in=OPEN_STAGES, next_step_due__lt=today or timezone.localdate()
    )


def review_queue() -> QuerySet:
    return CooperationProject.objects.filter(publication=Publication.IN_REVIEW).order_by(
        "stage_changed_at", "pk"
    )


def interest_list_for(user) -> QuerySet:
    """Expressions of interest: all for office staff; for an enterprise, the leads forwarded to it."""
    queryset = scope_for_user(Interest.objects.select_related("project"), user)
    if not (user.is_authenticated and user.is_office_staff):
        queryset = queryset.filter(state=InterestState.FORWARDED)
    return queryset.order_by("-created_at", "-pk")


def achievement_list_for(user) -> QuerySet:
    return scope_for_user(Achievement.objects.all(), user).distinct()


def industries(*, active_only: bool = True) -> QuerySet:
    queryset = Industry.objects.all()
    return queryset.filter(active=True) if active_only else queryset


def with_interest_counts(queryset: QuerySet) -> QuerySet:
    """Annotate `interest_count` and `new_interest` (any interest not yet forwarded or closed)."""
    return queryset.annotate(
        interest_count=Count("interests", distinct=True),
        new_interest=Exists(Interest.objects.filter(project=OuterRef("pk"), state=InterestState.RECEIVED)),
    )
