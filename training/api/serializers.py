"""The serializers of the training API: courses, sessions, enrolments (with the assessment) and certificates
as read, the bodies the office and the trainees send, and the answers of the actions.

Titles, descriptions and questions come in both languages and in the reader's (`?lang=` or
Accept-Language). The assessment's questions are shown without their correct answers."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from foreign_affairs import fsm

from ..models import (
    Attempt,
    Audience,
    Certificate,
    CertificateStatus,
    Choice,
    Course,
    CourseMaterial,
    Enrolment,
    MaterialKind,
    Question,
    Session,
    Topic,
)
from ..workflow import CheckInMethod, Mode, SessionLanguage, SessionState, State
from .common import IdField, IdListField, is_office, public_url

# The transitions of an enrolment the API runs (POST /enrolments/{id}/<name>/); the others are the services'.
ENROLMENT_ACTIONS = ("cancel", "attend", "absent")


# Courses -------------------------------------------------------------------------------------------------


class TrainingCourseBriefSerializer(serializers.ModelSerializer):
    """A course as a session, an enrolment or a certificate names it."""

    title = serializers.CharField(read_only=True, help_text="In the reader's language (the other if empty).")
    topic = serializers.ChoiceField(choices=Topic.choices, read_only=True)
    audience = serializers.ChoiceField(choices=Audience.choices, read_only=True)
    has_assessment = serializers.BooleanField(read_only=True)
    is_predeparture = serializers.BooleanField(
        read_only=True, help_text="Pre-departure training: its certificate is what travel approval asks for."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "title_zh",
            "title_en",
            "topic",
            "audience",
            "duration_hours",
            "has_assessment",
            "is_predeparture",
        ]
        read_only_fields = fields


class TrainingCourseMaterialSerializer(serializers.ModelSerializer):
    """A document of the course (slides, handbook, reading), downloaded by anyone signed in."""

    kind = serializers.ChoiceField(choices=MaterialKind.choices, read_only=True)
    name = serializers.CharField(source="document.original_name", read_only=True)
    size = serializers.IntegerField(source="document.size", read_only=True, help_text="Bytes.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = CourseMaterial
        fields = ["id", "kind", "name", "size", "url"]
        read_only_fields = fields

    def get_url(self, material) -> str:
        """Its download on the portal (for anyone signed in)."""
        return public_url("training:material", material.pk)


class TrainingCourseSerializer(TrainingCourseBriefSerializer):
    """A course of the catalogue."""

    topic_label = serializers.SerializerMethodField()
    audience_label = serializers.SerializerMethodField()
    description = serializers.CharField(
        read_only=True, help_text="In the reader's language (the other if empty)."
    )
    question_count = serializers.IntegerField(
        read_only=True, help_text="Questions of the assessment (0 without one)."
    )
    materials = TrainingCourseMaterialSerializer(source="attachments", many=True, read_only=True)
    offered = serializers.BooleanField(
        source="is_active",
        read_only=True,
        help_text="Still offered; courses no longer offered are listed to the office only.",
    )
    url = serializers.SerializerMethodField()

    class Meta(TrainingCourseBriefSerializer.Meta):
        fields = [
            "id",
            "code",
            "title",
            "title_zh",
            "title_en",
            "description",
            "description_zh",
            "description_en",
            "topic",
            "topic_label",
            "audience",
            "audience_label",
            "duration_hours",
            "has_assessment",
            "pass_mark",
            "max_attempts",
            "question_count",
            "certificate_months",
            "is_predeparture",
            "materials",
            "offered",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_topic_label(self, course) -> str:
        """The topic in the reader's language."""
        return str(Topic(course.topic).label)

    def get_audience_label(self, course) -> str:
        """The audience in the reader's language."""
        return str(Audience(course.audience).label)

    def get_url(self, course) -> str:
        """The course's page on the portal."""
        return public_url("training:course", course.pk)


class TrainingCourseWriteSerializer(serializers.ModelSerializer):
    """A course as the office creates or changes it (services.course_save); only what is given changes."""

    offered = serializers.BooleanField(
        source="is_active", required=False, help_text="Still offered (default: true)."
    )
    duration_hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("99"),
        required=False,
        help_text="Hours, in halves (default: 2).",
    )

    class Meta:
        model = Course
        fields = [
            "code",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "topic",
            "audience",
            "duration_hours",
            "certificate_months",
            "pass_mark",
            "max_attempts",
            "offered",
        ]
        extra_kwargs = {
            "pass_mark": {"help_text": "The pass mark in per cent; null for a course without an assessment."},
            "certificate_months": {
                "help_text": "How long the certificate stays valid (default: TRAINING_CERTIFICATE_MONTHS)."
            },
        }


