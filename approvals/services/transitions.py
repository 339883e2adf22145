"""Running the state machine: role, state, conditions, comment and rules checked; audited; notified; what
follows (services.aftermath) done in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.accounts.roles import Role
from foreign_affairs.assignment import assign_officer
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import RulesFailed, StateConflict

from .. import notifying, rules
from ..models import TravelApplication
from ..summary import summary_after, summary_before
from ..workflow import TRANSITIONS, State, is_applicant
from .aftermath import after_transition
from .derived import check_rules
from .states import state_entered

# Transitions before the decision run the rules again and keep the results; these also refuse on an error.
RULE_CHECKED = {"submit", "resubmit", "endorse", "approve", "escalate", "sign_off"}
RULE_GATED = {"submit", "resubmit", "approve", "sign_off"}


# Transitions -----------------------------------------------------------------------------------------


def available_transitions(application: TravelApplication, user) -> list[str]:
    """The transitions `user` may run on the application now (state, role and conditions)."""
    return fsm.available_transitions(application, user)


# An unmet condition of a transition, as an error code and message: {condition: (code, message)}.
CONDITION_ERRORS = {
    "signoff_not_required": (
        "signoff_required",
        gettext_lazy("This trip needs leader sign-off: send it to sign-off instead."),
    ),
    "before_departure": (
        "trip_started",
        gettext_lazy("The trip has already begun; it can no longer be cancelled."),
    ),
    "trip_ended": (
        "trip_not_ended",
        gettext_lazy("The post-trip report can be submitted after the return date."),
    ),
    "no_pending_objections": (
        "objections_pending",
        gettext_lazy("Objections to the public notice of the report await a decision."),
    ),
}


def application_transition(
    *, application: TravelApplication, actor, name: str, comment: str = "", report: dict | None = None
) -> TravelApplication:
    """Run one transition of the state machine for `actor`.

    Checks, in order: the actor's role for this transition (PermissionDenied → 403), the current state
    (StateConflict → 409), the transition's conditions and the rules (RulesFailed → 400), a required
    comment (ValidationError → 400). Locks the row, so of two concurrent requests one wins and the other
    meets the new state. Saves, writes the audit event (with "on behalf of" for substitutes), keeps the
    dashboard's daily summary current and queues the notifications of the people who act next, sent after
    commit. Nothing changes on any error.
    """
    if name == "issue_permit":
        raise StateConflict(_("There is no such action."), state=application.state, available=[])
    with transaction.atomic():
        application = (
            TravelApplication.objects.select_for_update()
            .select_related("organization")
            .get(pk=application.pk)
        )
        comment = fsm.check_transition(
            application, actor, name, info=TRANSITIONS, condition_errors=CONDITION_ERRORS, comment=comment
        )
        if name == "submit_report":
            _take_report(application, report or {})

        counted = summary_before(application.pk)
        previous = application.state
        if name in RULE_CHECKED:
            reference_date = timezone.localdate() if name in ("submit", "resubmit") else None
            findings = check_rules(application, reference_date=reference_date)
            if name in RULE_GATED and rules.errors(findings):
                raise RulesFailed(
                    _("The application does not meet the rules yet."),
                    findings=[f.as_dict() for f in rules.errors(findings)],
                )
        getattr(application, name)()
        state_entered(application, application.state)
        application.save()
        on_behalf = _principal_for(application, actor, previous, name)
        record_event(
            actor=actor,
            action=f"travel_application.{name}",
            obj=application,
            from_state=previous,
            to_state=application.state,
            comment=comment,
            data={"on_behalf_of": on_behalf.get_username()} if on_behalf else {},
        )
        after_transition(application, name, actor=actor, comment=comment)
        notifying.transition_done(application, name, actor=actor, comment=comment)
        summary_after(application.pk, counted)  # the dashboard's daily summary, in this transaction
    return application


def _principal_for(application, actor, previous_state, name):
    """The absent officer or leader whose role a substitute used, for the audit trail."""
    role = {
        "approve": Role.OFFICER,
        "escalate": Role.OFFICER,
        "accept_report": Role.OFFICER,
        "return_report": Role.OFFICER,
        "sign_off": Role.LEADER,
    }.get(name)
    if name in ("reject", "return_for_changes"):
        role = {State.IN_REVIEW: Role.OFFICER, State.PENDING_SIGNOFF: Role.LEADER}.get(previous_state)
    if name == "cancel" and not is_applicant(application, actor):
        role = Role.OFFICER
    return actor.acting_for(role) if role and hasattr(actor, "acting_for") else None


def _take_report(application: TravelApplication, report: dict) -> None:
    errors = {}
    summary = (report.get("summary") or "").strip()
    if not summary:
        errors["summary"] = _("Summarise what the delegation did.")
    actual_return = report.get("actual_return_date")
    if not actual_return:
        errors["actual_return_date"] = _("Give the date the delegation came back.")
    if errors:
        raise ValidationError(errors)
    spending = report.get("actual_spending")
    if spending not in (None, "") and float(spending) < 0:
        raise ValidationError({"actual_spending": _("The spending cannot be negative.")})
    application.report_summary = summary
    application.report_outcomes = (report.get("outcomes") or "").strip()
    application.report_agreements = (report.get("agreements") or "").strip()
    application.actual_return_date = actual_return
    application.actual_spending = spending if spending not in ("",) else None


def application_assign(*, application: TravelApplication, actor, officer) -> TravelApplication:
    """Give an application to an officer (an officer takes one, or hands it over); the officer is told."""
    with transaction.atomic():
        application = assign_officer(
            application, actor=actor, officer=officer, action="travel_application.assign"
        )
        if officer is not None and officer != actor:
            notifying.assigned(application, officer=officer, actor=actor)
    return application
