"""Cooperation projects: entering them (officers from every channel, enterprises their own), keeping them
current, and their two state machines (the office's pipeline and the publication).

Every write locks the project row, so of two concurrent requests one wins and the other meets the new
state; nothing changes on any error.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.accounts.models import Organization, OrganizationKind
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents import attachments
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.errors import StateConflict

from .. import notifying, selectors
from ..models import CooperationProject, Counter, Industry, ProjectDocument, ProjectDocumentKind, ProjectNote
from ..workflow import (
    OPEN_STAGES,
    PUBLICATION_TRANSITIONS,
    STAGE_TRANSITIONS,
    Publication,
    Source,
)

# What an enterprise gives about its own project (seeking partners).
ENTERPRISE_FIELDS = [
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "channel",
    "ftz_area",
    "industries",
    "mode",
    "partner_country",
    "partner_city",
    "partner_organisation",
    "amount",
    "currency",
    "contact_name",
    "contact_email",
    "contact_phone",
]
# What the office keeps current besides.
OFFICE_FIELDS = [
    *ENTERPRISE_FIELDS,
    "enterprises",
    "friendship_city",
    "owner",
    "next_step",
    "next_step_due",
    "signed_on",
]
PUBLIC_TEXT_ERROR = (
    "public_text_missing",
    gettext_lazy(
        "Give the title and the description in Chinese and in English first: the catalogue is bilingual."
    ),
)
CONDITION_ERRORS = {"has_public_text": PUBLIC_TEXT_ERROR}
DOCUMENT_KINDS = {
    ProjectDocumentKind.IMAGE: DocumentKind.OTHER,
    ProjectDocumentKind.BROCHURE: DocumentKind.OTHER,
    ProjectDocumentKind.AGREEMENT: DocumentKind.OTHER,
    ProjectDocumentKind.OTHER: DocumentKind.OTHER,
}
NULLABLE = ("amount", "next_step_due", "signed_on", "owner")
DATE_FIELDS = ("next_step_due", "signed_on")


def next_reference(prefix: str, year: int) -> str:
    counter, _created = Counter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


def search_text_for(obj, industries=()) -> str:
    """The public words of a project or achievement, lower-cased, for the catalogue's search."""
    parts = [
        getattr(obj, "reference", ""),
        obj.title_zh,
        obj.title_en,
        obj.description_zh,
        obj.description_en,
        getattr(obj, "partner_city", ""),
    ]
    country = getattr(obj, "partner_country", None)
    if country:
        parts += [country.code, str(country.name)]
    for industry in industries:
        parts += [industry.name_zh, industry.name_en]
    return " ".join(p for p in parts if p).lower()


def refresh_search_text(project: CooperationProject) -> None:
    project.search_text = search_text_for(project, list(project.industries.all()))
    CooperationProject.objects.filter(pk=project.pk).update(search_text=project.search_text)


def _is_officer(actor) -> bool:
    return actor is not None and actor.is_authenticated and actor.has_role(Role.OFFICER)


def _enterprise_of(actor):
    """The enterprise an enterprise user acts for, or PermissionDenied."""
    enterprise = getattr(actor, "enterprise", None) if actor is not None and actor.is_authenticated else None
    if enterprise is None or not (actor.has_role(Role.APPLICANT) or actor.has_role(Role.LIAISON)):
        raise PermissionDenied(
            _("Only approval officers and the enterprises of the free trade zone enter projects.")
        )
    return enterprise


def least_busy_officer():
    """The active officer owning the fewest open projects (the earliest account on a tie), or None."""
    return (
        office_users(Role.OFFICER)
        .annotate(
            open_projects=Count(
                "cooperation_projects_owned",
                filter=Q(cooperation_projects_owned__stage__in=OPEN_STAGES),
            )
        )
        .order_by("open_projects", "pk")
        .first()
    )


def _clean_industries(values) -> list[Industry]:
    ids = [getattr(v, "pk", v) for v in values or []]
    try:
        found = list(Industry.objects.filter(pk__in=ids))
    except (TypeError, ValueError):
        raise ValidationError({"industries": [_("Choose industries from the list.")]}) from None
    if len(found) != len(set(ids)):
        raise ValidationError({"industries": [_("Choose industries from the list.")]})
    return found


def _clean_enterprises(values) -> list[Organization]:
    ids = [getattr(v, "pk", v) for v in values or []]
    try:
        found = list(Organization.objects.filter(pk__in=ids, kind=OrganizationKind.ENTERPRISE))
    except (TypeError, ValueError):
        raise ValidationError({"enterprises": [_("Choose enterprises of the free trade zone.")]}) from None
    if len(found) != len(set(ids)):
        raise ValidationError({"enterprises": [_("Choose enterprises of the free trade zone.")]})
    return found


