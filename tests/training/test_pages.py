"""The browser pages of training: the public calendar (filters, paging, queries that do not grow with it), a
course, a session and enrolling (oneself, a liaison's colleagues, the waiting list, the deadline's refusal),
My training (cancel, the reason after the deadline, the assessment link, certificates), the organisation's
learning records (scoped: another organisation's person is 404), an enrolment's page and the certificate's
download (404 for another organisation, a clear message while it is being prepared)."""

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from foreign_affairs.accounts.models import Person
from foreign_affairs.documents import attachments
from tests.apec_cards.helpers import pdf_upload
from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Certificate, CourseMaterial, Enrolment, Session

from .factories import course, session

pytestmark = pytest.mark.django_db

CALENDAR = reverse("training:calendar")
MY = reverse("training:my")
PEOPLE = reverse("training:people")


@pytest.fixture
def as_user(client):
    """`client` signed in as `user`, in English unless told (assertions read the source strings)."""

    def sign_in(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return sign_in


@pytest.fixture
def people(organization):
    return [
        PersonFactory(organization=organization, full_name=f"学员{n}", pinyin_name=f"XUE YUAN {n}")
        for n in range(3)
    ]


def text(response) -> str:
    return html.unescape(response.content.decode())


def told(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def listed(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-session="(\d+)"', text(response))]


def session_url(held) -> str:
    return reverse("training:session", args=[held.pk])


def enrol_url(held) -> str:
    return reverse("training:enrol", args=[held.pk])


def close_enrolment(held) -> None:
    """The deadline passed a minute ago (the session itself is still to come)."""
    Session.objects.filter(pk=held.pk).update(enrolment_deadline=timezone.now() - timedelta(minutes=1))


# The calendar ----------------------------------------------------------------------------------------------


def test_the_calendar_is_public_and_lists_coming_sessions_with_their_places(client, officer, liaison, people):
    briefing = session(officer=officer, capacity=2, starts_in=timedelta(days=3))
    full = session(
        officer=officer,
        capacity=1,
        course_obj=course(code="PR-01", topic="protocol", title_zh="外事礼仪", title_en="Protocol"),
    )
    services.enrol(session=full, actor=liaison, person=people[0])
    internal = session(
        officer=officer, course_obj=course(code="OF-01", topic="discipline", audience="office")
    )
    gone = session(officer=officer, starts_in=timedelta(days=5))
    services.session_cancel(session=gone, actor=officer, comment="场地调整")

    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert listed(response) == [briefing.pk, full.pk]  # soonest first; no office course, no cancelled one
    page = text(response)
    assert "出国（境）前教育" in page and "外事礼仪" in page
    assert 'data-places="2"' in page and 'data-places="full"' in page
    assert f'href="{session_url(briefing)}"' in page
    assert internal.pk not in listed(client.get(CALENDAR, {"page": 1}))


def test_the_office_sees_its_own_courses_in_the_calendar(as_user, officer):
    internal = session(
        officer=officer, course_obj=course(code="OF-01", topic="discipline", audience="office")
    )
    assert listed(as_user(officer).get(CALENDAR)) == [internal.pk]


def test_the_calendar_filters_by_topic_month_and_mode_and_ignores_nonsense(client, officer):
    today = timezone.localdate()
    briefing = session(officer=officer, starts_in=timedelta(days=2))
    later = session(
        officer=officer,
        starts_in=timedelta(days=70),
        course_obj=course(code="PR-01", topic="protocol"),
        mode="online",
        venue="",
        online_url="https://meeting.example.cn/room/1",
    )
    assert listed(client.get(CALENDAR, {"topic": "protocol"})) == [later.pk]
    assert listed(client.get(CALENDAR, {"mode": "in_person"})) == [briefing.pk]
    month = timezone.localtime(later.starts_at).date()
    assert listed(client.get(CALENDAR, {"month": f"{month:%Y-%m}"})) == [later.pk]
    response = client.get(CALENDAR, {"topic": "no-such", "month": "2026-13", "mode": "online", "page": "x"})
    assert response.status_code == 200 and listed(response) == [later.pk]  # the valid filter still applies
    empty = client.get(CALENDAR, {"topic": "language"})
    assert 'data-testid="empty-state"' in text(empty) and listed(empty) == []
    assert f"{today:%Y-%m}" in text(client.get(CALENDAR))  # the months offered start with this one


def test_the_calendar_costs_the_same_queries_however_many_sessions(as_user, officer, liaison, people):
    for _ in range(2):
        held = session(officer=officer)
    services.enrol(session=held, actor=liaison, person=people[0])
    client = as_user(liaison)
    client.get(CALENDAR)  # warm the session and the language
    with CaptureQueriesContext(connection) as few:
        assert client.get(CALENDAR).status_code == 200
    for _ in range(8):
        held = session(officer=officer, course_obj=course(topic="protocol"))
        services.enrol(session=held, actor=liaison, person=people[1])
    with CaptureQueriesContext(connection) as many:
        response = client.get(CALENDAR)
    assert len(listed(response)) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_course_shows_its_facts_sessions_and_materials_to_download_when_signed_in(
    client, as_user, officer, applicant
):
    graded = course(code="AS-01", pass_mark=80, questions=2, description_zh="安全与纪律。")
    held = session(officer=officer, course_obj=graded)
    material = attachments.attachment_add(
        case=graded,
        model=CourseMaterial,
        kind="handbook",
        uploaded_file=pdf_upload("手册.pdf"),
        actor=officer,
        kinds={"handbook": "other"},
        action="training_course.attach",
    )
    url = reverse("training:course", args=[graded.pk])
    page = text(client.get(url))
    assert "安全与纪律。" in page and "80%" in page and listed(client.get(url)) == [held.pk]
    assert "手册.pdf" in page and reverse("training:material", args=[material.pk]) not in page
    download = reverse("training:material", args=[material.pk])
    assert client.get(download).status_code == 302  # to sign in
    signed_in = as_user(applicant)
    assert download in text(signed_in.get(url))
    response = signed_in.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


# A session and enrolling -----------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_sign_in_to_enrol(client, officer):
    held = session(officer=officer)
    page = text(client.get(session_url(held)))
    assert 'data-testid="sign-in-to-enrol"' in page and 'data-testid="enrol-self"' not in page
    response = client.post(enrol_url(held), {"action": "self"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Enrolment.objects.exists()


def test_enrolling_oneself_makes_the_traveller_record_once(as_user, officer, organization):
    user = enterprise_user(organization, first_name="Wei", last_name="Zhang", email="zhang.wei@example.cn")
    first, second = session(officer=officer), session(officer=officer, starts_in=timedelta(days=9))
    client = as_user(user)
    assert 'data-testid="enrol-self"' in text(client.get(session_url(first)))
    response = client.post(enrol_url(first), {"action": "self"}, follow=True)
    assert "You are enrolled in" in told(response)
    assert 'data-testid="own-enrolment"' in text(response) and 'data-testid="enrol-self"' not in text(
        response
    )
    client.post(enrol_url(second), {"action": "self"})
    person = Person.objects.get(organization=organization)
    assert person.email == "zhang.wei@example.cn"
    assert set(Enrolment.objects.values_list("person", "state")) == {(person.pk, "enrolled")}
    assert Enrolment.objects.count() == 2
    again = client.post(enrol_url(first), {"action": "self"}, follow=True)
    assert "already enrolled" in told(again) and Enrolment.objects.count() == 2


def test_the_liaison_enrols_colleagues_and_the_full_session_puts_the_rest_on_the_waiting_list(
    as_user, officer, liaison, people
):
    held = session(officer=officer, capacity=2)
    client = as_user(liaison)
    page = text(client.get(session_url(held)))
    assert 'data-testid="enrol-people"' in page and all(person.full_name in page for person in people)
    response = client.post(
        enrol_url(held), {"action": "people", "people": [p.pk for p in people]}, follow=True
    )
    messages = told(response)
    assert "2 colleagues enrolled: 学员0, 学员1." in messages
    assert "The session is full: 学员2 put on its waiting list" in messages
    states = dict(Enrolment.objects.filter(session=held).values_list("person__full_name", "state"))
    assert states == {"学员0": "enrolled", "学员1": "enrolled", "学员2": "waiting"}
    page = text(response)
    assert 'data-places="full"' in page and 'data-testid="ours"' in page
    assert 'data-testid="no-people"' in page  # nobody left to choose

    again = client.post(enrol_url(held), {"action": "people", "people": [people[0].pk]}, follow=True)
    assert "Already enrolled or on the waiting list, left as they were: 学员0." in told(again)
    assert Enrolment.objects.filter(session=held).count() == 3


def test_colleagues_of_another_organisation_or_none_are_refused_beside_the_field(
    as_user, officer, liaison, other_organization
):
    held = session(officer=officer)
    stranger = PersonFactory(organization=other_organization)
    client = as_user(liaison)
    for chosen in ([stranger.pk], [], ["x"]):
        response = client.post(enrol_url(held), {"action": "people", "people": chosen})
        assert response.status_code == 400 and 'id="error-summary"' in text(response)
    assert not Enrolment.objects.exists()


def test_an_applicant_enrols_only_themself(as_user, officer, applicant, people):
    held = session(officer=officer)
    client = as_user(applicant)
    assert 'data-testid="enrol-people"' not in text(client.get(session_url(held)))
    response = client.post(enrol_url(held), {"action": "people", "people": [people[0].pk]}, follow=True)
    assert "liaison enrols colleagues" in told(response)
    assert not Enrolment.objects.exists()


def test_after_the_deadline_the_page_says_why_and_enrolling_is_refused_with_a_message(
    as_user, officer, applicant, liaison
):
    held = session(officer=officer, starts_in=timedelta(days=3))
    later = session(officer=officer, course_obj=held.course, starts_in=timedelta(days=20))
    close_enrolment(held)
    client = as_user(liaison)
    assert 'data-places="closed"' in text(client.get(CALENDAR))
    page = text(client.get(session_url(held)))
    assert "Enrolment closed on" in page and f'href="{session_url(later)}"' in page
    assert 'data-testid="enrol-self"' not in page and 'data-testid="enrol-people"' not in page
    response = as_user(applicant).post(enrol_url(held), {"action": "self"}, follow=True)
    assert response.status_code == 200
    assert "Enrolment closed on" in told(response) and "Choose a later session" in told(response)
    assert not Enrolment.objects.exists()


def test_a_cancelled_session_shows_why_and_offers_no_form(as_user, officer, applicant):
    held = session(officer=officer)
    services.session_cancel(session=held, actor=officer, comment="讲师行程冲突")
    page = text(as_user(applicant).get(session_url(held)))
    assert "This session was cancelled." in page and 'data-testid="enrol-self"' not in page


def test_office_staff_enrol_themselves_in_the_offices_own_courses_only(as_user, officer):
    internal = session(
        officer=officer, course_obj=course(code="OF-01", topic="discipline", audience="office")
    )
    public = session(officer=officer)
    client = as_user(officer)
    assert 'data-testid="enrol-self"' not in text(client.get(session_url(public)))
    assert 'data-testid="enrol-self"' in text(client.get(session_url(internal)))
    client.post(enrol_url(internal), {"action": "self"})
    assert Enrolment.objects.get().user == officer
    refused = client.post(enrol_url(public), {"action": "self"}, follow=True)
    assert "not the office's" in told(refused) and Enrolment.objects.count() == 1


def test_an_enterprise_user_cannot_enrol_in_an_office_course(as_user, officer, applicant):
    internal = session(
        officer=officer, course_obj=course(code="OF-01", topic="discipline", audience="office")
    )
    client = as_user(applicant)
    assert "for the office's own staff" in text(client.get(session_url(internal)))
    refused = client.post(enrol_url(internal), {"action": "self"}, follow=True)
    assert "for the office's own staff" in told(refused) and not Enrolment.objects.exists()


def test_a_missing_session_is_404(client):
    assert client.get(reverse("training:session", args=[999999])).status_code == 404
    assert client.get(reverse("training:course", args=[999999])).status_code == 404


# My training -----------------------------------------------------------------------------------------------


def test_the_records_ask_visitors_to_sign_in(client):
    for url in (
        MY,
        PEOPLE,
        reverse("training:enrolment", args=[1]),
        reverse("training:certificate", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_my_training_lists_my_enrolments_and_cancels_one_before_the_deadline(as_user, officer, organization):
    user = enterprise_user(organization, email="li.si@example.cn")
    held = session(officer=officer, capacity=1)
    client = as_user(user)
    empty = client.get(MY)
    assert 'data-testid="empty-state"' in text(empty)
    client.post(enrol_url(held), {"action": "self"})
    enrolment = Enrolment.objects.get()
    page = text(client.get(MY))
    assert f'data-enrolment="{enrolment.pk}"' in page and f'data-testid="cancel-{enrolment.pk}"' in page
    assert 'data-standing="none"' in page  # no pre-departure certificate yet

    response = client.post(
        reverse("training:cancel", args=[enrolment.pk]), {"reason": "出差冲突", "next": MY}, follow=True
    )
    assert response.redirect_chain[-1][0] == MY
    assert "is cancelled" in told(response)
    enrolment.refresh_from_db()
    assert enrolment.state == "cancelled"


def test_after_the_deadline_my_training_gives_the_reason_instead_of_the_cancel_button(
    as_user, officer, organization
):
    user = enterprise_user(organization, email="li.si@example.cn")
    held = session(officer=officer)
    client = as_user(user)
    client.post(enrol_url(held), {"action": "self"})
    enrolment = Enrolment.objects.get()
    close_enrolment(held)
    page = text(client.get(MY))
    assert f'data-testid="cancel-{enrolment.pk}"' not in page
    assert "Cancellations closed with enrolment on" in page
    response = client.post(reverse("training:cancel", args=[enrolment.pk]), follow=True)
    assert "Ask the office" in told(response)
    enrolment.refresh_from_db()
    assert enrolment.state == "enrolled"


def test_my_training_offers_the_assessment_once_attended_and_lists_certificates(
    as_user, officer, organization
):
    user = enterprise_user(organization, email="wang.wu@example.cn")
    graded = session(officer=officer, course_obj=course(code="AS-01", pass_mark=80, questions=2))
    plain = session(officer=officer, starts_in=timedelta(days=9))
    client = as_user(user)
    client.post(enrol_url(graded), {"action": "self"})
    client.post(enrol_url(plain), {"action": "self"})
    for enrolment in Enrolment.objects.all():
        services.mark(enrolment=enrolment, actor=officer, attended=True)
    graded_enrolment = Enrolment.objects.get(session=graded)
    page = text(client.get(MY))
    assert reverse("training:assessment", args=[graded_enrolment.pk]) in page
    assert 'data-testid="certificate-pending"' in page  # issued, its PDF still to come
    assert 'data-standing="valid"' in page


def test_office_staff_see_their_own_record(as_user, officer):
    internal = session(
        officer=officer, course_obj=course(code="OF-01", topic="discipline", audience="office")
    )
    client = as_user(officer)
    client.post(enrol_url(internal), {"action": "self"})
    enrolment = Enrolment.objects.get()
    assert f'data-enrolment="{enrolment.pk}"' in text(client.get(MY))
    assert client.get(reverse("training:enrolment", args=[enrolment.pk])).status_code == 200


# The organisation's learning records -----------------------------------------------------------------------


def test_the_people_list_shows_each_travellers_predeparture_standing_in_constant_queries(
    as_user, officer, liaison, people, organization, other_organization
):
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=liaison, person=people[0])
    services.mark(enrolment=enrolment, actor=officer, attended=True)  # certificate valid for a year
    PersonFactory(organization=other_organization, full_name="外单位人员")
    client = as_user(liaison)
    client.get(PEOPLE)
    with CaptureQueriesContext(connection) as few:
        response = client.get(PEOPLE)
    page = text(response)
    assert "外单位人员" not in page
    standings = dict(re.findall(r'data-person="(\d+)".*?data-standing="(\w+)"', page, flags=re.S))
    assert standings == {str(people[0].pk): "valid", str(people[1].pk): "none", str(people[2].pk): "none"}

    for number in range(6):
        person = PersonFactory(organization=organization, full_name=f"新人{number}")
        services.enrol(session=held, actor=liaison, person=person)
    with CaptureQueriesContext(connection) as many:
        client.get(PEOPLE)
    assert len(many.captured_queries) == len(few.captured_queries)

    found = client.get(PEOPLE, {"q": "xue yuan 1"})
    assert re.findall(r'data-person="(\d+)"', text(found)) == [str(people[1].pk)]
    valid = client.get(PEOPLE, {"certificate": "valid"})
    assert re.findall(r'data-person="(\d+)"', text(valid)) == [str(people[0].pk)]


def test_a_persons_record_is_seen_by_the_organisation_only(
    as_user, officer, applicant, liaison, people, other_applicant
):
    held = session(officer=officer)
    services.enrol(session=held, actor=liaison, person=people[0])
    url = reverse("training:person", args=[people[0].pk])
    page = text(as_user(applicant).get(url))
    assert "学员0" in page and f'data-session="{held.pk}"' not in page and "data-enrolment" in page
    assert as_user(other_applicant).get(url).status_code == 404
    assert as_user(other_applicant).get(PEOPLE).status_code == 200  # their own (empty) list
    assert as_user(officer).get(url).status_code == 302  # the office uses the back office


def test_an_enrolment_is_seen_and_cancelled_within_the_organisation_only(
    as_user, officer, liaison, people, other_applicant
):
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=liaison, person=people[0])
    url = reverse("training:enrolment", args=[enrolment.pk])
    page = text(as_user(liaison).get(url))
    assert 'data-state="enrolled"' in page and f'data-testid="cancel-{enrolment.pk}"' in page
    outsider = as_user(other_applicant)
    assert outsider.get(url).status_code == 404
    assert outsider.post(reverse("training:cancel", args=[enrolment.pk])).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.state == "enrolled"


# The certificate -------------------------------------------------------------------------------------------


def test_the_certificate_downloads_for_its_organisation_once_rendered(
    as_user, officer, liaison, people, other_applicant
):
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=liaison, person=people[0])
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    url = reverse("training:certificate", args=[certificate.pk])

    assert as_user(other_applicant).get(url).status_code == 404
    client = as_user(liaison)
    waiting = client.get(url, follow=True)
    assert waiting.redirect_chain[-1][0] == reverse("training:enrolment", args=[enrolment.pk])
    assert "still being prepared" in told(waiting)

    services.certificate_render(certificate_id=certificate.pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# Languages -------------------------------------------------------------------------------------------------


def test_the_session_page_reads_in_english(as_user, officer, applicant):
    held = session(officer=officer)
    page = text(as_user(applicant, language="en").get(session_url(held)))
    assert "Pre-departure briefing" in page and "出国（境）前教育" not in page
    assert "Enrol myself" in page and "Enrolment deadline" in page
    assert 'lang="en"' in page
