"""The public notice (公示) of an approved trip and of its post-trip report: opened, closed, and the permit
queued when a trip's notice has run its course."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from foreign_affairs.audit.services import record_event
from foreign_affairs.workdays.selectors import add_working_days

from ..models import Disclosure, DisclosureKind, DisclosureOutcome, ObjectionStatus, TravelApplication
from ..workflow import State
from .permits import enqueue_permit


def _notice_content(application: TravelApplication, kind: str) -> dict:
    organization = application.organization
    content = {
        "reference": application.reference,
        "title": application.title,
        "organization_zh": organization.name_zh,
        "organization_en": organization.name_en,
        "countries": [code for code in application.countries.split(",") if code],
        "departure_date": application.departure_date.isoformat() if application.departure_date else None,
        "return_date": application.return_date.isoformat() if application.return_date else None,
        "purpose": application.purpose,
        "budget_amount": str(application.budget_amount) if application.budget_amount is not None else None,
        "budget_currency": application.budget_currency,
        "members": [
            {
                "name": m.person.full_name,
                "position": m.person.position,
                "position_on_trip": m.position_on_trip,
                "is_leader": m.is_leader,
            }
            for m in application.members.select_related("person").order_by("-is_leader", "pk")
        ],
    }
    if kind == DisclosureKind.REPORT:
        content.update(
            summary=application.report_summary,
            outcomes=application.report_outcomes,
            agreements=application.report_agreements,
            actual_return_date=application.actual_return_date.isoformat()
            if application.actual_return_date
            else None,
        )
    return content


def disclosure_open(application: TravelApplication, *, kind: str) -> Disclosure:
    """Publish the trip (or its report) on the public notice page for DISCLOSURE_WORKING_DAYS working days."""
    disclosure = Disclosure.objects.create(
        application=application,
        kind=kind,
        content=_notice_content(application, kind),
        ends_on=add_working_days(timezone.localdate(), settings.DISCLOSURE_WORKING_DAYS),
    )
    record_event(
        actor=None,
        action="travel_application.disclose",
        obj=application,
        data={"kind": kind, "disclosure": disclosure.pk, "ends_on": disclosure.ends_on},
    )
    return disclosure


def close_open(application: TravelApplication, kind: str, outcome: str) -> None:
    """End the application's open notice of `kind` (if any) with `outcome`."""
    Disclosure.objects.filter(application=application, kind=kind, outcome=DisclosureOutcome.OPEN).update(
        outcome=outcome, closed_at=timezone.now()
    )


def close_ended_disclosures(*, today=None) -> int:
    """Beat job: notices past their last day with no objection awaiting a decision are completed; a
    completed trip notice lets the permit be issued. Returns how many were closed. Safe to run twice."""
    today = today or timezone.localdate()
    closed = 0
    for disclosure in Disclosure.objects.filter(outcome=DisclosureOutcome.OPEN, ends_on__lt=today):
        with transaction.atomic():
            disclosure = (
                Disclosure.objects.select_for_update().select_related("application").get(pk=disclosure.pk)
            )
            pending = disclosure.objections.filter(status=ObjectionStatus.PENDING).exists()
            if not disclosure.is_open or pending:
                continue
            disclosure.outcome, disclosure.closed_at = DisclosureOutcome.COMPLETED, timezone.now()
            disclosure.save(update_fields=["outcome", "closed_at"])
            if disclosure.kind == DisclosureKind.TRIP and disclosure.application.state == State.APPROVED:
                enqueue_permit(disclosure.application)
            closed += 1
    return closed
