"""What travel applications hold about one person (foreign_affairs.privacy.person_data): their places on
delegations and their passport's custody ledger. The application itself is the organisation's and stays;
an erased member leaves it, and the names derived from the members (leader, public notices, rule
findings) lose theirs."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.areas.registry import PersonalDataSource
from foreign_affairs.privacy.person_data import kept_until, scrub

from .models import DelegationMember, Disclosure, PassportHandover, TravelApplication
from .workflow import State

# The retention kind (privacy.retention) of a travel application, and its default: ten years of archive.
RETENTION_KIND = "travel_applications"  # approvals.retention.APPLICATIONS
RETENTION_MONTHS = 120
CLOSED_STATES = (State.CLOSED, State.REJECTED, State.WITHDRAWN, State.CANCELLED)


def _members(person):
    return DelegationMember.objects.filter(person=person).select_related("application").order_by("pk")


def collect(person) -> dict:
    return {
        "delegations": [
            {
                "application": member.application.reference,
                "title": member.application.title,
                "state": member.application.state,
                "departure_date": member.application.departure_date,
                "return_date": member.application.return_date,
                "countries": member.application.countries,
                "position_on_trip": member.position_on_trip,
                "is_leader": member.is_leader,
            }
            for member in _members(person)
        ],
        "passport_handovers": [
            {
                "application": handover.application.reference,
                "passport_number": handover.passport_number,
                "handed_out_at": handover.handed_out_at,
                "handed_to": handover.handed_to,
                "due_on": handover.due_on,
                "returned_at": handover.returned_at,
                "notes": handover.notes,
            }
            for handover in PassportHandover.objects.filter(person=person).select_related("application")
        ],
    }


def files(person):
    """The permits of the person's trips: they name the delegation's members."""
    for member in _members(person).select_related("application__permit"):
        permit = getattr(member.application, "permit", None)
        if permit is not None and permit.file:
            yield f"permit-{permit.number}.pdf", permit.file


def duties(person) -> list[str]:
    found = []
    today = timezone.localdate()
    for member in _members(person):
        application = member.application
        if application.state not in CLOSED_STATES:
            found.append(
                _("On travel application %(reference)s (in progress: %(state)s)")
                % {"reference": application.reference, "state": application.get_state_display()}
            )
            continue
        until = kept_until(RETENTION_KIND, application.state_changed_at, default_months=RETENTION_MONTHS)
        if until > today:
            found.append(
                _("On travel application %(reference)s (kept until %(date)s)")
                % {"reference": application.reference, "date": until.isoformat()}
            )
    for handover in PassportHandover.objects.filter(person=person, returned_at__isnull=True).select_related(
        "application"
    ):
        found.append(
            _("Passport handed out for travel application %(reference)s and not yet returned")
            % {"reference": handover.application.reference}
        )
    return found


def _scrub_json(value, identifiers):
    return json.loads(scrub(json.dumps(value, ensure_ascii=False), identifiers))


def erase(person) -> dict[str, int]:
    from .services.derived import refresh_summary

    identifiers = [value for value in (person.full_name, person.pinyin_name) if value]
    handovers, _count = PassportHandover.objects.filter(person=person).delete()
    application_ids = list(_members(person).values_list("application_id", flat=True))
    members, _count = DelegationMember.objects.filter(person=person).delete()
    for application in TravelApplication.objects.filter(pk__in=application_ids):
        refresh_summary(application)
        application.rule_results = _scrub_json(application.rule_results, identifiers)
        if application.contact_name in identifiers:
            application.contact_name = ""
        application.save(update_fields=["member_count", "leader_name", "rule_results", "contact_name"])
    notices = 0
    for disclosure in Disclosure.objects.filter(application_id__in=application_ids):
        disclosure.content = {
            **disclosure.content,
            "members": [
                member
                for member in disclosure.content.get("members", [])
                if member.get("name") not in identifiers
            ],
        }
        disclosure.save(update_fields=["content"])
        notices += 1
    return {"delegation_members": members, "passport_handovers": handovers, "public_notices": notices}


SOURCE = PersonalDataSource(name="approvals", collect=collect, files=files, duties=duties, erase=erase)
