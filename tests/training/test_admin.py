"""The back office of training, outside the sessions' page (test_admin_sessions.py): the lists of courses,
sessions, enrolments, certificates and e-mails in queries that do not grow with the rows; a course's fields,
questions with their answers and materials through the services; an enrolment's page and cancelling; a
certificate's PDF, verify link and revocation; and what leaders and managers may not do."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from foreign_affairs.audit.models import AuditEvent
from tests.apec_cards.helpers import pdf_upload
from tests.factories import PersonFactory
from training import services
from training.models import Certificate, Choice, Course, CourseMaterial, Enrolment, Question, TrainingMessage

from .factories import course, session

pytestmark = pytest.mark.django_db

COURSES = reverse("admin:training_course_changelist")
SESSIONS = reverse("admin:training_session_changelist")
ENROLMENTS = reverse("admin:training_enrolment_changelist")
CERTIFICATES = reverse("admin:training_certificate_changelist")
MESSAGES = reverse("admin:training_trainingmessage_changelist")


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def last_message(page) -> tuple[str, str]:
    found = [(message.level_tag, str(message)) for message in page.context["messages"]]
    return found[-1]


@pytest.fixture
def people(organization):
    return [
        PersonFactory(
            organization=organization,
            full_name=f"学员{n}",
            pinyin_name=f"XUE YUAN {n}",
            email=f"xueyuan{n}@example.cn",
        )
        for n in range(3)
    ]


def completed(officer, person, *, course_obj=None) -> Enrolment:
    """An enrolment of `person` completed (attended a course without an assessment), with its certificate."""
    held = session(officer=officer, course_obj=course_obj)
    enrolment = services.enrol(session=held, actor=officer, person=person)
    return services.mark(enrolment=enrolment, actor=officer, attended=True)


# The lists ------------------------------------------------------------------------------------------------


def test_the_lists_take_the_same_queries_for_many_rows(
    client, officer, organization, django_assert_max_num_queries
):
    def fill(count: int, start: int):
        for n in range(start, start + count):
            taught = course(code=f"PD-{n:02d}", questions=1, pass_mark=50 if n % 2 else None)
            held = session(officer=officer, course_obj=taught, capacity=1)
            person = PersonFactory(organization=organization, full_name=f"学员{n}")
            other = PersonFactory(full_name=f"外单位{n}")
            services.enrol_people(session=held, actor=officer, people=[person, other])  # one waits
            if not taught.has_assessment:
                done = services.mark(
                    enrolment=Enrolment.objects.get(session=held, person=person), actor=officer, attended=True
                )
                TrainingMessage.objects.create(
                    enrolment=done, key=f"k{n}", to=f"t{n}@example.cn", subject="证书", body="…"
                )

    fill(2, 1)
    client.force_login(officer)
    lists = [COURSES, SESSIONS, ENROLMENTS, CERTIFICATES, MESSAGES]
    few = {}
    for url in lists:
        with django_assert_max_num_queries(40) as counted:
            assert rows(client.get(url))
        few[url] = len(counted.captured_queries)
    fill(18, 3)
    for url in lists:
        with django_assert_max_num_queries(few[url]):
            assert len(rows(client.get(url))) >= 10


def test_the_course_list_shows_the_assessment_and_the_upcoming_sessions_with_filters_and_search(
    client, officer
):
    examined = course(code="PD-01", pass_mark=80, questions=2)
    plain = course(code="PR-01", topic="protocol", title_zh="外事礼仪", title_en="Protocol")
    course(code="OLD-01", topic="other", is_active=False)
    session(officer=officer, course_obj=examined)
    session(officer=officer, course_obj=examined)
    client.force_login(officer)
    page = client.get(COURSES)
    html = page.content.decode()
    assert 'data-upcoming="2"' in html and 'data-assessment="yes"' in html and 'data-assessment="no"' in html
    assert [c.code for c in rows(client.get(COURSES, {"topic": "protocol"}))] == ["PR-01"]
    assert [c.code for c in rows(client.get(COURSES, {"offered": "no"}))] == ["OLD-01"]
    assert rows(client.get(COURSES, {"q": "礼仪"})) == [plain]


# A course ------------------------------------------------------------------------------------------------


def test_an_officer_changes_a_course_through_the_service(client, officer):
    taught = course(code="PD-01")
    client.force_login(officer)
    page = client.get(reverse("admin:training_course_change", args=[taught.pk]))
    assert page.status_code == 200 and page.context["material_form"] is not None
    data = {
        "code": "PD-01",
        "title_zh": "出国（境）前安全与纪律教育",
        "title_en": "Pre-departure briefing",
        "description_zh": "",
        "description_en": "",
        "topic": "predeparture",
        "audience": "enterprise",
        "duration_hours": "2",
        "pass_mark": "",
        "max_attempts": "3",
        "certificate_months": "12",
        "is_active": "on",
    }
    response = client.post(reverse("admin:training_course_change", args=[taught.pk]), data)
    assert response.status_code == 302
    taught.refresh_from_db()
    assert taught.title_zh == "出国（境）前安全与纪律教育"
    assert AuditEvent.objects.filter(action="training_course.update", object_id=str(taught.pk)).exists()
    response = client.post(
        reverse("admin:training_course_add"), {**data, "code": "PD-02", "certificate_months": "0"}
    )
    assert response.status_code == 200 and "certificate_months" in response.context["adminform"].form.errors
    response = client.post(reverse("admin:training_course_add"), {**data, "code": "PD-02"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="training_course.create").count() == 1


def formset_errors(page) -> list[str]:
    formset = page.context["inline_admin_formsets"][0].formset
    return [error.code for error in formset.non_form_errors().as_data()]


def question_data(course_obj, answers, *, question=None, text="出境后护照由谁保管？", existing=()) -> dict:
    """The question's page as posted: `answers` [(Chinese text, right?)], the first `existing` being the
    question's answers already saved."""
    data = {
        "position": "1",
        "text_zh": text,
        "text_en": "",
        "choices-TOTAL_FORMS": str(len(answers)),
        "choices-INITIAL_FORMS": str(len(existing)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "10",
    }
    if question is None:
        data["course"] = str(course_obj.pk)
    for index, (answer, right) in enumerate(answers):
        data[f"choices-{index}-text_zh"] = answer
        data[f"choices-{index}-text_en"] = ""
        if right:
            data[f"choices-{index}-is_correct"] = "on"
        if index < len(existing):
            data[f"choices-{index}-id"] = str(existing[index].pk)
            data[f"choices-{index}-question"] = str(question.pk)
    return data


def test_a_question_needs_two_answers_and_exactly_one_right(client, officer):
    taught = course(code="PD-01", pass_mark=80)
    client.force_login(officer)
    add = reverse("admin:training_question_add")
    page = client.get(add, {"course": taught.pk, "position": 1})
    assert page.status_code == 200
    page = client.post(add, question_data(taught, [("由个人保管", True), ("", False)]))
    assert page.status_code == 200 and formset_errors(page) == ["too_few"]
    page = client.post(add, question_data(taught, [("由个人保管", True), ("由单位统一保管", True)]))
    assert page.status_code == 200 and formset_errors(page) == ["one_right"] and not Question.objects.exists()
    response = client.post(
        add, question_data(taught, [("由个人保管", False), ("由单位统一保管", True), ("", False)])
    )
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("admin:training_course_change", args=[taught.pk]) + "#assessment"
    )
    question = Question.objects.get(course=taught)
    assert [(c.text_zh, c.is_correct, c.position) for c in question.choices.all()] == [
        ("由个人保管", False, 1),
        ("由单位统一保管", True, 2),
    ]
    event = AuditEvent.objects.get(action="training_course.assessment")
    assert event.object_id == str(taught.pk) and event.data["change"] == "added"

    # The right answer moves to the first one, a third is added: the answers keep their ids.
    first, second = question.choices.all()
    change = reverse("admin:training_question_change", args=[question.pk])
    response = client.post(
        change,
        question_data(
            taught,
            [("由个人保管", True), ("由单位统一保管", False), ("交给领队", False)],
            question=question,
            existing=[first, second],
        ),
    )
    assert response.status_code == 302
    assert [(c.pk, c.is_correct) for c in question.choices.all()][:2] == [
        (first.pk, True),
        (second.pk, False),
    ]
    assert question.choices.count() == 3
    page = client.get(reverse("admin:training_course_change", args=[taught.pk]))
    assert "data-correct" in page.content.decode() and len(page.context["questions"]) == 1
    assert [event.detail for event in page.context["events"]][-1]

    response = client.post(reverse("admin:training_question_delete", args=[question.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Question.objects.exists() and not Choice.objects.exists()
    assert AuditEvent.objects.filter(action="training_course.assessment").count() == 3


def test_materials_are_added_and_removed_through_the_service(client, officer):
    taught = course(code="PD-01")
    client.force_login(officer)
    url = reverse("admin:training_course_material", args=[taught.pk])
    page = client.post(url, {"material-kind": "slides", "material-file": pdf_upload("课件.pdf")}, follow=True)
    assert last_message(page)[0] == "success"
    material = CourseMaterial.objects.get(application=taught)
    assert material.kind == "slides" and material.document.organization is None
    assert "课件.pdf" in page.content.decode()
    page = client.post(
        url,
        {"material-kind": "slides", "material-file": SimpleUploadedFile("x.pdf", b"not a pdf")},
        follow=True,
    )
    assert last_message(page)[0] == "error" and CourseMaterial.objects.count() == 1
    page = client.post(
        reverse("admin:training_course_materials", args=[taught.pk]), {"material": material.pk}, follow=True
    )
    assert last_message(page)[0] == "success" and not CourseMaterial.objects.exists()
    actions = list(AuditEvent.objects.filter(object_id=str(taught.pk)).values_list("action", flat=True))
    assert "training_course.attach" in actions and "training_course.detach" in actions


# Enrolments -------------------------------------------------------------------------------------------------


def test_the_enrolments_list_filters_and_an_enrolment_is_cancelled_from_its_page(
    client, officer, people, other_organization
):
    held = session(officer=officer, capacity=1)
    outcome = services.enrol_people(session=held, actor=officer, people=people[:2])
    stranger = services.enrol(
        session=held, actor=officer, person=PersonFactory(organization=other_organization)
    )
    client.force_login(officer)
    assert rows(client.get(ENROLMENTS, {"state": "waiting"})) == [stranger, outcome.waiting[0]]
    assert rows(client.get(ENROLMENTS, {"organization": other_organization.pk})) == [stranger]
    assert rows(client.get(ENROLMENTS, {"q": "学员1"})) == [outcome.waiting[0]]
    assert len(rows(client.get(ENROLMENTS, {"q": held.reference}))) == 3
    assert len(rows(client.get(ENROLMENTS, {"course": held.course_id}))) == 3

    place = outcome.enrolled[0]
    url = reverse("admin:training_enrolment_change", args=[place.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["group"]["buttons"][0]["name"] == "cancel"
    assert [event.action for event in page.context["events"]] == ["enrolment.create"]
    page = client.post(
        reverse("admin:training_enrolment_transition", args=[place.pk]),
        {"transition": "cancel", "comment": "出差冲突"},
        follow=True,
    )
    assert last_message(page)[0] == "success"
    assert Enrolment.objects.get(pk=place.pk).state == "cancelled"
    assert Enrolment.objects.get(pk=outcome.waiting[0].pk).state == "enrolled"  # the freed place


# Certificates ---------------------------------------------------------------------------------------------


def test_certificates_show_their_status_download_and_are_revoked_with_a_reason(client, officer, people):
    certificate = completed(officer, people[0]).certificate
    certificate = services.certificate_render(certificate_id=certificate.pk)
    expiring = completed(officer, people[1]).certificate
    Certificate.objects.filter(pk=expiring.pk).update(valid_until=timezone.localdate() + timedelta(days=10))
    client.force_login(officer)
    assert rows(client.get(CERTIFICATES, {"status": "expiring"})) == [expiring]
    assert len(rows(client.get(CERTIFICATES, {"status": "valid"}))) == 2
    assert rows(client.get(CERTIFICATES, {"q": certificate.verification_code.replace("-", "").lower()})) == [
        certificate
    ]
    assert rows(client.get(CERTIFICATES, {"q": certificate.number})) == [certificate]
    url = reverse("admin:training_certificate_change", args=[certificate.pk])
    page = client.get(url)
    html = page.content.decode()
    assert certificate.verify_url in html and page.context["download_url"]
    download = client.get(page.context["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    revoke = reverse("admin:training_certificate_revoke", args=[certificate.pk])
    page = client.post(revoke, {"reason": "  "}, follow=True)
    assert last_message(page)[0] == "error" and Certificate.objects.get(pk=certificate.pk).revoked_at is None
    page = client.post(revoke, {"reason": "培训期间代签到"}, follow=True)
    assert last_message(page)[0] == "success"
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoke_reason == "培训期间代签到"
    assert 'data-status="revoked"' in page.content.decode() and page.context["revoke_form"] is None
    assert rows(client.get(CERTIFICATES, {"status": "revoked"})) == [certificate]
    verify = client.get(reverse("verify", args=[certificate.verification_code]))
    assert "revoked" in verify.content.decode() or "撤销" in verify.content.decode()


def test_the_trainees_emails_are_listed_read_only(client, officer, people):
    enrolment = completed(officer, people[0])
    message = TrainingMessage.objects.create(
        enrolment=enrolment,
        key="k1",
        to="xueyuan0@example.cn",
        subject="证书已签发",
        body="…",
        last_error="SMTP 451",
    )
    client.force_login(officer)
    unsent = rows(client.get(MESSAGES, {"sent": "no"}))  # with the notices written to the trainee
    assert message in unsent and all(found.sent_at is None for found in unsent)
    assert rows(client.get(MESSAGES, {"q": "证书已签发"})) == [message]
    page = client.get(reverse("admin:training_trainingmessage_change", args=[message.pk]))
    assert page.status_code == 200 and "SMTP 451" in page.content.decode()
    assert (
        client.post(reverse("admin:training_trainingmessage_change", args=[message.pk]), {}).status_code
        == 403
    )


# Who may do what ---------------------------------------------------------------------------------------------


def test_leaders_and_managers_read_but_change_nothing(client, officer, leader, manager, people):
    enrolment = completed(officer, people[0])
    certificate = enrolment.certificate
    taught = enrolment.session.course
    for reader in (leader, manager):
        client.force_login(reader)
        for url in (COURSES, SESSIONS, ENROLMENTS, CERTIFICATES, MESSAGES):
            assert client.get(url).status_code == 200
        page = client.get(reverse("admin:training_course_change", args=[taught.pk]))
        assert page.status_code == 200 and page.context["material_form"] is None
        assert not page.context["question_add_url"]
        page = client.get(reverse("admin:training_certificate_change", args=[certificate.pk]))
        assert page.status_code == 200 and page.context["revoke_form"] is None
        page = client.get(reverse("admin:training_enrolment_change", args=[enrolment.pk]))
        assert page.status_code == 200 and page.context["group"] is None
        assert client.get(reverse("admin:training_course_add")).status_code == 403
        assert (
            client.post(
                reverse("admin:training_course_material", args=[taught.pk]),
                {"material-kind": "slides", "material-file": pdf_upload()},
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("admin:training_certificate_revoke", args=[certificate.pk]), {"reason": "x"}
            ).status_code
            == 403
        )
        assert client.get(reverse("admin:training_question_add")).status_code == 403
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None
    assert not CourseMaterial.objects.exists()
    assert Course.objects.count() == 1


def test_enterprise_users_do_not_reach_the_back_office(client, liaison):
    client.force_login(liaison)
    for url in (COURSES, SESSIONS, ENROLMENTS, CERTIFICATES):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_search_and_filters_never_fail_on_odd_input(client, officer):
    client.force_login(officer)
    for url, params in [
        (SESSIONS, {"course": "x"}),
        (SESSIONS, {"period": "nonsense"}),
        (ENROLMENTS, {"organization": "abc"}),
        (CERTIFICATES, {"status": "nope", "q": "%%%"}),
        (COURSES, {"q": "' OR 1=1"}),
    ]:
        assert client.get(url, params).status_code == 200
