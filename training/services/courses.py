"""The office's courses beyond their own fields (services.sessions.course_save): the assessment's questions with
their answers, and the course's materials (documents of the office). Each change locks the course row and is
audited on the course, so that its timeline says who changed the assessment or the materials."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind

from ..models import Choice, Course, CourseMaterial, MaterialKind, Question
from .common import require_officer

# Course materials are stored as the office's documents of kind "other" (the material's own kind says more).
MATERIAL_KINDS = dict.fromkeys(MaterialKind.values, DocumentKind.OTHER)
MIN_CHOICES = 2


def _locked_course(course_id: int) -> Course:
    return Course.objects.select_for_update(of=("self",)).get(pk=course_id)


def _summary(question: Question) -> str:
    return Truncator(question.text_zh or question.text_en).chars(60)


def check_choices(choices: list[dict]) -> list[dict]:
    """The answers given (blank ones left out): at least two, exactly one of them right; else ValidationError
    under "choices"."""
    kept = [choice for choice in choices if (choice.get("text_zh") or "").strip()]
    if len(kept) < MIN_CHOICES:
        raise ValidationError({"choices": _("Give at least two answers.")})
    if sum(1 for choice in kept if choice.get("is_correct")) != 1:
        raise ValidationError({"choices": _("Mark exactly one answer as the right one.")})
    return kept


def question_save(*, question: Question, actor, choices: list[dict]) -> Question:
    """Add or change a question of a course with all its answers, in the order given (each {"id": an answer
    of this question or None, "text_zh", "text_en", "is_correct"}); answers of the question left out are
    removed. Kept answers keep their ids (the attempts' answers name them)."""
    require_officer(actor)
    kept = check_choices(choices)
    try:
        question.full_clean(exclude=["course"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    with transaction.atomic():
        course = _locked_course(question.course_id)
        created = question.pk is None
        question.save()
        existing = {choice.pk: choice for choice in Choice.objects.filter(question=question)}
        wanted = {choice.get("id") for choice in kept if choice.get("id") in existing}
        Choice.objects.filter(question=question).exclude(pk__in=wanted).delete()
        # No two right answers at any moment (the database allows one per question).
        Choice.objects.filter(question=question).update(is_correct=False)
        for position, data in enumerate(kept, start=1):
            choice = existing.get(data.get("id")) or Choice(question=question)
            choice.position = position
            choice.text_zh = data["text_zh"].strip()
            choice.text_en = (data.get("text_en") or "").strip()
            choice.is_correct = bool(data.get("is_correct"))
            try:
                choice.full_clean(exclude=["question"], validate_constraints=False)
            except ValidationError as error:
                raise ValidationError({"choices": error.messages}) from error
            choice.save()
        record_event(
            actor=actor,
            action="training_course.assessment",
            obj=course,
            data={"question": _summary(question), "change": "added" if created else "changed"},
        )
    return question


def question_delete(*, question: Question, actor) -> None:
    """Remove a question (and its answers) from a course's assessment."""
    require_officer(actor)
    with transaction.atomic():
        course = _locked_course(question.course_id)
        summary = _summary(question)
        question.delete()
        record_event(
            actor=actor,
            action="training_course.assessment",
            obj=course,
            data={"question": summary, "change": "removed"},
        )


def material_add(*, course: Course, actor, kind: str, uploaded_file) -> CourseMaterial:
    """Attach a document (slides, a handbook, a reading) to a course; the file is checked by content."""
    require_officer(actor)
    with transaction.atomic():
        course = _locked_course(course.pk)
        return attachments.attachment_add(
            case=course,
            model=CourseMaterial,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=MATERIAL_KINDS,
            action="training_course.attach",
        )


def material_remove(*, material: CourseMaterial, actor) -> None:
    """Detach a material from its course (the document stays among the office's documents)."""
    require_officer(actor)
    with transaction.atomic():
        _locked_course(material.application_id)
        attachments.attachment_remove(attachment=material, actor=actor, action="training_course.detach")


__all__ = ["MATERIAL_KINDS", "material_add", "material_remove", "question_delete", "question_save"]
