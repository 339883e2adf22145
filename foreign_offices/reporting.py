"""Foreign organisations on the managers' dashboard and in the exported reports (foreign_affairs.reports).

Setting-up cases received in the period — by state, by month, and how far they went from the enquiry to an
opened office (the median days it took, computed by the database: percentile_cont on PostgreSQL,
foreign_affairs.reports.stats' ranked fallback on SQLite); the registry on the period's last day (today at
the latest) by country, kind and FTZ area; the annual reports on the year before the period's last day,
filed on time, late, or not at all.

A case belongs to the area it asked for (`preferred_area`), an organisation to the area of its address.
Every figure links to the back-office list behind it; every part is a fixed number of aggregate queries.
"""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, F, FilteredRelation, FloatField, Func, Q, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.reports.stats import by_month, local_date, per_month, percentiles
from foreign_affairs.security.countries import country_name, reader_language

from .models import ForeignOrganisation, SetupCase
from .selectors import EXPIRING_DAYS
from .services.annual import current_report_year, organisations_due, window_for
from .workflow import OPEN_CASE_STATES, Authority, CaseState, OrganisationState, PresenceKind, ReportState

TOP_COUNTRIES = 15
# Charts cut their labels after 18 characters: the long names of states, kinds and areas have short forms
# there (the lists and the figures keep the full names).
SHORT_STATE_LABELS = {
    CaseState.ENQUIRY: pgettext_lazy("setting-up case state, short", "Enquiry received"),
    CaseState.CONSULTING: pgettext_lazy("setting-up case state, short", "Consulting"),
    CaseState.PREPARING: pgettext_lazy("setting-up case state, short", "Preparing"),
    CaseState.SUBMITTED_TO_AUTHORITY: pgettext_lazy("setting-up case state, short", "At the authority"),
    CaseState.REGISTERED: pgettext_lazy("setting-up case state, short", "Registered"),
    CaseState.OPENED: pgettext_lazy("setting-up case state, short", "Opened"),
    CaseState.WITHDRAWN: pgettext_lazy("setting-up case state, short", "Withdrawn"),
    CaseState.DECLINED: pgettext_lazy("setting-up case state, short", "Declined"),
}
SHORT_KIND_LABELS = {
    PresenceKind.REGIONAL_HQ: pgettext_lazy("kind of presence, short", "Regional HQ"),
    PresenceKind.COMPANY_OFFICE: pgettext_lazy("kind of presence, short", "Company office"),
    PresenceKind.GOVERNMENT_OFFICE: pgettext_lazy("kind of presence, short", "Government office"),
    PresenceKind.CHAMBER_OFFICE: pgettext_lazy("kind of presence, short", "Chamber office"),
    PresenceKind.INTERNATIONAL_OFFICE: pgettext_lazy("kind of presence, short", "Intl. organisation"),
}
SHORT_AREA_LABELS = {
    **dict(FTZArea.choices),
    FTZArea.OUTSIDE: pgettext_lazy("FTZ area, short", "Outside the FTZ"),
}
# The steps a case passes on its way to an opened office, each recorded on the case when it is reached
# (so a case withdrawn after its registration still counts as registered).
FUNNEL = (
    ("received", pgettext_lazy("setting-up funnel", "Enquiry received")),
    ("submitted", pgettext_lazy("setting-up funnel", "Submitted")),
    ("registered", pgettext_lazy("setting-up funnel", "Registered")),
    ("opened", pgettext_lazy("setting-up funnel", "Opened")),
)


# Links to the back office --------------------------------------------------------------------------------
# The list filters' parameters (foreign_offices.filters): the case queue opens on the open cases unless
# `state` says otherwise ("all", or one state); `area` is the case's preferred area or the organisation's.


