"""The travel application's state machine (DESIGN.md), with who may run each transition.

Transitions only change fields of the application; services.application_transition runs them: it
locks the row, checks role, state, conditions, comment and rules, saves, audits and notifies.

    draft ─submit─▶ submitted ─endorse─▶ in_review ─approve─▶ approved ─issue_permit─▶ permit_issued
                       │ (liaison)           │ (officer)   └─escalate─▶ pending_signoff ─sign_off─▶ approved
    returned ◀─return_for_changes─ submitted / in_review / pending_signoff;  returned ─resubmit─▶ submitted
    reject: in_review / pending_signoff ─▶ rejected      withdraw (applicant, before a decision) ─▶ withdrawn
    cancel (after approval, before departure) ─▶ cancelled
    permit_issued ─submit_report─▶ report_submitted ─accept_report─▶ closed (or return_report ─▶ permit_issued)
    reopen (officer, an objection to the public notice upheld): approved ─▶ in_review
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import (
    TransitionInfo,
    is_applicant,
    is_applicant_or_officer,
    is_leader,
    is_liaison,
    is_nobody,
    is_officer,
)


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting endorsement")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    PENDING_SIGNOFF = "pending_signoff", _("Awaiting leader sign-off")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    PERMIT_ISSUED = "permit_issued", _("Permit issued")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    CLOSED = "closed", _("Closed")


# The colour of each state's tag, the same everywhere (static/css/portal.css .state-*).
STATE_TONES = {
    State.DRAFT: "neutral",
    State.SUBMITTED: "progress",
    State.IN_REVIEW: "progress",
    State.RETURNED: "attention",
    State.PENDING_SIGNOFF: "progress",
    State.APPROVED: "success",
    State.REJECTED: "danger",
    State.WITHDRAWN: "neutral",
    State.CANCELLED: "neutral",
    State.PERMIT_ISSUED: "success",
    State.REPORT_SUBMITTED: "progress",
    State.CLOSED: "neutral",
}
# States in which someone must act, with their service level (ServiceLevel rows).
WAITING_STATES = (State.SUBMITTED, State.IN_REVIEW, State.PENDING_SIGNOFF)
# States the enterprise can still edit.
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
# States that hold a trip that may happen (for overlap and trips-per-year rules).
ACTIVE_STATES = (
    State.SUBMITTED,
    State.IN_REVIEW,
    State.PENDING_SIGNOFF,
    State.APPROVED,
    State.PERMIT_ISSUED,
    State.REPORT_SUBMITTED,
    State.CLOSED,
)
# What happens next, in one sentence, for the detail page.
NEXT_STEP = {
    State.DRAFT: _("Complete the application and submit it; your liaison endorses it next."),
    State.SUBMITTED: _("Your organisation's foreign-affairs liaison endorses the application next."),
    State.IN_REVIEW: _("An approval officer of the office reviews the application."),
    State.RETURNED: _("Make the changes asked for in the comment and submit again."),
    State.PENDING_SIGNOFF: _("A leader of the office signs the application off."),
    State.APPROVED: _("The permit is prepared next."),
    State.REJECTED: _("The application was not approved; the comment says why."),
    State.WITHDRAWN: _("The application was withdrawn."),
    State.CANCELLED: _("The trip was cancelled; its permit is no longer valid."),
    State.PERMIT_ISSUED: _("After the trip, submit the post-trip report."),
    State.REPORT_SUBMITTED: _("The office checks the post-trip report."),
    State.CLOSED: _("Nothing more to do: the trip and its report are complete."),
}


def signoff_not_required(application) -> bool:
    return not application.requires_signoff


def before_departure(application) -> bool:
    return application.departure_date is None or application.departure_date > timezone.localdate()


def trip_ended(application) -> bool:
    return application.return_date is not None and application.return_date <= timezone.localdate()


def no_pending_objections(application) -> bool:
    return application.pending_objections == 0


TRANSITIONS = {
    "submit": TransitionInfo(_("Submit"), comment="none"),
    "endorse": TransitionInfo(_("Endorse")),
    "return_for_changes": TransitionInfo(_("Return for changes"), comment="required", style="warning"),
    "resubmit": TransitionInfo(_("Submit again"), comment="optional"),
    "approve": TransitionInfo(_("Approve"), style="success"),
    "escalate": TransitionInfo(_("Send to leader sign-off"), style="secondary"),
    "sign_off": TransitionInfo(_("Sign off"), style="success"),
    "reject": TransitionInfo(_("Reject"), comment="required", destructive=True, style="danger"),
    "withdraw": TransitionInfo(_("Withdraw"), destructive=True, style="outline-danger"),
    "cancel": TransitionInfo(_("Cancel the trip"), destructive=True, style="outline-danger"),
    "reopen": TransitionInfo(_("Reopen the review"), comment="required", destructive=True, style="warning"),
    "issue_permit": TransitionInfo(_("Issue the permit"), comment="none"),
    "submit_report": TransitionInfo(_("Submit the post-trip report"), comment="none"),
    "accept_report": TransitionInfo(_("Accept the report"), style="success"),
    "return_report": TransitionInfo(_("Return the report"), comment="required", style="warning"),
}
# Plain-language labels of the audit events, for timelines (foreign_affairs.audit.labels).
ACTION_LABELS = {
    "travel_application.create": _("created the application"),
    "travel_application.update": _("changed the application"),
    "travel_application.attach": _("attached a document"),
    "travel_application.detach": _("removed a document"),
    "travel_application.assign": _("assigned the application"),
    "travel_application.submit": _("submitted the application"),
    "travel_application.endorse": _("endorsed the application"),
    "travel_application.return_for_changes": _("returned the application for changes"),
    "travel_application.resubmit": _("submitted the application again"),
    "travel_application.approve": _("approved the application"),
    "travel_application.escalate": _("sent the application to leader sign-off"),
    "travel_application.sign_off": _("signed the application off"),
    "travel_application.reject": _("did not approve the application"),
    "travel_application.withdraw": _("withdrew the application"),
    "travel_application.cancel": _("cancelled the trip"),
    "travel_application.reopen": _("reopened the review"),
    "travel_application.issue_permit": _("issued the permit"),
    "travel_application.disclose": _("published the public notice"),
    "travel_application.objection": _("received an objection to the public notice"),
    "travel_application.objection_decide": _("decided on an objection"),
    "travel_application.permit_failed": _("could not render the permit"),
    "travel_application.passport_out": _("handed out a passport"),
    "travel_application.passport_back": _("received a passport back"),
    "travel_application.submit_report": _("submitted the post-trip report"),
    "travel_application.accept_report": _("accepted the post-trip report"),
    "travel_application.return_report": _("returned the post-trip report"),
    "rule_setting.create": _("configured a rule"),
    "rule_setting.update": _("changed a rule"),
    "service_level.create": _("set a service level"),
    "service_level.update": _("changed a service level"),
}


class Workflow(ConcurrentTransitionMixin, models.Model):
    """The state field and its transitions. ConcurrentTransitionMixin makes a save fail when another
    request changed the state since this copy was read (optimistic check on the state column)."""

    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=is_applicant)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.IN_REVIEW, permission=is_liaison)
    def endorse(self):
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED, permission=is_liaison)
    @transition(field=state, source=State.IN_REVIEW, target=State.RETURNED, permission=is_officer)
    @transition(field=state, source=State.PENDING_SIGNOFF, target=State.RETURNED, permission=is_leader)
    def return_for_changes(self):
        pass

    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED, permission=is_applicant)
    def resubmit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.APPROVED,
        permission=is_officer,
        conditions=[signoff_not_required],
    )
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=State.IN_REVIEW, target=State.PENDING_SIGNOFF, permission=is_officer)
    def escalate(self):
        pass

    @transition(field=state, source=State.PENDING_SIGNOFF, target=State.APPROVED, permission=is_leader)
    def sign_off(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=State.IN_REVIEW, target=State.REJECTED, permission=is_officer)
    @transition(field=state, source=State.PENDING_SIGNOFF, target=State.REJECTED, permission=is_leader)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RETURNED, State.PENDING_SIGNOFF],
        target=State.WITHDRAWN,
        permission=is_applicant,
    )
    def withdraw(self):
        pass

    @transition(
        field=state,
        source=[State.APPROVED, State.PERMIT_ISSUED],
        target=State.CANCELLED,
        permission=is_applicant_or_officer,
        conditions=[before_departure],
    )
    def cancel(self):
        pass

    @transition(field=state, source=State.APPROVED, target=State.IN_REVIEW, permission=is_officer)
    def reopen(self):
        """Back to review after approval: an objection to the public notice was upheld, or new facts."""
        self.decided_at = None

    @transition(field=state, source=State.APPROVED, target=State.PERMIT_ISSUED, permission=is_nobody)
    def issue_permit(self):
        pass

    @transition(
        field=state,
        source=State.PERMIT_ISSUED,
        target=State.REPORT_SUBMITTED,
        permission=is_applicant,
        conditions=[trip_ended],
    )
    def submit_report(self):
        self.report_submitted_at = timezone.now()

    @transition(
        field=state,
        source=State.REPORT_SUBMITTED,
        target=State.CLOSED,
        permission=is_officer,
        conditions=[no_pending_objections],
    )
    def accept_report(self):
        pass

    @transition(field=state, source=State.REPORT_SUBMITTED, target=State.PERMIT_ISSUED, permission=is_officer)
    def return_report(self):
        pass
