"""Read queries of exchanges shared by the pages, the back office, the API, the calendar feed and the
reports. Office staff see everything; the enterprises an activity visits see it from approval on;
the public sees activities marked public once confirmed, and the friendship cities marked public.
Overseas-Chinese contacts and interview requests are the office's only."""

from datetime import date

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import health
from .models import Activity, ChecklistItem, FriendshipCity, MediaRequest, OverseasContact
from .workflow import ENTERPRISE_STATES, PUBLIC_STATES, State


def _is_office(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_office_staff


def activities_for(user) -> QuerySet:
    """The activities `user` may read: all for office staff, those visiting their enterprise (from approval
    on, and once approved also when postponed or cancelled) for enterprise users, none otherwise."""
    queryset = Activity.objects.select_related("owner", "friendship_city")
    if _is_office(user):
        return queryset
    organization = getattr(user, "organization", None) if user is not None and user.is_authenticated else None
    if organization is None or not user.is_active:
        return queryset.none()
    # A visit approved and then postponed or cancelled stays visible (they were told of it).
    seen = Q(state__in=ENTERPRISE_STATES) | Q(
        state__in=(State.POSTPONED, State.CANCELLED), approved_at__isnull=False
    )
    return queryset.filter(seen, enterprises_visited=organization).distinct()


def with_checklist_progress(queryset: QuerySet) -> QuerySet:
    """`checklist_total` and `checklist_done` on each activity, as subqueries: a page's count leaves them out
    and only the rows shown are counted (a join over every checklist row made the queue's count 124 ms at
    100 000 activities; bench/bench_exchanges.py)."""
    items = ChecklistItem.objects.filter(activity=OuterRef("pk")).order_by().values("activity")

    def count(rows):
        return Coalesce(
            Subquery(rows.annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()), 0
        )

    return queryset.annotate(
        checklist_total=count(items), checklist_done=count(items.filter(done_at__isnull=False))
    )


def public_activities(*, start: date | None = None, end: date | None = None) -> QuerySet:
    """Activities marked public, once confirmed (cancelled and postponed ones never show), by first day;
    with `start`/`end`, those that overlap the period."""
    queryset = Activity.objects.filter(public=True, state__in=PUBLIC_STATES).select_related("friendship_city")
    if start is not None:
        queryset = queryset.filter(ends_on__gte=start)
    if end is not None:
        queryset = queryset.filter(starts_on__lte=end)
    return queryset.order_by("starts_on", "pk")


def calendar_changes() -> dict:
    """The newest change and the number of the activities that are or may have been on the calendar: public
    ones in any state, and every confirmed or later one (taking an activity off the calendar, by cancelling
    it or unticking "public", changes it too). One query; what it says is a moment, nothing of content."""
    return Activity.objects.filter(Q(public=True) | Q(state__in=PUBLIC_STATES)).aggregate(
        at=Max("updated_at"), count=Count("pk")
    )


def cities_with_health(user=None, *, today: date | None = None) -> QuerySet:
    """Friendship cities with their health's figures and level (health.annotate); the public ones only for
    anyone but office staff."""
    queryset = FriendshipCity.objects.all()
    if not _is_office(user):
        queryset = queryset.filter(public=True)
    return health.annotate(queryset, today or timezone.localdate())


def city_assessment(city: FriendshipCity, *, today: date | None = None) -> health.Assessment:
    """The badge and its reasons of one city (annotated by cities_with_health, or looked up)."""
    today = today or timezone.localdate()
    if not hasattr(city, "exchanges_3y"):
        city = health.annotate(FriendshipCity.objects.filter(pk=city.pk), today).get()
    return health.assess_annotated(city, today)


def city_public_activities(city: FriendshipCity) -> QuerySet:
    return public_activities().filter(friendship_city=city).order_by("-starts_on", "-pk")


def media_requests_for(user) -> QuerySet:
    if not _is_office(user):
        return MediaRequest.objects.none()
    return MediaRequest.objects.select_related("escort", "activity")


def contacts_for(user) -> QuerySet:
    """Overseas-Chinese contacts: office staff only. Reading one's details goes through
    services.contacts.contact_view, which logs the look."""
    if not _is_office(user):
        return OverseasContact.objects.none()
    return OverseasContact.objects.all()
