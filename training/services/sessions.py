"""Scheduling sessions, changing them (more places promote the waiting list), cancelling them; and the
office's courses."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from foreign_affairs.audit.services import record_event
from foreign_affairs.fsm import check_transition

from .. import notifying
from ..models import Course, Enrolment, Session
from ..workflow import SESSION_TRANSITIONS, State
from .common import next_number, require_officer
from .enrolment import _places_taken, _promote_waiting

SESSION_FIELDS = (
    "course",
    "starts_at",
    "ends_at",
    "mode",
    "venue",
    "online_url",
    "capacity",
    "instructor",
    "language",
    "enrolment_deadline",
    "notes",
)


def _full_clean(obj) -> None:
    try:
        obj.full_clean(exclude=["state"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def session_create(*, actor, **fields) -> Session:
    require_officer(actor)
    session = Session(created_by=actor, check_in_secret=secrets.token_hex(32), **fields)
    session.reference = "pending"
    _full_clean(session)
    with transaction.atomic():
        session.reference = next_number("HNTS", timezone.localtime(session.starts_at).year)
        session.save(force_insert=True)
        record_event(
            actor=actor, action="training_session.create", obj=session, data={"course": session.course.code}
        )
    return session


def session_update(*, session: Session, actor, data: dict) -> Session:
    """Change a session; raising its places gives them to the waiting list. Fewer places than taken is refused."""
    require_officer(actor)
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        changed = {}
        for name in SESSION_FIELDS:
            if name in data and getattr(session, name) != data[name]:
                changed[name] = str(data[name])
                setattr(session, name, data[name])
        _full_clean(session)
        taken = _places_taken(session)
        if session.capacity < taken:
            raise ValidationError({"capacity": _places_message(taken)})
        session.save()
        if changed:
            record_event(
                actor=actor, action="training_session.update", obj=session, data={"changed": sorted(changed)}
            )
        _promote_waiting(session, actor=actor)
    return session


def _places_message(taken: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(count)d place is taken; cancel enrolments before offering fewer places.",
        "%(count)d places are taken; cancel enrolments before offering fewer places.",
        taken,
    ) % {"count": taken}


def session_cancel(*, session: Session, actor, comment: str) -> Session:
    """Cancel a session: every enrolment and waiting-list entry is cancelled and the trainees told why."""
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
        comment = check_transition(
            session, actor, "cancel", info=SESSION_TRANSITIONS, condition_errors={}, comment=comment
        )
        session.cancel()
        session.state_changed_at = timezone.now()
        session.save()
        record_event(
            actor=actor,
            action="training_session.cancel",
            obj=session,
            from_state="scheduled",
            to_state=session.state,
            comment=comment,
        )
        for enrolment in (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(session=session, state__in=(State.WAITING, State.ENROLLED))
            .select_related("person", "user")
        ):
            previous = enrolment.state
            enrolment.cancel()
            enrolment.state_changed_at = timezone.now()
            enrolment.save()
            record_event(
                actor=actor,
                action="enrolment.cancel",
                obj=enrolment,
                from_state=previous,
                to_state=enrolment.state,
                comment=comment,
            )
            notifying.session_cancelled(enrolment, comment=comment)
    return session


def course_save(*, course: Course, actor) -> Course:
    """Create or change a course (the back office and the API); audited."""
    require_officer(actor)
    created = course.pk is None
    _full_clean(course)
    with transaction.atomic():
        course.save()
        record_event(
            actor=actor, action="training_course.create" if created else "training_course.update", obj=course
        )
    return course
