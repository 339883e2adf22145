"""Training (area 5) on the managers' dashboard and in the exported reports (foreign_affairs.reports).

An enrolment belongs to the period its session starts in, to its trainee's organisation and to that
organisation's FTZ area (office staff trained by the office have neither: they are a group of their own, and
choosing an area leaves them out). Cancelled enrolments are counted nowhere. Of the others:

- enrolments: the places taken (enrolled, attended, absent, completed, not passed); the waiting list apart;
- places in sessions held: the places of sessions that have ended, the base of both rates;
- attendance rate: of those, the share attended (attended, completed or not passed; a register never ticked
  counts as not attended); completion rate: the share completed (attended, and passed where the course has
  an assessment).

Travellers whose pre-departure training lapses: the members of travel applications not yet departed
(submitted to permit issued, departing today or later) whose pre-departure certificate valid today ends before
30 days after the departure, or who hold none. This is today's list, whatever the period; the FTZ area is the
applicant organisation's.

Every figure is counted by the database, in a fixed number of queries whatever the data: the enrolments are
one query grouped by course and organisation, rolled up here into the courses, organisations, areas and the
whole (sums of the groups' counts); the travellers are one query. The dashboard's two sections are two queries.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count, DateField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from approvals.models import DelegationMember
from approvals.workflow import State as TripState
from foreign_affairs import typography
from foreign_affairs.accounts.models import FTZArea, User
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.security.countries import reader_language

from .models import Certificate, Enrolment, Topic
from .workflow import PLACE_STATES, CheckInMethod, SessionState, State

TOP_COURSES = 10
TOP_ORGANIZATIONS = 10
# A pre-departure certificate should last the trip and this many days after the departure.
MARGIN_DAYS = 30
# Travel applications whose trip may still happen and has not started (drafts are the enterprise's own).
PLANNED_TRIP_STATES = (
    TripState.SUBMITTED,
    TripState.IN_REVIEW,
    TripState.RETURNED,
    TripState.PENDING_SIGNOFF,
    TripState.APPROVED,
    TripState.PERMIT_ISSUED,
)
PRESENT_STATES = (State.ATTENDED, State.COMPLETED, State.FAILED)
MEASURES = ("enrolled", "waiting", "held", "attended", "absent", "completed")
AREA_LABELS = dict(FTZArea.choices)
STATE_LABELS = dict(State.choices)
METHOD_LABELS = dict(CheckInMethod.choices)
TRIP_STATE_LABELS = dict(TripState.choices)
# Charts cut their labels after 18 characters: the long name of an area has a short form there.
SHORT_AREA_LABELS = {**AREA_LABELS, FTZArea.OUTSIDE: pgettext_lazy("FTZ area, short", "Outside the FTZ")}


# Shared helpers ------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _title(zh: str, en: str) -> str:
    if reader_language() == "zh":
        return zh or en
    return en or zh


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value or ""))


def _full_name(first: str, last: str, username: str) -> str:
    return User(first_name=first or "", last_name=last or "").get_full_name() or username or ""


def _top(groups: list, top: int, rest_label: str) -> list:
    """The first `top` groups, the others summed up as one group named `rest_label`."""
    if len(groups) <= top + 1:
        return groups
    rest = Counts(rest_label)
    for group in groups[top:]:
        rest.add(group.values)
    return [*groups[:top], rest]


# The enrolments of the period ----------------------------------------------------------------------------


def enrolments(filters: Filters):
    """The enrolments, not cancelled, in sessions starting in the period, of the FTZ area's organisations."""
    queryset = (
        Enrolment.objects.order_by()
        .filter(filters.between("session__starts_at"))
        .exclude(state=State.CANCELLED)
    )
    if filters.ftz_area:
        queryset = queryset.filter(organization__ftz_area=filters.ftz_area)
    return queryset


def _measures(now) -> dict[str, Q]:
    place = Q(state__in=PLACE_STATES)
    held = place & Q(session__ends_at__lte=now)
    return {
        "enrolled": place,
        "waiting": Q(state=State.WAITING),
        "held": held,
        "attended": held & Q(state__in=PRESENT_STATES),
        "absent": held & Q(state=State.ABSENT),
        "completed": held & Q(state=State.COMPLETED),
    }


