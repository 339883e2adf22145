"""Validators for identifiers used by organisations and travellers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code (统一社会信用代码) is 18 characters from this alphabet
# (digits and capitals without I, O, S, V, Z); the 18th is a check character over the first 17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_PASSPORT_SHAPE = re.compile(r"^[A-Z0-9]{5,20}$")


def uscc_check_character(first17: str) -> str:
    """The check character that completes the first 17 characters of a unified social credit code."""
    total = sum(
        USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        )
    if not _USCC_SHAPE.match(code):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters except I, O, S, V and Z, "
                "with digits in positions 3 to 8 (the region code)."
            ),
            code="uscc_characters",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong; please check for a typing error."
            ),
            code="uscc_check",
        )


def normalize_passport_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def validate_passport_number(value: str) -> None:
    if not _PASSPORT_SHAPE.match(normalize_passport_number(value)):
        raise ValidationError(
            _("A passport number has 5 to 20 letters and digits, e.g. E12345678."),
            code="passport_number",
        )


def mask_passport_number(value: str) -> str:
    """Show only the last four characters: E12345678 → *****5678."""
    if not value:
        return ""
    keep = 4 if len(value) > 4 else 1
    return "*" * (len(value) - keep) + value[-keep:]
