"""Who is told what when an application moves: the people who must act next, and the applicant.

This module only declares (headlines, recipients per transition, templates, keys); the notices are made
by foreign_affairs.notifications.transitions, as in every area.
"""

from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import (
    assigned_officers,
    author_and_liaisons,
    liaisons_of,
    office_users,
    with_substitutes,
)
from foreign_affairs.notifications.transitions import RecordNotices

from .workflow import State

# What the notification says happened, per transition.
HEADLINES = {
    "submit": _("An application awaits your endorsement"),
    "resubmit": _("A changed application awaits your endorsement"),
    "endorse": _("An application awaits review"),
    "return_for_changes": _("Your application was returned for changes"),
    "approve": _("Your application was approved"),
    "sign_off": _("Your application was approved"),
    "escalate": _("An application awaits your sign-off"),
    "reject": _("Your application was not approved"),
    "withdraw": _("An application was withdrawn"),
    "cancel": _("A trip was cancelled"),
    "issue_permit": _("The permit of your trip was issued"),
    "submit_report": _("A post-trip report awaits review"),
    "accept_report": _("Your post-trip report was accepted"),
    "return_report": _("Your post-trip report was returned"),
    "reopen": _("An approved application is back in review"),
}

APPLICATIONS = RecordNotices(
    name="application",
    states=State,
    office_page="admin:approvals_travelapplication_change",
    enterprise_page="approvals:detail",
    transition_template="approvals/transition",
    headlines=HEADLINES,
    key_prefix="transition",
)


def recipients(application, name: str) -> list[User]:
    if name in ("submit", "resubmit"):
        return liaisons_of(application)
    if name in ("endorse", "submit_report"):
        return assigned_officers(application)
    if name == "reopen":
        return [*with_substitutes(office_users(Role.OFFICER)), *author_and_liaisons(application)]
    if name == "escalate":
        return with_substitutes(office_users(Role.LEADER))
    if name in ("withdraw", "cancel"):
        officer = (
            User.objects.filter(pk=application.assigned_officer_id) if application.assigned_officer_id else []
        )
        return [*officer, *liaisons_of(application)]
    # Decisions go back to the organisation: the author and the liaisons.
    return author_and_liaisons(application)


def transition_done(application, name: str, *, actor, comment: str) -> None:
    """Queue the notifications of a transition (in-app now, e-mail after commit)."""
    APPLICATIONS.transition(
        application, name, people=recipients(application, name), actor=actor, comment=comment
    )


def assigned(application, *, officer, actor) -> None:
    APPLICATIONS.send(application, [officer], template="approvals/assigned", context={"actor": actor})


def reminder(application, *, user, overdue_days: int, escalated: bool) -> None:
    APPLICATIONS.send(
        application,
        [user],
        template="approvals/reminder",
        context={
            "overdue_days": overdue_days,
            "escalated": escalated,
            "state": APPLICATIONS.state_label(application),
        },
        key=f"reminder:{application.pk}:{application.state}:{application.state_changed_at.isoformat()}:"
        f"{'leader' if escalated else 'assignee'}",
    )


def objection_filed(application, objection) -> None:
    APPLICATIONS.send(
        application,
        assigned_officers(application),
        template="approvals/objection",
        context={"objection": objection},
        key=f"objection:{objection.pk}",
    )


def permit_failed(application) -> None:
    APPLICATIONS.send(
        application,
        assigned_officers(application),
        template="approvals/permit_failed",
        key=f"permit-failed:{application.pk}:{application.updated_at:%Y%m%d%H}",
    )


def report_reminder(application, *, overdue: bool) -> int:
    """Remind the organisation (and, once late, the officers) of a post-trip report; once per stage."""
    people = author_and_liaisons(application)
    if overdue:
        people += assigned_officers(application)
    stage = "overdue" if overdue else "soon"
    return APPLICATIONS.send(
        application,
        people,
        template="approvals/report_due",
        context={"overdue": overdue},
        key=f"report-{stage}:{application.pk}:{application.report_due_on}",
    )


def passport_reminder(handover) -> int:
    """Tell the liaisons and the officers once that a passport is overdue back into custody."""
    application = handover.application
    return APPLICATIONS.send(
        application,
        [*liaisons_of(application), *assigned_officers(application)],
        template="approvals/passport_overdue",
        context={"handover": handover},
        key=f"passport-overdue:{handover.pk}",
    )