@dataclass
class Counts:
    """The measures of one group of enrolments, and its rates."""

    label: str
    key: object = None
    values: dict = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))

    def add(self, row: dict) -> None:
        for name in MEASURES:
            self.values[name] += row[name]

    @property
    def attendance(self) -> float | None:
        return _share(self.values["attended"], self.values["held"])

    @property
    def completion(self) -> float | None:
        return _share(self.values["completed"], self.values["held"])

    def __getitem__(self, name: str) -> int:
        return self.values[name]


@dataclass
class Tally:
    total: Counts
    courses: list[Counts]
    organizations: list[Counts]
    areas: list[Counts]


def tally(filters: Filters, now=None) -> Tally:
    """The enrolments of the period counted per course and organisation by the database (one grouped query),
    rolled up into the courses (most enrolments first), the organisations (likewise; office staff last), the
    FTZ areas (in their order; office staff last, when there are any) and the whole."""
    now = now or timezone.now()
    rows = enrolments(filters).values(
        "session__course",
        "session__course__code",
        "session__course__title_zh",
        "session__course__title_en",
        "organization",
        "organization__name_zh",
        "organization__name_en",
        "organization__ftz_area",
    )
    rows = rows.annotate(
        **{name: Count("pk", filter=condition) for name, condition in _measures(now).items()}
    )
    office = _("Office staff")
    total = Counts(_("All enrolments"))
    courses: dict[int, Counts] = {}
    organizations: dict[int | None, Counts] = {}
    areas = {value: Counts(_label(AREA_LABELS, value), value) for value in FTZArea.values}
    for row in rows:
        total.add(row)
        course = row["session__course"]
        if course not in courses:
            title = _title(row["session__course__title_zh"], row["session__course__title_en"])
            courses[course] = Counts(f"{row['session__course__code']} {title}", course)
        courses[course].add(row)
        organization = row["organization"]
        if organization not in organizations:
            name = (
                _title(row["organization__name_zh"], row["organization__name_en"]) if organization else office
            )
            organizations[organization] = Counts(name, organization)
        organizations[organization].add(row)
        area = row["organization__ftz_area"]
        if area not in areas:
            areas[area] = Counts(office if area is None else _label(AREA_LABELS, area), area)
        areas[area].add(row)
    return Tally(
        total=total,
        courses=sorted(courses.values(), key=lambda group: (-group["enrolled"], group.label)),
        organizations=sorted(
            organizations.values(), key=lambda group: (group.key is None, -group["enrolled"], group.label)
        ),
        areas=[
            group
            for value, group in areas.items()
            if value is not None or group["enrolled"] + group["waiting"]
        ]
        if not filters.ftz_area
        else [areas[filters.ftz_area]],
    )


# Travellers whose pre-departure training lapses -----------------------------------------------------------


def lapsing(filters: Filters, today=None):
    """The members of travel applications not yet departed (of the FTZ area) whose best pre-departure
    certificate valid today (`certificate_until`, None without one) ends before MARGIN_DAYS after the
    departure; annotated with the certificate's number and the pre-departure session each is booked in."""
    today = today or timezone.localdate()
    best = Certificate.objects.filter(
        person=OuterRef("person"), is_predeparture=True, revoked_at__isnull=True, valid_until__gte=today
    ).order_by("-valid_until", "-pk")
    booked = Enrolment.objects.filter(
        person=OuterRef("person"),
        state__in=(State.WAITING, State.ENROLLED),
        session__course__topic=Topic.PREDEPARTURE,
        session__state=SessionState.SCHEDULED,
        session__ends_at__gt=timezone.now(),
    ).order_by("session__starts_at", "pk")
    queryset = DelegationMember.objects.order_by().filter(
        application__state__in=PLANNED_TRIP_STATES, application__departure_date__gte=today
    )
    if filters.ftz_area:
        queryset = queryset.filter(application__organization__ftz_area=filters.ftz_area)
    return queryset.annotate(
        certificate_until=Subquery(best.values("valid_until")[:1]),
        certificate_number=Subquery(best.values("number")[:1]),
        booked_on=Subquery(booked.values("session__starts_at")[:1]),
        booked_session=Subquery(booked.values("session__reference")[:1]),
        needed_until=ExpressionWrapper(
            F("application__departure_date") + timedelta(days=MARGIN_DAYS), output_field=DateField()
        ),
    ).filter(Q(certificate_until__isnull=True) | Q(certificate_until__lt=F("needed_until")))


