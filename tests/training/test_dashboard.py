"""Training on the start page: an enterprise user's own upcoming training, the sessions with free places and
their organisation's travellers lacking pre-departure training for trips departing soon; an officer's
sessions of the week, waiting lists and certificates not rendered. Each in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from approvals.models import DelegationMember
from foreign_affairs.dashboard import Dashboard
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, enterprise_user
from training import services
from training.dashboard import training, untrained_travellers
from training.models import Certificate

from .factories import course, session

pytestmark = pytest.mark.django_db

# A Wednesday: its week runs from Monday 15 to Sunday 21 June 2026.
NOW = timezone.make_aware(datetime(2026, 6, 17, 10, 0))
TODAY = NOW.date()
# An enterprise user's part: their enrolments, the open sessions, the travellers; an officer's: one aggregate.
ENTERPRISE_QUERIES = 3
OFFICER_QUERIES = 1


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, user) -> str:
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def certify(officer, liaison, person, issued: date, predeparture):
    """A pre-departure certificate issued on `issued` (valid 12 months)."""
    starts = timezone.make_aware(datetime(issued.year, issued.month, issued.day, 9))
    with time_machine.travel(starts - timedelta(days=10), tick=False):
        held = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=10))
        enrolment = services.enrol(session=held, actor=liaison, person=person)
    with time_machine.travel(starts + timedelta(hours=1), tick=False):
        services.mark(enrolment=enrolment, actor=officer, attended=True)
    return Certificate.objects.get(enrolment=enrolment)


def trip(organization, departure: date, people, **state):
    application = ApplicationFactory(
        organization=organization, trip__departure=departure, trip__members=0, **state
    )
    for person in people:
        DelegationMember.objects.create(application=application, person=person)
    return application


# Enterprise users --------------------------------------------------------------------------------------


def test_an_enterprise_user_sees_their_next_session_and_the_open_ones(
    english, officer, organization, liaison
):
    person = PersonFactory(organization=organization, email="trainee@example.cn")
    user = enterprise_user(organization, email="Trainee@example.cn")
    predeparture = course(code="PD-01", title_en="Pre-departure briefing")
    soon = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=3), capacity=1)
    later = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=20))
    services.enrol(session=soon, actor=liaison, person=PersonFactory(organization=organization))
    services.enrol(session=soon, actor=liaison, person=person)  # the last place is taken: waiting
    services.enrol(session=later, actor=liaison, person=person)
    # Not open: full, past its deadline, the office's own course, cancelled.
    session(officer=officer, course_obj=predeparture, starts_in=timedelta(hours=10))
    office_course = course(code="OF-01", topic="discipline", audience="office")
    session(officer=officer, course_obj=office_course, starts_in=timedelta(days=5))
    cancelled = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=6))
    services.session_cancel(session=cancelled, actor=officer, comment="讲师有事")

    html = page(english, user)
    assert "My training" in html and 'href="/training/my/"' in html
    assert "next: Pre-departure briefing, 20 Jun 2026, 10:00 (on the waiting list)" in html
    board = Dashboard()
    training(user, board)
    tiles = {tile.label: tile for tile in board.tiles}
    assert tiles["My training"].value == 2
    assert tiles["Training sessions with free places"].value == 1  # `later`
    assert tiles["Training sessions with free places"].url == "/training/"
    # Someone without an upcoming session is pointed to My training all the same.
    board = Dashboard()
    training(liaison, board)
    assert {tile.label: tile.value for tile in board.tiles}["My training"] == 0


def test_the_travellers_lacking_training_for_trips_departing_soon(
    english, officer, organization, other_organization, liaison
):
    predeparture = course(code="PD-01")
    trained, lapsing, untrained, far = (PersonFactory(organization=organization) for _ in range(4))
    certify(officer, liaison, trained, date(2026, 3, 1), predeparture)  # valid until 28 Feb 2027
    certify(officer, liaison, lapsing, date(2025, 7, 1), predeparture)  # valid until 30 Jun 2026
    departing = trip(organization, TODAY + timedelta(days=20), [trained, lapsing, untrained], in_review=True)
    trip(organization, TODAY + timedelta(days=30), [untrained])  # a draft: the same traveller again
    trip(organization, TODAY + timedelta(days=90), [far], approved=True)  # not soon
    trip(organization, TODAY + timedelta(days=10), [far], rejected=True)  # not travelling
    trip(other_organization, TODAY + timedelta(days=10), [PersonFactory(organization=other_organization)])

    assert untrained_travellers(organization) == {
        "people": 2,
        "applications": 2,
        "first": departing.departure_date,
    }
    html = page(english, liaison)
    assert (
        "2 travellers departing within 60 days have no valid pre-departure training; the first trip departs "
        "on 7 Jul 2026." in html
    )
    assert 'href="/training/people/"' in html
    # The departure date on the boundary: a certificate valid on that very day is enough.
    type(departing).objects.filter(pk=departing.pk).update(departure_date=date(2026, 6, 30))
    assert untrained_travellers(organization)["people"] == 1
    # Another organisation's users see their own travellers only.
    other = enterprise_user(other_organization, liaison=True)
    assert "1 traveller departing within 60 days has no valid pre-departure training" in page(english, other)


def test_nothing_to_train_no_task(english, applicant):
    html = page(english, applicant)
    assert "pre-departure training" not in html
    assert "Training sessions with free places" in html and "none open at the moment" in html


@pytest.fixture(autouse=True)
def _english_texts():
    """The tiles' and tasks' texts are compared in English (the catalogue is Chinese by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


# Officers ----------------------------------------------------------------------------------------------


def test_an_officer_sees_the_week_the_waiting_lists_and_failed_certificates(
    english, officer, liaison, organization, manager
):
    predeparture = course(code="PD-01")
    # This week: Monday's (held) and Friday's; next Monday's is not.
    monday = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=-2), capacity=2)
    friday = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=2), capacity=1)
    session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=5))
    people = [PersonFactory(organization=organization) for _ in range(3)]
    outcome = services.enrol_people(session=friday, actor=liaison, people=people)
    assert len(outcome.waiting) == 2
    # Monday's places (enrolled before, completed on the day); one certificate failed to render.
    with time_machine.travel(NOW - timedelta(days=5), tick=False):
        done = services.enrol(session=monday, actor=liaison, person=people[0])
    services.mark(enrolment=done, actor=officer, attended=True)
    certificate = Certificate.objects.get(enrolment=done)
    services.certificate_failed(certificate_id=certificate.pk, error=OSError("disk full"))

    board = Dashboard()
    training(officer, board)
    (tile,) = [tile for tile in board.tiles if tile.label == "Training sessions this week"]
    assert (tile.value, tile.hint) == (2, "2 places booked")
    texts = [task.text for task in board.tasks]
    assert "2 people are waiting for places in upcoming training sessions." in texts
    assert "1 training certificate could not be rendered." in texts
    html = page(english, officer)
    assert "Training sessions this week" in html and "could not be rendered" in html
    # Rendered after all: the task goes.
    Certificate.objects.filter(pk=certificate.pk).update(file="certificates/2026/x.pdf")
    board = Dashboard()
    training(officer, board)
    assert not [task for task in board.tasks if "rendered" in task.text]
    # Managers and leaders are not shown the officers' work.
    board = Dashboard()
    training(manager, board)
    assert board.tiles == [] and board.tasks == []