# Sessions ------------------------------------------------------------------------------------------------


class TrainingSessionSerializer(serializers.ModelSerializer):
    """A session with its places: `capacity` places, `taken` by enrolments, `free` (never below 0), and
    `waiting` on the waiting list."""

    course = TrainingCourseBriefSerializer(read_only=True)
    mode = serializers.ChoiceField(choices=Mode.choices, read_only=True)
    language = serializers.ChoiceField(choices=SessionLanguage.choices, read_only=True)
    state = serializers.ChoiceField(choices=SessionState.choices, read_only=True)
    online_url = serializers.SerializerMethodField()
    taken = serializers.IntegerField(read_only=True, help_text="Places held by enrolments.")
    free = serializers.SerializerMethodField()
    waiting = serializers.IntegerField(read_only=True, help_text="People on the waiting list.")
    open_for_enrolment = serializers.BooleanField(
        source="is_open_for_enrolment",
        read_only=True,
        help_text="Scheduled and before its enrolment deadline (a full session takes a waiting list).",
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "reference",
            "course",
            "state",
            "starts_at",
            "ends_at",
            "mode",
            "venue",
            "online_url",
            "language",
            "instructor",
            "capacity",
            "taken",
            "free",
            "waiting",
            "enrolment_deadline",
            "open_for_enrolment",
            "notes",
            "cancelled_at",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_online_url(self, session) -> str | None:
        """The meeting link, for office staff; trainees read it in their enrolment and their messages."""
        if not is_office(self.context["request"].user):
            return None
        return session.online_url or None

    def get_free(self, session) -> int:
        """Places still free (0 when full)."""
        return max(0, session.free)

    def get_url(self, session) -> str:
        """The session's page on the portal (where people enrol)."""
        return public_url("training:session", session.pk)


class TrainingSessionWriteSerializer(serializers.Serializer):
    """A session as the office schedules or changes it (services.session_create, session_update); the model
    checks the times, the venue or link of its mode, and the places against those taken."""

    course = IdField(help_text="The course's id.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(help_text="After `starts_at`.")
    mode = serializers.ChoiceField(choices=Mode.choices, required=False, help_text="Default: in_person.")
    venue = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="Required in person."
    )
    online_url = serializers.URLField(
        max_length=200, required=False, allow_blank=True, help_text="The meeting link; required online."
    )
    capacity = serializers.IntegerField(min_value=1, max_value=32767, help_text="Places.")
    instructor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=SessionLanguage.choices, required=False, help_text="Default: zh-hans."
    )
    enrolment_deadline = serializers.DateTimeField(
        help_text="Enrolments and cancellations close then; not after `starts_at`."
    )
    notes = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, help_text="Notes for attendees."
    )

    def validate_course(self, value):
        course = Course.objects.filter(pk=value).first()
        if course is None:
            raise serializers.ValidationError(_("There is no course with this id."))
        return course


class TrainingCancelSessionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=4000, help_text="Why the session is cancelled: every trainee is told."
    )


class TrainingEnrolSerializer(serializers.Serializer):
    people = IdListField(
        min_length=1,
        max_length=200,
        help_text="Travellers' ids (people API), enrolled in this order: places while they last, then the "
        "waiting list.",
    )
    application = IdField(
        required=False,
        allow_null=True,
        help_text="The travel application the delegation is enrolled from (one of your organisation's).",
    )


class TrainingPersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class TrainingCheckInCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The code shown at the venue now; it changes every minute.")
    url = serializers.CharField(help_text="What the venue's QR code holds: the check-in page of this code.")
    qr = serializers.CharField(help_text="The QR code of `url`, as an SVG data URI.")
    changes_at = serializers.DateTimeField(help_text="When the next code replaces this one.")
    opens_at = serializers.DateTimeField(help_text="Check-in opens (before the session starts).")
    closes_at = serializers.DateTimeField(help_text="Check-in closes (when the session ends).")
    open_now = serializers.BooleanField(help_text="Whether attendees can check in now.")


class TrainingCheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="The code shown at the venue.")


class TrainingOnlineRecordSerializer(serializers.Serializer):
    record = serializers.CharField(
        max_length=200_000,
        help_text="The meeting platform's list of participants, one per line (names or e-mail addresses).",
    )


