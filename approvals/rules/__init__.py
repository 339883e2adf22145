"""The rules a trip is checked against: live while the form is filled in, at submission, at every review.

Each rule has a code, a default severity and default parameters; the office changes them in the back
office (RuleSetting). A rule returns findings; an `error` blocks submission and approval, a `warning`
is shown to the applicant and the reviewers. A finding may force leader sign-off (an overlong trip
with a justification, a high-risk destination): the officer can then only escalate.

Rules look at a TripDraft, built from a saved application or from an unsaved form, so that the same
check runs while typing and at submission. One check costs a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .registry import RULES, Finding, Message, Rule, add_months, render_message, rule, stored_message


@dataclass(frozen=True)
class Leg:
    country: str
    city: str
    arrive_on: date
    leave_on: date


@dataclass(frozen=True)
class Member:
    person: object  # accounts.Person
    position_on_trip: str = ""
    is_leader: bool = False


@dataclass
class TripDraft:
    organization_id: int
    application_id: int | None = None
    belt_and_road: bool = False
    justification: str = ""
    legs: list[Leg] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    attachment_kinds: set[str] = field(default_factory=set)
    reference_date: date = field(default_factory=timezone.localdate)  # the day of submission

    @classmethod
    def from_application(cls, application, *, reference_date: date | None = None) -> "TripDraft":
        """From a saved application (use selectors.with_details to avoid one query per relation)."""
        submitted = timezone.localtime(application.submitted_at).date() if application.submitted_at else None
        return cls(
            organization_id=application.organization_id,
            application_id=application.pk,
            belt_and_road=application.belt_and_road,
            justification=application.justification,
            legs=[
                Leg(str(leg.country), leg.city, leg.arrive_on, leg.leave_on) for leg in application.legs.all()
            ],
            members=[Member(m.person, m.position_on_trip, m.is_leader) for m in application.members.all()],
            attachment_kinds={attachment.kind for attachment in application.attachments.all()},
            reference_date=reference_date or submitted or timezone.localdate(),
        )

    @property
    def departure(self) -> date | None:
        return min((leg.arrive_on for leg in self.legs), default=None)

    @property
    def return_date(self) -> date | None:
        return max((leg.leave_on for leg in self.legs), default=None)

    @property
    def days_abroad(self) -> int | None:
        if self.departure is None:
            return None
        return (self.return_date - self.departure).days + 1

    @property
    def countries(self) -> list[str]:
        seen = []
        for leg in sorted(self.legs, key=lambda leg: leg.arrive_on):
            if leg.country not in seen:
                seen.append(leg.country)
        return seen


# Running them ----------------------------------------------------------------------------------------


def settings_by_code() -> dict[str, dict]:
    """The office's configuration of each rule, over the defaults. One query."""
    from ..models import RuleSetting

    configured = {setting.code: setting for setting in RuleSetting.objects.all()}
    result = {}
    for code, definition in RULES.items():
        setting = configured.get(code)
        result[code] = {
            "enabled": setting.enabled if setting else True,
            "severity": setting.severity if setting else definition.severity,
            "parameters": {**definition.parameters, **(setting.parameters if setting else {})},
        }
    return result


def check(draft: TripDraft) -> list[Finding]:
    """Every enabled rule's findings for the trip, errors first."""
    findings = []
    for code, config in settings_by_code().items():
        if config["enabled"]:
            findings.extend(RULES[code].check(draft, config["parameters"], config["severity"]))
    return sorted(findings, key=lambda finding: finding.severity != "error")


def errors(findings) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "error"]


def stored_as_api(results: list[dict], language: str) -> list[dict]:
    """Stored findings as the API gives them: code, severity and the message in `language`."""
    return [
        {"code": r["code"], "severity": r["severity"], "message": stored_message(r, language)}
        for r in results
    ]


# The rules register themselves in RULES when imported.
from . import checks  # noqa: E402, F401

__all__ = [
    "RULES",
    "Finding",
    "Message",
    "Rule",
    "TripDraft",
    "add_months",
    "check",
    "errors",
    "render_message",
    "rule",
    "settings_by_code",
    "stored_as_api",
    "stored_message",
]
