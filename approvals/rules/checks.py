"""The rules themselves: each registers in RULES with its code, label, severity, parameters and the
messages its findings can carry (a finding names one and gives its values; see registry.Message)."""

from datetime import timedelta
from itertools import pairwise

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from foreign_affairs.security.countries import CHINA, CHINA_MESSAGE, NOT_DESTINATIONS, REGION_MESSAGE
from foreign_affairs.security.selectors import advisory_levels

from .. import hooks
from ..workflow import ACTIVE_STATES, State
from .registry import Finding, Message, add_months, rule

# The rules -------------------------------------------------------------------------------------------


@rule(
    "itinerary",
    _("Itinerary complete and in order"),
    messages={
        "empty": Message(_("Add at least one stop to the itinerary.")),
        "overlap": Message(
            _(
                "The stays in %(first)s and %(second)s overlap; each stop must begin on or after the day the "
                "previous one ends."
            )
        ),
    },
)
def _itinerary(draft, params, severity):
    if not draft.legs:
        return [Finding("itinerary", severity, "empty", field="legs")]
    legs = sorted(draft.legs, key=lambda leg: leg.arrive_on)
    return [
        Finding("itinerary", severity, "overlap", {"first": before.city, "second": after.city}, "legs")
        for before, after in pairwise(legs)
        if after.arrive_on < before.leave_on
    ]


@rule(
    "delegation",
    _("Delegation complete with one leader"),
    messages={
        "empty": Message(_("Add the members of the delegation.")),
        "leader": Message(_("Mark exactly one member as the delegation leader.")),
    },
)
def _delegation(draft, params, severity):
    if not draft.members:
        return [Finding("delegation", severity, "empty", field="members")]
    if sum(member.is_leader for member in draft.members) != 1:
        return [Finding("delegation", severity, "leader", field="members")]
    return []


@rule(
    "countries_per_trip",
    _("Number of countries"),
    max_countries=3,
    messages={
        "too_many": Message(
            ngettext_lazy(
                "A trip may visit at most %(limit)d country; this one visits %(count)d.",
                "A trip may visit at most %(limit)d countries; this one visits %(count)d.",
                "limit",
            )
        ),
    },
)
def _countries_per_trip(draft, params, severity):
    count, limit = len(draft.countries), params["max_countries"]
    if count > limit:
        return [Finding("countries_per_trip", severity, "too_many", {"limit": limit, "count": count}, "legs")]
    return []


@rule(
    "days_abroad",
    _("Days abroad by number of countries"),
    limits={"1": 5, "2": 8, "3": 10},
    messages={
        "justified": Message(
            ngettext_lazy(
                "%(days)d days abroad for %(count)d country is more than the %(limit)d allowed; "
                "the justification given sends the application to leader sign-off.",
                "%(days)d days abroad for %(count)d countries is more than the %(limit)d allowed; "
                "the justification given sends the application to leader sign-off.",
                "count",
            )
        ),
        "too_long": Message(
            ngettext_lazy(
                "%(days)d days abroad for %(count)d country is more than the %(limit)d allowed. "
                "Shorten the trip or explain why it must be longer in the justification field.",
                "%(days)d days abroad for %(count)d countries is more than the %(limit)d allowed. "
                "Shorten the trip or explain why it must be longer in the justification field.",
                "count",
            )
        ),
    },
)
def _days_abroad(draft, params, severity):
    days, count = draft.days_abroad, len(draft.countries)
    limit = params["limits"].get(str(count))
    if days is None or limit is None or days <= limit:
        return []
    values = {"days": days, "count": count, "limit": limit}
    if draft.justification.strip():
        return [Finding("days_abroad", "warning", "justified", values, "justification", forces_signoff=True)]
    return [Finding("days_abroad", severity, "too_long", values, "justification")]


@rule(
    "delegation_size",
    _("Size of the delegation"),
    max_members=6,
    messages={
        "too_many": Message(
            ngettext_lazy(
                "A delegation may have at most %(limit)d member; this one has %(count)d.",
                "A delegation may have at most %(limit)d members; this one has %(count)d.",
                "limit",
            )
        ),
    },
)
def _delegation_size(draft, params, severity):
    count, limit = len(draft.members), params["max_members"]
    if count > limit:
        return [Finding("delegation_size", severity, "too_many", {"limit": limit, "count": count}, "members")]
    return []


