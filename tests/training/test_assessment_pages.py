"""The assessment page (/training/enrolments/<id>/assessment/): only the trainee, the questions in the reader's
language, unanswered questions kept as errors, a pass completes the course with its certificate, attempts run
out, and the right answers are never shown."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Attempt, Certificate

from .factories import answers_for, course, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def graded(organization, officer):
    """A course of three questions (pass mark 60 %, two attempts), a trainee with an account, enrolled."""
    taught = course(code="PD-50", pass_mark=60, questions=3, max_attempts=2)
    PersonFactory(organization=organization, email="examinee@example.cn", full_name="考生")
    user = enterprise_user(organization, email="examinee@example.cn")
    held = session(officer=officer, course_obj=taught, starts_in=timedelta(days=3))
    enrolment = services.enrol_self(session=held, actor=user)
    return {"course": taught, "user": user, "enrolment": enrolment, "officer": officer}


def attended(graded):
    services.mark(enrolment=graded["enrolment"], actor=graded["officer"], attended=True)


def url(enrolment) -> str:
    return f"/training/enrolments/{enrolment.pk}/assessment/"


def post_data(answers: dict) -> dict:
    return {f"q{question}": choice for question, choice in answers.items()}


def test_only_the_trainee_sees_the_assessment(client, graded, organization, liaison, officer):
    attended(graded)
    address = url(graded["enrolment"])
    assert client.get(address).status_code == 302  # sign in first
    for other in (liaison, officer, enterprise_user(organization, email="colleague@example.cn")):
        client.force_login(other)
        assert client.get(address).status_code == 404
        assert client.post(address, post_data(answers_for(graded["course"], 3))).status_code == 404
    assert not Attempt.objects.exists()
    client.force_login(graded["user"])
    assert client.get(address).status_code == 200
    assert client.get("/training/enrolments/999999/assessment/").status_code == 404


def test_a_course_without_assessment_has_no_page(client, organization, officer):
    PersonFactory(organization=organization, email="plain@example.cn")
    user = enterprise_user(organization, email="plain@example.cn")
    enrolment = services.enrol_self(session=session(officer=officer), actor=user)
    client.force_login(user)
    assert client.get(url(enrolment)).status_code == 404


def test_before_attendance_the_page_says_when_it_opens(english, graded):
    english.force_login(graded["user"])
    response = english.get(url(graded["enrolment"]))
    body = response.content.decode()
    assert 'data-testid="not-open"' in body and "once your attendance is recorded" in body
    assert 'type="radio"' not in body
    refused = english.post(url(graded["enrolment"]), post_data(answers_for(graded["course"], 3)))
    assert refused.status_code == 409 and not Attempt.objects.exists()


def test_the_questions_in_the_readers_language_without_the_right_answers(english, graded):
    attended(graded)
    reader = Client()  # the portal's default language, Chinese
    reader.force_login(graded["user"])
    chinese = reader.get(url(graded["enrolment"])).content.decode()
    # \b: the page's random tokens (CSRF) may hold "Q1" inside them.
    assert "问题1" in chinese and "答案2" in chinese and not re.search(r"\bQ1\b", chinese)

    english.force_login(graded["user"])
    body = english.get(url(graded["enrolment"])).content.decode()
    assert "Q1" in body and "Q3" in body and "Answer 1" in body
    assert "Pass mark" in body and "60%" in body and "0 of 2 used" in body
    assert body.count('type="radio"') == 9
    # Every answer is shown the same way: nothing tells the right one apart.
    tags = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", body)
    assert len({re.sub(r'(value|id)="[^"]*"', "", tag) for tag in tags}) == 3  # one shape per question
    assert "correct" not in body.lower()


def test_an_unanswered_question_is_an_error_and_the_answers_are_kept(english, graded):
    attended(graded)
    english.force_login(graded["user"])
    answers = answers_for(graded["course"], 3)
    first, second, third = answers
    response = english.post(
        url(graded["enrolment"]), post_data({first: answers[first], third: answers[third]})
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "Choose an answer to this question." in body
    assert f'href="#id_q{second}"' in body and f'id="id_q{second}"' in body
    assert re.search(rf'value="{answers[first]}"[^>]*checked', body)
    assert re.search(rf'value="{answers[third]}"[^>]*checked', body)
    assert not Attempt.objects.exists()


def test_passing_completes_the_course_and_links_the_certificate(english, graded):
    attended(graded)
    english.force_login(graded["user"])
    enrolment = graded["enrolment"]
    response = english.post(url(enrolment), post_data(answers_for(graded["course"], 2)), follow=True)
    assert response.redirect_chain == [(f"{url(enrolment)}?attempt=1", 302)]
    body = response.content.decode()
    enrolment.refresh_from_db()
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert enrolment.state == "completed"
    assert 'data-passed="true"' in body and "67%" in body and "Passed" in body
    assert f'href="/training/certificates/{certificate.pk}/download/"' in body
    # The course is over: the page shows the result, no more questions.
    again = english.get(url(enrolment)).content.decode()
    assert 'type="radio"' not in again and "67%" in again
    assert english.post(url(enrolment), post_data(answers_for(graded["course"], 3))).status_code == 409
    assert Attempt.objects.count() == 1


def test_a_failed_attempt_shows_the_attempts_left_then_they_run_out(english, graded):
    attended(graded)
    english.force_login(graded["user"])
    enrolment = graded["enrolment"]
    body = english.post(
        url(enrolment), post_data(answers_for(graded["course"], 1)), follow=True
    ).content.decode()
    assert 'data-passed="false"' in body and "33%" in body and "You have 1 attempt left." in body
    assert 'data-testid="try-again"' in body and 'data-testid="certificate-link"' not in body
    assert "1 of 2 used" in english.get(url(enrolment)).content.decode()

    body = english.post(
        url(enrolment), post_data(answers_for(graded["course"], 0)), follow=True
    ).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == "failed" and not Certificate.objects.exists()
    assert "0%" in body and "You have used every attempt" in body and 'data-testid="try-again"' not in body
    assert english.post(url(enrolment), post_data(answers_for(graded["course"], 3))).status_code == 409
    assert english.get(f"{url(enrolment)}?attempt=x").status_code == 200
