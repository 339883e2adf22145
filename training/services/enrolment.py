"""Enrolling in a session, the waiting list, and cancelling.

Every enrolment locks the session row first, so two people taking the last place at once are served one
after the other: the first gets the place, the second the waiting list. A freed place goes to the first on
the waiting list (in the order they joined) while the session has not started, and they are told.
Enterprise users enrol and cancel until the enrolment deadline; the office may do both at any time.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict
from foreign_affairs.fsm import check_transition

from .. import notifying
from ..models import Audience, Enrolment, Session
from ..selectors import person_for_user
from ..workflow import ENROLMENT_TRANSITIONS, PLACE_STATES, SessionState, State
from .common import is_active, is_officer, organization_of


@dataclass
class EnrolOutcome:
    """What enrolling several people did: who got a place, who is on the waiting list, who was left out
    (already enrolled) — each a list of enrolments or people."""

    enrolled: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    already: list = field(default_factory=list)


def _deadline(session: Session) -> str:
    return formats.date_format(timezone.localtime(session.enrolment_deadline), "DATETIME_FORMAT")


def _check_session_open(session: Session, actor) -> None:
    if session.state != SessionState.SCHEDULED:
        raise StateConflict(_("This session was cancelled."), state=session.state, available=[])
    now = timezone.now()
    if now >= session.starts_at:
        raise StateConflict(
            _("This session has started; enrolment is closed."), state=session.state, available=[]
        )
    if now > session.enrolment_deadline and not is_officer(actor):
        raise StateConflict(
            _("Enrolment closed on %(deadline)s. Choose a later session, or ask the office.")
            % {"deadline": _deadline(session)},
            state=session.state,
            available=[],
        )


def _check_may_enrol(actor, person: Person, application) -> None:
    """The office enrols anyone; an organisation's liaison its people; an applicant themself and the
    travellers of their organisation's application the enrolment is made from."""
    if is_officer(actor):
        return
    organization = organization_of(actor)
    if organization is None or actor.is_office_staff:
        raise PermissionDenied(
            _("Only an approval officer enrols office staff and other organisations' people.")
        )
    if person.organization_id != organization.pk:
        raise PermissionDenied(_("You can enrol only people of your own organisation."))
    if actor.has_role(Role.LIAISON):
        return
    own = person_for_user(actor)
    if own is not None and own.pk == person.pk:
        return
    if (
        application is not None
        and application.organization_id == organization.pk
        and application.members.filter(person=person).exists()
    ):
        return
    raise PermissionDenied(
        _(
            "Your organisation's foreign-affairs liaison enrols colleagues; you can enrol yourself and your delegation."
        )
    )


def _check_audience(session: Session, *, office: bool) -> None:
    if session.course.audience == Audience.OFFICE and not office:
        raise ValidationError({"session": _("This course is for the office's own staff.")})
    if session.course.audience != Audience.OFFICE and office:
        raise ValidationError({"session": _("This course is for enterprise staff, not the office's.")})


def _places_taken(session: Session) -> int:
    return Enrolment.objects.filter(session=session, state__in=PLACE_STATES).count()


def _add(session, actor, *, person=None, user=None, application=None, taken: int) -> Enrolment:
    state = State.ENROLLED if taken < session.capacity else State.WAITING
    enrolment = Enrolment(
        session=session,
        person=person,
        user=user,
        organization_id=person.organization_id if person is not None else None,
        application=application,
        enrolled_by=actor if is_active(actor) else None,
        state=state,
    )
    enrolment.save(force_insert=True)
    record_event(
        actor=actor,
        action="enrolment.create" if state == State.ENROLLED else "enrolment.wait",
        obj=enrolment,
        to_state=state,
        data={"session": session.reference, "application": application.reference if application else ""},
    )
    notifying.enrolment_made(enrolment, actor=actor)
    return enrolment


def _locked_session(session_id: int) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_id)


