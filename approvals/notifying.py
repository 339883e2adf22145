"""Who is told what when an application moves: the people who must act next, and the applicant."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import (
    office_users,
    organization_users,
    with_substitutes,
)
from foreign_affairs.notifications.services import notify

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


def _office(role: str):
    return office_users(role)


def _enterprise(application, *, liaisons_only: bool = False):
    return organization_users(application.organization_id, liaisons_only=liaisons_only)


def recipients(application, name: str) -> list[User]:
    if name in ("submit", "resubmit"):
        return list(_enterprise(application, liaisons_only=True))
    if name in ("endorse", "submit_report"):
        if application.assigned_officer_id:
            return with_substitutes(User.objects.filter(pk=application.assigned_officer_id))
        return with_substitutes(_office(Role.OFFICER))
    if name == "reopen":
        officers = with_substitutes(_office(Role.OFFICER))
        return [
            *officers,
            *_enterprise(application).filter(
                Q(pk=application.created_by_id) | Q(membership__is_liaison=True)
            ),
        ]
    if name == "escalate":
        return with_substitutes(_office(Role.LEADER))
    if name in ("withdraw", "cancel"):
        officers = (
            User.objects.filter(pk=application.assigned_officer_id) if application.assigned_officer_id else []
        )
        return [*officers, *_enterprise(application, liaisons_only=True)]
    # Decisions go back to the organisation: the author and the liaisons.
    return list(
        _enterprise(application).filter(Q(pk=application.created_by_id) | Q(membership__is_liaison=True))
    )


def transition_done(application, name: str, *, actor, comment: str) -> None:
    """Queue the notifications of a transition (in-app now, e-mail after commit)."""
    for user in recipients(application, name):
        if actor is not None and user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            template="approvals/transition",
            context={
                "application": application,
                "headline": HEADLINES[name],
                "comment": comment,
                "actor": actor,
                "state": State(application.state).label,
            },
            link=_link_for(application, user),
            key=f"transition:{application.pk}:{name}:{application.state_changed_at.isoformat()}",
        )


def assigned(application, *, officer, actor) -> None:
    notify(
        recipient=officer,
        template="approvals/assigned",
        context={"application": application, "actor": actor},
        link=_link_for(application, officer),
    )


def reminder(application, *, user, overdue_days: int, escalated: bool) -> None:
    notify(
        recipient=user,
        template="approvals/reminder",
        context={
            "application": application,
            "overdue_days": overdue_days,
            "escalated": escalated,
            "state": State(application.state).label,
        },
        link=_link_for(application, user),
        key=f"reminder:{application.pk}:{application.state}:{application.state_changed_at.isoformat()}:"
        f"{'leader' if escalated else 'assignee'}",
    )


def _link_for(application, user) -> str:
    if user.is_office_staff:
        return reverse("admin:approvals_travelapplication_change", args=[application.pk])
    return reverse("approvals:detail", args=[application.pk])


def _officers_of(application) -> list[User]:
    if application.assigned_officer_id:
        return with_substitutes(User.objects.filter(pk=application.assigned_officer_id))
    return with_substitutes(_office(Role.OFFICER))


def objection_filed(application, objection) -> None:
    for user in _officers_of(application):
        notify(
            recipient=user,
            template="approvals/objection",
            link=_link_for(application, user),
            context={"application": application, "objection": objection},
            key=f"objection:{objection.pk}",
        )


def permit_failed(application) -> None:
    for user in _officers_of(application):
        notify(
            recipient=user,
            template="approvals/permit_failed",
            link=_link_for(application, user),
            context={"application": application},
            key=f"permit-failed:{application.pk}:{application.updated_at:%Y%m%d%H}",
        )


def report_reminder(application, *, overdue: bool) -> int:
    """Remind the organisation (and, once late, the officers) of a post-trip report; once per stage."""
    people = list(
        _enterprise(application).filter(Q(pk=application.created_by_id) | Q(membership__is_liaison=True))
    )
    if overdue:
        people += _officers_of(application)
    stage = "overdue" if overdue else "soon"
    for user in people:
        notify(
            recipient=user,
            template="approvals/report_due",
            link=_link_for(application, user),
            context={"application": application, "overdue": overdue},
            key=f"report-{stage}:{application.pk}:{application.report_due_on}",
        )
    return len(people)


def passport_reminder(handover) -> int:
    """Tell the liaisons and the officers once that a passport is overdue back into custody."""
    application = handover.application
    people = [*_enterprise(application, liaisons_only=True), *_officers_of(application)]
    for user in people:
        notify(
            recipient=user,
            template="approvals/passport_overdue",
            link=_link_for(application, user),
            context={"application": application, "handover": handover},
            key=f"passport-overdue:{handover.pk}",
        )
    return len(people)
