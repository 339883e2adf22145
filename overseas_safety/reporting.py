"""Overseas safety on the managers' dashboard and in the exported reports (foreign_affairs.reports).

Incidents reported in the period — by month, kind, level and country; how long the office took to
acknowledge them and to resolve them (median and 90th percentile, computed by the database:
percentile_cont on PostgreSQL, foreign_affairs.reports.stats' ranked fallback on SQLite) — and who of ours
is abroad, by country, on the last day of the period (today at the latest).

A report merged into another (a duplicate of the same incident) is not an incident of its own: the figures
leave merged reports out, and count them apart. Every figure links to the back-office list behind it.
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.reports.stats import DaysBetween, by_month, per_month, percentiles, percentiles_by
from foreign_affairs.security.countries import country_name, reader_language

from . import selectors
from .models import AffectedPerson, Incident
from .workflow import OPEN_STATES, IncidentKind, Level, PersonStatus, State

MINUTES_A_DAY, HOURS_A_DAY = 24 * 60, 24
COUNTED_STATES = [state for state in State.values if state != State.MERGED]
# Where the person is in danger or harmed: the figure the leaders ask for first.
HARMED = (PersonStatus.INJURED, PersonStatus.MISSING, PersonStatus.DETAINED, PersonStatus.DECEASED)


# Links to the back office --------------------------------------------------------------------------------


def queue_url(filters: Filters | None = None, **params) -> str:
    """The officers' incident list (every state unless `state` is given), narrowed to the FTZ area."""
    query = {"state": "all", **params}
    if filters is not None and filters.ftz_area:
        query["organization__ftz_area__exact"] = filters.ftz_area
    return f"{reverse('admin:overseas_safety_incident_changelist')}?{urlencode(query)}"


def _reported_in(filters: Filters, **params) -> str:
    return queue_url(
        filters,
        state__in=",".join(COUNTED_STATES),
        reported_at__date__gte=filters.date_from.isoformat(),
        reported_at__date__lte=filters.date_to.isoformat(),
        **params,
    )


def _sites_url(filters: Filters, **params) -> str:
    if filters.ftz_area:
        params["organization__ftz_area__exact"] = filters.ftz_area
    return f"{reverse('admin:overseas_safety_site_changelist')}?{urlencode(params)}"


# Querysets ---------------------------------------------------------------------------------------------


def incidents(filters: Filters):
    queryset = Incident.objects.all()
    if filters.ftz_area:
        queryset = queryset.filter(organization__ftz_area=filters.ftz_area)
    return queryset


def reported(filters: Filters):
    """The incidents reported in the period, merged reports left out."""
    return incidents(filters).filter(filters.between("reported_at")).exclude(state=State.MERGED)


def presence_day(filters: Filters) -> date:
    """The day whose presence abroad a report shows: the period's last day, today at the latest."""
    return min(filters.date_to, timezone.localdate())


def _presence(day: date, ftz_area: str = "") -> list:
    """selectors.presence_by_country (people, sites and Chinese staff per country), most people first."""
    return sorted(
        selectors.presence_by_country(day, ftz_area=ftz_area), key=lambda row: (-row.people, row.country)
    )


def presence_by_country(day: date, ftz_area: str = "") -> list[tuple[str, int]]:
    """(country code, people) of everyone of ours abroad on `day`, most first: travellers of approved trips
    and staff stationed at a site, each person counted once per country."""
    return [(row.country, row.people) for row in _presence(day, ftz_area) if row.people]


# The dashboard -------------------------------------------------------------------------------------------


def _round(value, factor: float, digits: int) -> float | None:
    return None if value is None else round(value * factor, digits)


