"""Who is told what about training. This module only declares; foreign_affairs.notifications makes the
notices. A trainee with an account (the enterprise user with their traveller record's e-mail, or an office
member) gets a notice; one without gets an e-mail through the area's outbox when their record has an e-mail.
Whoever enrolled someone else hears of a place given from the waiting list and of a cancellation."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import User
from foreign_affairs.notifications import outbox
from foreign_affairs.notifications.transitions import RecordNotices

from .workflow import State

HEADLINES = {
    "enrolled": _("You are enrolled in a training session"),
    "waiting": _("You are on the waiting list of a training session"),
    "promote": _("A place in the training session is yours"),
    "cancel": _("The enrolment in a training session was cancelled"),
    "session_cancelled": _("The training session was cancelled"),
    "reminder": _("Your training session is tomorrow"),
    "fail": _("The assessment was not passed"),
    "certificate": _("Your training certificate is ready"),
}

ENROLMENTS = RecordNotices(
    name="enrolment",
    states=State,
    office_page="admin:training_enrolment_change",
    enterprise_page="training:enrolment",
    transition_template="training/enrolment",
    headlines=HEADLINES,
    key_prefix="training-enrolment",
)


def _accounts(enrolment) -> list:
    """The trainee's own account(s): the office member enrolled, or the organisation's users with the
    traveller record's e-mail."""
    if enrolment.user_id:
        return [enrolment.user]
    person = enrolment.person
    if not person.email:
        return []
    return list(
        User.objects.filter(
            membership__organization_id=person.organization_id, email__iexact=person.email, is_active=True
        )
    )


def _tell(enrolment, event: str, *, also=(), actor=None, comment: str = "", key_suffix: str = "") -> None:
    accounts = _accounts(enrolment)
    people = {user.pk: user for user in [*accounts, *also] if user is not None and user.is_active}
    key = f"training-enrolment:{enrolment.pk}:{event}{key_suffix}"
    context = {
        "headline": HEADLINES[event],
        "state": enrolment.get_state_display(),
        "actor": actor,
        "comment": comment,
        "session": enrolment.session,
        "course": enrolment.session.course,
    }
    ENROLMENTS.send(
        enrolment, people.values(), template="training/enrolment", context=context, key=key, actor=actor
    )
    if not accounts and enrolment.person_id and enrolment.person.email:
        from .models import TrainingMessage

        outbox.write(
            TrainingMessage,
            key=key,
            to=enrolment.person.email,
            language=settings.LANGUAGE_CODE,
            template="notifications/training/trainee",
            context={**context, "enrolment": enrolment, "headline": str(HEADLINES[event])},
            task="training.deliver_message",
            enrolment=enrolment,
        )


def enrolment_made(enrolment, *, actor) -> None:
    """The trainee hears of a place or of the waiting list (unless they enrolled themself)."""
    event = "enrolled" if enrolment.state == State.ENROLLED else "waiting"
    _tell(enrolment, event, actor=actor)


def enrolment_promoted(enrolment) -> None:
    _tell(enrolment, "promote", also=[enrolment.enrolled_by])


def enrolment_cancelled(enrolment, *, actor, comment: str) -> None:
    _tell(enrolment, "cancel", also=[enrolment.enrolled_by], actor=actor, comment=comment)


def session_cancelled(enrolment, *, comment: str) -> None:
    _tell(enrolment, "session_cancelled", also=[enrolment.enrolled_by], comment=comment)


def reminder(enrolment) -> None:
    _tell(enrolment, "reminder")


def assessment_failed(enrolment) -> None:
    _tell(enrolment, "fail")


def certificate_ready(certificate) -> None:
    _tell(certificate.enrolment, "certificate", also=[certificate.enrolment.enrolled_by])
