"""The self-check's answer for each situation (apec_cards.eligibility.assess, a pure function)."""

from datetime import date

import pytest
from django.utils import translation

from apec_cards.eligibility import APPLY, NOT_ELIGIBLE, NOT_YET, OUTCOMES, RENEW, REPLACE, assess
from apec_cards.terms import renewal_opens_on
from apec_cards.workflow import Kind

TODAY = date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked in English (the portal's default language is Chinese)."""
    with translation.override("en"):
        yield


def answers(**changes) -> dict:
    """Someone of a zone enterprise who travels often, with a good passport and no card."""
    return {"employer": "yes", "travel": "yes", "passport": "valid", "card": "none", **changes}


def check(**changes):
    return assess(answers(**changes), today=TODAY)


def test_a_frequent_business_traveller_of_the_zone_without_a_card_applies_for_a_new_one():
    result = check()
    assert (result.outcome, result.kind) == (APPLY, Kind.NEW)
    assert result.reasons


def test_someone_outside_the_zones_enterprises_is_not_eligible():
    result = check(employer="no")
    assert result.outcome == NOT_ELIGIBLE
    assert "Pilot Free Trade Zone" in str(result.reasons[0])


def test_a_holder_who_left_the_enterprise_is_told_the_card_is_cancelled():
    result = check(employer="no", card="valid", card_expiry=date(2029, 1, 1))
    assert result.outcome == NOT_ELIGIBLE
    assert any("cancel" in str(reason) for reason in result.reasons)


def test_someone_who_rarely_travels_on_business_is_not_eligible():
    result = check(travel="no")
    assert result.outcome == NOT_ELIGIBLE
    assert result.kind == ""


@pytest.mark.parametrize("passport", ["expiring", "none"])
def test_a_passport_valid_less_than_six_months_or_missing_means_not_yet(passport):
    result = check(passport=passport)
    assert (result.outcome, result.kind) == (NOT_YET, Kind.NEW)
    assert "passport" in str(result.reasons[0]).lower()


def test_an_expired_card_is_not_renewed_but_applied_for_again():
    result = check(card="expired")
    assert (result.outcome, result.kind) == (APPLY, Kind.NEW)
    assert "expired" in str(result.reasons[0])


def test_a_valid_card_past_its_printed_date_counts_as_expired():
    result = check(card="valid", card_expiry=date(2026, 5, 19))
    assert (result.outcome, result.kind) == (APPLY, Kind.NEW)


def test_renewal_opens_six_months_before_expiry():
    expiry = date(2026, 11, 20)
    assert renewal_opens_on(expiry) == TODAY
    result = check(card="valid", card_expiry=expiry)
    assert (result.outcome, result.kind, result.opens_on) == (RENEW, Kind.RENEWAL, TODAY)


def test_before_the_renewal_window_the_answer_is_not_yet_with_the_opening_date():
    expiry = date(2027, 3, 31)
    result = check(card="valid", card_expiry=expiry)
    assert (result.outcome, result.kind) == (NOT_YET, Kind.RENEWAL)
    assert result.opens_on == date(2026, 9, 30)


def test_a_valid_card_without_a_date_says_when_renewal_opens_in_general():
    result = check(card="valid")
    assert (result.outcome, result.opens_on) == (NOT_YET, None)
    assert "six" in str(result.reasons[0]) or "6" in str(result.reasons[0])


def test_a_new_passport_before_the_renewal_window_asks_for_a_passport_change():
    result = check(card="valid", card_expiry=date(2029, 1, 1), new_passport="yes")
    assert (result.outcome, result.kind) == (APPLY, Kind.PASSPORT_CHANGE)


def test_a_new_passport_inside_the_renewal_window_renews():
    result = check(card="valid", card_expiry=date(2026, 8, 1), new_passport="yes")
    assert (result.outcome, result.kind) == (RENEW, Kind.RENEWAL)
    assert len(result.reasons) == 2


@pytest.mark.parametrize("card", ["lost", "damaged"])
def test_a_lost_or_damaged_card_is_replaced(card):
    result = check(card=card)
    assert (result.outcome, result.kind) == (REPLACE, Kind.REPLACEMENT)
    assert any("economies" in str(reason) for reason in result.reasons)


def test_a_lost_card_is_reported_lost_first():
    assert "lost" in str(check(card="lost").reasons[0])


def test_a_replacement_needs_a_valid_passport_too():
    result = check(card="damaged", passport="expiring")
    assert (result.outcome, result.kind) == (NOT_YET, Kind.REPLACEMENT)


def test_every_outcome_is_one_of_the_five():
    cases = [
        answers(),
        answers(employer="no"),
        answers(travel="no"),
        answers(passport="none"),
        answers(card="valid", card_expiry=date(2030, 1, 1)),
        answers(card="valid", card_expiry=date(2026, 6, 1)),
        answers(card="lost"),
    ]
    assert {assess(case, today=TODAY).outcome for case in cases} == set(OUTCOMES)


def test_missing_answers_are_read_as_the_common_case():
    assert assess({}, today=TODAY).outcome == APPLY
