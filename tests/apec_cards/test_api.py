"""/api/v1/apec-cards/ (CONTRACT.md): applications, transitions, pre-clearances, cards, economies."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from apec_cards.models import Card, CardApplication
from apec_cards.workflow import CardState, State
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import StateConflict
from tests.conftest import on_postgresql
from tests.factories import office_user

from .helpers import card_person, decide, draft, issued_card, pdf_upload, png_upload, run, to_preclearance

pytestmark = pytest.mark.django_db
APPLICATIONS = "/api/v1/apec-cards/applications/"
CARDS = "/api/v1/apec-cards/cards/"


def _create(client, person, **extra):
    return client.post(
        APPLICATIONS,
        {
            "person": person.pk,
            "kind": "new",
            "justification": "开拓东盟市场，每年多次赴APEC经济体洽谈。",
            **extra,
        },
        format="json",
    )


def test_create_defaults_to_every_pre_clearing_economy(api_as, applicant):
    person = card_person(applicant.organization)
    response = _create(api_as(applicant), person)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("ABTC-")
    assert body["state"] == "draft"
    assert body["available_transitions"] == ["submit", "withdraw"]
    assert len(body["economies"]) == 18 and "CN" not in body["economies"] and "US" not in body["economies"]
    assert body["passport_number"] == person.passport_number
    assert body["card"] is None


def test_create_refuses_bad_input_with_field_errors(api_as, applicant, other_organization):
    client = api_as(applicant)
    stranger = card_person(other_organization)
    response = _create(client, stranger)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "person"

    response = _create(client, card_person(applicant.organization), economies=["CA", "AU"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "economies"
    assert "CA" in response.json()["errors"][0]["message"]

    response = client.post(APPLICATIONS, {"kind": "lost"}, format="json")
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} >= {"person", "kind", "justification"}
    assert CardApplication.objects.count() == 0


def test_office_staff_cannot_create(api_as, officer, organization):
    response = _create(api_as(officer), card_person(organization))
    assert response.status_code == 403


def test_attachments_are_checked_by_content(api_as, applicant):
    client = api_as(applicant)
    application_id = _create(client, card_person(applicant.organization)).json()["id"]
    url = f"{APPLICATIONS}{application_id}/attachments/"
    assert client.post(url, {"kind": "passport", "file": pdf_upload()}, format="multipart").status_code == 201
    assert (
        client.post(url, {"kind": "photo", "file": pdf_upload("photo.pdf")}, format="multipart").status_code
        == 400
    )
    fake = png_upload()
    fake.file.write(b"")
    fake = type(fake)("photo.png", b"not an image", content_type="image/png")
    assert client.post(url, {"kind": "photo", "file": fake}, format="multipart").status_code == 400
    assert client.post(url, {"kind": "photo", "file": png_upload()}, format="multipart").status_code == 201
    precheck = client.get(f"{APPLICATIONS}{application_id}/precheck/").json()
    assert [finding["code"] for finding in precheck if finding["severity"] == "error"] == []


def test_the_whole_journey_through_the_api(api_as, applicant, liaison, officer):
    person = card_person(applicant.organization)
    application = draft(applicant, person, economies=["AU", "JP"])
    url = f"{APPLICATIONS}{application.pk}/"
    assert api_as(applicant).post(f"{url}submit/").json()["state"] == "submitted"
    assert api_as(liaison).post(f"{url}endorse/", {"comment": "同意推荐"}).json()["state"] == "endorsed"
    body = api_as(officer).post(f"{url}start_review/").json()
    assert body["state"] == "in_review" and body["assigned_officer"] == officer.username
    body = api_as(officer).post(f"{url}request_preclearance/").json()
    assert body["state"] == "pre_clearance"
    assert {row["economy"]: row["decision"] for row in body["preclearances"]} == {
        "AU": "pending",
        "JP": "pending",
    }
    assert "issue" not in body["available_transitions"]

    today = timezone.localdate().isoformat()
    response = api_as(officer).post(
        f"{url}preclearances/", {"economy": "AU", "decision": "approved", "decided_on": today}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert "issue" in response.json()["available_transitions"]
    body = api_as(officer).post(f"{url}issue/").json()
    assert body["state"] == "issued" and body["card"]

    card = api_as(applicant).get(f"{CARDS}{body['card']}/").json()
    assert card["state"] == "active"
    assert [economy["code"] for economy in card["economies"]] == ["AU"]
    assert card["holder"]["full_name"] == person.full_name
    assert card["available_transitions"] == ["report_lost"]
    assert {"number", "issued_on", "expires_on", "decision_letter_url", "verify_url"} <= set(card)

    # Japan answers later: the card gains it.
    api_as(officer).post(
        f"{url}preclearances/", {"economy": "jp", "decision": "approved", "decided_on": today}, format="json"
    )
    card = api_as(applicant).get(f"{CARDS}{body['card']}/").json()
    assert [economy["code"] for economy in card["economies"]] == ["AU", "JP"]

    history = api_as(applicant).get(f"{url}history/").json()
    assert [event["action"] for event in history][-3:] == [
        "card_application.preclearance",
        "card_application.issue",
        "card_application.preclearance",
    ]


def test_refusals_have_the_contract_shapes(api_as, applicant, liaison, officer):
    application = draft(applicant, card_person(applicant.organization), attach=False)
    url = f"{APPLICATIONS}{application.pk}/"
    response = api_as(applicant).post(f"{url}submit/")
    assert response.status_code == 400
    assert {error["code"] for error in response.json()["errors"]} == {
        "passport_page_missing",
        "photo_missing",
    }
    assert api_as(officer).post(f"{url}submit/").status_code == 403
    response = api_as(liaison).post(f"{url}endorse/")
    assert response.status_code == 409
    assert response.json()["state"] == "draft" and response.json()["available_transitions"] == [
        "submit",
        "withdraw",
    ]
    response = api_as(officer).post(
        f"{url}preclearances/",
        {"economy": "AU", "decision": "approved", "decided_on": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 409
    response = api_as(officer).post(
        f"{url}preclearances/", {"economy": "AU", "decision": "maybe"}, format="json"
    )
    assert response.status_code == 400
    assert api_as(officer).post(f"{url}no_such_thing/").status_code == 404


def test_preclearance_by_non_officer_is_forbidden(api_as, applicant, liaison, officer):
    application = to_preclearance(
        draft(applicant, card_person(applicant.organization)),
        applicant=applicant,
        liaison=liaison,
        officer=officer,
    )
    response = api_as(liaison).post(
        f"{APPLICATIONS}{application.pk}/preclearances/",
        {"economy": "AU", "decision": "approved", "decided_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 403


def test_other_organisations_see_nothing(api_as, applicant, liaison, officer, other_applicant):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    client = api_as(other_applicant)
    assert client.get(APPLICATIONS).json()["count"] == 0
    assert client.get(CARDS).json()["count"] == 0
    assert client.get(f"{APPLICATIONS}{card.application_id}/").status_code == 404
    assert client.get(f"{CARDS}{card.pk}/").status_code == 404
    assert client.post(f"{CARDS}{card.pk}/report_lost/").status_code == 404
    assert client.get(f"{CARDS}{card.pk}/letter/").status_code == 404
    assert api_as(officer).get(CARDS).json()["count"] == 1
    assert api_as(applicant).get(CARDS).json()["count"] == 1


def test_report_lost_and_cancel(api_as, applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    url = f"{CARDS}{card.pk}/"
    assert api_as(applicant).post(f"{url}cancel/", {"comment": "离职"}).status_code == 403
    response = api_as(liaison).post(f"{url}cancel/")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "comment"
    body = api_as(applicant).post(f"{url}report_lost/", {"comment": "出差途中遗失"}).json()
    assert body["state"] == "reported_lost" and body["end_reason"] == "出差途中遗失"
    response = api_as(applicant).post(f"{url}report_lost/")
    assert response.status_code == 409
    body = api_as(officer).post(f"{url}cancel/", {"comment": "挂失后注销"}).json()
    assert body["state"] == "cancelled" and body["available_transitions"] == []


def test_card_filters(api_as, applicant, liaison, officer):
    short = card_person(applicant.organization)
    soon = issued_card(applicant=applicant, liaison=liaison, officer=officer, person=short, approve=("SG",))
    Card.objects.filter(pk=soon.pk).update(expires_on=timezone.localdate() + timedelta(days=100))
    later = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU",))
    client = api_as(officer)

    def numbers(query):
        return [card["number"] for card in client.get(f"{CARDS}?{query}").json()["results"]]

    assert numbers("expiry=6m") == [soon.number]
    assert numbers("expiry=later") == [later.number]
    assert numbers("economy=au") == [later.number]
    assert numbers(f"search={short.full_name}") == [soon.number]
    assert numbers(f"search={later.passport_number}") == [later.number]
    assert client.get(f"{CARDS}?expiry=soon").status_code == 400


def test_application_filters(api_as, applicant, liaison, officer):
    waiting = to_preclearance(
        draft(applicant, card_person(applicant.organization), economies=["AU", "JP"]),
        applicant=applicant,
        liaison=liaison,
        officer=officer,
    )
    decide(waiting, officer, "AU")
    other = draft(applicant, card_person(applicant.organization))
    client = api_as(officer)

    def references(query):
        return [row["reference"] for row in client.get(f"{APPLICATIONS}?{query}").json()["results"]]

    assert references("economy_pending=JP") == [waiting.reference]
    assert references("economy_pending=AU") == []
    assert references("state=draft") == [other.reference]
    row = client.get(f"{APPLICATIONS}?state=pre_clearance").json()["results"][0]
    assert (row["economies_approved"], row["economies_pending"]) == (1, 1)


def test_list_queries_do_not_grow_with_rows(
    api_as, applicant, liaison, officer, django_assert_max_num_queries
):
    for _ in range(3):
        issued_card(applicant=applicant, liaison=liaison, officer=officer)
    client = api_as(officer)
    with django_assert_max_num_queries(8):
        assert client.get(APPLICATIONS).json()["count"] == 3
    with django_assert_max_num_queries(8):
        assert client.get(CARDS).json()["count"] == 3
    for _ in range(6):
        issued_card(applicant=applicant, liaison=liaison, officer=officer)
    with django_assert_max_num_queries(8):
        assert client.get(APPLICATIONS).json()["count"] == 9
    with django_assert_max_num_queries(8):
        assert client.get(CARDS).json()["count"] == 9


def test_economies_are_public(api_client):
    body = api_client.get("/api/v1/apec-cards/economies/").json()
    assert len(body) == 21
    by_code = {row["code"]: row for row in body}
    assert by_code["CN"]["is_home"] and not by_code["CN"]["pre_clears"]
    assert by_code["US"]["participation"] == "transitional"
    assert by_code["TW"]["name_en"] == "Chinese Taipei"
    assert sum(row["pre_clears"] for row in body) == 18


def test_letter_download(api_as, applicant, liaison, officer, django_capture_on_commit_callbacks):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    assert api_as(applicant).get(f"{CARDS}{card.pk}/").json()["decision_letter_url"] is None
    assert api_as(applicant).get(f"{CARDS}{card.pk}/letter/").status_code == 404
    from apec_cards.services import letter_render

    letter_render(card_id=card.pk)
    body = api_as(applicant).get(f"{CARDS}{card.pk}/").json()
    assert body["decision_letter_url"].endswith(f"/api/v1/apec-cards/cards/{card.pk}/letter/")
    response = api_as(applicant).get(f"{CARDS}{card.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_give_one_card(organization):
    if not on_postgresql():
        pytest.skip("parallel row locks need PostgreSQL; SQLite serialises writers")
    from tests.factories import enterprise_user

    applicant = enterprise_user(organization)
    liaison = enterprise_user(organization, liaison=True)
    officers = [office_user(Role.OFFICER), office_user(Role.OFFICER)]
    application = to_preclearance(
        draft(applicant, card_person(organization)), applicant=applicant, liaison=liaison, officer=officers[0]
    )
    decide(application, officers[0], "AU")
    barrier = threading.Barrier(2)
    outcomes = []

    def issue(officer):
        try:
            barrier.wait()
            run(application, officer, "issue")
            outcomes.append("issued")
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "issued"]
    assert Card.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="card_application.issue").count() == 1
    assert CardApplication.objects.get(pk=application.pk).state == State.ISSUED
    assert Card.objects.get(application=application).state == CardState.ACTIVE


def test_patch_changes_a_draft_and_refuses_after_submission(api_as, applicant, officer):
    application = draft(applicant, card_person(applicant.organization))
    url = f"{APPLICATIONS}{application.pk}/"
    body = api_as(applicant).patch(
        url, {"economies": ["NZ", "SG"], "travel_history": "2026-05 新西兰"}, format="json"
    )
    assert body.status_code == 200, body.json()
    assert body.json()["economies"] == ["NZ", "SG"] and body.json()["travel_history"] == "2026-05 新西兰"
    assert api_as(officer).patch(url, {"travel_history": "x"}, format="json").status_code == 403
    api_as(applicant).post(f"{url}submit/")
    response = api_as(applicant).patch(url, {"travel_history": "x"}, format="json")
    assert response.status_code == 409 and response.json()["state"] == "submitted"
