"""What the services keep on an application besides its own fields: the reference number, the summary of
its itinerary and delegation, and the results of the rules."""

from django.db import transaction

from .. import rules
from ..models import (
    ReferenceCounter,
    TravelApplication,
)

# References and derived fields ---------------------------------------------------------------------


def next_reference(year: int) -> str:
    """HNFA-<year>-<6 digits>, numbered without gaps per year (the counter row is locked)."""
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"HNFA-{year}-{counter.last:06d}"


def refresh_summary(application: TravelApplication) -> None:
    """Recompute the fields derived from the itinerary and the members (dates, countries, leader)."""
    legs = list(application.legs.order_by("arrive_on", "position"))
    members = list(application.members.select_related("person"))
    application.departure_date = min((leg.arrive_on for leg in legs), default=None)
    application.return_date = max((leg.leave_on for leg in legs), default=None)
    application.days_abroad = (
        (application.return_date - application.departure_date).days + 1
        if application.departure_date
        else None
    )
    countries = []
    for leg in legs:
        if str(leg.country) not in countries:
            countries.append(str(leg.country))
    application.countries = ",".join(countries)[:120]
    application.member_count = len(members)
    application.leader_name = next((m.person.full_name for m in members if m.is_leader), "")


def store_rule_results(application: TravelApplication, findings) -> None:
    """Keep the findings on the application (not saved here): each as its rule's code, the message key
    and the values that go into it, put into words in each reader's language when shown
    (rules.stored_message); and the counts and sign-off flag the queues filter on."""
    application.rule_results = [finding.stored() for finding in findings]
    application.rule_errors = sum(finding.severity == "error" for finding in findings)
    application.rule_warnings = sum(finding.severity == "warning" for finding in findings)
    application.requires_signoff = any(finding.forces_signoff for finding in findings)


def check_rules(application: TravelApplication, *, reference_date=None):
    """Run the rules on the saved application and keep the results on it (not saved here)."""
    fresh = TravelApplication.objects.prefetch_related("legs", "members__person", "attachments").get(
        pk=application.pk
    )
    findings = rules.check(rules.TripDraft.from_application(fresh, reference_date=reference_date))
    store_rule_results(application, findings)
    return findings


def save_derived(application: TravelApplication) -> None:
    application.save(
        update_fields=[
            "departure_date",
            "return_date",
            "days_abroad",
            "countries",
            "member_count",
            "leader_name",
            "rule_results",
            "rule_errors",
            "rule_warnings",
            "requires_signoff",
            "updated_at",
        ]
    )
