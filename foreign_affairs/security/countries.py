"""Country names for the whole portal, and which countries can be the destination of a trip abroad.

The names come from the Unicode CLDR as Babel ships it (maintained, updated with every Babel release),
not from a table kept by hand; OVERRIDES corrects the few that the office must write differently, each
with the reason. The codes are the ISO 3166-1 codes that django-countries' CountryField accepts.

China itself is never a destination, and Hong Kong, Macao and Taiwan are regions of China: official
travel there is a procedure of its own (因公赴港澳台, DOMAIN.md), never a stop of a trip abroad. The
destination list leaves them out, and validate_destination() refuses them wherever a destination comes
in (the application form, the API, the rules).
"""

import unicodedata
from functools import cache

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

CHINA = "CN"
REGIONS_OF_CHINA = ("HK", "MO", "TW")
NOT_DESTINATIONS = frozenset((CHINA, *REGIONS_OF_CHINA))

# The portal's two languages and the CLDR locale each reads its names from.
LOCALES = {"zh": "zh_Hans", "en": "en"}

OVERRIDES = {
    "zh": {
        # CLDR (Babel 2.19) still says 斯威士兰, the name before the kingdom renamed itself Eswatini in 2018;
        # the Ministry of Foreign Affairs and Xinhua write 埃斯瓦蒂尼.
        "SZ": "埃斯瓦蒂尼",
        # Regions of China, named as the glossary (DOMAIN.md) names them; CLDR says 台湾 and
        # 中国香港特别行政区 / 中国澳门特别行政区.
        "HK": "中国香港",
        "MO": "中国澳门",
        "TW": "中国台湾",
    },
    "en": {
        # CLDR says "Hong Kong SAR China", "Macao SAR China" and "Taiwan".
        "HK": "Hong Kong, China",
        "MO": "Macao, China",
        "TW": "Taiwan, China",
    },
}

# The advisory levels shown beside a destination ("叙利亚 Syria · 高风险"); normal precautions show nothing.
ADVISORY_TAGS = {
    "medium": pgettext_lazy("country advisory, beside a destination", "increased caution"),
    "high": pgettext_lazy("country advisory, beside a destination", "high risk"),
}


def reader_language(language: str | None = None) -> str:
    """The language ("zh" or "en") in which `language` (the active one when not given) reads names."""
    language = (language or get_language() or "zh-hans").lower()
    return "en" if language.startswith("en") else "zh"


@cache
def iso_codes() -> tuple[str, ...]:
    """Every ISO 3166-1 code a CountryField accepts."""
    from django_countries import countries

    return tuple(countries.countries)


@cache
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(LOCALES[language]).territories
    names = {code: territories.get(code, code) for code in iso_codes()}
    names.update(OVERRIDES[language])
    return names


def country_name(code, language: str | None = None) -> str:
    """The name of the country `code` in the reader's language (the code itself when it is unknown)."""
    code = str(code or "").upper()
    return _names(reader_language(language)).get(code, code)


def join_names(codes, language: str | None = None) -> str:
    """Countries ("DE,FR" or a list of codes) as their names in one line: "德国、法国", "Germany, France"."""
    if isinstance(codes, str):
        codes = codes.split(",")
    language = reader_language(language)
    names = [country_name(code, language) for code in codes or () if str(code or "").strip()]
    return ("、" if language == "zh" else ", ").join(names)


# Destinations ------------------------------------------------------------------------------------------


def is_destination(code) -> bool:
    code = str(code or "").upper()
    return code in _names("en") and code not in NOT_DESTINATIONS


# Why a place cannot be a stop of a trip abroad (the form, the API and the rule "destinations" say it).
CHINA_MESSAGE = _("China itself is not a destination: give the countries the delegation travels to.")
REGION_MESSAGE = _(
    "%(region)s is a region of China: official travel to Hong Kong, Macao or Taiwan (因公赴港澳台) follows "
    "its own procedure and cannot be a stop of a trip abroad. Apply for it separately."
)


def not_destination_message(code) -> str | None:
    """Why `code` cannot be a stop of a trip abroad, in the active language; None when it can."""
    code = str(code or "").upper()
    if code == CHINA:
        return str(CHINA_MESSAGE)
    if code in REGIONS_OF_CHINA:
        return str(REGION_MESSAGE) % {"region": country_name(code)}
    return None


UNKNOWN_MESSAGE = _("There is no country with the code “%(code)s”; choose one from the list.")


def validate_destination(code) -> None:
    """Raise ValidationError (code "not_destination") for China and its regions Hong Kong, Macao, Taiwan,
    and (code "invalid_choice") for a code that names no country."""
    message = not_destination_message(code)
    if message:
        raise ValidationError(message, code="not_destination")
    if str(code or "").upper() not in _names("en"):
        raise ValidationError(UNKNOWN_MESSAGE, code="invalid_choice", params={"code": str(code or "")[:8]})


def _pinyin_key(name: str) -> list[tuple[str, str]]:
    """Dictionary order: syllable by syllable, by the letters and then the tone."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore")
    return [(syllable.rstrip("12345"), syllable[-1:]) for syllable in syllables]


def _letters_key(name: str) -> str:
    """English order, accents aside: Åland Islands among the A, Côte d’Ivoire among the C."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@cache
def _destinations(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    codes = [code for code in iso_codes() if code not in NOT_DESTINATIONS]
    if language == "en":
        return tuple(sorted(((code, names[code]) for code in codes), key=lambda row: _letters_key(row[1])))
    english = _names("en")
    ordered = sorted(codes, key=lambda code: (_pinyin_key(names[code]), names[code], code))
    return tuple((code, f"{names[code]} {english[code]}") for code in ordered)


def destination_choices(language: str | None = None, *, levels=None) -> list[tuple[str, str]]:
    """Every country a trip abroad can go to, as (code, label): in Chinese "德国 Germany", sorted by pinyin;
    in English "Germany", sorted by the English name. With `levels` ({code: advisory level}, see
    selectors.advised_destinations), a raised advisory level follows the name ("叙利亚 Syria · 高风险")."""
    rows = _destinations(reader_language(language))
    if levels is None:
        return list(rows)
    return [
        (code, f"{label} · {ADVISORY_TAGS[levels[code]]}" if levels.get(code) in ADVISORY_TAGS else label)
        for code, label in rows
    ]
