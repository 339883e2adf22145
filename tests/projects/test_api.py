"""`/api/v1/projects/`: the public reads published projects' public fields only, searched in Chinese and
English; officers and enterprises enter and change projects and run both machines with their 403/409/400;
visitors express interest (acknowledged, honeypot, throttled together with the page); leads are scoped;
achievements and industries; lists whose queries do not grow with their length."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image
from rest_framework.test import APIClient

from foreign_affairs.accounts.models import User
from foreign_affairs.ratelimit import exceeded
from projects.api import interest_door
from projects.models import Achievement, CooperationProject, Industry, Interest, InterestMessage
from projects.services import achievements as achievement_services
from projects.services import interest as interest_services
from projects.services import projects as services
from projects.workflow import InterestState, Source, Stage
from tests.foreign_affairs.test_api_schema import assert_answer_matches

from .factories import INTEREST, PROJECT, interest, project, published

pytestmark = pytest.mark.django_db

API = "/api/v1/projects/"
ACHIEVEMENTS = f"{API}achievements/"
INTERESTS = f"{API}interests/"
INDUSTRIES = f"{API}industries/"

PUBLIC_KEYS = {
    "shape",
    "id",
    "reference",
    "title",
    "title_zh",
    "title_en",
    "description",
    "description_zh",
    "description_en",
    "channel",
    "ftz_area",
    "industries",
    "mode",
    "partner_country",
    "partner_country_name",
    "partner_city",
    "amount",
    "currency",
    "published_at",
    "url",
    "documents",
}
INTERNAL_KEYS = {
    "partner_organisation",
    "contact_name",
    "contact_email",
    "contact_phone",
    "enterprises",
    "owner",
    "owner_name",
    "stage",
    "state",
    "publication",
    "next_step",
    "next_step_due",
    "notes",
    "available_transitions",
    "source",
}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def anonymous(address: str = "203.0.113.7") -> APIClient:
    return APIClient(enforce_csrf_checks=True, REMOTE_ADDR=address)


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def template(url: str) -> str:
    return "/".join("{id}" if part.isdigit() else part for part in url.split("/"))


# What the public reads -----------------------------------------------------------------------------------


def test_the_public_reads_published_projects_with_their_public_fields_only(officer, applicant):
    shown = published(officer, enterprises=[applicant.organization], next_step="Call Stuttgart")
    project(officer, title_zh="未发布的草稿")
    body = assert_answer_matches(anonymous().get(API), API)
    assert [item["reference"] for item in body["results"]] == [shown.reference]
    [item] = body["results"]
    assert set(item) == PUBLIC_KEYS and not (set(item) & INTERNAL_KEYS)
    assert item["shape"] == "public" and item["title"] == PROJECT["title_zh"]
    assert item["industries"] == [{"code": "automobiles", "name": "汽车制造"}]
    assert item["partner_country"] == "DE" and item["amount"] == "12000000.00" and item["currency"] == "EUR"
    assert item["url"].endswith(f"/projects/{shown.reference}/") and item["url"].startswith("http")
    assert "Schwaben" not in str(item) and "wang.lei" not in str(item)
    detail = assert_answer_matches(anonymous().get(f"{API}{shown.pk}/"), f"{API}{{id}}/")
    assert set(detail) == PUBLIC_KEYS


def test_a_draft_answers_404_to_the_public_and_to_another_enterprise(
    api_as, officer, applicant, other_applicant
):
    draft = project(officer, enterprises=[applicant.organization])
    url = f"{API}{draft.pk}/"
    assert assert_answer_matches(anonymous().get(url), f"{API}{{id}}/")["code"] == "not_found"
    assert api_as(other_applicant).get(url).status_code == 404
    assert api_as(other_applicant).post(f"{url}documents/", {}).status_code == 404
    assert api_as(other_applicant).get(f"{url}history/").status_code == 404
    assert not results(api_as(other_applicant).get(API))
    own = api_as(applicant).get(url).json()
    assert own["shape"] == "full" and own["stage"] == "lead" and own["notes"] == []
    assert own["url"] is None and own["available_transitions"] == ["submit_for_review"]
    assert anonymous().get(f"{API}99999999999999999999999/").status_code == 404
    assert anonymous().get(f"{API}abc/").status_code == 404


def test_an_enterprise_reads_the_catalogue_publicly_and_its_own_in_full(api_as, officer, applicant):
    own = published(officer, enterprises=[applicant.organization])
    other = published(officer, title_zh="另一个项目")
    draft = project(officer, enterprises=[applicant.organization])
    shapes = {item["id"]: item["shape"] for item in results(api_as(applicant).get(API))}
    assert shapes == {own.pk: "full", other.pk: "public", draft.pk: "full"}
    mine = results(api_as(applicant).get(API, {"mine": "true"}))
    assert {item["id"] for item in mine} == {own.pk, draft.pk}
    # The office's filters are not the public's: they would tell what is not published.
    assert len(results(api_as(applicant).get(API, {"stage": "signed"}))) == 3


@pytest.mark.parametrize("term", ["新能源", "electric", "ELECTRIC drive", "stuttg", "汽车"])
def test_search_finds_published_projects_by_chinese_and_english_words(officer, term):
    found = published(officer)
    project(officer)  # a draft with the same words
    published(
        officer,
        title_zh="跨境电商物流园",
        title_en="Cross-border logistics park",
        description_zh="物流园区招商。",
        description_en="A logistics park seeks investors.",
        partner_country="SG",
        partner_city="Singapore",
        industries=("logistics",),
    )
    assert [item["id"] for item in results(anonymous().get(API, {"search": term}))] == [found.pk]


def test_office_staff_also_search_what_only_they_see(api_as, officer):
    draft = project(officer)
    assert [item["id"] for item in results(api_as(officer).get(API, {"search": "Schwaben"}))] == [draft.pk]
    assert [item["id"] for item in results(api_as(officer).get(API, {"search": "新能源"}))] == [draft.pk]
    assert not results(anonymous().get(API, {"search": "Schwaben"}))


def test_filters(api_as, officer):
    first = published(officer)
    second = published(officer, industries=("logistics",), partner_country="SG", channel="overseas_chinese")
    late = project(officer, next_step="Call", next_step_due="2020-01-01")
    assert [i["id"] for i in results(anonymous().get(API, {"channel": "overseas_chinese"}))] == [second.pk]
    assert [i["id"] for i in results(anonymous().get(API, {"industry": "automobiles"}))] == [first.pk]
    assert [i["id"] for i in results(anonymous().get(API, {"partner_country": "sg"}))] == [second.pk]
    office = api_as(officer)
    assert [i["id"] for i in results(office.get(API, {"overdue": "true"}))] == [late.pk]
    assert [i["id"] for i in results(office.get(API, {"publication": "draft"}))] == [late.pk]
    assert len(results(office.get(API, {"owner": officer.pk, "stage": "lead"}))) == 3
    bad = anonymous().get(API, {"channel": "nonsense"})
    assert bad.status_code == 400 and assert_answer_matches(bad, API)["errors"][0]["field"] == "channel"


def test_the_readers_language_by_accept_language_or_lang(officer):
    item = published(officer)
    english = anonymous().get(f"{API}{item.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["title"] == PROJECT["title_en"]
    assert english.json()["industries"][0]["name"] == "Automobiles"
    assert english.json()["partner_country_name"] == "Germany"
    chosen = anonymous().get(f"{API}{item.pk}/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert chosen.json()["title"] == PROJECT["title_en"] and chosen["Content-Language"] == "en"
    assert anonymous().get(API, {"lang": "zh-hans"}).json()["results"][0]["title"] == PROJECT["title_zh"]
    refused = anonymous().get(API, {"lang": "xx"})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "lang"


def test_public_documents_show_on_published_projects_only(api_as, officer):
    item = published(officer)
    office = api_as(officer)
    shown = office.post(
        f"{API}{item.pk}/documents/", {"kind": "image", "file": png(), "public": "true"}, format="multipart"
    )
    assert shown.status_code == 201, shown.json()
    assert_answer_matches(shown, f"{API}{{id}}/documents/", "post")
    assert shown.json()["public"] is True and shown.json()["url"].endswith(f"/files/{shown.json()['id']}/")
    hidden = office.post(
        f"{API}{item.pk}/documents/", {"kind": "agreement", "file": png()}, format="multipart"
    )
    assert hidden.status_code == 201 and hidden.json()["url"] is None
    [document] = anonymous().get(f"{API}{item.pk}/").json()["documents"]
    assert document["id"] == shown.json()["id"] and document["kind"] == "image"
    assert len(office.get(f"{API}{item.pk}/").json()["documents"]) == 2
    not_a_file = office.post(f"{API}{item.pk}/documents/", {"kind": "image"}, format="multipart")
    assert not_a_file.status_code == 400


def test_nothing_is_deleted(api_as, officer):
    item = project(officer)
    assert api_as(officer).delete(f"{API}{item.pk}/").status_code == 405
    assert api_as(officer).put(f"{API}{item.pk}/", PROJECT, format="json").status_code == 405


# Officers ------------------------------------------------------------------------------------------------


def test_an_officer_enters_a_project_and_runs_both_machines(api_as, officer, applicant):
    office = api_as(officer)
    created = office.post(
        API,
        {**PROJECT, "industries": ["automobiles"], "enterprises": [applicant.organization.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = assert_answer_matches(created, API, "post")
    item = CooperationProject.objects.get(pk=body["id"])
    assert item.source == Source.API and item.owner == officer and body["owner"] == officer.pk
    assert body["state"] == "lead" and body["publication"] == "draft"
    assert set(body["available_transitions"]) == {"contact", "drop", "publish", "submit_for_review"}
    assert body["enterprises"] == [{"id": applicant.organization.pk, "name": applicant.organization.name}]
    url = f"{API}{item.pk}/"

    contacted = office.post(
        f"{url}contact/", {"next_step": "Send the brochure", "next_step_due": "2030-01-10"}, format="json"
    )
    assert contacted.status_code == 200, contacted.json()
    body = assert_answer_matches(contacted, f"{API}{{id}}/contact/", "post")
    assert body["state"] == "contacted" and body["next_step"] == "Send the brochure"
    assert body["next_step_due"] == "2030-01-10"

    wrong = office.post(f"{url}sign/", {}, format="json")
    assert wrong.status_code == 409
    conflict = assert_answer_matches(wrong, f"{API}{{id}}/sign/", "post")
    assert conflict["state"] == "contacted"
    assert set(conflict["available_transitions"]) == {"negotiate", "drop"}

    for name in ("negotiate", "sign"):
        assert office.post(f"{url}{name}/", {}, format="json").status_code == 200
    published_ = office.post(f"{url}publish/", {"comment": "Ready."}, format="json")
    assert published_.json()["publication"] == "published" and published_.json()["url"]
    assert published_.json()["state"] == "signed" and published_.json()["signed_on"]
    assert office.post(f"{url}publish/", {}, format="json").status_code == 409

    no_reason = office.post(f"{url}drop/", {}, format="json")
    assert no_reason.status_code == 400
    assert assert_answer_matches(no_reason, f"{API}{{id}}/drop/", "post")["errors"][0]["field"] == "comment"
    dropped = office.post(f"{url}drop/", {"comment": "The partner withdrew."}, format="json")
    assert dropped.json()["state"] == Stage.DROPPED

    history = assert_answer_matches(office.get(f"{url}history/"), f"{API}{{id}}/history/")
    assert [event["action"] for event in history][-1] == "cooperation_project.drop"
    assert history[-1]["comment"] == "The partner withdrew."
    assert anonymous().get(f"{url}history/").status_code == 401


def test_publishing_needs_both_languages(api_as, officer):
    item = project(officer, title_en="", description_en="")
    refused = api_as(officer).post(f"{API}{item.pk}/publish/", {}, format="json")
    assert refused.status_code == 400
    body = assert_answer_matches(refused, f"{API}{{id}}/publish/", "post")
    assert body["code"] == "rules_failed" and body["errors"][0]["code"] == "public_text_missing"
    assert "publish" not in api_as(officer).get(f"{API}{item.pk}/").json()["available_transitions"]


def test_roles_without_the_right_get_403(api_as, officer, manager, applicant):
    item = published(officer, enterprises=[applicant.organization])
    for name in ("contact", "archive"):
        refused = api_as(manager).post(f"{API}{item.pk}/{name}/", {}, format="json")
        assert refused.status_code == 403
        assert_answer_matches(refused, f"{API}{{id}}/{name}/", "post")
    assert api_as(applicant).post(f"{API}{item.pk}/contact/", {}, format="json").status_code == 403
    assert api_as(manager).post(API, PROJECT, format="json").status_code == 403
    assert api_as(manager).post(f"{API}{item.pk}/notes/", {"text": "x"}, format="json").status_code == 403
    assert anonymous().post(API, PROJECT, format="json").status_code == 401
    # Leaders and managers read everything.
    assert api_as(manager).get(f"{API}{item.pk}/").json()["shape"] == "full"


def test_an_officer_patches_any_project_and_writes_notes(api_as, officer, applicant):
    item = published(officer)
    office = api_as(officer)
    changed = office.patch(
        f"{API}{item.pk}/",
        {
            "partner_city": "München",
            "enterprises": [applicant.organization.pk],
            "amount": None,
            "currency": "",
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    body = assert_answer_matches(changed, f"{API}{{id}}/", "patch")
    assert body["partner_city"] == "München" and body["amount"] is None
    assert [e["id"] for e in body["enterprises"]] == [applicant.organization.pk]
    bad_owner = office.patch(f"{API}{item.pk}/", {"owner": applicant.pk}, format="json")
    assert bad_owner.status_code == 400 and bad_owner.json()["errors"][0]["field"] == "owner"
    missing_owner = office.patch(f"{API}{item.pk}/", {"owner": 2**62}, format="json")
    assert missing_owner.status_code == 400
    note = office.post(f"{API}{item.pk}/notes/", {"text": "Met the partner at the fair."}, format="json")
    assert note.status_code == 201 and assert_answer_matches(note, f"{API}{{id}}/notes/", "post")
    assert office.get(f"{API}{item.pk}/").json()["notes"][0]["text"] == "Met the partner at the fair."
    # The enterprise involved reads the project in full, but not the officers' notes.
    assert api_as(applicant).get(f"{API}{item.pk}/").json()["notes"] == []


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"channel": "barter"}, "channel"),
        ({"partner_country": "CN"}, "partner_country"),
        ({"partner_country": "ZZ"}, "partner_country"),
        ({"industries": ["no-such-industry"]}, "industries"),
        ({"enterprises": [999999]}, "enterprises"),
        ({"amount": "-1"}, "amount"),
        ({"currency": ""}, "currency"),
        ({"title_zh": "", "title_en": ""}, "title_zh"),
        ({"signed_on": "2999-01-01"}, "signed_on"),
        ({"title_zh": {"x": 1}}, "title_zh"),
    ],
)
def test_bad_projects_answer_400_and_store_nothing(api_as, officer, changes, field):
    answer = api_as(officer).post(API, {**PROJECT, **changes}, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in {error.get("field") for error in assert_answer_matches(answer, API, "post")["errors"]}
    assert not CooperationProject.objects.exists()


# Enterprises ---------------------------------------------------------------------------------------------


def test_an_enterprise_enters_its_own_project_and_changes_it_while_a_draft(
    api_as, officer, applicant, other_organization
):
    api = api_as(applicant)
    created = api.post(
        API,
        {**PROJECT, "enterprises": [other_organization.pk], "owner": applicant.pk, "next_step": "x"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    item = CooperationProject.objects.get(pk=body["id"])
    assert list(item.enterprises.all()) == [applicant.organization]
    assert item.source == Source.ENTERPRISE and item.owner == officer and item.next_step == ""
    url = f"{API}{item.pk}/"
    changed = api.patch(url, {"partner_city": "München"}, format="json")
    assert changed.status_code == 200 and changed.json()["partner_city"] == "München"
    uploaded = api.post(
        f"{url}documents/", {"kind": "brochure", "file": png(), "public": True}, format="multipart"
    )
    assert uploaded.status_code == 201 and uploaded.json()["public"] is False  # officers decide that
    submitted = api.post(f"{url}submit_for_review/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["publication"] == "in_review"
    refused = api.patch(url, {"partner_city": "Berlin"}, format="json")
    assert refused.status_code == 409
    conflict = assert_answer_matches(refused, f"{API}{{id}}/", "patch")
    assert conflict["state"] == "in_review" and conflict["available_transitions"] == []
    assert api.post(f"{url}publish/", {}, format="json").status_code == 403
    assert api.post(f"{url}notes/", {"text": "x"}, format="json").status_code == 403


def test_an_enterprise_cannot_change_a_published_project_of_another(api_as, officer, other_applicant):
    item = published(officer)
    assert (
        api_as(other_applicant).patch(f"{API}{item.pk}/", {"partner_city": "x"}, format="json").status_code
        == 403
    )
    assert (
        api_as(other_applicant).post(f"{API}{item.pk}/submit_for_review/", {}, format="json").status_code
        == 403
    )


# Interest ------------------------------------------------------------------------------------------------


def test_a_visitor_expresses_interest_and_is_acknowledged(officer, django_capture_on_commit_callbacks):
    item = published(officer)
    url = f"{API}{item.pk}/interest/"
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous().post(url, INTEREST, format="json")
    assert answer.status_code == 201, answer.json()
    body = assert_answer_matches(answer, f"{API}{{id}}/interest/", "post")
    assert body["project"] == item.reference and body["state"] == "received" and "id" not in body
    assert "Thank you" in body["message"]
    lead = Interest.objects.get()
    assert lead.project == item and lead.language == "en" and lead.state == InterestState.RECEIVED
    assert [m.to for m in mail.outbox if m.to == [INTEREST["email"]]] == [[INTEREST["email"]]]
    assert InterestMessage.objects.get(interest=lead).sent_at is not None


def test_interest_speaks_the_visitors_language(officer):
    item = published(officer)
    url = f"{API}{item.pk}/interest/"
    answer = anonymous().post(url, INTEREST, format="json", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert answer.status_code == 201 and item.reference in answer.json()["message"]
    assert Interest.objects.get().language == "zh-hans"
    anonymous().post(url, {**INTEREST, "language": "en"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert Interest.objects.latest("pk").language == "en"


def test_interest_refusals(officer):
    draft = project(officer)
    item = published(officer)
    assert anonymous().post(f"{API}{draft.pk}/interest/", INTEREST, format="json").status_code == 404
    assert anonymous().post(f"{API}999999/interest/", INTEREST, format="json").status_code == 404
    form = anonymous().post(f"{API}{item.pk}/interest/", INTEREST, format="multipart")
    assert form.status_code == 415
    assert assert_answer_matches(form, f"{API}{{id}}/interest/", "post")["code"] == "unsupported_media_type"
    bad = anonymous().post(
        f"{API}{item.pk}/interest/", {**INTEREST, "email": "nobody", "country": "ZZ"}, format="json"
    )
    assert bad.status_code == 400
    assert {"email", "country"} <= {e.get("field") for e in bad.json()["errors"]}
    assert not Interest.objects.exists()
    assert anonymous().get(f"{API}{item.pk}/interest/").status_code == 405


def test_the_honeypot_answers_like_a_visitor_and_stores_nothing(officer, django_capture_on_commit_callbacks):
    item = published(officer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous().post(
            f"{API}{item.pk}/interest/", {**INTEREST, "website": "http://spam.example"}, format="json"
        )
    assert answer.status_code == 201
    assert assert_answer_matches(answer, f"{API}{{id}}/interest/", "post")["project"] == item.reference
    assert not Interest.objects.exists() and not mail.outbox


def test_interest_is_throttled_per_client(officer, settings):
    settings.PROJECTS_INTEREST_PER_HOUR = 3
    item = published(officer)
    url = f"{API}{item.pk}/interest/"
    client = anonymous()
    statuses = [
        client.post(url, {**INTEREST, "email": f"a{n}@example.it"}, format="json").status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 201]
    throttled = client.post(url, INTEREST, format="json")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert assert_answer_matches(throttled, f"{API}{{id}}/interest/", "post")["code"] == "throttled"
    assert client.post(url, INTEREST, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert Interest.objects.count() == 3
    assert anonymous("203.0.113.8").post(url, INTEREST, format="json").status_code == 201


def test_the_page_and_the_api_share_one_count(officer, settings):
    from projects.views import catalogue

    assert (
        catalogue.RATE_SCOPE == interest_door.RATE_SCOPE
        and catalogue.RATE_WINDOW == interest_door.RATE_WINDOW
    )
    settings.PROJECTS_INTEREST_PER_HOUR = 2
    item = published(officer)
    page_request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    for _n in range(2):  # two sent through the page's form
        assert not exceeded(page_request, catalogue.RATE_SCOPE, limit=2, seconds=catalogue.RATE_WINDOW)
    answer = anonymous("203.0.113.9").post(f"{API}{item.pk}/interest/", INTEREST, format="json")
    assert answer.status_code == 429 and not Interest.objects.exists()


# Leads ---------------------------------------------------------------------------------------------------


def test_leads_are_the_offices_and_the_enterprise_sees_those_forwarded_to_it(
    api_as, officer, manager, applicant, other_applicant
):
    item = published(officer, enterprises=[applicant.organization])
    first, second = interest(item), interest(item, email="b@example.it")
    assert APIClient().get(INTERESTS).status_code == 401
    assert not results(api_as(applicant).get(INTERESTS))
    office = assert_answer_matches(api_as(manager).get(INTERESTS), INTERESTS)
    assert {lead["id"] for lead in office["results"]} == {first.pk, second.pk}
    assert office["results"][0]["available_transitions"] == []  # a manager reads only
    received = api_as(officer).get(f"{INTERESTS}{first.pk}/").json()
    assert (
        received["available_transitions"] == ["close", "forward"]
        and received["project_reference"] == item.reference
    )

    forwarded = api_as(officer).post(f"{INTERESTS}{first.pk}/forward/", {}, format="json")
    assert forwarded.status_code == 200
    body = assert_answer_matches(forwarded, f"{INTERESTS}{{id}}/forward/", "post")
    assert body["state"] == "forwarded" and body["forwarded_by"]
    assert [lead["id"] for lead in results(api_as(applicant).get(INTERESTS))] == [first.pk]
    assert api_as(applicant).get(f"{INTERESTS}{second.pk}/").status_code == 404
    assert not results(api_as(other_applicant).get(INTERESTS))
    assert api_as(other_applicant).get(f"{INTERESTS}{first.pk}/").status_code == 404

    again = api_as(officer).post(f"{INTERESTS}{first.pk}/forward/", {}, format="json")
    assert again.status_code == 409 and again.json()["state"] == "forwarded"
    assert api_as(officer).post(f"{INTERESTS}{second.pk}/close/", {}, format="json").status_code == 400
    closed = api_as(officer).post(
        f"{INTERESTS}{second.pk}/close/", {"comment": "Advertising."}, format="json"
    )
    assert closed.json()["state"] == "closed"
    assert (
        api_as(applicant).post(f"{INTERESTS}{first.pk}/close/", {"comment": "x"}, format="json").status_code
        == 403
    )
    filtered = results(api_as(officer).get(INTERESTS, {"state": "closed", "project": item.pk}))
    assert [lead["id"] for lead in filtered] == [second.pk]


# Achievements and industries -----------------------------------------------------------------------------

ACHIEVEMENT = {
    "title_zh": "中德合资电驱动产线投产",
    "title_en": "Sino-German electric drive line starts production",
    "description_zh": "合资项目签约一年后，郑州片区新产线投产。",
    "description_en": "A year after signing, the joint venture's new line in Zhengzhou started production.",
    "channel": "foreign_affairs",
    "ftz_area": "zhengzhou",
    "happened_on": "2025-06-01",
}


def test_achievements_are_written_published_and_illustrated_by_officers(api_as, officer, applicant):
    shown = published(officer)
    hidden = project(officer)
    office = api_as(officer)
    created = office.post(ACHIEVEMENTS, {**ACHIEVEMENT, "projects": [shown.pk, hidden.pk]}, format="json")
    assert created.status_code == 201, created.json()
    body = assert_answer_matches(created, ACHIEVEMENTS, "post")
    assert body["shape"] == "full" and body["state"] == "draft" and body["url"] is None
    assert {p["reference"] for p in body["projects"]} == {shown.reference, hidden.reference}
    url = f"{ACHIEVEMENTS}{body['id']}/"
    assert anonymous().get(url).status_code == 404 and not results(anonymous().get(ACHIEVEMENTS))

    image = office.post(f"{url}images/", {"file": png()}, format="multipart")
    assert image.status_code == 201, image.json()
    assert_answer_matches(image, f"{ACHIEVEMENTS}{{id}}/images/", "post")
    assert api_as(applicant).post(f"{url}images/", {"file": png()}, format="multipart").status_code == 404
    assert office.post(f"{url}archive/", {}, format="json").status_code == 409
    published_ = office.post(f"{url}publish/", {}, format="json")
    assert published_.status_code == 200 and published_.json()["state"] == "published"
    assert (
        office.patch(url, {"title_en": "The line runs"}, format="json").json()["title_en"] == "The line runs"
    )

    public = assert_answer_matches(anonymous().get(url, {"lang": "en"}), f"{ACHIEVEMENTS}{{id}}/")
    assert public["shape"] == "public" and public["title"] == "The line runs"
    assert "state" not in public and "created_by" not in public
    assert [p["reference"] for p in public["projects"]] == [shown.reference]  # published projects only
    assert public["images"][0]["url"].endswith(f"/images/{image.json()['id']}/")
    assert [a["id"] for a in results(anonymous().get(ACHIEVEMENTS))] == [body["id"]]
    assert [a["id"] for a in results(anonymous().get(ACHIEVEMENTS, {"search": "电驱动"}))] == [body["id"]]


def test_only_officers_write_achievements(api_as, officer, manager, applicant):
    assert api_as(manager).post(ACHIEVEMENTS, ACHIEVEMENT, format="json").status_code == 403
    assert api_as(applicant).post(ACHIEVEMENTS, ACHIEVEMENT, format="json").status_code == 403
    assert anonymous().post(ACHIEVEMENTS, ACHIEVEMENT, format="json").status_code == 401
    future = api_as(officer).post(ACHIEVEMENTS, {**ACHIEVEMENT, "happened_on": "2999-01-01"}, format="json")
    assert future.status_code == 400 and not Achievement.objects.exists()


def test_industries_are_public_and_officers_edit_them(api_as, officer, applicant):
    listed = assert_answer_matches(anonymous().get(INDUSTRIES, {"page_size": 100}), INDUSTRIES)
    codes = [industry["code"] for industry in listed["results"]]
    assert "automobiles" in codes and listed["count"] == Industry.objects.filter(active=True).count()
    created = api_as(officer).post(
        INDUSTRIES,
        {
            "code": "hydrogen",
            "name_zh": "氢能",
            "name_en": "Hydrogen energy",
            "area": "zhengzhou",
            "priority": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert assert_answer_matches(created, INDUSTRIES, "post")["name"] == "氢能"
    url = f"{INDUSTRIES}{created.json()['id']}/"
    retired = api_as(officer).patch(url, {"active": False}, format="json")
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert anonymous().get(url).status_code == 404
    assert api_as(officer).get(url).status_code == 200
    duplicate = api_as(officer).post(
        INDUSTRIES, {"code": "hydrogen", "name_zh": "氢", "name_en": "H"}, format="json"
    )
    assert duplicate.status_code == 400
    assert (
        api_as(applicant)
        .post(INDUSTRIES, {"code": "x", "name_zh": "x", "name_en": "x"}, format="json")
        .status_code
        == 403
    )


# Query counts --------------------------------------------------------------------------------------------


def _projects(officer, organization, count: int) -> None:
    for n in range(count):
        item = published(officer, enterprises=[organization] if n % 2 else [], partner_city=f"City {n}")
        services.note_add(project=item, actor=officer, text=f"Note {n}")
        services.document_add(project=item, actor=officer, kind="image", uploaded_file=png(), public=True)
        lead = interest_services.interest_express(
            project=item, data={**INTEREST, "email": f"v{n}@example.it"}
        )
        if n % 2:
            interest_services.interest_run(interest=lead, actor=officer, name="forward")


def _achievements(officer, count: int) -> None:
    item = CooperationProject.objects.first()
    for n in range(count):
        story = achievement_services.achievement_create(
            actor=officer,
            data={
                **ACHIEVEMENT,
                "happened_on": date(2025, 6, 1),
                "title_en": f"Story {n}",
                "projects": [item.pk],
            },
        )
        achievement_services.image_add(achievement=story, actor=officer, uploaded_file=png())
        achievement_services.achievement_publication_run(achievement=story, actor=officer, name="publish")


def test_list_queries_do_not_grow_with_the_list(api_as, officer, applicant, django_assert_max_num_queries):
    lists = [API, ACHIEVEMENTS, INTERESTS, INDUSTRIES]

    def counts() -> dict:
        # Fresh users each time: a user caches its roles and organisation.
        clients = {
            "anonymous": anonymous(),
            "officer": api_as(User.objects.get(pk=officer.pk)),
            "enterprise": api_as(User.objects.get(pk=applicant.pk)),
        }
        measured = {}
        for name, client in clients.items():
            for url in lists:
                if name == "anonymous" and url == INTERESTS:
                    continue
                with django_assert_max_num_queries(100) as captured:
                    response = client.get(url, {"page_size": 50})
                assert response.status_code == 200, (name, url, response.json())
                measured[name, url] = len(captured)
        return measured

    _projects(officer, applicant.organization, 3)
    _achievements(officer, 3)
    few = counts()
    _projects(officer, applicant.organization, 12)
    _achievements(officer, 12)
    many = counts()
    changed = {key: (few[key], many[key]) for key in few if many[key] != few[key]}
    assert not changed, changed
    assert max(many.values()) <= 10, many
    assert len(results(api_as(officer).get(API, {"page_size": 50}))) == 15


def test_the_browsable_api_renders_with_its_forms(api_as, officer, applicant):
    """The browsable API fills its PATCH form from the object (many-to-many ids, the owner)."""
    item = published(officer, enterprises=[applicant.organization])
    story = achievement_services.achievement_create(
        actor=officer, data={**ACHIEVEMENT, "happened_on": date(2025, 6, 1), "projects": [item.pk]}
    )
    industry = Industry.objects.first()
    urls = [API, f"{API}{item.pk}/", f"{ACHIEVEMENTS}{story.pk}/", f"{INDUSTRIES}{industry.pk}/", INTERESTS]
    for url in urls:
        assert api_as(officer).get(url, HTTP_ACCEPT="text/html").status_code == 200, url
    for url in [API, f"{API}{item.pk}/", INTERESTS]:
        assert api_as(applicant).get(url, HTTP_ACCEPT="text/html").status_code == 200, url
