"""International exchanges on the managers' dashboard and in the exported reports (foreign_affairs.reports).

An activity belongs to the period it starts in, and to each FTZ area it names (an activity of the Zhengzhou
and Luoyang areas counts in both; choosing an area keeps the activities that name it). Only the activities
held, reported or closed (workflow.HELD_STATES) count as exchanges held; those proposed, approved, confirmed
or postponed are counted apart as planned, and cancelled ones are counted nowhere else. The free trade zone
was presented when a briefing was given (`zone_presented`); the reports also say how many exchanges took the
visitors to enterprises and handed materials over. FTZ areas and focus tags are code sets (codes.py): an
activity of two tags counts in both groups.

Agreements belong to the period they were signed in and to their activity's areas. Friendship cities have no
FTZ area: their health (health.annotate, the same rules as the pages) is today's, whatever the period.

Every figure is computed by the database, and every part is a fixed number of queries whatever the data:
the dashboard's two sections two queries, each report's rows one or two (see each function).
"""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from foreign_affairs import typography
from foreign_affairs.accounts.models import FTZArea, User
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.security.countries import country_name, reader_language

from . import codes, health
from .health import Health
from .models import Activity, Agreement, AgreementKind, FriendshipCity, RelationshipKind
from .workflow import HELD_STATES, PLANNED_STATES, Direction, Focus, Kind, State

TOP_COUNTRIES = 10
HELD = Q(state__in=HELD_STATES)
PLANNED = Q(state__in=PLANNED_STATES)
KIND_LABELS = dict(Kind.choices)
AREA_LABELS = dict(FTZArea.choices)
FOCUS_LABELS = dict(Focus.choices)
STATE_LABELS = dict(State.choices)
DIRECTION_LABELS = dict(Direction.choices)
AGREEMENT_LABELS = dict(AgreementKind.choices)
RELATIONSHIP_LABELS = dict(RelationshipKind.choices)
HEALTH_LABELS = dict(Health.choices)
# Worst first: the order of the health report and of the dashboard's figures.
HEALTH_ORDER = (Health.DORMANT, Health.ATTENTION, Health.ACTIVE)
HEALTH_TONES = {Health.DORMANT: "danger", Health.ATTENTION: "warning", Health.ACTIVE: ""}
# Charts cut their labels after 18 characters: the long names of kinds and areas have short forms there (the
# lists keep the full names).
SHORT_KIND_LABELS = {
    Kind.PROVINCIAL_EXCHANGE: pgettext_lazy("exchange kind, short", "External exchange"),
    Kind.DIGNITARY_VISIT: pgettext_lazy("exchange kind, short", "Dignitary visit"),
    Kind.OVERSEAS_CHINESE: pgettext_lazy("exchange kind, short", "Overseas Chinese"),
    Kind.FRIENDSHIP_CITY: pgettext_lazy("exchange kind, short", "Friendship city"),
    Kind.MEDIA_INTERVIEW: pgettext_lazy("exchange kind, short", "Media interview"),
    Kind.OTHER: pgettext_lazy("exchange kind, short", "Other"),
}
SHORT_AREA_LABELS = {
    **AREA_LABELS,
    FTZArea.OUTSIDE: pgettext_lazy("FTZ area, short", "Outside the FTZ"),
}


# Links to the back office --------------------------------------------------------------------------------
# The activity queue's filters (exchanges.admin.activity_filters): it opens on the planned activities unless
# `state` says otherwise (one state, "planned" or "all"; with "all", Django admin's own `state__in` narrows it
# to the states held); `area`, `focus` and `kind` take one code; the dates are Django admin's own lookups
# on the fields (`starts_on__gte`, `starts_on__lte`), and so is `zone_presented__exact`. The friendship
# cities' list takes `health`. Agreements have no list of their own: their figures go without a link.


