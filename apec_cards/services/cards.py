"""Cards: issuing (with early issue and carried-over economies), reporting lost, cancelling, expiring
and the reminders before expiry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs import fsm
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import RulesFailed

from .. import notifying
from ..models import Card, CardApplication, CardEconomy, Counter, Decision
from ..terms import REMINDER_MONTHS, add_months, card_expiry
from ..workflow import CARD_TRANSITIONS, CARRY_OVER_KINDS, LIVE_CARD_STATES, CardState
from .letters import enqueue_letter

# Transitions a person runs on a card; `expire` and `replace` are run by the services themselves.
USER_CARD_TRANSITIONS = ("report_lost", "cancel")


def next_number(series: str, year: int) -> int:
    """The next number of a series in a year, without gaps (the counter row is locked).

    Kept here, not in .applications: that module issues cards through this one, which must not import it.
    """
    with transaction.atomic():
        counter, _created = Counter.objects.select_for_update().get_or_create(series=series, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return counter.last


def next_card_number(year: int) -> str:
    return f"CHN{year % 100:02d}{next_number('CARD', year):06d}"


def card_issue(*, application: CardApplication, actor) -> Card:
    """Create the card of an application being issued (called inside its transition's transaction).

    A new or renewed card starts a five-year term with the economies that have approved so far (an
    early card; later approvals are added by `preclearance_record`). A replacement or new-passport card
    keeps the term and economies of the card it replaces. Either way the card ends with the passport.
    The card replaced (if any) becomes `replaced`; the decision letter is rendered after commit.
    """
    today = timezone.localdate()
    old = application.replaces_card
    if old is not None:
        old = Card.objects.select_for_update().get(pk=old.pk)
    if application.kind in CARRY_OVER_KINDS:
        if old is None or old.state not in LIVE_CARD_STATES:
            raise RulesFailed(
                _("The card to be replaced is no longer valid; a new card must be applied for."),
                findings=[{"code": "card_missing", "severity": "error", "message": _("No card to replace.")}],
            )
        term_started_on = old.term_started_on
        economies = [(row.economy_id, row.approved_on) for row in old.card_economies.all()]
    else:
        term_started_on = today
        economies = list(
            application.preclearances.filter(decision=Decision.APPROVED).values_list(
                "economy_id", "decided_on"
            )
        )
    expires_on = card_expiry(term_started_on, application.passport_expiry)
    if expires_on <= today:
        raise RulesFailed(
            _("The card would expire at once: the passport or the card's term has ended."),
            findings=[
                {
                    "code": "card_term_over",
                    "severity": "error",
                    "message": _("The card would already be expired."),
                }
            ],
        )
    if old is not None and old.state in LIVE_CARD_STATES:
        previous = old.state
        old.replace()
        old.end_reason = application.get_kind_display()
        old.save()
        record_event(
            actor=actor,
            action="card.replace",
            obj=old,
            from_state=previous,
            to_state=old.state,
            data={"application": application.reference},
        )
    card = Card.objects.create(
        number=next_card_number(today.year),
        application=application,
        organization_id=application.organization_id,
        holder_id=application.person_id,
        passport_number=application.passport_number,
        passport_expiry=application.passport_expiry,
        issued_on=today,
        term_started_on=term_started_on,
        expires_on=expires_on,
        replaces=old,
        issued_by=actor,
    )
    CardEconomy.objects.bulk_create(
        [CardEconomy(card=card, economy_id=code, approved_on=day) for code, day in economies]
    )
    enqueue_letter(card)
    return card


def card_add_economy(*, card: Card, economy_id: str, approved_on, actor) -> bool:
    """Add a late pre-clearance to a live card (and render its letter again); False if already there."""
    card = Card.objects.select_for_update().get(pk=card.pk)
    if card.state not in LIVE_CARD_STATES:
        return False
    _row, created = CardEconomy.objects.get_or_create(
        card=card, economy_id=economy_id, defaults={"approved_on": approved_on}
    )
    if not created:
        return False
    card.letter_version += 1
    card.save(update_fields=["letter_version", "updated_at"])
    record_event(actor=actor, action="card.add_economy", obj=card, data={"economy": economy_id})
    enqueue_letter(card)
    notifying.card_event(card, "add_economy", actor=actor, economy_id=economy_id)
    return True


def available_card_transitions(card: Card, user) -> list[str]:
    return [name for name in fsm.available_transitions(card, user) if name in USER_CARD_TRANSITIONS]


def card_transition(*, card: Card, actor, name: str, comment: str = "") -> Card:
    """Report a card lost (the organisation or an officer) or cancel it (the liaison, when the holder
    left the organisation, or an officer; a reason is required). Locked, audited, notified."""
    if name not in USER_CARD_TRANSITIONS:
        raise fsm.StateConflict(_("There is no such action."), state=card.state, available=[])
    with transaction.atomic():
        card = Card.objects.select_for_update().select_related("holder").get(pk=card.pk)
        comment = fsm.check_transition(
            card, actor, name, info=CARD_TRANSITIONS, condition_errors={}, comment=comment
        )
        previous = card.state
        getattr(card, name)()
        card.end_reason = comment
        card.save()
        record_event(
            actor=actor,
            action=f"card.{name}",
            obj=card,
            from_state=previous,
            to_state=card.state,
            comment=comment,
        )
        notifying.card_event(card, name, actor=actor, comment=comment)
    return card


def expire_cards(*, today=None) -> int:
    """Beat job: valid cards past their expiry date become `expired`. Safe to run twice."""
    today = today or timezone.localdate()
    expired = 0
    for pk in Card.objects.filter(state=CardState.ACTIVE, expires_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            card = Card.objects.select_for_update().get(pk=pk)
            if card.state != CardState.ACTIVE or card.expires_on >= today:
                continue
            card.expire()
            card.save()
            record_event(
                actor=None, action="card.expire", obj=card, from_state=CardState.ACTIVE, to_state=card.state
            )
            notifying.card_event(card, "expire", actor=None)
            expired += 1
    return expired


def _reminders_due(expires_on, today) -> int:
    """How many of the reminders (six months, one month before expiry) are due on `today`."""
    return sum(1 for months in REMINDER_MONTHS if today >= add_months(expires_on, -months))


def send_expiry_reminders(*, today=None) -> int:
    """Beat job: remind the holder's organisation six months and one month before a card expires.

    Each stage is sent once per card (the card keeps the stage reached); a card issued inside a window
    gets only the latest stage. Returns the number of reminders sent.
    """
    today = today or timezone.localdate()
    sent = 0
    window = add_months(today, REMINDER_MONTHS[0])
    candidates = Card.objects.filter(
        state=CardState.ACTIVE, expires_on__lte=window, expires_on__gte=today, expiry_reminders_sent__lt=2
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            card = Card.objects.select_for_update().select_related("holder").get(pk=pk)
            due = _reminders_due(card.expires_on, today)
            if card.state != CardState.ACTIVE or due <= card.expiry_reminders_sent:
                continue
            card.expiry_reminders_sent = due
            card.save(update_fields=["expiry_reminders_sent", "updated_at"])
            notifying.expiry_reminder(card, months=REMINDER_MONTHS[due - 1])
            sent += 1
    return sent
