"""`/api/v1/exchanges/`: activities (the office in full, the enterprise visited as a visit, nobody else),
their lifecycle with its 400/403/409, agenda, checklist, outcomes, documents, travel applications, programme
and history; journalists' interview requests (public, throttled with the page; the office arranges them);
friendship cities read publicly with their health and its reasons; overseas-Chinese contacts for the office
only, each look at one logged, exported and erased; lists whose queries do not grow with their length."""

import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image
from pypdf import PdfReader
from rest_framework.test import APIClient

from exchanges import limits, programme
from exchanges.models import Activity, ContactAccess, MediaRequest, OverseasContact
from exchanges.services import activities as activity_services
from exchanges.services import cities as city_services
from exchanges.services import media as media_services
from exchanges.workflow import State
from foreign_affairs.accounts.models import User
from foreign_affairs.audit.models import AuditEvent
from tests.approvals.factories import ApplicationFactory
from tests.foreign_affairs.test_api_schema import assert_answer_matches

from .factories import (
    ACTIVITY,
    CITY,
    CONTACT,
    MEDIA_REQUEST,
    activity,
    city,
    contact,
    days,
    media_request,
    run,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/exchanges/"
ACTIVITIES = f"{API}activities/"
MEDIA = f"{API}media-requests/"
CITIES = f"{API}friendship-cities/"
CONTACTS = f"{API}contacts/"

VISIT_KEYS = {
    "shape",
    "id",
    "reference",
    "kind",
    "direction",
    "state",
    "title",
    "title_zh",
    "title_en",
    "summary",
    "summary_zh",
    "summary_en",
    "ftz_areas",
    "starts_on",
    "ends_on",
    "city",
    "venue",
    "country",
    "country_name",
    "foreign_organisation",
    "head_name",
    "head_title",
    "head_rank",
    "members",
    "delegation_size",
    "hosts",
    "zone_presented",
    "briefing_by",
    "materials",
    "focus",
    "friendship_city",
    "friendship_city_name",
    "owner_name",
    "agenda",
    "agenda_own_days",
    "url",
    "programme_url",
}
OFFICE_KEYS = {
    "available_transitions",
    "public",
    "owner",
    "enterprises_visited",
    "outcome_summary",
    "outcome_summary_zh",
    "outcome_summary_en",
    "checklist",
    "checklist_total",
    "checklist_done",
    "agreements",
    "follow_ups",
    "coverage",
    "documents",
    "travel_applications",
    "created_at",
    "approved_at",
    "reported_at",
    "state_changed_at",
    "updated_at",
}
CITY_PUBLIC_KEYS = {
    "shape",
    "id",
    "slug",
    "henan_name",
    "henan_name_zh",
    "henan_name_en",
    "foreign_name",
    "foreign_name_zh",
    "foreign_name_en",
    "country",
    "country_name",
    "kind",
    "established_on",
    "description",
    "description_zh",
    "description_en",
    "health",
    "health_label",
    "health_reasons",
    "last_exchange",
    "exchanges_3y",
    "active_projects",
    "next_renewal",
    "agreements",
    "url",
}
CITY_OFFICE_KEYS = {"public", "henan_contact", "foreign_contact", "notes", "created_at", "updated_at"}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def anonymous(address: str = "203.0.113.7") -> APIClient:
    return APIClient(enforce_csrf_checks=True, REMOTE_ADDR=address)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def ids(response) -> list[int]:
    return [item["id"] for item in results(response)]


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def visiting(officer, leader, organization, **overrides):
    """An approved activity that visits `organization`."""
    return run(activity(officer, enterprises_visited=[organization.pk], **overrides), leader, "approve")


def held(officer, leader, **overrides):
    """An activity that started three days ago, approved, confirmed and held."""
    item = run(activity(officer, starts_in=-3, length=5, **overrides), leader, "approve")
    return run(item, officer, "confirm", "hold")


def field_errors(response) -> set:
    return {error.get("field") for error in response.json()["errors"]}


# Activities: who reads what ----------------------------------------------------------------------------


def test_activities_need_an_account(officer):
    item = activity(officer)
    for url in (ACTIVITIES, f"{ACTIVITIES}{item.pk}/", f"{ACTIVITIES}{item.pk}/programme/"):
        answer = anonymous().get(url)
        assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated"
    assert anonymous().post(f"{ACTIVITIES}{item.pk}/approve/", {}, format="json").status_code == 401
    assert anonymous().post(ACTIVITIES, {}, format="json").status_code == 401


@pytest.mark.parametrize("role", ["officer", "leader", "manager"])
def test_office_staff_read_every_activity_in_full(api_as, officer, leader, applicant, role, request):
    staff = request.getfixturevalue(role)
    proposed = activity(officer, enterprises_visited=[applicant.organization.pk])
    other = activity(officer, kind="provincial_exchange", direction="outgoing", title_zh="出访")
    body = assert_answer_matches(api_as(staff).get(ACTIVITIES), ACTIVITIES)
    assert {item["id"] for item in body["results"]} == {proposed.pk, other.pk}
    detail = assert_answer_matches(api_as(staff).get(f"{ACTIVITIES}{proposed.pk}/"), f"{ACTIVITIES}{{id}}/")
    assert set(detail) == VISIT_KEYS | OFFICE_KEYS and detail["shape"] == "full"
    assert detail["kind"] == "dignitary_visit" and detail["state"] == "proposed"
    assert detail["ftz_areas"] == ["zhengzhou"] and detail["focus"] == ["platforms", "connectivity"]
    assert detail["country"] == "DE" and detail["checklist_total"] == 7 and detail["checklist_done"] == 0
    assert [item["kind"] for item in detail["checklist"]][:2] == ["invitation", "arrival"]
    assert detail["enterprises_visited"] == [
        {"id": applicant.organization.pk, "name": applicant.organization.name}
    ]
    assert detail["programme_url"].endswith(f"/api/v1/exchanges/activities/{proposed.pk}/programme/")
    expected = {"officer": ["cancel", "postpone"], "leader": ["approve", "cancel", "postpone"], "manager": []}
    assert detail["available_transitions"] == expected[role]
    # An outgoing delegation has no reception checklist.
    assert api_as(staff).get(f"{ACTIVITIES}{other.pk}/").json()["checklist"] == []


@pytest.mark.parametrize("role", ["applicant", "liaison"])
def test_the_enterprise_visited_reads_its_visits_from_approval_on(
    api_as, officer, leader, applicant, liaison, other_applicant, role, request
):
    member = request.getfixturevalue(role)
    visit = visiting(officer, leader, applicant.organization)
    activity_services.agenda_set(
        activity=visit,
        actor=officer,
        items=[
            {"day": visit.starts_on, "starts_at": "09:30", "title_zh": "参观企业", "title_en": "Site visit"}
        ],
    )
    proposed = activity(officer, enterprises_visited=[applicant.organization.pk])
    elsewhere = visiting(officer, leader, other_applicant.organization)
    body = assert_answer_matches(api_as(member).get(ACTIVITIES), ACTIVITIES)
    assert [item["id"] for item in body["results"]] == [visit.pk]
    detail = assert_answer_matches(api_as(member).get(f"{ACTIVITIES}{visit.pk}/"), f"{ACTIVITIES}{{id}}/")
    assert set(detail) == VISIT_KEYS and detail["shape"] == "visit" and detail["state"] == "approved"
    assert detail["agenda"][0]["starts_at"] == "09:30" and detail["agenda"][0]["title_en"] == "Site visit"
    assert detail["agenda_own_days"] is False and detail["programme_url"] is None
    assert detail["owner_name"] and "checklist" not in detail and "outcome_summary_zh" not in detail
    for hidden in (proposed, elsewhere):
        assert api_as(member).get(f"{ACTIVITIES}{hidden.pk}/").status_code == 404
    assert api_as(member).get(f"{ACTIVITIES}{visit.pk}/history/").status_code == 404
    assert visit.pk not in ids(api_as(other_applicant).get(ACTIVITIES))
    assert api_as(other_applicant).get(f"{ACTIVITIES}{visit.pk}/").status_code == 404
    # Seeing a visit gives no right to change it.
    refused = api_as(member).patch(f"{ACTIVITIES}{visit.pk}/", {"venue": "x"}, format="json")
    assert refused.status_code == 403 and assert_answer_matches(refused, f"{ACTIVITIES}{{id}}/", "patch")
    refused = api_as(member).post(f"{ACTIVITIES}{visit.pk}/confirm/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    item_id = visit.checklist.first().pk
    assert (
        api_as(member)
        .patch(f"{ACTIVITIES}{visit.pk}/checklist/{item_id}/", {"done": True}, format="json")
        .status_code
        == 403
    )
    # A visit cancelled after its approval stays in the list, as cancelled (the enterprise was told).
    run(visit, officer, "cancel", comment="The delegation cancelled its trip.")
    assert [(item["id"], item["state"]) for item in results(api_as(member).get(ACTIVITIES))] == [
        (visit.pk, "cancelled")
    ]


def test_the_enterprise_reads_its_own_days_and_not_whom_else_the_delegation_meets(
    api_as, officer, leader, applicant, other_applicant
):
    ours, theirs = applicant.organization, other_applicant.organization
    visit = activity(officer, enterprises_visited=[ours.pk, theirs.pk], length=2)
    activity_services.agenda_set(
        activity=visit,
        actor=officer,
        items=[
            {"day": visit.starts_on, "starts_at": "09:00", "title_en": "Welcome at the office"},
            {"day": days(11), "starts_at": "09:00", "title_en": f"Visit to {ours.name_en}"},
            {"day": days(11), "starts_at": "14:00", "title_en": "Lunch", "place": theirs.name_zh},
            {"day": days(12), "starts_at": "10:00", "title_en": "Departure"},
        ],
    )
    run(visit, leader, "approve")
    # Before any item names an enterprise, each reads the whole agenda.
    unnamed = activity(officer, enterprises_visited=[ours.pk, theirs.pk], title_zh="未命名")
    activity_services.agenda_set(
        activity=unnamed, actor=officer, items=[{"day": days(10), "starts_at": "09:00", "title_en": "Tour"}]
    )
    run(unnamed, leader, "approve")
    whole = api_as(applicant).get(f"{ACTIVITIES}{unnamed.pk}/").json()
    assert whole["agenda_own_days"] is False and [i["title"] for i in whole["agenda"]] == ["Tour"]
    detail = api_as(applicant).get(f"{ACTIVITIES}{visit.pk}/").json()
    assert detail["agenda_own_days"] is True
    assert [(item["starts_at"], item["ours"], item["withheld"]) for item in detail["agenda"]] == [
        ("09:00", True, False),
        ("14:00", False, True),
    ]
    withheld = detail["agenda"][1]
    assert withheld["title"] == withheld["place"] == "" and theirs.name_zh not in str(detail)
    assert theirs.name_zh not in str(results(api_as(applicant).get(ACTIVITIES)))
    # The other enterprise reads the same day the other way round; the office reads the whole agenda.
    other = api_as(other_applicant).get(f"{ACTIVITIES}{visit.pk}/").json()
    assert [(item["starts_at"], item["ours"], item["withheld"]) for item in other["agenda"]] == [
        ("09:00", False, True),
        ("14:00", True, False),
    ]
    assert ours.name_en not in str(other)
    office = api_as(officer).get(f"{ACTIVITIES}{visit.pk}/").json()
    assert len(office["agenda"]) == 4 and "withheld" not in office["agenda"][0]


def test_filters_of_activities(api_as, officer, leader):
    first = activity(officer)
    second = activity(
        officer,
        kind="overseas_chinese",
        direction="outgoing",
        ftz_areas=["luoyang", "kaifeng"],
        focus=["plans"],
        country="IT",
        title_zh="赴意大利侨领交流",
        title_en="Overseas-Chinese leaders in Milan",
        starts_in=60,
    )
    run(first, leader, "approve")
    office = api_as(officer)
    assert ids(office.get(ACTIVITIES, {"state": "approved"})) == [first.pk]
    assert ids(office.get(ACTIVITIES, {"kind": "overseas_chinese"})) == [second.pk]
    assert ids(office.get(ACTIVITIES, {"direction": "outgoing"})) == [second.pk]
    assert ids(office.get(ACTIVITIES, {"area": "kaifeng"})) == [second.pk]
    assert ids(office.get(ACTIVITIES, {"area": "zhengzhou"})) == [first.pk]
    assert ids(office.get(ACTIVITIES, {"country": "it"})) == [second.pk]
    assert ids(office.get(ACTIVITIES, {"focus": "connectivity"})) == [first.pk]
    assert ids(office.get(ACTIVITIES, {"date_from": days(30).isoformat()})) == [second.pk]
    assert ids(office.get(ACTIVITIES, {"date_to": days(30).isoformat()})) == [first.pk]
    assert ids(
        office.get(ACTIVITIES, {"date_from": days(11).isoformat(), "date_to": days(11).isoformat()})
    ) == [first.pk]
    assert ids(office.get(ACTIVITIES, {"search": "Milan 侨领"})) == [second.pk]
    assert ids(office.get(ACTIVITIES, {"search": second.reference})) == [second.pk]
    assert ids(office.get(ACTIVITIES)) == [second.pk, first.pk]  # latest first
    for bad in ({"state": "nonsense"}, {"area": "shanghai"}, {"date_from": "tomorrow"}, {"page": "0"}):
        answer = office.get(ACTIVITIES, bad)
        assert answer.status_code == 400 and field_errors(answer) == set(bad), bad
        assert_answer_matches(answer, ACTIVITIES)


# Activities: officers write ------------------------------------------------------------------------------


def _body(**overrides) -> dict:
    return {**ACTIVITY, "starts_on": days(10).isoformat(), "ends_on": days(12).isoformat(), **overrides}


def test_an_officer_proposes_and_changes_an_activity(api_as, officer, applicant):
    office = api_as(officer)
    created = office.post(ACTIVITIES, _body(enterprises_visited=[applicant.organization.pk]), format="json")
    assert created.status_code == 201, created.json()
    body = assert_answer_matches(created, ACTIVITIES, "post")
    item = Activity.objects.get(pk=body["id"])
    assert body["reference"] == item.reference and item.reference.startswith("HNEX-")
    assert body["state"] == "proposed" and body["owner"] == officer.pk and body["checklist_total"] == 7
    assert AuditEvent.objects.filter(action="exchange_activity.create").count() == 1
    changed = office.patch(
        f"{ACTIVITIES}{item.pk}/",
        {"venue": "郑州国际会展中心", "focus": ["pivots"], "public": True, "delegation_size": None},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    body = assert_answer_matches(changed, f"{ACTIVITIES}{{id}}/", "patch")
    assert body["venue"] == "郑州国际会展中心" and body["focus"] == ["pivots"] and body["public"] is True
    assert body["delegation_size"] is None and body["title_zh"] == ACTIVITY["title_zh"]
    assert office.delete(f"{ACTIVITIES}{item.pk}/").status_code == 405


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ends_on": days(1).isoformat()}, "ends_on"),
        ({"country": "CN"}, "country"),
        ({"country": "ZZ"}, "country"),
        ({"kind": "party"}, "kind"),
        ({"ftz_areas": ["shanghai"]}, "ftz_areas"),
        ({"focus": "plans"}, "focus"),
        ({"title_zh": "", "title_en": ""}, "title_zh"),
        ({"enterprises_visited": [999999]}, "enterprises_visited"),
        ({"owner": 999999}, "owner"),
        ({"friendship_city": 999999}, "friendship_city"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"title_en": {"x": 1}}, "title_en"),
        ({"delegation_size": -1}, "delegation_size"),
    ],
)
def test_bad_activities_answer_400_and_store_nothing(api_as, officer, changes, field):
    answer = api_as(officer).post(ACTIVITIES, _body(**changes), format="json")
    assert answer.status_code == 400, answer.json()
    assert {error.split("[")[0] for error in field_errors(answer)} == {field}
    assert_answer_matches(answer, ACTIVITIES, "post")
    assert not Activity.objects.exists()