def _admin_url(name: str, params: dict) -> str:
    url = reverse(f"admin:foreign_offices_{name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def cases_url(filters: Filters | None = None, **params) -> str:
    """The officers' case list (every state unless `state` is given), narrowed to the FTZ area."""
    query = {"state": "all", **params}
    if filters is not None and filters.ftz_area:
        query["area"] = filters.ftz_area
    return _admin_url("setupcase", query)


def _received_url(filters: Filters, **params) -> str:
    return cases_url(
        filters,
        created_at__date__gte=filters.date_from.isoformat(),
        created_at__date__lte=filters.date_to.isoformat(),
        **params,
    )


def registry_url(filters: Filters | None = None, **params) -> str:
    if filters is not None and filters.ftz_area:
        params["area"] = filters.ftz_area
    return _admin_url("foreignorganisation", params)


def _in_registry_url(filters: Filters, day: date, **params) -> str:
    return registry_url(
        filters,
        state__in=f"{OrganisationState.ACTIVE},{OrganisationState.SUSPENDED}",
        registered_on__lte=day.isoformat(),
        **params,
    )


def annual_reports_url(year: int, **params) -> str:
    """The annual reports on `year`, in every state unless `state` is given (the back office's list takes
    no area of the organisation)."""
    return _admin_url("annualreport", {"year": year, **params})


# Querysets and expressions -------------------------------------------------------------------------------


class DaysToDate(Func):
    """Whole days from the local date of a datetime (the case received) to a date (the office opened)."""

    output_field = FloatField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, start: str, end: str, **extra):
        super().__init__(F(end), local_date(start), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )


def cases(filters: Filters):
    queryset = SetupCase.objects.all()
    if filters.ftz_area:
        queryset = queryset.filter(preferred_area=filters.ftz_area)
    return queryset


def received(filters: Filters):
    """The cases whose enquiry came in the period."""
    return cases(filters).filter(filters.between("created_at"))


def organisations(filters: Filters):
    queryset = ForeignOrganisation.objects.all()
    if filters.ftz_area:
        queryset = queryset.filter(ftz_area=filters.ftz_area)
    return queryset


def registry_day(filters: Filters) -> date:
    """The day whose registry a report shows: the period's last day, today at the latest."""
    return min(filters.date_to, timezone.localdate())


def in_registry_on(day: date) -> Q:
    """Registered by `day` and not closed by then (suspended ones are still in the registry)."""
    return Q(registered_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def _within(field: str, filters: Filters) -> Q:
    return Q(**{f"{field}__gte": filters.date_from, f"{field}__lte": filters.date_to})


def report_year(filters: Filters) -> int:
    """The year whose annual reports a report shows: the one filed in the year of the period's last day
    (by default, this year so far: the current report year)."""
    return current_report_year(filters.date_to)


def owing(filters: Filters, year: int):
    """The organisations that owe a report on `year` (services.annual.organisations_due), each with its
    report on that year as `report` (a join: at most one report per organisation and year)."""
    queryset = organisations_due(year).annotate(
        report=FilteredRelation("annual_reports", condition=Q(annual_reports__year=year))
    )
    if filters.ftz_area:
        queryset = queryset.filter(ftz_area=filters.ftz_area)
    return queryset


# Shared helpers ------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _month_label(first) -> str:
    return formats.date_format(first, "YEAR_MONTH_FORMAT")


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value or ""))


CASE_STATE_LABELS = dict(CaseState.choices)
KIND_LABELS = dict(PresenceKind.choices)
AREA_LABELS = dict(FTZArea.choices)
AUTHORITY_LABELS = dict(Authority.choices)
ORGANISATION_STATE_LABELS = dict(OrganisationState.choices)
REPORT_STATE_LABELS = dict(ReportState.choices)


# The dashboard -------------------------------------------------------------------------------------------


