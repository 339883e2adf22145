"""`/api/v1/training/`: the catalogue and the calendar read by anyone; enrolments and certificates scoped to
the organisation (another's 404, anonymous 401); enrolling with a waiting list and the deadline's 409; the
assessment without its answers, scored, its attempts limited; certificates with their verification code,
their PDF once rendered and revocation by officers; checking in with the venue's code (wrong 400,
throttled); the office's writes; lists whose queries do not grow with their length; answers as the
OpenAPI schema declares them."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from foreign_affairs.documents.services import document_create
from tests.apec_cards.helpers import pdf_upload
from tests.factories import PersonFactory, enterprise_user
from tests.foreign_affairs.test_api_schema import assert_answer_matches, operation, schema
from training import services
from training.documents import certificate_verification
from training.models import Certificate, Course, CourseMaterial, Enrolment, Session
from training.services.attendance import CHECK_INS_PER_MINUTE, code_for

from .factories import answers_for, course, session

pytestmark = pytest.mark.django_db

API = "/api/v1/training/"
COURSES = f"{API}courses/"
SESSIONS = f"{API}sessions/"
ENROLMENTS = f"{API}enrolments/"
CERTIFICATES = f"{API}certificates/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def anonymous() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def api(api_as):
    """A client signed in as `user` that reads English (the messages asserted below are English)."""

    def login(user):
        client = api_as(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return login


def trainee(organization, n: int = 0):
    """An enterprise user and their traveller record (the same e-mail): who takes the assessment."""
    email = f"trainee{n}.{organization.pk}@example.cn"
    user = enterprise_user(organization, email=email)
    person = PersonFactory(organization=organization, email=email, full_name=f"学员{n}")
    return user, person


def under_way(held: Session) -> Session:
    """The session started an hour ago and ends in two hours (check-in is open)."""
    now = timezone.now()
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=2),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    held.refresh_from_db()
    return held


def material(course_obj, officer) -> CourseMaterial:
    document = document_create(
        uploaded_file=pdf_upload("handbook.pdf"), kind="other", organization=None, uploaded_by=officer
    )
    return CourseMaterial.objects.create(application=course_obj, kind="handbook", document=document)


def past(held: Session) -> Session:
    now = timezone.now()
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(days=3),
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=3),
    )
    held.refresh_from_db()
    return held


# The catalogue and the calendar: anyone ----------------------------------------------------------------


def test_anyone_reads_the_offered_courses_and_the_upcoming_sessions(officer):
    offered = course(code="PD-01", pass_mark=80, questions=3, max_attempts=2)
    handbook = material(offered, officer)
    course(code="OLD-01", topic="protocol", is_active=False)
    soon = session(
        course_obj=offered, officer=officer, capacity=5, mode="online", online_url="https://meet.example.cn/x"
    )
    over = past(session(course_obj=offered, officer=officer))

    body = assert_answer_matches(anonymous().get(COURSES), COURSES)
    assert [c["code"] for c in body["results"]] == ["PD-01"]  # the one no longer offered: office only
    listed = body["results"][0]
    assert listed["title_zh"] == "出国（境）前教育" and listed["title_en"] == "Pre-departure briefing"
    assert (listed["topic"], listed["audience"], listed["duration_hours"]) == (
        "predeparture",
        "enterprise",
        "2.0",
    )
    assert listed["has_assessment"] is True and listed["pass_mark"] == 80 and listed["max_attempts"] == 2
    assert listed["question_count"] == 3 and listed["certificate_months"] == 12
    assert listed["title"] == "Pre-departure briefing"  # Accept-Language: en
    assert listed["materials"] == [
        {
            "id": handbook.pk,
            "kind": "handbook",
            "name": "handbook.pdf",
            "size": handbook.document.size,
            "url": f"{django_settings.PORTAL_BASE_URL}/training/materials/{handbook.pk}/",
        }
    ]
    assert anonymous().get(COURSES, {"lang": "zh-hans"}).json()["results"][0]["title"] == "出国（境）前教育"
    assert anonymous().get(f"{COURSES}{Course.objects.get(code='OLD-01').pk}/").status_code == 404
    assert anonymous().get(COURSES, {"topic": "protocol"}).json()["count"] == 0
    assert anonymous().get(COURSES, {"search": "briefing"}).json()["count"] == 1
    assert anonymous().get(COURSES, {"topic": "nonsense"}).status_code == 400

    body = assert_answer_matches(anonymous().get(SESSIONS), SESSIONS)
    assert [s["id"] for s in body["results"]] == [soon.pk]  # upcoming by default
    shown = body["results"][0]
    assert (shown["capacity"], shown["taken"], shown["free"], shown["waiting"]) == (5, 0, 5, 0)
    assert shown["open_for_enrolment"] is True and shown["course"]["code"] == "PD-01"
    assert shown["online_url"] is None  # the trainees' and the office's
    assert [s["id"] for s in anonymous().get(SESSIONS, {"when": "past"}).json()["results"]] == [over.pk]
    assert anonymous().get(SESSIONS, {"when": "all"}).json()["count"] == 2
    assert anonymous().get(SESSIONS, {"when": "someday"}).status_code == 400
    assert anonymous().get(SESSIONS, {"topic": "protocol"}).json()["count"] == 0
    assert anonymous().get(SESSIONS, {"mode": "online", "open": "true"}).json()["count"] == 1
    day = timezone.localtime(soon.starts_at).date()
    assert anonymous().get(SESSIONS, {"date_from": day, "date_to": day}).json()["count"] == 1
    detail = assert_answer_matches(anonymous().get(f"{SESSIONS}{over.pk}/"), f"{SESSIONS}{{id}}/")
    assert detail["open_for_enrolment"] is False  # a past session is read too, whatever the list's default
    office = APIClient()
    office.force_authenticate(officer)
    assert office.get(f"{SESSIONS}{soon.pk}/").json()["online_url"] == "https://meet.example.cn/x"


def test_enrolments_and_certificates_need_an_account(officer, organization):
    held = session(officer=officer)
    _user, person = trainee(organization)
    services.enrol(session=held, actor=officer, person=person)
    for path in (ENROLMENTS, CERTIFICATES, f"{ENROLMENTS}{Enrolment.objects.get().pk}/"):
        answer = anonymous().get(path)
        assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated", path
    assert anonymous().post(f"{SESSIONS}{held.pk}/enrol/", {"people": [person.pk]}).status_code == 401
    assert anonymous().post(f"{SESSIONS}{held.pk}/enrol-self/").status_code == 401
    assert anonymous().post(COURSES, {"code": "X"}).status_code == 401


# Enrolling -------------------------------------------------------------------------------------------------


def test_a_liaison_enrols_colleagues_places_then_the_waiting_list(api, officer, liaison, organization):
    held = session(officer=officer, capacity=2)
    people = [PersonFactory(organization=organization, full_name=f"团员{n}") for n in range(4)]
    services.enrol(session=held, actor=liaison, person=people[3])
    url = f"{SESSIONS}{held.pk}/enrol/"
    answer = api(liaison).post(url, {"people": [p.pk for p in people]}, format="json")
    body = assert_answer_matches(answer, f"{SESSIONS}{{id}}/enrol/", "post")
    assert [e["person"] for e in body["enrolled"]] == [people[0].pk]
    assert [e["person"] for e in body["waiting"]] == [people[1].pk, people[2].pk]
    assert [e["waiting_position"] for e in body["waiting"]] == [1, 2]
    assert body["already"] == [{"id": people[3].pk, "full_name": people[3].full_name}]
    assert body["enrolled"][0]["state"] == "enrolled" and body["waiting"][0]["state"] == "waiting"

    shown = api(liaison).get(f"{SESSIONS}{held.pk}/").json()
    assert (shown["taken"], shown["free"], shown["waiting"]) == (2, 0, 2)

    stranger = PersonFactory()  # another organisation's traveller: as unknown as one that does not exist
    refused = api(liaison).post(url, {"people": [stranger.pk, 999999]}, format="json")
    assert refused.status_code == 400
    error = assert_answer_matches(refused, f"{SESSIONS}{{id}}/enrol/", "post")["errors"][0]
    assert error["field"] == "people" and str(stranger.pk) in error["message"]
    assert api(liaison).post(url, {"people": []}, format="json").status_code == 400
    assert api(liaison).post(url, {"people": ["x"]}, format="json").status_code == 400


def test_an_applicant_enrols_themself_and_a_colleague_is_the_liaisons_job(api, officer, organization):
    held = session(officer=officer)
    user, person = trainee(organization)
    colleague = PersonFactory(organization=organization)
    answer = api(user).post(f"{SESSIONS}{held.pk}/enrol-self/")
    assert answer.status_code == 201
    body = assert_answer_matches(answer, f"{SESSIONS}{{id}}/enrol-self/", "post")
    assert body["person"] == person.pk and body["state"] == "enrolled"
    assert body["available_transitions"] == ["cancel"]
    refused = api(user).post(f"{SESSIONS}{held.pk}/enrol/", {"people": [colleague.pk]}, format="json")
    assert refused.status_code == 403 and "liaison" in refused.json()["detail"]
    again = api(user).post(f"{SESSIONS}{held.pk}/enrol-self/")
    assert again.status_code == 400


def test_after_the_deadline_enrolling_and_cancelling_answer_409_saying_why(
    api, officer, liaison, organization
):
    held = session(officer=officer, starts_in=timedelta(days=2))
    person, late = PersonFactory(organization=organization), PersonFactory(organization=organization)
    enrolment = services.enrol(session=held, actor=liaison, person=person)
    Session.objects.filter(pk=held.pk).update(enrolment_deadline=timezone.now() - timedelta(minutes=1))

    refused = api(liaison).post(f"{SESSIONS}{held.pk}/enrol/", {"people": [late.pk]}, format="json")
    assert refused.status_code == 409
    body = assert_answer_matches(refused, f"{SESSIONS}{{id}}/enrol/", "post")
    assert body["code"] == "conflict" and body["detail"].startswith("Enrolment closed on ")
    assert "Choose a later session" in body["detail"]

    cancel = api(liaison).post(f"{ENROLMENTS}{enrolment.pk}/cancel/", {"comment": "生病"}, format="json")
    assert cancel.status_code == 409 and "Ask the office" in cancel.json()["detail"]
    assert_answer_matches(cancel, f"{ENROLMENTS}{{id}}/cancel/", "post")
    done = api(officer).post(f"{ENROLMENTS}{enrolment.pk}/cancel/", {"comment": "生病"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "cancelled"


def test_cancelling_gives_the_place_to_the_first_waiting(api, officer, liaison, organization):
    held = session(officer=officer, capacity=1)
    first, second = PersonFactory(organization=organization), PersonFactory(organization=organization)
    outcome = services.enrol_people(session=held, actor=liaison, people=[first, second])
    answer = api(liaison).post(f"{ENROLMENTS}{outcome.enrolled[0].pk}/cancel/", {}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"
    promoted = api(liaison).get(f"{ENROLMENTS}{outcome.waiting[0].pk}/").json()
    assert promoted["state"] == "enrolled" and promoted["waiting_position"] is None


# Scoping -------------------------------------------------------------------------------------------------


def test_an_organisation_sees_its_own_enrolments_and_certificates_only(
    api, officer, liaison, organization, other_organization, django_capture_on_commit_callbacks
):
    held = session(officer=officer)
    ours = services.enrol(session=held, actor=officer, person=PersonFactory(organization=organization))
    theirs = services.enrol(
        session=held, actor=officer, person=PersonFactory(organization=other_organization)
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.mark(enrolment=theirs, actor=officer, attended=True)  # completed: a certificate
    certificate = Certificate.objects.get(enrolment=theirs)
    other_liaison = enterprise_user(other_organization, liaison=True)

    listed = assert_answer_matches(api(liaison).get(ENROLMENTS), ENROLMENTS)
    assert [e["id"] for e in listed["results"]] == [ours.pk]
    assert api(liaison).get(f"{ENROLMENTS}{theirs.pk}/").status_code == 404
    assert api(liaison).post(f"{ENROLMENTS}{theirs.pk}/cancel/", {}, format="json").status_code == 404
    assert api(liaison).get(f"{ENROLMENTS}{theirs.pk}/assessment/").status_code == 404
    assert api(liaison).get(CERTIFICATES).json()["count"] == 0
    assert api(liaison).get(f"{CERTIFICATES}{certificate.pk}/").status_code == 404
    assert api(liaison).get(f"{CERTIFICATES}{certificate.pk}/pdf/").status_code == 404
    assert api(liaison).get(ENROLMENTS, {"organization": other_organization.pk}).json()["count"] == 0

    assert api(other_liaison).get(f"{ENROLMENTS}{theirs.pk}/").json()["state"] == "completed"
    assert api(other_liaison).get(CERTIFICATES).json()["count"] == 1
    assert api(officer).get(ENROLMENTS).json()["count"] == 2
    assert api(officer).get(ENROLMENTS, {"organization": organization.pk}).json()["count"] == 1
    assert api(officer).get(ENROLMENTS, {"state": "completed"}).json()["count"] == 1
    assert api(officer).get(ENROLMENTS, {"state": "nonsense"}).status_code == 400


# The register, the assessment ----------------------------------------------------------------------------


def test_the_register_is_the_officers(api, officer, liaison, leader, organization):
    held = session(officer=officer, course_obj=course(code="PD-09", pass_mark=60, questions=2))
    enrolment = services.enrol(session=held, actor=liaison, person=PersonFactory(organization=organization))
    url = f"{ENROLMENTS}{enrolment.pk}/"
    for user in (liaison, leader):
        assert api(user).post(f"{url}attend/").status_code == 403
    body = assert_answer_matches(api(officer).post(f"{url}attend/"), f"{ENROLMENTS}{{id}}/attend/", "post")
    assert body["state"] == "attended" and body["check_in_method"] == "register"
    assert api(officer).post(f"{url}absent/").json()["state"] == "absent"
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    refused = api(officer).post(f"{url}cancel/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["state"] == "attended"


def test_the_assessment_hides_its_answers_scores_attempts_and_limits_them(
    api, officer, organization, django_capture_on_commit_callbacks
):
    graded = course(code="PD-05", pass_mark=100, questions=3, max_attempts=2)
    held = session(officer=officer, course_obj=graded)
    user, person = trainee(organization)
    enrolment = services.enrol(session=held, actor=user, person=person)
    url = f"{ENROLMENTS}{enrolment.pk}/assessment/"

    closed = api(user).get(url)
    assert closed.status_code == 409 and "attendance is recorded" in closed.json()["detail"]
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    assert api(officer).get(url).status_code == 403  # the trainee's own
    assert api(officer).post(url, {"answers": answers_for(graded, 3)}, format="json").status_code == 403

    answer = api(user).get(url)
    body = assert_answer_matches(answer, template_of(url))
    assert (body["pass_mark"], body["max_attempts"], body["attempts_left"]) == (100, 2, 2)
    assert len(body["questions"]) == 3 and all(len(q["choices"]) == 3 for q in body["questions"])
    assert "correct" not in answer.content.decode()  # neither is_correct nor anything like it
    assert api(user).get(f"{ENROLMENTS}{enrolment.pk}/").json()["assessment_open"] is True

    incomplete = api(user).post(
        url, {"answers": dict(list(answers_for(graded, 3).items())[:2])}, format="json"
    )
    assert incomplete.status_code == 400 and incomplete.json()["errors"][0]["field"] == "answers"
    assert api(user).post(url, {"answers": {"abc": 1}}, format="json").status_code == 400
    assert api(user).post(url, {"answers": []}, format="json").status_code == 400

    first = api(user).post(url, {"answers": answers_for(graded, 2)}, format="json")
    assert first.status_code == 201
    result = assert_answer_matches(first, template_of(url), "post")
    assert (result["number"], result["score"], result["passed"], result["attempts_left"]) == (1, 67, False, 1)
    assert result["enrolment_state"] == "attended" and result["certificate"] is None

    with django_capture_on_commit_callbacks(execute=True):
        second = api(user).post(url, {"answers": answers_for(graded, 3)}, format="json")
    result = second.json()
    assert second.status_code == 201 and result["passed"] is True and result["enrolment_state"] == "completed"
    assert result["certificate"]["verification_code"] and result["certificate"]["status"] == "valid"

    again = api(user).post(url, {"answers": answers_for(graded, 3)}, format="json")
    assert again.status_code == 409
    shown = api(user).get(f"{ENROLMENTS}{enrolment.pk}/").json()
    assert [a["score"] for a in shown["attempts"]] == [67, 100] and shown["assessment_open"] is False


def test_the_last_attempt_used_is_409(api, officer, organization):
    graded = course(code="PD-06", pass_mark=100, questions=2, max_attempts=1)
    held = session(officer=officer, course_obj=graded)
    user, person = trainee(organization)
    enrolment = services.enrol(session=held, actor=user, person=person)
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    url = f"{ENROLMENTS}{enrolment.pk}/assessment/"
    failed = api(user).post(url, {"answers": answers_for(graded, 1)}, format="json").json()
    assert (
        failed["passed"] is False and failed["enrolment_state"] == "failed" and failed["attempts_left"] == 0
    )
    for answer in (
        api(user).get(url),
        api(user).post(url, {"answers": answers_for(graded, 2)}, format="json"),
    ):
        assert answer.status_code == 409 and answer.json()["state"] == "failed"
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def template_of(url: str) -> str:
    return "/".join("{id}" if part.isdigit() else part for part in url.split("/"))


# Certificates ----------------------------------------------------------------------------------------------


def test_certificates_carry_their_verification_code_download_once_rendered_and_officers_revoke(
    api, officer, liaison, leader, organization, django_capture_on_commit_callbacks
):
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=liaison, person=PersonFactory(organization=organization))
    with django_capture_on_commit_callbacks(execute=False):  # rendering queued, not run yet
        services.mark(enrolment=enrolment, actor=officer, attended=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    url = f"{CERTIFICATES}{certificate.pk}/"

    listed = assert_answer_matches(api(liaison).get(CERTIFICATES), CERTIFICATES)["results"][0]
    assert listed["verification_code"] == certificate.verification_code
    assert listed["verify_url"].endswith(f"/verify/{certificate.verification_code}/")
    assert listed["number"].startswith("HNTC-") and listed["is_predeparture"] is True
    assert (listed["status"], listed["rendered"], listed["download_url"]) == ("valid", False, None)
    assert listed["person"] == enrolment.person_id and listed["holder_name"] == enrolment.person.full_name
    assert listed["organization"] == organization.pk and listed["course"]["id"] == held.course_id
    pending = api(liaison).get(f"{url}pdf/")
    assert pending.status_code == 404 and "still being prepared" in pending.json()["detail"]
    assert api(liaison).get(f"{ENROLMENTS}{enrolment.pk}/").json()["certificate"]["id"] == certificate.pk

    services.certificate_render(certificate_id=certificate.pk)
    shown = assert_answer_matches(api(liaison).get(url), f"{CERTIFICATES}{{id}}/")
    assert shown["rendered"] is True and shown["download_url"].endswith(f"{url}pdf/")
    download = api(liaison).get(f"{url}pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    assert api(liaison).get(CERTIFICATES, {"predeparture": "true", "status": "valid"}).json()["count"] == 1
    assert api(liaison).get(CERTIFICATES, {"expiring_within": 30}).json()["count"] == 0
    assert api(liaison).get(CERTIFICATES, {"expiring_within": 400}).json()["count"] == 1
    assert api(liaison).get(CERTIFICATES, {"expiring_within": "-1"}).status_code == 400

    for user in (liaison, leader):
        refused = api(user).post(f"{url}revoke/", {"reason": "x"}, format="json")
        assert refused.status_code == 403
    assert api(officer).post(f"{url}revoke/", {"reason": " "}, format="json").status_code == 400
    revoked = api(officer).post(f"{url}revoke/", {"reason": "冒名参训"}, format="json")
    body = assert_answer_matches(revoked, f"{CERTIFICATES}{{id}}/revoke/", "post")
    assert body["status"] == "revoked" and body["revoke_reason"] == "冒名参训" and body["revoked_at"]
    again = api(officer).post(f"{url}revoke/", {"reason": "again"}, format="json")
    assert again.status_code == 409
    assert api(liaison).get(CERTIFICATES, {"status": "revoked"}).json()["count"] == 1
    assert certificate_verification(certificate.verification_code).status == "revoked"  # the verify page
    assert APIClient().get(f"/verify/{certificate.verification_code}/").status_code == 200


# Checking in -------------------------------------------------------------------------------------------


def test_checking_in_with_the_venues_code(api, officer, liaison, organization):
    held = session(officer=officer)
    user, person = trainee(organization)
    services.enrol(session=held, actor=liaison, person=person)
    held = under_way(held)
    url = f"{SESSIONS}{held.pk}/check-in/"

    code = api(officer).get(f"{SESSIONS}{held.pk}/check-in-code/")
    shown = assert_answer_matches(code, f"{SESSIONS}{{id}}/check-in-code/")
    assert shown["code"] == code_for(held) and shown["open_now"] is True
    assert shown["url"].endswith(f"/training/check-in/{held.pk}/{shown['code']}/")
    assert shown["qr"].startswith("data:image/svg+xml")
    assert api(liaison).get(f"{SESSIONS}{held.pk}/check-in-code/").status_code == 403

    wrong = api(user).post(url, {"code": "ZZZZZZ"}, format="json")
    assert wrong.status_code == 400
    assert assert_answer_matches(wrong, f"{SESSIONS}{{id}}/check-in/", "post")["errors"][0]["field"] == "code"
    assert api(user).post(url, {}, format="json").status_code == 400
    done = api(user).post(url, {"code": shown["code"].lower()}, format="json")
    body = assert_answer_matches(done, f"{SESSIONS}{{id}}/check-in/", "post")
    assert body["check_in_method"] == "qr" and body["state"] == "completed"  # no assessment: completed

    stranger = enterprise_user(organization)
    refused = api(stranger).post(url, {"code": code_for(held)}, format="json")
    assert refused.status_code == 403 and "not enrolled" in refused.json()["detail"]


def test_check_in_is_throttled_per_user(api, officer, organization):
    held = under_way(session(officer=officer))
    user, _person = trainee(organization)
    url = f"{SESSIONS}{held.pk}/check-in/"
    statuses = [
        api(user).post(url, {"code": "ZZZZZZ"}, format="json").status_code
        for _ in range(CHECK_INS_PER_MINUTE + 1)
    ]
    assert statuses[:CHECK_INS_PER_MINUTE] == [400] * CHECK_INS_PER_MINUTE
    assert statuses[-1] == 429
    other, _ = trainee(organization, 1)  # at the same venue (the same address): not throttled
    assert api(other).post(url, {"code": "ZZZZZZ"}, format="json").status_code == 400


def test_online_attendees_are_marked_from_the_record(api, officer, liaison, organization):
    held = session(officer=officer, mode="online", online_url="https://meet.example.cn/abc", venue="")
    person = PersonFactory(organization=organization, email="wang@example.cn")
    enrolment = services.enrol(session=held, actor=liaison, person=person)
    assert (
        api(liaison).get(f"{ENROLMENTS}{enrolment.pk}/").json()["online_url"] == "https://meet.example.cn/abc"
    )
    url = f"{SESSIONS}{held.pk}/online-record/"
    assert api(liaison).post(url, {"record": "wang@example.cn"}, format="json").status_code == 403
    answer = api(officer).post(url, {"record": "wang@example.cn\nsomeone@else.cn"}, format="json")
    body = assert_answer_matches(answer, f"{SESSIONS}{{id}}/online-record/", "post")
    assert [e["id"] for e in body["marked"]] == [enrolment.pk] and body["unmatched"] == ["someone@else.cn"]
    assert body["marked"][0]["check_in_method"] == "online_record"
    assert api(officer).post(url, {"record": ""}, format="json").status_code == 400


# The office's writes -----------------------------------------------------------------------------------


def test_officers_keep_courses_and_sessions(api, officer, leader, liaison):
    new = {"code": "FTZ-01", "title_zh": "自贸区政策", "topic": "ftz_policy", "duration_hours": "1.5"}
    assert api(liaison).post(COURSES, new, format="json").status_code == 403
    assert api(leader).post(COURSES, new, format="json").status_code == 403
    created = api(officer).post(COURSES, new, format="json")
    body = assert_answer_matches(created, COURSES, "post")
    assert created.status_code == 201 and body["duration_hours"] == "1.5" and body["has_assessment"] is False
    assert api(officer).post(COURSES, new, format="json").status_code == 400  # the code is taken
    assert (
        api(officer).post(COURSES, {**new, "code": "X", "duration_hours": "0.2"}, format="json").status_code
        == 400
    )
    url = f"{COURSES}{body['id']}/"
    changed = api(officer).patch(url, {"pass_mark": 70, "offered": False}, format="json").json()
    assert changed["pass_mark"] == 70 and changed["offered"] is False
    assert anonymous().get(url).status_code == 404  # no longer offered
    assert api(liaison).patch(url, {"pass_mark": 1}, format="json").status_code == 404

    starts = timezone.now() + timedelta(days=10)
    data = {
        "course": body["id"],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "venue": "郑州国际会展中心",
        "capacity": 30,
        "enrolment_deadline": (starts - timedelta(days=2)).isoformat(),
    }
    assert api(liaison).post(SESSIONS, data, format="json").status_code == 403
    wrong = api(officer).post(SESSIONS, {**data, "ends_at": data["starts_at"]}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "ends_at"
    assert api(officer).post(SESSIONS, {**data, "venue": ""}, format="json").status_code == 400
    assert api(officer).post(SESSIONS, {**data, "course": 999999}, format="json").status_code == 400
    made = api(officer).post(SESSIONS, data, format="json")
    session_body = assert_answer_matches(made, SESSIONS, "post")
    assert made.status_code == 201 and session_body["reference"].startswith("HNTS-")
    session_url = f"{SESSIONS}{session_body['id']}/"
    assert api(officer).patch(session_url, {"capacity": 40}, format="json").json()["capacity"] == 40

    assert api(liaison).post(f"{session_url}cancel/", {"comment": "x"}, format="json").status_code == 403
    assert api(officer).post(f"{session_url}cancel/", {}, format="json").status_code == 400  # say why
    cancelled = api(officer).post(f"{session_url}cancel/", {"comment": "场地调整"}, format="json")
    assert assert_answer_matches(cancelled, f"{SESSIONS}{{id}}/cancel/", "post")["state"] == "cancelled"
    assert api(officer).post(f"{session_url}cancel/", {"comment": "again"}, format="json").status_code == 409
    assert api(officer).patch(session_url, {"capacity": 50}, format="json").status_code == 409
    assert api(officer).get(f"{session_url}check-in-code/").status_code == 409


# Queries, and the schema -------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_lists_take_the_same_queries_whatever_their_length(api, officer, liaison, organization):
    def grow():
        graded = course(pass_mark=50, questions=1)
        material(graded, officer)
        held = session(officer=officer, course_obj=graded, capacity=1)
        people = PersonFactory.create_batch(2, organization=organization)
        outcome = services.enrol_people(session=held, actor=liaison, people=people)
        services.mark(enrolment=outcome.enrolled[0], actor=officer, attended=True)  # attended: attempts next

    def certify():
        held = session(officer=officer)
        enrolment = services.enrol(
            session=held, actor=liaison, person=PersonFactory(organization=organization)
        )
        services.mark(enrolment=enrolment, actor=officer, attended=True)

    grow()
    certify()
    office, enterprise, nobody = api(officer), api(liaison), anonymous()
    for client in (office, enterprise):
        client.get("/api/v1/me/")  # the user's roles and organisation, read once per request in real use
    paths = [COURSES, SESSIONS, ENROLMENTS, CERTIFICATES]
    before = {
        (who, path): _queries(client, path)
        for who, client in (("o", office), ("e", enterprise))
        for path in paths
    }
    before |= {("a", path): _queries(nobody, path) for path in paths[:2]}
    for _ in range(3):
        grow()
        certify()
    after = {
        (who, path): _queries(client, path)
        for who, client in (("o", office), ("e", enterprise))
        for path in paths
    }
    after |= {("a", path): _queries(nobody, path) for path in paths[:2]}
    assert after == before
    assert office.get(ENROLMENTS).json()["count"] == 12 and office.get(CERTIFICATES).json()["count"] == 4


def test_the_schema_declares_the_training_routes_and_hides_the_answers():
    paths = schema()["paths"]
    for path in (
        COURSES,
        SESSIONS,
        ENROLMENTS,
        CERTIFICATES,
        f"{SESSIONS}{{id}}/enrol/",
        f"{SESSIONS}{{id}}/check-in/",
        f"{ENROLMENTS}{{id}}/assessment/",
        f"{CERTIFICATES}{{id}}/pdf/",
    ):
        assert path in paths, path
    assert set(operation(f"{CERTIFICATES}{{id}}/pdf/")["responses"]["200"]["content"]) == {"application/pdf"}
    assert "403" in operation(f"{SESSIONS}{{id}}/check-in-code/")["responses"]
    assert "429" in operation(f"{SESSIONS}{{id}}/check-in/", "post")["responses"]
    choice = schema()["components"]["schemas"]["TrainingChoice"]
    assert "is_correct" not in choice["properties"]
    assert "verification_code" in schema()["components"]["schemas"]["TrainingCertificate"]["properties"]
    parameters = {p["name"]: p for p in operation(SESSIONS)["parameters"]}
    assert parameters["when"]["schema"]["enum"] == ["all", "past", "upcoming"]
