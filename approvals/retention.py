"""How long travel applications keep personal data once closed (foreign_affairs.privacy.retention).

An application is closed in a final state — rejected, withdrawn, cancelled or closed after its report —
and closed since it entered that state (`state_changed_at`; no transition leaves a final state).

- "travel_scans": passport scans and photographs attached to the application (documents of kind
  passport scan or photograph, or attachments of kind passport or photo) go 24 months after closure:
  the attachments, the documents and the files.
- "travel_applications": after the archive period (120 months), the travellers' personal data goes and
  the application's shell stays for the statistics (reference, organisation, title, purpose, kind of
  mission, dates, days, countries, itinerary, number of members, budget, the report, the states and
  their times). Removed: the delegation members (the link to each traveller and their position on the
  trip), the passport custody ledger of the trip (passport numbers, who took them), every attached
  document and its file (invitations and reports name the travellers), the permit's file (it lists
  them; the permit's number and dates stay), the members in its public notices, the names and contacts
  of objectors, and the application's contact person, phone and leader's name. An application with a
  passport not yet returned is not purged: its custody is not over.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas.registry import RetentionKind
from foreign_affairs.documents.models import DocumentKind
from foreign_affairs.privacy.retention import Due, delete_documents, delete_file_on_commit

from .models import (
    Attachment,
    DelegationMember,
    Disclosure,
    Objection,
    PassportHandover,
    Permit,
    TravelApplication,
)
from .workflow import State

CLOSED_STATES = (State.REJECTED, State.WITHDRAWN, State.CANCELLED, State.CLOSED)
SCANS = "travel_scans"
APPLICATIONS = "travel_applications"


def _scan_q(prefix: str = "") -> Q:
    """Attachments that are passport scans or photographs (DocumentKind.PHOTO once it exists)."""
    document_kinds = [kind for kind in ("passport_scan", "photo") if kind in DocumentKind.values]
    return Q(**{f"{prefix}document__kind__in": document_kinds}) | Q(
        **{f"{prefix}kind__in": ["passport", "photo"]}
    )


def _closed_before(cutoff):
    return TravelApplication.objects.filter(state__in=CLOSED_STATES, state_changed_at__lt=cutoff)


def _locked_closed(pk):
    return TravelApplication.objects.select_for_update().filter(pk=pk, state__in=CLOSED_STATES).first()


# Scans and photographs: 24 months -------------------------------------------------------------------------


def scans_due(cutoff) -> list[Due]:
    rows = (
        _closed_before(cutoff)
        .annotate(scans=Count("attachments", filter=_scan_q("attachments__")))
        .filter(scans__gt=0)
        .order_by("state_changed_at", "pk")
        .values("pk", "reference", "state_changed_at", "scans")
    )
    return [
        Due(
            kind=SCANS,
            case=row["reference"],
            closed_at=row["state_changed_at"],
            target=row["pk"],
            detail={"files": row["scans"]},
        )
        for row in rows
    ]


def scans_purge(due: Due) -> dict:
    application = _locked_closed(due.target)
    if application is None:
        return {}
    attachments = list(
        Attachment.objects.filter(_scan_q(), application=application).select_related("document")
    )
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    files = delete_documents(attachment.document for attachment in attachments)
    return {"attachments": len(attachments), "files": files}


# The travellers' personal data: the archive period ---------------------------------------------------------


def _holds_personal_data() -> Q:
    application = OuterRef("pk")
    return (
        ~Q(contact_name="")
        | ~Q(contact_phone="")
        | ~Q(leader_name="")
        | Exists(DelegationMember.objects.filter(application=application))
        | Exists(PassportHandover.objects.filter(application=application))
        | Exists(Attachment.objects.filter(application=application))
        | Exists(Permit.objects.filter(application=application).exclude(file=""))
        | Exists(Disclosure.objects.filter(application=application, content__has_key="members"))
        | Exists(
            Objection.objects.filter(disclosure__application=application).filter(~Q(name="") | ~Q(contact=""))
        )
    )


def applications_due(cutoff) -> list[Due]:
    passport_out = PassportHandover.objects.filter(application=OuterRef("pk"), returned_at__isnull=True)
    rows = (
        _closed_before(cutoff)
        .filter(_holds_personal_data())
        .exclude(Exists(passport_out))
        .order_by("state_changed_at", "pk")
        .values("pk", "reference", "state_changed_at")
    )
    return [
        Due(kind=APPLICATIONS, case=row["reference"], closed_at=row["state_changed_at"], target=row["pk"])
        for row in rows
    ]


def applications_purge(due: Due) -> dict:
    application = _locked_closed(due.target)
    if application is None or application.passport_handovers.filter(returned_at__isnull=True).exists():
        return {}
    removed = {
        "passport_handovers": application.passport_handovers.all().delete()[0],
        "members": application.members.all().delete()[0],
    }
    attachments = list(application.attachments.select_related("document"))
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    removed["attachments"] = len(attachments)
    removed["files"] = delete_documents(attachment.document for attachment in attachments)
    permit = Permit.objects.filter(application=application).exclude(file="").first()
    if permit is not None:
        removed["files"] += delete_file_on_commit(permit.file)
        Permit.objects.filter(pk=permit.pk).update(file="")
    notices = 0
    for disclosure in application.disclosures.filter(content__has_key="members"):
        disclosure.content.pop("members")
        disclosure.save(update_fields=["content"])
        notices += 1
    removed["notices"] = notices
    removed["objections"] = (
        Objection.objects.filter(disclosure__application=application)
        .filter(~Q(name="") | ~Q(contact=""))
        .update(name="", contact="")
    )
    fields = {"contact_name": "", "contact_phone": "", "leader_name": ""}
    changed = [name for name, value in fields.items() if getattr(application, name) != value]
    if changed:
        TravelApplication.objects.filter(pk=application.pk).update(**fields)
    removed["fields"] = len(changed)
    return removed


RETENTION = [
    RetentionKind(
        name=SCANS,
        label=_("Passport scans and photographs of closed travel applications"),
        months=24,
        due=scans_due,
        purge=scans_purge,
    ),
    RetentionKind(
        name=APPLICATIONS,
        label=_("Travellers' personal data on closed travel applications (archive period)"),
        months=120,
        due=applications_due,
        purge=applications_purge,
    ),
]