# Enrolments ----------------------------------------------------------------------------------------------


class TrainingCertificateBriefSerializer(serializers.ModelSerializer):
    verify_url = serializers.CharField(read_only=True, help_text="Where anyone checks it (/verify/<code>/).")
    status = serializers.SerializerMethodField()
    rendered = serializers.BooleanField(source="is_rendered", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "number", "verification_code", "verify_url", "valid_until", "status", "rendered"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=CertificateStatus.choices))
    def get_status(self, certificate) -> str:
        """valid, expired or revoked, today."""
        return certificate.status()


class TrainingEnrolmentSessionSerializer(serializers.ModelSerializer):
    """The session of an enrolment."""

    course = TrainingCourseBriefSerializer(read_only=True)
    mode = serializers.ChoiceField(choices=Mode.choices, read_only=True)
    language = serializers.ChoiceField(choices=SessionLanguage.choices, read_only=True)
    state = serializers.ChoiceField(choices=SessionState.choices, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "reference",
            "course",
            "state",
            "starts_at",
            "ends_at",
            "mode",
            "venue",
            "language",
            "enrolment_deadline",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, session) -> str:
        return public_url("training:session", session.pk)


class TrainingAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "score", "passed", "submitted_at"]
        read_only_fields = fields


class TrainingEnrolmentSerializer(serializers.ModelSerializer):
    """One trainee in one session: a traveller of an organisation (`person`) or a member of the office
    staff (`user`)."""

    session = TrainingEnrolmentSessionSerializer(read_only=True)
    person = serializers.IntegerField(
        source="person_id", read_only=True, allow_null=True, help_text="The traveller's id (people API)."
    )
    user = serializers.IntegerField(
        source="user_id", read_only=True, allow_null=True, help_text="The office staff member's user id."
    )
    trainee_name = serializers.CharField(read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True, allow_null=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None, allow_null=True
    )
    application = serializers.IntegerField(
        source="application_id",
        read_only=True,
        allow_null=True,
        help_text="The travel application it was made from.",
    )
    application_reference = serializers.CharField(
        source="application.reference", read_only=True, default=None, allow_null=True
    )
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    state_label = serializers.SerializerMethodField()
    waiting_position = serializers.SerializerMethodField()
    online_url = serializers.SerializerMethodField()
    check_in_method = serializers.SerializerMethodField()
    has_assessment = serializers.BooleanField(source="session.course.has_assessment", read_only=True)
    attempts_allowed = serializers.IntegerField(source="session.course.max_attempts", read_only=True)
    attempts = TrainingAttemptSerializer(many=True, read_only=True)
    assessment_open = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "person",
            "user",
            "trainee_name",
            "organization",
            "organization_name",
            "application",
            "application_reference",
            "state",
            "state_label",
            "waiting_position",
            "online_url",
            "created_at",
            "promoted_at",
            "attended_at",
            "check_in_method",
            "completed_at",
            "cancelled_at",
            "state_changed_at",
            "has_assessment",
            "attempts_allowed",
            "attempts",
            "assessment_open",
            "certificate",
            "available_transitions",
        ]
        read_only_fields = fields

    def get_state_label(self, enrolment) -> str:
        """The state in the reader's language."""
        return enrolment.get_state_display()

    def get_waiting_position(self, enrolment) -> int | None:
        """The place on the waiting list (1: next to be given a place); null when not waiting."""
        if enrolment.state != State.WAITING:
            return None
        return getattr(enrolment, "waiting_position", None)

    def get_online_url(self, enrolment) -> str | None:
        """The meeting link of an online session, for those holding a place (null otherwise)."""
        session = enrolment.session
        if session.mode != Mode.ONLINE or not enrolment.holds_place or not session.online_url:
            return None
        return session.online_url

    @extend_schema_field(serializers.ChoiceField(choices=CheckInMethod.choices, allow_null=True))
    def get_check_in_method(self, enrolment) -> str | None:
        """How attendance was recorded; null until it is."""
        return enrolment.check_in_method or None

    def get_assessment_open(self, enrolment) -> bool:
        """Whether the caller, the trainee, may take the assessment now (attended, attempts left)."""
        course = enrolment.session.course
        if not course.has_assessment or enrolment.state != State.ATTENDED:
            return False
        if len(enrolment.attempts.all()) >= course.max_attempts:
            return False
        user = self.context["request"].user
        if enrolment.user_id:
            return enrolment.user_id == user.pk
        trainee = self.context.get("trainee_person")
        return trainee is not None and trainee.pk == enrolment.person_id

    @extend_schema_field(TrainingCertificateBriefSerializer(allow_null=True))
    def get_certificate(self, enrolment):
        """The certificate of a completed enrolment; null before."""
        try:
            certificate = enrolment.certificate
        except ObjectDoesNotExist:
            return None
        if certificate is None:
            return None
        return TrainingCertificateBriefSerializer(certificate, context=self.context).data

    def get_available_transitions(self, enrolment) -> list[str]:
        """The actions the caller may run now (`POST /{id}/<action>/`): cancel, attend, absent."""
        user = self.context["request"].user
        return [name for name in fsm.available_transitions(enrolment, user) if name in ENROLMENT_ACTIONS]


