"""The state machines of training (django-fsm-2) and their vocabularies.

A session (培训班次) is scheduled until the office cancels it (its time says whether it is upcoming, under
way or over). An enrolment (报名):

    waiting ─promote─▶ enrolled ─attend─▶ attended ─complete─▶ completed      (a certificate is issued)
                          │  ▲               └──────fail──────▶ failed         (assessment attempts used up)
                          │  └──attend── absent ◀─absent─┘ (from enrolled)
    cancel (waiting, enrolled) ─▶ cancelled

A place is taken by every enrolment but a waiting or cancelled one; when one frees up, the first on the
waiting list is promoted (services.enrolment). "complete" runs when the attendee passes the assessment,
or on attendance when the course has none. Transitions only change fields; the services lock the row,
check the actor (foreign_affairs.fsm.check_transition), save, audit and notify.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import TransitionInfo, is_nobody, is_officer


class SessionState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("training session state", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("training session state", "Cancelled")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class SessionLanguage(models.TextChoices):
    CHINESE = "zh-hans", _("Chinese")
    ENGLISH = "en", _("English")
    BILINGUAL = "bilingual", _("Chinese and English")


class State(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("enrolment state", "On the waiting list")
    ENROLLED = "enrolled", pgettext_lazy("enrolment state", "Enrolled")
    ATTENDED = "attended", pgettext_lazy("enrolment state", "Attended")
    ABSENT = "absent", pgettext_lazy("enrolment state", "Absent")
    COMPLETED = "completed", pgettext_lazy("enrolment state", "Completed")
    FAILED = "failed", pgettext_lazy("enrolment state", "Not passed")
    CANCELLED = "cancelled", pgettext_lazy("enrolment state", "Cancelled")


class CheckInMethod(models.TextChoices):
    REGISTER = "register", _("Register ticked by the office")
    QR = "qr", _("QR code at the venue")
    ONLINE_RECORD = "online_record", _("Online session's record")


# Enrolments that hold a place in the session (all but the waiting list and the cancelled).
PLACE_STATES = (State.ENROLLED, State.ATTENDED, State.ABSENT, State.COMPLETED, State.FAILED)
# Enrolments still to come or to finish: what "my training" lists first.
OPEN_STATES = (State.WAITING, State.ENROLLED, State.ATTENDED)
STATE_TONES = {
    State.WAITING: "attention",
    State.ENROLLED: "progress",
    State.ATTENDED: "progress",
    State.ABSENT: "danger",
    State.COMPLETED: "success",
    State.FAILED: "danger",
    State.CANCELLED: "neutral",
}
SESSION_TONES = {SessionState.SCHEDULED: "progress", SessionState.CANCELLED: "danger"}


def is_office_actor(obj, user) -> bool:
    return is_officer(obj, user)


def may_cancel(enrolment, user) -> bool:
    """The person enrolled (their account), whoever enrolled them, their organisation's liaison, or an
    officer. The deadline is the service's check (the office may cancel after it)."""
    from foreign_affairs.accounts.roles import Role

    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.OFFICER):
        return True
    if enrolment.user_id and enrolment.user_id == user.pk:
        return True
    if enrolment.enrolled_by_id == user.pk:
        return True
    organization = getattr(user, "organization", None)
    if organization is None or organization.pk != enrolment.organization_id:
        return False
    if user.has_role(Role.LIAISON):
        return True
    person = enrolment.person
    return bool(person and user.email and person.email.lower() == user.email.lower())


SESSION_TRANSITIONS = {
    "cancel": TransitionInfo(
        pgettext_lazy("training session", "Cancel the session"),
        comment="required",
        destructive=True,
        style="outline-danger",
    ),
}
ENROLMENT_TRANSITIONS = {
    "promote": TransitionInfo(_("Give a place"), comment="none", style="success"),
    "attend": TransitionInfo(_("Attended"), comment="none", style="success"),
    "absent": TransitionInfo(_("Absent"), comment="none", style="secondary"),
    "complete": TransitionInfo(_("Completed"), comment="none"),
    "fail": TransitionInfo(_("Not passed"), comment="none"),
    "cancel": TransitionInfo(
        pgettext_lazy("enrolment", "Cancel the enrolment"),
        comment="optional",
        destructive=True,
        style="outline-danger",
    ),
}

ACTION_LABELS = {
    "training_course.create": _("created the course"),
    "training_course.update": _("changed the course"),
    "training_course.assessment": _("changed the course's assessment"),
    "training_course.attach": _("added course material"),
    "training_course.detach": _("removed course material"),
    "training_session.create": _("scheduled the session"),
    "training_session.update": _("changed the session"),
    "training_session.cancel": _("cancelled the session"),
    "training_session.online_record": _("marked attendance from the online session's record"),
    "enrolment.create": _("enrolled"),
    "enrolment.wait": _("put on the waiting list"),
    "enrolment.promote": _("gave a place from the waiting list"),
    "enrolment.attend": _("recorded attendance"),
    "enrolment.absent": _("recorded absence"),
    "enrolment.complete": _("completed the course"),
    "enrolment.fail": _("did not pass the assessment"),
    "enrolment.cancel": _("cancelled the enrolment"),
    "enrolment.attempt": _("took the assessment"),
    "certificate.issue": _("issued the certificate"),
    "certificate.render": _("rendered the certificate"),
    "certificate.revoke": _("revoked the certificate"),
}


class SessionWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=SessionState.SCHEDULED, choices=SessionState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        field=state, source=SessionState.SCHEDULED, target=SessionState.CANCELLED, permission=is_office_actor
    )
    def cancel(self):
        self.cancelled_at = timezone.now()


class EnrolmentWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=State.ENROLLED, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    @transition(field=state, source=State.WAITING, target=State.ENROLLED, permission=is_office_actor)
    def promote(self):
        self.promoted_at = timezone.now()

    @transition(
        field=state, source=[State.ENROLLED, State.ABSENT], target=State.ATTENDED, permission=is_office_actor
    )
    def attend(self):
        self.attended_at = timezone.now()

    @transition(
        field=state, source=[State.ENROLLED, State.ATTENDED], target=State.ABSENT, permission=is_office_actor
    )
    def absent(self):
        self.attended_at = None
        self.check_in_method = ""

    @transition(field=state, source=State.ATTENDED, target=State.COMPLETED, permission=is_nobody)
    def complete(self):
        self.completed_at = timezone.now()

    @transition(field=state, source=State.ATTENDED, target=State.FAILED, permission=is_nobody)
    def fail(self):
        self.completed_at = timezone.now()

    @transition(
        field=state, source=[State.WAITING, State.ENROLLED], target=State.CANCELLED, permission=may_cancel
    )
    def cancel(self):
        self.cancelled_at = timezone.now()