def test_the_officer_in_charge_must_be_an_officer(api_as, officer, manager):
    answer = api_as(officer).post(ACTIVITIES, _body(owner=manager.pk), format="json")
    assert answer.status_code == 400 and field_errors(answer) == {"owner"}


@pytest.mark.parametrize("role", ["leader", "manager", "applicant"])
def test_only_officers_propose_activities(api_as, role, request):
    refused = api_as(request.getfixturevalue(role)).post(ACTIVITIES, {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert not Activity.objects.exists()


# Activities: the lifecycle -------------------------------------------------------------------------------


def test_the_lifecycle_through_the_api(api_as, officer, leader, manager):
    item = activity(officer, starts_in=-2, length=3)
    url = f"{ACTIVITIES}{item.pk}/"
    office, leaders = api_as(officer), api_as(leader)

    refused = office.post(f"{url}approve/", {}, format="json")
    assert refused.status_code == 403
    assert (
        assert_answer_matches(refused, f"{ACTIVITIES}{{id}}/approve/", "post")["code"] == "permission_denied"
    )
    assert api_as(manager).post(f"{url}cancel/", {"comment": "x"}, format="json").status_code == 403

    approved = leaders.post(f"{url}approve/", {"comment": "Agreed."}, format="json")
    assert approved.status_code == 200, approved.json()
    body = assert_answer_matches(approved, f"{ACTIVITIES}{{id}}/approve/", "post")
    assert body["state"] == "approved" and body["approved_at"]

    wrong = office.post(f"{url}hold/", {}, format="json")
    assert wrong.status_code == 409
    conflict = assert_answer_matches(wrong, f"{ACTIVITIES}{{id}}/hold/", "post")
    assert conflict["state"] == "approved" and conflict["available_transitions"] == [
        "cancel",
        "confirm",
        "postpone",
    ]

    for name in ("confirm", "hold"):
        assert office.post(f"{url}{name}/", {}, format="json").status_code == 200

    # Reported requires outcomes: a failed condition answers 400 with its finding.
    refused = office.post(f"{url}report/", {}, format="json")
    assert refused.status_code == 400
    body = assert_answer_matches(refused, f"{ACTIVITIES}{{id}}/report/", "post")
    assert body["code"] == "rules_failed" and body["detail"]
    assert [(e["code"], e["severity"]) for e in body["errors"]] == [("outcomes_missing", "error")]
    assert Activity.objects.get(pk=item.pk).state == State.HELD

    office.patch(url, {"outcome_summary_en": "A memorandum on air cargo was signed."}, format="json")
    reported = office.post(f"{url}report/", {}, format="json")
    assert reported.status_code == 200 and reported.json()["state"] == "reported"
    closed = leaders.post(f"{url}close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["available_transitions"] == []
    refused = office.patch(url, {"venue": "x"}, format="json")
    assert refused.status_code == 409
    assert assert_answer_matches(refused, f"{ACTIVITIES}{{id}}/", "patch")["state"] == "closed"

    history = assert_answer_matches(office.get(f"{url}history/"), f"{ACTIVITIES}{{id}}/history/")
    assert [event["action"] for event in history][-2:] == [
        "exchange_activity.report",
        "exchange_activity.close",
    ]
    assert history[1]["comment"] == "Agreed." and history[1]["to_state"] == "approved"
    assert anonymous().get(f"{url}history/").status_code == 401


def test_postpone_and_cancel_need_a_reason_and_hold_waits_for_the_first_day(api_as, officer, leader):
    item = run(activity(officer), leader, "approve")
    url = f"{ACTIVITIES}{item.pk}/"
    office = api_as(officer)
    no_reason = office.post(f"{url}postpone/", {"comment": "  "}, format="json")
    assert no_reason.status_code == 400 and field_errors(no_reason) == {"comment"}
    assert_answer_matches(no_reason, f"{ACTIVITIES}{{id}}/postpone/", "post")
    run(item, officer, "confirm")
    early = office.post(f"{url}hold/", {}, format="json")
    assert early.status_code == 400 and early.json()["errors"][0]["code"] == "not_started"
    cancelled = api_as(leader).post(f"{url}cancel/", {"comment": "The visit was called off."}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert office.post(f"{url}no-such-step/", {}, format="json").status_code == 404


# Activities: agenda, checklist, outcomes, documents, travel applications ---------------------------------


def test_the_agenda_is_replaced_as_a_whole(api_as, officer, applicant):
    item = activity(officer)
    url = f"{ACTIVITIES}{item.pk}/agenda/"
    office = api_as(officer)
    agenda = [
        {
            "day": days(10).isoformat(),
            "starts_at": "14:00",
            "ends_at": "15:30",
            "title_en": "Briefing on the zone",
        },
        {"day": days(10).isoformat(), "starts_at": "09:00", "title_zh": "欢迎会见", "place": "省外办"},
    ]
    answer = office.put(url, {"agenda": agenda}, format="json")
    assert answer.status_code == 200, answer.json()
    body = assert_answer_matches(answer, f"{ACTIVITIES}{{id}}/agenda/", "put")
    assert [(i["starts_at"], i["title"]) for i in body["agenda"]] == [
        ("09:00", "欢迎会见"),
        ("14:00", "Briefing on the zone"),
    ]
    assert office.put(url, {"agenda": agenda[:1]}, format="json").json()["agenda"][0]["ends_at"] == "15:30"
    assert item.agenda.count() == 1

    outside = office.put(url, {"agenda": [{**agenda[0], "day": days(30).isoformat()}]}, format="json")
    assert outside.status_code == 400 and field_errors(outside) == {"agenda[0].day"}
    assert_answer_matches(outside, f"{ACTIVITIES}{{id}}/agenda/", "put")
    backwards = office.put(url, {"agenda": [{**agenda[0], "ends_at": "13:00"}]}, format="json")
    assert backwards.status_code == 400 and field_errors(backwards) == {"agenda[0].ends_at"}
    untitled = office.put(
        url, {"agenda": [{"day": days(10).isoformat(), "starts_at": "10:00"}]}, format="json"
    )
    assert untitled.status_code == 400 and field_errors(untitled) == {"agenda[0].title_zh"}
    bad_time = office.put(url, {"agenda": [{**agenda[0], "starts_at": "25:99"}]}, format="json")
    assert bad_time.status_code == 400 and field_errors(bad_time) == {"agenda[0].starts_at"}
    assert office.put(url, {"agenda": "none"}, format="json").status_code == 400
    assert item.agenda.count() == 1  # nothing changed on any error
    assert office.put(url, {"agenda": []}, format="json").json()["agenda"] == []
    assert api_as(applicant).put(url, {"agenda": []}, format="json").status_code == 404


def test_checklist_items_are_assigned_and_ticked(api_as, officer, leader, manager, applicant):
    item = activity(officer)
    other = activity(officer, title_zh="另一个活动")
    first = item.checklist.order_by("order").first()
    url = f"{ACTIVITIES}{item.pk}/checklist/{first.pk}/"
    office = api_as(officer)
    assigned = office.patch(
        url, {"assignee": leader.pk, "due_on": days(5).isoformat(), "note": "Embassy"}, format="json"
    )
    assert assigned.status_code == 200, assigned.json()
    body = assert_answer_matches(assigned, f"{ACTIVITIES}{{id}}/checklist/{{item_id}}/", "patch")
    assert body["assignee"] == leader.pk and body["assignee_name"] and body["done"] is False
    assert body["kind"] == "invitation" and body["label"]
    ticked = office.patch(url, {"done": True}, format="json").json()
    assert ticked["done"] is True and ticked["done_at"] and ticked["assignee"] == leader.pk
    assert office.get(f"{ACTIVITIES}{item.pk}/").json()["checklist_done"] == 1
    assert office.patch(url, {"done": False}, format="json").json()["done_at"] is None

    outsider = office.patch(url, {"assignee": applicant.pk}, format="json")
    assert outsider.status_code == 400 and field_errors(outsider) == {"assignee"}
    assert office.patch(url, {"assignee": 999999}, format="json").status_code == 400
    wrong_activity = f"{ACTIVITIES}{other.pk}/checklist/{first.pk}/"
    assert office.patch(wrong_activity, {"done": True}, format="json").status_code == 404
    assert api_as(manager).patch(url, {"done": True}, format="json").status_code == 403
    assert office.get(url).status_code == 405

    added = office.post(
        f"{ACTIVITIES}{item.pk}/checklist/", {"label": "Book the tea ceremony"}, format="json"
    )
    assert added.status_code == 201
    body = assert_answer_matches(added, f"{ACTIVITIES}{{id}}/checklist/", "post")
    assert body["kind"] == "other" and body["label"] == "Book the tea ceremony"
    assert office.post(f"{ACTIVITIES}{item.pk}/checklist/", {"label": " "}, format="json").status_code == 400


def test_outcomes_are_recorded_once_the_activity_is_confirmed(api_as, officer, leader, manager, applicant):
    item = run(activity(officer), leader, "approve")
    url = f"{ACTIVITIES}{item.pk}/"
    office = api_as(officer)
    agreement = {
        "kind": "memorandum",
        "title": "MoU on air cargo",
        "parties": "Henan; Bavaria",
        "signed_on": days(0).isoformat(),
    }
    early = office.post(f"{url}agreements/", agreement, format="json")
    assert early.status_code == 409
    assert assert_answer_matches(early, f"{ACTIVITIES}{{id}}/agreements/", "post")["state"] == "approved"
    task = {"task": "Send the brochure", "owner": officer.pk, "due_on": days(14).isoformat()}
    assert office.post(f"{url}follow-ups/", task, format="json").status_code == 409

    item = run(item, officer, "confirm")
    uploaded = office.post(
        f"{url}documents/", {"kind": "agreement", "file": png("mou.png")}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.json()
    document = assert_answer_matches(uploaded, f"{ACTIVITIES}{{id}}/documents/", "post")
    assert document["kind"] == "agreement" and document["download_url"]
    signed = office.post(f"{url}agreements/", {**agreement, "document": document["id"]}, format="json")
    assert signed.status_code == 201, signed.json()
    body = assert_answer_matches(signed, f"{ACTIVITIES}{{id}}/agreements/", "post")
    assert body["document"] == document["id"] and body["kind"] == "memorandum"
    future = office.post(f"{url}agreements/", {**agreement, "signed_on": days(3).isoformat()}, format="json")
    assert future.status_code == 400 and field_errors(future) == {"signed_on"}

    with_mail = office.post(f"{url}follow-ups/", {**task, "owner": leader.pk}, format="json")
    assert with_mail.status_code == 201
    body = assert_answer_matches(with_mail, f"{ACTIVITIES}{{id}}/follow-ups/", "post")
    assert body["owner"] == leader.pk and body["overdue"] is False
    outsider = office.post(f"{url}follow-ups/", {**task, "owner": applicant.pk}, format="json")
    assert outsider.status_code == 400 and field_errors(outsider) == {"owner"}

    covered = office.post(
        f"{url}coverage/", {"url": "https://news.example.com/henan", "outlet": "Henan Daily"}, format="json"
    )
    assert covered.status_code == 201
    assert assert_answer_matches(covered, f"{ACTIVITIES}{{id}}/coverage/", "post")["outlet"] == "Henan Daily"
    bad = office.post(f"{url}coverage/", {"url": "javascript:alert(1)"}, format="json")
    assert bad.status_code == 400 and field_errors(bad) == {"url"}

    detail = office.get(url).json()
    assert [a["title"] for a in detail["agreements"]] == ["MoU on air cargo"]
    assert [f["task"] for f in detail["follow_ups"]] == ["Send the brochure"]
    assert [c["url"] for c in detail["coverage"]] == ["https://news.example.com/henan"]
    assert [d["id"] for d in detail["documents"]] == [document["id"]]
    assert (
        api_as(manager).post(f"{url}coverage/", {"url": "https://a.example"}, format="json").status_code
        == 403
    )


def test_travel_applications_are_linked_not_copied(api_as, officer, leader, applicant):
    item = activity(officer, direction="outgoing")
    application = ApplicationFactory(organization=applicant.organization, created_by=applicant)
    url = f"{ACTIVITIES}{item.pk}/travel-applications/"
    linked = api_as(officer).post(url, {"application": application.pk}, format="json")
    assert linked.status_code == 200, linked.json()
    body = assert_answer_matches(linked, f"{ACTIVITIES}{{id}}/travel-applications/", "post")
    assert body["travel_applications"] == [
        {
            "id": application.pk,
            "reference": application.reference,
            "title": application.title,
            "state": "draft",
            "departure_date": application.departure_date.isoformat(),
            "return_date": application.return_date.isoformat(),
        }
    ]
    unlinked = api_as(officer).post(url, {"application": application.pk, "linked": False}, format="json")
    assert unlinked.json()["travel_applications"] == []
    missing = api_as(officer).post(url, {"application": 999999}, format="json")
    assert missing.status_code == 400 and field_errors(missing) == {"application"}
    assert api_as(leader).post(url, {"application": application.pk}, format="json").status_code == 403


def test_the_programme_pdf(api_as, officer, leader, applicant, other_applicant):
    visit = visiting(officer, leader, applicant.organization)
    url = f"{ACTIVITIES}{visit.pk}/programme/"
    assert api_as(other_applicant).get(url).status_code == 404
    try:
        programme.render_programme(visit)
    except NotImplementedError:
        # exchanges.programme is still its placeholder: the action passes its refusal on.
        with pytest.raises(NotImplementedError):
            api_as(officer).get(url)
        return
    # Office staff in any state; the enterprise visited once it is confirmed.
    assert api_as(applicant).get(url).status_code == 404
    answer = api_as(officer).get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    run(visit, officer, "confirm")
    assert api_as(applicant).get(f"{ACTIVITIES}{visit.pk}/").json()["programme_url"].endswith(url)
    for user in (officer, applicant):
        answer = api_as(user).get(url)
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF") and len(answer.content) > 500
        assert f"programme-{visit.reference}.pdf" in answer["Content-Disposition"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
        assert visit.reference in text and "Dr. Anna Huber" in text


# Media requests ------------------------------------------------------------------------------------------


def _request_body(**overrides) -> dict:
    return {
        **MEDIA_REQUEST,
        "wished_from": days(20).isoformat(),
        "wished_until": days(25).isoformat(),
        **overrides,
    }


def test_a_journalist_requests_an_interview_without_an_account(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous().post(MEDIA, _request_body(), format="json")
    assert answer.status_code == 201, answer.json()
    body = assert_answer_matches(answer, MEDIA, "post")
    sent = MediaRequest.objects.get()
    assert body == {"reference": sent.reference, "state": "requested"}
    assert sent.language == "en" and sent.outlet_country.code == "FR" and sent.email == MEDIA_REQUEST["email"]
    assert MEDIA_REQUEST["email"] in {address for message in mail.outbox for address in message.to}
    chinese = anonymous().post(MEDIA, _request_body(), format="json", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert (
        chinese.status_code == 201
        and MediaRequest.objects.get(reference=chinese.json()["reference"]).language == "zh-hans"
    )
    # Nothing else of it is read back without an account.
    assert anonymous().get(MEDIA).status_code == 401
    assert anonymous().get(f"{MEDIA}{sent.pk}/").status_code == 401


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"outlet_country": "CN"}, "outlet_country"),
        ({"outlet_country": "XX"}, "outlet_country"),
        ({"email": "nobody"}, "email"),
        ({"wished_from": days(-1).isoformat()}, "wished_from"),
        ({"wished_until": days(19).isoformat()}, "wished_until"),
        ({"press_card": ""}, "press_card"),
        ({"topic": "x" * 4001}, "topic"),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_interview_requests_answer_400_and_store_nothing(changes, field):
    answer = anonymous().post(MEDIA, _request_body(**changes), format="json")
    assert answer.status_code == 400, answer.json()
    assert field in field_errors(answer)
    assert_answer_matches(answer, MEDIA, "post")
    assert not MediaRequest.objects.exists()


def test_interview_requests_come_as_json():
    form = anonymous().post(MEDIA, _request_body(), format="multipart")
    assert form.status_code == 415
    assert assert_answer_matches(form, MEDIA, "post")["code"] == "unsupported_media_type"


def test_interview_requests_are_throttled_per_client(settings):
    settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR = 2
    client = anonymous()
    assert [client.post(MEDIA, _request_body(), format="json").status_code for _n in range(2)] == [201, 201]
    throttled = client.post(MEDIA, _request_body(), format="json")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert assert_answer_matches(throttled, MEDIA, "post")["code"] == "throttled"
    # A forged X-Forwarded-For is not believed.
    assert (
        client.post(MEDIA, _request_body(), format="json", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 429
    )
    assert MediaRequest.objects.count() == 2
    assert anonymous("203.0.113.8").post(MEDIA, _request_body(), format="json").status_code == 201


def test_the_page_and_the_api_share_one_count(settings):
    settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR = 2
    page_request = RequestFactory().post("/exchanges/media/", REMOTE_ADDR="203.0.113.9")
    for _n in range(2):  # two sent through the page's form
        assert not limits.media_request_limited(page_request)
    answer = anonymous("203.0.113.9").post(MEDIA, _request_body(), format="json")
    assert answer.status_code == 429 and not MediaRequest.objects.exists()


def test_the_office_reads_and_arranges_interview_requests(api_as, officer, leader, manager, applicant):
    first, second = media_request(), media_request(outlet="Die Wirtschaft", outlet_country="DE")
    for staff in (officer, leader, manager):
        listed = assert_answer_matches(api_as(staff).get(MEDIA), MEDIA)
        assert {item["id"] for item in listed["results"]} == {first.pk, second.pk}
    assert ids(api_as(officer).get(MEDIA, {"outlet_country": "de"})) == [second.pk]
    assert ids(api_as(officer).get(MEDIA, {"search": "Quotidien"})) == [first.pk]
    refused = api_as(applicant).get(MEDIA)
    assert refused.status_code == 403 and assert_answer_matches(refused, MEDIA)["code"] == "permission_denied"
    for url in (f"{MEDIA}{first.pk}/", f"{MEDIA}{first.pk}/history/"):
        assert api_as(applicant).get(url).status_code == 404
    assert (
        api_as(applicant).patch(f"{MEDIA}{first.pk}/", {"office_note": "x"}, format="json").status_code == 404
    )
    assert (
        api_as(applicant).post(f"{MEDIA}{first.pk}/decline/", {"comment": "x"}, format="json").status_code
        == 404
    )

    url = f"{MEDIA}{first.pk}/"
    office = api_as(officer)
    detail = assert_answer_matches(office.get(url), f"{MEDIA}{{id}}/")
    assert detail["state"] == "requested" and detail["available_transitions"] == ["decline"]
    assert detail["email"] == MEDIA_REQUEST["email"] and detail["outlet_country_name"]
    early = office.post(f"{url}arrange/", {}, format="json")
    assert early.status_code == 400 and early.json()["errors"][0]["code"] == "arrangements_missing"
    assert api_as(manager).patch(url, {"office_note": "x"}, format="json").status_code == 403
    visit = activity(officer)
    arranged = office.patch(
        url,
        {
            "arranged_interviewees": "Director of the Zhengzhou area",
            "arranged_on": days(21).isoformat(),
            "escort": officer.pk,
            "activity": visit.pk,
        },
        format="json",
    )
    assert arranged.status_code == 200, arranged.json()
    body = assert_answer_matches(arranged, f"{MEDIA}{{id}}/", "patch")
    assert body["escort"] == officer.pk and body["activity_reference"] == visit.reference
    bad_escort = office.patch(url, {"escort": applicant.pk}, format="json")
    assert bad_escort.status_code == 400 and field_errors(bad_escort) == {"escort"}
    for name in ("arrange", "hold"):
        answer = office.post(f"{url}{name}/", {}, format="json")
        assert answer.status_code == 200, answer.json()
    assert_answer_matches(answer, f"{MEDIA}{{id}}/hold/", "post")
    covered = office.post(
        f"{url}coverage/", {"url": "https://lqe.example.fr/henan", "title": "Henan"}, format="json"
    )
    assert covered.status_code == 201 and assert_answer_matches(covered, f"{MEDIA}{{id}}/coverage/", "post")
    assert office.post(f"{url}close/", {}, format="json").json()["state"] == "closed"
    late = office.patch(url, {"office_note": "x"}, format="json")
    assert (
        late.status_code == 409
        and assert_answer_matches(late, f"{MEDIA}{{id}}/", "patch")["state"] == "closed"
    )
    assert office.post(f"{url}decline/", {"comment": "x"}, format="json").status_code == 409
    assert [c["url"] for c in office.get(url).json()["coverage"]] == ["https://lqe.example.fr/henan"]
    history = office.get(f"{url}history/").json()
    assert history[0]["action"] == "media_request.submit"

    no_reason = office.post(f"{MEDIA}{second.pk}/decline/", {}, format="json")
    assert no_reason.status_code == 400 and field_errors(no_reason) == {"comment"}
    declined = office.post(
        f"{MEDIA}{second.pk}/decline/", {"comment": "No interviews this month."}, format="json"
    )
    assert declined.json()["state"] == "declined"
    assert ids(office.get(MEDIA, {"state": "declined"})) == [second.pk]


# Friendship cities ---------------------------------------------------------------------------------------


def test_the_public_reads_public_cities_with_health_and_reasons(officer, leader):
    dormant = city(officer)  # established in 2016, nothing held since
    quiet = city(officer, foreign_name_zh="不公开", foreign_name_en="Hidden", public=False, notes="Internal")
    lively = city(
        officer,
        henan_name_zh="洛阳市",
        henan_name_en="Luoyang",
        foreign_name_zh="奈良",
        foreign_name_en="Nara",
        country="JP",
        henan_contact="外办 王先生",
    )
    held(officer, leader, friendship_city=lively.pk)
    body = assert_answer_matches(anonymous().get(CITIES, {"lang": "en"}), CITIES)
    shown = {item["id"]: item for item in body["results"]}
    assert set(shown) == {dormant.pk, lively.pk}
    item = shown[lively.pk]
    assert set(item) == CITY_PUBLIC_KEYS and item["shape"] == "public" and "henan_contact" not in item
    assert item["health"] == "active" and item["health_label"] == "Active" and item["exchanges_3y"] == 1
    assert item["last_exchange"] == days(2).isoformat()
    assert item["health_reasons"][0].startswith("Last exchange:")
    assert "1 exchange in the last three years" in item["health_reasons"]
    assert item["url"].endswith(f"/exchanges/friendship-cities/{lively.slug}/")
    assert shown[dormant.pk]["health"] == "dormant" and shown[dormant.pk]["last_exchange"] is None
    assert "No exchange for 3 years" in shown[dormant.pk]["health_reasons"]
    # The reasons speak the reader's language (Chinese by default): their dates at least, until the
    # Chinese translation of their words is done.
    chinese = anonymous().get(f"{CITIES}{lively.pk}/").json()
    assert chinese["henan_name"] == "洛阳市" and chinese["foreign_name"] == "奈良"
    assert "年" in chinese["health_reasons"][0] and "年" not in item["health_reasons"][0]
    english = anonymous().get(f"{CITIES}{dormant.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["foreign_name"] == "Lyon" and english.json()["health_label"] == "Dormant"
    assert anonymous().get(f"{CITIES}{quiet.pk}/").status_code == 404
    assert_answer_matches(anonymous().get(f"{CITIES}{quiet.pk}/"), f"{CITIES}{{id}}/")


def test_office_staff_read_every_city_with_contacts_and_notes(api_as, officer, manager, applicant):
    hidden = city(officer, public=False, notes="Internal", foreign_contact="Mairie de Lyon")
    for staff in (officer, manager):
        detail = assert_answer_matches(api_as(staff).get(f"{CITIES}{hidden.pk}/"), f"{CITIES}{{id}}/")
        assert set(detail) == CITY_PUBLIC_KEYS | CITY_OFFICE_KEYS and detail["shape"] == "full"
        assert detail["notes"] == "Internal" and detail["foreign_contact"] == "Mairie de Lyon"
        assert detail["url"] is None
    assert api_as(applicant).get(f"{CITIES}{hidden.pk}/").status_code == 404
    assert not results(api_as(applicant).get(CITIES))


def test_filters_of_cities(api_as, officer):
    dormant = city(officer)
    active = city(
        officer,
        foreign_name_zh="都灵",
        foreign_name_en="Turin",
        country="IT",
        established_on=days(-100).isoformat(),
    )
    friendly = city(
        officer,
        foreign_name_zh="布尔诺",
        foreign_name_en="Brno",
        country="CZ",
        kind="friendly_exchange",
        established_on=days(-365 * 2 - 30).isoformat(),
    )
    assert ids(anonymous().get(CITIES, {"health": "dormant"})) == [dormant.pk]
    assert ids(anonymous().get(CITIES, {"health": "active"})) == [active.pk]
    assert ids(anonymous().get(CITIES, {"health": "attention"})) == [friendly.pk]
    assert ids(anonymous().get(CITIES, {"country": "it"})) == [active.pk]
    assert ids(anonymous().get(CITIES, {"kind": "friendly_exchange"})) == [friendly.pk]
    assert ids(anonymous().get(CITIES, {"search": "都灵"})) == [active.pk]
    bad = anonymous().get(CITIES, {"health": "sick"})
    assert bad.status_code == 400 and field_errors(bad) == {"health"}
    assert_answer_matches(bad, CITIES)


def test_officers_keep_the_city_registry(api_as, officer, manager, applicant):
    office = api_as(officer)
    created = office.post(CITIES, CITY, format="json")
    assert created.status_code == 201, created.json()
    body = assert_answer_matches(created, CITIES, "post")
    assert body["slug"] == "zhengzhou-lyon" and body["health"] == "dormant" and body["public"] is True
    url = f"{CITIES}{body['id']}/"
    changed = office.patch(url, {"description_en": "Partners in logistics.", "public": False}, format="json")
    assert changed.status_code == 200 and changed.json()["public"] is False
    assert_answer_matches(changed, f"{CITIES}{{id}}/", "patch")
    assert anonymous().get(url).status_code == 404
    duplicate = office.post(CITIES, CITY, format="json")
    assert duplicate.status_code == 400 and field_errors(duplicate) == {"foreign_name_en"}
    china = office.post(CITIES, {**CITY, "foreign_name_en": "Beijing", "country": "CN"}, format="json")
    assert china.status_code == 400 and field_errors(china) == {"country"}
    for user in (manager, applicant):
        assert api_as(user).post(CITIES, CITY, format="json").status_code == 403
    assert api_as(manager).patch(url, {"notes": "x"}, format="json").status_code == 403
    assert anonymous().post(CITIES, CITY, format="json").status_code == 401

    renewal = office.post(
        f"{url}agreements/",
        {
            "title": "Renewal of the friendship agreement",
            "signed_on": "2021-06-01",
            "renew_by": days(60).isoformat(),
        },
        format="json",
    )
    assert renewal.status_code == 201, renewal.json()
    assert (
        assert_answer_matches(renewal, f"{CITIES}{{id}}/agreements/", "post")["renew_by"]
        == days(60).isoformat()
    )
    detail = office.get(url, {"lang": "en"}).json()
    assert detail["next_renewal"] == days(60).isoformat()
    assert detail["agreements"][0]["title"] == "Renewal of the friendship agreement"
    assert any(reason.startswith("An agreement is to be renewed by") for reason in detail["health_reasons"])
    backwards = office.post(
        f"{url}agreements/",
        {"title": "x", "signed_on": "2021-06-01", "renew_by": "2020-01-01"},
        format="json",
    )
    assert backwards.status_code == 400 and field_errors(backwards) == {"renew_by"}


# Overseas-Chinese contacts -------------------------------------------------------------------------------


def test_contacts_are_the_offices_only(api_as, officer, applicant, liaison):
    person = contact(officer)
    assert anonymous().get(CONTACTS).status_code == 401
    assert anonymous().get(f"{CONTACTS}{person.pk}/").status_code == 401
    for user in (applicant, liaison):
        refused = api_as(user).get(CONTACTS)
        assert (
            refused.status_code == 403
            and assert_answer_matches(refused, CONTACTS)["code"] == "permission_denied"
        )
        assert api_as(user).get(f"{CONTACTS}{person.pk}/").status_code == 404
        assert (
            api_as(user).post(f"{CONTACTS}{person.pk}/erase/", {"reason": "x"}, format="json").status_code
            == 404
        )
        assert api_as(user).post(CONTACTS, CONTACT, format="json").status_code == 403
    assert not ContactAccess.objects.exists()


@pytest.mark.parametrize("role", ["officer", "leader", "manager"])
def test_the_list_shows_no_way_to_reach_anyone_and_logs_nothing(api_as, officer, role, request):
    person = contact(officer)
    body = assert_answer_matches(api_as(request.getfixturevalue(role)).get(CONTACTS), CONTACTS)
    [item] = body["results"]
    assert set(item) == {
        "id",
        "reference",
        "name",
        "name_zh",
        "name_latin",
        "country",
        "country_name",
        "association",
        "role",
        "consent",
        "consent_recorded",
    }
    assert item["reference"] == person.reference and item["name"] == "陈立华 Chen Lihua"
    assert CONTACT["phone"] not in str(body) and CONTACT["email"] not in str(body)
    assert not ContactAccess.objects.exists()


def test_each_look_at_a_contact_is_logged_once(api_as, officer, leader):
    person = contact(officer)
    url = f"{CONTACTS}{person.pk}/"
    for n in (1, 2):
        detail = assert_answer_matches(api_as(leader).get(url), f"{CONTACTS}{{id}}/")
        assert detail["phone"] == CONTACT["phone"] and detail["email"] == CONTACT["email"]
        assert detail["consent_on"] == CONTACT["consent_on"]
        assert ContactAccess.objects.filter(contact=person).count() == n
    access = ContactAccess.objects.filter(contact=person).first()
    assert access.viewer == leader and access.door == "api" and access.reference == person.reference
    api_as(leader).get(CONTACTS, {"search": "Chen"})
    assert ContactAccess.objects.count() == 2


def test_officers_register_and_change_contacts(api_as, officer, leader, manager):
    office = api_as(officer)
    visit = activity(officer)
    created = office.post(CONTACTS, {**CONTACT, "activities": [visit.pk]}, format="json")
    assert created.status_code == 201, created.json()
    body = assert_answer_matches(created, CONTACTS, "post")
    assert body["reference"].startswith("HNOC-") and body["activities"][0]["reference"] == visit.reference
    url = f"{CONTACTS}{body['id']}/"
    changed = office.patch(url, {"wechat": "chenlh"}, format="json")
    assert changed.status_code == 200 and changed.json()["wechat"] == "chenlh"
    assert_answer_matches(changed, f"{CONTACTS}{{id}}/", "patch")
    # Both answers show the details: each is a logged look.
    assert ContactAccess.objects.filter(door="api").count() == 2
    undated = office.patch(url, {"consent_on": None}, format="json")
    assert undated.status_code == 400 and field_errors(undated) == {"consent_on"}
    withdrawn = office.patch(url, {"consent": False}, format="json")
    assert withdrawn.status_code == 400 and field_errors(withdrawn) == {
        "consent"
    }  # erased on request instead
    nameless = office.post(CONTACTS, {**CONTACT, "name_zh": "", "name_latin": ""}, format="json")
    assert nameless.status_code == 400 and field_errors(nameless) == {"name_zh"}
    for user in (leader, manager):
        assert api_as(user).post(CONTACTS, CONTACT, format="json").status_code == 403
        assert api_as(user).patch(url, {"city": "Roma"}, format="json").status_code == 403
    assert OverseasContact.objects.count() == 1


def test_a_contact_is_exported_on_request(api_as, officer, manager):
    person = contact(officer)
    api_as(manager).get(f"{CONTACTS}{person.pk}/")
    exported = api_as(officer).post(f"{CONTACTS}{person.pk}/export/", format="json")
    assert exported.status_code == 200, exported.json()
    body = assert_answer_matches(exported, f"{CONTACTS}{{id}}/export/", "post")
    assert (
        body["reference"] == person.reference and body["wechat"] == "" and body["phone"] == CONTACT["phone"]
    )
    assert [(a["viewer"], a["door"]) for a in body["accesses"]] == [
        (manager.get_username(), "api"),
        (officer.get_username(), "export"),
    ]
    assert AuditEvent.objects.filter(action="overseas_contact.export").count() == 1
    assert api_as(manager).post(f"{CONTACTS}{person.pk}/export/", format="json").status_code == 403


def test_a_contact_is_erased_on_request(api_as, officer, manager):
    person = contact(officer)
    url = f"{CONTACTS}{person.pk}/"
    api_as(manager).get(url)
    no_reason = api_as(officer).post(f"{url}erase/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and field_errors(no_reason) == {"reason"}
    assert_answer_matches(no_reason, f"{CONTACTS}{{id}}/erase/", "post")
    assert (
        api_as(manager).post(f"{url}erase/", {"reason": "Asked by e-mail"}, format="json").status_code == 403
    )
    erased = api_as(officer).post(f"{url}erase/", {"reason": "Asked by e-mail on 1 May"}, format="json")
    assert erased.status_code == 200
    assert assert_answer_matches(erased, f"{CONTACTS}{{id}}/erase/", "post") == {
        "reference": person.reference,
        "erased": True,
    }
    assert not OverseasContact.objects.exists()
    assert api_as(officer).get(url).status_code == 404
    [access] = ContactAccess.objects.all()
    assert access.contact is None and access.reference == person.reference
    event = AuditEvent.objects.get(action="overseas_contact.erase")
    assert "Chen" not in str(event.data) and event.comment == "Asked by e-mail on 1 May"


# Query counts --------------------------------------------------------------------------------------------


def _rows(officer, leader, organization, start: int, n: int) -> None:
    """n of each: activities visiting `organization` with their parts, requests, cities, contacts."""
    for i in range(start, start + n):
        pair = city(officer, foreign_name_zh=f"城市{i}", foreign_name_en=f"City {i}")
        city_services.agreement_add(
            city=pair, actor=officer, data={"title": f"Agreement {i}", "signed_on": "2020-01-01"}
        )
        item = held(officer, leader, enterprises_visited=[organization.pk], friendship_city=pair.pk)
        activity_services.agenda_set(
            activity=item,
            actor=officer,
            items=[{"day": item.starts_on, "starts_at": "09:00", "title_en": "Visit"}],
        )
        activity_services.checklist_update(
            item=item.checklist.first(), actor=officer, data={"assignee": officer.pk, "done": True}
        )
        activity_services.follow_up_add(
            activity=item, actor=officer, data={"task": "Call", "owner": officer.pk, "due_on": days(3)}
        )
        activity_services.coverage_add(actor=officer, data={"url": "https://a.example/x"}, activity=item)
        activity_services.agreement_add(
            activity=item, actor=officer, data={"title": "MoU", "signed_on": days(0)}
        )
        activity_services.application_link(
            activity=item,
            actor=officer,
            application=ApplicationFactory(organization=organization, created_by=officer),
        )
        request_ = media_request()
        media_services.media_request_update(
            request=request_,
            actor=officer,
            data={"escort": officer.pk, "arranged_sites": "Airport", "activity": item.pk},
        )
        activity_services.coverage_add(
            actor=officer, data={"url": "https://b.example/y"}, media_request=request_
        )
        contact(officer, name_latin=f"Person {i}", activities=[item.pk])


def test_list_queries_do_not_grow_with_the_list(
    api_as, officer, leader, applicant, django_assert_max_num_queries
):
    lists = {
        "anonymous": [CITIES],
        "officer": [ACTIVITIES, MEDIA, CITIES, CONTACTS],
        "enterprise": [ACTIVITIES, CITIES],
    }

    def counts() -> dict:
        # Fresh users each time: a user caches its roles.
        clients = {
            "anonymous": anonymous(),
            "officer": api_as(User.objects.get(pk=officer.pk)),
            "enterprise": api_as(User.objects.get(pk=applicant.pk)),
        }
        measured = {}
        for name, urls in lists.items():
            for url in urls:
                with django_assert_max_num_queries(100) as captured:
                    response = clients[name].get(url, {"page_size": 50})
                assert response.status_code == 200, (name, url, response.json())
                measured[name, url] = (len(captured), response.json()["count"])
        return measured

    _rows(officer, leader, applicant.organization, 0, 2)
    few = counts()
    _rows(officer, leader, applicant.organization, 2, 10)
    many = counts()
    changed = {key: (few[key][0], many[key][0]) for key in few if many[key][0] != few[key][0]}
    assert not changed, changed
    assert all(many[key][1] == 12 for key in many), many
    assert max(count for count, _rows_ in many.values()) <= 16, many


def test_the_browsable_api_renders(api_as, officer, leader, applicant):
    visit = visiting(officer, leader, applicant.organization)
    pair = city(officer)
    person = contact(officer)
    urls = [ACTIVITIES, f"{ACTIVITIES}{visit.pk}/", MEDIA, CITIES, f"{CITIES}{pair.pk}/", CONTACTS]
    for url in urls:
        assert api_as(officer).get(url, HTTP_ACCEPT="text/html").status_code == 200, url
    assert api_as(officer).get(f"{CONTACTS}{person.pk}/", HTTP_ACCEPT="text/html").status_code == 200
    for url in [ACTIVITIES, f"{ACTIVITIES}{visit.pk}/", CITIES]:
        assert api_as(applicant).get(url, HTTP_ACCEPT="text/html").status_code == 200, url
    assert anonymous().get(CITIES, HTTP_ACCEPT="text/html").status_code == 200
    assert anonymous().get(MEDIA, HTTP_ACCEPT="text/html").status_code == 401
