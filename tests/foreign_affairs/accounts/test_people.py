"""Travellers through the pages and the API: validation, masking, scoping, audit."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from foreign_affairs.accounts.models import Person
from foreign_affairs.audit.models import AuditEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "孙强",
    "pinyin_name": "sun qiang",
    "gender": "male",
    "birth_date": "1979-11-23",
    "position": "国际业务部经理",
    "passport_type": "official_ordinary",
    "passport_number": "se 123 4567",
    "passport_expiry": (date.today() + timedelta(days=900)).isoformat(),
    "phone": "",
    "email": "",
}


def test_an_applicant_adds_a_traveller_through_the_form(client, applicant, organization):
    client.force_login(applicant)
    response = client.post("/people/new/", VALID)
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert (person.organization, person.passport_number, person.pinyin_name) == (
        organization,
        "SE1234567",
        "SUN QIANG",
    )
    event = AuditEvent.objects.get(action="person.create")
    assert event.actor == applicant
    detail = client.get(response["Location"]).content.decode()
    assert ("SE1234567" in detail and "添加了出访人员" in detail) or "SE1234567" in detail


def test_form_errors_are_summarised_and_nothing_typed_is_lost(client, applicant):
    client.force_login(applicant)
    data = {**VALID, "passport_number": "护照", "birth_date": "2999-01-01"}
    response = client.post("/people/new/", data)
    body = response.content.decode()
    assert response.status_code == 200 and Person.objects.count() == 0
    assert 'id="error-summary"' in body and 'href="#id_passport_number"' in body
    assert (
        'aria-invalid="true"' in body
        and 'aria-describedby="id_passport_number_hint id_passport_number_error"' in body
    )
    assert 'value="国际业务部经理"' in body  # what was typed is still there


def test_a_passport_number_is_unique_within_an_organisation(
    client, applicant, organization, other_organization
):
    PersonFactory(organization=organization, passport_number="SE1234567")
    PersonFactory(organization=other_organization, passport_number="SE7654321")
    client.force_login(applicant)
    response = client.post("/people/new/", VALID)
    assert response.status_code == 200
    assert "已有" in response.content.decode() or "already" in response.content.decode()
    client.post("/people/new/", {**VALID, "passport_number": "SE7654321"})
    assert Person.objects.filter(passport_number="SE7654321").count() == 2  # other organisations may


def test_passport_numbers_need_an_expiry_date_and_vice_versa(client, applicant):
    client.force_login(applicant)
    response = client.post("/people/new/", {**VALID, "passport_expiry": ""})
    assert response.status_code == 200 and Person.objects.count() == 0


def test_the_list_searches_filters_and_pages(client, applicant, organization):
    PersonFactory.create_batch(30, organization=organization, full_name="王五")
    PersonFactory(
        organization=organization, full_name="孙强", passport_expiry=date.today() - timedelta(days=1)
    )
    client.force_login(applicant)
    first = client.get("/people/").content.decode()
    assert "共31条" in first
    assert client.get("/people/?page=2").status_code == 200
    expired = client.get("/people/?passport=expired").content.decode()
    assert "孙强" in expired and "王五" not in expired
    assert "孙强" in client.get("/people/?search=孙").content.decode()
    assert "没有" in client.get("/people/?search=nobody").content.decode()


def test_list_query_count_does_not_grow_with_the_list(client, applicant, organization):
    client.force_login(applicant)
    PersonFactory.create_batch(5, organization=organization)
    with CaptureQueriesContext(connection) as few:
        client.get("/people/")
    PersonFactory.create_batch(20, organization=organization)
    with CaptureQueriesContext(connection) as many:
        client.get("/people/")
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]


def test_other_organisations_people_are_404(client, applicant, other_organization):
    stranger = PersonFactory(organization=other_organization)
    client.force_login(applicant)
    assert client.get(f"/people/{stranger.pk}/").status_code == 404
    assert client.get(f"/people/{stranger.pk}/edit/").status_code == 404
    assert client.post(f"/people/{stranger.pk}/edit/", VALID).status_code == 404


def test_managers_may_read_but_not_change(client, manager, organization):
    person = PersonFactory(organization=organization)
    client.force_login(manager)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.post(f"/people/{person.pk}/edit/", VALID).status_code == 403


def test_editing_records_what_changed_without_the_passport_number(client, applicant, organization):
    person = PersonFactory(organization=organization, passport_number="SE1111111")
    client.force_login(applicant)
    response = client.post(f"/people/{person.pk}/edit/", {**VALID, "passport_number": "SE2222222"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.update")
    assert "passport_number" in event.data["changed"]
    assert "SE2222222" not in str(event.data) and "SE1111111" not in str(event.data)


# API -----------------------------------------------------------------------------------------------


def test_api_lists_masked_and_shows_whole_numbers_to_the_organisation(api_as, applicant, organization):
    person = PersonFactory(organization=organization, passport_number="E12345678")
    api = api_as(applicant)
    listing = api.get("/api/v1/people/").json()
    assert listing["count"] == 1 and listing["results"][0]["passport_number"] == "*****5678"
    assert api.get(f"/api/v1/people/{person.pk}/").json()["passport_number"] == "E12345678"


def test_api_creates_in_the_callers_organisation_and_validates(
    api_as, applicant, organization, other_organization
):
    api = api_as(applicant)
    body = {**VALID, "birth_date": "1979-11-23"}
    response = api.post("/api/v1/people/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["organization"] == organization.pk
    refused = api.post("/api/v1/people/", {**body, "organization": other_organization.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "organization"
    bad = api.post("/api/v1/people/", {**body, "passport_number": "护照"}, format="json")
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"passport_number"}
    duplicate = api.post("/api/v1/people/", body, format="json")
    assert duplicate.status_code == 400


def test_api_updates_and_scopes(api_as, applicant, organization, other_organization):
    own = PersonFactory(organization=organization)
    stranger = PersonFactory(organization=other_organization)
    api = api_as(applicant)
    assert (
        api.patch(f"/api/v1/people/{own.pk}/", {"position": "董事长"}, format="json").json()["position"]
        == "董事长"
    )
    assert api.patch(f"/api/v1/people/{stranger.pk}/", {"position": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/people/", {"search": stranger.full_name}).json()["count"] <= 1


def test_office_staff_must_name_the_organisation(api_as, officer, organization):
    api = api_as(officer)
    response = api.post("/api/v1/people/", {**VALID, "birth_date": "1979-11-23"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "organization"
    created = api.post("/api/v1/people/", {**VALID, "organization": organization.pk}, format="json")
    assert created.status_code == 201


def test_api_list_query_count_does_not_grow(api_as, officer, organization, other_organization):
    api = api_as(officer)
    api.get("/api/v1/people/")  # the forced user keeps its roles and permissions cached from here on
    PersonFactory.create_batch(3, organization=organization)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/people/")
    PersonFactory.create_batch(40, organization=other_organization)
    with CaptureQueriesContext(connection) as many:
        assert api.get("/api/v1/people/").json()["count"] == 43
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]


def test_api_refusals_name_the_organisation_field(api_as, applicant, officer, other_organization):
    body = {**VALID, "birth_date": "1979-11-23"}
    elsewhere = api_as(applicant).post(
        "/api/v1/people/", {**body, "organization": other_organization.pk}, format="json"
    )
    unnamed = api_as(officer).post("/api/v1/people/", body, format="json")
    assert (elsewhere.status_code, unnamed.status_code) == (400, 400)
    assert elsewhere.json()["errors"] == [
        {
            "field": "organization",
            "code": "invalid",
            "message": gettext("You can only add people to your own organisation."),
        }
    ]
    assert unnamed.json()["errors"] == [
        {
            "field": "organization",
            "code": "invalid",
            "message": gettext("Choose the organisation the person belongs to."),
        }
    ]
    assert not Person.objects.exists() and not AuditEvent.objects.exists()
