"""The travel approvals on the managers' dashboard and in the exported reports (foreign_affairs.reports).

The dashboard's travel figures over a period are sums over the daily summary (approvals.summary), a few
hundred rows whatever the number of applications; what is "now" (overdue, abroad) is a live query on an
index. The exported rows are read from the applications themselves. Every figure links to the
back-office list behind it.
"""

from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import FTZArea, Organization
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.security.countries import join_names, reader_language

from .models import (
    DelegationMember,
    Metric,
    MissionType,
    PassportHandover,
    StatePeriod,
    TravelApplication,
)
from .summary import read as summary
from .workflow import WAITING_STATES, State

# Applications whose trip was approved (and not cancelled): the trips.
TRIP_STATES = (State.APPROVED, State.PERMIT_ISSUED, State.REPORT_SUBMITTED, State.CLOSED)
APPROVED_STATES = (*TRIP_STATES, State.CANCELLED)


# Links to the back office --------------------------------------------------------------------------------


def queue_url(filters: Filters | None = None, **params) -> str:
    """The officers' application list (every state unless `state` is given), narrowed to the area."""
    query = {"state": "all", **params}
    if filters is not None and filters.ftz_area:
        query["organization__ftz_area__exact"] = filters.ftz_area
    return f"{reverse('admin:approvals_travelapplication_changelist')}?{urlencode(query)}"


def _between(field: str, filters: Filters) -> dict:
    return {f"{field}__gte": filters.date_from.isoformat(), f"{field}__lte": filters.date_to.isoformat()}


# Querysets ---------------------------------------------------------------------------------------------


def applications(filters: Filters):
    queryset = TravelApplication.objects.all()
    if filters.ftz_area:
        queryset = queryset.filter(organization__ftz_area=filters.ftz_area)
    return queryset


def decided(filters: Filters):
    return applications(filters).filter(filters.between("decided_at"), submitted_at__isnull=False)


def trips(filters: Filters):
    """Approved trips departing in the period."""
    return applications(filters).filter(
        state__in=TRIP_STATES, departure_date__gte=filters.date_from, departure_date__lte=filters.date_to
    )


def periods(filters: Filters):
    queryset = StatePeriod.objects.all()
    if filters.ftz_area:
        queryset = queryset.filter(application__organization__ftz_area=filters.ftz_area)
    return queryset


# The dashboard -------------------------------------------------------------------------------------------


