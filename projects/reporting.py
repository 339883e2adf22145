"""Cooperation projects on the managers' dashboard and in the exported reports (foreign_affairs.reports).

The projects entered in the period — by channel, FTZ area, industry and partner country; how many reached
signing (a stage from `signed` on, or a date of signing: a project dropped after it was signed still counts)
and how long it took (the median days from entry to signing, computed by the database: percentile_cont on
PostgreSQL, foreign_affairs.reports.stats' ranked fallback on SQLite); the open projects by the stage they are
in today; the expressions of interest (合作意向) received per month and how many were forwarded to the
enterprises; what was published per month and what the public catalogue holds now.

A project belongs to its FTZ area, an expression of interest to its project's area, a development
achievement to its own. Every figure links to the back-office list behind it; every part is a fixed number
of aggregate queries, whatever the data.
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from foreign_affairs import typography
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.reports.stats import by_month, local_date, per_month, percentiles
from foreign_affairs.security.countries import country_name, reader_language

from .models import Achievement, CooperationProject, Industry, Interest
from .workflow import (
    OPEN_STAGES,
    SIGNED_STAGES,
    Channel,
    InterestState,
    Mode,
    Publication,
    Stage,
)

TOP_INDUSTRIES = 10
TOP_COUNTRIES = 10
# The stages before signing: the office is still talking to the partner.
TALKING_STAGES = (Stage.LEAD, Stage.CONTACTED, Stage.NEGOTIATING)
SIGNED = Q(stage__in=SIGNED_STAGES) | Q(signed_on__isnull=False)
# Charts cut their labels after 18 characters: the long names of channels and areas have short forms there
# (the lists keep the full names).
SHORT_CHANNEL_LABELS = {
    Channel.FOREIGN_AFFAIRS: pgettext_lazy("project channel, short", "Foreign affairs"),
    Channel.OVERSEAS_CHINESE: pgettext_lazy("project channel, short", "Overseas Chinese"),
    Channel.HONG_KONG_MACAO: pgettext_lazy("project channel, short", "Hong Kong, Macao"),
    Channel.FRIENDSHIP_CITY: pgettext_lazy("project channel, short", "Friendship cities"),
}
SHORT_AREA_LABELS = {
    **dict(FTZArea.choices),
    FTZArea.OUTSIDE: pgettext_lazy("FTZ area, short", "Outside the FTZ"),
}
CHANNEL_LABELS = dict(Channel.choices)
AREA_LABELS = dict(FTZArea.choices)
MODE_LABELS = dict(Mode.choices)
STAGE_LABELS = dict(Stage.choices)
PUBLICATION_LABELS = dict(Publication.choices)


# Links to the back office --------------------------------------------------------------------------------
# The list filters' parameters (projects.admin.filters): the project list opens on the open stages unless
# `stage` says otherwise ("all", "open" or one stage; `publication`, `overdue`, `industry` and
# `partner_country` widen it to every stage); `area` is the FTZ area of a project or an achievement;
# `channel`, `owner` ("me") as their filters name them. The interest list shows every state unless `state`
# names one; it has no filter of its project's area, so its figures go without a link when an area is chosen
# (a list of every area would say something else than the figure).


def _admin_url(model: str, params: dict) -> str:
    url = reverse(f"admin:projects_{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def projects_url(filters: Filters | None = None, **params) -> str:
    """The officers' project list (every stage unless `stage` is given), narrowed to the FTZ area."""
    query = {"stage": "all", **params}
    if filters is not None and filters.ftz_area:
        query["area"] = filters.ftz_area
    return _admin_url("cooperationproject", query)


def _entered_url(filters: Filters, **params) -> str:
    return projects_url(
        filters,
        created_at__date__gte=filters.date_from.isoformat(),
        created_at__date__lte=filters.date_to.isoformat(),
        **params,
    )


def interests_url(filters: Filters | None = None, **params) -> str:
    """The expressions of interest (every state unless `state` is given), in the projects of the area."""
    if filters is not None and filters.ftz_area:
        params["area"] = filters.ftz_area
    return _admin_url("interest", params)


def _received_url(filters: Filters, first: date, last: date, **params) -> str:
    return interests_url(
        filters, created_at__date__gte=first.isoformat(), created_at__date__lte=last.isoformat(), **params
    )


