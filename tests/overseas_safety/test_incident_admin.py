"""The office's incident queue and an incident's page in the back office: the queue's order, badges and
filters in flat queries, entering a call, and the page's buttons (each through a service)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from overseas_safety.models import Incident
from overseas_safety.services import incidents, plans
from overseas_safety.workflow import Source, State
from tests.factories import PersonFactory

from .factories import PlanFactory, report

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:overseas_safety_incident_changelist")
ADD = reverse("admin:overseas_safety_incident_add")


def admin_url(name, incident, *args):
    return reverse(f"admin:overseas_safety_incident_{name}", args=[incident.pk, *args])


def rows(page) -> list[str]:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return [incident.reference for incident in page.context["cl"].result_list]


def test_the_queue_opens_on_open_incidents_most_urgent_first_with_badges(client, applicant, officer):
    minor = report(applicant, level="4", kind="health")
    grave = report(applicant, level="1", kind="disaster")
    closed = report(applicant, level="1", kind="other")
    for name, comment in [("acknowledge", ""), ("respond", ""), ("resolve", "ok"), ("close", "")]:
        closed = incidents.incident_transition(incident=closed, actor=officer, name=name, comment=comment)
    ongoing = incidents.incident_transition(
        incident=report(applicant, level="2", kind="labour"), actor=officer, name="acknowledge"
    )
    steps = plans.plan_attach(incident=ongoing, actor=officer, plan=PlanFactory(kind=""))
    plans.step_tick(step=steps[0], actor=officer)
    client.force_login(officer)
    # The level I report's 30 minutes have passed; the level IV one has hours left.
    Incident.objects.filter(pk=grave.pk).update(ack_due_at=timezone.now() - timedelta(minutes=15))
    page = client.get(QUEUE)
    assert rows(page) == [grave.reference, ongoing.reference, minor.reference]
    html = page.content.decode()
    assert html.count('data-ack="overdue"') == 1  # level I after 30 minutes; level IV still due
    assert html.count('data-ack="due"') == 1
    assert 'data-progress="1/3"' in html
    assert closed.reference in rows(client.get(QUEUE, {"state": "all"}))
    assert rows(client.get(QUEUE, {"q": closed.reference})) == [closed.reference]
    assert rows(client.get(QUEUE, {"ack": "unacknowledged"})) == [grave.reference, minor.reference]
    assert rows(client.get(QUEUE, {"level": "4"})) == [minor.reference]


def test_the_queue_keeps_its_queries_flat(
    client, officer, applicant, other_applicant, django_assert_num_queries
):
    report(applicant)
    client.force_login(officer)
    client.get(QUEUE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for kind in ("accident", "health", "disaster"):
        incident = report(applicant, kind=kind)
        plans.plan_attach(
            incident=incidents.incident_transition(incident=incident, actor=officer, name="acknowledge"),
            actor=officer,
            plan=PlanFactory(kind=kind),
        )
    report(other_applicant, kind="labour", country="KE")
    with django_assert_num_queries(len(few)):
        client.get(QUEUE)


def test_an_officer_enters_a_call_and_a_duplicate_needs_saying_so(client, officer, organization):
    client.force_login(officer)
    assert client.get(QUEUE).context["call_url"] == ADD
    data = {
        "organization": organization.pk,
        "reporter_name": "李明",
        "reporter_phone": "+234 803 111 2222",
        "title": "Worker detained by the police",
        "kind": "detention",
        "level": "3",
        "country": "NG",
        "city": "Abuja",
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Detained at a checkpoint; papers in order.",
    }
    assert client.get(ADD).status_code == 200
    answer = client.post(ADD, data)
    first = Incident.objects.get()
    assert answer.status_code == 302 and answer["Location"] == admin_url("change", first)
    assert first.source == Source.CALL and first.reported_by == officer
    answer = client.post(ADD, data)
    assert answer.status_code == 200 and answer.context["duplicate"] == first
    assert Incident.objects.count() == 1
    assert client.post(ADD, {**data, "allow_duplicate": "on"}).status_code == 302
    assert Incident.objects.count() == 2


def test_leaders_read_the_page_without_buttons_and_cannot_enter_a_call(client, leader, applicant):
    incident = report(applicant)
    client.force_login(leader)
    assert client.get(ADD).status_code == 403
    page = client.get(admin_url("change", incident))
    assert page.status_code == 200 and page.context["transitions"] == []
    assert page.context["entry_form"] is None and page.context["plan_form"] is None
    client.post(admin_url("transition", incident), {"transition": "acknowledge"})
    incident.refresh_from_db()
    assert incident.state == State.REPORTED


def test_the_pages_buttons_run_the_services_and_a_refusal_changes_nothing(client, officer, applicant):
    first = report(applicant)
    incident = report(applicant, kind="accident")
    person = PersonFactory(organization=applicant.organization)
    plan = PlanFactory(kind="accident")
    client.force_login(officer)
    answer = client.post(admin_url("transition", incident), {"transition": "acknowledge"}, follow=True)
    assert [m.level_tag for m in answer.context["messages"]] == ["success"]
    answer = client.post(admin_url("transition", incident), {"transition": "acknowledge"}, follow=True)
    assert [m.level_tag for m in answer.context["messages"]] == ["warning"]  # stale: already acknowledged
    client.post(admin_url("plan", incident), {"plan": plan.pk})
    page = client.get(admin_url("change", incident))
    assert page.context["steps_total"] == 3 and page.context["resolve_blocked"]
    step = page.context["steps"][0]["step"]
    client.post(admin_url("step", incident, step.pk), {"done": "1"})
    client.post(admin_url("timeline", incident), {"entry-text": "Called the embassy."})
    client.post(admin_url("person", incident), {"person-person": person.pk, "person-status": "safe"})
    page = client.get(admin_url("change", incident))
    assert page.context["steps_done"] == 1
    assert [item["row"].status for item in page.context["people"]] == ["safe"]
    assert "Called the embassy." in page.content.decode()
    client.post(admin_url("transition", incident), {"transition": "merge", "merged_into": "HNAS-1999-00001"})
    incident.refresh_from_db()
    assert incident.state == State.ACKNOWLEDGED
    client.post(admin_url("transition", incident), {"transition": "merge", "merged_into": first.reference})
    incident.refresh_from_db()
    assert incident.state == State.MERGED and incident.merged_into == first
