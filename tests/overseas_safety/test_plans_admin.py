"""The back office of emergency plans (with their ordered steps) and of the duty roster: officers write
through the services (audited), leaders read."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from overseas_safety.models import DutyShift, EmergencyPlan
from overseas_safety.services import duty
from overseas_safety.workflow import IncidentKind, Level
from tests.factories import office_user

from .factories import PlanFactory

pytestmark = pytest.mark.django_db

PLANS = reverse("admin:overseas_safety_emergencyplan_changelist")
PLAN_ADD = reverse("admin:overseas_safety_emergencyplan_add")
ROSTER = reverse("admin:overseas_safety_dutyshift_changelist")
SHIFT_ADD = reverse("admin:overseas_safety_dutyshift_add")
FILL = reverse("admin:overseas_safety_dutyshift_fill")


@pytest.fixture
def as_user(client):
    """Sign `user` in to the back office, in English."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def plan_form(steps: list[dict], *, existing: int = 0, **fields) -> dict:
    """The plan's page as it posts: its fields and the steps' inline formset."""
    data = {
        "title": "Kidnapping of staff",
        "kind": IncidentKind.SECURITY,
        "max_level": Level.II,
        "summary": "",
        "is_active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(existing),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{index}-{key}"] = value
    return data


def test_an_officer_keeps_a_plan_and_its_ordered_steps_through_the_service(as_user, officer):
    client = as_user(officer)
    response = client.post(
        PLAN_ADD,
        plan_form(
            [
                {
                    "position": "5",
                    "text": "Tell the embassy",
                    "responsible": "Duty officer",
                    "contacts": "+234 1",
                },
                {"position": "2", "text": "Call the enterprise", "responsible": "Duty officer"},
                {"position": "", "text": ""},  # the empty extra row
            ]
        ),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    plan = EmergencyPlan.objects.get()
    assert [(s.position, s.text) for s in plan.steps.all()] == [
        (1, "Call the enterprise"),
        (2, "Tell the embassy"),
    ]
    assert plan.steps.get(position=2).contacts == "+234 1"

    first, second = plan.steps.all()
    response = client.post(
        reverse("admin:overseas_safety_emergencyplan_change", args=[plan.pk]),
        plan_form(
            [
                {
                    "id": str(first.pk),
                    "plan": str(plan.pk),
                    "position": "1",
                    "text": first.text,
                    "DELETE": "on",
                },
                {
                    "id": str(second.pk),
                    "plan": str(plan.pk),
                    "position": "2",
                    "text": "Tell the embassy at once",
                },
                {"plan": str(plan.pk), "position": "", "text": "Report to the leaders"},  # blank: last,
            ],
            existing=2,
            title="Kidnapping or hostage-taking",
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kidnapping or hostage-taking"
    assert [(s.position, s.text) for s in plan.steps.all()] == [
        (1, "Tell the embassy at once"),
        (2, "Report to the leaders"),
    ]
    events = AuditEvent.objects.filter(action="plan.update").order_by("pk")
    assert [e.data["steps"] for e in events] == [2, 2]
    assert events.last().data["fields"] == ["title"] and events.last().data["steps_changed"]


def test_a_plan_in_force_without_steps_is_refused_on_the_page(as_user, officer):
    response = as_user(officer).post(PLAN_ADD, plan_form([{"position": "", "text": ""}]))
    assert response.status_code == 200
    assert "A plan in force needs at least one step." in response.content.decode()
    assert not EmergencyPlan.objects.exists()


def test_a_leader_reads_the_plans_and_cannot_change_them(as_user, leader):
    plan = PlanFactory(title="Earthquake plan")
    client = as_user(leader)
    assert "Earthquake plan" in client.get(PLANS + "?is_active__exact=1").content.decode()
    page = client.get(reverse("admin:overseas_safety_emergencyplan_change", args=[plan.pk]))
    assert page.status_code == 200 and "Call the embassy" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    response = client.post(
        reverse("admin:overseas_safety_emergencyplan_change", args=[plan.pk]), plan_form([], title="Changed")
    )
    assert response.status_code == 403
    assert client.get(PLAN_ADD).status_code == 403


def test_an_officer_puts_a_day_on_the_roster_and_a_bad_deputy_is_a_message(as_user, officer):
    other = office_user(Role.OFFICER)
    client = as_user(officer)
    today = timezone.localdate()
    refused = client.post(SHIFT_ADD, {"day": today.isoformat(), "officer": officer.pk, "deputy": officer.pk})
    assert refused.status_code == 200
    assert "The deputy must be someone other than the duty officer." in refused.content.decode()

    response = client.post(SHIFT_ADD, {"day": today.isoformat(), "officer": officer.pk, "deputy": other.pk})
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert (shift.officer, shift.deputy) == (officer, other)
    assert AuditEvent.objects.filter(action="duty.update").count() == 1

    change = reverse("admin:overseas_safety_dutyshift_change", args=[shift.pk])
    assert client.post(change, {"officer": other.pk, "deputy": officer.pk, "note": "swap"}).status_code == 302
    shift.refresh_from_db()
    assert (shift.day, shift.officer, shift.deputy, shift.note) == (today, other, officer, "swap")
    assert AuditEvent.objects.filter(action="duty.update").count() == 2

    page = client.get(ROSTER).content.decode()
    assert 'class="queue-badge duty-today"' in page
    assert 'data-testid="roster-fill"' in page

    delete = reverse("admin:overseas_safety_dutyshift_delete", args=[shift.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not DutyShift.objects.exists()
    assert AuditEvent.objects.filter(action="duty.update").order_by("pk").last().data["removed"] is True


def test_an_officer_fills_a_period_with_a_rotation(as_user, officer):
    other = office_user(Role.OFFICER)
    start = timezone.localdate() + timedelta(days=1)
    end = start + timedelta(days=6)
    response = as_user(officer).post(
        FILL,
        {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "days": duty.RosterDays.EVERY,
            "officers": [officer.pk, other.pk],
        },
    )
    assert response.status_code == 302
    assert DutyShift.objects.filter(day__range=(start, end)).count() == 7
    assert set(DutyShift.objects.values_list("officer", flat=True)) == {officer.pk, other.pk}


def test_a_leader_reads_the_roster_and_cannot_write_it(as_user, officer, leader):
    today = timezone.localdate()
    duty.shift_set(day=today, officer=officer, actor=officer)
    yesterday = DutyShift.objects.create(day=today - timedelta(days=1), officer=officer)
    client = as_user(leader)
    page = client.get(ROSTER)
    assert page.status_code == 200
    assert str(officer) in page.content.decode() and 'data-testid="roster-fill"' not in page.content.decode()
    assert client.get(SHIFT_ADD).status_code == 403
    assert client.get(FILL).status_code == 403
    # A past day is read-only even for an officer.
    page = as_user(officer).get(reverse("admin:overseas_safety_dutyshift_change", args=[yesterday.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