def _admin_url(model: str, params: dict) -> str:
    url = reverse(f"admin:exchanges_{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def activities_url(filters: Filters | None = None, **params) -> str:
    """The back office's activity list in every state unless `state` is given, narrowed to the filters' FTZ
    area and `params`."""
    query = {"state": "all", **params}
    if filters is not None and filters.ftz_area:
        query.setdefault("area", filters.ftz_area)
    return _admin_url("activity", query)


def _started_url(filters: Filters, first: date | None = None, last: date | None = None, **params) -> str:
    """The activities starting in the period (or from `first` to `last`)."""
    return activities_url(
        filters,
        starts_on__gte=(first or filters.date_from).isoformat(),
        starts_on__lte=(last or filters.date_to).isoformat(),
        **params,
    )


def _held_url(filters: Filters, first: date | None = None, last: date | None = None, **params) -> str:
    return _started_url(filters, first, last, state__in=",".join(HELD_STATES), **params)


def cities_url(level: str = "") -> str:
    """The back office's friendship cities, of one health level."""
    return _admin_url("friendshipcity", {"health": level} if level else {})


# Querysets -----------------------------------------------------------------------------------------------


def activities(filters: Filters):
    """The activities of the filters' FTZ area (all of them without one), unordered."""
    queryset = Activity.objects.order_by()
    if filters.ftz_area:
        queryset = queryset.filter(codes.has("ftz_areas", filters.ftz_area))
    return queryset


def started(filters: Filters):
    """The activities starting in the period."""
    return activities(filters).filter(starts_on__gte=filters.date_from, starts_on__lte=filters.date_to)


def agreements(filters: Filters):
    """The agreements signed in the period, in activities of the FTZ area."""
    queryset = Agreement.objects.order_by().filter(
        signed_on__gte=filters.date_from, signed_on__lte=filters.date_to
    )
    if filters.ftz_area:
        queryset = queryset.filter(codes.has("activity__ftz_areas", filters.ftz_area))
    return queryset


def _measures() -> dict[str, Q]:
    """What is counted of each group of activities: the exchanges held, those that presented the zone, took
    the visitors to enterprises or handed materials over; the activities planned and those cancelled."""
    through = Activity.enterprises_visited.through
    visited = Q(Exists(through.objects.filter(activity_id=OuterRef("pk"))))
    return {
        "held": HELD,
        "presented": HELD & Q(zone_presented=True),
        "visited": HELD & visited,
        "materials": HELD & ~Q(materials=""),
        "planned": PLANNED,
        "cancelled": Q(state=State.CANCELLED),
    }


# What places an activity in the groups and measures of tally() (besides its enterprises visited, materials
# and agreements).
GROUPED = ("kind", "ftz_areas", "focus", "starts_on", "state", "zone_presented")
MEASURES = ("held", "presented", "visited", "materials", "planned", "cancelled")  # those of _measures()


def _group_names(filters: Filters) -> list[str]:
    """The groups the reports count the activities of the period in: all of them, each kind, each FTZ area
    (and none given), each focus tag (and none given), each month of the period (by its index)."""
    return [
        "all",
        *(f"kind_{value}" for value in Kind.values),
        *(f"area_{value}" for value in FTZArea.values),
        "area_none",
        *(f"focus_{value}" for value in Focus.values),
        "focus_none",
        *(f"month_{index}" for index in range(len(filters.months()))),
    ]


def _groups_of(row: dict, months: list[tuple[date, date]]) -> set[str]:
    """The groups an activity of the period counts in, named as in _group_names (a code that is not one of
    the choices names a group that does not exist, and is left out by the caller)."""
    found = {"all", f"kind_{row['kind']}"}
    for prefix, field in (("area", "ftz_areas"), ("focus", "focus")):
        found |= {f"{prefix}_{code}" for code in codes.split(row[field])} or {f"{prefix}_none"}
    found |= {
        f"month_{index}" for index, (first, last) in enumerate(months) if first <= row["starts_on"] <= last
    }
    return found


def _measures_of(row: dict) -> list[str]:
    """The measures an activity counts in (as _measures(), from the grouped row's columns)."""
    held = row["state"] in HELD_STATES
    return [
        name
        for name, counted in (
            ("held", held),
            ("presented", held and row["zone_presented"]),
            ("visited", held and row["k_visited"]),
            ("materials", held and row["k_materials"]),
            ("planned", row["state"] in PLANNED_STATES),
            ("cancelled", row["state"] == State.CANCELLED),
        )
        if counted
    ]


def tally(filters: Filters) -> dict[str, dict[str, int]]:
    """The activities starting in the period counted per group and measure — {group: {measure: n}} — and the
    agreements signed in the period ({"agreements": {"signed": n, "activities": n}}, whenever their
    activity started). One grouped query, whatever the data: the activities of the period and those with an
    agreement signed in it, counted by what places them in groups and measures (kind, areas, focus, start,
    state, …; a few hundred rows for a province's year). Python then adds each row to its groups and
    measures: two hundred conditional counts in one aggregate took Django 0.2 s to compile."""
    period = Q(starts_on__gte=filters.date_from, starts_on__lte=filters.date_to)
    signed = Agreement.objects.filter(
        activity=OuterRef("pk"), signed_on__gte=filters.date_from, signed_on__lte=filters.date_to
    ).order_by()
    through = Activity.enterprises_visited.through
    rows = (
        activities(filters)
        .filter(period | Q(Exists(signed)))
        .annotate(
            k_visited=Exists(through.objects.filter(activity_id=OuterRef("pk"))),
            k_materials=Case(When(materials="", then=Value(False)), default=Value(True)),
            k_signed=Coalesce(Subquery(signed.values("activity").annotate(n=Count("pk")).values("n")), 0),
        )
        .values(*GROUPED, "k_visited", "k_materials", "k_signed")
        .annotate(n=Count("pk"))
    )
    found = {group: dict.fromkeys(MEASURES, 0) for group in _group_names(filters)}
    found["agreements"] = {"signed": 0, "activities": 0}
    months = filters.months()
    for row in rows:
        found["agreements"]["signed"] += row["k_signed"] * row["n"]
        found["agreements"]["activities"] += row["n"] if row["k_signed"] else 0
        if not filters.date_from <= row["starts_on"] <= filters.date_to:
            continue
        for group in _groups_of(row, months) & found.keys():
            for measure in _measures_of(row):
                found[group][measure] += row["n"]
    return found


def by_country(filters: Filters) -> list[dict]:
    """The activities starting in the period per country of the foreign party, with the measures of tally():
    most exchanges held first (then most planned, then by name), those without a country last. One grouped
    query."""
    language = reader_language()
    rows = list(
        started(filters)
        .values("country")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in _measures().items()})
    )
    for row in rows:
        row["country"] = str(row["country"] or "")
        row["name"] = country_name(row["country"], language) if row["country"] else ""
    return sorted(rows, key=lambda row: (not row["country"], -row["held"], -row["planned"], row["name"]))