class TrainingEnrolOutcomeSerializer(serializers.Serializer):
    enrolled = TrainingEnrolmentSerializer(many=True, help_text="Given a place.")
    waiting = TrainingEnrolmentSerializer(
        many=True, help_text="Put on the waiting list (the session is full)."
    )
    already = TrainingPersonRefSerializer(many=True, help_text="Enrolled or waiting already: left out.")


class TrainingOnlineRecordResultSerializer(serializers.Serializer):
    marked = TrainingEnrolmentSerializer(many=True, help_text="Marked attended.")
    unmatched = serializers.ListField(
        child=serializers.CharField(), help_text="Lines of the record that matched nobody enrolled."
    )


# The assessment --------------------------------------------------------------------------------------


class TrainingChoiceSerializer(serializers.ModelSerializer):
    """An answer to choose (whether it is right is not shown)."""

    text = serializers.CharField(read_only=True, help_text="In the reader's language.")

    class Meta:
        model = Choice
        fields = ["id", "position", "text", "text_zh", "text_en"]
        read_only_fields = fields


class TrainingQuestionSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="In the reader's language.")
    choices = TrainingChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "position", "text", "text_zh", "text_en", "choices"]
        read_only_fields = fields


class TrainingAssessmentSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    course = TrainingCourseBriefSerializer()
    pass_mark = serializers.IntegerField(help_text="The score in per cent that passes.")
    max_attempts = serializers.IntegerField()
    attempts_used = serializers.IntegerField()
    attempts_left = serializers.IntegerField()
    questions = TrainingQuestionSerializer(many=True, help_text="Every question must be answered.")


class TrainingAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=IdField(),
        allow_empty=False,
        help_text='{question id: chosen answer id}, e.g. {"12": 40, "13": 44}: one answer to every question.',
    )

    def validate_answers(self, value):
        if len(value) > 500:
            raise serializers.ValidationError(_("Too many answers."))
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(_("Name each question by its id."))
        return {str(key): choice for key, choice in value.items()}


class TrainingAttemptResultSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Which attempt this was.")
    score = serializers.IntegerField(help_text="Questions answered right, in per cent.")
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField()
    attempts_left = serializers.IntegerField()
    enrolment_state = serializers.ChoiceField(
        choices=State.choices, help_text="completed on a pass; failed when the last attempt failed."
    )
    certificate = TrainingCertificateBriefSerializer(
        allow_null=True, help_text="Issued on a pass (its PDF is rendered within a minute)."
    )


# Certificates --------------------------------------------------------------------------------------------


class TrainingCertificateSerializer(TrainingCertificateBriefSerializer):
    person = serializers.IntegerField(
        source="person_id", read_only=True, allow_null=True, help_text="The holder's traveller id."
    )
    organization = serializers.IntegerField(source="organization_id", read_only=True, allow_null=True)
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None, allow_null=True
    )
    course = TrainingCourseBriefSerializer(read_only=True)
    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True)
    session_reference = serializers.CharField(source="enrolment.session.reference", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta(TrainingCertificateBriefSerializer.Meta):
        fields = [
            "id",
            "number",
            "verification_code",
            "verify_url",
            "holder_name",
            "person",
            "organization",
            "organization_name",
            "course",
            "enrolment",
            "session_reference",
            "is_predeparture",
            "issued_on",
            "valid_until",
            "status",
            "rendered",
            "rendered_at",
            "download_url",
            "revoked_at",
            "revoke_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_download_url(self, certificate) -> str | None:
        """The PDF (`GET /{id}/pdf/`); null while it is being rendered."""
        if not certificate.is_rendered:
            return None
        path = reverse("api:training-certificate-pdf", args=[certificate.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class TrainingRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000, help_text="Why the certificate is revoked (the verify page says it is)."
    )