def _month_label(first) -> str:
    return formats.date_format(first, "YEAR_MONTH_FORMAT")


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def incidents_section(filters: Filters) -> Section:
    """Incidents reported in the period by month, kind, level and country; times to acknowledge and resolve."""
    now = timezone.now()
    counted = reported(filters)
    summary = counted.aggregate(
        total=Count("pk"),
        grave=Count("pk", filter=Q(level__in=[Level.I, Level.II])),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        in_time=Count("pk", filter=Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at"))),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
        **per_month(Incident, "reported_at", filters, ~Q(state=State.MERGED)),
        **{f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in IncidentKind.values},
        **{f"level_{value}": Count("pk", filter=Q(level=value)) for value in Level.values},
    )
    merged = incidents(filters).filter(filters.between("reported_at"), state=State.MERGED).count()
    now_counts = incidents(filters).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(state=State.REPORTED, ack_due_at__lt=now)),
    )
    harmed = AffectedPerson.objects.filter(incident__in=counted.values("pk"), status__in=HARMED).count()
    by_country = list(counted.values("country").annotate(n=Count("pk")).order_by("-n", "country")[:15])
    acknowledge = DaysBetween("reported_at", "acknowledged_at")
    resolve = DaysBetween("reported_at", "resolved_at")
    ack = percentiles(counted.filter(acknowledged_at__isnull=False), acknowledge, (0.5, 0.9))
    res = percentiles(counted.filter(resolved_at__isnull=False), resolve, (0.5, 0.9))
    ack_by_level = percentiles_by(
        counted.filter(acknowledged_at__isnull=False), "level", Level.values, acknowledge, (0.5, 0.9)
    )
    minutes, hours = _("minutes"), _("hours")
    figures = [
        Figure(_("Incidents reported"), summary["total"], _reported_in(filters)),
        Figure(
            _("Level I–II incidents"),
            summary["grave"],
            _reported_in(filters, level__in=f"{Level.I},{Level.II}"),
            tone="danger" if summary["grave"] else "",
        ),
        Figure(
            _("People harmed or in danger"),
            harmed,
            _reported_in(filters),
            hint=_("injured, missing, detained or deceased"),
            tone="warning" if harmed else "",
        ),
        Figure(
            _("Median time to acknowledge"),
            _round(ack[0.5], MINUTES_A_DAY, 0),
            _reported_in(filters, acknowledged_at__isnull="False"),
            unit=minutes,
            hint=_("from the report to the office taking charge"),
        ),
        Figure(
            _("90th percentile time to acknowledge"),
            _round(ack[0.9], MINUTES_A_DAY, 0),
            _reported_in(filters, acknowledged_at__isnull="False"),
            unit=minutes,
            hint=_("nine incidents in ten were acknowledged at most this fast"),
        ),
        Figure(
            _("Acknowledged in time"),
            _share(summary["in_time"], summary["acknowledged"]),
            _reported_in(filters, acknowledged_at__isnull="False"),
            unit="%",
            hint=_("%(in_time)d of %(acknowledged)d incidents") % summary,
        ),
        Figure(
            _("Escalated to the leaders"),
            summary["escalated"],
            _reported_in(filters, escalated_at__isnull="False"),
            hint=_("not acknowledged in time"),
            tone="warning" if summary["escalated"] else "",
        ),
        Figure(
            _("Median time to resolve"),
            _round(res[0.5], HOURS_A_DAY, 1),
            _reported_in(filters, resolved_at__isnull="False"),
            unit=hours,
            hint=_("from the report to the incident resolved"),
        ),
        Figure(
            _("90th percentile time to resolve"),
            _round(res[0.9], HOURS_A_DAY, 1),
            _reported_in(filters, resolved_at__isnull="False"),
            unit=hours,
        ),
        Figure(
            _("Duplicate reports merged"),
            merged,
            queue_url(
                filters,
                state=State.MERGED,
                reported_at__date__gte=filters.date_from.isoformat(),
                reported_at__date__lte=filters.date_to.isoformat(),
            ),
        ),
        Figure(
            _("Open incidents now"),
            now_counts["open"],
            queue_url(filters, state="open"),
            hint=_("today, whatever the period"),
        ),
        Figure(
            _("Not acknowledged in time, now"),
            now_counts["overdue"],
            queue_url(filters, ack="overdue"),
            tone="danger" if now_counts["overdue"] else "",
        ),
    ]
    months = by_month(summary, "reported_at", filters)
    kinds = [value for value in IncidentKind.values if summary[f"kind_{value}"]]
    noun = pgettext("incidents in a chart", "incidents")
    charts = [
        Chart(
            "columns",
            _("Incidents by month"),
            [_month_label(first) for first, _last, _n in months],
            [(noun, [n for _first, _last, n in months])],
            urls=[
                queue_url(
                    filters,
                    state__in=",".join(COUNTED_STATES),
                    reported_at__date__gte=first.isoformat(),
                    reported_at__date__lte=last.isoformat(),
                )
                for first, last, _n in months
            ],
            description=_("How many incidents abroad were reported in each month of the period."),
        ),
        Chart(
            "bar",
            _("Incidents by kind"),
            [str(IncidentKind(value).label) for value in kinds],
            [(noun, [summary[f"kind_{value}"] for value in kinds])],
            urls=[_reported_in(filters, kind__exact=value) for value in kinds],
            description=_("The incidents of the period by kind, in the order of the kinds."),
        ),
        Chart(
            "columns",
            _("Incidents by level"),
            [str(Level(value).label) for value in Level.values],
            [(noun, [summary[f"level_{value}"] for value in Level.values])],
            urls=[_reported_in(filters, level__exact=value) for value in Level.values],
            description=_("The incidents of the period by level, from the gravest (I) to the least (IV)."),
        ),
        Chart(
            "bar",
            _("Incidents by country"),
            [country_name(row["country"]) for row in by_country],
            [(noun, [row["n"] for row in by_country])],
            urls=[_reported_in(filters, country=row["country"]) for row in by_country],
            description=_("The countries where the incidents happened, most incidents first."),
        ),
        Chart(
            "columns",
            _("Minutes to acknowledge, by level"),
            [str(Level(value).label) for value in Level.values],
            [
                (
                    _("median"),
                    [_round(ack_by_level[value][0.5], MINUTES_A_DAY, 0) or 0 for value in Level.values],
                ),
                (
                    _("90th percentile"),
                    [_round(ack_by_level[value][0.9], MINUTES_A_DAY, 0) or 0 for value in Level.values],
                ),
            ],
            urls=[
                _reported_in(filters, level__exact=value, acknowledged_at__isnull="False")
                for value in Level.values
            ],
            unit=" " + minutes,
            description=_(
                "Median and 90th percentile of the minutes from the report to its acknowledgement, per level."
            ),
        ),
    ]
    return Section("overseas_incidents", _("Incidents abroad"), figures, charts)


