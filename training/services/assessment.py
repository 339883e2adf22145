"""Completing a course: attended, and passed the assessment where the course has one (attempts counted and
limited). Completion issues the certificate (services.certificates)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict

from .. import notifying
from ..models import Attempt, Enrolment
from ..selectors import person_for_user
from ..workflow import State
from .certificates import certificate_issue
from .common import is_active


def complete_if_done(enrolment: Enrolment, *, actor) -> Enrolment:
    """Attended a course without an assessment: completed, with a certificate (the enrolment is locked)."""
    if enrolment.state == State.ATTENDED and not enrolment.session.course.has_assessment:
        _finish(enrolment, "complete")
    return enrolment


def _finish(enrolment: Enrolment, name: str) -> None:
    previous = enrolment.state
    getattr(enrolment, name)()
    enrolment.state_changed_at = timezone.now()
    enrolment.save()
    record_event(
        actor=None, action=f"enrolment.{name}", obj=enrolment, from_state=previous, to_state=enrolment.state
    )
    if name == "complete":
        certificate_issue(enrolment=enrolment)
    else:
        notifying.assessment_failed(enrolment)


def may_take_assessment(enrolment: Enrolment, user) -> bool:
    """The trainee themself: the account enrolled, or the enterprise user whose traveller record it is."""
    if not is_active(user):
        return False
    if enrolment.user_id:
        return enrolment.user_id == user.pk
    person = person_for_user(user)
    return person is not None and person.pk == enrolment.person_id


def score(questions, answers: dict) -> tuple[int, dict]:
    """The percentage of questions answered right, and the answers kept ({question id: choice id})."""
    kept, right = {}, 0
    for question in questions:
        chosen = answers.get(str(question.pk), answers.get(question.pk))
        try:
            chosen = int(chosen)
        except (TypeError, ValueError):
            chosen = None
        choices = {choice.pk: choice for choice in question.choices.all()}
        if chosen not in choices:
            continue
        kept[str(question.pk)] = chosen
        right += choices[chosen].is_correct
    return round(100 * right / len(questions)) if questions else 0, kept


def assessment_submit(*, enrolment: Enrolment, actor, answers: dict) -> Attempt:
    """Score one attempt. Every question must be answered; a pass completes the course, the last attempt
    failed ends it as not passed."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("session__course")
            .get(pk=enrolment.pk)
        )
        if not may_take_assessment(enrolment, actor):
            raise PermissionDenied(_("Only the trainee takes the assessment."))
        course = enrolment.session.course
        if not course.has_assessment:
            raise StateConflict(_("This course has no assessment."), state=enrolment.state, available=[])
        if enrolment.state != State.ATTENDED:
            raise StateConflict(
                _(
                    "The assessment opens once your attendance is recorded, and closes when the course is finished."
                ),
                state=enrolment.state,
                available=[],
            )
        used = enrolment.attempts.count()
        if used >= course.max_attempts:
            raise StateConflict(_("You have used every attempt."), state=enrolment.state, available=[])
        questions = list(course.questions.prefetch_related("choices"))
        percent, kept = score(questions, answers or {})
        missing = [question for question in questions if str(question.pk) not in kept]
        if missing:
            raise ValidationError(
                {"answers": _("Answer every question (%(count)d left).") % {"count": len(missing)}}
            )
        passed = percent >= course.pass_mark
        attempt = Attempt.objects.create(
            enrolment=enrolment,
            number=used + 1,
            answers=kept,
            score=percent,
            passed=passed,
            submitted_by=actor,
        )
        record_event(
            actor=actor,
            action="enrolment.attempt",
            obj=enrolment,
            data={"attempt": attempt.number, "score": percent, "passed": passed},
        )
        if passed:
            _finish(enrolment, "complete")
        elif attempt.number >= course.max_attempts:
            _finish(enrolment, "fail")
    return attempt