def _days(value) -> float | None:
    return None if value is None else round(value, 1)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def applications_section(filters: Filters) -> Section:
    """Received, decided, returned; time to a decision and per waiting state; the service level; overdue now.

    Read from the daily summary (approvals.summary), except "overdue now", a live query on the queue's
    index (state, due_on)."""
    today = timezone.localdate()
    counted = list(
        summary.rows(
            filters,
            (Metric.RECEIVED, Metric.DECIDED, Metric.RETURNED, Metric.SERVICE_TOTAL, Metric.SERVICE_IN_TIME),
            "metric",
            "state",
            "day",
        )
    )

    def total(metric, states=None) -> int:
        return sum(
            row["n"]
            for row in counted
            if row["metric"] == metric and (states is None or row["state"] in states)
        )

    counts = {
        "received": total(Metric.RECEIVED),
        "approved": total(Metric.DECIDED, APPROVED_STATES),
        "rejected": total(Metric.DECIDED, (State.REJECTED,)),
    }
    overdue = applications(filters).filter(state__in=WAITING_STATES, due_on__lt=today).count()
    service = {"total": total(Metric.SERVICE_TOTAL), "in_time": total(Metric.SERVICE_IN_TIME)}
    returned = total(Metric.RETURNED)
    histograms: dict[tuple, dict[int, int]] = defaultdict(dict)
    for row in summary.rows(
        filters, (Metric.DECISION_HOURS, Metric.WAITED_HOURS), "metric", "state", "hours"
    ):
        histograms[(row["metric"], row["state"])][row["hours"]] = row["n"]
    decision = {f: summary.percentile(histograms[(Metric.DECISION_HOURS, "")], f) for f in (0.5, 0.9)}
    days = _("days")
    figures = [
        Figure(
            _("Applications received"),
            counts["received"],
            queue_url(filters, **_between("submitted_at__date", filters)),
        ),
        Figure(
            _("Approved"),
            counts["approved"],
            queue_url(filters, state__in=",".join(APPROVED_STATES), **_between("decided_at__date", filters)),
        ),
        Figure(
            _("Not approved"),
            counts["rejected"],
            queue_url(filters, state=State.REJECTED, **_between("decided_at__date", filters)),
        ),
        Figure(
            _("Returned for changes"),
            returned,
            queue_url(
                filters,
                state_periods__state=State.RETURNED,
                **_between("state_periods__entered_at__date", filters),
            ),
            hint=_("times an application was returned"),
        ),
        Figure(
            _("Median time to a decision"),
            _days(decision[0.5]),
            queue_url(filters, **_between("decided_at__date", filters)),
            unit=days,
            hint=_("from submission to approval or refusal"),
        ),
        Figure(
            _("90th percentile time to a decision"),
            _days(decision[0.9]),
            queue_url(filters, **_between("decided_at__date", filters)),
            unit=days,
            hint=_("nine decisions in ten took at most this long"),
        ),
        Figure(
            _("Decided within the service level"),
            _share(service["in_time"], service["total"]),
            queue_url(
                filters,
                state_periods__state__in=",".join(WAITING_STATES),
                **_between("state_periods__left_at__date", filters),
            ),
            unit="%",
            hint=_("%(in_time)d of %(total)d steps on time") % service,
        ),
        Figure(
            _("Overdue now"),
            overdue,
            queue_url(filters, overdue="yes"),
            tone="danger" if overdue else "",
        ),
    ]
    labels, medians, p90s = [], [], []
    for state in WAITING_STATES:
        histogram = histograms[(Metric.WAITED_HOURS, state)]
        labels.append(str(State(state).label))
        medians.append(_days(summary.percentile(histogram, 0.5)) or 0)
        p90s.append(_days(summary.percentile(histogram, 0.9)) or 0)
    waiting = Chart(
        "columns",
        _("Days in each waiting state"),
        labels,
        [(_("median"), medians), (_("90th percentile"), p90s)],
        urls=[
            queue_url(
                filters, state_periods__state=state, **_between("state_periods__left_at__date", filters)
            )
            for state in WAITING_STATES
        ],
        unit=" " + days,
        description=_("Median and 90th percentile of the days applications spent in each waiting state."),
    )
    received_by_month = summary.by_month(counted, filters, lambda row: row["metric"] == Metric.RECEIVED)
    decided_by_month = summary.by_month(counted, filters, lambda row: row["metric"] == Metric.DECIDED)
    monthly = Chart(
        "line",
        _("Applications by month"),
        [_month_label(first) for first, _last, _n in received_by_month],
        [
            (pgettext("applications in a month", "received"), [n for _first, _last, n in received_by_month]),
            (pgettext("applications in a month", "decided"), [n for _first, _last, n in decided_by_month]),
        ],
        urls=[
            queue_url(
                filters, submitted_at__date__gte=first.isoformat(), submitted_at__date__lte=last.isoformat()
            )
            for first, last, _n in received_by_month
        ],
        description=_("Applications received and decided (approved or not) in each month of the period."),
    )
    return Section("applications", _("Travel applications"), figures, [monthly, waiting])