def presence_section(filters: Filters) -> Section:
    """Who of ours is abroad, by country, on the period's last day (today at the latest)."""
    day = presence_day(filters)
    rows = _presence(day, filters.ftz_area)
    countries = [(row.country, row.people) for row in rows if row.people]
    site_counts = {"sites": sum(row.sites for row in rows), "countries": sum(1 for row in rows if row.sites)}
    shown = countries[:15]
    figures = [
        Figure(
            _("People abroad"), sum(n for _code, n in countries), hint=_("on trips or stationed at a site")
        ),
        Figure(_("Countries"), len(countries)),
        Figure(
            _("Sites abroad in use"),
            site_counts["sites"],
            _sites_url(filters, open="yes"),
            hint=_("in %(countries)d countries") % site_counts,
        ),
    ]
    chart = Chart(
        "bar",
        _("People abroad by country"),
        [country_name(code) for code, _n in shown],
        [(_("people"), [n for _code, n in shown])],
        urls=[_sites_url(filters, open="yes", country=code) for code, _n in shown],
        description=_("Everyone of ours abroad on the day, on trips or stationed at a site, by country."),
    )
    return Section(
        "overseas_presence",
        _("People abroad"),
        figures,
        [chart] if shown else [],
        note=_("On %(day)s (the last day of the period, today at the latest).")
        % {"day": formats.date_format(day, "DATE_FORMAT")},
    )


def safety_panels(filters: Filters) -> list[Section]:
    return [incidents_section(filters), presence_section(filters)]


# Exported reports ----------------------------------------------------------------------------------------

STATE_LABELS = dict(State.choices)
KIND_LABELS = dict(IncidentKind.choices)
LEVEL_LABELS = dict(Level.choices)