def achievements_url(filters: Filters | None = None, **params) -> str:
    if filters is not None and filters.ftz_area:
        params["area"] = filters.ftz_area
    return _admin_url("achievement", params)


# Querysets and expressions -------------------------------------------------------------------------------


class DaysToDate(Func):
    """Whole days from the local date of a datetime (the project entered) to a date (signed)."""

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


class JoinedIds(Aggregate):
    """The ids of a group in one text, "3,7,12": GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra,
        )


def projects(filters: Filters):
    queryset = CooperationProject.objects.order_by()
    if filters.ftz_area:
        queryset = queryset.filter(ftz_area=filters.ftz_area)
    return queryset


def entered(filters: Filters):
    """The projects entered in the period."""
    return projects(filters).filter(filters.between("created_at"))


def interests(filters: Filters):
    queryset = Interest.objects.order_by()
    if filters.ftz_area:
        queryset = queryset.filter(project__ftz_area=filters.ftz_area)
    return queryset


def achievements(filters: Filters):
    queryset = Achievement.objects.order_by()
    if filters.ftz_area:
        queryset = queryset.filter(ftz_area=filters.ftz_area)
    return queryset


def _within(field: str, first: date, last: date) -> Q:
    return Q(**{f"{field}__gte": first, f"{field}__lte": last})


def _months(prefix: str, model, field: str, filters: Filters, condition: Q | None = None) -> dict:
    """per_month() under keys of their own, so that one aggregate counts several things per month."""
    return {f"{prefix}_{key}": value for key, value in per_month(model, field, filters, condition).items()}


def _by_months(summary: dict, prefix: str, field: str, filters: Filters) -> list[tuple[date, date, int]]:
    own = {key[len(prefix) + 1 :]: value for key, value in summary.items() if key.startswith(f"{prefix}_")}
    return by_month(own, field, filters)


def breakdown(queryset, field: str, *details: str):
    """Per value of `field` (a join for industries: a project of two industries counts in both) and the
    `details` that go with it: the projects, those still in talks, signed, dropped. One grouped query."""
    return (
        queryset.order_by()
        .values(field, *details)
        .annotate(
            entered=Count("pk"),
            talking=Count("pk", filter=Q(stage__in=TALKING_STAGES)),
            signed=Count("pk", filter=SIGNED),
            dropped=Count("pk", filter=Q(stage=Stage.DROPPED)),
        )
    )


# What an industry's group carries: its names, and its place in the taxonomy (Industry.Meta.ordering).
INDUSTRY_DETAILS = (
    "industries__name_zh",
    "industries__name_en",
    "industries__code",
    "industries__priority",
    "industries__order",
)


def by_industry(queryset) -> list[dict]:
    return list(breakdown(queryset, "industries", *INDUSTRY_DETAILS))


def _taxonomy_order(row: dict) -> tuple:
    return (not row["industries__priority"], row["industries__order"], row["industries__code"])


def _ranked(rows: list[dict], field: str, tie) -> list[dict]:
    """The groups of breakdown() that have a value, most projects first, then by `tie(group)`."""
    given = [row for row in rows if row[field] not in (None, "")]
    return sorted(given, key=lambda row: (-row["entered"], tie(row)))


def _missing(rows: list[dict], field: str) -> dict | None:
    """The group of breakdown() without a value (no industry, no partner country), if it has projects."""
    return next((row for row in rows if row[field] in (None, "") and row["entered"]), None)


# Shared helpers ------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _month_label(first) -> str:
    return formats.date_format(first, "YEAR_MONTH_FORMAT")


def _label(labels: dict, value) -> str:
    return str(labels.get(value, value or ""))


def _title(language: str, chinese: str, english: str) -> str:
    if language == "zh":
        return chinese or english
    return english or chinese


def _country_code(row: dict) -> str:
    return str(row["partner_country"])


def _industry_name(industry: Industry, language: str) -> str:
    return _title(language, industry.name_zh, industry.name_en)


def _full_name(first: str, last: str, username: str) -> str:
    from foreign_affairs.accounts.models import User

    return User(first_name=first or "", last_name=last or "").get_full_name() or username or ""


def _local_day(moment):
    return timezone.localtime(moment).date() if moment else None


def _top(rows: list[tuple[str, int, str]], top: int, rest_label: str) -> list[tuple[str, int, str]]:
    """The first `top` of (label, count, url), the others summed up as `rest_label` (no link)."""
    if len(rows) <= top + 1:
        return rows
    rest = sum(count for _label, count, _url in rows[top:])
    return [*rows[:top], (rest_label, rest, "")]


# The dashboard -------------------------------------------------------------------------------------------


def pipeline_section(filters: Filters) -> Section:
    """The projects entered in the period by channel, area, industry and partner country; how many were
    signed and how long it took; the open projects by the stage they are in today. Four queries (five on
    SQLite: its median takes two)."""
    today = timezone.localdate()
    period = filters.between("created_at")
    summary = projects(filters).aggregate(
        entered=Count("pk", filter=period),
        signed=Count("pk", filter=period & SIGNED),
        dropped=Count("pk", filter=period & Q(stage=Stage.DROPPED)),
        signed_in_period=Count("pk", filter=_within("signed_on", filters.date_from, filters.date_to)),
        open_now=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
        overdue_now=Count("pk", filter=Q(stage__in=OPEN_STAGES, next_step_due__lt=today)),
        **{f"stage_{value}": Count("pk", filter=Q(stage=value)) for value in OPEN_STAGES},
        **{f"channel_{value}": Count("pk", filter=period & Q(channel=value)) for value in Channel.values},
        **{f"area_{value}": Count("pk", filter=period & Q(ftz_area=value)) for value in FTZArea.values},
    )
    days = percentiles(
        entered(filters)
        .filter(signed_on__isnull=False)
        .annotate(days=DaysToDate("created_at", "signed_on"))
        # A project entered after it was signed (the office learnt of it late) tells nothing of the time.
        .filter(days__gte=0),
        F("days"),
        (0.5,),
    )[0.5]
    language = reader_language()
    industries = [
        (
            _title(language, row["industries__name_zh"], row["industries__name_en"]),
            row["entered"],
            _entered_url(filters, industry=row["industries__code"]),
        )
        for row in _ranked(by_industry(entered(filters)), "industries", _taxonomy_order)
    ]
    countries = [
        (
            country_name(row["partner_country"], language),
            row["entered"],
            _entered_url(filters, partner_country=row["partner_country"]),
        )
        for row in _ranked(
            list(breakdown(entered(filters), "partner_country")), "partner_country", _country_code
        )
    ]
    counts = {"signed": summary["signed"], "entered": summary["entered"]}
    figures = [
        Figure(_("Projects entered"), summary["entered"], _entered_url(filters), hint=_("in the period")),
        Figure(
            pgettext("cooperation projects", "Signed"),
            summary["signed"],
            _entered_url(filters, signed_on__isnull="False"),
            hint=_("of the projects entered in the period"),
        ),
        Figure(
            _("From lead to signed"),
            _share(summary["signed"], summary["entered"]),
            _entered_url(filters, signed_on__isnull="False"),
            unit="%",
            hint=_("%(signed)d of %(entered)d projects") % counts,
        ),
        Figure(
            _("Median days from entry to signing"),
            None if days is None else round(days, 1),
            _entered_url(filters, signed_on__isnull="False"),
            unit=_("days"),
        ),
        Figure(
            pgettext("cooperation projects", "Dropped"),
            summary["dropped"],
            _entered_url(filters, stage=Stage.DROPPED),
            hint=_("of the projects entered in the period"),
        ),
        Figure(
            _("Projects signed in the period"),
            summary["signed_in_period"],
            projects_url(
                filters,
                signed_on__gte=filters.date_from.isoformat(),
                signed_on__lte=filters.date_to.isoformat(),
            ),
            hint=_("whenever they were entered"),
        ),
        Figure(
            _("Open projects now"),
            summary["open_now"],
            projects_url(filters, stage="open"),
            hint=_("today, whatever the period"),
        ),
        Figure(
            _("Next steps overdue now"),
            summary["overdue_now"],
            projects_url(filters, overdue="yes"),
            hint=_("open projects whose next step is past its date"),
            tone="danger" if summary["overdue_now"] else "",
        ),
    ]
    noun = pgettext("cooperation projects in a chart", "projects")
    industry_rows = _top(industries, TOP_INDUSTRIES, _("Other industries"))
    country_rows = _top(countries, TOP_COUNTRIES, _("Other countries"))
    charts = [
        Chart(
            "bar",
            _("Open projects by stage"),
            [str(STAGE_LABELS[value]) for value in OPEN_STAGES],
            [(noun, [summary[f"stage_{value}"] for value in OPEN_STAGES])],
            urls=[projects_url(filters, stage=value) for value in OPEN_STAGES],
            description=_("The projects the office follows today, by the stage of the talks they are in."),
        ),
        Chart(
            "bar",
            _("Projects entered by channel"),
            [str(SHORT_CHANNEL_LABELS[value]) for value in Channel.values],
            [(noun, [summary[f"channel_{value}"] for value in Channel.values])],
            urls=[_entered_url(filters, channel=value) for value in Channel.values],
            description=_(
                "The channels the projects of the period came through: foreign affairs, overseas Chinese "
                "affairs, Hong Kong and Macao, friendship cities."
            ),
        ),
        Chart(
            "bar",
            _("Projects entered by area"),
            [str(SHORT_AREA_LABELS[value]) for value in FTZArea.values],
            [(noun, [summary[f"area_{value}"] for value in FTZArea.values])],
            urls=[
                projects_url(
                    None,
                    area=value,
                    created_at__date__gte=filters.date_from.isoformat(),
                    created_at__date__lte=filters.date_to.isoformat(),
                )
                for value in FTZArea.values
            ],
            description=_("The free trade zone's areas the projects of the period serve."),
        ),
        Chart(
            "bar",
            _("Projects entered by industry"),
            [label for label, _count, _url in industry_rows],
            [(noun, [count for _label, count, _url in industry_rows])],
            urls=[url for _label, _count, url in industry_rows],
            description=_(
                "The industries of the projects of the period, most first; a project of several industries "
                "counts in each."
            ),
        ),
        Chart(
            "bar",
            _("Projects entered by partner country"),
            [label for label, _count, _url in country_rows],
            [(noun, [count for _label, count, _url in country_rows])],
            urls=[url for _label, _count, url in country_rows],
            description=_(
                "The countries and regions of the partners of the projects of the period, most first (those "
                "without a partner yet are left out)."
            ),
        ),
    ]
    return Section("projects_pipeline", _("Cooperation projects"), figures, charts)


def interest_section(filters: Filters) -> Section:
    """The expressions of interest received per month and how many were forwarded to the enterprises;
    what was published per month and what is public now. Three queries."""
    today = timezone.localdate()
    received = filters.between("created_at")
    this_month = Filters(today.replace(day=1), today)
    forwarded = Q(state=InterestState.FORWARDED)
    leads = interests(filters).aggregate(
        received=Count("pk", filter=received),
        forwarded=Count("pk", filter=received & forwarded),
        waiting=Count("pk", filter=Q(state=InterestState.RECEIVED)),
        this_month=Count("pk", filter=this_month.between("created_at")),
        **_months("received", Interest, "created_at", filters),
        **_months("forwarded", Interest, "created_at", filters, forwarded),
    )
    public = Q(publication=Publication.PUBLISHED)
    published = filters.between("published_at")
    shown = projects(filters).aggregate(
        public=Count("pk", filter=public),
        published=Count("pk", filter=published),
        **_months("published", CooperationProject, "published_at", filters),
    )
    stories = achievements(filters).aggregate(
        public=Count("pk", filter=public),
        published=Count("pk", filter=published),
        **_months("published", Achievement, "published_at", filters),
    )
    counts = {"forwarded": leads["forwarded"], "received": leads["received"]}
    period = {"first": filters.date_from, "last": filters.date_to}
    figures = [
        Figure(
            _("Expressions of interest received"),
            leads["received"],
            _received_url(filters, **period),
            hint=_("from visitors of the public catalogue"),
        ),
        Figure(
            _("Forwarded to the enterprises"),
            _share(leads["forwarded"], leads["received"]),
            _received_url(filters, **period, state=InterestState.FORWARDED),
            unit="%",
            hint=_("%(forwarded)d of %(received)d expressions of interest") % counts,
        ),
        Figure(
            _("Expressions of interest this month"),
            leads["this_month"],
            _received_url(filters, this_month.date_from, this_month.date_to),
            hint=_("this calendar month, whatever the period"),
        ),
        Figure(
            _("Waiting to be forwarded now"),
            leads["waiting"],
            interests_url(filters, state=InterestState.RECEIVED),
            hint=_("received and not yet forwarded or closed"),
            tone="warning" if leads["waiting"] else "",
        ),
        Figure(
            _("Projects in the public catalogue"),
            shown["public"],
            projects_url(filters, publication=Publication.PUBLISHED),
            hint=_("today, whatever the period"),
        ),
        Figure(
            _("Projects published in the period"),
            shown["published"],
            projects_url(
                filters,
                published_at__date__gte=filters.date_from.isoformat(),
                published_at__date__lte=filters.date_to.isoformat(),
            ),
            hint=_("published for the first time"),
        ),
        Figure(
            _("Development achievements published now"),
            stories["public"],
            achievements_url(filters, publication=Publication.PUBLISHED),
        ),
        Figure(
            _("Development achievements published in the period"),
            stories["published"],
            achievements_url(
                filters,
                published_at__date__gte=filters.date_from.isoformat(),
                published_at__date__lte=filters.date_to.isoformat(),
            ),
        ),
    ]
    months = _by_months(leads, "received", "created_at", filters)
    sent = _by_months(leads, "forwarded", "created_at", filters)
    projects_out = _by_months(shown, "published", "published_at", filters)
    stories_out = _by_months(stories, "published", "published_at", filters)
    labels = [_month_label(first) for first, _last, _n in months]
    charts = [
        Chart(
            "columns",
            _("Expressions of interest by month"),
            labels,
            [
                (pgettext("expressions of interest in a chart", "received"), [n for _f, _l, n in months]),
                (pgettext("expressions of interest in a chart", "forwarded"), [n for _f, _l, n in sent]),
            ],
            urls=[_received_url(filters, first, last) for first, last, _n in months],
            description=_(
                "How many expressions of interest came in each month of the period, and how many of them "
                "the office has forwarded to the enterprises involved."
            ),
        ),
        Chart(
            "columns",
            _("Published by month"),
            labels,
            [
                (pgettext("published in a chart", "projects"), [n for _f, _l, n in projects_out]),
                (pgettext("published in a chart", "achievements"), [n for _f, _l, n in stories_out]),
            ],
            urls=[
                projects_url(
                    filters,
                    published_at__date__gte=first.isoformat(),
                    published_at__date__lte=last.isoformat(),
                )
                for first, last, _n in projects_out
            ],
            description=_(
                "The projects and development achievements published for the first time in each month of "
                "the period."
            ),
        ),
    ]
    return Section("projects_interest", _("Interest and publication"), figures, charts)


def projects_panels(filters: Filters) -> list[Section]:
    """The area's sections of the reports dashboard: seven queries whatever the data (eight on SQLite)."""
    return [pipeline_section(filters), interest_section(filters)]


