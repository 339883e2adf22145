"""Read queries of overseas safety, shared by the pages, the back office, the API, alerts and reports.

Presence abroad joins three sources: travellers of approved trips whose itinerary covers the day (through
approvals.selectors.travellers_abroad_on, the named door), staff stationed at a site that day, and the
sites themselves.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from approvals.selectors import travellers_abroad_on
from foreign_affairs.accounts.selectors import scope_for_user

from .models import AffectedPerson, ChecklistStep, Incident, Site, Stationing
from .workflow import OPEN_STATES


@dataclass
class Presence:
    """Who of ours is in one country on one day."""

    country: str
    day: date
    travellers: list[dict] = field(default_factory=list)  # travellers_abroad_on rows
    stationed: list[Stationing] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)

    @property
    def people(self) -> int:
        """Distinct people present (a stationed person also on a trip counts once)."""
        return len({row["person_id"] for row in self.travellers} | {s.person_id for s in self.stationed})


def _organization_of(user):
    if user is None or user.is_office_staff:
        return None
    return user.organization


def stationed_on(day: date, *, country: str | None = None, city: str = "", organization=None) -> QuerySet:
    rows = Stationing.objects.on(day).select_related("person", "site", "site__organization")
    if country:
        rows = rows.filter(site__country=country)
    if city:
        rows = rows.filter(site__city__iexact=city.strip())
    if organization is not None:
        rows = rows.filter(site__organization=organization)
    return rows.order_by("site__organization__name_zh", "person__full_name", "pk")


def sites_open_on(day: date, *, country: str | None = None, city: str = "", organization=None) -> QuerySet:
    sites = Site.objects.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=day)
    )
    if country:
        sites = sites.filter(country=country)
    if city:
        sites = sites.filter(city__iexact=city.strip())
    if organization is not None:
        sites = sites.filter(organization=organization)
    return sites.select_related("organization").order_by("organization__name_zh", "name", "pk")


def presence_in(country: str, day: date, *, user=None, city: str = "") -> Presence:
    """Who is in `country` (or one city of it) on `day`, as `user` may see it (an enterprise user: only
    their organisation's people and sites; office staff and user=None: everyone)."""
    organization = _organization_of(user)
    if user is not None and not user.is_office_staff and organization is None:
        return Presence(country=country, day=day)
    return Presence(
        country=country,
        day=day,
        travellers=list(travellers_abroad_on(day, country=country, city=city, organization=organization)),
        stationed=list(stationed_on(day, country=country, city=city, organization=organization)),
        sites=list(sites_open_on(day, country=country, city=city, organization=organization)),
    )


@dataclass
class CountryPresence:
    """The figures of one country on one day (presence_by_country)."""

    country: str
    travellers: int = 0  # distinct people on approved trips there
    stationed: int = 0  # distinct people stationed at a site there
    people: int = 0  # distinct people in either group
    sites: int = 0  # sites open that day
    chinese_staff: int = (
        0  # the sites' Chinese staff (Site.chinese_staff_count, as the enterprises report it)
    )


# Travellers and stationed staff, tagged by source, counted per country in one statement: a person both on a
# trip and stationed in the same country counts once among the people.
_PEOPLE_SQL = """
SELECT country,
       COUNT(DISTINCT CASE WHEN source = 1 THEN person_id END),
       COUNT(DISTINCT CASE WHEN source = 2 THEN person_id END),
       COUNT(DISTINCT person_id)
FROM (
    SELECT travellers.country AS country, travellers.person_id AS person_id, 1 AS source FROM ({travellers}) travellers
    UNION ALL
    SELECT stationed.country AS country, stationed.person_id AS person_id, 2 AS source FROM ({stationed}) stationed
) present
GROUP BY country
"""


def presence_by_country(day: date, *, user=None, ftz_area: str = "") -> list[CountryPresence]:
    """Per country, who of ours is there on `day` (as `user` may see it, like presence_in; of the
    organisations of one FTZ area when `ftz_area` is given): travellers, stationed staff, distinct people,
    open sites and their Chinese staff. Two aggregate queries whatever the number of countries, trips and
    people; countries with nobody and no site are left out. Ordered by people, then sites, most first."""
    organization = _organization_of(user)
    if user is not None and not user.is_office_staff and organization is None:
        return []
    travellers = travellers_abroad_on(day, organization=organization).order_by()
    stationed = stationed_on(day, organization=organization)
    sites = sites_open_on(day, organization=organization)
    if ftz_area:
        travellers = travellers.filter(application__organization__ftz_area=ftz_area)
        stationed = stationed.filter(site__organization__ftz_area=ftz_area)
        sites = sites.filter(organization__ftz_area=ftz_area)
    stationed = stationed.order_by().annotate(country=F("site__country")).values_list("country", "person_id")
    travellers_sql, travellers_params = travellers.query.sql_with_params()
    stationed_sql, stationed_params = stationed.query.sql_with_params()
    rows: dict[str, CountryPresence] = {}
    with connections[stationed.db].cursor() as cursor:
        cursor.execute(
            _PEOPLE_SQL.format(travellers=travellers_sql, stationed=stationed_sql),
            [*travellers_params, *stationed_params],
        )
        for country, travelling, staying, people in cursor.fetchall():
            rows[country] = CountryPresence(country, travelling, staying, people)
    sites = (
        sites.order_by().values_list("country").annotate(count=Count("pk"), staff=Sum("chinese_staff_count"))
    )
    for country, count, staff in sites:
        row = rows.setdefault(country, CountryPresence(country))
        row.sites, row.chinese_staff = count, staff or 0
    return sorted(rows.values(), key=lambda row: (-row.people, -row.sites, row.country))


def site_list_for(user) -> QuerySet:
    return scope_for_user(Site.objects.select_related("organization"), user).order_by(
        "organization__name_zh", "country", "name", "pk"
    )


def stationing_list_for(user) -> QuerySet:
    return scope_for_user(
        Stationing.objects.select_related("person", "site", "site__organization"), user
    ).order_by("site__name", "person__full_name", "-starts_on", "pk")


# Incidents -------------------------------------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """How many rows of `queryset` (filtered on OuterRef("pk")) an incident has: one subquery, no join."""
    counted = queryset.order_by().values("incident").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_list_details(incidents: QuerySet) -> QuerySet:
    """The incidents with what their rows show: organisation and officer in charge, the checklist's
    progress (steps_done of steps_total), the people affected (people_count) and `open_rank` (0 while the
    office still works on it), for the most urgent order."""
    steps = ChecklistStep.objects.filter(incident=OuterRef("pk"))
    return incidents.select_related("organization", "duty_officer").annotate(
        steps_total=_count(steps),
        steps_done=_count(steps.filter(done_at__isnull=False)),
        people_count=_count(AffectedPerson.objects.filter(incident=OuterRef("pk"))),
        open_rank=Case(
            When(state__in=OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
    )


# The most urgent first: open ones, the gravest level, the longest waiting.
URGENT_ORDER = ("open_rank", "level", "reported_at", "pk")


def incident_list_for(user) -> QuerySet:
    """The incidents `user` may see (their organisation's; office staff: all), most urgent first."""
    return with_list_details(scope_for_user(Incident.objects.all(), user)).order_by(*URGENT_ORDER)


# Sites and stationings: reads the lists share --------------------------------------------------------------


def with_stationed_now(sites, day: date | None = None):
    """Each site with `stationed_now`: how many people are stationed there on `day` (today), in the same
    query as the sites."""
    day = day or timezone.localdate()
    on_day = Q(stationings__starts_on__lte=day) & (
        Q(stationings__ends_on__isnull=True) | Q(stationings__ends_on__gte=day)
    )
    return sites.annotate(stationed_now=Count("stationings", filter=on_day))


def site_open_q() -> Q:
    """Open: not closed (a closing date is never ahead, services.sites.site_check)."""
    return Q(closed_on__isnull=True)


def period_q(period: str, day: date | None = None) -> Q:
    day = day or timezone.localdate()
    if period == "current":
        return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    if period == "upcoming":
        return Q(starts_on__gt=day)
    if period == "past":
        return Q(ends_on__lt=day)
    return Q()


def period_of(stationing: Stationing, day: date | None = None) -> str:
    """ "current", "upcoming" or "past" for one stationing already loaded."""
    day = day or timezone.localdate()
    if stationing.starts_on > day:
        return "upcoming"
    if stationing.ends_on and stationing.ends_on < day:
        return "past"
    return "current"
