"""How long APEC card applications keep the passport page and the photograph (foreign_affairs.privacy.retention).

"apec_scans": 24 months after the application was decided — issued, rejected or withdrawn — the
attachments of kind passport page and photograph go with their documents and files. An issued card's
application stays open while an economy has not answered its pre-clearance (the card gains that economy
when it does), and is closed from the last answer recorded, if that came after the card was issued; a
rejected or withdrawn application is closed whatever the economies still owe.
The application itself, the card and its passport number are not touched here."""

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas.registry import RetentionKind
from foreign_affairs.privacy.retention import Due, delete_documents

from .models import AttachmentKind, CardApplication, CardAttachment, PreClearance
from .workflow import OPEN_STATES, Decision, State

SCANS = "apec_scans"
SCAN_KINDS = (AttachmentKind.PASSPORT, AttachmentKind.PHOTO)


def _closed():
    """Decided applications, with `closed_at`: the decision, or the last pre-clearance answer after it."""
    last_answer = (
        PreClearance.objects.filter(application=OuterRef("pk"), recorded_at__isnull=False)
        .values("application")
        .annotate(last=Max("recorded_at"))
        .values("last")
    )
    pending = PreClearance.objects.filter(application=OuterRef("pk"), decision=Decision.PENDING)
    return (
        CardApplication.objects.exclude(state__in=OPEN_STATES)
        .exclude(Q(state=State.ISSUED) & Exists(pending))
        .annotate(closed_at=Greatest("state_changed_at", Coalesce(Subquery(last_answer), "state_changed_at")))
    )


def scans_due(cutoff) -> list[Due]:
    rows = (
        _closed()
        .filter(closed_at__lt=cutoff)
        .annotate(scans=Count("attachments", filter=Q(attachments__kind__in=SCAN_KINDS)))
        .filter(scans__gt=0)
        .order_by("closed_at", "pk")
        .values("pk", "reference", "closed_at", "scans")
    )
    return [
        Due(
            kind=SCANS,
            case=row["reference"],
            closed_at=row["closed_at"],
            target=row["pk"],
            detail={"files": row["scans"]},
        )
        for row in rows
    ]


def scans_purge(due: Due) -> dict:
    locked = CardApplication.objects.select_for_update(of=("self",)).filter(pk=due.target).first()
    if locked is None or not _closed().filter(pk=locked.pk).exists():
        return {}
    attachments = list(
        CardAttachment.objects.filter(application=locked, kind__in=SCAN_KINDS).select_related("document")
    )
    CardAttachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    files = delete_documents(attachment.document for attachment in attachments)
    return {"attachments": len(attachments), "files": files}


RETENTION = [
    RetentionKind(
        name=SCANS,
        label=_("Passport pages and photographs of decided APEC card applications"),
        months=24,
        due=scans_due,
        purge=scans_purge,
    ),
]