# Exported reports ----------------------------------------------------------------------------------------

# Widths in the PDF list (points of landscape A4, where 16 columns leave little room): the reference, stage,
# publication, dates and numbers are read whole; a long title, list of industries, channel or country name
# in English is cut short (the CSV and XLSX have them whole).
PROJECT_COLUMNS = [
    Column("reference", pgettext_lazy("cooperation project", "Reference"), 62),
    Column("title", gettext_lazy("Title"), 80),
    Column("channel", gettext_lazy("Channel"), 54),
    Column("area", gettext_lazy("FTZ area"), 56),
    Column("industries", gettext_lazy("Industries"), 56),
    Column("mode", gettext_lazy("Cooperation mode"), 47),
    Column("partner_country", gettext_lazy("Partner country"), 48),
    Column("stage", pgettext_lazy("project", "Stage"), 50),
    Column("publication", gettext_lazy("Publication"), 40),
    Column("owner", gettext_lazy("Owner"), 32),
    Column("next_step_due", gettext_lazy("Next step due"), 40, "date"),
    Column("amount", gettext_lazy("Amount"), 54, "number"),
    Column("currency", gettext_lazy("Currency"), 33),
    Column("created", gettext_lazy("Entered"), 40, "date"),
    Column("signed_on", gettext_lazy("Signed on"), 40, "date"),
    Column("interest", pgettext_lazy("how many expressions of interest", "Interest"), 30, "number"),
]