def trips_section(filters: Filters) -> Section:
    """Approved trips departing in the period: by destination, month, organisation and kind of mission.

    Read from the daily summary (approvals.summary)."""
    counted = list(
        summary.rows(filters, (Metric.TRIPS, Metric.TRIPS_BELT_AND_ROAD), "metric", "value", "day")
    )
    by_mission = dict.fromkeys(MissionType.values, 0)
    for row in counted:
        if row["metric"] == Metric.TRIPS:
            by_mission[row["value"]] = by_mission.get(row["value"], 0) + row["n"]
    totals = {
        "total": sum(by_mission.values()),
        "belt_and_road": sum(row["n"] for row in counted if row["metric"] == Metric.TRIPS_BELT_AND_ROAD),
    }
    by_country = [
        {"country": row["value"], "n": row["n"]}
        for row in summary.rows(filters, (Metric.TRIPS_COUNTRY,), "value")
        .filter(n__gt=0)
        .order_by("-n", "value")[:15]
    ]
    months = summary.by_month(counted, filters, lambda row: row["metric"] == Metric.TRIPS)
    by_organization = _top_organizations(filters, 10)
    english = get_language() == "en"
    trip_filter = {"state__in": ",".join(TRIP_STATES), **_between("departure_date", filters)}
    figures = [
        Figure(_("Approved trips departing"), totals["total"], queue_url(filters, **trip_filter)),
        Figure(
            _("Belt and Road share"),
            _share(totals["belt_and_road"], totals["total"]),
            queue_url(filters, belt_and_road__exact=1, **trip_filter),
            unit="%",
            hint=_("%(belt_and_road)d of %(total)d trips") % totals,
        ),
    ]
    charts = [
        Chart(
            "bar",
            _("Trips by destination"),
            [join_names(row["country"]) for row in by_country],
            [(_("trips"), [row["n"] for row in by_country])],
            urls=[queue_url(filters, country=row["country"], **trip_filter) for row in by_country],
            description=_("The countries the approved trips go to, most visited first."),
        ),
        Chart(
            "columns",
            _("Trips by month of departure"),
            [_month_label(first) for first, _last, _n in months],
            [(_("trips"), [n for _first, _last, n in months])],
            urls=[
                queue_url(
                    filters,
                    state__in=",".join(TRIP_STATES),
                    departure_date__gte=first.isoformat(),
                    departure_date__lte=last.isoformat(),
                )
                for first, last, _n in months
            ],
            description=_("How many approved trips depart in each month of the period."),
        ),
        Chart(
            "bar",
            _("Trips by organisation"),
            [
                (
                    row["organization__name_en"]
                    if english and row["organization__name_en"]
                    else row["organization__name_zh"]
                )
                for row in by_organization
            ],
            [(_("trips"), [row["n"] for row in by_organization])],
            urls=[
                queue_url(filters, organization__id__exact=row["organization"], **trip_filter)
                for row in by_organization
            ],
            description=_("The ten organisations with the most approved trips."),
        ),
        Chart(
            "bar",
            _("Trips by kind of mission"),
            [str(label) for value, label in MissionType.choices if by_mission.get(value)],
            [
                (
                    _("trips"),
                    [by_mission[value] for value, _label in MissionType.choices if by_mission.get(value)],
                )
            ],
            urls=[
                queue_url(filters, mission_type__exact=value, **trip_filter)
                for value, _label in MissionType.choices
                if by_mission.get(value)
            ],
            description=_("Approved trips by the kind of mission."),
        ),
    ]
    return Section("trips", _("Trips abroad"), figures, charts)


def _top_organizations(filters: Filters, size: int) -> list[dict]:
    """The `size` organisations with the most trips, ties by Chinese name (and id), with their names."""
    counted = summary.rows(filters, (Metric.TRIPS_ORGANIZATION,), "value").filter(n__gt=0)
    top = list(counted.order_by("-n")[:size])
    if len(top) == size:  # those tied with the last one too, to break the ties by name
        top = list(counted.filter(n__gte=top[-1]["n"]))
    names = Organization.objects.in_bulk([int(row["value"]) for row in top])
    found = [
        {
            "organization": names[int(row["value"])].pk,
            "organization__name_zh": names[int(row["value"])].name_zh,
            "organization__name_en": names[int(row["value"])].name_en,
            "n": row["n"],
        }
        for row in top
        if int(row["value"]) in names
    ]
    found.sort(key=lambda row: (-row["n"], row["organization__name_zh"], row["organization"]))
    return found[:size]