def _apply(project: CooperationProject, data: dict, fields: list[str]) -> dict:
    """Set the plain fields of `data` named in `fields`; return the many-to-many values to set after save."""
    relations = {}
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if field == "industries":
            relations["industries"] = _clean_industries(value)
            continue
        if field == "enterprises":
            relations["enterprises"] = _clean_enterprises(value)
            continue
        if isinstance(value, str):
            value = value.strip()
        elif value is None and field not in NULLABLE:
            value = ""
        if value == "" and field in NULLABLE:
            value = None
        if field in DATE_FIELDS and isinstance(value, str):
            try:
                value = parse_date(value)
            except ValueError:
                value = None
            if value is None:
                raise ValidationError({field: [_("Give a date as YYYY-MM-DD.")]})
        setattr(project, field, value)
    errors = {}
    if not (project.title_zh or project.title_en):
        errors["title_zh"] = [_("Give the project a title, in Chinese or in English.")]
    if not (project.description_zh or project.description_en):
        errors["description_zh"] = [_("Describe the project, in Chinese or in English.")]
    if project.partner_country and project.partner_country.code == "CN":
        errors["partner_country"] = [
            _("Choose the partner's country or region; for the mainland of China there is no partner abroad.")
        ]
    if project.amount is not None and not project.currency:
        errors["currency"] = [_("Give the currency of the amount.")]
    if project.currency and project.amount is None:
        errors["amount"] = [_("Give the amount, or leave the currency empty.")]
    if project.owner_id and not project.owner.has_role(Role.OFFICER):
        errors["owner"] = [_("The owner must be an approval officer.")]
    if project.signed_on and project.signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date of signing cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    project.full_clean(exclude=["stage", "publication", "reference", "owner", "industries", "enterprises"])
    return relations


def _save_relations(project: CooperationProject, relations: dict) -> None:
    if "industries" in relations:
        project.industries.set(relations["industries"])
    if "enterprises" in relations:
        project.enterprises.set(relations["enterprises"])
        project._enterprise_ids = {e.pk for e in relations["enterprises"]}
    refresh_search_text(project)


def project_create(*, actor, data: dict, source: str = Source.OFFICE) -> CooperationProject:
    """Enter a project. An officer enters one from any channel (owner: the officer unless another is
    given); an enterprise user enters the enterprise's own, seeking partners, which goes to the least busy
    officer. It starts as a lead and a draft. ValidationError, nothing stored, for bad data."""
    project = CooperationProject(created_by=actor)
    if _is_officer(actor):
        relations = _apply(project, data, OFFICE_FIELDS)
        if project.owner_id is None:
            project.owner = actor
        project.source = Source.API if source == Source.API else Source.OFFICE
    else:
        enterprise = _enterprise_of(actor)
        relations = _apply(project, data, ENTERPRISE_FIELDS)
        relations["enterprises"] = [enterprise]
        project.source = Source.ENTERPRISE
    with transaction.atomic():
        if project.owner_id is None:
            project.owner = least_busy_officer()
        project.reference = next_reference("HNCP", timezone.localdate().year)
        project.created_at = project.stage_changed_at = timezone.now()
        project.save()
        _save_relations(project, relations)
        record_event(
            actor=actor,
            action="cooperation_project.create",
            obj=project,
            to_state=project.stage,
            data={"source": project.source, "channel": project.channel, "publication": project.publication},
        )
        if project.source == Source.ENTERPRISE:
            notifying.project_submitted(project, actor=actor)
    return project


def _locked(project: CooperationProject) -> CooperationProject:
    return CooperationProject.objects.select_for_update().get(pk=project.pk)


def project_update(*, project: CooperationProject, actor, data: dict) -> CooperationProject:
    """Change a project. Officers change any project at any time (a published one changes in public);
    the enterprises involved change their own while it is a draft."""
    with transaction.atomic():
        project = _locked(project)
        if _is_officer(actor):
            fields = OFFICE_FIELDS
        else:
            enterprise = _enterprise_of(actor)
            if not project.enterprises.filter(pk=enterprise.pk).exists():
                raise PermissionDenied(_("This project is not your enterprise's."))
            if project.publication != Publication.DRAFT:
                raise StateConflict(
                    _("A project that is %(state)s is changed by the office; write to your officer.")
                    % {"state": project.get_publication_display()},
                    state=project.publication,
                    available=[],
                )
            fields = ENTERPRISE_FIELDS
        before = {f: str(getattr(project, f)) for f in fields if f not in ("industries", "enterprises")}
        relations = _apply(project, data, fields)
        previous_owner = project.owner_id
        project.save()
        _save_relations(project, relations)
        changed = sorted(f for f, v in before.items() if str(getattr(project, f)) != v) + sorted(relations)
        record_event(actor=actor, action="cooperation_project.update", obj=project, data={"fields": changed})
        if project.publication == Publication.PUBLISHED:
            selectors.catalogue_changed()
        if project.owner_id and project.owner_id != previous_owner:
            notifying.project_assigned(project, actor=actor)
    return project


