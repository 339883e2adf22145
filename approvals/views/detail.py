"""The detail page: timeline, what is missing, and the actions the user may take now; after approval
also the permit (and its download), the public notices, the post-trip report and passport custody."""

import logging

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from foreign_affairs.page_actions import action_rows, transition_view
from foreign_affairs.privacy import access

from .. import rules, selectors, services
from ..forms import HandOutForm, ReportForm
from ..forms.actions import report_of
from ..models import AttachmentKind, DisclosureKind, DisclosureOutcome, PassportHandover, Permit, PermitStatus
from ..passports import handover_numbers_shown
from ..permits import permit_response
from ..templatetags.approvals import FIELD_ANCHORS
from ..workflow import EDITABLE_STATES, NEXT_STEP, TRANSITIONS, State, is_applicant, is_liaison
from .common import HOME, get_application

logger = logging.getLogger(__name__)
# Passports are handed out for approved trips only (services.passport_hand_out says the same).
HAND_OUT_STATES = (State.APPROVED, State.PERMIT_ISSUED)
REPORT = AttachmentKind.REPORT


def _report_form(application, data=None, files=None) -> ReportForm:
    return ReportForm(data, files, application=application, auto_id="id_report_%s")


def _handover_rows(request, application) -> list[dict]:
    """The passport custody ledger of this trip, each number as the user may see it (whole looks
    recorded: approvals.passports)."""
    handovers = list(
        PassportHandover.objects.filter(application=application)
        .select_related("person", "handed_out_by", "received_by")
        # Those still out first, on every database.
        .order_by(F("returned_at").asc(nulls_first=True), "due_on", "pk")
    )
    numbers = handover_numbers_shown(request, handovers, case=application.reference)
    return [{"handover": handover, "passport": numbers[handover.pk]} for handover in handovers]


def _after_approval(request, application) -> dict:
    """What the page shows once the application was approved: permit, notices, report, custody."""
    user = request.user
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
        handout_form = HandOutForm(application=application, request=request)
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
        "report_documents": [
            attachment.document
            for attachment in application.attachments.all()
            if attachment.kind == AttachmentKind.REPORT
        ]
        if application.report_submitted_at
        else [],
        "handovers": _handover_rows(request, application),
        "handout_form": handout_form,
        "can_receive_passports": liaison,
        "is_office": getattr(user, "is_office_staff", False),
    }


def _actions(application, user, bound: tuple | None) -> list[dict]:
    """The transitions the user may run now, each with the form it needs; the bound one keeps its input.
    The post-trip report has a form of its own (kind "report", shown by the page)."""
    return action_rows(
        services.available_transitions(application, user),
        TRANSITIONS,
        url=lambda name: reverse("approvals:transition", args=[application.pk, name]),
        bound=bound,
        forms={"submit_report": ("report", lambda: _report_form(application))},
    )


def _detail_page(request, application, *, bound: tuple | None = None, rules_failed=None, status: int = 200):
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
    members = list(application.members.all())
    # Whole for the office and the own organisation, each look recorded (privacy.access): one statement.
    numbers = access.passport_numbers_shown(
        request, [member.person for member in members], case=application.reference
    )
    actions = _actions(application, user, bound)
    return render(
        request,
        "approvals/application_detail.html",
        {
            "application": application,
            "next_step": NEXT_STEP.get(application.state, ""),
            "members": [
                {"member": member, "passport_number": numbers[member.person_id]} for member in members
            ],
            "results": results,
            "timeline": list(selectors.timeline(application)),
            "actions": actions,
            "report_open": any(action["name"] == "submit_report" for action in actions),
            "rules_failed": rules_failed,
            "can_edit": application.state in EDITABLE_STATES and is_applicant(application, user),
            "is_liaison": is_liaison(application, user),
            **_after_approval(request, application),
        },
        status=status,
    )


@login_required
def application_detail(request, pk):
    return _detail_page(request, get_application(request, pk))


def _perform(application, user, name: str, cleaned: dict):
    """The transition; for submit_report the report's fields and files (services.report_submit)."""
    if name == "submit_report":
        return services.report_submit(
            application=application,
            actor=user,
            report=report_of(cleaned) if cleaned else {},
            files=cleaned.get("files", []),
        )
    return services.application_transition(
        application=application, actor=user, name=name, comment=cleaned.get("comment", "")
    )


transition = transition_view(
    get_object=lambda request, pk: get_application(request, pk, details=False),
    transitions={name: info for name, info in TRANSITIONS.items() if name != "issue_permit"},
    available=services.available_transitions,
    perform=_perform,
    page=lambda request, pk, **kwargs: _detail_page(request, get_application(request, pk), **kwargs),
    home=HOME,
    forms={
        "submit_report": lambda request, application: _report_form(application, request.POST, request.FILES)
    },
)


@login_required
@require_GET
def permit_download(request, pk):
    """The permit's PDF, for whoever may see the application (404 for other organisations and while
    there is no permit). Never rendered by the browser, never cached."""
    application = get_application(request, pk, details=False)
    permit = Permit.objects.filter(application=application).first()
    if permit is None or not permit.file:
        raise Http404(_("This application has no permit yet."))
    logger.info("permit downloaded", extra={"permit": permit.number, "user_id": request.user.pk})
    return permit_response(permit)