# The summary counts with joins: the best certificate and the booking are found once per person
# (a few thousand) and hashed, not looked up again for each member of each planned trip (correlated
# subqueries: ten seconds at a million applications); the members are then grouped per person (a hash)
# rather than counted DISTINCT (sorts) five times.
LAPSING_SUMMARY_SQL = """
WITH best AS (
    SELECT person_id, MAX(valid_until) AS until
    FROM training_certificate
    WHERE is_predeparture AND revoked_at IS NULL AND valid_until >= %(today)s
    GROUP BY person_id
), booked AS (
    SELECT DISTINCT enrolment.person_id
    FROM training_enrolment enrolment
    JOIN training_session session ON session.id = enrolment.session_id
    JOIN training_course course ON course.id = session.course_id
    WHERE enrolment.state IN ({waiting_or_enrolled}) AND course.topic = %(predeparture)s
        AND session.state = %(scheduled)s AND session.ends_at > %(now)s
), lapsing AS (
    SELECT member.person_id, member.application_id, trip.departure_date, best.until
    FROM approvals_delegationmember member
    JOIN approvals_travelapplication trip ON trip.id = member.application_id
    {area_join}
    LEFT JOIN best ON best.person_id = member.person_id
    WHERE trip.state IN ({planned}) AND trip.departure_date >= %(today)s
        AND (best.until IS NULL OR best.until < {needed_until})
), people AS (
    SELECT lapsing.person_id,
        MAX(CASE WHEN lapsing.until IS NULL OR lapsing.until < lapsing.departure_date THEN 1 ELSE 0 END)
            AS missing,
        MAX(CASE WHEN lapsing.until >= lapsing.departure_date THEN 1 ELSE 0 END) AS expiring
    FROM lapsing
    GROUP BY lapsing.person_id
)
SELECT
    (SELECT COUNT(*) FROM people),
    (SELECT COUNT(*) FROM (SELECT DISTINCT application_id FROM lapsing) trips),
    (SELECT COUNT(*) FROM people WHERE missing = 1),
    (SELECT COUNT(*) FROM people WHERE expiring = 1),
    (SELECT COUNT(*) FROM people JOIN booked ON booked.person_id = people.person_id)
"""


