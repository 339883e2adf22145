"""Courses (培训课程), their materials and their assessment: multiple-choice questions with a pass mark."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.documents.models import CaseAttachment

from .common import in_language


class Topic(models.TextChoices):
    PREDEPARTURE = "predeparture", _("Pre-departure security and discipline briefing")
    DISCIPLINE = "discipline", _("Foreign-affairs discipline")
    PROTOCOL = "protocol", _("Protocol")
    FTZ_POLICY = "ftz_policy", _("Free trade zone policy")
    INTERCULTURAL = "intercultural", _("Intercultural communication")
    LANGUAGE = "language", pgettext_lazy("training topic", "Language")
    OTHER = "other", pgettext_lazy("training topic", "Other")


class Audience(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise staff")
    LIAISON = "liaison", _("Foreign-affairs liaisons")
    OFFICE = "office", _("Office staff")


def default_certificate_months() -> int:
    return settings.TRAINING_CERTIFICATE_MONTHS


class Course(models.Model):
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("A short code of the office's own, e.g. PD-01.")
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    topic = models.CharField(pgettext_lazy("training course", "topic"), max_length=20, choices=Topic.choices)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.ENTERPRISE
    )
    duration_hours = models.DecimalField(
        _("duration in hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(99)],
        default=2,
    )
    certificate_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        default=default_certificate_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "How long the certificate of the course stays valid (pre-departure training: 12 months)."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for a course without an assessment."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Courses no longer offered keep their sessions and certificates."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Materials are the office's own documents (CaseAttachment asks the case for these two).
    organization = None
    organization_id = None

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def reference(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_zh, self.description_en)

    @property
    def has_assessment(self) -> bool:
        return self.pass_mark is not None

    @property
    def is_predeparture(self) -> bool:
        return self.topic == Topic.PREDEPARTURE


class MaterialKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    HANDBOOK = "handbook", _("Handbook")
    READING = "reading", _("Reading")
    OTHER = "other", pgettext_lazy("material kind", "Other")


class CourseMaterial(CaseAttachment):
    application = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("course")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=MaterialKind.choices, default=MaterialKind.HANDBOOK
    )

    organization_lookup = None

    class Meta(CaseAttachment.Meta):
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")


class Question(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="questions", verbose_name=_("course")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["course", "position", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_zh = models.CharField(_("answer (Chinese)"), max_length=300)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("assessment", "answer")
        verbose_name_plural = pgettext_lazy("assessment", "answers")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=models.Q(is_correct=True), name="training_one_correct_choice"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)