def cases_section(filters: Filters) -> Section:
    """Cases received in the period by state and month, the way from enquiry to opening, and what is open
    and overdue today. Two queries."""
    today = timezone.localdate()
    period = filters.between("created_at")
    summary = cases(filters).aggregate(
        received=Count("pk", filter=period),
        submitted=Count("pk", filter=period & Q(submitted_on__isnull=False)),
        registered=Count("pk", filter=period & Q(organisation__isnull=False)),
        opened=Count("pk", filter=period & Q(state=CaseState.OPENED)),
        withdrawn=Count("pk", filter=period & Q(state=CaseState.WITHDRAWN)),
        declined=Count("pk", filter=period & Q(state=CaseState.DECLINED)),
        open_now=Count("pk", filter=Q(state__in=OPEN_CASE_STATES)),
        overdue_now=Count("pk", filter=Q(state__in=OPEN_CASE_STATES, due_on__lt=today)),
        **per_month(SetupCase, "created_at", filters),
        **{f"state_{value}": Count("pk", filter=period & Q(state=value)) for value in CaseState.values},
    )
    days = percentiles(
        received(filters).filter(state=CaseState.OPENED, opened_on__isnull=False),
        DaysToDate("created_at", "opened_on"),
        (0.5,),
    )[0.5]
    figures = [
        Figure(_("Setting-up cases received"), summary["received"], _received_url(filters)),
        Figure(
            pgettext("setting-up cases", "Offices opened"),
            summary["opened"],
            _received_url(filters, state=CaseState.OPENED),
            hint=_("of the cases received in the period"),
        ),
        Figure(
            _("From enquiry to opening"),
            _share(summary["opened"], summary["received"]),
            _received_url(filters, state=CaseState.OPENED),
            unit="%",
            hint=_("%(opened)d of %(received)d cases") % summary,
        ),
        Figure(
            _("Median days from enquiry to opening"),
            None if days is None else round(days, 1),
            _received_url(filters, state=CaseState.OPENED),
            unit=_("days"),
        ),
        Figure(
            pgettext("setting-up cases", "Withdrawn"),
            summary["withdrawn"],
            _received_url(filters, state=CaseState.WITHDRAWN),
        ),
        Figure(
            pgettext("setting-up cases", "Declined"),
            summary["declined"],
            _received_url(filters, state=CaseState.DECLINED),
        ),
        Figure(
            _("Open setting-up cases now"),
            summary["open_now"],
            cases_url(filters, state="open"),
            hint=_("today, whatever the period"),
        ),
        Figure(
            _("Overdue setting-up cases now"),
            summary["overdue_now"],
            cases_url(filters, overdue="yes"),
            hint=_("past the service level of their state"),
            tone="danger" if summary["overdue_now"] else "",
        ),
    ]
    noun = pgettext("setting-up cases in a chart", "cases")
    months = by_month(summary, "created_at", filters)
    charts = [
        Chart(
            "bar",
            _("Setting-up cases by state"),
            [str(SHORT_STATE_LABELS[value]) for value in CaseState.values],
            [(noun, [summary[f"state_{value}"] for value in CaseState.values])],
            urls=[_received_url(filters, state=value) for value in CaseState.values],
            description=_("The cases received in the period by the state they are in today."),
        ),
        Chart(
            "columns",
            _("Setting-up cases received by month"),
            [_month_label(first) for first, _last, _n in months],
            [(noun, [n for _first, _last, n in months])],
            urls=[
                cases_url(
                    filters, created_at__date__gte=first.isoformat(), created_at__date__lte=last.isoformat()
                )
                for first, last, _n in months
            ],
            description=_("How many enquiries came in each month of the period."),
        ),
        Chart(
            "bar",
            _("From enquiry to opening"),
            [str(label) for _key, label in FUNNEL],
            [(noun, [summary[key] for key, _label in FUNNEL])],
            urls=[
                _received_url(filters),
                _received_url(filters, submitted_on__isnull="False"),
                _received_url(filters, organisation__isnull="False"),
                _received_url(filters, state=CaseState.OPENED),
            ],
            description=_(
                "Of the cases received in the period, how many reached each step on the way to an opened "
                "office (the others are still open, withdrawn or declined)."
            ),
        ),
    ]
    return Section("foreign_office_cases", _("Setting up in Henan"), figures, charts)


