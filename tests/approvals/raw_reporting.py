"""The dashboard's travel figures computed from the raw rows, as approvals/reporting.py did before the daily
summary (approvals.summary): the reference that tests/approvals/test_summary.py and bench/bench_summary.py
compare the summary's figures with. Only the reads differ; the links, labels and charts are the same.
"""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from approvals.models import ItineraryLeg, MissionType, TravelApplication
from approvals.reporting import (
    APPROVED_STATES,
    TRIP_STATES,
    _between,
    _days,
    _month_label,
    _share,
    applications,
    decided,
    periods,
    queue_url,
    trips,
)
from approvals.workflow import WAITING_STATES, State
from foreign_affairs.reports.filters import Filters
from foreign_affairs.reports.registry import Chart, Figure, Section
from foreign_affairs.reports.stats import (
    DaysBetween,
    by_month,
    local_date,
    per_month,
    percentiles,
    percentiles_by,
)
from foreign_affairs.security.countries import join_names


def applications_section(filters: Filters) -> Section:
    """Received, decided, returned; time to a decision and per waiting state; the service level; overdue now."""
    today = timezone.localdate()
    submitted, decided_in_period = filters.between("submitted_at"), filters.between("decided_at")
    # One pass over what was received or decided in the period: the totals and the months of both.
    counts = (
        applications(filters)
        .filter(submitted | decided_in_period)
        .aggregate(
            received=Count("pk", filter=submitted),
            approved=Count("pk", filter=Q(decided_in_period, state__in=APPROVED_STATES)),
            rejected=Count("pk", filter=Q(decided_in_period, state=State.REJECTED)),
            **per_month(TravelApplication, "submitted_at", filters),
            **per_month(TravelApplication, "decided_at", filters, Q(submitted_at__isnull=False)),
        )
    )
    overdue = applications(filters).filter(state__in=WAITING_STATES, due_on__lt=today).count()
    left = periods(filters).filter(filters.between("left_at"), state__in=WAITING_STATES)
    service = (
        left.filter(due_on__isnull=False)
        .annotate(left_on=local_date("left_at"))
        .aggregate(total=Count("pk"), in_time=Count("pk", filter=Q(left_on__lte=F("due_on"))))
    )
    returned = periods(filters).filter(filters.between("entered_at"), state=State.RETURNED).count()
    decision = percentiles(decided(filters), DaysBetween("submitted_at", "decided_at"), (0.5, 0.9))
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
    waited = percentiles_by(left, "state", WAITING_STATES, DaysBetween("entered_at", "left_at"), (0.5, 0.9))
    for state in WAITING_STATES:
        found = waited[state]
        labels.append(str(State(state).label))
        medians.append(_days(found[0.5]) or 0)
        p90s.append(_days(found[0.9]) or 0)
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
    received_by_month = by_month(counts, "submitted_at", filters)
    decided_by_month = by_month(counts, "decided_at", filters)
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
    """Approved trips departing in the period: by destination, month, organisation and kind of mission."""
    trip_ids = trips(filters).values("pk")
    # One pass for the totals, the months and the kinds of mission.
    summary = trips(filters).aggregate(
        total=Count("pk"),
        belt_and_road=Count("pk", filter=Q(belt_and_road=True)),
        **per_month(TravelApplication, "departure_date", filters),
        **{f"mission_{value}": Count("pk", filter=Q(mission_type=value)) for value in MissionType.values},
    )
    by_country = list(
        ItineraryLeg.objects.filter(application__in=trip_ids)
        .values("country")
        .annotate(n=Count("application", distinct=True))
        .order_by("-n", "country")[:15]
    )
    months = by_month(summary, "departure_date", filters)
    by_organization = list(
        trips(filters)
        .values("organization", "organization__name_zh", "organization__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization__name_zh")[:10]
    )
    by_mission = {value: summary[f"mission_{value}"] for value in MissionType.values}
    english = get_language() == "en"
    trip_filter = {"state__in": ",".join(TRIP_STATES), **_between("departure_date", filters)}
    figures = [
        Figure(_("Approved trips departing"), summary["total"], queue_url(filters, **trip_filter)),
        Figure(
            _("Belt and Road share"),
            _share(summary["belt_and_road"], summary["total"]),
            queue_url(filters, belt_and_road__exact=1, **trip_filter),
            unit="%",
            hint=_("%(belt_and_road)d of %(total)d trips") % summary,
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
