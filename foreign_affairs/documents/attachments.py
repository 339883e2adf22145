"""Documents attached to a case of an area (subclasses of models.CaseAttachment): one way to attach and
to detach them. The area's service locks the case and decides whether the actor may change its
documents now; these functions do the rest inside its transaction, the same way in every area."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event

from .models import CaseAttachment
from .services import document_create


def attachment_add(
    *,
    case,
    model: type[CaseAttachment],
    kind: str,
    uploaded_file,
    actor,
    kinds: Mapping[str, str],
    action: str,
) -> CaseAttachment:
    """Attach `uploaded_file` to `case` as an attachment of `model` of `kind`, one of `kinds` ({attachment
    kind: document kind}, those the case takes now). The file is checked by content and size and stored
    as a document of the case's organisation, titled with the case's reference and the kind's name (put
    together in each reader's language when shown: Document.display_title); `action` is audited on the
    case. ValidationError (nothing stored) for another kind or a bad file."""
    if kind not in kinds:
        labels = dict(model._meta.get_field("kind").choices)
        raise ValidationError(
            {"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(str(labels[k]) for k in kinds)}}
        )
    label = dict(model._meta.get_field("kind").choices)[kind]
    document = document_create(
        uploaded_file=uploaded_file,
        kind=kinds[kind],
        organization=case.organization,
        uploaded_by=actor,
        title=f"{case.reference} {label}"[:200],
        reference=case.reference,
        title_kind=model.title_kind_for(kind),
    )
    attachment = model.objects.create(application=case, kind=kind, document=document)
    record_event(
        actor=actor,
        action=action,
        obj=case,
        data={"kind": kind, "document": str(document.pk), "name": document.original_name},
    )
    return attachment


def attachment_remove(*, attachment: CaseAttachment, actor, action: str) -> None:
    """Detach a document from its case (the document stays among the organisation's documents); `action`
    is audited on the case."""
    document = attachment.document
    record_event(
        actor=actor,
        action=action,
        obj=attachment.application,
        data={"kind": attachment.kind, "document": str(document.pk), "name": document.original_name},
    )
    attachment.delete()