@rule(
    "leadership_pair",
    _("Leaders travelling together"),
    severity="warning",
    keywords=["董事长", "总经理", "总裁", "党委书记", "chairman", "general manager", "president", "ceo"],
    messages={
        "together": Message(
            _(
                "%(names)s are both in the leadership of the organisation; its leaders should not normally "
                "travel together."
            ),
            lists=("names",),
        ),
    },
)
def _leadership_pair(draft, params, severity):
    keywords = [keyword.lower() for keyword in params["keywords"]]
    leaders = [
        member.person.full_name
        for member in draft.members
        if any(keyword in (member.person.position or "").lower() for keyword in keywords)
    ]
    if len(leaders) >= 2:
        return [Finding("leadership_pair", severity, "together", {"names": leaders}, "members")]
    return []


@rule(
    "lead_time",
    _("Time before departure"),
    days=45,
    belt_and_road_days=20,
    messages={
        "late": Message(
            ngettext_lazy(
                "Applications are filed at least %(needed)d days before departure; "
                "this trip leaves in %(ahead)d day.",
                "Applications are filed at least %(needed)d days before departure; "
                "this trip leaves in %(ahead)d days.",
                "ahead",
            )
        ),
    },
)
def _lead_time(draft, params, severity):
    if draft.departure is None:
        return []
    needed = params["belt_and_road_days"] if draft.belt_and_road else params["days"]
    ahead = (draft.departure - draft.reference_date).days
    if ahead < needed:
        return [Finding("lead_time", severity, "late", {"needed": needed, "ahead": ahead}, "legs")]
    return []


@rule(
    "passport_validity",
    _("Passports valid long enough"),
    months=6,
    messages={
        "missing": Message(_("%(name)s has no passport details yet.")),
        "expiring": Message(
            ngettext_lazy(
                "The passport of %(name)s expires on %(expiry)s; it must be valid until at least %(needed)s "
                "(%(months)d month after the return).",
                "The passport of %(name)s expires on %(expiry)s; it must be valid until at least %(needed)s "
                "(%(months)d months after the return).",
                "months",
            ),
            dates=("expiry", "needed"),
        ),
    },
)
def _passport_validity(draft, params, severity):
    findings = []
    if draft.return_date is None:
        return findings
    needed = add_months(draft.return_date, params["months"])
    for member in draft.members:
        person = member.person
        if not person.passport_number or not person.passport_expiry:
            findings.append(
                Finding("passport_validity", severity, "missing", {"name": person.full_name}, "members")
            )
        elif person.passport_expiry < needed:
            values = {
                "name": person.full_name,
                "expiry": person.passport_expiry.isoformat(),
                "needed": needed.isoformat(),
                "months": params["months"],
            }
            findings.append(Finding("passport_validity", severity, "expiring", values, "members"))
    return findings


@rule(
    "invitation_letter",
    _("Invitation letter attached"),
    messages={"missing": Message(_("Attach the invitation letter of the host."))},
)
def _invitation_letter(draft, params, severity):
    if "invitation" not in draft.attachment_kinds:
        return [Finding("invitation_letter", severity, "missing", field="attachments")]
    return []


def _other_trips(draft):
    from ..models import DelegationMember

    person_ids = [member.person.pk for member in draft.members if member.person.pk]
    trips = DelegationMember.objects.filter(person_id__in=person_ids, application__state__in=ACTIVE_STATES)
    if draft.application_id:
        trips = trips.exclude(application_id=draft.application_id)
    return trips


@rule(
    "overlapping_trips",
    _("No traveller on two trips at once"),
    messages={"clash": Message(_("%(name)s is already on trip %(reference)s at the same time."))},
)
def _overlapping_trips(draft, params, severity):
    if draft.departure is None:
        return []
    clashes = (
        _other_trips(draft)
        .filter(
            application__departure_date__lte=draft.return_date, application__return_date__gte=draft.departure
        )
        .values_list("person__full_name", "application__reference")
    )
    return [
        Finding("overlapping_trips", severity, "clash", {"name": name, "reference": reference}, "members")
        for name, reference in clashes
    ]


