"""The overseas-safety part of seed_demo (small size), seeded on the shared demo's accounts and organisations
only — not the whole demo fixture: sites, stationed staff, a roster with today, two plans, an incident in
every state (through the services, so audited), and a safety alert with its recipients."""

import pytest
from django.utils import timezone

from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from overseas_safety import demo
from overseas_safety.models import (
    AlertRecipient,
    DutyShift,
    EmergencyPlan,
    Incident,
    SafetyAlert,
    SendState,
    Site,
    Stationing,
)
from overseas_safety.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    with accounts_demo.sized(accounts_demo.SMALL):
        accounts_demo.seed()
        safety = demo.SafetyDemo(year=False)
        safety.plan()
        created = safety.play()
    return safety, created


def test_every_step_is_accepted_by_the_services_and_seeding_again_adds_nothing(seeded):
    safety, created = seeded
    assert safety.failures == []
    assert created == Incident.objects.count() == 7
    with accounts_demo.sized(accounts_demo.SMALL):
        assert demo.seed() == 0
    assert Incident.objects.count() == 7


def test_the_demo_holds_every_incident_state_the_registry_the_roster_the_plans_and_an_alert(seeded):
    assert set(Incident.objects.values_list("state", flat=True)) == set(State.values)
    blast = Incident.objects.get(title__startswith="卡拉奇项目部营地附近发生爆炸")
    assert blast.state == State.REPORTED and blast.escalated_at is not None and blast.is_overdue_ack
    merged = Incident.objects.get(state=State.MERGED)
    assert merged.merged_into.state == State.ACKNOWLEDGED
    responding = Incident.objects.get(state=State.RESPONDING)
    done = responding.checklist.filter(done_at__isnull=False).count()
    assert 0 < done < responding.checklist.count()
    resolved = Incident.objects.get(state=State.RESOLVED)
    assert resolved.checklist.exists() and not resolved.checklist.filter(done_at__isnull=True).exists()
    # Each incident's people are of its organisation, and every incident went through the services.
    for incident in Incident.objects.prefetch_related("people__person"):
        assert incident.people.exists()
        assert {row.person.organization_id for row in incident.people.all()} == {incident.organization_id}
    assert AuditEvent.objects.filter(action="incident.report").count() == 7
    assert verify_chain().ok

    # The registry, the roster (today's officer and deputy), the plans and the alert with its recipients.
    today = timezone.localdate()
    assert Site.objects.count() == len(demo.SITES)
    assert set(Site.objects.values_list("country", flat=True)) >= {"NG", "PK", "KZ", "ID", "BR", "DE"}
    assert Stationing.objects.on(today).count() == sum(len(row[13]) for row in demo.SITES)
    shift = DutyShift.objects.select_related("officer", "deputy").get(day=today)
    assert (shift.officer.username, shift.deputy.username) == ("officer", "officer2")
    assert (
        DutyShift.objects.filter(day__lt=today).exists() and DutyShift.objects.filter(day__gt=today).exists()
    )
    plans = EmergencyPlan.objects.all()
    assert sorted(plan.title for plan in plans) == sorted(plan["title"] for plan in demo.PLANS)
    assert all(5 <= plan.steps.count() <= 7 for plan in plans)
    alert = SafetyAlert.objects.get()
    assert alert.state == SendState.SENT and alert.recipient_count == 3
    recipients = AlertRecipient.objects.filter(alert=alert)
    assert recipients.filter(answer="safe").count() == 1
    assert recipients.filter(answer="").count() == 2
