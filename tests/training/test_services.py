"""The services of training: enrolment with places and a waiting list, deadlines, attendance three ways,
the assessment, certificates, reminders."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.errors import StateConflict
from tests.factories import PersonFactory, enterprise_user
from training import services
from training.models import Certificate, Enrolment
from training.services.attendance import code_for

from .factories import answers_for, course, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(organization):
    return [
        PersonFactory(organization=organization, full_name=f"学员{n}", pinyin_name=f"XUE YUAN {n}")
        for n in range(4)
    ]


def test_places_then_waiting_list_then_promotion_in_order(officer, liaison, people):
    held = session(capacity=2, officer=officer)
    outcome = services.enrol_people(session=held, actor=liaison, people=people[:3])
    assert [e.person for e in outcome.enrolled] == people[:2]
    assert [e.person for e in outcome.waiting] == [people[2]]
    late = services.enrol(session=held, actor=liaison, person=people[3])
    assert late.state == "waiting"
    assert AuditEvent.objects.filter(action="enrolment.wait").count() == 2

    services.enrolment_cancel(enrolment=outcome.enrolled[0], actor=liaison)
    states = dict(Enrolment.objects.filter(session=held).values_list("person_id", "state"))
    assert states[people[0].pk] == "cancelled"
    assert states[people[2].pk] == "enrolled"  # first on the waiting list
    assert states[people[3].pk] == "waiting"
    assert AuditEvent.objects.filter(action="enrolment.promote").count() == 1


def test_more_places_promote_the_waiting_list(officer, liaison, people):
    held = session(capacity=1, officer=officer)
    services.enrol_people(session=held, actor=liaison, people=people[:3])
    services.session_update(session=held, actor=officer, data={"capacity": 2})
    assert Enrolment.objects.filter(session=held, state="enrolled").count() == 2
    with pytest.raises(ValidationError) as refused:
        services.session_update(session=held, actor=officer, data={"capacity": 1})
    assert "capacity" in refused.value.message_dict


def test_the_same_person_is_not_enrolled_twice(officer, liaison, people):
    held = session(officer=officer)
    services.enrol(session=held, actor=liaison, person=people[0])
    with pytest.raises(ValidationError):
        services.enrol(session=held, actor=liaison, person=people[0])
    outcome = services.enrol_people(session=held, actor=liaison, people=people[:2])
    assert outcome.already == [people[0]] and len(outcome.enrolled) == 1


def test_deadline_refuses_enterprise_enrolment_and_cancellation_but_not_the_office(officer, liaison, people):
    held = session(officer=officer, starts_in=timedelta(days=2))
    enrolment = services.enrol(session=held, actor=liaison, person=people[0])
    type(held).objects.filter(pk=held.pk).update(enrolment_deadline=timezone.now() - timedelta(minutes=1))
    held.refresh_from_db()
    with translation.override("en"), pytest.raises(StateConflict) as closed:
        services.enrol(session=held, actor=liaison, person=people[1])
    assert "closed" in str(closed.value.message)
    with translation.override("en"), pytest.raises(StateConflict) as too_late:
        services.enrolment_cancel(enrolment=enrolment, actor=liaison)
    assert "Ask the office" in str(too_late.value.message)
    services.enrolment_cancel(enrolment=enrolment, actor=officer, comment="病假")
    assert services.enrol(session=held, actor=officer, person=people[1]).state == "enrolled"


def test_who_may_enrol_whom(officer, organization, other_organization, people):
    held = session(officer=officer)
    applicant = enterprise_user(organization, email="xueyuan0@example.cn")
    people[0].email = "xueyuan0@example.cn"
    people[0].save()
    assert services.enrol(session=held, actor=applicant, person=people[0]).state == "enrolled"
    with pytest.raises(PermissionDenied):
        services.enrol(session=held, actor=applicant, person=people[1])  # a colleague: the liaison's job
    stranger = enterprise_user(other_organization, liaison=True)
    with pytest.raises(PermissionDenied):
        services.enrol(session=held, actor=stranger, person=people[1])


def test_enrol_self_adds_the_user_to_the_travellers_once(officer, organization):
    held = session(officer=officer)
    user = enterprise_user(organization, email="new.trainee@example.cn", first_name="明", last_name="王")
    enrolment = services.enrol_self(session=held, actor=user)
    assert enrolment.person.email == "new.trainee@example.cn"
    other = session(officer=officer, course_obj=course(code="PR-01", topic="protocol"))
    assert services.enrol_self(session=other, actor=user).person == enrolment.person


def test_office_courses_take_office_staff_only(officer, liaison, people):
    internal = session(
        officer=officer, course_obj=course(code="OF-01", topic="discipline", audience="office")
    )
    assert services.enrol_self(session=internal, actor=officer).user == officer
    with pytest.raises(ValidationError):
        services.enrol(session=internal, actor=liaison, person=people[0])


def test_register_completes_a_course_without_assessment_with_one_certificate(
    officer, liaison, people, django_capture_on_commit_callbacks
):
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=liaison, person=people[0])
    with django_capture_on_commit_callbacks(execute=True):
        done = services.mark(enrolment=enrolment, actor=officer, attended=True)
    assert done.state == "completed"
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.is_predeparture and certificate.file and certificate.rendered_at
    first = (certificate.file.name, certificate.sha256)
    services.certificate_render(certificate_id=certificate.pk)  # a second run (redelivery)
    certificate.refresh_from_db()
    assert (certificate.file.name, certificate.sha256) == first
    assert AuditEvent.objects.filter(action="certificate.render").count() == 1
    assert certificate.valid_until == certificate.issued_on.replace(
        year=certificate.issued_on.year + 1
    ) - timedelta(days=1)


def test_assessment_scoring_attempts_and_pass_mark(officer, organization, people):
    graded = course(code="PD-02", pass_mark=80, questions=5, max_attempts=2)
    held = session(officer=officer, course_obj=graded)
    user = enterprise_user(organization, email="xueyuan1@example.cn")
    people[1].email = "xueyuan1@example.cn"
    people[1].save()
    enrolment = services.enrol(session=held, actor=user, person=people[1])
    with pytest.raises(StateConflict):
        services.assessment_submit(enrolment=enrolment, actor=user, answers=answers_for(graded, 5))
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    with pytest.raises(ValidationError):  # one question left unanswered
        services.assessment_submit(
            enrolment=enrolment, actor=user, answers=dict(list(answers_for(graded, 5).items())[:4])
        )
    with pytest.raises(PermissionDenied):
        services.assessment_submit(enrolment=enrolment, actor=officer, answers=answers_for(graded, 5))
    first = services.assessment_submit(enrolment=enrolment, actor=user, answers=answers_for(graded, 3))
    assert (first.number, first.score, first.passed) == (1, 60, False)
    second = services.assessment_submit(enrolment=enrolment, actor=user, answers=answers_for(graded, 4))
    assert (second.number, second.score, second.passed) == (2, 80, True)
    enrolment.refresh_from_db()
    assert enrolment.state == "completed" and Certificate.objects.filter(enrolment=enrolment).exists()


def test_attempts_run_out(officer, organization, people):
    graded = course(code="PD-03", pass_mark=100, questions=2, max_attempts=1)
    held = session(officer=officer, course_obj=graded)
    user = enterprise_user(organization, email="xueyuan2@example.cn")
    people[2].email = "xueyuan2@example.cn"
    people[2].save()
    enrolment = services.enrol(session=held, actor=user, person=people[2])
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    services.assessment_submit(enrolment=enrolment, actor=user, answers=answers_for(graded, 1))
    enrolment.refresh_from_db()
    assert enrolment.state == "failed"
    with pytest.raises(StateConflict):
        services.assessment_submit(enrolment=enrolment, actor=user, answers=answers_for(graded, 2))
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def _under_way(officer, **fields):
    held = session(officer=officer, starts_in=timedelta(days=3), **fields)
    now = timezone.now()
    type(held).objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=2),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    held.refresh_from_db()
    return held


def test_qr_check_in_right_session_time_window_and_stale_code(officer, organization, people):
    user = enterprise_user(organization, email="xueyuan3@example.cn")
    people[3].email = "xueyuan3@example.cn"
    people[3].save()
    held = session(officer=officer, starts_in=timedelta(days=3))
    enrolment = services.enrol(session=held, actor=user, person=people[3])
    with pytest.raises(ValidationError):  # days before the session: closed, even with today's code
        services.check_in(session=held, actor=user, code=code_for(held))
    held = _under_way(officer) if False else held
    now = timezone.now()
    type(held).objects.filter(pk=held.pk).update(
        enrolment_deadline=now - timedelta(hours=2),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    held.refresh_from_db()
    other = _under_way(officer)
    with pytest.raises(ValidationError):  # the code of another session at the same time
        services.check_in(session=held, actor=user, code=code_for(other))
    with pytest.raises(ValidationError):  # yesterday's code
        services.check_in(session=held, actor=user, code=code_for(held, now - timedelta(days=1)))
    with pytest.raises(ValidationError):  # the code of five minutes ago
        services.check_in(session=held, actor=user, code=code_for(held, now - timedelta(minutes=5)))
    assert code_for(held, now) != code_for(held, now + timedelta(minutes=1))
    checked = services.check_in(
        session=held, actor=user, code=code_for(held, now - timedelta(minutes=1)).lower()
    )
    assert checked.pk == enrolment.pk and checked.state == "completed" and checked.check_in_method == "qr"
    assert (
        services.check_in(session=held, actor=user, code=code_for(held)).pk == enrolment.pk
    )  # twice: no harm
    stranger = enterprise_user(organization, email="nobody@example.cn")
    with pytest.raises(PermissionDenied):
        services.check_in(session=held, actor=stranger, code=code_for(held))


def test_online_record_marks_those_found_and_lists_the_rest(officer, liaison, people):
    held = session(officer=officer, mode="online", venue="", online_url="https://meeting.example.cn/j/123")
    people[0].email = "a@example.cn"
    people[0].save()
    for person in people[:3]:
        services.enrol(session=held, actor=liaison, person=person)
    text = "Name,Email\n学员1,\nA@example.cn\nXUE YUAN 2\nSomeone Else, else@example.com\n"
    marked, unmatched = services.online_record(session=held, actor=officer, text=text)
    assert {e.person for e in marked} == set(people[:3])
    assert unmatched == ["Name,Email", "Someone Else, else@example.com"]


def test_reminders_go_once_to_tomorrows_sessions(officer, liaison, people, mailoutbox):
    tomorrow = session(officer=officer, starts_in=timedelta(days=1), deadline_before=timedelta(hours=1))
    later = session(officer=officer, starts_in=timedelta(days=5))
    reminded = services.enrol(session=tomorrow, actor=liaison, person=people[0])
    services.enrol(session=later, actor=liaison, person=people[1])
    day_before = timezone.localtime(tomorrow.starts_at).date() - timedelta(days=1)
    assert services.send_reminders(today=day_before) == 1
    assert services.send_reminders(today=day_before) == 0  # the job run twice tells no one twice
    reminded.refresh_from_db()
    assert reminded.reminded_at is not None


def test_cancelling_a_session_cancels_and_tells_everyone(officer, liaison, people):
    held = session(officer=officer, capacity=1)
    services.enrol_people(session=held, actor=liaison, people=people[:2])
    with pytest.raises(ValidationError):
        services.session_cancel(session=held, actor=officer, comment="")
    services.session_cancel(session=held, actor=officer, comment="讲师因故无法到场")
    assert set(Enrolment.objects.filter(session=held).values_list("state", flat=True)) == {"cancelled"}
    with pytest.raises(StateConflict):
        services.enrol(session=held, actor=liaison, person=people[2])


def test_revoked_certificate(officer, liaison, people):
    held = session(officer=officer)
    enrolment = services.enrol(session=held, actor=liaison, person=people[0])
    services.mark(enrolment=enrolment, actor=officer, attended=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, actor=liaison, reason="x")
    services.certificate_revoke(certificate=certificate, actor=officer, reason="培训记录有误")
    certificate.refresh_from_db()
    assert certificate.status() == "revoked"
    with pytest.raises(StateConflict):
        services.certificate_revoke(certificate=certificate, actor=officer, reason="again")
