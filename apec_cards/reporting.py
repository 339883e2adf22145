"""APEC cards on the managers' dashboard and in the exported "APEC cards" report (foreign_affairs.reports)."""

from itertools import islice
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Column, Figure, ReportDefinition, Section
from foreign_affairs.security.countries import reader_language

from .models import Card, CardApplication, CardEconomy, Decision, PreClearance
from .terms import add_months
from .workflow import OFFICE_STATES, CardState, State


def _url(name: str, filters: Filters, **params) -> str:
    if filters.ftz_area:
        params["organization__ftz_area__exact"] = filters.ftz_area
    return f"{reverse(f'admin:apec_cards_{name}_changelist')}?{urlencode(params)}"


def _cards(filters: Filters):
    cards = Card.objects.all()
    return cards.filter(organization__ftz_area=filters.ftz_area) if filters.ftz_area else cards


def _issued(filters: Filters):
    return _cards(filters).filter(issued_on__gte=filters.date_from, issued_on__lte=filters.date_to)


def apec_panels(filters: Filters) -> list[Section]:
    today = timezone.localdate()
    cards = _cards(filters).aggregate(
        issued=Count("pk", filter=Q(issued_on__gte=filters.date_from, issued_on__lte=filters.date_to)),
        active=Count("pk", filter=Q(state=CardState.ACTIVE)),
        expiring=Count(
            "pk",
            filter=Q(state=CardState.ACTIVE, expires_on__gte=today, expires_on__lte=add_months(today, 6)),
        ),
    )
    applications = CardApplication.objects.all()
    if filters.ftz_area:
        applications = applications.filter(organization__ftz_area=filters.ftz_area)
    waiting = applications.filter(state__in=OFFICE_STATES).count()
    pending = PreClearance.objects.filter(
        decision=Decision.PENDING, application__state__in=[State.PRE_CLEARANCE, State.ISSUED]
    )
    if filters.ftz_area:
        pending = pending.filter(application__organization__ftz_area=filters.ftz_area)
    by_economy = list(
        pending.values("economy_id", "economy__name_zh", "economy__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "economy__position")
    )
    english = get_language() == "en"
    figures = [
        Figure(
            _("APEC cards issued"),
            cards["issued"],
            _url(
                "card",
                filters,
                issued_on__gte=filters.date_from.isoformat(),
                issued_on__lte=filters.date_to.isoformat(),
            ),
        ),
        Figure(_("Valid APEC cards"), cards["active"], _url("card", filters, state__exact=CardState.ACTIVE)),
        Figure(
            _("Cards expiring within six months"),
            cards["expiring"],
            _url("card", filters, expiry="6m"),
            tone="warning" if cards["expiring"] else "",
        ),
        Figure(_("Card applications awaiting the office"), waiting, _url("cardapplication", filters)),
        Figure(
            _("Pre-clearance answers pending"),
            sum(row["n"] for row in by_economy),
            _url("cardapplication", filters, state="all"),
        ),
    ]
    chart = Chart(
        "bar",
        _("Pre-clearances pending by economy"),
        [row["economy__name_en"] if english else row["economy__name_zh"] for row in by_economy],
        [(_("answers pending"), [row["n"] for row in by_economy])],
        urls=[_url("cardapplication", filters, economy=row["economy_id"]) for row in by_economy],
        description=_("How many card applicants each economy has not answered yet."),
    )
    return [Section("apec", _("APEC Business Travel Cards"), figures, [chart] if by_economy else [])]


AREA_LABELS = dict(FTZArea.choices)
STATE_LABELS = dict(CardState.choices)
COLUMNS = [
    Column("number", gettext_lazy("Card number"), 1.0),
    Column("holder", gettext_lazy("Card holder"), 0.8),
    Column("pinyin", gettext_lazy("Name (pinyin)"), 1.0),
    Column("organization", gettext_lazy("Organisation"), 1.6),
    Column("ftz_area", gettext_lazy("FTZ area"), 0.6),
    Column("issued_on", gettext_lazy("Issued on"), 0.8, "date"),
    Column("expires_on", gettext_lazy("Expires on"), 0.8, "date"),
    Column("state", gettext_lazy("State"), 1.1),
    Column("economies", gettext_lazy("Pre-cleared economies"), 2.6),
]
CHUNK = 2000


def card_rows(filters: Filters):
    rows = (
        _issued(filters)
        .order_by("issued_on", "pk")
        .values_list(
            "pk",
            "number",
            "holder__full_name",
            "holder__pinyin_name",
            "organization__name_zh",
            "organization__ftz_area",
            "issued_on",
            "expires_on",
            "state",
        )
        .iterator(chunk_size=CHUNK)
    )
    # The economies by name in the language of the export (the requester's, active while it is written),
    # as the APEC scheme names them (中国香港, Chinese Taipei): Economy's own names, not ISO country names.
    english = reader_language() == "en"
    name_field, separator = ("economy__name_en", ", ") if english else ("economy__name_zh", "、")
    while chunk := list(islice(rows, CHUNK)):
        economies: dict[int, list[str]] = {}
        for card, name in (
            CardEconomy.objects.filter(card_id__in=[row[0] for row in chunk])
            .order_by("card_id", "economy__position")
            .values_list("card_id", name_field)
        ):
            economies.setdefault(card, []).append(name)
        for pk, number, holder, pinyin, organization, area, issued, expires, state in chunk:
            yield (
                number,
                holder,
                pinyin,
                organization,
                str(AREA_LABELS.get(area, area)),
                issued,
                expires,
                str(STATE_LABELS.get(state, state)),
                separator.join(economies.get(pk, [])),
            )


REPORTS = [
    ReportDefinition(
        name="apec_cards",
        personal_data=True,  # names people (exporters/personal.py)
        title=gettext_lazy("APEC cards"),
        description=gettext_lazy(
            "Cards issued in the period with their holders, validity and economies; cards valid and expiring, "
            "pre-clearances pending by economy."
        ),
        columns=COLUMNS,
        rows=card_rows,
        count=lambda filters: _issued(filters).count(),
        sections=apec_panels,
        landscape=True,
    )
]