def registry_section(filters: Filters) -> Section:
    """The registry on the period's last day (today at the latest) by country, kind and area; the
    organisations registered, opened and closed in the period. Two queries."""
    day = registry_day(filters)
    today = timezone.localdate()
    present = in_registry_on(day)
    # As the back office's "expiring" filter: still valid today, no longer in EXPIRING_DAYS.
    expiring = Q(
        registration_valid_until__gte=today,
        registration_valid_until__lte=today + timedelta(days=EXPIRING_DAYS),
    ) & ~Q(state=OrganisationState.CLOSED)
    summary = organisations(filters).aggregate(
        present=Count("pk", filter=present),
        registered=Count("pk", filter=_within("registered_on", filters)),
        opened=Count("pk", filter=_within("opened_on", filters)),
        closed=Count("pk", filter=_within("closed_on", filters)),
        suspended=Count("pk", filter=Q(state=OrganisationState.SUSPENDED)),
        expiring=Count("pk", filter=expiring),
        listed=Count("pk", filter=present & Q(list_publicly=True) & ~Q(state=OrganisationState.CLOSED)),
        staff_foreign=Sum("staff_foreign", filter=present, default=0),
        staff_local=Sum("staff_local", filter=present, default=0),
        **{f"kind_{value}": Count("pk", filter=present & Q(kind=value)) for value in PresenceKind.values},
        **{f"area_{value}": Count("pk", filter=present & Q(ftz_area=value)) for value in FTZArea.values},
    )
    by_country = list(
        organisations(filters)
        .filter(present)
        .values("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:TOP_COUNTRIES]
    )
    figures = [
        Figure(
            _("Foreign organisations in the registry"),
            summary["present"],
            _in_registry_url(filters, day),
            hint=_("regional headquarters and representative offices"),
        ),
        Figure(
            _("Registered in the period"),
            summary["registered"],
            registry_url(
                filters,
                registered_on__gte=filters.date_from.isoformat(),
                registered_on__lte=filters.date_to.isoformat(),
            ),
        ),
        Figure(
            pgettext("foreign organisations", "Opened in the period"),
            summary["opened"],
            registry_url(
                filters,
                opened_on__gte=filters.date_from.isoformat(),
                opened_on__lte=filters.date_to.isoformat(),
            ),
        ),
        Figure(
            pgettext("foreign organisations", "Closed in the period"),
            summary["closed"],
            registry_url(
                filters,
                state__exact=OrganisationState.CLOSED,
                closed_on__gte=filters.date_from.isoformat(),
                closed_on__lte=filters.date_to.isoformat(),
            ),
        ),
        Figure(_("Foreign staff"), summary["staff_foreign"], hint=_("in the organisations of the registry")),
        Figure(_("Local staff"), summary["staff_local"], hint=_("in the organisations of the registry")),
        Figure(
            _("Listed in the public directory"),
            summary["listed"],
            _in_registry_url(filters, day, listed="yes"),
            hint=_("with the organisation's consent"),
        ),
        Figure(
            pgettext("foreign organisations", "Suspended now"),
            summary["suspended"],
            registry_url(filters, state__exact=OrganisationState.SUSPENDED),
            tone="warning" if summary["suspended"] else "",
        ),
        Figure(
            _("Registrations expiring"),
            summary["expiring"],
            registry_url(filters, registration="expiring"),
            hint=_("within %(days)d days") % {"days": EXPIRING_DAYS},
            tone="warning" if summary["expiring"] else "",
        ),
    ]
    noun = pgettext("foreign organisations in a chart", "organisations")
    charts = [
        Chart(
            "bar",
            _("Foreign organisations by country"),
            [country_name(row["country"]) for row in by_country],
            [(noun, [row["n"] for row in by_country])],
            urls=[_in_registry_url(filters, day, country=row["country"]) for row in by_country],
            description=_("The countries the organisations of the registry come from, most first."),
        ),
        Chart(
            "bar",
            _("Foreign organisations by kind"),
            [str(SHORT_KIND_LABELS[value]) for value in PresenceKind.values],
            [(noun, [summary[f"kind_{value}"] for value in PresenceKind.values])],
            urls=[_in_registry_url(filters, day, kind__exact=value) for value in PresenceKind.values],
            description=_("Regional headquarters and the kinds of representative offices in the registry."),
        ),
        Chart(
            "bar",
            _("Foreign organisations by area"),
            [str(SHORT_AREA_LABELS[value]) for value in FTZArea.values],
            [(noun, [summary[f"area_{value}"] for value in FTZArea.values])],
            urls=[
                registry_url(
                    None,
                    state__in=f"{OrganisationState.ACTIVE},{OrganisationState.SUSPENDED}",
                    registered_on__lte=day.isoformat(),
                    area=value,
                )
                for value in FTZArea.values
            ],
            description=_(
                "Where the organisations of the registry are: the free trade zone's areas or outside."
            ),
        ),
    ]
    return Section(
        "foreign_organisations",
        _("Foreign organisations in Henan"),
        figures,
        charts,
        note=_("The registry on %(day)s (the last day of the period, today at the latest).")
        % {"day": formats.date_format(day, "DATE_FORMAT")},
    )


def _annual_summary(filters: Filters, year: int) -> tuple:
    """The window of `year` and the counts of its reports among the organisations owing one. Two queries."""
    window = window_for(year)
    overdue = Q(report__isnull=True) & ~Q(state=OrganisationState.CLOSED)
    summary = owing(filters, year).aggregate(
        owing=Count("pk"),
        on_time=Count("pk", filter=Q(report__on_time=True)),
        late=Count("pk", filter=Q(report__on_time=False)),
        not_filed=Count("pk", filter=Q(report__isnull=True)),
        overdue=Count("pk", filter=overdue),
        accepted=Count("pk", filter=Q(report__state=ReportState.ACCEPTED)),
        returned=Count("pk", filter=Q(report__state=ReportState.RETURNED)),
        waiting=Count("pk", filter=Q(report__state=ReportState.SUBMITTED)),
    )
    if timezone.localdate() <= window.due_on:
        summary["overdue"] = 0  # not due yet
    return window, summary


def annual_section(filters: Filters) -> Section:
    """The annual reports on the report year of the period: owed, filed on time, late, not filed."""
    year = report_year(filters)
    window, summary = _annual_summary(filters, year)
    past_due = timezone.localdate() > window.due_on
    counts = {**summary, "year": year}
    figures = [
        Figure(
            _("Organisations owing an annual report"),
            summary["owing"],
            hint=_("registered by the end of %(year)d and not closed before it") % counts,
        ),
        Figure(
            _("Filed on time"),
            summary["on_time"],
            annual_reports_url(year, on_time="yes"),
        ),
        Figure(
            _("Filed late"),
            summary["late"],
            annual_reports_url(year, on_time="no"),
            tone="warning" if summary["late"] else "",
        ),
        Figure(
            _("Not filed"),
            summary["not_filed"],
            registry_url(filters, report_overdue="yes") if past_due else "",
            hint=_("%(overdue)d overdue") % counts if past_due else _("the due date has not passed yet"),
            tone="danger" if summary["overdue"] else "",
        ),
        Figure(
            _("On-time rate"),
            _share(summary["on_time"], summary["owing"]),
            annual_reports_url(year, on_time="yes"),
            unit="%",
            hint=_("%(on_time)d of %(owing)d organisations") % counts,
        ),
        Figure(
            _("Annual reports waiting for the office"),
            summary["waiting"],
            annual_reports_url(year, state=ReportState.SUBMITTED),
            hint=_("%(accepted)d accepted, %(returned)d returned for changes") % counts,
        ),
    ]
    noun = pgettext("foreign organisations in a chart", "organisations")
    charts = [
        Chart(
            "bar",
            _("Annual reports on %(year)d") % counts,
            [_("Filed on time"), _("Filed late"), _("Not filed")],
            [(noun, [summary["on_time"], summary["late"], summary["not_filed"]])],
            urls=[
                annual_reports_url(year, on_time="yes"),
                annual_reports_url(year, on_time="no"),
                registry_url(filters, report_overdue="yes") if past_due else "",
            ],
            description=_(
                "The organisations owing a report on the year: filed by the due date, after it, or not."
            ),
        ),
    ]
    return Section(
        "foreign_office_annual_reports",
        _("Annual reports of foreign organisations"),
        figures,
        charts,
        note=_("Reports on %(year)d, due on %(due)s.")
        % {"year": year, "due": formats.date_format(window.due_on, "DATE_FORMAT")},
    )


def foreign_offices_panels(filters: Filters) -> list[Section]:
    """The area's sections of the reports dashboard: six queries whatever the data."""
    return [cases_section(filters), registry_section(filters), annual_section(filters)]


# Exported reports ----------------------------------------------------------------------------------------


def _name(language: str, original: str, chinese: str) -> str:
    """The Chinese name for a Chinese reader (the original when there is none), the original otherwise."""
    if language == "zh":
        return chinese or original
    return original or chinese


def _full_name(first: str, last: str, username: str) -> str:
    from foreign_affairs.accounts.models import User

    return User(first_name=first or "", last_name=last or "").get_full_name() or username or ""


def _local_day(moment):
    return timezone.localtime(moment).date() if moment else None


# Relative widths in the PDF list (points of landscape A4): the state, the area and the dates are read
# whole; a long name or kind of presence is cut short.
CASE_COLUMNS = [
    Column("reference", pgettext_lazy("setting-up case", "Reference"), 66),
    Column("organisation", gettext_lazy("Organisation"), 122),
    Column("country", gettext_lazy("Country"), 60),
    Column("kind", gettext_lazy("Kind of presence"), 120),
    Column("area", gettext_lazy("FTZ area"), 80),
    Column("state", gettext_lazy("State"), 125),
    Column("officer", gettext_lazy("Officer"), 60),
    Column("received", gettext_lazy("Received"), 45, "date"),
    Column("due", gettext_lazy("Due"), 45, "date"),
    Column("days_overdue", gettext_lazy("Days overdue"), 40, "number"),
]


def case_rows(filters: Filters):
    """Every case received in the period, in the order received."""
    language = reader_language()
    today = timezone.localdate()
    rows = (
        received(filters)
        .order_by("created_at", "pk")
        .values_list(
            "reference",
            "organisation_name",
            "organisation_name_zh",
            "country",
            "kind",
            "preferred_area",
            "state",
            "assigned_officer__first_name",
            "assigned_officer__last_name",
            "assigned_officer__username",
            "created_at",
            "due_on",
        )
    )
    for (
        reference,
        name,
        name_zh,
        country,
        kind,
        area,
        state,
        first,
        last,
        username,
        created,
        due,
    ) in rows.iterator(chunk_size=2000):
        overdue = due is not None and state in OPEN_CASE_STATES and due < today
        yield (
            reference,
            _name(language, name, name_zh),
            country_name(country, language),
            _label(KIND_LABELS, kind),
            _label(AREA_LABELS, area),
            _label(CASE_STATE_LABELS, state),
            _full_name(first, last, username),
            _local_day(created),
            due if state in OPEN_CASE_STATES else None,
            (today - due).days if overdue else None,
        )


def case_sections(filters: Filters) -> list[Section]:
    return [cases_section(filters)]


REGISTRY_COLUMNS = [
    Column("name", gettext_lazy("Name (original)"), 87),
    Column("name_zh", gettext_lazy("Name (Chinese)"), 80),
    Column("kind", gettext_lazy("Kind of presence"), 70),
    Column("country", gettext_lazy("Country"), 50),
    Column("area", gettext_lazy("FTZ area"), 50),
    Column("authority", gettext_lazy("Registering authority"), 60),
    Column("registration_number", gettext_lazy("Registration number"), 84),
    Column("registered_on", gettext_lazy("Registered"), 44, "date"),
    Column("valid_until", gettext_lazy("Valid until"), 44, "date"),
    Column("opened_on", pgettext_lazy("foreign organisation", "Opened"), 44, "date"),
    Column("state", gettext_lazy("State"), 45),
    Column("staff_foreign", gettext_lazy("Foreign staff"), 28, "number"),
    Column("staff_local", gettext_lazy("Local staff"), 28, "number"),
    Column("listed", gettext_lazy("Listed publicly"), 28),
]


def registry_entries(filters: Filters):
    """The organisations in the registry on the registry day, and those closed in the period."""
    return organisations(filters).filter(
        in_registry_on(registry_day(filters)) | _within("closed_on", filters)
    )


def registry_rows(filters: Filters):
    """One row per organisation (no personal data: the chief representative is left out)."""
    language = reader_language()
    yes, no = _("yes"), _("no")
    rows = (
        registry_entries(filters)
        .order_by("name_zh", "pk")
        .values_list(
            "name",
            "name_zh",
            "kind",
            "country",
            "ftz_area",
            "authority",
            "registration_number",
            "registered_on",
            "registration_valid_until",
            "opened_on",
            "state",
            "staff_foreign",
            "staff_local",
            "list_publicly",
        )
    )
    for (
        name,
        name_zh,
        kind,
        country,
        area,
        authority,
        number,
        registered,
        valid,
        opened,
        state,
        foreign,
        local,
        listed,
    ) in rows.iterator(chunk_size=2000):
        yield (
            name,
            name_zh,
            _label(KIND_LABELS, kind),
            country_name(country, language),
            _label(AREA_LABELS, area),
            _label(AUTHORITY_LABELS, authority),
            number,
            registered,
            valid,
            opened,
            _label(ORGANISATION_STATE_LABELS, state),
            foreign,
            local,
            yes if listed else no,
        )


def registry_sections(filters: Filters) -> list[Section]:
    return [registry_section(filters)]


ANNUAL_COLUMNS = [
    Column("organisation", gettext_lazy("Organisation"), 170),
    Column("country", gettext_lazy("Country"), 60),
    Column("kind", gettext_lazy("Kind of presence"), 150),
    Column("area", gettext_lazy("FTZ area"), 80),
    Column("due", gettext_lazy("Due"), 50, "date"),
    Column("filed", gettext_lazy("Filed"), 50, "date"),
    Column("status", gettext_lazy("Filing"), 70),
    Column("state", gettext_lazy("State of the report"), 85),
    Column("days_late", gettext_lazy("Days late"), 45, "number"),
]


def annual_rows(filters: Filters):
    """One row per organisation owing a report on the report year: filed on time, late, not filed yet, or
    overdue (past the due date, not filed, not closed)."""
    language = reader_language()
    today = timezone.localdate()
    year = report_year(filters)
    due = window_for(year).due_on
    labels = {
        "on_time": pgettext("annual report filing", "on time"),
        "late": pgettext("annual report filing", "late"),
        "overdue": pgettext("annual report filing", "overdue"),
        "not_filed": pgettext("annual report filing", "not filed yet"),
        "closed": pgettext("annual report filing", "not filed, closed"),
    }
    rows = (
        owing(filters, year)
        .order_by("name_zh", "pk")
        .values_list(
            "name",
            "name_zh",
            "country",
            "kind",
            "ftz_area",
            "state",
            "report__submitted_at",
            "report__on_time",
            "report__state",
            "report__due_on",
        )
    )
    for (
        name,
        name_zh,
        country,
        kind,
        area,
        state,
        filed_at,
        on_time,
        report_state,
        report_due,
    ) in rows.iterator(chunk_size=2000):
        filed = _local_day(filed_at)
        due_on = report_due or due
        if filed is not None:
            status = labels["on_time" if on_time else "late"]
            days_late = None if on_time else max((filed - due_on).days, 0)
        elif state == OrganisationState.CLOSED:
            status, days_late = labels["closed"], None
        elif today > due_on:
            status, days_late = labels["overdue"], (today - due_on).days
        else:
            status, days_late = labels["not_filed"], None
        yield (
            _name(language, name, name_zh),
            country_name(country, language),
            _label(KIND_LABELS, kind),
            _label(AREA_LABELS, area),
            due_on,
            filed,
            status,
            _label(REPORT_STATE_LABELS, report_state) if report_state else "",
            days_late,
        )


def annual_sections(filters: Filters) -> list[Section]:
    return [annual_section(filters)]


REPORTS = [
    ReportDefinition(
        name="foreign_office_cases",
        title=gettext_lazy("Setting-up cases of foreign organisations"),
        description=gettext_lazy(
            "Enquiries received in the period by state and month, how many led to an opened office and how "
            "long it took; then every case."
        ),
        columns=CASE_COLUMNS,
        rows=case_rows,
        count=lambda filters: received(filters).count(),
        sections=case_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="foreign_organisations",
        title=gettext_lazy("Registry of foreign organisations in Henan"),
        description=gettext_lazy(
            "The registry on the period's last day (today at the latest) by country, kind and area, and the "
            "organisations registered, opened and closed in the period; then every entry."
        ),
        columns=REGISTRY_COLUMNS,
        rows=registry_rows,
        count=lambda filters: registry_entries(filters).count(),
        sections=registry_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="foreign_office_annual_reports",
        title=gettext_lazy("Annual reports of foreign organisations"),
        description=gettext_lazy(
            "The annual reports on the year before the period's last day: owed, filed on time, filed late, "
            "not filed; then every organisation owing one."
        ),
        columns=ANNUAL_COLUMNS,
        rows=annual_rows,
        count=lambda filters: owing(filters, report_year(filters)).count(),
        sections=annual_sections,
        landscape=True,
    ),
]
