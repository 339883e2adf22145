"""What the start page shows about training, per role (foreign_affairs.dashboard).

- Enterprise users: a tile with their own upcoming training (places and waiting lists in sessions still to
  come, the next named), linked to "My training"; a tile with the sessions open for enrolment with free
  places, linked to the calendar; and a task when travellers of their organisation lack valid pre-departure
  training for a trip departing within DEPARTING_SOON_DAYS (the travel rule's check: no certificate valid on
  the departure date), linked to the organisation's learning records.
- Approval officers: a tile with the sessions of this week (Monday to Sunday), linked to the back office's
  sessions; a task for the people on the waiting lists of upcoming sessions, and one for the certificates
  whose PDF could not be rendered, each linked to the back office's list.

Nothing for anyone else. Each part is a fixed number of queries whatever the data: an enterprise user's three
(their enrolments, the open sessions, the travellers), an officer's one (sessions, waiting lists and
certificates in one aggregate).
"""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Window
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.models import DelegationMember
from approvals.workflow import State as TripState
from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from .models import Audience, Certificate, Enrolment, Session
from .reporting import PLANNED_TRIP_STATES
from .selectors import with_places
from .workflow import PLACE_STATES, SessionState, State

# A trip departing within this many days needs its travellers trained now.
DEPARTING_SOON_DAYS = 60
# The trips an enterprise plans: its drafts too (the rule is checked on the form).
ENTERPRISE_TRIP_STATES = (TripState.DRAFT, *PLANNED_TRIP_STATES)
UPCOMING_STATES = (State.WAITING, State.ENROLLED)


def training(user, board) -> None:
    if user.has_role(Role.OFFICER):
        _officer(board)
    elif user.enterprise is not None:
        _enterprise(user, board)


def _admin_url(model: str, **params) -> str:
    """The back office's list of `model`, or "" while the training back office is not registered."""
    try:
        url = reverse(f"admin:training_{model}_changelist")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(params)}" if params else url


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# Enterprise users ------------------------------------------------------------------------------------------


def _enterprise(user, board) -> None:
    now = timezone.now()
    organization = user.enterprise
    _my_training(user, organization, board, now)
    _open_sessions(board, now)
    _untrained_travellers(organization, board)


def _my_training(user, organization, board, now) -> None:
    """The user's own places and waiting lists in sessions still to come, soonest first: one query (their
    traveller record is found inside it, as selectors.person_for_user finds it; the first row carries the
    count)."""
    first = None
    if user.email:
        person = (
            Person.objects.filter(organization=organization, email__iexact=user.email)
            .order_by("pk")
            .values("pk")
        )
        first = (
            Enrolment.objects.filter(
                person=Subquery(person[:1]),
                state__in=UPCOMING_STATES,
                session__state=SessionState.SCHEDULED,
                session__ends_at__gt=now,
            )
            .select_related("session__course")
            .annotate(total=Window(Count("pk")))
            .order_by("session__starts_at", "pk")
            .first()
        )
    url = reverse("training:my")
    if first is None:
        board.tiles.append(Tile(_("My training"), 0, url, _("no session booked")))
        return
    names = {"course": first.session.course.title, "when": _moment(first.session.starts_at)}
    hint = (
        _("next: %(course)s, %(when)s (on the waiting list)")
        if first.state == State.WAITING
        else _("next: %(course)s, %(when)s")
    ) % names
    board.tiles.append(Tile(_("My training"), first.total, url, hint))


def _open_sessions(board, now) -> None:
    """The sessions open for enrolment with a free place, of courses for enterprise staff: one query."""
    found = (
        with_places(
            Session.objects.filter(
                state=SessionState.SCHEDULED, enrolment_deadline__gte=now, starts_at__gt=now
            ).exclude(course__audience=Audience.OFFICE)
        )
        .filter(free__gt=0)
        .aggregate(count=Count("pk"), first=Min("starts_at"))
    )
    hint = (
        _("the next on %(day)s") % {"day": _day(timezone.localtime(found["first"]).date())}
        if found["count"]
        else _("none open at the moment")
    )
    board.tiles.append(
        Tile(_("Training sessions with free places"), found["count"], reverse("training:calendar"), hint)
    )


