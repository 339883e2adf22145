"""The detail page: timeline, what is missing, and the actions the user may take now; after approval
also the permit (and its download), the public notices, the post-trip report and passport custody."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from foreign_affairs.accounts.validators import mask_passport_number
from foreign_affairs.documents.models import Document, DocumentKind
from foreign_affairs.documents.services import document_create
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import rules, selectors, services
from ..forms import (
    HandOutForm,
    ReportForm,
    TransitionForm,
)
from ..models import DisclosureKind, DisclosureOutcome, PassportHandover, Permit, PermitStatus
from ..templatetags.approvals import FIELD_ANCHORS
from ..workflow import EDITABLE_STATES, NEXT_STEP, TRANSITIONS, State, is_applicant, is_liaison
from .common import get_application

logger = logging.getLogger(__name__)
# Passports are handed out for approved trips only (services.passport_hand_out says the same).
HAND_OUT_STATES = (State.APPROVED, State.PERMIT_ISSUED)


def _transition_form(name: str, data=None) -> TransitionForm:
    info = TRANSITIONS[name]
    return TransitionForm(
        data,
        required=info.comment == "required" or info.destructive,
        label=_("Reason") if info.destructive or info.comment == "required" else _("Comment (optional)"),
        auto_id=f"id_{name}_%s",
    )


def _report_form(application, data=None, files=None) -> ReportForm:
    return ReportForm(data, files, application=application, auto_id="id_report_%s")


def report_documents(application):
    """The report's attachments. They are stored as documents of the organisation (kind "report") whose
    title starts with the reference, because services.attachment_add accepts files only while the
    application can be edited; the report form stores them itself (see `transition`)."""
    return Document.objects.filter(
        organization=application.organization,
        kind=DocumentKind.REPORT,
        title__startswith=f"{application.reference} ",
    ).order_by("created_at")


def _handover_rows(application, user) -> list[dict]:
    """The passport custody ledger of this trip; passport numbers whole for the office only."""
    handovers = PassportHandover.objects.filter(application=application).select_related(
        "person", "handed_out_by", "received_by"
    )
    office = getattr(user, "is_office_staff", False)
    return [
        {
            "handover": handover,
            "passport": handover.passport_number
            if office
            else mask_passport_number(handover.passport_number),
        }
        # Those still out first, on every database.
        for handover in handovers.order_by(F("returned_at").asc(nulls_first=True), "due_on", "pk")
    ]


def _after_approval(application, user) -> dict:
    """What the page shows once the application was approved: permit, notices, report, custody."""
    permit = Permit.objects.filter(application=application).first()
    permit_status = PermitStatus(permit.status()) if permit else None
    disclosures = list(application.disclosures.order_by("-published_at", "-pk"))
    notices = [
        {
            "disclosure": disclosure,
            # The public page shows open notices, and completed report notices (notices.notice_detail).
            "public": disclosure.is_open
            or (
                disclosure.kind == DisclosureKind.REPORT and disclosure.outcome == DisclosureOutcome.COMPLETED
            ),
        }
        for disclosure in disclosures
    ]
    open_trip_notice = next((d for d in disclosures if d.kind == DisclosureKind.TRIP and d.is_open), None)
    liaison = is_liaison(application, user)
    handout_form = None
    if liaison and application.state in HAND_OUT_STATES:
        handout_form = HandOutForm(application=application, user=user)
    report_due = None
    if application.state == State.PERMIT_ISSUED and application.report_due_on:
        today = timezone.localdate()
        report_due = {
            "date": application.report_due_on,
            "overdue": application.report_due_on < today,
            "days_late": max((today - application.report_due_on).days, 0),
            "days_left": max((application.report_due_on - today).days, 0),
            "trip_ended": application.return_date is not None and application.return_date <= today,
        }
    return {
        "permit": permit,
        "permit_status": permit_status or "",
        "permit_status_label": permit_status.label if permit_status else "",
        "waiting_for_permit": application.state == State.APPROVED and permit is None,
        "open_trip_notice": open_trip_notice,
        "notices": notices,
        "report_due": report_due,
        "report_documents": list(report_documents(application)) if application.report_submitted_at else [],
        "handovers": _handover_rows(application, user),
        "handout_form": handout_form,
        "can_receive_passports": liaison,
        "is_office": getattr(user, "is_office_staff", False),
    }


def _actions(application, user, bound: tuple | None) -> list[dict]:
    """The transitions the user may run now, each with the form it needs; the bound one keeps its input."""
    actions = []
    for name in services.available_transitions(application, user):
        info = TRANSITIONS[name]
        is_bound = bound is not None and bound[0] == name
        if name == "submit_report":
            form, kind = (
                bound[1] if is_bound else _report_form(application),
                "report",
            )
        elif info.comment == "required" or info.destructive:
            form, kind = bound[1] if is_bound else _transition_form(name), "confirm"
        else:
            form, kind = None, "button"
        actions.append({"name": name, "info": info, "form": form, "kind": kind, "open": is_bound})
    # The step forward first, the destructive ones last (one primary button per page).
    return sorted(actions, key=lambda action: (action["info"].destructive, action["kind"] != "button"))


def _detail_page(request, application, *, bound: tuple | None = None, status: int = 200):
    user = request.user
    language = get_language()
    results = [
        {
            "code": result.get("code", ""),
            "severity": result["severity"],
            "message": rules.stored_message(result, language),
            "href": FIELD_ANCHORS.get(result.get("field", ""), ""),
        }
        for result in application.rule_results
    ]
    members = [
        {"member": member, "passport_number": member.person.passport_number_for(user)}
        for member in application.members.all()
    ]
    actions = _actions(application, user, bound)
    return render(
        request,
        "approvals/application_detail.html",
        {
            "application": application,
            "next_step": NEXT_STEP.get(application.state, ""),
            "members": members,
            "results": results,
            "timeline": list(selectors.timeline(application)),
            "actions": actions,
            "report_open": any(action["name"] == "submit_report" for action in actions),
            "can_edit": application.state in EDITABLE_STATES and is_applicant(application, user),
            "is_liaison": is_liaison(application, user),
            **_after_approval(application, user),
        },
        status=status,
    )


@login_required
def application_detail(request, pk):
    return _detail_page(request, get_application(request, pk))


@login_required
@require_POST
def transition(request, pk, name):
    """Run one transition for the user; errors come back as messages, a missing reason beside its field."""
    application = get_application(request, pk, details=False)
    if name not in TRANSITIONS or name == "issue_permit":
        raise Http404
    comment, report = "", None
    # Only validate the form of a transition the user may run now; otherwise the service says why not.
    available = name in services.available_transitions(application, request.user)
    form = (
        _report_form(application, request.POST, request.FILES)
        if name == "submit_report"
        else (_transition_form(name, request.POST))
    )
    if available and not form.is_valid():
        return _detail_page(request, get_application(request, pk), bound=(name, form), status=400)
    files = []
    if available:
        report = form.report() if name == "submit_report" else None
        comment = form.cleaned_data.get("comment", "") if name != "submit_report" else ""
        files = form.cleaned_data.get("files", []) if name == "submit_report" else []
    try:
        # The report's files are stored in the same transaction as the transition, after it: a report
        # the workflow refuses stores no file, and a file that fails to store undoes the report.
        with transaction.atomic():
            application = services.application_transition(
                application=application, actor=request.user, name=name, comment=comment, report=report
            )
            for uploaded in files:
                document_create(
                    uploaded_file=uploaded,
                    kind=DocumentKind.REPORT,
                    organization=application.organization,
                    uploaded_by=request.user,
                    title=f"{application.reference} {_('Post-trip report')} · {uploaded.name}"[:200],
                )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your role does not allow this action."))
    except StateConflict as error:
        messages.error(request, str(error.message))
    except RulesFailed as error:
        messages.error(request, " ".join([str(error.message), *(str(f["message"]) for f in error.findings)]))
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages_ in errors.items():
            form.add_error(field if field in form.fields else None, messages_)
        return _detail_page(request, get_application(request, pk), bound=(name, form), status=400)
    else:
        messages.success(
            request,
            _("“%(action)s” is done. The application is now “%(state)s”.")
            % {"action": TRANSITIONS[name].label, "state": application.get_state_display()},
        )
    return redirect(reverse("approvals:detail", args=[pk]))


@login_required
@require_GET
def permit_download(request, pk):
    """The permit's PDF, for whoever may see the application (404 for other organisations and while
    there is no permit). Never rendered by the browser, never cached."""
    application = get_application(request, pk, details=False)
    permit = Permit.objects.filter(application=application).first()
    if permit is None or not permit.file:
        raise Http404(_("This application has no permit yet."))
    try:
        handle = permit.file.open("rb")
    except FileNotFoundError as error:
        logger.error("permit file is missing", extra={"permit": permit.number})
        raise Http404(_("The file is missing.")) from error
    logger.info("permit downloaded", extra={"permit": permit.number, "user_id": request.user.pk})
    response = FileResponse(
        handle, as_attachment=True, filename=f"{permit.number}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
