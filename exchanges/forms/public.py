"""The public pages' filters: the calendar's (kind, free trade zone area, country, month) and the friendship
cities' search and filters. The values stay in the URL; a value that names nothing is shown with its error
beside the field and left out, so the other filters still apply and no address answers an error page."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.forms import PortalForm
from foreign_affairs.security.countries import REGIONS_OF_CHINA, country_name, destination_choices

from ..models import RelationshipKind
from ..workflow import Kind

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
# The months the calendar goes to: far enough either way for any exchange, near enough for dates to exist.
FIRST_YEAR, LAST_YEAR = 1950, 2100
# A search is cut rather than refused (a phrase, not an essay).
TERM_MAX = 100


def known_countries() -> set[str]:
    """Every country or region the foreign party of an exchange may come from."""
    return {code for code, _label in destination_choices()} | set(REGIONS_OF_CHINA)


def country_choices(listed: set[str], everything: str) -> list[tuple[str, str]]:
    """The countries and regions `listed`, named and sorted in the reader's language (pinyin in Chinese),
    after an "all" choice."""
    named = [(code, label) for code, label in destination_choices() if code in listed]
    named += [(code, country_name(code)) for code in REGIONS_OF_CHINA if code in listed]
    return [("", everything), *named]


class MonthField(forms.CharField):
    """A month as 2026-05 (what <input type="month"> sends), cleaned to its first day."""

    default_error_messages = {
        "invalid": _("Give the month as year and month, e.g. 2026-05."),
        "range": _("Choose a month between %(first)s and %(last)s."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.input_type = "month"
        self.widget.attrs.update({"placeholder": "2026-05", "maxlength": "7"})

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        found = MONTH.match(value)
        if found is None or not 1 <= int(found[2]) <= 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(found[1]), int(found[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(
                self.error_messages["range"],
                code="range",
                params={"first": f"{FIRST_YEAR}-01", "last": f"{LAST_YEAR}-12"},
            )
        return date(year, month, 1)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value


class ChoosingForm(PortalForm):
    """A GET form whose valid values filter and whose invalid ones are left out (their error shown)."""

    FILTERS: tuple[str, ...] = ()

    def _countries(self, codes, everything) -> None:
        """The country filter's choices: the countries of `codes`, and one asked for through a link in any
        case (nothing from there yet: an empty list, not all)."""
        listed = {str(code).upper() for code in codes if code}
        asked = str(self.data.get("country") or "").strip().upper() if self.is_bound else ""
        if asked and asked in known_countries():
            listed.add(asked)
            self.data = self.data.copy()
            self.data["country"] = asked
        self.fields["country"].choices = country_choices(listed, everything)

    def chosen(self) -> dict:
        if not self.is_bound:
            return dict.fromkeys(self.FILTERS, "")
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in self.FILTERS}


class CalendarFilterForm(ChoosingForm):
    kind = forms.ChoiceField(
        label=_("Kind of exchange"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    area = forms.ChoiceField(
        label=_("Free trade zone area"),
        required=False,
        choices=[("", _("All areas")), *[(c, label) for c, label in FTZArea.choices if c != FTZArea.OUTSIDE]],
    )
    country = forms.ChoiceField(label=_("Country or region of the foreign party"), required=False)
    month = MonthField(
        label=_("Month"), required=False, help_text=_("Year and month, e.g. 2026-05. Empty: this month.")
    )

    FILTERS = ("kind", "area", "country", "month")

    def __init__(self, *args, countries=(), **kwargs):
        kwargs.setdefault("auto_id", "id_calendar_%s")
        super().__init__(*args, **kwargs)
        self._countries(countries, _("All countries and regions"))


class CityFilterForm(ChoosingForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("A city's or region's name in Chinese or English, or a part of it."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(label=_("Country or region"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of relationship"),
        required=False,
        choices=[("", _("All kinds")), *RelationshipKind.choices],
    )
    henan = forms.ChoiceField(label=_("Henan city or province"), required=False)

    FILTERS = ("q", "country", "kind", "henan")

    def __init__(self, *args, countries=(), henan_names=(), **kwargs):
        """`henan_names`: (English name, name in the reader's language) of the Henan side of the pairs."""
        kwargs.setdefault("auto_id", "id_cities_%s")
        super().__init__(*args, **kwargs)
        self._countries(countries, _("All countries and regions"))
        self.fields["henan"].choices = [("", _("All cities of Henan")), *henan_names]

    def chosen(self) -> dict:
        chosen = super().chosen()
        chosen["q"] = " ".join(str(chosen["q"]).split())[:TERM_MAX]
        return chosen