def project_rows(filters: Filters):
    """Every project entered in the period, in the order entered: two queries (the industries' names, then
    the projects with their industries' ids and their count of interest, each from a subquery)."""
    language = reader_language()
    # Every industry (those no longer in use too), in the taxonomy's order.
    industries = {industry.pk: industry for industry in Industry.objects.all()}
    position = {pk: index for index, pk in enumerate(industries)}
    through = CooperationProject.industries.through
    industry_ids = (
        through.objects.filter(cooperationproject=OuterRef("pk"))
        .order_by()
        .values("cooperationproject")
        .annotate(ids=JoinedIds("industry_id"))
        .values("ids")
    )
    interest_count = (
        Interest.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        entered(filters)
        .annotate(
            industry_ids=Subquery(industry_ids, output_field=CharField()),
            interest_count=Coalesce(Subquery(interest_count, output_field=IntegerField()), 0),
        )
        .order_by("created_at", "pk")
        .values_list(
            "reference",
            "title_zh",
            "title_en",
            "channel",
            "ftz_area",
            "industry_ids",
            "mode",
            "partner_country",
            "stage",
            "publication",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "next_step_due",
            "amount",
            "currency",
            "created_at",
            "signed_on",
            "interest_count",
        )
    )
    for (
        reference,
        title_zh,
        title_en,
        channel,
        area,
        ids,
        mode,
        country,
        stage,
        publication,
        first,
        last,
        username,
        due,
        amount,
        currency,
        created,
        signed_on,
        interest,
    ) in rows.iterator(chunk_size=2000):
        own = sorted((int(pk) for pk in (ids or "").split(",") if pk), key=lambda pk: position.get(pk, 0))
        yield (
            reference,
            _title(language, title_zh, title_en),
            _label(CHANNEL_LABELS, channel),
            _label(AREA_LABELS, area),
            typography.enumerate_items(
                _industry_name(industries[pk], language) for pk in own if pk in industries
            ),
            _label(MODE_LABELS, mode),
            country_name(country, language) if country else "",
            _label(STAGE_LABELS, stage),
            _label(PUBLICATION_LABELS, publication),
            _full_name(first, last, username) if username else "",
            due if stage in OPEN_STAGES else None,
            amount,
            currency,
            _local_day(created),
            signed_on,
            interest,
        )


