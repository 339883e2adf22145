"""Sessions of a course (培训班次), the enrolments in them (报名, with the waiting list), assessment attempts,
and the e-mails to trainees without an account."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.notifications.models import OutboxMessage

from ..workflow import (
    PLACE_STATES,
    CheckInMethod,
    EnrolmentWorkflow,
    Mode,
    SessionLanguage,
    SessionWorkflow,
    State,
)
from .courses import Course


class Session(SessionWorkflow, models.Model):
    reference = models.CharField(
        pgettext_lazy("training session", "reference"), max_length=20, unique=True, editable=False
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("The meeting link of an online session.")
    )
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    instructor = models.CharField(_("instructor"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=12, choices=SessionLanguage.choices, default=SessionLanguage.CHINESE
    )
    enrolment_deadline = models.DateTimeField(
        _("enrolment deadline"), help_text=_("Enrolments and cancellations close at this time.")
    )
    notes = models.TextField(_("notes for attendees"), blank=True)
    # The secret of the rotating check-in code (services.check_in); a new one voids every code shown.
    check_in_secret = models.CharField(max_length=64, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    state_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    organization_id = None  # sessions are the office's; enrolments belong to organisations

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["state", "starts_at"], name="training_session_upcoming_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment_deadline__lte=models.F("starts_at")),
                name="training_session_deadline_before_start",
                violation_error_message=_("The enrolment deadline must be before the session starts."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.course.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if self.starts_at and self.enrolment_deadline and self.enrolment_deadline > self.starts_at:
            errors["enrolment_deadline"] = _("The enrolment deadline must be before the session starts.")
        if self.mode == Mode.IN_PERSON and not self.venue.strip():
            errors["venue"] = _("Give the venue of a session held in person.")
        if self.mode == Mode.ONLINE and not self.online_url:
            errors["online_url"] = _("Give the meeting link of an online session.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open_for_enrolment(self) -> bool:
        return self.state == "scheduled" and timezone.now() <= self.enrolment_deadline

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at


class Enrolment(EnrolmentWorkflow, models.Model):
    """One trainee in one session: a traveller of an organisation (`person`), or a member of the office
    staff (`user`, no person). `organization` is the person's, kept for scoping and the figures."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("trainee"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_enrolments",
        verbose_name=_("office staff member"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_enrolments",
        verbose_name=_("organisation"),
    )
    # The travel application the enrolment was made from (a delegation enrolled in one action).
    application = models.ForeignKey(
        "approvals.TravelApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_enrolments",
        verbose_name=_("travel application"),
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    created_at = models.DateTimeField(_("enrolled"), default=timezone.now, editable=False)
    promoted_at = models.DateTimeField(_("given a place"), null=True, blank=True, editable=False)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True, editable=False)
    check_in_method = models.CharField(
        _("attendance recorded by"), max_length=16, choices=CheckInMethod.choices, blank=True, editable=False
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    state_changed_at = models.DateTimeField(default=timezone.now, editable=False)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(user__isnull=False),
                name="training_enrolment_has_trainee",
            ),
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=~models.Q(state="cancelled") & models.Q(person__isnull=False),
                name="training_enrolment_person_once",
                violation_error_message=_("This person is already enrolled in this session."),
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(state="cancelled") & models.Q(user__isnull=False),
                name="training_enrolment_user_once",
                violation_error_message=_("You are already enrolled in this session."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "state", "created_at"], name="training_enrolment_queue_idx"),
            models.Index(fields=["organization", "state"], name="training_enrolment_org_idx"),
            models.Index(fields=["person", "state"], name="training_enrolment_person_idx"),
        ]

    def __str__(self):
        return f"{self.trainee_name} · {self.session.reference}"

    def audit_repr(self) -> str:
        return f"Enrolment #{self.pk} · {self.session.reference}"

    @property
    def trainee_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return self.user.get_full_name() if self.user_id else ""

    @property
    def holds_place(self) -> bool:
        return self.state in PLACE_STATES

    @property
    def reference(self) -> str:
        return self.session.reference


class Attempt(models.Model):
    """One try at the course's assessment: the answers given ({question id: choice id}) and the score."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("enrolment")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("assessment attempt")
        verbose_name_plural = _("assessment attempts")
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="training_attempt_number_once")
        ]

    def __str__(self):
        return f"{self.enrolment} #{self.number}: {self.score}%"


class TrainingMessage(OutboxMessage):
    """An e-mail to a trainee without an account (their traveller record's e-mail): place given, reminder,
    session cancelled, certificate issued."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="messages", verbose_name=_("enrolment")
    )

    class Meta(OutboxMessage.Meta):
        verbose_name = _("e-mail to a trainee")
        verbose_name_plural = _("e-mails to trainees")


__all__ = ["Attempt", "CheckInMethod", "Enrolment", "Session", "State", "TrainingMessage"]
