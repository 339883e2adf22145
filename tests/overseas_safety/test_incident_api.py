"""`/api/v1/safety/incidents/`: reports from the enterprise and from a call, refusals in the contract's
shape that change nothing (bad input 400, another organisation 404, duplicate and stale 409), transitions,
the timeline with files, people, the plan's checklist, filters and flat query counts."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from overseas_safety.models import Incident, TimelineEntry
from overseas_safety.services import incidents
from overseas_safety.workflow import Source, State
from tests.factories import PersonFactory
from tests.foreign_affairs.test_api_schema import assert_answer_matches

from .factories import PlanFactory, SiteFactory, report

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/safety/incidents/"


def body(**changes):
    data = {
        "title": "Robbery at the site",
        "kind": "security",
        "level": "2",
        "country": "NG",
        "city": "Lagos",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "description": "Two staff were robbed on the way to the site.",
    }
    data.update(changes)
    return data


def png(name="scene.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_enterprise_reports_with_people_and_sees_it_as_declared(api_as, applicant):
    person = PersonFactory(organization=applicant.organization)
    api = api_as(applicant)
    answer = api.post(INCIDENTS, body(people=[{"person": person.pk, "status": "injured"}]), format="json")
    assert answer.status_code == 201, answer.json()
    created = assert_answer_matches(answer, INCIDENTS, "post")
    assert created["reference"].startswith("HNAS-") and created["state"] == "reported"
    assert created["source"] == Source.ENTERPRISE and created["available_transitions"] == []
    assert created["people"][0] == {**created["people"][0], "person": person.pk, "status": "injured"}
    assert_answer_matches(api.get(f"{INCIDENTS}{created['id']}/"), f"{INCIDENTS}{{id}}/")
    listed = assert_answer_matches(api.get(INCIDENTS), INCIDENTS)
    assert [row["reference"] for row in listed["results"]] == [created["reference"]]
    timeline = assert_answer_matches(
        api.get(f"{INCIDENTS}{created['id']}/timeline/"), f"{INCIDENTS}{{id}}/timeline/"
    )
    assert [entry["action"] for entry in timeline] == ["incident.report"]


def test_an_officer_reports_a_call_naming_the_organisation(api_as, officer, organization):
    api = api_as(officer)
    answer = api.post(INCIDENTS, body(), format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "organization"
    answer = api.post(INCIDENTS, body(organization=organization.pk), format="json")
    assert answer.status_code == 201
    assert Incident.objects.get().source == Source.CALL


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()}, "occurred_at"),
        ({"occurred_at": "0088-09-20T00:50:00+08:00"}, "occurred_at"),
        ({"country": "ZZ"}, "country"),
        ({"country": "TW"}, "country"),
        ({"level": "5"}, "level"),
        ("stranger", "people"),
        ("foreign_site", "site"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_changes_nothing(
    api_as, applicant, other_applicant, changes, field
):
    if changes == "stranger":
        changes = {"people": [{"person": PersonFactory(organization=other_applicant.organization).pk}]}
    elif changes == "foreign_site":
        changes = {"site": SiteFactory(organization=other_applicant.organization).pk}
    answer = api_as(applicant).post(INCIDENTS, body(**changes), format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert field in {error.get("field") for error in answer.json()["errors"]}
    assert not Incident.objects.exists()


def test_a_second_report_of_the_same_incident_answers_409_naming_the_first(api_as, applicant):
    first = report(applicant)
    answer = api_as(applicant).post(
        INCIDENTS, body(occurred_at=(timezone.now() - timedelta(hours=5)).isoformat())
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "conflict" and first.reference in answer.json()["detail"]
    assert answer.json()["errors"] == [
        {"field": "duplicate_of", "code": "duplicate", "message": first.reference}
    ]
    assert_answer_matches(answer, INCIDENTS, "post")
    assert Incident.objects.count() == 1


def test_another_organisations_incident_answers_404_at_every_route(api_as, applicant, other_applicant):
    incident = report(other_applicant)
    api = api_as(applicant)
    assert api.get(f"{INCIDENTS}{incident.pk}/").status_code == 404
    assert api.post(f"{INCIDENTS}{incident.pk}/timeline/", {"text": "x"}).status_code == 404
    assert api.patch(f"{INCIDENTS}{incident.pk}/", {"title": "x"}).status_code == 404
    assert api.post(f"{INCIDENTS}{incident.pk}/acknowledge/").status_code == 404
    assert incident.timeline.count() == 1


def test_transitions_by_role_and_state_and_a_stale_one_answers_409(api_as, applicant, officer):
    first = report(applicant)
    incident = report(applicant, kind="accident")
    url = f"{INCIDENTS}{incident.pk}/"
    assert api_as(applicant).post(f"{url}acknowledge/").status_code == 403
    officer_api, other_officer_api = api_as(officer), api_as(officer)
    answer = officer_api.post(f"{url}acknowledge/", {"comment": "On it."}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == State.ACKNOWLEDGED
    stale = other_officer_api.post(f"{url}acknowledge/")
    assert stale.status_code == 409
    assert stale.json()["state"] == State.ACKNOWLEDGED and "respond" in stale.json()["available_transitions"]
    assert api_as(applicant).patch(url, {"title": "Changed"}, format="json").status_code == 409
    assert officer_api.post(f"{url}merge/", {"merged_into": ""}, format="json").status_code == 400
    answer = officer_api.post(f"{url}merge/", {"merged_into": first.reference}, format="json")
    assert answer.status_code == 200 and answer.json()["merged_into"] == first.reference
    incident.refresh_from_db()
    assert incident.state == State.MERGED and incident.title == "Robbery at the site"


def test_timeline_with_files_people_and_the_plans_checklist(api_as, applicant, officer):
    incident = incidents.incident_transition(incident=report(applicant), actor=officer, name="acknowledge")
    person = PersonFactory(organization=applicant.organization)
    url = f"{INCIDENTS}{incident.pk}/"
    enterprise, office = api_as(applicant), api_as(officer)
    answer = enterprise.post(
        f"{url}timeline/", {"text": "Embassy called.", "files": [png(), png("b.png")]}, format="multipart"
    )
    assert answer.status_code == 201 and len(answer.json()["attachments"]) == 2
    early = (incident.occurred_at - timedelta(days=3)).isoformat()
    assert enterprise.post(f"{url}timeline/", {"text": "x", "at": early}).status_code == 400
    answer = enterprise.post(f"{url}people/", {"person": person.pk, "status": "missing"}, format="json")
    assert answer.status_code == 200 and answer.json()["people"][0]["status"] == "missing"
    plan = PlanFactory()
    assert enterprise.get(f"{url}plans/").status_code == 404
    assert [row["id"] for row in office.get(f"{url}plans/").json()] == [plan.pk]
    answer = office.post(f"{url}plans/", {"plan": plan.pk}, format="json")
    assert answer.status_code == 200 and answer.json()["checklist_total"] == 3
    steps = answer.json()["checklist"]
    assert office.post(f"{url}resolve/", {"comment": "All safe."}, format="json").status_code == 400
    for step in steps:
        assert office.post(f"{url}checklist/", {"step": step["id"]}, format="json").status_code == 200
    answer = office.post(f"{url}resolve/", {"comment": "All safe."}, format="json")
    assert answer.status_code == 200 and answer.json()["checklist_done"] == 3
    assert TimelineEntry.objects.filter(incident=incident).count() == 9


def test_filters_narrow_the_list_and_bad_values_answer_400(api_as, applicant, officer):
    grave = report(applicant, level="1")
    report(applicant, level="4", kind="health", country="KE")
    office = api_as(officer)
    assert [row["id"] for row in office.get(INCIDENTS, {"level": "1"}).json()["results"]] == [grave.pk]
    assert office.get(INCIDENTS, {"country": "KE"}).json()["count"] == 1
    assert office.get(INCIDENTS, {"attention": "unacknowledged"}).json()["count"] == 2
    assert office.get(INCIDENTS, {"state": "closed"}).json()["count"] == 0
    for bad in ({"country": "ZZ"}, {"level": "9"}, {"state": "nonsense"}):
        assert office.get(INCIDENTS, bad).status_code == 400


def test_the_list_keeps_its_queries_flat(api_as, officer, applicant, django_assert_max_num_queries):
    report(applicant)
    api = api_as(officer)
    api.get(INCIDENTS)
    for kind in ("accident", "health", "disaster", "labour"):
        report(applicant, kind=kind)
    with django_assert_max_num_queries(8):
        assert api.get(INCIDENTS).json()["count"] == 5