def pipeline_sections(filters: Filters) -> list[Section]:
    return [pipeline_section(filters)]


PIPELINE_COLUMNS = [
    Column("breakdown", pgettext_lazy("column of the pipeline report", "Grouped by"), 70),
    Column("item", pgettext_lazy("column of the pipeline report", "Group"), 150),
    Column("entered", gettext_lazy("Projects entered"), 60, "number"),
    Column("talking", gettext_lazy("In talks"), 50, "number"),
    Column("signed", pgettext_lazy("cooperation projects", "Signed"), 50, "number"),
    Column("conversion", gettext_lazy("From lead to signed (%)"), 60, "number"),
    Column("dropped", pgettext_lazy("cooperation projects", "Dropped"), 50, "number"),
]


def pipeline_rows(filters: Filters):
    """The projects entered in the period by channel, FTZ area, industry, partner country and the stage they
    are in today: how many, how many still in talks, signed (and the share), dropped. Channels, areas and
    stages are listed whole, industries and countries where there are projects (most first, those without
    one last). Five grouped queries."""
    language = reader_language()
    queryset = entered(filters)

    def row(kind: str, label: str, found: dict | None) -> tuple:
        found = found or {"entered": 0, "talking": 0, "signed": 0, "dropped": 0}
        return (
            kind,
            label,
            found["entered"],
            found["talking"],
            found["signed"],
            _share(found["signed"], found["entered"]),
            found["dropped"],
        )

    def fixed(field: str, kind: str, choices, labels: dict):
        found = {group[field]: group for group in breakdown(queryset, field)}
        for value in choices:
            yield row(kind, _label(labels, value), found.get(value))

    yield from fixed("channel", _("Channel"), Channel.values, CHANNEL_LABELS)
    yield from fixed("ftz_area", _("FTZ area"), FTZArea.values, AREA_LABELS)
    groups = by_industry(queryset)
    for group in _ranked(groups, "industries", _taxonomy_order):
        label = _title(language, group["industries__name_zh"], group["industries__name_en"])
        yield row(_("Industry"), label, group)
    if missing := _missing(groups, "industries"):
        yield row(_("Industry"), _("No industry given"), missing)
    groups = list(breakdown(queryset, "partner_country"))
    for group in _ranked(groups, "partner_country", _country_code):
        yield row(_("Partner country"), country_name(group["partner_country"], language), group)
    if missing := _missing(groups, "partner_country"):
        yield row(_("Partner country"), _("No partner country yet"), missing)
    yield from fixed("stage", _("Stage today"), Stage.values, STAGE_LABELS)