# Shared helpers ------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _month_label(first: date) -> str:
    return formats.date_format(first, "YEAR_MONTH_FORMAT")


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value or ""))


def _codes_label(value: str, labels: dict) -> str:
    return typography.enumerate_items(_label(labels, code) for code in codes.split(value))


def _full_name(first: str, last: str, username: str) -> str:
    return User(first_name=first or "", last_name=last or "").get_full_name() or username or ""


def _title(zh: str, en: str) -> str:
    if reader_language() == "zh":
        return zh or en
    return en or zh


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _sentences(parts: list[str]) -> str:
    """Reasons one after another: "；" between them in Chinese, "; " in English."""
    return ("；" if reader_language() == "zh" else "; ").join(parts)


def _top(rows: list[tuple[str, int, str]], top: int, rest_label: str) -> list[tuple[str, int, str]]:
    """The first `top` of (label, count, url), the others summed up as `rest_label` (no link)."""
    if len(rows) <= top + 1:
        return rows
    rest = sum(count for _label, count, _url in rows[top:])
    return [*rows[:top], (rest_label, rest, "")]


# The dashboard -------------------------------------------------------------------------------------------


def _series(found: dict, keys: list[str], *measures: str) -> list[tuple[str, list[float]]]:
    """The chart's series: the exchanges held, the zone presented, of each group in `keys`. (A bar chart
    draws its first series; the numbers beside it show them all.)"""
    names = {
        "held": pgettext("exchanges in a chart", "held"),
        "presented": pgettext("exchanges in a chart", "zone presented"),
    }
    return [(names[measure], [found[key][measure] for key in keys]) for measure in measures]