def project_assign(*, project: CooperationProject, actor, owner) -> CooperationProject:
    """Give the project to another officer (who is told)."""
    if not _is_officer(actor):
        raise PermissionDenied(_("Only approval officers assign projects."))
    with transaction.atomic():
        project = _locked(project)
        if owner is None or not owner.is_active or not owner.has_role(Role.OFFICER):
            raise ValidationError({"owner": [_("The owner must be an approval officer.")]})
        project.owner = owner
        project.save(update_fields=["owner", "updated_at"])
        record_event(
            actor=actor,
            action="cooperation_project.assign",
            obj=project,
            data={"owner": owner.get_username()},
        )
        notifying.project_assigned(project, actor=actor)
    return project


def stage_run(
    *, project: CooperationProject, actor, name: str, comment: str = "", data: dict | None = None
) -> CooperationProject:
    """Move the project along the office's pipeline. `data` may carry the next step and its due date
    (and the date of signing for `sign`). 403 for anyone but an officer, 409 from a stage that does not
    allow it, 400 for a missing reason when dropping."""
    with transaction.atomic():
        project = _locked(project)
        comment = fsm.check_transition(
            project,
            actor,
            name,
            info=STAGE_TRANSITIONS,
            condition_errors=CONDITION_ERRORS,
            comment=comment,
            field="stage",
        )
        if data:
            _apply(project, data, ["next_step", "next_step_due", "signed_on"])
        from_stage = project.stage
        getattr(project, name)()
        project.stage_changed_at = timezone.now()
        project.save()
        record_event(
            actor=actor,
            action=f"cooperation_project.{name}",
            obj=project,
            from_state=from_stage,
            to_state=project.stage,
            comment=comment,
        )
    return project


def publication_run(
    *, project: CooperationProject, actor, name: str, comment: str = ""
) -> CooperationProject:
    """Move the project through publication: the enterprises involved submit their draft for review, an
    officer publishes it (both languages' title and description needed), returns it to draft with a
    reason, archives it or publishes it again."""
    with transaction.atomic():
        project = _locked(project)
        comment = fsm.check_transition(
            project,
            actor,
            name,
            info=PUBLICATION_TRANSITIONS,
            condition_errors=CONDITION_ERRORS,
            comment=comment,
            field="publication",
        )
        from_state = project.publication
        getattr(project, name)()
        project.save()
        record_event(
            actor=actor,
            action=f"cooperation_project.{name}",
            obj=project,
            from_state=from_state,
            to_state=project.publication,
            comment=comment,
        )
        notifying.project_publication_done(project, name, actor=actor, comment=comment)
        selectors.catalogue_changed()
    return project


def note_add(*, project: CooperationProject, actor, text: str) -> ProjectNote:
    if not _is_officer(actor):
        raise PermissionDenied(_("Only approval officers write notes on projects."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("A note has at most 5 000 characters.")]})
    with transaction.atomic():
        project = _locked(project)
        note = ProjectNote.objects.create(project=project, author=actor, text=text)
        record_event(actor=actor, action="cooperation_project.note", obj=project)
    return note


def _require_editor(project: CooperationProject, actor) -> None:
    """Officers change a project's documents; the enterprises involved while it is a draft."""
    if _is_officer(actor):
        return
    enterprise = _enterprise_of(actor)
    if not project.enterprises.filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("This project is not your enterprise's."))
    if project.publication != Publication.DRAFT:
        raise StateConflict(
            _("A project that is %(state)s is changed by the office; write to your officer.")
            % {"state": project.get_publication_display()},
            state=project.publication,
            available=[],
        )


def document_add(
    *, project: CooperationProject, actor, kind: str, uploaded_file, public: bool = False
) -> ProjectDocument:
    """Attach a document or image (PDF, JPEG or PNG by content, at most the upload limit). Only an
    officer marks one public."""
    with transaction.atomic():
        project = _locked(project)
        _require_editor(project, actor)
        attachment = attachments.attachment_add(
            case=project,
            model=ProjectDocument,
            kind=kind,
            uploaded_file=uploaded_file,
            actor=actor,
            kinds=DOCUMENT_KINDS,
            action="cooperation_project.attach",
        )
        if public and _is_officer(actor):
            attachment.public = True
            attachment.save(update_fields=["public"])
    return attachment


def document_set_public(*, attachment: ProjectDocument, actor, public: bool) -> ProjectDocument:
    if not _is_officer(actor):
        raise PermissionDenied(_("Only approval officers decide what the public sees."))
    with transaction.atomic():
        _locked(attachment.application)
        attachment.public = bool(public)
        attachment.save(update_fields=["public"])
        record_event(
            actor=actor,
            action="cooperation_project.update",
            obj=attachment.application,
            data={"document": str(attachment.document_id), "public": attachment.public},
        )
    return attachment


def document_remove(*, attachment: ProjectDocument, actor) -> None:
    with transaction.atomic():
        project = _locked(attachment.application)
        _require_editor(project, actor)
        attachments.attachment_remove(attachment=attachment, actor=actor, action="cooperation_project.detach")
