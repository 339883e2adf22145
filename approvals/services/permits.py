"""After approval: the public notice (公示) and its objections, the permit (批件) issued exactly once, its
revocation, the post-trip report's notice and deadline, and the custody of official passports."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.models import PassportType
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.services import record_event
from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.documents.qr import qr_svg_data_uri
from foreign_affairs.workdays.selectors import add_working_days

from .. import notifying, rules
from ..models import (
    Disclosure,
    DisclosureKind,
    DisclosureOutcome,
    Objection,
    ObjectionStatus,
    PassportHandover,
    Permit,
    TravelApplication,
)
from ..workflow import State, is_liaison
from .transitions import application_issue_permit, application_transition

logger = logging.getLogger(__name__)
OFFICIAL_PASSPORTS = (PassportType.OFFICIAL_ORDINARY, PassportType.SERVICE, PassportType.DIPLOMATIC)
PASSPORT_RETURN_WORKING_DAYS = 5


def report_due_days() -> int:
    """Days after the return within which the post-trip report is due (the overdue_reports rule's setting)."""
    return rules.settings_by_code()["overdue_reports"]["parameters"]["due_days"]


# What happens after a transition ----------------------------------------------------------------------


def after_transition(application: TravelApplication, name: str, *, actor, comment: str) -> None:
    """Called by application_transition inside its transaction, once the new state is saved."""
    if name in ("approve", "sign_off"):
        if settings.DISCLOSURE_WORKING_DAYS > 0:
            disclosure_open(application, kind=DisclosureKind.TRIP)
        else:
            enqueue_permit(application)
    elif name in ("cancel", "reopen"):
        _close_open(application, DisclosureKind.TRIP, DisclosureOutcome.WITHDRAWN)
        if name == "cancel":
            permit_revoke(application, reason=comment)
    elif name == "submit_report" and settings.DISCLOSURE_WORKING_DAYS > 0:
        disclosure_open(application, kind=DisclosureKind.REPORT)
    elif name in ("accept_report", "return_report"):
        outcome = DisclosureOutcome.COMPLETED if name == "accept_report" else DisclosureOutcome.WITHDRAWN
        _close_open(application, DisclosureKind.REPORT, outcome)


def enqueue_permit(application: TravelApplication) -> None:
    from ..tasks import issue_permit

    application_id = application.pk
    transaction.on_commit(lambda: issue_permit.delay(application_id))


# Public notices and objections --------------------------------------------------------------------------


def _notice_content(application: TravelApplication, kind: str) -> dict:
    organization = application.organization
    content = {
        "reference": application.reference,
        "title": application.title,
        "organization_zh": organization.name_zh,
        "organization_en": organization.name_en,
        "countries": [code for code in application.countries.split(",") if code],
        "departure_date": application.departure_date.isoformat() if application.departure_date else None,
        "return_date": application.return_date.isoformat() if application.return_date else None,
        "purpose": application.purpose,
        "budget_amount": str(application.budget_amount) if application.budget_amount is not None else None,
        "budget_currency": application.budget_currency,
        "members": [
            {
                "name": m.person.full_name,
                "position": m.person.position,
                "position_on_trip": m.position_on_trip,
                "is_leader": m.is_leader,
            }
            for m in application.members.select_related("person").order_by("-is_leader", "pk")
        ],
    }
    if kind == DisclosureKind.REPORT:
        content.update(
            summary=application.report_summary,
            outcomes=application.report_outcomes,
            agreements=application.report_agreements,
            actual_return_date=application.actual_return_date.isoformat()
            if application.actual_return_date
            else None,
        )
    return content


def disclosure_open(application: TravelApplication, *, kind: str) -> Disclosure:
    """Publish the trip (or its report) on the public notice page for DISCLOSURE_WORKING_DAYS working days."""
    disclosure = Disclosure.objects.create(
        application=application,
        kind=kind,
        content=_notice_content(application, kind),
        ends_on=add_working_days(timezone.localdate(), settings.DISCLOSURE_WORKING_DAYS),
    )
    record_event(
        actor=None,
        action="travel_application.disclose",
        obj=application,
        data={"kind": kind, "disclosure": disclosure.pk, "ends_on": disclosure.ends_on},
    )
    return disclosure


def _close_open(application, kind, outcome) -> None:
    Disclosure.objects.filter(application=application, kind=kind, outcome=DisclosureOutcome.OPEN).update(
        outcome=outcome, closed_at=timezone.now()
    )


def objection_file(*, disclosure: Disclosure, text: str, name: str = "", contact: str = "") -> Objection:
    """Anyone files an objection to an open notice; the officers are told and must decide it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you object to.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Keep the objection under 2000 characters.")})
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if not disclosure.is_open:
            raise ValidationError(_("This notice is closed; objections are no longer accepted."))
        objection = Objection.objects.create(
            disclosure=disclosure, text=text, name=name.strip()[:100], contact=contact.strip()[:120]
        )
        application = TravelApplication.objects.select_for_update().get(pk=disclosure.application_id)
        application.pending_objections += 1
        application.save(update_fields=["pending_objections", "updated_at"])
        record_event(
            actor=None,
            action="travel_application.objection",
            obj=application,
            data={"objection": objection.pk, "kind": disclosure.kind},
        )
        notifying.objection_filed(application, objection)
    return objection


def objection_decide(*, objection: Objection, actor, uphold: bool, comment: str) -> Objection:
    """An officer upholds an objection (the trip goes back to review, or the report back to the
    applicant) or dismisses it (the notice continues). A reason is required either way."""
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers decide objections."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Give the reasons of the decision.")})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("disclosure").get(pk=objection.pk)
        if objection.status != ObjectionStatus.PENDING:
            raise ValidationError(_("This objection has already been decided."))
        objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
        objection.decided_by, objection.decided_at, objection.decision_comment = (
            actor,
            timezone.now(),
            comment,
        )
        objection.save()
        application = TravelApplication.objects.select_for_update().get(
            pk=objection.disclosure.application_id
        )
        application.pending_objections = max(0, application.pending_objections - 1)
        application.save(update_fields=["pending_objections", "updated_at"])
        record_event(
            actor=actor,
            action="travel_application.objection_decide",
            obj=application,
            comment=comment,
            data={"objection": objection.pk, "upheld": uphold},
        )
        if uphold:
            name = "reopen" if objection.disclosure.kind == DisclosureKind.TRIP else "return_report"
            application_transition(
                application=application,
                actor=actor,
                name=name,
                comment=_("Objection upheld: %(reasons)s") % {"reasons": comment},
            )
    return objection


def close_ended_disclosures(*, today=None) -> int:
    """Beat job: notices past their last day with no objection awaiting a decision are completed; a
    completed trip notice lets the permit be issued. Returns how many were closed. Safe to run twice."""
    today = today or timezone.localdate()
    closed = 0
    for disclosure in Disclosure.objects.filter(outcome=DisclosureOutcome.OPEN, ends_on__lt=today):
        with transaction.atomic():
            disclosure = (
                Disclosure.objects.select_for_update().select_related("application").get(pk=disclosure.pk)
            )
            pending = disclosure.objections.filter(status=ObjectionStatus.PENDING).exists()
            if not disclosure.is_open or pending:
                continue
            disclosure.outcome, disclosure.closed_at = DisclosureOutcome.COMPLETED, timezone.now()
            disclosure.save(update_fields=["outcome", "closed_at"])
            if disclosure.kind == DisclosureKind.TRIP and disclosure.application.state == State.APPROVED:
                enqueue_permit(disclosure.application)
            closed += 1
    return closed


# The permit --------------------------------------------------------------------------------------------


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


# Passport custody ----------------------------------------------------------------------------------------


def _custodian(application: TravelApplication, actor) -> None:
    if not (actor.has_role(Role.OFFICER) or is_liaison(application, actor)):
        raise PermissionDenied(_("Passports are handed out and taken back by the office or the liaison."))


def passport_hand_out(
    *, application: TravelApplication, person, actor, handed_to: str = "", notes: str = ""
) -> PassportHandover:
    """Record that a member's official passport left custody for the trip; due back 5 working days after."""
    _custodian(application, actor)
    if application.state not in (State.APPROVED, State.PERMIT_ISSUED):
        raise ValidationError(_("Passports are handed out for approved trips only."))
    if not application.members.filter(person=person).exists():
        raise ValidationError({"person": _("This person is not a member of the delegation.")})
    if person.passport_type not in OFFICIAL_PASSPORTS:
        raise ValidationError({"person": _("Only official passports are kept in custody.")})
    with transaction.atomic():
        handover = PassportHandover(
            person=person,
            application=application,
            passport_number=person.passport_number,
            handed_out_by=actor,
            handed_to=handed_to.strip() or person.full_name,
            notes=notes.strip(),
            due_on=add_working_days(application.return_date, PASSPORT_RETURN_WORKING_DAYS),
        )
        handover.full_clean()
        handover.save()
        record_event(
            actor=actor,
            action="travel_application.passport_out",
            obj=application,
            data={"person": person.pk, "passport": person.masked_passport_number, "due_on": handover.due_on},
        )
    return handover


def passport_return(*, handover: PassportHandover, actor) -> PassportHandover:
    """Record that a passport came back into custody."""
    _custodian(handover.application, actor)
    with transaction.atomic():
        handover = PassportHandover.objects.select_for_update().get(pk=handover.pk)
        if handover.returned_at is not None:
            raise ValidationError(_("This passport has already been returned."))
        handover.returned_at, handover.received_by = timezone.now(), actor
        handover.save(update_fields=["returned_at", "received_by"])
        record_event(
            actor=actor,
            action="travel_application.passport_back",
            obj=handover.application,
            data={"person": handover.person_id, "late": handover.due_on < timezone.localdate()},
        )
    return handover