MONTH_COLUMNS = [
    Column("month", gettext_lazy("Month"), 80),
    Column("entered", gettext_lazy("Projects entered"), 60, "number"),
    Column("signed", gettext_lazy("Projects signed"), 60, "number"),
    Column("received", gettext_lazy("Expressions of interest received"), 70, "number"),
    Column("forwarded", gettext_lazy("Forwarded to the enterprises"), 70, "number"),
    Column("projects_published", gettext_lazy("Projects published"), 60, "number"),
    Column("achievements_published", gettext_lazy("Achievements published"), 60, "number"),
]


def month_rows(filters: Filters):
    """One row per month of the period: projects entered and signed, expressions of interest received and
    forwarded (of those received in the month), projects and achievements published for the first time.
    Three queries."""
    forwarded = Q(state=InterestState.FORWARDED)
    made = projects(filters).aggregate(
        **_months("entered", CooperationProject, "created_at", filters),
        **_months("signed", CooperationProject, "signed_on", filters),
        **_months("published", CooperationProject, "published_at", filters),
    )
    leads = interests(filters).aggregate(
        **_months("received", Interest, "created_at", filters),
        **_months("forwarded", Interest, "created_at", filters, forwarded),
    )
    stories = achievements(filters).aggregate(**_months("published", Achievement, "published_at", filters))
    columns = [
        _by_months(made, "entered", "created_at", filters),
        _by_months(made, "signed", "signed_on", filters),
        _by_months(leads, "received", "created_at", filters),
        _by_months(leads, "forwarded", "created_at", filters),
        _by_months(made, "published", "published_at", filters),
        _by_months(stories, "published", "published_at", filters),
    ]
    for index, (first, _last) in enumerate(filters.months()):
        yield (_month_label(first), *(column[index][2] for column in columns))


