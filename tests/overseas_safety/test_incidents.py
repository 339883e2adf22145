"""Incidents: report, duplicates, scoping of what a report links to, every transition and refusal,
the timeline's append-only rule, and escalation exactly once."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.notifications.models import Notification
from overseas_safety.models import DutyShift, Incident, TimelineEntry
from overseas_safety.services import incidents
from overseas_safety.services.incidents import DuplicateIncident
from overseas_safety.workflow import Level, State
from tests.factories import PersonFactory

from .factories import SiteFactory, report

pytestmark = pytest.mark.django_db


def test_report_goes_to_the_duty_officer_with_a_deadline(applicant, officer):
    DutyShift.objects.create(day=timezone.localdate(), officer=officer)
    person = PersonFactory(organization=applicant.organization)
    incident = report(applicant, people=[person.pk], statuses={person.pk: "injured"})
    assert incident.reference.startswith("HNAS-")
    assert incident.state == State.REPORTED
    assert incident.duty_officer == officer
    assert timedelta(minutes=29) < incident.ack_due_at - incident.reported_at <= timedelta(minutes=30)
    assert incident.people.get().status == "injured"
    assert Notification.objects.filter(recipient=officer, key=f"incident:{incident.pk}:report").count() == 2
    assert AuditEvent.objects.filter(action="incident.report").count() == 1


def test_a_second_report_of_the_same_incident_is_refused_naming_the_first(applicant):
    first = report(applicant)
    with pytest.raises(DuplicateIncident) as refused:
        report(applicant, occurred_at=timezone.now() - timedelta(hours=3))
    assert first.reference in str(refused.value.message)
    assert Incident.objects.count() == 1


def test_links_to_another_organisations_people_site_or_trip_are_refused(applicant, other_applicant):
    stranger = PersonFactory(organization=other_applicant.organization)
    with pytest.raises(ValidationError) as refused:
        report(applicant, people=[stranger.pk])
    assert "people" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(applicant, site=SiteFactory(organization=other_applicant.organization).pk)
    assert "site" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(applicant, country="ZZ")
    assert "country" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        report(applicant, occurred_at=timezone.now() + timedelta(days=1))
    assert "occurred_at" in refused.value.message_dict
    assert Incident.objects.count() == 0


def test_enterprise_cannot_report_for_another_organisation(applicant, other_organization):
    with pytest.raises(PermissionDenied):
        report(applicant, organization=other_organization)


def test_every_transition_and_its_refusals(applicant, officer, leader):
    incident = report(applicant)
    with pytest.raises(PermissionDenied):
        incidents.incident_transition(incident=incident, actor=applicant, name="acknowledge")
    with pytest.raises(PermissionDenied):
        incidents.incident_transition(incident=incident, actor=leader, name="acknowledge")
    with pytest.raises(StateConflict):
        incidents.incident_transition(incident=incident, actor=officer, name="close")
    incident = incidents.incident_transition(incident=incident, actor=officer, name="acknowledge")
    assert incident.acknowledged_by == officer and incident.duty_officer == officer
    incident = incidents.incident_transition(incident=incident, actor=officer, name="respond")
    with pytest.raises(ValidationError):
        incidents.incident_transition(incident=incident, actor=officer, name="resolve")
    incident = incidents.incident_transition(
        incident=incident, actor=officer, name="resolve", comment="All safe."
    )
    incident = incidents.incident_transition(
        incident=incident, actor=officer, name="reopen", comment="Not yet."
    )
    assert incident.state == State.RESPONDING and incident.resolved_at is None
    incidents.incident_transition(incident=incident, actor=officer, name="resolve", comment="Now all safe.")
    incident = incidents.incident_transition(incident=incident, actor=officer, name="close")
    assert incident.state == State.CLOSED
    assert list(
        AuditEvent.objects.filter(action__startswith="incident.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "incident.report",
        "incident.acknowledge",
        "incident.respond",
        "incident.resolve",
        "incident.reopen",
        "incident.resolve",
        "incident.close",
    ]
    assert incident.timeline.count() == 7
    with pytest.raises(StateConflict):
        incidents.timeline_add(incident=incident, actor=applicant, text="Late news")


def test_merge_needs_another_report_of_the_same_organisation(applicant, officer, other_applicant):
    first = report(applicant)
    second = report(applicant, kind="accident")
    foreign = report(other_applicant)
    with pytest.raises(RulesFailed):
        incidents.incident_transition(incident=second, actor=officer, name="merge")
    with pytest.raises(ValidationError):
        incidents.incident_transition(incident=second, actor=officer, name="merge", merged_into=foreign.pk)
    merged = incidents.incident_transition(
        incident=second, actor=officer, name="merge", merged_into=first.reference
    )
    assert merged.state == State.MERGED and merged.merged_into == first


def test_a_stale_transition_meets_the_new_state(applicant, officer):
    incident = report(applicant)
    stale = Incident.objects.get(pk=incident.pk)
    incidents.incident_transition(incident=incident, actor=officer, name="acknowledge")
    with pytest.raises(StateConflict):
        incidents.incident_transition(incident=stale, actor=officer, name="acknowledge")


def test_timeline_is_append_only(applicant, officer):
    incident = report(applicant)
    entry = incidents.timeline_add(incident=incident, actor=applicant, text="Called the embassy.")
    entry.text = "changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Called the embassy."


def test_escalation_exactly_once_with_frozen_time(applicant, leader):
    grave = report(applicant, level=Level.I)
    minor = report(applicant, level=Level.IV, kind="health")
    with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
        assert incidents.escalate_unacknowledged() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert incidents.escalate_unacknowledged() == 1
        assert incidents.escalate_unacknowledged() == 0
    grave.refresh_from_db()
    minor.refresh_from_db()
    assert grave.escalated_at is not None and minor.escalated_at is None
    assert Notification.objects.filter(recipient=leader, key=f"incident:{grave.pk}:escalate").count() == 2


def test_plan_checklist_is_copied_and_blocks_resolving_until_ticked(applicant, officer):
    from overseas_safety.services import plans

    from .factories import PlanFactory

    incident = report(applicant)
    plan = PlanFactory()
    PlanFactory(kind="health")  # another kind: does not fit
    assert list(plans.plans_for(incident)) == [plan]
    incident = incidents.incident_transition(incident=incident, actor=officer, name="acknowledge")
    steps = plans.plan_attach(incident=incident, actor=officer, plan=plan)
    assert [s.text for s in steps] == ["Call the embassy", "Call the family", "Report to leaders"]
    assert len(plans.plan_attach(incident=incident, actor=officer, plan=plan)) == 3
    plan.steps.update(text="changed later")  # the copy stays as attached
    assert plans.checklist_progress(incident) == (0, 3)
    with pytest.raises(RulesFailed):
        incidents.incident_transition(incident=incident, actor=officer, name="resolve", comment="ok")
    for step in steps:
        plans.step_tick(step=step, actor=officer)
    assert plans.checklist_progress(incident) == (3, 3)
    incidents.incident_transition(incident=incident, actor=officer, name="resolve", comment="ok")
