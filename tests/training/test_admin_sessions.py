"""The back office's sessions: the list (upcoming by default, filters, search), scheduling and changing a
session through the services (errors beside the fields), and a session's page: the register (attendance and
completion with a certificate), the waiting list (a place given, or one more place), enrolling people, an
online session's record, cancelling with a reason, and the venue's check-in page (officers only; its code is
one check_in accepts)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from foreign_affairs.audit.models import AuditEvent
from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Certificate, Enrolment, Session

from .factories import course, session

pytestmark = pytest.mark.django_db

SESSIONS = reverse("admin:training_session_changelist")


def url(item, name="change"):
    return reverse(f"admin:training_session_{name}", args=[item.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def last_message(page) -> tuple[str, str]:
    found = [(message.level_tag, str(message)) for message in page.context["messages"]]
    return found[-1]


def state_of(enrolment) -> str:
    return Enrolment.objects.values_list("state", flat=True).get(pk=enrolment.pk)


def under_way(held: Session, *, started=timedelta(minutes=10)) -> Session:
    """The session moved to have started `started` ago (enrolments are made before)."""
    starts = timezone.now() - started
    Session.objects.filter(pk=held.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=3), enrolment_deadline=starts - timedelta(hours=1)
    )
    held.refresh_from_db()
    return held


@pytest.fixture
def people(organization):
    return [
        PersonFactory(
            organization=organization,
            full_name=f"学员{n}",
            pinyin_name=f"XUE YUAN {n}",
            email=f"xueyuan{n}@example.cn",
        )
        for n in range(4)
    ]


def session_form(course_obj, **changes) -> dict:
    starts = timezone.localtime() + timedelta(days=10)
    data = {
        "course": str(course_obj.pk),
        "language": "zh-hans",
        "instructor": "王老师",
        "starts_at": starts.strftime("%Y-%m-%dT09:00"),
        "ends_at": starts.strftime("%Y-%m-%dT12:00"),
        "enrolment_deadline": (starts - timedelta(days=2)).strftime("%Y-%m-%dT17:00"),
        "mode": "in_person",
        "venue": "河南省外办三楼会议室",
        "online_url": "",
        "capacity": "30",
        "notes": "",
    }
    data.update(changes)
    return data


# The list ---------------------------------------------------------------------------------------------------


def test_the_list_opens_on_upcoming_sessions_with_filters_and_search(client, officer, people):
    soon = session(officer=officer, starts_in=timedelta(days=2), capacity=1)
    services.enrol_people(session=soon, actor=officer, people=people[:2])
    protocol = course(code="PR-01", topic="protocol", title_zh="外事礼仪")
    later = session(
        officer=officer,
        course_obj=protocol,
        starts_in=timedelta(days=9),
        mode="online",
        venue="",
        online_url="https://meeting.example.cn/j/1",
    )
    held = under_way(session(officer=officer), started=timedelta(days=3))
    cancelled = services.session_cancel(session=session(officer=officer), actor=officer, comment="讲师出差")
    client.force_login(officer)
    page = client.get(SESSIONS)
    assert rows(page) == [soon, cancelled, later]  # soonest first
    html = page.content.decode()
    assert 'data-places="1/1"' in html and 'data-waiting="1"' in html and 'data-phase="open"' in html
    assert rows(client.get(SESSIONS, {"period": "past"})) == [held]
    assert rows(client.get(SESSIONS, {"topic": "protocol"})) == [later]
    assert rows(client.get(SESSIONS, {"mode": "online"})) == [later]
    assert rows(client.get(SESSIONS, {"state": "cancelled"})) == [cancelled]
    assert rows(client.get(SESSIONS, {"course": protocol.pk})) == [later]
    assert rows(client.get(SESSIONS, {"q": held.reference})) == [held]  # a search looks everywhere
    assert rows(client.get(SESSIONS, {"q": "礼仪"})) == [later]


# Scheduling and changing ------------------------------------------------------------------------------------


def test_an_officer_schedules_and_changes_a_session_with_errors_beside_the_fields(client, officer, people):
    taught = course(code="PD-01")
    client.force_login(officer)
    add = reverse("admin:training_session_add")
    assert client.get(add, {"course": taught.pk}).context["form"].initial["course"] == taught.pk
    page = client.post(add, session_form(taught, venue="", ends_at=session_form(taught)["starts_at"]))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "venue" in errors and "ends_at" in errors and not Session.objects.exists()
    assert 'data-testid="error-summary"' in page.content.decode()
    response = client.post(add, session_form(taught))
    assert response.status_code == 302
    held = Session.objects.get()
    assert held.reference.startswith("HNTS-") and timezone.localtime(held.starts_at).hour == 9
    assert held.created_by == officer

    services.enrol_people(session=held, actor=officer, people=people[:3])
    page = client.post(url(held, "edit"), session_form(taught, capacity="2"))
    assert page.status_code == 200 and "capacity" in page.context["form"].errors  # 3 places taken
    response = client.post(url(held, "edit"), session_form(taught, capacity="40", instructor="李老师"))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.capacity == 40 and held.instructor == "李老师"
    page = client.get(url(held))
    update = next(event for event in page.context["events"] if event.action == "training_session.update")
    assert update.detail  # the fields changed, by their labels


# The register -----------------------------------------------------------------------------------------------


def test_the_register_marks_attendance_and_completes_the_course_with_a_certificate(client, officer, people):
    held = session(officer=officer)
    outcome = services.enrol_people(session=held, actor=officer, people=people[:3])
    first, second, third = outcome.enrolled
    client.force_login(officer)
    page = client.get(url(held))
    assert page.context["register_open"] is False and page.context["may_mark"] is False
    page = client.post(url(held, "register"), {"enrolment": [first.pk], "mark": "attended"}, follow=True)
    assert last_message(page)[0] == "warning" and state_of(first) == "enrolled"  # not before check-in opens

    under_way(held)
    page = client.get(url(held))
    assert page.context["may_mark"] and 'data-testid="register-form"' in page.content.decode()
    page = client.post(
        url(held, "register"), {"enrolment": [first.pk, second.pk], "mark": "attended"}, follow=True
    )
    assert last_message(page)[0] == "success"
    assert state_of(first) == state_of(second) == "completed"  # a course without an assessment
    assert Certificate.objects.filter(enrolment__in=[first, second]).count() == 2
    page = client.post(
        url(held, "register"), {"enrolment": [third.pk, first.pk], "mark": "absent"}, follow=True
    )
    assert state_of(third) == "absent" and state_of(first) == "completed"  # a completed course stays
    assert "1" in last_message(page)[1]
    page = client.post(url(held, "register"), {"enrolment": [third.pk], "mark": "attended"}, follow=True)
    assert state_of(third) == "completed"
    assert AuditEvent.objects.filter(action="enrolment.attend", data__method="register").count() == 3
    assert page.context["present"] == 3
    page = client.post(url(held, "register"), {"mark": "attended"}, follow=True)
    assert last_message(page)[0] == "warning"


def test_attended_with_an_assessment_waits_for_the_assessment(client, officer, people):
    examined = course(code="PD-09", pass_mark=60, questions=2)
    held = session(officer=officer, course_obj=examined)
    enrolment = services.enrol(session=held, actor=officer, person=people[0])
    under_way(held)
    client.force_login(officer)
    client.post(url(held, "register"), {"enrolment": [enrolment.pk], "mark": "attended"})
    assert state_of(enrolment) == "attended" and not Certificate.objects.exists()


# The waiting list -------------------------------------------------------------------------------------------


def test_a_place_is_given_to_the_first_on_the_waiting_list(client, officer, people):
    held = session(officer=officer, capacity=1)
    outcome = services.enrol_people(session=held, actor=officer, people=people[:3])
    first_waiting, second_waiting = outcome.waiting
    client.force_login(officer)
    page = client.get(url(held))
    assert [e.pk for e in page.context["waiting_list"]] == [first_waiting.pk, second_waiting.pk]
    assert page.context["give_place_adds"] is True
    page = client.post(url(held, "waiting"), {"enrolment": second_waiting.pk}, follow=True)
    assert last_message(page)[0] == "warning" and state_of(second_waiting) == "waiting"  # not the first
    page = client.post(url(held, "waiting"), {"enrolment": first_waiting.pk}, follow=True)
    assert last_message(page)[0] == "success" and state_of(first_waiting) == "enrolled"
    held.refresh_from_db()
    assert held.capacity == 2  # one more place, given to the first in line
    assert AuditEvent.objects.filter(action="enrolment.promote").count() == 1

    # A place left free (the services promote at once, so a row changed outside them stands in for it) is
    # given without raising the capacity.
    Session.objects.filter(pk=held.pk).update(capacity=3)
    page = client.get(url(held))
    assert page.context["give_place_adds"] is False
    client.post(url(held, "waiting"), {"enrolment": second_waiting.pk})
    assert state_of(second_waiting) == "enrolled"
    held.refresh_from_db()
    assert held.capacity == 3


# Enrolling people -------------------------------------------------------------------------------------------


def test_an_officer_enrols_people_found_by_the_autocomplete(client, officer, people, other_organization):
    held = session(officer=officer, capacity=2)
    stranger = PersonFactory(organization=other_organization, full_name="外单位甲", pinyin_name="WAI JIA")
    client.force_login(officer)
    found = client.get(reverse("admin:training_session_people"), {"term": "xue yuan"}).json()
    assert {row["id"] for row in found["results"]} == {str(person.pk) for person in people}
    assert "郑州测试贸易有限公司" in found["results"][0]["text"]
    page = client.get(url(held))
    assert page.context["enrol_form"] is not None
    data = {"enrol-people": [str(stranger.pk), str(people[0].pk), str(people[1].pk)]}
    page = client.post(url(held, "enrol"), data, follow=True)
    assert last_message(page)[0] == "success"
    states = dict(Enrolment.objects.filter(session=held).values_list("person_id", "state"))
    assert states == {stranger.pk: "enrolled", people[0].pk: "enrolled", people[1].pk: "waiting"}
    page = client.post(url(held, "enrol"), {"enrol-people": [str(people[0].pk)]}, follow=True)
    assert last_message(page)[0] == "info"  # already enrolled
    page = client.post(url(held, "enrol"), {"enrol-people": []}, follow=True)
    assert last_message(page)[0] == "error"


# An online session's record ---------------------------------------------------------------------------------


def test_the_online_record_marks_those_enrolled_and_lists_the_unmatched_lines(client, officer, people):
    held = session(officer=officer, mode="online", venue="", online_url="https://meeting.example.cn/j/1")
    services.enrol_people(session=held, actor=officer, people=people[:3])
    under_way(held, started=timedelta(hours=4))  # over
    client.force_login(officer)
    page = client.get(url(held))
    assert page.context["online_form"] is not None and page.context["checkin_url"]
    record = "\n".join(
        [
            "Name,Email,Duration",
            "学员0,xueyuan0@example.cn,95",
            '"XUE YUAN 1",,90',
            "Someone Else,someone@example.com,20",
        ]
    )
    page = client.post(url(held, "online"), {"online-record": record}, follow=True)
    assert last_message(page)[0] == "success"
    states = dict(Enrolment.objects.filter(session=held).values_list("person_id", "state"))
    assert states[people[0].pk] == states[people[1].pk] == "completed" and states[people[2].pk] == "enrolled"
    result = page.context["online_result"]
    assert sorted(result["marked"]) == ["学员0", "学员1"]
    assert result["unmatched"] == ["Name,Email,Duration", "Someone Else,someone@example.com,20"]
    assert "someone@example.com" in page.content.decode()
    assert client.get(url(held)).context["online_result"] is None  # shown once
    page = client.post(url(held, "online"), {"online-record": "  "}, follow=True)
    assert last_message(page)[0] == "error"


# Cancelling -------------------------------------------------------------------------------------------------


def test_cancelling_a_session_requires_a_reason(client, officer, people):
    held = session(officer=officer, capacity=1)
    outcome = services.enrol_people(session=held, actor=officer, people=people[:2])
    client.force_login(officer)
    page = client.get(url(held))
    assert page.context["group"]["buttons"][0]["name"] == "cancel"
    page = client.post(url(held, "transition"), {"transition": "cancel", "comment": "  "}, follow=True)
    assert last_message(page)[0] == "error" and Session.objects.get(pk=held.pk).state == "scheduled"
    page = client.post(
        url(held, "transition"), {"transition": "cancel", "comment": "讲师临时出差"}, follow=True
    )
    assert last_message(page)[0] == "success"
    assert Session.objects.get(pk=held.pk).state == "cancelled"
    assert {state_of(e) for e in [*outcome.enrolled, *outcome.waiting]} == {"cancelled"}
    event = AuditEvent.objects.get(action="training_session.cancel")
    assert event.comment == "讲师临时出差"
    page = client.get(url(held))
    assert (
        page.context["group"] is None
        and page.context["enrol_form"] is None
        and 'data-phase="cancelled"' in (page.content.decode())
    )
    page = client.post(url(held, "transition"), {"transition": "cancel", "comment": "again"}, follow=True)
    assert last_message(page)[0] in ("warning", "error")


# The venue's check-in page ----------------------------------------------------------------------------------


def test_the_venue_page_shows_a_code_that_check_in_accepts_and_only_to_officers(
    client, officer, leader, organization
):
    trainee = enterprise_user(organization, email="xueyuan9@example.cn")
    person = PersonFactory(organization=organization, full_name="学员9", email="xueyuan9@example.cn")
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=officer, person=person)
    client.force_login(officer)
    page = client.get(url(held, "checkin"))
    assert page.status_code == 200 and page.context["code"] == ""
    assert 'data-testid="closed"' in page.content.decode()  # when check-in opens, no code

    under_way(held)
    page = client.get(url(held, "checkin"))
    html = page.content.decode()
    code = re.search(r'data-testid="code">([A-Z0-9]{6})<', html).group(1)
    assert page.context["link"].endswith(reverse("training:check_in", args=[held.pk, code]))
    assert 'src="data:image/svg+xml' in html and "htmx.min.js" in html and "<script>" not in html
    assert 'hx-trigger="every 20s"' in html
    live = client.get(url(held, "checkin_live"))
    assert live.status_code == 200 and "no-store" in live["Cache-Control"]
    assert 'id="checkin-live"' in live.content.decode() and "<html" not in live.content.decode()
    services.check_in(session=held, actor=trainee, code=code)
    assert state_of(enrolment) == "completed"
    assert client.get(url(held, "checkin_live")).context["present"] == 1

    client.force_login(leader)
    assert client.get(url(held, "checkin")).status_code == 403
    assert client.get(url(held, "checkin_live")).status_code == 403
    assert client.get(url(held)).context["checkin_url"] == ""


def test_the_page_takes_the_same_queries_with_more_trainees(
    client, officer, organization, django_assert_max_num_queries
):
    held = session(officer=officer, capacity=3)
    services.enrol_people(
        session=held, actor=officer, people=[PersonFactory(organization=organization) for _n in range(2)]
    )
    client.force_login(officer)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url(held)).status_code == 200
    services.enrol_people(
        session=held, actor=officer, people=[PersonFactory(organization=organization) for _n in range(15)]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url(held))
    assert len(page.context["register"]) == 3 and len(page.context["waiting_list"]) == 14


# Who may do what --------------------------------------------------------------------------------------------


def test_a_leader_reads_the_page_but_cannot_change_the_session(client, officer, leader, people):
    held = session(officer=officer, capacity=1)
    outcome = services.enrol_people(session=held, actor=officer, people=people[:2])
    under_way(held)
    client.force_login(leader)
    page = client.get(url(held))
    assert page.status_code == 200
    assert (
        not page.context["may_mark"] and page.context["group"] is None and page.context["enrol_form"] is None
    )
    assert 'data-testid="register-form"' not in page.content.decode()
    place = outcome.enrolled[0]
    for name, data in [
        ("register", {"enrolment": [place.pk], "mark": "attended"}),
        ("waiting", {"enrolment": outcome.waiting[0].pk}),
        ("enrol", {"enrol-people": [str(people[2].pk)]}),
        ("online", {"online-record": "学员0"}),
        ("edit", {}),
    ]:
        assert client.post(url(held, name), data).status_code == 403, name
    response = client.post(url(held, "transition"), {"transition": "cancel", "comment": "x"}, follow=True)
    assert Session.objects.get(pk=held.pk).state == "scheduled"
    assert client.get(reverse("admin:training_session_add")).status_code == 403
    assert client.get(reverse("admin:training_session_people"), {"term": "学员"}).status_code == 403
    assert state_of(place) == "enrolled" and response.status_code == 200
