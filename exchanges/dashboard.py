"""What the start page shows about international exchanges, per role (foreign_affairs.dashboard).

- Leaders: the activities awaiting their approval, linked to the back office's list of proposed ones.
- Officers: the exchanges in their charge held more than 14 days ago and still to be reported, the foreign
  journalists' interview requests still to be arranged, and the dormant friendship cities.
- Every member of the office: the reception checklist items assigned to them and not done (the soonest due
  named), and their follow-up tasks overdue or due within 7 days (the most urgent of each named); anyone of
  the office may be given one.
- Managers: tiles with the exchanges held this year, how many presented the free trade zone, and the
  dormant friendship cities.
- The users of an enterprise that an activity visits (from its approval on): a tile with the upcoming visits,
  nothing when there is none.

Nothing for anyone else (an office member with nothing assigned sees only their role's part). Each part is
one query whatever the data: a leader's takes three (the activities, the checklist, the follow-ups), an
officer's five (those, the interview requests and the friendship cities), a manager's four (the activities,
the friendship cities, the checklist, the follow-ups), an enterprise user's one (the visits).
"""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Case, Count, F, Min, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from . import selectors
from .health import Health
from .models import ChecklistItem, FollowUp
from .workflow import HELD_STATES, PLANNED_STATES, MediaState, State

# An exchange held is reported within this many days of its last day.
REPORT_WITHIN_DAYS = 14
# A follow-up task is shown from this many days before it is due.
FOLLOW_UP_NOTICE_DAYS = 7
# What an enterprise sees coming: visits approved or confirmed, or under way.
UPCOMING_STATES = (State.APPROVED, State.CONFIRMED, State.HELD)


def exchanges(user, board) -> None:
    leader, officer, manager = (user.has_role(role) for role in (Role.LEADER, Role.OFFICER, Role.MANAGER))
    if leader or officer or manager:
        _office(user, board, leader=leader, officer=officer, manager=manager)
    elif user.enterprise is not None:
        _enterprise(user, board)


def _admin_url(model: str, **params) -> str:
    url = reverse(f"admin:exchanges_{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _activity_url(pk: int) -> str:
    return reverse("admin:exchanges_activity_change", args=[pk])


def _date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _quoted(title: str) -> str:
    """An activity's title inside a sentence, between quotation marks."""
    return pgettext("a title quoted in a sentence", "“%(title)s”") % {"title": title}


def _office(user, board, *, leader: bool, officer: bool, manager: bool) -> None:
    """One query for the activities' counts (what awaits approval, the reports due, this year's figures), one
    for the friendship cities' health (officers and managers), then the user's assignments."""
    today = timezone.localdate()
    report_late = today - timedelta(days=REPORT_WITHIN_DAYS)
    year = {"starts_on__gte": date(today.year, 1, 1), "starts_on__lte": today}
    held = Q(state__in=HELD_STATES)
    found = (
        selectors.activities_for(user)
        .order_by()
        .aggregate(
            proposed=Count("pk", filter=Q(state=State.PROPOSED)),
            unreported=Count("pk", filter=Q(state=State.HELD, ends_on__lt=report_late, owner=user)),
            held_year=Count("pk", filter=held & Q(**year)),
            presented_year=Count("pk", filter=held & Q(zone_presented=True, **year)),
        )
    )
    cities = {}
    if officer or manager:
        cities = (
            selectors.cities_with_health(user, today=today)
            .order_by()
            .aggregate(
                dormant=Count("pk", filter=Q(health=Health.DORMANT)),
                attention=Count("pk", filter=Q(health=Health.ATTENTION)),
            )
        )
    if leader and found["proposed"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d exchange activity awaits your approval.",
                    "%(count)d exchange activities await your approval.",
                    found["proposed"],
                )
                % {"count": found["proposed"]},
                _admin_url("activity", state=State.PROPOSED),
                "warning",
            )
        )
    _checklist(user, board, today)
    _follow_ups(user, board, today)
    if officer:
        _officer(user, board, found, cities, report_late)
    if manager:
        _figures(board, found, cities, today)


def _officer(user, board, found: dict, cities: dict, report_late: date) -> None:
    """The reports due, the interview requests (one query) and the dormant friendship cities."""
    if found["unreported"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d exchange in your charge was held more than %(days)d days ago and is still to be "
                    "reported.",
                    "%(count)d exchanges in your charge were held more than %(days)d days ago and are still to "
                    "be reported.",
                    found["unreported"],
                )
                % {"count": found["unreported"], "days": REPORT_WITHIN_DAYS},
                _admin_url(
                    "activity",
                    state=State.HELD,
                    owner="me",
                    ends_on__lt=report_late.isoformat(),
                ),
                "warning",
            )
        )
    requested = selectors.media_requests_for(user).filter(state=MediaState.REQUESTED).count()
    if requested:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d interview request from a foreign journalist is to be arranged.",
                    "%(count)d interview requests from foreign journalists are to be arranged.",
                    requested,
                )
                % {"count": requested},
                _admin_url("mediarequest", state=MediaState.REQUESTED),
                "warning",
            )
        )
    if cities["dormant"]:
        board.tasks.append(
            Task(
                ngettext(
                    "%(count)d friendship city is dormant: no exchange for years.",
                    "%(count)d friendship cities are dormant: no exchange for years.",
                    cities["dormant"],
                )
                % {"count": cities["dormant"]},
                _admin_url("friendshipcity", health=Health.DORMANT),
                "info",
            )
        )


