"""The training part of seed_demo: courses with bilingual texts and PD-01's test, past and coming sessions with
attendance of every kind, certificates valid, expiring, expired and revoked, a full session with its waiting
list — and every traveller of the approvals demo's trips trained in time for the rule `predeparture_training`
(an error), but for the two the walk-through adds to a draft.

What the demo holds is read from the shared `demo` fixture (seed_demo --size small, once per session). That
every step is accepted — the approvals story's included, checked by the real rule (this module is the training
area's: tests/conftest.py leaves the provider alone) — and that seeding again adds nothing, on the demo's
accounts only."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Count, Q
from django.utils import timezone

from approvals import demo as approvals_demo
from approvals.models import TravelApplication
from approvals.workflow import State as ApplicationState
from foreign_affairs.accounts import demo as accounts_demo
from foreign_affairs.accounts.models import Organization, Person, User
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.notifications.models import Notification
from training import demo as training_demo
from training import selectors
from training.models import (
    Attempt,
    Certificate,
    Course,
    CourseMaterial,
    Enrolment,
    Question,
    Session,
    TrainingMessage,
)
from training.rule import training_status
from training.workflow import CheckInMethod, Mode, SessionState, State

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    models = (Course, Question, CourseMaterial, Session, Enrolment, Attempt, Certificate, Person, AuditEvent)
    return {model: model._base_manager.count() for model in models}


def _person(name: str, uscc: str = accounts_demo.DEMO_USCC) -> Person:
    return Person.objects.get(organization__uscc=uscc, full_name=name)


def test_every_step_is_accepted_the_story_travels_and_seeding_again_adds_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    with accounts_demo.sized(accounts_demo.SMALL), django_capture_on_commit_callbacks(execute=True):
        accounts_demo.seed()
        demo = training_demo.TrainingDemo()
        demo.plan()
        started = time.perf_counter()
        created = demo.play()
        seconds = time.perf_counter() - started
        # The approvals story after it, as seed_demo plays them (training's order 5, approvals' 10).
        story = approvals_demo._Demo(year=False)
        story.plan_story(Organization.objects.get(uscc=accounts_demo.DEMO_USCC))
        story.play()
    print(f"training demo: {seconds:.2f} s")  # shown with -s
    assert demo.failures == []
    assert story.failures == []  # none refused by predeparture_training (or anything else)
    assert created == Session.objects.count() >= 20
    assert set(TravelApplication.objects.values_list("state", flat=True)) == set(ApplicationState)
    # The past's e-mails count as sent then: none now, none waiting (the trainees' outbox included).
    assert mailoutbox == [] and mail.outbox == []
    assert TrainingMessage.objects.exists() and not TrainingMessage.objects.filter(sent_at=None).exists()
    assert not Notification.objects.filter(key__startswith="training", status="pending").exists()
    before = _counts()
    assert training_demo.seed() == 0
    assert _counts() == before


def test_courses_bilingual_with_the_pre_departure_test_and_handbook(demo):
    courses = Course.objects.annotate(questions_count=Count("questions"))
    assert 6 <= courses.count() <= 8
    assert {"predeparture", "discipline", "protocol", "ftz_policy", "intercultural"} <= set(
        courses.values_list("topic", flat=True)
    )
    assert courses.filter(audience="office").exists()
    for course in courses:
        assert course.title_zh and course.title_en and course.description_zh and course.description_en
    tested = courses.get(code="PD-01")
    assert tested.is_predeparture and tested.pass_mark == 80 and tested.certificate_months == 12
    assert tested.questions_count == 5
    for question in tested.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        assert question.text_zh and question.text_en and len(choices) == 3
        assert sum(choice.is_correct for choice in choices) == 1
        assert all(choice.text_zh and choice.text_en for choice in choices)
    # The right answer is not always the first one shown.
    assert {q.choices.get(is_correct=True).position for q in tested.questions.all()} != {1}
    material = CourseMaterial.objects.get(application=tested)
    with material.document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(action="training_course.assessment").count() == 5


def test_past_and_coming_sessions_with_attendance_of_every_kind(demo):
    now = timezone.now()
    sessions = selectors.with_places(Session.objects.select_related("course"))
    past, coming = sessions.filter(starts_at__lt=now), sessions.filter(starts_at__gt=now)
    assert past.count() >= 12 and coming.count() >= 6
    # Every past session that took place had someone there; one was called off and its places cancelled.
    called_off = past.get(state=SessionState.CANCELLED)
    assert called_off.enrolments.exists()
    assert not called_off.enrolments.exclude(state=State.CANCELLED).exists()
    for session in past.filter(state=SessionState.SCHEDULED):
        assert session.enrolments.filter(state__in=(State.COMPLETED, State.FAILED, State.ABSENT)).exists()
        assert not session.enrolments.filter(state__in=(State.ENROLLED, State.WAITING)).exists()
    assert past.filter(mode=Mode.ONLINE).exists() and coming.filter(mode=Mode.ONLINE).exists()
    # Enrolments in every state, attendance recorded the three ways, tests passed and failed.
    assert set(Enrolment.objects.values_list("state", flat=True)) == set(State) - {State.ATTENDED}
    methods = set(Enrolment.objects.exclude(check_in_method="").values_list("check_in_method", flat=True))
    assert methods == set(CheckInMethod)
    assert Attempt.objects.filter(passed=True).exists() and Attempt.objects.filter(passed=False).exists()
    assert Enrolment.objects.filter(state=State.FAILED).get().attempts.count() == 3
    assert Enrolment.objects.filter(user__isnull=False, state=State.COMPLETED).exists()  # the office's course
    # To come: free places in the next pre-departure session, a full one with its waiting list.
    following = selectors.next_session_with_places()
    assert following is not None and following.free > 0 and following.course.is_predeparture
    assert following.starts_at < now + timedelta(days=10)
    full = coming.filter(free__lte=0, waiting__gt=0).get()
    assert full.enrolments.filter(state=State.ENROLLED, promoted_at__isnull=False).exists()  # moved up
    assert coming.filter(course__audience="office").exists()
    for session in coming:
        assert session.enrolment_deadline > session.created_at and session.state == SessionState.SCHEDULED


def test_certificates_valid_expiring_expired_and_one_revoked(demo):
    today = timezone.localdate()
    certificates = Certificate.objects.all()
    valid = certificates.filter(revoked_at=None, valid_until__gte=today)
    assert valid.filter(valid_until__gt=today + timedelta(days=30)).count() >= 10
    expiring = valid.filter(valid_until__lte=today + timedelta(days=30))
    assert expiring.filter(is_predeparture=True).exists() and expiring.filter(is_predeparture=False).exists()
    assert certificates.filter(revoked_at=None, valid_until__lt=today, is_predeparture=True).count() >= 2
    revoked = certificates.get(revoked_at__isnull=False)
    assert revoked.revoke_reason and revoked.is_predeparture
    # Each issued once for a completed enrolment, rendered (its file) and told when it was.
    assert certificates.count() == Enrolment.objects.filter(state=State.COMPLETED).count()
    assert not certificates.filter(Q(file="") | Q(sha256="")).exists()
    for certificate in certificates:
        assert certificate.issued_on == timezone.localdate(certificate.enrolment.completed_at)
        assert certificate.issued_on <= today


def test_the_story_travels_trained_and_the_walk_through_has_two_to_enrol(demo):
    today = timezone.localdate()
    # Every member of every application of the approvals demo held the certificate on the departure day.
    for application in TravelApplication.objects.prefetch_related("members__person"):
        people = [member.person for member in application.members.all()]
        statuses = training_status(people, application.departure_date)
        assert set(statuses.values()) == {"valid"}, (application.title, statuses)
    # 周婷: no valid training (expired and revoked); 孙强: valid today, not six weeks from now.
    zhou, sun = _person("周婷"), _person("孙强")
    assert training_status([zhou], today) == {zhou.pk: "missing"}
    assert Certificate.objects.filter(person=zhou).count() == 2
    assert training_status([sun], today) == {sun.pk: "valid"}
    assert training_status([sun], today + timedelta(days=40)) == {sun.pk: "missing"}
    assert not selectors.pending_enrolment([zhou.pk, sun.pk])
    # The demo enterprise's accounts find their record in My training: the applicant with a certificate and
    # sessions to come, the liaison with hers.
    applicant, liaison = User.objects.get(username="applicant"), User.objects.get(username="liaison")
    for user in (applicant, liaison):
        person = selectors.person_for_user(user)
        assert person is not None and person.full_name == f"{user.last_name}{user.first_name}"
        assert selectors.valid_predeparture([person.pk], today).exists()
    record = selectors.learning_record(person=selectors.person_for_user(applicant))
    assert record.filter(state=State.ENROLLED, session__starts_at__gt=timezone.now()).count() >= 2
    assert record.filter(state=State.COMPLETED).count() >= 3