def month_sections(filters: Filters) -> list[Section]:
    return [interest_section(filters)]


REPORTS = [
    ReportDefinition(
        name="cooperation_projects",
        title=gettext_lazy("Cooperation projects"),
        description=gettext_lazy(
            "The projects entered in the period by channel, area, industry and partner country, how many were "
            "signed and how long it took; then every project with its stage, publication and interest."
        ),
        columns=PROJECT_COLUMNS,
        rows=project_rows,
        count=lambda filters: entered(filters).count(),
        sections=pipeline_sections,
        landscape=True,
    ),
    ReportDefinition(
        name="project_pipeline",
        title=gettext_lazy("Cooperation projects from lead to signed"),
        description=gettext_lazy(
            "The projects entered in the period by channel, area, industry, partner country and stage: how "
            "many are still in talks, were signed or dropped, and the share that reached signing."
        ),
        columns=PIPELINE_COLUMNS,
        rows=pipeline_rows,
        count=lambda filters: sum(1 for _row in pipeline_rows(filters)),
        sections=pipeline_sections,
    ),
    ReportDefinition(
        name="project_months",
        title=gettext_lazy("Cooperation projects month by month"),
        description=gettext_lazy(
            "Per month: projects entered and signed, expressions of interest received and forwarded to the "
            "enterprises, projects and development achievements published."
        ),
        columns=MONTH_COLUMNS,
        rows=month_rows,
        count=lambda filters: len(filters.months()),
        sections=month_sections,
    ),
]