def _checklist(user, board, today: date) -> None:
    """The reception checklist items assigned to the user, not done, of activities still planned: how many,
    and the one due soonest (those without a date last). One query: the first row carries the count."""
    first = (
        ChecklistItem.objects.filter(assignee=user, done_at__isnull=True, activity__state__in=PLANNED_STATES)
        .select_related("activity")
        .annotate(total=Window(Count("pk")))
        .order_by(F("due_on").asc(nulls_last=True), "activity__starts_on", "pk")
        .first()
    )
    if first is None:
        return
    names = {"count": first.total, "item": str(first), "activity": _quoted(first.activity.title)}
    if first.due_on is None:
        text = ngettext(
            "%(count)d reception checklist item is yours to do: %(item)s, for %(activity)s.",
            "%(count)d reception checklist items are yours to do; the first: %(item)s, for %(activity)s.",
            first.total,
        )
    else:
        names["day"] = _date(first.due_on)
        text = ngettext(
            "%(count)d reception checklist item is yours to do: %(item)s, for %(activity)s, due on %(day)s.",
            "%(count)d reception checklist items are yours to do; the first: %(item)s, for %(activity)s, due "
            "on %(day)s.",
            first.total,
        )
    board.tasks.append(Task(text % names, _activity_url(first.activity_id), _urgency(first.due_on, today)))


def _urgency(due_on: date | None, today: date) -> str:
    if due_on is None:
        return "info"
    if due_on < today:
        return "danger"
    return "warning" if due_on <= today + timedelta(days=FOLLOW_UP_NOTICE_DAYS) else "info"


def _follow_ups(user, board, today: date) -> None:
    """The user's follow-up tasks not done and overdue, or due within 7 days: how many of each, and the most
    urgent of each. One query: the first row of each group carries the group's count."""
    late = Case(When(due_on__lt=today, then=Value(True)), default=Value(False))
    rows = (
        FollowUp.objects.filter(
            owner=user, done_at__isnull=True, due_on__lte=today + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
        )
        .select_related("activity")
        .annotate(
            late=late,
            total=Window(Count("pk"), partition_by=[late]),
            rank=Window(RowNumber(), partition_by=[late], order_by=[F("due_on").asc(), F("pk").asc()]),
        )
        .filter(rank=1)
    )
    for row in sorted(rows, key=lambda row: not row.late):
        names = {
            "count": row.total,
            "task": row.task,
            "activity": _quoted(row.activity.title),
            "day": _date(row.due_on),
        }
        if row.late:
            text = ngettext(
                "%(count)d follow-up task of yours is overdue: %(task)s, for %(activity)s, was due on %(day)s.",
                "%(count)d follow-up tasks of yours are overdue; the first: %(task)s, for %(activity)s, was "
                "due on %(day)s.",
                row.total,
            )
        else:
            text = ngettext(
                "%(count)d follow-up task of yours is due within %(days)d days: %(task)s, for %(activity)s, "
                "on %(day)s.",
                "%(count)d follow-up tasks of yours are due within %(days)d days; the next: %(task)s, for "
                "%(activity)s, on %(day)s.",
                row.total,
            )
            names["days"] = FOLLOW_UP_NOTICE_DAYS
        board.tasks.append(
            Task(text % names, _activity_url(row.activity_id), "danger" if row.late else "warning")
        )


def _figures(board, found: dict, cities: dict, today: date) -> None:
    year = {
        "state": "all",
        "state__in": ",".join(HELD_STATES),
        "starts_on__gte": date(today.year, 1, 1).isoformat(),
        "starts_on__lte": today.isoformat(),
    }
    held, presented = found["held_year"], found["presented_year"]
    board.tiles.append(
        Tile(
            _("Exchanges held this year"),
            held,
            _admin_url("activity", **year),
            _("held, reported or closed"),
        )
    )
    board.tiles.append(
        Tile(
            _("Free trade zone presented this year"),
            presented,
            _admin_url("activity", **year, zone_presented__exact=1),
            _("in %(share)d%% of the exchanges held") % {"share": round(100 * presented / held)}
            if held
            else _("no exchange held yet this year"),
        )
    )
    board.tiles.append(
        Tile(
            _("Dormant friendship cities"),
            cities["dormant"],
            _admin_url("friendshipcity", health=Health.DORMANT),
            ngettext("%(count)d needs attention", "%(count)d need attention", cities["attention"])
            % {"count": cities["attention"]},
        )
    )


def _enterprise(user, board) -> None:
    """The visits to the user's enterprise approved, confirmed or under way (selectors.activities_for: from
    approval on, of their enterprise only). One query."""
    today = timezone.localdate()
    found = (
        selectors.activities_for(user)
        .filter(state__in=UPCOMING_STATES, ends_on__gte=today)
        .order_by()
        .aggregate(count=Count("pk"), first=Min("starts_on"))
    )
    if not found["count"]:
        return
    board.tiles.append(
        Tile(
            _("Upcoming visits to your enterprise"),
            found["count"],
            reverse("exchanges:visits"),
            _("the first on %(day)s") % {"day": _date(found["first"])}
            if found["first"] >= today
            else _("one is under way"),
        )
    )
