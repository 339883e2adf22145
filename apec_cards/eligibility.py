"""The public self-check: a few answers about the employer, the travel, the passport and any card held,
turned into the next step — apply for a new card, renew, replace, not yet, or not eligible — with the
reasons in plain words. A pure function of the answers and the day, so that it is simple to test and
says the same as the services (terms.py, services.precheck).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .terms import PASSPORT_MIN_VALIDITY_MONTHS, RENEWAL_WINDOW_MONTHS, renewal_opens_on
from .workflow import Kind

APPLY, RENEW, REPLACE, NOT_ELIGIBLE, NOT_YET = "apply", "renew", "replace", "not_eligible", "not_yet"
OUTCOMES = (APPLY, RENEW, REPLACE, NOT_ELIGIBLE, NOT_YET)

# The answers (EligibilityForm's choices).
YES, NO = "yes", "no"
PASSPORT_VALID, PASSPORT_EXPIRING, PASSPORT_NONE = "valid", "expiring", "none"
CARD_NONE, CARD_VALID, CARD_LOST, CARD_DAMAGED, CARD_EXPIRED = "none", "valid", "lost", "damaged", "expired"


@dataclass(frozen=True)
class Assessment:
    outcome: str
    reasons: list = field(default_factory=list)
    # The kind of application to make (workflow.Kind), when there is one to make.
    kind: str = ""
    # For "not yet" because of the renewal window: the first day a renewal may be applied for.
    opens_on: date | None = None


def _yes(value) -> bool:
    return value is True or str(value).lower() in (YES, "true", "on", "1")


def _no(value) -> bool:
    return value is False or str(value).lower() in (NO, "false", "0")


def assess(answers: Mapping, *, today: date | None = None) -> Assessment:
    """The next step for someone who answered the self-check.

    `answers`: employer ("yes"/"no": works for an enterprise of the zone), travel ("yes"/"no": travels
    often to APEC economies on short business trips), passport ("valid" for more than six months,
    "expiring" sooner, "none"), card ("none", "valid", "lost", "damaged", "expired"), and for a valid
    card card_expiry (a date, optional) and new_passport ("yes"/"no": a new passport since the card).
    """
    today = today or timezone.localdate()
    card = answers.get("card") or CARD_NONE
    card_expiry = answers.get("card_expiry")
    if card == CARD_VALID and card_expiry and card_expiry < today:
        card = CARD_EXPIRED

    if _no(answers.get("employer")):
        reasons = [
            _(
                "The office issues APEC Business Travel Cards to business people of enterprises in the "
                "China (Henan) Pilot Free Trade Zone: its Zhengzhou, Luoyang and Kaifeng areas."
            )
        ]
        if card in (CARD_VALID, CARD_LOST, CARD_DAMAGED):
            reasons.append(
                _(
                    "A card is cancelled when its holder leaves the enterprise: tell your former "
                    "enterprise's foreign-affairs liaison, who cancels it in the portal."
                )
            )
        return Assessment(NOT_ELIGIBLE, reasons)

    passport_reason = None
    passport = answers.get("passport") or PASSPORT_VALID
    if passport == PASSPORT_NONE:
        passport_reason = _("A passport is needed to apply: apply for one first, then come back.")
    elif passport == PASSPORT_EXPIRING:
        passport_reason = _(
            "Your passport must be valid for at least %(months)d more months when you apply: renew it "
            "first, then apply with the new passport."
        ) % {"months": PASSPORT_MIN_VALIDITY_MONTHS}

    if card in (CARD_LOST, CARD_DAMAGED):
        reasons = [
            _("Report the card lost on its page under “My cards” first; then apply for a replacement.")
            if card == CARD_LOST
            else _("Apply for a replacement and say how the card was damaged.")
        ]
        reasons.append(
            _("The new card keeps the economies and the term of the card it replaces: no new pre-clearance.")
        )
        if passport_reason:
            return Assessment(NOT_YET, [passport_reason, *reasons], kind=Kind.REPLACEMENT)
        return Assessment(REPLACE, reasons, kind=Kind.REPLACEMENT)

    if _no(answers.get("travel")):
        reasons = [
            _(
                "The card is meant for business people with a genuine need to travel often to APEC "
                "economies on short business trips. For an occasional trip, apply for a visa as usual."
            )
        ]
        if card == CARD_VALID:
            reasons.append(_("Your card stays valid until it expires; nothing needs to be done."))
        return Assessment(NOT_ELIGIBLE, reasons)

    if passport_reason:
        return Assessment(NOT_YET, [passport_reason], kind=Kind.NEW if card != CARD_VALID else "")

    if card == CARD_VALID:
        return _valid_card(card_expiry, _yes(answers.get("new_passport")), today)
    if card == CARD_EXPIRED:
        return Assessment(
            APPLY,
            [
                _("An expired card cannot be renewed: apply for a new card."),
                _("The economies are asked again to pre-clear you; answers can take three to four months."),
            ],
            kind=Kind.NEW,
        )
    return Assessment(
        APPLY,
        [
            _("You work for an enterprise of the zone and travel often on business in APEC economies."),
            _("The economies are asked to pre-clear you; answers can take three to four months."),
        ],
        kind=Kind.NEW,
    )


def _valid_card(card_expiry, new_passport: bool, today: date) -> Assessment:
    opens_on = renewal_opens_on(card_expiry) if card_expiry else None
    if opens_on is not None and today >= opens_on:
        reasons = [
            _("Your card expires within %(months)d months: you can apply for its renewal now.")
            % {"months": RENEWAL_WINDOW_MONTHS}
        ]
        if new_passport:
            reasons.append(_("Give the new passport's details on the traveller's record before you apply."))
        return Assessment(RENEW, reasons, kind=Kind.RENEWAL, opens_on=opens_on)
    if new_passport:
        return Assessment(
            APPLY,
            [
                _(
                    "A card is tied to the passport it was issued with: apply for a card with your new "
                    "passport. It keeps the economies and the term of your card."
                )
            ],
            kind=Kind.PASSPORT_CHANGE,
        )
    if opens_on is None:
        reasons = [
            _(
                "You hold a valid card. Its renewal opens %(months)d months before it expires: look up "
                "the date on the card, or under “My cards”."
            )
            % {"months": RENEWAL_WINDOW_MONTHS}
        ]
    else:
        reasons = [
            _("You hold a valid card. Its renewal opens %(months)d months before it expires.")
            % {"months": RENEWAL_WINDOW_MONTHS}
        ]
    return Assessment(NOT_YET, reasons, kind=Kind.RENEWAL, opens_on=opens_on)