def activities_section(filters: Filters) -> Section:
    """The exchanges held in the period by kind, FTZ area, focus and month, how many presented the free trade
    zone, the activities planned and cancelled, and the agreements signed. One query: tally()."""
    found = tally(filters)
    signed = found["agreements"]
    every = found["all"]
    counts = {"presented": every["presented"], "held": every["held"]}
    figures = [
        Figure(_("Exchanges held"), every["held"], _held_url(filters), hint=_("held, reported or closed")),
        Figure(
            _("Free trade zone presented"),
            every["presented"],
            _held_url(filters, zone_presented__exact=1),
            hint=_("exchanges held with a briefing on the zone"),
        ),
        Figure(
            _("Share presenting the zone"),
            _share(every["presented"], every["held"]),
            _held_url(filters, zone_presented__exact=1),
            unit="%",
            hint=_("%(presented)d of %(held)d exchanges held") % counts,
        ),
        Figure(
            _("Agreements signed"),
            signed["signed"],
            hint=ngettext("in %(count)d activity", "in %(count)d activities", signed["activities"])
            % {"count": signed["activities"]},
        ),
        Figure(
            pgettext("exchange activities", "Planned"),
            every["planned"],
            _started_url(filters, state="planned"),
            hint=_("starting in the period, not yet held"),
        ),
        Figure(
            pgettext("exchange activities", "Cancelled"),
            every["cancelled"],
            _started_url(filters, state=State.CANCELLED),
            hint=_("not counted as held or planned"),
        ),
    ]
    months = list(enumerate(filters.months()))
    charts = [
        Chart(
            "bar",
            _("Exchanges held by kind"),
            [str(SHORT_KIND_LABELS[value]) for value in Kind.values],
            _series(found, [f"kind_{value}" for value in Kind.values], "held", "presented"),
            urls=[_held_url(filters, kind=value) for value in Kind.values],
            description=_("The exchanges held in the period by kind."),
        ),
        Chart(
            "bar",
            _("Exchanges held by area"),
            [str(SHORT_AREA_LABELS[value]) for value in FTZArea.values],
            _series(found, [f"area_{value}" for value in FTZArea.values], "held", "presented"),
            # With an area chosen the others' bars count its exchanges shared with them: no list shows that.
            urls=[
                _held_url(filters, area=value) if filters.ftz_area in ("", value) else ""
                for value in FTZArea.values
            ],
            description=_(
                "The free trade zone's areas the exchanges held in the period concern; an exchange of two "
                "areas counts in both."
            ),
        ),
        Chart(
            "bar",
            _("Zone presented by focus"),
            [str(FOCUS_LABELS[value]) for value in Focus.values],
            _series(found, [f"focus_{value}" for value in Focus.values], "presented", "held"),
            urls=[_held_url(filters, focus=value, zone_presented__exact=1) for value in Focus.values],
            description=_(
                "The exchanges held in the period that presented the free trade zone, by the points the "
                "presentation centred on: plans, pivots, connectivity, coordination and platforms; an exchange "
                "of several counts in each."
            ),
        ),
        Chart(
            "columns",
            _("Exchanges held by month"),
            [_month_label(first) for _index, (first, _last) in months],
            _series(found, [f"month_{index}" for index, _days in months], "held", "presented"),
            urls=[_held_url(filters, first, last) for _index, (first, last) in months],
            description=_(
                "How many exchanges were held in each month of the period (by their first day), and how many "
                "of them presented the free trade zone."
            ),
        ),
    ]
    return Section("exchanges_activities", _("International exchanges"), figures, charts)


def cities_section(filters: Filters) -> Section:
    """The friendship cities by their health today, and their agreements to renew. One query."""
    today = timezone.localdate()
    renew_by = today + timedelta(days=health.renewal_warning_days())
    found = health.annotate(FriendshipCity.objects.order_by(), today).aggregate(
        total=Count("pk"),
        renewal=Count("pk", filter=Q(next_renewal__lte=renew_by)),
        **{level: Count("pk", filter=Q(health=level)) for level in Health.values},
    )
    figures = [
        Figure(
            _("Friendship cities"),
            found["total"],
            cities_url(),
            hint=_("formal and friendly exchange relationships"),
        ),
        *(
            Figure(
                str(HEALTH_LABELS[level]),
                found[level],
                cities_url(level),
                hint=_("today, whatever the period"),
                tone=HEALTH_TONES[level] if found[level] else "",
            )
            for level in HEALTH_ORDER
        ),
        Figure(
            _("Agreements to renew"),
            found["renewal"],
            hint=_("within %(days)d days, or past their date") % {"days": health.renewal_warning_days()},
            tone="warning" if found["renewal"] else "",
        ),
    ]
    charts = [
        Chart(
            "bar",
            _("Friendship cities by health"),
            [str(HEALTH_LABELS[level]) for level in HEALTH_ORDER],
            [(pgettext("friendship cities in a chart", "cities"), [found[level] for level in HEALTH_ORDER])],
            urls=[cities_url(level) for level in HEALTH_ORDER],
            description=_(
                "Dormant: no exchange for %(dormant)d years; needs attention: none for %(quiet)d years, or an "
                "agreement to renew; active otherwise."
            )
            % {"dormant": health.dormant_years(), "quiet": health.quiet_years()},
        )
    ]
    return Section("exchanges_cities", _("Friendship cities"), figures, charts)