INCIDENT_COLUMNS = [
    Column("reference", pgettext_lazy("incident", "Reference"), 1.1),
    Column("organization", gettext_lazy("Organisation"), 1.5),
    Column("title", gettext_lazy("What happened"), 1.8),
    Column("kind", gettext_lazy("Kind"), 1.0),
    Column("level", gettext_lazy("Level"), 0.9),
    Column("country", gettext_lazy("Country"), 0.8),
    Column("city", gettext_lazy("City"), 0.7),
    Column("reported", gettext_lazy("Reported"), 0.8, "date"),
    Column("minutes_to_acknowledge", gettext_lazy("Minutes to acknowledge"), 0.7, "number"),
    Column("hours_to_resolve", gettext_lazy("Hours to resolve"), 0.6, "number"),
    Column("people", gettext_lazy("People affected"), 0.6, "number"),
    Column("state", gettext_lazy("State"), 0.8),
]


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value or ""))


# The Roman numerals of the levels' names (Ⅰ–Ⅳ) are letters in the exports, which the list's font draws.
ROMAN_LETTERS = str.maketrans({"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV"})


def _span(start, end, factor: float, digits: int):
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 86400 * factor, digits)


def incident_rows(filters: Filters):
    """Every incident reported in the period (merged reports left out), in order of reporting."""
    language = reader_language()
    rows = (
        reported(filters)
        .annotate(people_count=Count("people"))
        .order_by("reported_at", "pk")
        .values_list(
            "reference",
            "organization__name_zh",
            "title",
            "kind",
            "level",
            "country",
            "city",
            "reported_at",
            "acknowledged_at",
            "resolved_at",
            "people_count",
            "state",
        )
    )
    for (
        reference,
        organization,
        title,
        kind,
        level,
        country,
        city,
        at,
        acked,
        resolved,
        people,
        state,
    ) in rows.iterator(chunk_size=2000):
        yield (
            reference,
            organization,
            title,
            _label(KIND_LABELS, kind),
            _label(LEVEL_LABELS, level).translate(ROMAN_LETTERS),
            country_name(country, language),
            city,
            timezone.localtime(at).date(),
            _span(at, acked, MINUTES_A_DAY, 0),
            _span(at, resolved, HOURS_A_DAY, 1),
            people,
            _label(STATE_LABELS, state),
        )


PRESENCE_COLUMNS = [
    Column("country", gettext_lazy("Country"), 1.2),
    Column("people", gettext_lazy("People abroad"), 0.7, "number"),
    Column("sites", gettext_lazy("Sites in use"), 0.7, "number"),
    Column("chinese_staff", gettext_lazy("Chinese staff on the sites"), 0.9, "number"),
]


def presence_rows(filters: Filters):
    """One row per country where someone of ours is or a site is in use, on the presence day."""
    day = presence_day(filters)
    language = reader_language()
    rows = sorted(
        _presence(day, filters.ftz_area),
        key=lambda row: (-row.people, country_name(row.country, language)),
    )
    for row in rows:
        yield country_name(row.country, language), row.people, row.sites, row.chinese_staff


def presence_count(filters: Filters) -> int:
    return sum(1 for _row in presence_rows(filters))


def presence_sections(filters: Filters) -> list[Section]:
    return [presence_section(filters)]


REPORTS = [
    ReportDefinition(
        name="overseas_incidents",
        title=gettext_lazy("Incidents abroad"),
        description=gettext_lazy(
            "Incidents reported in the period by month, kind, level and country; the time to acknowledge and "
            "to resolve them; then every incident."
        ),
        columns=INCIDENT_COLUMNS,
        rows=incident_rows,
        count=lambda filters: reported(filters).count(),
        sections=lambda filters: [incidents_section(filters)],
        landscape=True,
    ),
    ReportDefinition(
        name="overseas_presence",
        title=gettext_lazy("People abroad by country"),
        description=gettext_lazy(
            "Everyone of ours abroad on the period's last day (today at the latest), on trips or stationed at "
            "a site, and the sites in use, by country."
        ),
        columns=PRESENCE_COLUMNS,
        rows=presence_rows,
        count=presence_count,
        sections=presence_sections,
    ),
]