def lapsing_summary(filters: Filters, today=None) -> dict[str, int]:
    """How many travellers (and applications) lack valid training on the departure date, and how many hold
    a certificate that ends within MARGIN_DAYS after it; of those, how many are booked in a session: the
    figures of lapsing(), counted in one query."""
    today = today or timezone.localdate()
    postgresql = connection.vendor == "postgresql"
    needed_until = (
        f"trip.departure_date + {MARGIN_DAYS}"
        if postgresql
        else f"date(trip.departure_date, '+{MARGIN_DAYS} days')"
    )
    area_join = (
        "JOIN accounts_organization organization ON organization.id = trip.organization_id "
        "AND organization.ftz_area = %(area)s"
        if filters.ftz_area
        else ""
    )
    params = {
        "today": today,
        "now": timezone.now(),
        "area": filters.ftz_area,
        "predeparture": Topic.PREDEPARTURE.value,
        "scheduled": SessionState.SCHEDULED.value,
    }
    lists = {"waiting_or_enrolled": (State.WAITING, State.ENROLLED), "planned": PLANNED_TRIP_STATES}
    for name, values in lists.items():
        params |= {f"{name}_{index}": value.value for index, value in enumerate(values)}
    sql = LAPSING_SUMMARY_SQL.format(
        area_join=area_join,
        needed_until=needed_until,
        **{
            name: ", ".join(f"%({name}_{index})s" for index in range(len(values)))
            for name, values in lists.items()
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(("people", "applications", "missing", "expiring", "booked"), row, strict=True))


def lapse_label(certificate_until, departure) -> str:
    if certificate_until is None:
        return _("No valid certificate")
    if certificate_until < departure:
        return _("Expires before departure")
    return _("Expires within %(days)d days after departure") % {"days": MARGIN_DAYS}


# The dashboard -------------------------------------------------------------------------------------------


def _series(groups: list[Counts], *names: str) -> list[tuple[str, list]]:
    labels = {
        "enrolled": pgettext("training in a chart", "enrolments"),
        "attended": pgettext("training in a chart", "attended"),
        "completed": pgettext("training in a chart", "completed"),
        "attendance": pgettext("training in a chart", "attendance rate"),
        "completion": pgettext("training in a chart", "completion rate"),
    }
    return [
        (
            labels[name],
            [
                getattr(group, name) if name in ("attendance", "completion") else group[name]
                for group in groups
            ],
        )
        for name in names
    ]


def training_section(filters: Filters) -> Section:
    """The enrolments of the period, the attendance and completion rates, by course, organisation and FTZ
    area. One query: tally()."""
    found = tally(filters)
    total = found.total
    counts = {"attended": total["attended"], "completed": total["completed"], "held": total["held"]}
    figures = [
        Figure(
            _("Enrolments"),
            total["enrolled"],
            hint=_("places taken in sessions starting in the period; %(waiting)d more on waiting lists")
            % {"waiting": total["waiting"]},
        ),
        Figure(
            _("Attendance rate"),
            total.attendance,
            unit="%",
            hint=_("%(attended)d of %(held)d places in sessions held") % counts,
        ),
        Figure(
            _("Completion rate"),
            total.completion,
            unit="%",
            hint=_("%(completed)d of %(held)d places in sessions held") % counts,
        ),
        Figure(
            _("Organisations with trainees"),
            sum(1 for group in found.organizations if group.key is not None and group["enrolled"]),
            hint=_("in sessions starting in the period"),
        ),
    ]
    courses = _top(found.courses, TOP_COURSES, _("Other courses"))
    rated = [group for group in found.courses if group["held"]][:TOP_COURSES]
    areas = [group for group in found.areas if group["held"]]
    organizations = _top(
        [group for group in found.organizations if group.key is not None],
        TOP_ORGANIZATIONS,
        _("Other organisations"),
    )
    short_areas = [
        str(SHORT_AREA_LABELS[group.key]) if group.key in SHORT_AREA_LABELS else group.label
        for group in areas
    ]
    charts = [
        Chart(
            "bar",
            _("Enrolments by course"),
            [group.label for group in courses],
            _series(courses, "enrolled", "attended", "completed"),
            description=_("The places taken in each course's sessions of the period, most first."),
        ),
        Chart(
            "bar",
            _("Attendance and completion by course"),
            [group.label for group in rated],
            _series(rated, "attendance", "completion"),
            unit="%",
            description=_("Of the places in each course's sessions held, the share attended and completed."),
        ),
        Chart(
            "bar",
            _("Attendance and completion by area"),
            short_areas,
            _series(areas, "attendance", "completion"),
            unit="%",
            description=_("Of the places in sessions held, by the FTZ area of the trainee's organisation."),
        ),
        Chart(
            "bar",
            _("Enrolments by organisation"),
            [group.label for group in organizations],
            _series(organizations, "enrolled", "attended", "completed"),
            description=_("The organisations with the most places taken in sessions of the period."),
        ),
    ]
    return Section("training", _("Training"), figures, charts)


def predeparture_section(filters: Filters) -> Section:
    """The travellers of planned trips whose pre-departure training lapses (today's, whatever the period).
    One query: lapsing_summary()."""
    found = lapsing_summary(filters)
    figures = [
        Figure(
            _("Travellers without valid training at departure"),
            found["missing"],
            hint=_("no pre-departure certificate valid on the departure date"),
            tone="danger" if found["missing"] else "",
        ),
        Figure(
            _("Certificates ending soon after departure"),
            found["expiring"],
            hint=_("valid on the departure date, ending within %(days)d days after it")
            % {"days": MARGIN_DAYS},
            tone="warning" if found["expiring"] else "",
        ),
        Figure(
            _("Booked in a pre-departure session"),
            found["booked"],
            hint=_("of the travellers listed: %(people)d, in %(applications)d travel applications") % found,
        ),
    ]
    note = _(
        "Travel applications submitted and not yet departed, today, whatever the period. The list is the "
        "report “Travellers whose pre-departure training lapses”."
    )
    return Section("training_predeparture", _("Pre-departure training of planned trips"), figures, note=note)


def training_panels(filters: Filters) -> list[Section]:
    """The area's sections of the reports dashboard: two queries whatever the data."""
    return [training_section(filters), predeparture_section(filters)]


def _training_sections(filters: Filters) -> list[Section]:
    return [training_section(filters)]


def _predeparture_sections(filters: Filters) -> list[Section]:
    return [predeparture_section(filters)]


# Exported reports ----------------------------------------------------------------------------------------

# Widths in the PDF list (relative, landscape A4): references, dates and numbers are read whole; long titles
# and names are cut short (the CSV and XLSX have them whole).
ENROLMENT_COLUMNS = [
    Column("session", pgettext_lazy("training session", "Reference"), 62),
    Column("starts_on", gettext_lazy("Starts on"), 44, "date"),
    Column("course", gettext_lazy("Course"), 110),
    Column("trainee", gettext_lazy("Trainee"), 70),
    Column("organisation", gettext_lazy("Organisation"), 100),
    Column("area", gettext_lazy("FTZ area"), 56),
    Column("state", gettext_lazy("State"), 50),
    Column("recorded_by", gettext_lazy("Attendance recorded by"), 70),
    Column("certificate", gettext_lazy("Certificate number"), 62),
    Column("valid_until", gettext_lazy("Valid until"), 44, "date"),
]


def enrolment_rows(filters: Filters):
    """Every enrolment (not cancelled) in sessions starting in the period, by session and trainee. One
    query."""
    office = _("Office staff")
    rows = (
        enrolments(filters)
        .order_by("session__starts_at", "session__reference", "person__full_name", "pk")
        .values_list(
            "session__reference",
            "session__starts_at",
            "session__course__code",
            "session__course__title_zh",
            "session__course__title_en",
            "person__full_name",
            "person__pinyin_name",
            "user__first_name",
            "user__last_name",
            "user__username",
            "organization__name_zh",
            "organization__name_en",
            "organization__ftz_area",
            "state",
            "check_in_method",
            "certificate__number",
            "certificate__valid_until",
        )
    )
    for (
        reference,
        starts_at,
        code,
        title_zh,
        title_en,
        full_name,
        pinyin,
        first,
        last,
        username,
        name_zh,
        name_en,
        area,
        state,
        method,
        number,
        valid_until,
    ) in rows.iterator(chunk_size=2000):
        trainee = typography.annotate(full_name, pinyin) if full_name else _full_name(first, last, username)
        yield (
            reference,
            timezone.localtime(starts_at).date(),
            f"{code} {_title(title_zh, title_en)}",
            trainee,
            _title(name_zh, name_en) if name_zh else office,
            _label(AREA_LABELS, area),
            _label(STATE_LABELS, state),
            _label(METHOD_LABELS, method),
            number or "",
            valid_until,
        )


RATE_COLUMNS = [
    Column("breakdown", pgettext_lazy("column of the training report", "Grouped by"), 50),
    Column("item", pgettext_lazy("column of the training report", "Group"), 150),
    Column("enrolled", gettext_lazy("Enrolments"), 50, "number"),
    Column("waiting", gettext_lazy("Waiting list"), 46, "number"),
    Column("held", gettext_lazy("Places in sessions held"), 56, "number"),
    Column("attended", pgettext_lazy("training", "Attended"), 46, "number"),
    Column("attendance", gettext_lazy("Attendance rate (%)"), 56, "number"),
    Column("completed", pgettext_lazy("training", "Completed"), 46, "number"),
    Column("completion", gettext_lazy("Completion rate (%)"), 56, "number"),
]


def _rate_row(dimension: str, group: Counts) -> tuple:
    return (
        dimension,
        group.label,
        group["enrolled"],
        group["waiting"],
        group["held"],
        group["attended"],
        group.attendance,
        group["completed"],
        group.completion,
    )


def rate_rows(filters: Filters):
    """The whole, then each course, organisation (office staff last) and FTZ area with enrolments in the
    period (every area without a filter): enrolments, the waiting list, places in sessions held, attended,
    completed and the two rates. One query: tally()."""
    found = tally(filters)
    yield _rate_row(_("All"), found.total)
    for group in found.courses:
        yield _rate_row(_("Course"), group)
    for group in found.organizations:
        yield _rate_row(_("Organisation"), group)
    for group in found.areas:
        yield _rate_row(_("FTZ area"), group)


LAPSING_COLUMNS = [
    Column("departure", gettext_lazy("Departure"), 44, "date"),
    Column("application", gettext_lazy("Travel application"), 62),
    Column("application_state", gettext_lazy("State of the application"), 60),
    Column("organisation", gettext_lazy("Organisation"), 88),
    Column("area", gettext_lazy("FTZ area"), 50),
    Column("traveller", gettext_lazy("Traveller"), 80),
    Column("lapse", gettext_lazy("Pre-departure training"), 108),
    Column("certificate", gettext_lazy("Certificate number"), 62),
    Column("valid_until", gettext_lazy("Valid until"), 44, "date"),
    Column("booked_on", gettext_lazy("Booked in a session on"), 50, "date"),
    Column("booked_session", gettext_lazy("Session"), 62),
]


def lapsing_rows(filters: Filters):
    """Each traveller of each planned trip whose pre-departure training lapses, soonest departure first. One
    query."""
    rows = lapsing(filters).order_by(
        "application__departure_date", "application__reference", "person__full_name", "pk"
    )
    rows = rows.values_list(
        "application__departure_date",
        "application__reference",
        "application__state",
        "application__organization__name_zh",
        "application__organization__name_en",
        "application__organization__ftz_area",
        "person__full_name",
        "person__pinyin_name",
        "certificate_until",
        "certificate_number",
        "booked_on",
        "booked_session",
    )
    for (
        departure,
        reference,
        state,
        name_zh,
        name_en,
        area,
        full_name,
        pinyin,
        certificate_until,
        number,
        booked_on,
        booked_session,
    ) in rows.iterator(chunk_size=2000):
        yield (
            departure,
            reference,
            _label(TRIP_STATE_LABELS, state),
            _title(name_zh, name_en),
            _label(AREA_LABELS, area),
            typography.annotate(full_name, pinyin),
            lapse_label(certificate_until, departure),
            number or "",
            certificate_until,
            timezone.localtime(booked_on).date() if booked_on else None,
            booked_session or "",
        )


REPORTS = [
    ReportDefinition(
        name="training_enrolments",
        personal_data=True,  # names people (exporters/personal.py)
        title=gettext_lazy("Training enrolments"),
        description=gettext_lazy(
            "The enrolments, attendance and completion rates of the sessions starting in the period by course, "
            "area and organisation; then every enrolment with its state and certificate."
        ),
        columns=ENROLMENT_COLUMNS,
        rows=enrolment_rows,
        count=lambda filters: enrolments(filters).count(),
        sections=_training_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="training_rates",
        title=gettext_lazy("Training attendance and completion by course, organisation and area"),
        description=gettext_lazy(
            "For the sessions starting in the period: enrolments, the waiting list, places in sessions held, "
            "attendance and completion, with their rates, per course, organisation and FTZ area."
        ),
        columns=RATE_COLUMNS,
        rows=rate_rows,
        count=lambda filters: sum(1 for _row in rate_rows(filters)),
        sections=_training_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="training_predeparture_lapsing",
        personal_data=True,  # names people (exporters/personal.py)
        title=gettext_lazy("Travellers whose pre-departure training lapses"),
        description=gettext_lazy(
            "The travellers of planned trips (applications submitted, not yet departed) without a pre-departure "
            "certificate valid until 30 days after their departure, and the session each is booked in. Today's "
            "list, whatever the period."
        ),
        columns=LAPSING_COLUMNS,
        rows=lapsing_rows,
        count=lambda filters: lapsing(filters).count(),
        sections=_predeparture_sections,
        landscape=True,
    ),
]