def exchanges_panels(filters: Filters) -> list[Section]:
    """The area's sections of the reports dashboard: two queries whatever the data (the exchanges, the
    friendship cities)."""
    return [activities_section(filters), cities_section(filters)]


def agreements_section(filters: Filters) -> Section:
    """The agreements signed in the period by kind, month and country of the foreign party. Two queries: the
    counts, the countries."""
    months = list(enumerate(filters.months()))
    found = agreements(filters).aggregate(
        n=Count("pk"),
        activities=Count("activity", distinct=True),
        **{f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in AgreementKind.values},
        **{
            f"month_{index}": Count("pk", filter=Q(signed_on__gte=first, signed_on__lte=last))
            for index, (first, last) in months
        },
    )
    countries = _top(
        [(row["name"] or _("No country given"), row["n"], "") for row in agreements_by_country(filters)],
        TOP_COUNTRIES,
        _("Other countries"),
    )
    noun = pgettext("agreements in a chart", "agreements")
    figures = [
        Figure(_("Agreements signed"), found["n"], hint=_("in the period")),
        Figure(_("Activities with an agreement"), found["activities"], hint=_("in the period")),
        *(Figure(str(AGREEMENT_LABELS[value]), found[f"kind_{value}"]) for value in AgreementKind.values),
    ]
    charts = [
        Chart(
            "columns",
            _("Agreements signed by month"),
            [_month_label(first) for _index, (first, _last) in months],
            [(noun, [found[f"month_{index}"] for index, _days in months])],
            description=_("How many agreements and memoranda were signed in each month of the period."),
        ),
        Chart(
            "bar",
            _("Agreements signed by country"),
            [label for label, _n, _url in countries],
            [(noun, [n for _label, n, _url in countries])],
            description=_("The countries and regions of the foreign parties that signed, most first."),
        ),
    ]
    return Section("exchanges_agreements", _("Agreements signed"), figures, charts)


def agreements_by_country(filters: Filters) -> list[dict]:
    """The agreements signed in the period per country of the activity's foreign party, most first, those
    without a country last. One grouped query."""
    language = reader_language()
    rows = list(agreements(filters).values("activity__country").annotate(n=Count("pk")))
    for row in rows:
        code = str(row["activity__country"] or "")
        row["name"] = country_name(code, language) if code else ""
    return sorted(rows, key=lambda row: (not row["name"], -row["n"], row["name"]))


# Exported reports ----------------------------------------------------------------------------------------

# Widths in the PDF list (points of landscape A4): the reference, dates, state and numbers are read whole; a
# long title or organisation is cut short (the CSV and XLSX have them whole).
ACTIVITY_COLUMNS = [
    Column("reference", pgettext_lazy("exchange activity", "Reference"), 70),
    Column("title", gettext_lazy("Title"), 80),
    Column("kind", gettext_lazy("Kind"), 90),
    Column("direction", gettext_lazy("Direction"), 72),
    Column("areas", gettext_lazy("FTZ areas"), 70),
    Column("country", gettext_lazy("Country or region"), 46),
    Column("foreign_organisation", gettext_lazy("Foreign organisation"), 50),
    Column("starts_on", gettext_lazy("Starts on"), 44, "date"),
    Column("ends_on", gettext_lazy("Ends on"), 44, "date"),
    Column("state", gettext_lazy("State"), 42),
    Column("zone_presented", gettext_lazy("Zone presented"), 38),
    Column("focus", gettext_lazy("Focus"), 50),
    Column("agreements", gettext_lazy("Agreements"), 42, "number"),
    Column("owner", gettext_lazy("Officer in charge"), 38),
]


