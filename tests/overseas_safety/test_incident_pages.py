"""Incidents in the browser: the phone-friendly report and its confirmation, refusals that change nothing,
the incident's page (timeline with files, people, checklist, actions) and scoping to the organisation."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from overseas_safety.models import Incident, IncidentAttachment
from overseas_safety.services import incidents, plans
from overseas_safety.workflow import Source, State
from tests.factories import PersonFactory

from .factories import PlanFactory, report

pytestmark = pytest.mark.django_db

REPORT = reverse("overseas_safety:incident_report")
LIST = reverse("overseas_safety:incident_list")


def png(name="scene.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**changes):
    data = {
        "title": "Two staff robbed on the way to the site",
        "kind": "security",
        "level": "2",
        "country": "NG",
        "city": "Lagos",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Robbed at gunpoint; one injured, taken to hospital.",
        "reporter_name": "王安",
        "reporter_phone": "+234 803 000 0000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def url(name, incident, *args):
    return reverse(f"overseas_safety:{name}", args=[incident.pk, *args])


def test_report_from_the_form_with_people_and_photos_confirms_the_reference(client, applicant):
    injured, safe = (
        PersonFactory(organization=applicant.organization),
        PersonFactory(organization=applicant.organization),
    )
    PersonFactory(organization=applicant.organization)  # not involved
    client.force_login(applicant)
    page = client.get(REPORT)
    assert page.status_code == 200 and b'type="datetime-local"' in page.content
    answer = client.post(
        REPORT,
        form_data(
            **{f"person_{injured.pk}": "injured", f"person_{safe.pk}": "safe", "files": [png(), png("b.png")]}
        ),
    )
    incident = Incident.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url("incident_reported", incident)
    assert incident.source == Source.ENTERPRISE and incident.reported_by == applicant
    assert dict(incident.people.values_list("person_id", "status")) == {
        injured.pk: "injured",
        safe.pk: "safe",
    }
    assert IncidentAttachment.objects.filter(application=incident, kind="photo").count() == 2
    confirmation = client.get(answer["Location"])
    assert incident.reference in confirmation.content.decode()
    assert url("incident_detail", incident) in confirmation.content.decode()


@pytest.mark.parametrize(
    "changes, field",
    [
        (
            {"occurred_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
            "occurred_at",
        ),
        ({"country": "ZZ"}, "country"),
        ({"country": "CN"}, "country"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_reported(client, applicant, changes, field):
    client.force_login(applicant)
    answer = client.post(REPORT, form_data(**changes))
    assert answer.status_code == 400
    assert answer.context["form"].errors[field]
    assert b"Two staff robbed" in answer.content or field == "title"  # what was typed stays
    assert not Incident.objects.exists()


def test_a_person_of_another_organisation_cannot_be_named(client, applicant, other_applicant):
    stranger = PersonFactory(organization=other_applicant.organization)
    client.force_login(applicant)
    client.post(REPORT, form_data(**{f"person_{stranger.pk}": "injured"}))
    assert not Incident.objects.get().people.exists()  # not a field of the form: ignored


def test_a_second_report_of_the_same_incident_names_the_first(client, applicant):
    first = report(applicant)
    client.force_login(applicant)
    answer = client.post(REPORT, form_data())
    assert answer.status_code == 409
    assert first.reference in answer.content.decode()
    assert url("incident_detail", first) in answer.content.decode()
    assert Incident.objects.count() == 1


def test_the_office_enters_calls_in_the_back_office_not_here(client, officer, leader):
    client.force_login(officer)
    assert client.get(REPORT)["Location"] == "/admin/overseas_safety/incident/add/"
    client.force_login(leader)
    assert client.get(REPORT)["Location"] == "/admin/overseas_safety/incident/"


def test_another_organisations_incident_and_files_answer_404(client, applicant, other_applicant):
    incident = report(other_applicant)
    entry = incidents.timeline_add(incident=incident, actor=other_applicant, text="Photo", files=[png()])
    attachment = entry.attachments.get()
    client.force_login(applicant)
    assert client.get(url("incident_detail", incident)).status_code == 404
    assert client.get(url("incident_attachment", incident, attachment.pk)).status_code == 404
    assert client.post(url("incident_timeline_add", incident), {"entry-text": "x"}).status_code == 404
    assert incident.timeline.count() == 2


def test_the_organisation_follows_its_incident_adding_to_the_timeline_and_downloading(client, applicant):
    incident = report(applicant)
    person = PersonFactory(organization=applicant.organization)
    client.force_login(applicant)
    answer = client.post(
        url("incident_timeline_add", incident),
        {"entry-text": "Embassy informed.", "entry-files": [png("x.png")]},
    )
    assert answer.status_code == 302
    answer = client.post(
        url("incident_person_set", incident), {"person-person": person.pk, "person-status": "missing"}
    )
    assert answer.status_code == 302
    page = client.get(url("incident_detail", incident)).content.decode()
    assert page.index('data-action="incident.report"') < page.index("Embassy informed.")  # newest last
    assert 'data-status="missing"' in page
    attachment = IncidentAttachment.objects.get(application=incident)
    download = client.get(url("incident_attachment", incident, attachment.pk))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert 'data-transition="acknowledge"' not in page  # the enterprise takes no transition


def test_officer_sees_the_checklist_progress_and_the_actions_of_the_state(client, applicant, officer):
    incident = incidents.incident_transition(incident=report(applicant), actor=officer, name="acknowledge")
    steps = plans.plan_attach(incident=incident, actor=officer, plan=PlanFactory())
    plans.step_tick(step=steps[0], actor=officer)
    client.force_login(officer)
    page = client.get(url("incident_detail", incident)).content.decode()
    assert 'data-testid="progress">1/3' in page
    assert 'data-transition="respond"' in page and 'data-transition="merge"' in page
    assert 'data-testid="resolve-blocked"' in page


def test_officer_merges_a_duplicate_by_its_reference_and_a_stale_action_changes_nothing(
    client, applicant, officer
):
    first = report(applicant)
    second = report(applicant, kind="accident")
    client.force_login(officer)
    transition = url("incident_transition", second)
    answer = client.post(transition, {"name": "merge", "merged_into": "HNAS-0000-00000"})
    assert answer.status_code == 400 and answer.context["actions"]  # the form again, with the error
    answer = client.post(transition, {"name": "merge", "merged_into": first.reference.lower()})
    assert answer.status_code == 302
    second.refresh_from_db()
    assert second.state == State.MERGED and second.merged_into == first
    answer = client.post(transition, {"name": "acknowledge"}, follow=True)
    assert answer.status_code == 200
    second.refresh_from_db()
    assert second.state == State.MERGED


def test_the_list_opens_on_open_incidents_for_the_office_and_on_its_own_for_the_enterprise(
    client, applicant, other_applicant, officer
):
    mine = report(applicant, title="Flood at the camp", kind="disaster")
    closed = report(applicant, title="Old theft", kind="other")
    for name, comment in [("acknowledge", ""), ("respond", ""), ("resolve", "ok"), ("close", "")]:
        closed = incidents.incident_transition(incident=closed, actor=officer, name=name, comment=comment)
    theirs = report(other_applicant, title="Strike at the port", kind="labour")
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert mine.reference in page and theirs.reference in page and closed.reference not in page
    assert closed.reference in client.get(LIST, {"state": "all"}).content.decode()
    client.force_login(applicant)
    page = client.get(LIST).content.decode()
    assert mine.reference in page and closed.reference in page and theirs.reference not in page
    assert b'data-testid="empty-state"' in client.get(LIST, {"search": theirs.reference}).content


def test_the_list_keeps_its_queries_flat(client, officer, applicant, django_assert_max_num_queries):
    report(applicant)
    client.force_login(officer)
    client.get(LIST)
    for n in range(4):
        report(applicant, kind=["accident", "health", "disaster", "labour"][n])
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
