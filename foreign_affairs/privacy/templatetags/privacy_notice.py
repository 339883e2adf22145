"""The short notice shown on every form that collects personal data ({% load privacy_notice %}): what is
collected, why, who sees it, how long it is kept and the person's rights. Forms include
templates/privacy/notice.html with a `purpose` (a key of PURPOSES); the months come from the office's
retention rules (privacy.RetentionRule) for the purpose's kinds of record where one is set and enforced,
otherwise the purpose's fixed sentence says how long.

The notice names kinds of record by name only: the areas register the kinds themselves (area.py), and
nothing here imports an area."""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import RetentionRule

register = template.Library()

OFFICE_AND_ORGANISATION = _(
    "The officers of the Foreign and Overseas Chinese Affairs Office of Henan Province who handle the case, "
    "and your organisation's foreign-affairs staff."
)
RIGHTS = _(
    "The person may ask the office for a copy of everything the portal holds about them, for a correction, "
    "or for its erasure where no retention duty applies. Every look at a whole passport number, a scan or a "
    "photo is logged."
)
KEPT_WHILE_CASE = _("Kept while the case is open and for the archive period the office sets after it closes.")


@dataclass(frozen=True)
class Purpose:
    """One form's reasons. `kept` pairs a retention kind's name with what it covers ("passport scans"):
    each with a rule gives a line with its months; `kept_otherwise` is said when none has one."""

    collected: str
    why: str
    who: str = OFFICE_AND_ORGANISATION
    kept: tuple[tuple[str, str], ...] = ()
    kept_otherwise: str = KEPT_WHILE_CASE
    rights: str = RIGHTS


APPLICATION = _("The application")
SCANS = _("Passport scans and photographs")

PURPOSES: dict[str, Purpose] = {
    "person": Purpose(
        collected=_(
            "The traveller's name and pinyin, gender, date of birth, position, passport details, passport "
            "scan and photograph."
        ),
        why=_(
            "To apply for and review this person's trips abroad, APEC business travel cards and pre-departure "
            "training, and to hand their passport back and forth."
        ),
        kept_otherwise=_(
            "Kept while your organisation lists the person; what their trips and cards need is kept as long "
            "as those records are."
        ),
    ),
    "travel": Purpose(
        collected=_(
            "Each member's name, date of birth, position and passport details, with the passport scans and "
            "photographs you upload."
        ),
        why=_(
            "To review and approve the trip, issue its approval documents and keep track of the passports."
        ),
        kept=(("travel_applications", APPLICATION), ("travel_scans", SCANS)),
    ),
    "apec": Purpose(
        collected=_("The card holder's name, date of birth, passport details, photograph and business need."),
        why=_(
            "To review the application for an APEC business travel card and send it to the economies chosen."
        ),
        who=_(
            "The officers of the Foreign and Overseas Chinese Affairs Office of Henan Province, your "
            "organisation's foreign-affairs staff and, for the card, the authorities of the economies chosen."
        ),
        kept=(("apec_scans", SCANS),),
    ),
    "enrolment": Purpose(
        collected=_("The name and position of each person enrolled, their attendance and assessment."),
        why=_("To run the pre-departure training and show that a traveller has valid training."),
        kept_otherwise=_("Kept while the training is valid and for the archive period the office sets."),
    ),
    "representative": Purpose(
        collected=_("The representative's full name, passport number and passport expiry date."),
        why=_("To keep the registry of foreign organisations' representative offices up to date."),
        who=_(
            "The officers of the Foreign and Overseas Chinese Affairs Office of Henan Province and the "
            "representative office's own staff."
        ),
        kept_otherwise=_("Kept while the office is registered and for the archive period the office sets."),
    ),
    "project_contact": Purpose(
        collected=_("The contact person's name, e-mail address and phone number."),
        why=_("So that the office and interested partners can reach the person about the project."),
        kept_otherwise=_("Kept while the project is listed and for the archive period the office sets."),
    ),
    "stationing": Purpose(
        collected=_(
            "Who of your organisation is stationed abroad, at which site, in which post and for how long."
        ),
        why=_("To know who is abroad when a safety alert is sent or an incident happens, and to reach them."),
        kept_otherwise=_("Kept while the person is stationed and for the archive period the office sets."),
    ),
    "incident": Purpose(
        collected=_(
            "The people involved, what happened to them, the reporter's name and call-back phone, and the "
            "photos you send."
        ),
        why=_("To help the people involved and follow the incident until it is closed."),
    ),
}


def _months(purpose: Purpose) -> list[dict]:
    """The purpose's kinds with an enforced rule, in the purpose's order, with their months (one query)."""
    names = [name for name, _what in purpose.kept]
    if not names:
        return []
    months = dict(RetentionRule.objects.filter(kind__in=names, enabled=True).values_list("kind", "months"))
    return [
        {"kind": name, "what": what, "months": months[name]} for name, what in purpose.kept if name in months
    ]


@register.simple_tag
def privacy_notice_for(purpose: str) -> dict:
    """{% privacy_notice_for "travel" as notice %}: the texts and the retention of one purpose."""
    try:
        found = PURPOSES[purpose]
    except KeyError:
        raise template.TemplateSyntaxError(f"No privacy notice for the purpose {purpose!r}.") from None
    return {
        "purpose": purpose,
        "collected": found.collected,
        "why": found.why,
        "who": found.who,
        "kept": _months(found),
        "kept_otherwise": found.kept_otherwise,
        "rights": found.rights,
    }
