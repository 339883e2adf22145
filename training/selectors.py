"""Reading training records: what each user may see, the calendar, learning records, the rule's certificates."""

from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from foreign_affairs.accounts.models import Person

from .models import Certificate, Enrolment, Session
from .workflow import PLACE_STATES, SessionState, State


def person_for_user(user) -> Person | None:
    """The traveller record of a signed-in enterprise user: the one of their organisation with their e-mail."""
    organization = getattr(user, "organization", None) if user is not None and user.is_authenticated else None
    if organization is None or not user.email:
        return None
    return Person.objects.filter(organization=organization, email__iexact=user.email).order_by("pk").first()


def with_places(queryset: QuerySet) -> QuerySet:
    """Sessions annotated with `taken` (places held), `waiting` and `free` (never below 0)."""
    return queryset.annotate(
        taken=Count("enrolments", filter=Q(enrolments__state__in=PLACE_STATES)),
        waiting=Count("enrolments", filter=Q(enrolments__state=State.WAITING)),
    ).annotate(free=F("capacity") - F("taken"))


def upcoming_sessions(*, predeparture_only: bool = False, now=None) -> QuerySet:
    """Scheduled sessions not yet started, soonest first, with their course and free places."""
    queryset = Session.objects.filter(state=SessionState.SCHEDULED, starts_at__gt=now or timezone.now())
    if predeparture_only:
        queryset = queryset.filter(course__topic="predeparture")
    return with_places(queryset.select_related("course")).order_by("starts_at", "pk")


def next_session_with_places(*, predeparture: bool = True, needed: int = 1, now=None) -> Session | None:
    """The soonest session still open for enrolment with `needed` free places (else the soonest open one)."""
    now = now or timezone.now()
    open_sessions = upcoming_sessions(predeparture_only=predeparture, now=now).filter(
        enrolment_deadline__gte=now
    )
    return open_sessions.filter(free__gte=needed).first() or open_sessions.filter(free__gt=0).first()


def sessions_for_office() -> QuerySet:
    return with_places(Session.objects.select_related("course"))


def enrolments_for(user) -> QuerySet:
    """The enrolments `user` may see: the office all; an enterprise member their organisation's; others none."""
    queryset = Enrolment.objects.select_related(
        "session__course", "person", "user", "organization", "certificate"
    )
    if user.is_authenticated and user.is_active and user.is_office_staff:
        return queryset
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    if organization is None:
        return queryset.none()
    return queryset.filter(organization=organization)


def certificates_for(user) -> QuerySet:
    queryset = Certificate.objects.select_related("course", "person", "organization", "enrolment__session")
    if user.is_authenticated and user.is_active and user.is_office_staff:
        return queryset
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    if organization is None:
        return queryset.none()
    return queryset.filter(organization=organization)


def learning_record(*, person=None, user=None) -> QuerySet:
    """Everything one person took part in, newest first: enrolments with their session, course and certificate."""
    queryset = Enrolment.objects.select_related("session__course", "certificate").prefetch_related("attempts")
    if person is not None:
        queryset = queryset.filter(person=person)
    elif user is not None:
        queryset = queryset.filter(user=user)
    else:
        return queryset.none()
    return queryset.order_by("-session__starts_at", "-pk")


def valid_predeparture(person_ids, on: date) -> QuerySet:
    """Certificates of pre-departure training valid on `on` (not revoked, issued by then, not yet expired)."""
    return Certificate.objects.filter(
        person_id__in=person_ids,
        is_predeparture=True,
        revoked_at__isnull=True,
        issued_on__lte=on,
        valid_until__gte=on,
    )


def pending_enrolment(person_ids, *, now=None) -> dict[int, Enrolment]:
    """The upcoming pre-departure enrolment (place or waiting) of each person who has one."""
    now = now or timezone.now()
    found = {}
    for enrolment in (
        Enrolment.objects.filter(
            person_id__in=person_ids,
            state__in=(State.WAITING, State.ENROLLED),
            session__course__topic="predeparture",
            session__state=SessionState.SCHEDULED,
            session__ends_at__gt=now,
        )
        .select_related("session__course")
        .order_by("session__starts_at")
    ):
        found.setdefault(enrolment.person_id, enrolment)
    return found