def activity_rows(filters: Filters):
    """Every activity starting in the period (of every state), by first day. One query: the agreements are
    counted by a subquery."""
    language = reader_language()
    signed = (
        Agreement.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        started(filters)
        .annotate(agreement_count=Coalesce(Subquery(signed, output_field=IntegerField()), 0))
        .order_by("starts_on", "pk")
        .values_list(
            "reference",
            "title_zh",
            "title_en",
            "kind",
            "direction",
            "ftz_areas",
            "country",
            "foreign_organisation",
            "starts_on",
            "ends_on",
            "state",
            "zone_presented",
            "focus",
            "agreement_count",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
    )
    for (
        reference,
        title_zh,
        title_en,
        kind,
        direction,
        areas,
        country,
        organisation,
        starts_on,
        ends_on,
        state,
        presented,
        focus,
        agreement_count,
        first,
        last,
        username,
    ) in rows.iterator(chunk_size=2000):
        yield (
            reference,
            _title(title_zh, title_en),
            _label(KIND_LABELS, kind),
            _label(DIRECTION_LABELS, direction),
            _codes_label(areas, AREA_LABELS),
            country_name(country, language) if country else "",
            organisation,
            starts_on,
            ends_on,
            _label(STATE_LABELS, state),
            _yes_no(presented),
            _codes_label(focus, FOCUS_LABELS),
            agreement_count,
            _full_name(first, last, username) if username else "",
        )


BREAKDOWN_COLUMNS = [
    Column("breakdown", pgettext_lazy("column of the exchanges report", "Grouped by"), 60),
    Column("item", pgettext_lazy("column of the exchanges report", "Group"), 150),
    Column("held", gettext_lazy("Exchanges held"), 55, "number"),
    Column("presented", gettext_lazy("Zone presented"), 55, "number"),
    Column("share", gettext_lazy("Zone presented (%)"), 65, "number"),
    Column("planned", pgettext_lazy("exchange activities", "Planned"), 50, "number"),
    Column("cancelled", pgettext_lazy("exchange activities", "Cancelled"), 50, "number"),
]


def _breakdown_row(dimension: str, label: str, found: dict) -> tuple:
    return (
        dimension,
        label,
        found["held"],
        found["presented"],
        _share(found["presented"], found["held"]),
        found["planned"],
        found["cancelled"],
    )


def breakdown_rows(filters: Filters):
    """The activities starting in the period by kind, FTZ area, country of the foreign party and month: the
    exchanges held, those presenting the zone (and the share), planned, cancelled. Kinds, areas and months are
    listed whole, countries where there are activities (those without one last). Two queries: tally() and
    by_country()."""
    found = tally(filters)
    for value in Kind.values:
        yield _breakdown_row(_("Kind"), _label(KIND_LABELS, value), found[f"kind_{value}"])
    for value in FTZArea.values:
        yield _breakdown_row(_("FTZ area"), _label(AREA_LABELS, value), found[f"area_{value}"])
    if any(found["area_none"].values()):
        yield _breakdown_row(_("FTZ area"), _("No area given"), found["area_none"])
    for row in by_country(filters):
        yield _breakdown_row(_("Country or region"), row["name"] or _("No country given"), row)
    for index, (first, _last) in enumerate(filters.months()):
        yield _breakdown_row(_("Month"), _month_label(first), found[f"month_{index}"])


ZONE_COLUMNS = [
    Column("breakdown", pgettext_lazy("column of the exchanges report", "Grouped by"), 60),
    Column("item", pgettext_lazy("column of the exchanges report", "Group"), 150),
    Column("held", gettext_lazy("Exchanges held"), 55, "number"),
    Column("presented", gettext_lazy("Zone presented"), 55, "number"),
    Column("share", gettext_lazy("Zone presented (%)"), 65, "number"),
    Column("visited", gettext_lazy("Enterprises visited"), 55, "number"),
    Column("materials", gettext_lazy("Materials handed over"), 55, "number"),
]


def _zone_row(dimension: str, label: str, found: dict) -> tuple:
    return (
        dimension,
        label,
        found["held"],
        found["presented"],
        _share(found["presented"], found["held"]),
        found["visited"],
        found["materials"],
    )


def zone_rows(filters: Filters):
    """How often the free trade zone was presented in the exchanges held in the period: all of them, then by
    FTZ area, focus tag and kind; with how many took the visitors to enterprises and handed materials over.
    One query: tally()."""
    found = tally(filters)
    yield _zone_row(_("All"), _("Exchanges held in the period"), found["all"])
    for value in FTZArea.values:
        yield _zone_row(_("FTZ area"), _label(AREA_LABELS, value), found[f"area_{value}"])
    yield _zone_row(_("FTZ area"), _("No area given"), found["area_none"])
    for value in Focus.values:
        yield _zone_row(_("Focus"), _label(FOCUS_LABELS, value), found[f"focus_{value}"])
    yield _zone_row(_("Focus"), _("No focus given"), found["focus_none"])
    for value in Kind.values:
        yield _zone_row(_("Kind"), _label(KIND_LABELS, value), found[f"kind_{value}"])


ZONE_ROW_COUNT = 1 + len(FTZArea.values) + 1 + len(Focus.values) + 1 + len(Kind.values)


AGREEMENT_COLUMNS = [
    Column("signed_on", gettext_lazy("Signed on"), 46, "date"),
    Column("title", gettext_lazy("Agreement"), 120),
    Column("kind", gettext_lazy("Kind"), 108),
    Column("parties", gettext_lazy("Parties"), 100),
    Column("activity", gettext_lazy("Activity"), 62),
    Column("activity_title", gettext_lazy("Activity title"), 100),
    Column("activity_kind", gettext_lazy("Kind of activity"), 100),
    Column("country", gettext_lazy("Country or region"), 50),
    Column("areas", gettext_lazy("FTZ areas"), 56),
]


def agreement_rows(filters: Filters):
    """Every agreement signed in the period, by date of signing, with its activity. One query."""
    language = reader_language()
    rows = (
        agreements(filters)
        .order_by("signed_on", "pk")
        .values_list(
            "signed_on",
            "title",
            "kind",
            "parties",
            "activity__reference",
            "activity__title_zh",
            "activity__title_en",
            "activity__kind",
            "activity__country",
            "activity__ftz_areas",
        )
    )
    for (
        signed_on,
        title,
        kind,
        parties,
        reference,
        title_zh,
        title_en,
        activity_kind,
        country,
        areas,
    ) in rows.iterator(chunk_size=2000):
        yield (
            signed_on,
            title,
            _label(AGREEMENT_LABELS, kind),
            parties,
            reference,
            _title(title_zh, title_en),
            _label(KIND_LABELS, activity_kind),
            country_name(country, language) if country else "",
            _codes_label(areas, AREA_LABELS),
        )


CITY_COLUMNS = [
    Column("health", gettext_lazy("Health"), 60),
    Column("henan", gettext_lazy("Henan city or province"), 60),
    Column("foreign", gettext_lazy("Foreign city or region"), 70),
    Column("country", gettext_lazy("Country or region"), 50),
    Column("kind", gettext_lazy("Relationship"), 112),
    Column("established_on", gettext_lazy("Established on"), 46, "date"),
    Column("last_exchange", gettext_lazy("Last exchange"), 46, "date"),
    Column("exchanges_3y", gettext_lazy("Exchanges, last 3 years"), 52, "number"),
    Column("exchanges_period", gettext_lazy("Exchanges in the period"), 52, "number"),
    Column("active_projects", gettext_lazy("Active projects"), 52, "number"),
    Column("next_renewal", gettext_lazy("Next renewal"), 46, "date"),
    Column("reasons", gettext_lazy("Reasons"), 150),
]


def cities(filters: Filters, today: date | None = None):
    """Every friendship city with its health today (health.annotate) and the exchanges held with it in the
    period (of the FTZ area), worst health first, then by name."""
    today = today or timezone.localdate()
    in_period = (
        started(filters)
        .filter(HELD, friendship_city=OuterRef("pk"))
        .values("friendship_city")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rank = Case(
        *(When(health=level, then=Value(index)) for index, level in enumerate(HEALTH_ORDER)),
        output_field=IntegerField(),
    )
    return (
        health.annotate(FriendshipCity.objects.order_by(), today)
        .annotate(
            exchanges_period=Coalesce(Subquery(in_period, output_field=IntegerField()), 0),
            health_rank=rank,
        )
        .order_by("health_rank", "henan_name_en", "foreign_name_en", "pk")
    )


def reasons(city, today: date) -> list[str]:
    """The reasons of a city's health (health.assess, as on its page), those that set its level first: the
    PDF's list cuts a long cell, and the figures that follow them are columns of their own. The deciding
    reasons are those a relationship with an exchange today, and no agreement to renew, would not have."""
    found = health.assess_annotated(city, today).reasons
    plain = health.assess(
        established_on=today,
        last_exchange=today,
        exchanges_3y=city.exchanges_3y,
        active_projects=city.active_projects,
        next_renewal=None,
        today=today,
    ).reasons
    deciding = [reason for reason in found[1:] if reason not in plain]
    return [*deciding, *(reason for reason in found if reason not in deciding)]


def city_rows(filters: Filters):
    """Every friendship city with its health, its figures and the reasons. One query."""
    language = reader_language()
    today = timezone.localdate()
    for city in cities(filters, today).iterator(chunk_size=2000):
        yield (
            _label(HEALTH_LABELS, city.health),
            _title(city.henan_name_zh, city.henan_name_en),
            _title(city.foreign_name_zh, city.foreign_name_en),
            country_name(city.country.code, language) if city.country else "",
            _label(RELATIONSHIP_LABELS, city.kind),
            city.established_on,
            city.last_exchange,
            city.exchanges_3y,
            city.exchanges_period,
            city.active_projects,
            city.next_renewal,
            _sentences(reasons(city, today)),
        )


def activity_sections(filters: Filters) -> list[Section]:
    return [activities_section(filters)]


def agreement_sections(filters: Filters) -> list[Section]:
    return [agreements_section(filters)]


def city_sections(filters: Filters) -> list[Section]:
    return [cities_section(filters)]


REPORTS = [
    ReportDefinition(
        name="exchange_activities",
        title=gettext_lazy("International exchange activities"),
        description=gettext_lazy(
            "The exchanges held in the period by kind, area, focus and month and how many presented the free "
            "trade zone; then every activity starting in the period, in every state, with its foreign party."
        ),
        columns=ACTIVITY_COLUMNS,
        rows=activity_rows,
        count=lambda filters: started(filters).count(),
        sections=activity_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="exchange_breakdown",
        title=gettext_lazy("International exchanges by kind, area, country and month"),
        description=gettext_lazy(
            "The activities starting in the period by kind, FTZ area, country of the foreign party and month: "
            "the exchanges held, those presenting the free trade zone, the activities planned and cancelled."
        ),
        columns=BREAKDOWN_COLUMNS,
        rows=breakdown_rows,
        count=lambda filters: sum(1 for _row in breakdown_rows(filters)),
        sections=activity_sections,
    ),
    ReportDefinition(
        name="zone_presentation",
        title=gettext_lazy("How the free trade zone was presented"),
        description=gettext_lazy(
            "How often the exchanges held in the period presented the free trade zone, by FTZ area, focus "
            "(plans, pivots, connectivity, coordination, platforms) and kind; enterprises visited and materials "
            "handed over."
        ),
        columns=ZONE_COLUMNS,
        rows=zone_rows,
        count=lambda filters: ZONE_ROW_COUNT,
        sections=activity_sections,
    ),
    ReportDefinition(
        name="exchange_agreements",
        title=gettext_lazy("Agreements signed in international exchanges"),
        description=gettext_lazy(
            "The agreements and memoranda signed in the period by month, kind and country; then each with its "
            "parties and the activity it was signed in."
        ),
        columns=AGREEMENT_COLUMNS,
        rows=agreement_rows,
        count=lambda filters: agreements(filters).count(),
        sections=agreement_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="friendship_city_health",
        title=gettext_lazy("Friendship cities by health"),
        description=gettext_lazy(
            "Every friendship city with its health today and the reasons: the last exchange, the exchanges of "
            "the last three years and of the period, active cooperation projects, agreements to renew."
        ),
        columns=CITY_COLUMNS,
        rows=city_rows,
        count=lambda filters: FriendshipCity.objects.count(),
        sections=city_sections,
        landscape=True,
    ),
]
