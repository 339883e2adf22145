"""Who is told what when a card application or a card moves."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users, organization_users, with_substitutes
from foreign_affairs.notifications.services import notify

from .workflow import CardState, State

HEADLINES = {
    "submit": _("An APEC card application awaits your endorsement"),
    "resubmit": _("A changed APEC card application awaits your endorsement"),
    "endorse": _("An APEC card application awaits review"),
    "start_review": _("Your APEC card application is in review"),
    "return_for_changes": _("Your APEC card application was returned for changes"),
    "request_preclearance": _("The economies were asked to pre-clear your APEC card application"),
    "issue": _("Your APEC Business Travel Card was issued"),
    "reject": _("Your APEC card application was not approved"),
    "withdraw": _("An APEC card application was withdrawn"),
}
CARD_HEADLINES = {
    "report_lost": _("An APEC card was reported lost"),
    "cancel": _("An APEC card was cancelled"),
    "expire": _("An APEC card has expired"),
    "add_economy": _("An economy was added to an APEC card"),
}


def _organisation(organization_id: int, created_by_id: int | None = None):
    people = organization_users(organization_id)
    condition = Q(membership__is_liaison=True)
    if created_by_id:
        condition |= Q(pk=created_by_id)
    return list(people.filter(condition))


def _officers(application) -> list:
    if application.assigned_officer_id:
        return with_substitutes(office_users(Role.OFFICER).filter(pk=application.assigned_officer_id))
    return with_substitutes(office_users(Role.OFFICER))


def recipients(application, name: str) -> list:
    if name in ("submit", "resubmit"):
        return list(organization_users(application.organization_id, liaisons_only=True))
    if name == "endorse":
        return _officers(application)
    if name == "withdraw":
        officers = _officers(application) if application.assigned_officer_id else []
        return [*officers, *organization_users(application.organization_id, liaisons_only=True)]
    return _organisation(application.organization_id, application.created_by_id)


def _application_link(application, user) -> str:
    if user.is_office_staff:
        return reverse("admin:apec_cards_cardapplication_change", args=[application.pk])
    return reverse("apec_cards:application_detail", args=[application.pk])


def _card_link(card, user) -> str:
    if user.is_office_staff:
        return reverse("admin:apec_cards_card_change", args=[card.pk])
    return reverse("apec_cards:card_detail", args=[card.pk])


def application_moved(application, name: str, *, actor, comment: str) -> None:
    for user in recipients(application, name):
        if actor is not None and user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            template="apec_cards/transition",
            context={
                "application": application,
                "headline": HEADLINES[name],
                "comment": comment,
                "actor": actor,
                "state": State(application.state).label,
            },
            link=_application_link(application, user),
            key=f"card-application:{application.pk}:{name}:{application.state_changed_at.isoformat()}",
        )


def preclearance_recorded(application, preclearance, *, actor) -> None:
    for user in _organisation(application.organization_id, application.created_by_id):
        notify(
            recipient=user,
            template="apec_cards/preclearance",
            context={"application": application, "preclearance": preclearance},
            link=_application_link(application, user),
            key=f"preclearance:{preclearance.pk}",
        )


def card_event(card, name: str, *, actor, comment: str = "", economy_id: str = "") -> None:
    people = _organisation(card.organization_id, card.application.created_by_id)
    if name in ("report_lost", "cancel") and not (actor and actor.is_office_staff):
        people += _officers(card.application)
    for user in people:
        if actor is not None and user.pk == actor.pk:
            continue
        notify(
            recipient=user,
            template="apec_cards/card",
            context={
                "card": card,
                "headline": CARD_HEADLINES[name],
                "comment": comment,
                "economy": economy_id,
                "state": CardState(card.state).label,
            },
            link=_card_link(card, user),
            key=f"card:{card.pk}:{name}:{economy_id}",
        )


def expiry_reminder(card, *, months: int) -> None:
    for user in _organisation(card.organization_id, card.application.created_by_id):
        notify(
            recipient=user,
            template="apec_cards/expiry",
            context={"card": card, "months": months},
            link=_card_link(card, user),
            key=f"card-expiry:{card.pk}:{months}",
        )


def letter_failed(card) -> None:
    for user in _officers(card.application):
        notify(
            recipient=user,
            template="apec_cards/letter_failed",
            context={"card": card},
            link=_card_link(card, user),
            key=f"letter-failed:{card.pk}:{card.letter_version}",
        )
