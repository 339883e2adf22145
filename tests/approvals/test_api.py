"""`/api/v1/travel-applications/` as CONTRACT.md describes it."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import TravelApplication
from foreign_affairs.accounts.models import Person
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory
from tests.foreign_affairs.documents.conftest import pdf_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/travel-applications/"


def _body(people, departure=None):
    departure = departure or timezone.localdate() + timedelta(days=60)
    return {
        "title": "赴德国、法国商务考察",
        "purpose": "洽谈港口物流合作",
        "mission_type": "business_negotiation",
        "belt_and_road": True,
        "budget_amount": "86000.00",
        "budget_currency": "EUR",
        "funding_source": "own_funds",
        "legs": [
            {
                "country": "DE",
                "city": "汉堡",
                "arrive_on": departure.isoformat(),
                "leave_on": (departure + timedelta(days=3)).isoformat(),
                "host_organization": "HHLA",
            },
            {
                "country": "FR",
                "city": "里昂",
                "arrive_on": (departure + timedelta(days=4)).isoformat(),
                "leave_on": (departure + timedelta(days=5)).isoformat(),
                "host_organization": "Lyon Expo",
            },
        ],
        "members": [
            {"person": people[0].pk, "position_on_trip": "团长", "is_leader": True},
            {"person": people[1].pk, "position_on_trip": "团员"},
            {
                "full_name": "周婷",
                "passport_number": "E 9988 7766",
                "position_on_trip": "翻译",
                "passport_expiry": (departure + timedelta(days=900)).isoformat(),
                "gender": "female",
            },
        ],
    }


def test_create_a_draft_with_legs_and_members(api_as, applicant, organization):
    people = PersonFactory.create_batch(2, organization=organization)
    response = api_as(applicant).post(URL, _body(people), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith(f"HNFA-{timezone.localdate().year}-") and len(body["reference"]) == 16
    assert body["state"] == "draft" and body["available_transitions"] == ["submit", "withdraw"]
    assert (body["departure_date"], body["days_abroad"], body["countries"]) == (
        _body(people)["legs"][0]["arrive_on"],
        6,
        ["DE", "FR"],
    )
    assert [m["full_name"] for m in body["members"]] == [people[0].full_name, people[1].full_name, "周婷"]
    new_person = Person.objects.get(passport_number="E99887766")
    assert new_person.organization == organization  # created in the caller's organisation
    assert {"code": "invitation_letter", "severity": "error"}.items() <= body["rule_results"][0].items()


def test_a_member_given_by_passport_is_found_not_duplicated(api_as, applicant, organization):
    existing = PersonFactory(organization=organization, passport_number="E12345678")
    people = PersonFactory.create_batch(2, organization=organization)
    body = _body(people)
    body["members"][2].update(full_name="别名", passport_number="e1234 5678")
    response = api_as(applicant).post(URL, body, format="json")
    assert response.status_code == 201
    assert response.json()["members"][2]["person"] == existing.pk
    assert Person.objects.filter(passport_number="E12345678").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["legs"][0].update(leave_on="2020-01-01"), "legs[0].leave_on"),
        (lambda b: b["legs"][0].update(country="XX"), "legs[0].country"),
        (lambda b: b["members"][2].pop("passport_expiry"), "members[2]"),
        (lambda b: b.update(mission_type="holiday"), "mission_type"),
        (lambda b: b.update(budget_amount="-5"), "budget_amount"),
    ],
)
def test_bad_input_gets_field_errors_and_creates_nothing(api_as, applicant, organization, change, field):
    body = _body(PersonFactory.create_batch(2, organization=organization))
    change(body)
    response = api_as(applicant).post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in {error.get("field") for error in response.json()["errors"]}
    assert not TravelApplication.objects.exists()


def test_members_must_belong_to_the_organisation(api_as, applicant, organization, other_organization):
    stranger = PersonFactory(organization=other_organization)
    body = _body([stranger, PersonFactory(organization=organization)])
    response = api_as(applicant).post(URL, body, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "members"
    assert not TravelApplication.objects.exists()


def test_office_staff_and_managers_cannot_create(api_as, officer, manager, organization):
    body = _body(PersonFactory.create_batch(2, organization=organization))
    assert api_as(officer).post(URL, body, format="json").status_code == 403
    assert api_as(manager).post(URL, body, format="json").status_code == 403


def test_patch_only_in_draft_or_returned(api_as, applicant, officer, organization):
    draft = ApplicationFactory(organization=organization)
    api = api_as(applicant)
    response = api.patch(
        f"{URL}{draft.pk}/",
        {
            "title": "改期后的考察",
            "legs": [
                {
                    "country": "JP",
                    "city": "东京",
                    "arrive_on": (timezone.localdate() + timedelta(days=70)).isoformat(),
                    "leave_on": (timezone.localdate() + timedelta(days=73)).isoformat(),
                    "host_organization": "JETRO",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["countries"], response.json()["days_abroad"]) == (
        "改期后的考察",
        ["JP"],
        4,
    )
    assert len(response.json()["members"]) == 3  # members were not given, so they stay
    in_review = ApplicationFactory(organization=organization, in_review=True)
    conflict = api.patch(f"{URL}{in_review.pk}/", {"title": "x"}, format="json")
    assert conflict.status_code == 409 and conflict.json()["state"] == "in_review"
    assert api_as(officer).patch(f"{URL}{draft.pk}/", {"title": "x"}, format="json").status_code == 403


def test_other_organisations_get_404_everywhere(api_as, other_applicant, organization):
    application = ApplicationFactory(organization=organization)
    api = api_as(other_applicant)
    for path in ["", "precheck/", "history/"]:
        assert api.get(f"{URL}{application.pk}/{path}").status_code == 404
    assert api.patch(f"{URL}{application.pk}/", {"title": "x"}, format="json").status_code == 404
    assert api.post(f"{URL}{application.pk}/withdraw/", {}, format="json").status_code == 404
    assert api.get(URL).json()["count"] == 0


def test_attachments_are_validated_and_count_for_the_rules(api_as, applicant, organization):
    application = ApplicationFactory(organization=organization, trip=False)
    api = api_as(applicant)
    before = {r["code"] for r in api.get(f"{URL}{application.pk}/precheck/").json()}
    assert "invitation_letter" in before
    refused = api.post(
        f"{URL}{application.pk}/attachments/",
        {"kind": "invitation", "file": SimpleUploadedFile("letter.pdf", b"not a pdf")},
        format="multipart",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "file_type"
    added = api.post(
        f"{URL}{application.pk}/attachments/",
        {"kind": "invitation", "file": SimpleUploadedFile("邀请函.pdf", pdf_bytes())},
        format="multipart",
    )
    assert added.status_code == 201, added.json()
    assert added.json()["name"] == "邀请函.pdf" and api.get(added.json()["download_url"]).status_code == 200
    after = {r["code"] for r in api.get(f"{URL}{application.pk}/precheck/").json()}
    assert "invitation_letter" not in after


def test_history_lists_the_audit_events(api_as, applicant, liaison, organization):
    application = ApplicationFactory(organization=organization)
    api_as(applicant).post(f"{URL}{application.pk}/submit/", {}, format="json")
    api_as(liaison).post(f"{URL}{application.pk}/return_for_changes/", {"comment": "补充日程"}, format="json")
    history = api_as(applicant).get(f"{URL}{application.pk}/history/").json()
    assert [(h["action"], h["from_state"], h["to_state"], h["comment"]) for h in history] == [
        ("travel_application.submit", "draft", "submitted", ""),
        ("travel_application.return_for_changes", "submitted", "returned", "补充日程"),
    ]
    assert history[1]["actor"] == liaison.username


def test_filters_and_search(api_as, officer, organization, other_organization):
    early = ApplicationFactory(
        organization=organization, in_review=True, trip__departure=timezone.localdate() + timedelta(days=50)
    )
    late = ApplicationFactory(
        organization=other_organization,
        approved=True,
        trip__departure=timezone.localdate() + timedelta(days=90),
    )
    api = api_as(officer)

    def ids(**params):
        return {row["id"] for row in api.get(URL, params).json()["results"]}

    assert ids() == {early.pk, late.pk}
    assert ids(state="in_review") == {early.pk}
    assert ids(organization=other_organization.pk) == {late.pk}
    assert ids(country="de") == {early.pk, late.pk} and ids(country="JP") == set()
    assert ids(departure_date_after=(timezone.localdate() + timedelta(days=60)).isoformat()) == {late.pk}
    assert ids(departure_date_before=(timezone.localdate() + timedelta(days=60)).isoformat()) == {early.pk}
    member = early.members.first().person
    assert ids(search=member.full_name) >= {early.pk}
    assert ids(search=member.passport_number) == {early.pk}
    assert ids(search=late.reference) == {late.pk}


def test_list_query_count_does_not_grow(api_as, officer, organization):
    api = api_as(officer)
    ApplicationFactory.create_batch(10, organization=organization, in_review=True)
    api.get(URL)
    with CaptureQueriesContext(connection) as few:
        api.get(URL, {"page_size": 100})
    ApplicationFactory.create_batch(190, organization=organization, submitted=True, trip=False)
    with CaptureQueriesContext(connection) as many:
        assert api.get(URL, {"page_size": 100}).json()["count"] == 200
    assert len(many) == len(few)


def test_the_detail_shows_whole_passport_numbers_to_the_organisation(api_as, applicant, organization):
    application = ApplicationFactory(organization=organization)
    member = application.members.first().person
    detail = api_as(applicant).get(f"{URL}{application.pk}/").json()
    assert detail["members"][0]["passport_number"] == member.passport_number


def test_officers_assign_through_the_api(api_as, officer, applicant, organization):
    application = ApplicationFactory(organization=organization, in_review=True)
    taken = api_as(officer).post(f"{URL}{application.pk}/assign/", {"officer": officer.pk}, format="json")
    assert taken.status_code == 200 and taken.json()["assigned_officer"] == officer.username
    assert (
        api_as(officer)
        .post(f"{URL}{application.pk}/assign/", {"officer": applicant.pk}, format="json")
        .status_code
        == 400
    )
    assert (
        api_as(applicant).post(f"{URL}{application.pk}/assign/", {"officer": None}, format="json").status_code
        == 403
    )