def test_the_officers_links_open_the_back_office(english, officer, liaison, organization):
    """When the back office of training is registered, each link opens its list without an error."""
    from training import dashboard

    if not dashboard._admin_url("session"):
        pytest.skip("the training back office is not registered yet")
    predeparture = course(code="PD-01")
    full = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=2), capacity=1)
    services.enrol_people(
        session=full, actor=liaison, people=[PersonFactory(organization=organization) for _ in range(2)]
    )
    done = services.enrol(
        session=session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=1)),
        actor=liaison,
        person=PersonFactory(organization=organization),
    )
    services.mark(enrolment=done, actor=officer, attended=True)
    services.certificate_failed(certificate_id=Certificate.objects.get(enrolment=done).pk, error=OSError("x"))
    board = Dashboard()
    training(officer, board)
    english.force_login(officer)
    urls = [tile.url for tile in board.tiles] + [task.url for task in board.tasks]
    assert len(urls) == 3
    for url in urls:
        response = english.get(url)
        assert response.status_code == 200, url  # an unknown parameter would redirect to ?e=1
        assert len(response.context["cl"].result_list) >= 1, url


# Queries -----------------------------------------------------------------------------------------------


def more_data(officer, organization, liaison):
    predeparture = course()
    for days in (1, 2, 3):
        held = session(officer=officer, course_obj=predeparture, starts_in=timedelta(days=days), capacity=1)
        services.enrol_people(
            session=held, actor=liaison, people=[PersonFactory(organization=organization) for _ in range(3)]
        )
    trip(
        organization,
        TODAY + timedelta(days=15),
        [PersonFactory(organization=organization) for _ in range(4)],
        submitted=True,
    )


@pytest.mark.parametrize(("role", "queries"), [("liaison", ENTERPRISE_QUERIES), ("officer", OFFICER_QUERIES)])
def test_the_parts_take_the_same_queries_for_more_data(
    request, role, queries, officer, organization, liaison, django_assert_num_queries
):
    user = request.getfixturevalue(role)
    liaison.email = "liaison@example.cn"
    liaison.save(update_fields=["email"])
    PersonFactory(organization=organization, email="liaison@example.cn")
    training(user, Dashboard())  # the user's roles and organisation are read once, as on a page
    with django_assert_num_queries(queries):
        training(user, Dashboard())
    more_data(officer, organization, liaison)
    more_data(officer, organization, liaison)
    board = Dashboard()
    with django_assert_num_queries(queries):
        training(user, board)
    assert board.tiles