def enrol_people(*, session: Session, actor, people, application=None) -> EnrolOutcome:
    """Enrol `people` (accounts.Person) in `session` in one action, in the order given: places while they
    last, then the waiting list; those already enrolled or waiting are left out."""
    people = list(people)
    if not people:
        raise ValidationError({"people": _("Choose at least one person to enrol.")})
    outcome = EnrolOutcome()
    with transaction.atomic():
        session = _locked_session(session.pk)
        _check_session_open(session, actor)
        _check_audience(session, office=False)
        for person in people:
            _check_may_enrol(actor, person, application)
        present = set(
            Enrolment.objects.filter(session=session, person__in=people)
            .exclude(state=State.CANCELLED)
            .values_list("person_id", flat=True)
        )
        taken = _places_taken(session)
        for person in people:
            if person.pk in present:
                outcome.already.append(person)
                continue
            present.add(person.pk)
            enrolment = _add(session, actor, person=person, application=application, taken=taken)
            if enrolment.state == State.ENROLLED:
                taken += 1
                outcome.enrolled.append(enrolment)
            else:
                outcome.waiting.append(enrolment)
    return outcome


def enrol(*, session: Session, actor, person: Person, application=None) -> Enrolment:
    """Enrol one person; ValidationError when they are enrolled or waiting already."""
    outcome = enrol_people(session=session, actor=actor, people=[person], application=application)
    if outcome.already:
        raise ValidationError(
            {"person": _("%(name)s is already enrolled in this session.") % {"name": person.full_name}}
        )
    return (outcome.enrolled or outcome.waiting)[0]


def enrol_self(*, session: Session, actor) -> Enrolment:
    """An enterprise user enrols themself: as their organisation's traveller with their e-mail, added to the
    organisation's travellers when there is none yet. Office staff enrol in the office's own courses."""
    if not is_active(actor):
        raise PermissionDenied(_("Sign in to enrol."))
    if actor.is_office_staff:
        with transaction.atomic():
            session = _locked_session(session.pk)
            _check_session_open(session, actor)
            _check_audience(session, office=True)
            if Enrolment.objects.filter(session=session, user=actor).exclude(state=State.CANCELLED).exists():
                raise ValidationError({"session": _("You are already enrolled in this session.")})
            return _add(session, actor, user=actor, taken=_places_taken(session))
    if organization_of(actor) is None:
        raise PermissionDenied(_("Only members of an organisation or of the office enrol in training."))
    person = person_for_user(actor)
    if person is None:
        from foreign_affairs.accounts.services import person_create

        person = person_create(
            actor=actor, full_name=actor.get_full_name() or actor.get_username(), email=actor.email or ""
        )
    return enrol(session=session, actor=actor, person=person)


def _promote_waiting(session: Session, *, actor=None) -> list[Enrolment]:
    """Give freed places to the waiting list, first come first served (the session row is locked)."""
    if session.state != SessionState.SCHEDULED or timezone.now() >= session.starts_at:
        return []
    free = session.capacity - _places_taken(session)
    promoted = []
    if free <= 0:
        return promoted
    for enrolment in (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(session=session, state=State.WAITING)
        .order_by("created_at", "pk")[:free]
    ):
        enrolment.promote()
        enrolment.state_changed_at = timezone.now()
        enrolment.save()
        record_event(
            actor=actor,
            action="enrolment.promote",
            obj=enrolment,
            from_state=State.WAITING,
            to_state=enrolment.state,
        )
        notifying.enrolment_promoted(enrolment)
        promoted.append(enrolment)
    return promoted


def promote_waiting(*, session: Session, actor=None) -> list[Enrolment]:
    with transaction.atomic():
        return _promote_waiting(_locked_session(session.pk), actor=actor)


def enrolment_cancel(*, enrolment: Enrolment, actor, comment: str = "") -> Enrolment:
    """Cancel an enrolment (or leave the waiting list). After the enrolment deadline only the office cancels
    a place; the freed place goes to the waiting list."""
    with transaction.atomic():
        session = _locked_session(enrolment.session_id)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",)).select_related("person").get(pk=enrolment.pk)
        )
        comment = check_transition(
            enrolment, actor, "cancel", info=ENROLMENT_TRANSITIONS, condition_errors={}, comment=comment
        )
        previous = enrolment.state
        if (
            previous == State.ENROLLED
            and not is_officer(actor)
            and timezone.now() > session.enrolment_deadline
        ):
            raise StateConflict(
                _(
                    "Cancellations closed with enrolment on %(deadline)s. Ask the office to cancel, "
                    "so that the place can go to someone else."
                )
                % {"deadline": _deadline(session)},
                state=previous,
                available=[],
            )
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
        notifying.enrolment_cancelled(enrolment, actor=actor, comment=comment)
        if previous == State.ENROLLED:
            _promote_waiting(session, actor=None)
    return enrolment
