import pytest
from django.core.exceptions import ValidationError

from foreign_affairs.accounts.validators import (
    mask_passport_number,
    normalize_passport_number,
    uscc_check_character,
    validate_passport_number,
    validate_uscc,
)


@pytest.mark.parametrize("code", ["914403001922038216", "91440300708461136T", "91410100MA47XK3T84"])
def test_published_credit_codes_pass(code):
    validate_uscc(code)
    validate_uscc(code.lower())  # typed in lower case: accepted, stored upper case


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("914403001922038217", "uscc_check"),  # last character changed
        ("91440300192203821", "uscc_length"),
        ("9144030019220382166", "uscc_length"),
        ("91440300I92203821X", "uscc_characters"),  # I is not in the alphabet
        ("91AB0300192203821X", "uscc_characters"),  # region code must be digits
    ],
)
def test_wrong_credit_codes_are_refused_with_a_reason(code, error):
    with pytest.raises(ValidationError) as raised:
        validate_uscc(code)
    assert raised.value.code == error


def test_check_character_can_be_zero():
    # (31 - sum % 31) % 31 == 0 must give "0", not index 31.
    for n in range(2000):
        first17 = f"9141010{n:010d}"
        assert uscc_check_character(first17) in "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("number", ["E12345678", "SE1234567", "e 1234 5678", "EA-1234567"])
def test_passport_numbers_are_normalised_and_accepted(number):
    validate_passport_number(number)
    assert normalize_passport_number(number) == normalize_passport_number(number).upper().replace(" ", "")


@pytest.mark.parametrize("number", ["E12", "护照123456", "E1234567890123456789012"])
def test_bad_passport_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_passport_number(number)


def test_masking_keeps_the_last_four_characters():
    assert mask_passport_number("E12345678") == "*****5678"
    assert mask_passport_number("") == ""
