"""The permit (批件): queued after approval (or after the public notice), issued exactly once with the
system transition approved → permit_issued, retried by an officer after a failure, revoked with the trip."""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.documents.qr import qr_svg_data_uri
from foreign_affairs.tasking import enqueue_on_commit

from .. import notifying, rules
from ..models import DisclosureKind, DisclosureOutcome, Permit, TravelApplication
from ..summary import summary_after, summary_before
from ..workflow import State
from .states import state_entered

logger = logging.getLogger(__name__)


def report_due_days() -> int:
    """Days after the return within which the post-trip report is due (the overdue_reports rule's setting)."""
    return rules.settings_by_code()["overdue_reports"]["parameters"]["due_days"]


def enqueue_permit(application: TravelApplication) -> None:
    """Queue the permit task of the application after commit (approvals.tasks.issue_permit)."""
    enqueue_on_commit("approvals.issue_permit", application.pk)


def _permit_context(application: TravelApplication, permit: Permit) -> dict:
    decision = (
        AuditEvent.objects.timeline_for(application)
        .filter(action__in=["travel_application.approve", "travel_application.sign_off"])
        .last()
    )
    return {
        "application": application,
        "permit": permit,
        "organization": application.organization,
        "members": application.members.select_related("person").order_by("-is_leader", "pk"),
        "legs": application.legs.order_by("arrive_on", "position"),
        "approver": decision.actor if decision else None,
        "approved_at": decision.created_at if decision else application.decided_at,
        "qr": qr_svg_data_uri(permit.verify_url),
    }


def permit_issue(*, application_id: int) -> Permit | None:
    """Render the permit and move the application to permit_issued — exactly once.

    Requires an approved application whose public notice (if any) is completed; otherwise returns None
    (the notice's end will call again). Locks the application row for the whole work, so two runs at
    once are one after the other; a run that finds the permit issued returns it. The file has a fixed
    name per application and is replaced, so a run killed half-way and redelivered leaves one file; the
    database rows and the transition are committed together or not at all.
    """
    with transaction.atomic():
        application = (
            TravelApplication.objects.select_for_update()
            .select_related("organization")
            .get(pk=application_id)
        )
        existing = Permit.objects.filter(application=application).first()
        if application.state != State.APPROVED:
            return existing
        if application.disclosures.filter(kind=DisclosureKind.TRIP, outcome=DisclosureOutcome.OPEN).exists():
            return None
        permit = existing or Permit(
            application=application,
            number=application.reference.replace("HNFA-", "HNFP-", 1),
            valid_until=application.return_date or timezone.localdate(),
        )
        context = _permit_context(application, permit)
        permit.approved_by, permit.approved_at = context["approver"], context["approved_at"]
        logger.info("rendering permit", extra={"application": application.pk, "permit": permit.number})
        pdf = render_pdf("approvals/pdf/permit.html", context)
        storage = private_storage()
        name = f"permits/{timezone.localdate():%Y}/{application.reference}.pdf"
        if storage.exists(name):
            storage.delete(name)
        permit.file.name = storage.save(name, ContentFile(pdf))
        permit.sha256 = hashlib.sha256(pdf).hexdigest()
        permit.issued_at = timezone.now()
        permit.save()
        application.report_due_on = (application.return_date or timezone.localdate()) + timedelta(
            days=report_due_days()
        )
        application.permit_error = ""
        application.save(update_fields=["report_due_on", "permit_error", "updated_at"])
        application_issue_permit(application=application)
    return permit


def application_issue_permit(*, application: TravelApplication) -> TravelApplication:
    """System transition approved → permit_issued (permit_issue runs it with the permit); keeps the
    dashboard's daily summary current in the same transaction."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application.pk)
        if application.state != State.APPROVED:
            return application
        counted = summary_before(application.pk)
        application.issue_permit()
        state_entered(application, application.state)
        application.save()
        record_event(
            actor=None,
            action="travel_application.issue_permit",
            obj=application,
            from_state=State.APPROVED,
            to_state=application.state,
        )
        notifying.transition_done(application, "issue_permit", actor=None, comment="")
        summary_after(application.pk, counted)
    return application


def permit_failed(*, application_id: int, error: Exception) -> None:
    """The permit task gave up: keep the reason on the application for the officers, and tell them."""
    with transaction.atomic():
        application = TravelApplication.objects.select_for_update().get(pk=application_id)
        application.permit_error = f"{type(error).__name__}: {error}"[:1000]
        application.save(update_fields=["permit_error", "updated_at"])
        record_event(
            actor=None,
            action="travel_application.permit_failed",
            obj=application,
            data={"error": application.permit_error},
        )
        notifying.permit_failed(application)


def permit_retry(*, application: TravelApplication, actor) -> None:
    """An officer asks for the permit again after a failure."""
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers can do this."))
    if application.state != State.APPROVED:
        raise ValidationError(_("Only an approved application waits for its permit."))
    with transaction.atomic():
        enqueue_permit(application)


def permit_revoke(application: TravelApplication, *, reason: str) -> None:
    """A cancelled trip's permit stops being valid (the verification page says "revoked")."""
    Permit.objects.filter(application=application, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason or _("The trip was cancelled.")
    )
