"""Read queries of overseas safety, shared by the pages, the back office, the API, alerts and reports.

Presence abroad joins three sources: travellers of approved trips whose itinerary covers the day (through
approvals.selectors.travellers_abroad_on, the named door), staff stationed at a site that day, and the
sites themselves.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from approvals.selectors import travellers_abroad_on
from foreign_affairs.accounts.selectors import scope_for_user

from .models import Site, Stationing


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
    from django.db.models import Q

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


def site_list_for(user) -> QuerySet:
    return scope_for_user(Site.objects.select_related("organization"), user).order_by(
        "organization__name_zh", "country", "name", "pk"
    )


def stationing_list_for(user) -> QuerySet:
    return scope_for_user(
        Stationing.objects.select_related("person", "site", "site__organization"), user
    ).order_by("site__name", "person__full_name", "-starts_on", "pk")