def _month_label(first) -> str:
    return formats.date_format(first, "YEAR_MONTH_FORMAT")


def abroad_section(filters: Filters) -> Section:
    """Now, whatever the period: who is abroad, who comes back this week, what is overdue."""
    today = timezone.localdate()
    travelling = applications(filters).filter(state=State.PERMIT_ISSUED)
    # Both figures are of trips not over yet: the index (state, return date) finds them among all permits.
    members = DelegationMember.objects.filter(
        application__in=travelling.filter(return_date__gte=today).values("pk")
    ).aggregate(
        abroad=Count(
            "pk", filter=Q(application__departure_date__lte=today, application__return_date__gte=today)
        ),
        returning=Count(
            "pk",
            filter=Q(
                application__return_date__gte=today, application__return_date__lte=today + timedelta(days=7)
            ),
        ),
    )
    reports = travelling.filter(report_due_on__lt=today).count()
    handovers = PassportHandover.objects.filter(returned_at__isnull=True, due_on__lt=today)
    if filters.ftz_area:
        handovers = handovers.filter(application__organization__ftz_area=filters.ftz_area)
    passports = handovers.count()
    passports_url = f"{reverse('admin:approvals_passporthandover_changelist')}?custody=overdue" + (
        f"&person__organization__ftz_area__exact={filters.ftz_area}" if filters.ftz_area else ""
    )
    figures = [
        Figure(
            _("Members abroad now"),
            members["abroad"],
            queue_url(
                filters,
                state=State.PERMIT_ISSUED,
                departure_date__lte=today.isoformat(),
                return_date__gte=today.isoformat(),
            ),
        ),
        Figure(
            _("Returning within a week"),
            members["returning"],
            queue_url(
                filters,
                state=State.PERMIT_ISSUED,
                return_date__gte=today.isoformat(),
                return_date__lte=(today + timedelta(days=7)).isoformat(),
            ),
        ),
        Figure(
            _("Post-trip reports overdue"),
            reports,
            queue_url(filters, report_overdue="yes"),
            tone="danger" if reports else "",
        ),
        Figure(_("Passports overdue"), passports, passports_url, tone="danger" if passports else ""),
    ]
    return Section(
        "abroad",
        _("Abroad now and overdue"),
        figures,
        note=_("These figures are for today, whatever the period."),
    )


def travel_panels(filters: Filters) -> list[Section]:
    return [applications_section(filters), trips_section(filters), abroad_section(filters)]


# Exported reports ----------------------------------------------------------------------------------------

AREA_LABELS = dict(FTZArea.choices)
STATE_LABELS = dict(State.choices)
MISSION_LABELS = dict(MissionType.choices)


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value or ""))


def _received(filters: Filters):
    return applications(filters).filter(filters.between("submitted_at"))


def _country_namer():
    """Names for "DE,FR" in the language of the export (the requester's, active while it is written),
    remembered per itinerary: a year's list repeats a few hundred of them."""
    language, names = reader_language(), {}

    def name(codes: str) -> str:
        if codes not in names:
            names[codes] = join_names(codes, language)
        return names[codes]

    return name


# Relative widths in the PDF list: the state and the countries (names, not codes) are read whole; a long
# title or organisation name is cut short.
APPROVAL_COLUMNS = [
    Column("reference", gettext_lazy("Reference"), 1.1),
    Column("organization", gettext_lazy("Organisation"), 1.4),
    Column("ftz_area", gettext_lazy("FTZ area"), 0.7),
    Column("title", gettext_lazy("Title"), 1.5),
    Column("mission_type", gettext_lazy("Kind of mission"), 1.0),
    Column("countries", gettext_lazy("Countries"), 1.7),
    Column("departure_date", gettext_lazy("Departure"), 0.8, "date"),
    Column("return_date", gettext_lazy("Return"), 0.8, "date"),
    Column("members", gettext_lazy("Members"), 0.6, "number"),
    Column("state", gettext_lazy("State"), 1.3),
    Column("submitted", gettext_lazy("Submitted"), 0.8, "date"),
    Column("decided", gettext_lazy("Decided"), 0.8, "date"),
]


