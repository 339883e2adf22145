"""What a rule is and where the rules are kept: `@rule(code, label, messages=...)` registers a check in
RULES (approvals.rules.checks holds the rules themselves).

A finding keeps no sentence: it names one of its rule's messages and gives the values that go into it
(names, dates, counts, country codes). The sentence is made when someone reads it, in the reader's
language, so a finding stored while one officer worked in Chinese reads in English for the next.
"""

import calendar
import dataclasses
from collections.abc import Callable, Mapping
from datetime import date

from django.utils import formats, translation
from django.utils.functional import Promise

from foreign_affairs.security.countries import country_name


@dataclasses.dataclass(frozen=True)
class Message:
    """One sentence a rule can say, with %(name)s placeholders for the finding's parameters.

    `text` is gettext_lazy(...), or ngettext_lazy(singular, plural, "<parameter>") when a count decides
    the form ("1 country", "2 countries"). Parameters named in `dates` are kept as ISO dates and shown
    in the reader's date format, those in `countries` as country codes shown by name, those in `lists`
    as lists joined the reader's way.
    """

    text: Promise
    dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()

    def render(self, params: Mapping) -> str:
        """The sentence in the active language."""
        if not params:
            return str(self.text)
        values = dict(params)
        for name in self.dates:
            if values.get(name):
                values[name] = formats.date_format(date.fromisoformat(values[name]), "DATE_FORMAT")
        for name in self.countries:
            if values.get(name):
                values[name] = country_name(values[name])
        for name in self.lists:
            values[name] = join(values.get(name) or ())
        return str(self.text % values)


def join(items) -> str:
    """A list as the reader's language writes one: "张三、李四" or "Zhang San, Li Si"."""
    language = translation.get_language() or ""
    return ("、" if language.startswith("zh") else ", ").join(str(item) for item in items)


@dataclasses.dataclass(frozen=True)
class Finding:
    """What one rule found: `message_key` names one of the rule's messages and `params` holds the values
    that go into it (JSON-serialisable: str, int, ISO dates, country codes, lists of str)."""

    code: str
    severity: str
    message_key: str
    params: dict = dataclasses.field(default_factory=dict)
    field: str = ""  # the part of the form to fix: legs, members, attachments, justification
    forces_signoff: bool = False

    @property
    def message(self) -> str:
        """The sentence in the active language (made anew on every read)."""
        return render_message(self.code, self.message_key, self.params)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message}

    def stored(self) -> dict:
        """For TravelApplication.rule_results: the words are made again in each reader's language
        (stored_message)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "forces_signoff": self.forces_signoff,
            "message_key": self.message_key,
            "params": self.params,
        }


@dataclasses.dataclass(frozen=True)
class Rule:
    code: str
    label: str
    severity: str
    parameters: dict
    check: Callable  # (draft, parameters, severity) -> list[Finding]
    messages: Mapping[str, Message] = dataclasses.field(default_factory=dict)


RULES: dict[str, Rule] = {}


def rule(code: str, label, *, severity: str = "error", messages: Mapping[str, Message], **parameters):
    def register(function):
        RULES[code] = Rule(code, label, severity, parameters, function, dict(messages))
        return function

    return register


def render_message(code: str, key: str, params: Mapping | None = None) -> str:
    """The message `key` of the rule `code` with `params`, in the active language. A message that no
    longer exists (a rule changed since the finding was stored) reads as the rule's name."""
    definition = RULES.get(code)
    message = definition.messages.get(key) if definition else None
    if message is None:
        return str(definition.label) if definition else code
    return message.render(params or {})


def stored_message(result: Mapping, language: str) -> str:
    """The message of a stored finding (TravelApplication.rule_results) in `language`.

    Rows stored before findings kept their parameters hold the sentence itself in message_en and
    message_zh (both written in the language active at the time); those are shown as they are until the
    next rule check stores the finding again.
    """
    if "message_key" in result:
        with translation.override(language):
            return render_message(result.get("code", ""), result["message_key"], result.get("params"))
    return result["message_en"] if language.startswith("en") else result["message_zh"]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
