"""What a rule is and where the rules are kept: `@rule(code, label, ...)` registers a check in RULES
(approvals.rules.checks holds the rules themselves)."""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import translation


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str  # lazily translated; str() it in the reader's language
    field: str = ""  # the part of the form to fix: legs, members, attachments, justification
    forces_signoff: bool = False

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": str(self.message)}

    def stored(self) -> dict:
        """For TravelApplication.rule_results: the message is rendered again in each reader's language."""
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "forces_signoff": self.forces_signoff,
            "message_en": _english(self.message),
            "message_zh": _chinese(self.message),
        }


def _english(message) -> str:
    with translation.override("en"):
        return str(message)


def _chinese(message) -> str:
    with translation.override("zh-hans"):
        return str(message)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    severity: str
    parameters: dict
    check: Callable  # (draft, parameters, severity) -> list[Finding]


RULES: dict[str, Rule] = {}


def rule(code: str, label, *, severity: str = "error", **parameters):
    def register(function):
        RULES[code] = Rule(code, label, severity, parameters, function)
        return function

    return register


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