def approval_rows(filters: Filters):
    names_of = _country_namer()
    rows = (
        _received(filters)
        .order_by("submitted_at", "pk")
        .values_list(
            "reference",
            "organization__name_zh",
            "organization__ftz_area",
            "title",
            "mission_type",
            "countries",
            "departure_date",
            "return_date",
            "member_count",
            "state",
            "submitted_at",
            "decided_at",
        )
    )
    for (
        reference,
        organization,
        area,
        title,
        mission,
        countries,
        departure,
        back,
        members,
        state,
        submitted,
        decided_,
    ) in rows.iterator(chunk_size=2000):
        yield (
            reference,
            organization,
            _label(AREA_LABELS, area),
            title,
            _label(MISSION_LABELS, mission),
            names_of(countries),
            departure,
            back,
            members,
            _label(STATE_LABELS, state),
            timezone.localtime(submitted).date() if submitted else None,
            timezone.localtime(decided_).date() if decided_ else None,
        )


DELEGATION_COLUMNS = [
    Column("name", gettext_lazy("Name"), 0.8),
    Column("position", gettext_lazy("Position"), 1.0),
    Column("organization", gettext_lazy("Organisation"), 1.6),
    Column("reference", gettext_lazy("Reference"), 1.1),
    Column("countries", gettext_lazy("Countries"), 1.3),
    Column("departure_date", gettext_lazy("Departure"), 0.8, "date"),
    Column("return_date", gettext_lazy("Return"), 0.8, "date"),
    Column("leader", gettext_lazy("Delegation leader"), 0.8),
    Column("contact", gettext_lazy("Contact person"), 0.8),
    Column("phone", gettext_lazy("Contact phone"), 1.0),
]


def _abroad(filters: Filters):
    """Members of approved trips that are abroad during some of the period."""
    members = DelegationMember.objects.filter(
        application__state__in=TRIP_STATES,
        application__departure_date__lte=filters.date_to,
        application__return_date__gte=filters.date_from,
    )
    if filters.ftz_area:
        members = members.filter(application__organization__ftz_area=filters.ftz_area)
    return members


def delegation_rows(filters: Filters):
    rows = (
        _abroad(filters)
        .order_by("application__departure_date", "application_id", "-is_leader", "pk")
        .values_list(
            "person__full_name",
            "person__position",
            "application__organization__name_zh",
            "application__reference",
            "application__countries",
            "application__departure_date",
            "application__return_date",
            "application__leader_name",
            "application__contact_name",
            "application__contact_phone",
        )
    )
    names_of = _country_namer()
    for row in rows.iterator(chunk_size=2000):
        yield (*row[:4], names_of(row[4]), *row[5:])


def delegation_sections(filters: Filters) -> list[Section]:
    summary = _abroad(filters).aggregate(members=Count("pk"), delegations=Count("application", distinct=True))
    figures = [
        Figure(
            _("Delegations abroad in the period"),
            summary["delegations"],
            queue_url(
                filters,
                state__in=",".join(TRIP_STATES),
                departure_date__lte=filters.date_to.isoformat(),
                return_date__gte=filters.date_from.isoformat(),
            ),
        ),
        Figure(_("Members abroad in the period"), summary["members"]),
    ]
    return [Section("delegations", _("Delegations abroad"), figures), abroad_section(filters)]