def untrained_travellers(organization, today=None) -> dict:
    """The travellers of the organisation's trips departing within DEPARTING_SOON_DAYS (drafts included) with
    no pre-departure certificate valid on the departure date, as the travel rule checks it: how many, in how
    many applications, and the first departure. One query."""
    today = today or timezone.localdate()
    departure = OuterRef("application__departure_date")
    valid = Certificate.objects.filter(
        person=OuterRef("person"),
        is_predeparture=True,
        revoked_at__isnull=True,
        issued_on__lte=departure,
        valid_until__gte=departure,
    )
    return (
        DelegationMember.objects.filter(
            application__organization=organization,
            application__state__in=ENTERPRISE_TRIP_STATES,
            application__departure_date__gte=today,
            application__departure_date__lte=today + timedelta(days=DEPARTING_SOON_DAYS),
        )
        .exclude(Exists(valid))
        .order_by()
        .aggregate(
            people=Count("person", distinct=True),
            applications=Count("application", distinct=True),
            first=Min(F("application__departure_date")),
        )
    )


def _untrained_travellers(organization, board) -> None:
    found = untrained_travellers(organization)
    if not found["people"]:
        return
    board.tasks.append(
        Task(
            ngettext(
                "%(count)d traveller departing within %(days)d days has no valid pre-departure training; the "
                "first trip departs on %(day)s.",
                "%(count)d travellers departing within %(days)d days have no valid pre-departure training; the "
                "first trip departs on %(day)s.",
                found["people"],
            )
            % {"count": found["people"], "days": DEPARTING_SOON_DAYS, "day": _day(found["first"])},
            reverse("training:people"),
            "danger",
        )
    )


# Approval officers -----------------------------------------------------------------------------------------


def _officer(board) -> None:
    """This week's sessions, the waiting lists of upcoming sessions and the certificates not rendered: one
    aggregate over the sessions, their enrolments and certificates."""
    now = timezone.now()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    week_start = timezone.make_aware(datetime.combine(monday, time.min))
    week_end = week_start + timedelta(days=7)
    this_week = Q(state=SessionState.SCHEDULED, starts_at__gte=week_start, starts_at__lt=week_end)
    waiting = Q(state=SessionState.SCHEDULED, ends_at__gt=now, enrolments__state=State.WAITING)
    failed = Q(enrolments__certificate__file="", enrolments__certificate__render_error__gt="")
    found = Session.objects.order_by().aggregate(
        week=Count("pk", filter=this_week, distinct=True),
        week_taken=Count("enrolments", filter=this_week & Q(enrolments__state__in=PLACE_STATES)),
        waiting=Count("enrolments", filter=waiting),
        failed=Count("enrolments__certificate", filter=failed),
    )
    board.tiles.append(
        Tile(
            _("Training sessions this week"),
            found["week"],
            _admin_url(
                "session",
                period="all",
                starts_at__gte=week_start.isoformat(),
                starts_at__lt=week_end.isoformat(),
            ),
            ngettext("%(count)d place booked", "%(count)d places booked", found["week_taken"])
            % {"count": found["week_taken"]},
        )
    )
    if found["waiting"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d person is waiting for a place in an upcoming training session.",
                    "%(count)d people are waiting for places in upcoming training sessions.",
                    found["waiting"],
                )
                % {"count": found["waiting"]},
                _admin_url("enrolment", state=State.WAITING),
                "info",
            )
        )
    if found["failed"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d training certificate could not be rendered.",
                    "%(count)d training certificates could not be rendered.",
                    found["failed"],
                )
                % {"count": found["failed"]},
                _admin_url("certificate", file__exact="", render_error__gt=""),
                "danger",
            )
        )
