"""The check-in page the venue's QR code opens (/training/check-in/<session>/<code>/): sign in first, see the
session and one button; the check-in itself on POST, refused with the reason (stale code, another session's
code, outside the time window, not enrolled, waiting list), limited per account."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Enrolment, Session
from training.services.attendance import CHECK_INS_PER_MINUTE, code_for
from training.views.check_in import check_in_url

from .factories import course, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def trainee(organization, email: str):
    """An enterprise user and their traveller record (the same e-mail)."""
    PersonFactory(organization=organization, email=email, full_name="学员甲")
    return enterprise_user(organization, email=email)


def under_way(held: Session) -> Session:
    """Move the session to now: started an hour ago, ends in two hours."""
    now = timezone.now()
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=2),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    held.refresh_from_db()
    return held


@pytest.fixture
def setup(organization, officer, liaison):
    """A session under way (capacity 1), a trainee holding its place, a colleague on its waiting list."""
    cache.clear()
    user = trainee(organization, "trainee@example.cn")
    waiting_user = trainee(organization, "waiting@example.cn")
    held = session(officer=officer, capacity=1, starts_in=timedelta(days=3))
    services.enrol_self(session=held, actor=user)
    services.enrol_self(session=held, actor=waiting_user)
    return {"session": under_way(held), "user": user, "waiting_user": waiting_user}


def page(held: Session, code: str) -> str:
    return f"/training/check-in/{held.pk}/{code}/"


def test_the_qr_code_opens_the_page_after_signing_in(client, setup):
    held = setup["session"]
    address = page(held, code_for(held))
    assert check_in_url(held, code_for(held)) == f"{settings.PORTAL_BASE_URL}{address}"
    response = client.get(address)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={quote(address)}"


def test_the_page_shows_the_session_and_one_button_then_checks_in_on_post(english, setup):
    held, user = setup["session"], setup["user"]
    english.force_login(user)
    address = page(held, code_for(held))
    body = english.get(address).content.decode()
    assert held.course.title_en in body and held.reference in body
    assert 'data-testid="enrolled"' in body and 'data-testid="check-in-button"' in body
    assert "csrfmiddlewaretoken" in body
    enrolment = Enrolment.objects.get(session=held, person__email="trainee@example.cn")
    assert enrolment.state == "enrolled"  # opening the page checks nobody in

    response = english.post(address, follow=True)
    assert response.redirect_chain == [(address, 302)]
    body = response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == "completed" and enrolment.check_in_method == "qr"  # no assessment: done
    assert "You are checked in" in body and 'data-testid="certificate-pending"' in body
    assert 'data-testid="check-in-button"' not in body
    again = english.post(address, follow=True)  # twice: no harm
    assert "You are checked in" in again.content.decode()


def test_with_an_assessment_the_next_step_is_the_assessment(english, organization, officer):
    user = trainee(organization, "graded@example.cn")
    held = session(officer=officer, course_obj=course(code="PD-77", pass_mark=80, questions=2))
    enrolment = services.enrol_self(session=held, actor=user)
    held = under_way(held)
    english.force_login(user)
    body = english.post(page(held, code_for(held)), follow=True).content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == "attended"
    assert f'href="/training/enrolments/{enrolment.pk}/assessment/"' in body and "80%" in body


def test_a_stale_code_is_refused_and_asks_for_a_new_scan(english, setup):
    held, user = setup["session"], setup["user"]
    english.force_login(user)
    stale = code_for(held, timezone.now() - timedelta(minutes=5))
    response = english.post(page(held, stale))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-kind="stale"' in body and "Scan the code on the screen again." in body
    assert 'data-testid="check-in-button"' not in body
    yesterday = code_for(held, timezone.now() - timedelta(days=1))
    assert english.post(page(held, yesterday)).status_code == 400
    assert Enrolment.objects.get(session=held, person__email="trainee@example.cn").state == "enrolled"


def test_the_code_of_another_session_is_refused(english, setup, officer):
    held, user = setup["session"], setup["user"]
    other = under_way(session(officer=officer))
    english.force_login(user)
    response = english.post(page(held, code_for(other)))
    assert response.status_code == 400 and 'data-kind="stale"' in response.content.decode()
    assert Enrolment.objects.get(session=held, person__email="trainee@example.cn").state == "enrolled"


def test_outside_the_time_window_is_refused_even_with_the_current_code(english, organization, officer):
    user = trainee(organization, "early@example.cn")
    held = session(officer=officer, starts_in=timedelta(days=2))
    services.enrol_self(session=held, actor=user)
    english.force_login(user)
    address = page(held, code_for(held))
    body = english.get(address).content.decode()
    assert 'data-testid="opens"' in body and 'data-testid="check-in-button"' not in body
    response = english.post(address)
    body = response.content.decode()
    assert response.status_code == 400 and 'data-kind="window"' in body
    assert "Check-in is open from 30 minutes before the session starts until it ends." in body

    now = timezone.now()
    Session.objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=5),
        starts_at=now - timedelta(hours=4),
        ends_at=now - timedelta(hours=1),
    )
    ended = english.post(page(held, code_for(held)))
    assert ended.status_code == 400 and 'data-kind="window"' in ended.content.decode()
    assert Enrolment.objects.get(session=held).state == "enrolled"


def test_not_enrolled_and_waiting_list_are_refused_with_the_reason(english, setup, organization):
    held = setup["session"]
    code = code_for(held)
    stranger = trainee(organization, "stranger@example.cn")
    english.force_login(stranger)
    assert 'data-testid="not-enrolled"' in english.get(page(held, code)).content.decode()
    refused = english.post(page(held, code))
    assert refused.status_code == 403
    assert "You are not enrolled in this session. Ask the officer at the door." in refused.content.decode()

    english.force_login(setup["waiting_user"])
    assert 'data-testid="waiting"' in english.get(page(held, code)).content.decode()
    waiting = english.post(page(held, code))
    assert waiting.status_code == 409 and "You are on the waiting list" in waiting.content.decode()
    assert Enrolment.objects.get(session=held, person__email="waiting@example.cn").state == "waiting"


def test_a_cancelled_session_and_a_code_that_cannot_be_one(english, setup, officer):
    held, user = setup["session"], setup["user"]
    english.force_login(user)
    assert english.post(page(held, "%C3%A9%E2%9C%93")).status_code == 400  # non-ASCII: refused, no error
    assert english.post(page(held, "A" * 40)).status_code == 400
    assert english.get(f"/training/check-in/999999/{code_for(held)}/").status_code == 404
    Session.objects.filter(pk=held.pk).update(state="cancelled")
    assert 'data-testid="cancelled"' in english.get(page(held, code_for(held))).content.decode()
    assert english.post(page(held, code_for(held))).status_code == 409


def test_presses_are_limited_per_account_so_codes_cannot_be_guessed(english, setup):
    held, user = setup["session"], setup["user"]
    english.force_login(user)
    for guess in range(CHECK_INS_PER_MINUTE):
        assert english.post(page(held, f"GUESS{guess % 10}")).status_code == 400
    throttled = english.post(page(held, code_for(held)))  # even the right code, for a minute
    assert throttled.status_code == 429 and throttled["Retry-After"] == "60"
    assert 'data-kind="throttled"' in throttled.content.decode()
    assert Enrolment.objects.get(session=held, person__email="trainee@example.cn").state == "enrolled"
    # Another account is counted on its own.
    english.force_login(setup["waiting_user"])
    assert english.post(page(held, code_for(held))).status_code == 409