OVERDUE_COLUMNS = [
    Column("kind", gettext_lazy("Overdue"), 0.9),
    Column("reference", gettext_lazy("Reference"), 1.1),
    Column("organization", gettext_lazy("Organisation"), 1.6),
    Column("person", gettext_lazy("Person"), 0.8),
    Column("due_on", gettext_lazy("Due"), 0.8, "date"),
    Column("days", gettext_lazy("Days overdue"), 0.6, "number"),
    Column("contact", gettext_lazy("Contact person"), 0.8),
    Column("phone", gettext_lazy("Contact phone"), 1.0),
]


def _overdue_reports(filters: Filters):
    return applications(filters).filter(
        state=State.PERMIT_ISSUED,
        report_due_on__lt=timezone.localdate(),
        report_due_on__gte=filters.date_from,
        report_due_on__lte=filters.date_to,
    )


def _overdue_passports(filters: Filters):
    handovers = PassportHandover.objects.filter(
        returned_at__isnull=True,
        due_on__lt=timezone.localdate(),
        due_on__gte=filters.date_from,
        due_on__lte=filters.date_to,
    )
    if filters.ftz_area:
        handovers = handovers.filter(application__organization__ftz_area=filters.ftz_area)
    return handovers


def overdue_rows(filters: Filters):
    today = timezone.localdate()
    report, passport = str(_("Post-trip report")), str(_("Passport"))
    for reference, organization, leader, due, contact, phone in (
        _overdue_reports(filters)
        .order_by("report_due_on", "pk")
        .values_list(
            "reference",
            "organization__name_zh",
            "leader_name",
            "report_due_on",
            "contact_name",
            "contact_phone",
        )
        .iterator(chunk_size=2000)
    ):
        yield (report, reference, organization, leader, due, (today - due).days, contact, phone)
    for reference, organization, person, due, contact, phone in (
        _overdue_passports(filters)
        .order_by("due_on", "pk")
        .values_list(
            "application__reference",
            "application__organization__name_zh",
            "person__full_name",
            "due_on",
            "application__contact_name",
            "application__contact_phone",
        )
        .iterator(chunk_size=2000)
    ):
        yield (passport, reference, organization, person, due, (today - due).days, contact, phone)


def overdue_count(filters: Filters) -> int:
    return _overdue_reports(filters).count() + _overdue_passports(filters).count()


def overdue_sections(filters: Filters) -> list[Section]:
    figures = [
        Figure(
            _("Post-trip reports overdue"),
            _overdue_reports(filters).count(),
            queue_url(filters, report_overdue="yes"),
        ),
        Figure(_("Passports overdue"), _overdue_passports(filters).count()),
    ]
    return [
        Section(
            "overdue",
            _("Overdue reports and passports"),
            figures,
            note=_("Due in the period and still outstanding today."),
        )
    ]


REPORTS = [
    ReportDefinition(
        name="travel_approvals",
        title=gettext_lazy("Travel approvals for a period"),
        description=gettext_lazy(
            "Applications received in the period: figures, times to a decision, trips by destination and month, "
            "then every application."
        ),
        columns=APPROVAL_COLUMNS,
        rows=approval_rows,
        count=lambda filters: _received(filters).count(),
        sections=travel_panels,
        landscape=True,
    ),
    ReportDefinition(
        name="delegations_abroad",
        personal_data=True,  # names people (exporters/personal.py)
        title=gettext_lazy("Delegations abroad"),
        description=gettext_lazy("Who is abroad during the period, where, until when, and whom to contact."),
        columns=DELEGATION_COLUMNS,
        rows=delegation_rows,
        count=lambda filters: _abroad(filters).count(),
        sections=delegation_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="overdue",
        personal_data=True,  # names people (exporters/personal.py)
        title=gettext_lazy("Overdue reports and passports"),
        description=gettext_lazy(
            "Post-trip reports and passports due in the period and still outstanding today."
        ),
        columns=OVERDUE_COLUMNS,
        rows=overdue_rows,
        count=overdue_count,
        sections=overdue_sections,
    ),
]
