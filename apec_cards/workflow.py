"""The state machines of the APEC Business Travel Card: the application and the card (django-fsm-2).

Transitions only change fields; the services run them (foreign_affairs.fsm.check_transition: role,
state, conditions, comment), lock the row, save, audit and notify.

Application:
    draft ─submit─▶ submitted ─endorse─▶ endorsed ─start_review─▶ in_review ─request_preclearance─▶ pre_clearance
                      (liaison)              (officer)                 (officer)                        │
    pre_clearance ─issue─▶ issued   (early card: once one economy has approved; the others are added as they answer)
    in_review ─issue─▶ issued        (replacement and passport change: the economies of the card carry over)
    returned ◀─return_for_changes─ submitted (liaison) / endorsed, in_review (officer);  returned ─resubmit─▶ submitted
    reject (officer): endorsed / in_review / pre_clearance ─▶ rejected
    withdraw (applicant, before a decision) ─▶ withdrawn

Card:
    active ─expire─▶ expired (beat job)      active ─report_lost─▶ reported_lost
    active / reported_lost ─cancel─▶ cancelled   active / reported_lost ─replace─▶ replaced (a new card issued)
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import (
    TransitionInfo,
    is_applicant,
    is_liaison,
    is_nobody,
    is_officer,
)


class Kind(models.TextChoices):
    NEW = "new", _("New card")
    RENEWAL = "renewal", _("Renewal")
    REPLACEMENT = "replacement", _("Replacement after loss or damage")
    PASSPORT_CHANGE = "passport_change", _("New passport")


# Kinds that keep the current card's economies and term instead of asking the economies again.
CARRY_OVER_KINDS = (Kind.REPLACEMENT, Kind.PASSPORT_CHANGE)
# Kinds that replace a card the person holds.
FOLLOW_UP_KINDS = (Kind.RENEWAL, Kind.REPLACEMENT, Kind.PASSPORT_CHANGE)


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting endorsement")
    ENDORSED = "endorsed", _("Endorsed by the employer")
    IN_REVIEW = "in_review", _("In review")
    PRE_CLEARANCE = "pre_clearance", _("Pre-clearance by the economies")
    ISSUED = "issued", _("Card issued")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CardState(models.TextChoices):
    ACTIVE = "active", _("Valid")
    EXPIRED = "expired", _("Expired")
    REPORTED_LOST = "reported_lost", _("Reported lost")
    CANCELLED = "cancelled", pgettext_lazy("card state", "Cancelled")
    REPLACED = "replaced", _("Replaced by a new card")


class Decision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("pre-clearance decision", "Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


STATE_TONES = {
    State.DRAFT: "neutral",
    State.SUBMITTED: "progress",
    State.ENDORSED: "progress",
    State.IN_REVIEW: "progress",
    State.PRE_CLEARANCE: "progress",
    State.ISSUED: "success",
    State.RETURNED: "attention",
    State.REJECTED: "danger",
    State.WITHDRAWN: "neutral",
}
CARD_STATE_TONES = {
    CardState.ACTIVE: "success",
    CardState.EXPIRED: "neutral",
    CardState.REPORTED_LOST: "danger",
    CardState.CANCELLED: "neutral",
    CardState.REPLACED: "neutral",
}
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
# The office's part of the work: the application queue shows these by default.
OFFICE_STATES = (State.ENDORSED, State.IN_REVIEW, State.PRE_CLEARANCE)
# An application in one of these is still going: a person has at most one at a time.
OPEN_STATES = (
    State.DRAFT,
    State.SUBMITTED,
    State.ENDORSED,
    State.IN_REVIEW,
    State.PRE_CLEARANCE,
    State.RETURNED,
)
# A card in one of these can still be used, or replaced.
LIVE_CARD_STATES = (CardState.ACTIVE, CardState.REPORTED_LOST)

NEXT_STEP = {
    State.DRAFT: _("Complete the application and submit it; your liaison endorses it for the employer next."),
    State.SUBMITTED: _("Your organisation's foreign-affairs liaison endorses the application next."),
    State.ENDORSED: _("An officer of the office takes the application up for review."),
    State.IN_REVIEW: _("An officer of the office reviews the application."),
    State.PRE_CLEARANCE: _(
        "The economies are asked to pre-clear the applicant; answers can take three to four months. "
        "The card can be issued as soon as one economy has approved."
    ),
    State.ISSUED: _("The card was issued; economies that answer later are added to it."),
    State.RETURNED: _("Make the changes asked for in the comment and submit again."),
    State.REJECTED: _("The application was not approved; the comment says why."),
    State.WITHDRAWN: _("The application was withdrawn."),
}


def needs_preclearance(application) -> bool:
    return application.kind not in CARRY_OVER_KINDS


def carries_over(application) -> bool:
    return application.kind in CARRY_OVER_KINDS


def has_requested_economies(application) -> bool:
    return application.economies.exists()


def has_approved_economy(application) -> bool:
    return application.preclearances.filter(decision=Decision.APPROVED).exists()


def is_liaison_or_officer(obj, user) -> bool:
    return is_liaison(obj, user) or is_officer(obj, user)


def is_organisation_or_officer(obj, user) -> bool:
    return is_applicant(obj, user) or is_liaison(obj, user) or is_officer(obj, user)


TRANSITIONS = {
    "submit": TransitionInfo(_("Submit"), comment="none"),
    "endorse": TransitionInfo(_("Endorse for the employer")),
    "return_for_changes": TransitionInfo(_("Return for changes"), comment="required", style="warning"),
    "resubmit": TransitionInfo(_("Submit again")),
    "start_review": TransitionInfo(_("Start the review"), comment="none"),
    "request_preclearance": TransitionInfo(_("Ask the economies for pre-clearance"), comment="none"),
    "issue": TransitionInfo(_("Issue the card"), style="success"),
    "reject": TransitionInfo(_("Reject"), comment="required", destructive=True, style="danger"),
    "withdraw": TransitionInfo(_("Withdraw"), destructive=True, style="outline-danger"),
}
CARD_TRANSITIONS = {
    "report_lost": TransitionInfo(_("Report the card lost"), destructive=True, style="outline-danger"),
    "cancel": TransitionInfo(_("Cancel the card"), comment="required", destructive=True, style="danger"),
    "expire": TransitionInfo(_("Expire"), comment="none"),
    "replace": TransitionInfo(_("Replace"), comment="none"),
}
# Plain-language labels of the audit events, for timelines (foreign_affairs.audit.labels).
ACTION_LABELS = {
    "card_application.create": _("created the card application"),
    "card_application.update": _("changed the card application"),
    "card_application.attach": _("attached a document"),
    "card_application.detach": _("removed a document"),
    "card_application.assign": _("assigned the card application"),
    "card_application.submit": _("submitted the card application"),
    "card_application.endorse": _("endorsed the card application for the employer"),
    "card_application.return_for_changes": _("returned the card application for changes"),
    "card_application.resubmit": _("submitted the card application again"),
    "card_application.start_review": _("started the review"),
    "card_application.request_preclearance": _("asked the economies for pre-clearance"),
    "card_application.preclearance": _("recorded an economy's pre-clearance decision"),
    "card_application.issue": _("issued the card"),
    "card_application.reject": _("did not approve the card application"),
    "card_application.withdraw": _("withdrew the card application"),
    "card.report_lost": _("reported the card lost"),
    "card.cancel": _("cancelled the card"),
    "card.expire": _("the card expired"),
    "card.replace": _("replaced the card with a new one"),
    "card.add_economy": _("added an economy to the card"),
    "card.letter": _("rendered the decision letter"),
    "card.letter_failed": _("could not render the decision letter"),
    "economy.update": _("changed the APEC economy"),
}


class ApplicationWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    class Meta:
        abstract = True

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=is_applicant)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.ENDORSED, permission=is_liaison)
    def endorse(self):
        self.endorsed_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED, permission=is_liaison)
    @transition(
        field=state, source=[State.ENDORSED, State.IN_REVIEW], target=State.RETURNED, permission=is_officer
    )
    def return_for_changes(self):
        pass

    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED, permission=is_applicant)
    def resubmit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.ENDORSED, target=State.IN_REVIEW, permission=is_officer)
    def start_review(self):
        pass

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.PRE_CLEARANCE,
        permission=is_officer,
        conditions=[needs_preclearance, has_requested_economies],
    )
    def request_preclearance(self):
        self.preclearance_requested_at = timezone.now()

    @transition(
        field=state,
        source=State.PRE_CLEARANCE,
        target=State.ISSUED,
        permission=is_officer,
        conditions=[has_approved_economy],
    )
    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.ISSUED,
        permission=is_officer,
        conditions=[carries_over],
    )
    def issue(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[State.ENDORSED, State.IN_REVIEW, State.PRE_CLEARANCE],
        target=State.REJECTED,
        permission=is_officer,
    )
    def reject(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[*OPEN_STATES],
        target=State.WITHDRAWN,
        permission=is_applicant,
    )
    def withdraw(self):
        pass


class CardWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"), default=CardState.ACTIVE, choices=CardState.choices, protected=True, db_index=True
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=CardState.ACTIVE,
        target=CardState.REPORTED_LOST,
        permission=is_organisation_or_officer,
    )
    def report_lost(self):
        self.ended_at = timezone.now()

    @transition(
        field=state,
        source=[CardState.ACTIVE, CardState.REPORTED_LOST],
        target=CardState.CANCELLED,
        permission=is_liaison_or_officer,
    )
    def cancel(self):
        self.ended_at = timezone.now()

    @transition(field=state, source=CardState.ACTIVE, target=CardState.EXPIRED, permission=is_nobody)
    def expire(self):
        self.ended_at = timezone.now()

    @transition(
        field=state,
        source=[CardState.ACTIVE, CardState.REPORTED_LOST],
        target=CardState.REPLACED,
        permission=is_nobody,
    )
    def replace(self):
        self.ended_at = self.ended_at or timezone.now()