@rule(
    "trips_per_year",
    _("Trips per person per year"),
    severity="warning",
    max_trips=2,
    messages={
        "many": Message(
            ngettext_lazy(
                "%(name)s already has %(trips)d trip in %(year)d; more than %(limit)d a year need a good reason.",
                "%(name)s already has %(trips)d trips in %(year)d; more than %(limit)d a year need a good reason.",
                "trips",
            )
        ),
    },
)
def _trips_per_year(draft, params, severity):
    if draft.departure is None:
        return []
    year = draft.departure.year
    counts = (
        _other_trips(draft)
        .filter(application__departure_date__year=year)
        .values("person__full_name")
        .annotate(trips=Count("application", distinct=True))
        .filter(trips__gte=params["max_trips"])
    )
    return [
        Finding(
            "trips_per_year",
            severity,
            "many",
            {
                "name": row["person__full_name"],
                "trips": row["trips"],
                "year": year,
                "limit": params["max_trips"],
            },
            "members",
        )
        for row in counts
    ]


@rule(
    "overdue_reports",
    _("No overdue post-trip report"),
    due_days=15,
    messages={
        "overdue": Message(
            _(
                "Your organisation has overdue post-trip reports (%(references)s); "
                "submit them before a new application."
            ),
            lists=("references",),
        ),
    },
)
def _overdue_reports(draft, params, severity):
    from ..models import TravelApplication

    cutoff = timezone.localdate() - timedelta(days=params["due_days"])
    overdue = list(
        TravelApplication.objects.filter(
            organization_id=draft.organization_id, state=State.PERMIT_ISSUED, return_date__lt=cutoff
        ).values_list("reference", flat=True)[:5]
    )
    if overdue:
        return [Finding("overdue_reports", severity, "overdue", {"references": overdue})]
    return []


@rule(
    "destinations",
    _("Destinations abroad only"),
    messages={
        "china": Message(CHINA_MESSAGE),
        "region": Message(REGION_MESSAGE, countries=("region",)),
    },
)
def _destinations(draft, params, severity):
    # China is never a destination; Hong Kong, Macao and Taiwan are a procedure of their own (因公赴港澳台).
    return [
        Finding("destinations", severity, "china", field="legs")
        if code == CHINA
        else Finding("destinations", severity, "region", {"region": code}, "legs")
        for code in draft.countries
        if code in NOT_DESTINATIONS
    ]


@rule(
    "destination_advisory",
    _("High-risk destinations go to leader sign-off"),
    severity="warning",
    messages={
        "high_risk": Message(
            _("The office advises against travel to %(country)s; the application needs leader sign-off."),
            countries=("country",),
        ),
    },
)
def _destination_advisory(draft, params, severity):
    levels = advisory_levels(draft.countries)
    return [
        Finding("destination_advisory", severity, "high_risk", {"country": code}, "legs", forces_signoff=True)
        for code, level in sorted(levels.items())
        if level == "high"
    ]


@rule(
    "predeparture_training",
    _("Pre-departure training"),
    severity="error",
    messages={
        "missing": Message(_("%(name)s has no valid pre-departure training.")),
        "unknown": Message(
            _("The pre-departure training of %(name)s cannot be checked online yet; bring the certificate.")
        ),
    },
)
def _predeparture_training(draft, params, severity):
    if draft.departure is None or not draft.members:
        return []
    statuses = hooks.training_status([member.person for member in draft.members], draft.departure)
    findings = []
    for member in draft.members:
        status = statuses.get(member.person.pk, "unknown")
        values = {"name": member.person.full_name}
        if status == "missing":
            findings.append(Finding("predeparture_training", severity, "missing", values, "members"))
        elif status == "unknown":
            findings.append(Finding("predeparture_training", "warning", "unknown", values, "members"))
    return findings
