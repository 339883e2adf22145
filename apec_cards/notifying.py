"""Who is told what when a card application or a card moves.

This module only declares (headlines, recipients per transition, templates, keys); the notices are made
by foreign_affairs.notifications.transitions, as in every area.
"""

from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.selectors import assigned_officers, author_and_liaisons, liaisons_of
from foreign_affairs.notifications.transitions import RecordNotices

from .models import Economy
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

APPLICATIONS = RecordNotices(
    name="application",
    states=State,
    office_page="admin:apec_cards_cardapplication_change",
    enterprise_page="apec_cards:application_detail",
    transition_template="apec_cards/transition",
    headlines=HEADLINES,
    key_prefix="card-application",
)
CARDS = RecordNotices(
    name="card",
    states=CardState,
    office_page="admin:apec_cards_card_change",
    enterprise_page="apec_cards:card_detail",
    transition_template="apec_cards/card",
    headlines=CARD_HEADLINES,
    key_prefix="card",
)


def recipients(application, name: str) -> list:
    if name in ("submit", "resubmit"):
        return liaisons_of(application)
    if name == "endorse":
        return assigned_officers(application)
    if name == "withdraw":
        officers = assigned_officers(application) if application.assigned_officer_id else []
        return [*officers, *liaisons_of(application)]
    return author_and_liaisons(application)


def transition_done(application, name: str, *, actor, comment: str) -> None:
    """Queue the notifications of a transition (in-app now, e-mail after commit)."""
    APPLICATIONS.transition(
        application, name, people=recipients(application, name), actor=actor, comment=comment
    )


def preclearance_recorded(application, preclearance, *, actor) -> None:
    APPLICATIONS.send(
        application,
        author_and_liaisons(application),
        template="apec_cards/preclearance",
        context={"preclearance": preclearance},
        key=f"preclearance:{preclearance.pk}",
    )


def card_event(card, name: str, *, actor, comment: str = "", economy_id: str = "") -> None:
    """Queue the notifications of a card's transition, or of an economy added to it."""
    people = author_and_liaisons(card.application)
    # Lost or cancelled by the organisation: the officers hear of it too (office staff know what they did).
    if name in ("report_lost", "cancel") and not (actor and actor.is_office_staff):
        people += assigned_officers(card.application)
    CARDS.transition(
        card,
        name,
        people=people,
        actor=actor,
        comment=comment,
        key=f"card:{card.pk}:{name}:{economy_id}",
        economy=Economy.objects.filter(pk=economy_id).first() if economy_id else None,
    )


def expiry_reminder(card, *, months: int) -> None:
    CARDS.send(
        card,
        author_and_liaisons(card.application),
        template="apec_cards/expiry",
        context={"months": months},
        key=f"card-expiry:{card.pk}:{months}",
    )


def letter_failed(card) -> None:
    CARDS.send(
        card,
        assigned_officers(card.application),
        template="apec_cards/letter_failed",
        key=f"letter-failed:{card.pk}:{card.letter_version}",
    )
