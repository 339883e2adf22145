"""Development achievements (发展成果): written by officers, linked to projects, published the same way."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs import fsm
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind

from ..models import Achievement, AchievementImage, CooperationProject
from ..workflow import PUBLICATION_TRANSITIONS
from .projects import CONDITION_ERRORS, next_reference, search_text_for

FIELDS = [
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "channel",
    "ftz_area",
    "happened_on",
    "projects",
]
IMAGE_KINDS = {"image": DocumentKind.OTHER}


def _require_officer(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.has_role(Role.OFFICER)):
        raise PermissionDenied(_("Only approval officers write development achievements."))


def _apply(achievement: Achievement, data: dict) -> list | None:
    projects = None
    for field in FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "projects":
            ids = [getattr(v, "pk", v) for v in value or []]
            try:
                projects = list(CooperationProject.objects.filter(pk__in=ids))
            except (TypeError, ValueError):
                projects = []
            if len(projects) != len(set(ids)):
                raise ValidationError({"projects": [_("Choose projects from the list.")]})
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(achievement, field, value)
    errors = {}
    if not (achievement.title_zh or achievement.title_en):
        errors["title_zh"] = [_("Give the achievement a title, in Chinese or in English.")]
    if not (achievement.description_zh or achievement.description_en):
        errors["description_zh"] = [_("Tell the story, in Chinese or in English.")]
    if achievement.happened_on and achievement.happened_on > timezone.localdate():
        errors["happened_on"] = [_("An achievement is told once it has happened.")]
    if errors:
        raise ValidationError(errors)
    achievement.full_clean(exclude=["publication", "reference", "projects"])
    return projects


def _save(achievement: Achievement, projects) -> None:
    if projects is not None:
        achievement.projects.set(projects)
    achievement.search_text = search_text_for(achievement)
    Achievement.objects.filter(pk=achievement.pk).update(search_text=achievement.search_text)


def achievement_create(*, actor, data: dict) -> Achievement:
    _require_officer(actor)
    achievement = Achievement(created_by=actor)
    projects = _apply(achievement, data)
    with transaction.atomic():
        achievement.reference = next_reference("HNCA", timezone.localdate().year)
        achievement.save()
        _save(achievement, projects)
        record_event(
            actor=actor, action="achievement.create", obj=achievement, to_state=achievement.publication
        )
    return achievement


def _locked(achievement: Achievement) -> Achievement:
    return Achievement.objects.select_for_update().get(pk=achievement.pk)


def achievement_update(*, achievement: Achievement, actor, data: dict) -> Achievement:
    _require_officer(actor)
    with transaction.atomic():
        achievement = _locked(achievement)
        projects = _apply(achievement, data)
        achievement.save()
        _save(achievement, projects)
        record_event(actor=actor, action="achievement.update", obj=achievement, data={"fields": sorted(data)})
    return achievement


def achievement_publication_run(
    *, achievement: Achievement, actor, name: str, comment: str = ""
) -> Achievement:
    with transaction.atomic():
        achievement = _locked(achievement)
        comment = fsm.check_transition(
            achievement,
            actor,
            name,
            info=PUBLICATION_TRANSITIONS,
            condition_errors=CONDITION_ERRORS,
            comment=comment,
            field="publication",
        )
        from_state = achievement.publication
        getattr(achievement, name)()
        achievement.save()
        record_event(
            actor=actor,
            action=f"achievement.{name}",
            obj=achievement,
            from_state=from_state,
            to_state=achievement.publication,
            comment=comment,
        )
    return achievement


def image_add(*, achievement: Achievement, actor, uploaded_file) -> AchievementImage:
    """Illustrate the story (JPEG or PNG by content); the images show once the achievement is published."""
    _require_officer(actor)
    with transaction.atomic():
        achievement = _locked(achievement)
        image = attachments.attachment_add(
            case=achievement,
            model=AchievementImage,
            kind="image",
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=IMAGE_KINDS,
            action="achievement.update",
        )
        if image.document.content_type not in ("image/jpeg", "image/png"):
            raise ValidationError({"file": [_("An achievement is illustrated with a JPEG or PNG image.")]})
    return image


def image_remove(*, image: AchievementImage, actor) -> None:
    _require_officer(actor)
    with transaction.atomic():
        _locked(image.application)
        attachments.attachment_remove(attachment=image, actor=actor, action="achievement.update")
