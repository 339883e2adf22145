"""What the public "Set up in Zhengzhou" guide says: per kind of presence the registering authority and the
documents to prepare, per free trade zone area what it is for, the steps of a case, and the office's
published contact. Kept as data (translated strings) so the page, and any later door, say the same.

The document lists are what the authorities usually ask for; the officer of the case confirms the exact
list, which changes with the authority's current rules.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import FTZArea

from .models import CaseServiceLevel
from .workflow import (
    AUTHORITY_FOR_KIND,
    CASE_NEXT_STEP,
    DEFAULT_SERVICE_LEVELS,
    Authority,
    CaseState,
    PresenceKind,
)

# Documents in a foreign language go with a Chinese translation; documents issued abroad are notarised there
# and then apostilled (countries party to the Apostille Convention, which China joined in November 2023) or
# legalised by the Chinese embassy or consulate.
_FOREIGN_ORIGIN = _(
    "notarised in the home country, then apostilled or legalised by the Chinese embassy or consulate"
)

DOCUMENTS = {
    PresenceKind.REGIONAL_HQ: [
        _("Application for recognition as a regional headquarters, signed by the parent company"),
        _("Certificate of registration (or of good standing) of the parent company, %(origin)s"),
        _("Articles of association of the parent company and of the headquarters company"),
        _("Audited financial statements of the parent company for the last year"),
        _("Business licence of the headquarters company registered in Henan"),
        _(
            "The parent company's authorisation describing the headquarters' functions and the enterprises "
            "in China it manages or serves"
        ),
        _("Appointment letter and passport of the head of the headquarters"),
        _("Lease or title certificate of the office in Henan"),
    ],
    PresenceKind.COMPANY_OFFICE: [
        _("Registration application form signed by the chairman or legal representative of the company"),
        _(
            "Certificate of registration (or of good standing) of the parent company, showing at least two "
            "years of existence, %(origin)s"
        ),
        _("Articles of association of the parent company"),
        _("Bank reference letter from a bank the company does business with"),
        _("Appointment letter of the chief representative and the representatives, signed by the chairman"),
        _("Passport copies and short CVs of the chief representative and the representatives"),
        _("Lease of the office and the landlord's title certificate"),
    ],
    PresenceKind.GOVERNMENT_OFFICE: [
        _("Letter of application from the head of the local government"),
        _("Document establishing the office and describing its purpose, %(origin)s"),
        _("Background of the cooperation with Henan (friendship city or exchange agreement, if any)"),
        _("Appointment letter, passport copy and CV of the chief representative"),
        _("Planned number of staff, foreign and local"),
        _("Lease of the office and the landlord's title certificate"),
    ],
    PresenceKind.CHAMBER_OFFICE: [
        _("Application signed by the chamber's or association's responsible persons"),
        _("Articles of the chamber or association"),
        _("Certificate of registration of the chamber or association, %(origin)s"),
        _("List of the member companies and their offices in China"),
        _("Appointment letter, passport copy and CV of the chief representative"),
        _("Statement of the sources of funding"),
        _("Lease of the office and the landlord's title certificate"),
    ],
    PresenceKind.INTERNATIONAL_OFFICE: [
        _("Registration application form for a representative office"),
        _(
            "Certificate of registration of the organisation, showing at least two years of existence and "
            "activity, %(origin)s"
        ),
        _("Articles or charter of the organisation"),
        _("Letter of consent from the Chinese professional supervisory unit (the office helps you find one)"),
        _(
            "Appointment letter, passport copy, CV and statement of no criminal record of the chief representative"
        ),
        _("Statement of the sources of funding and of the planned activities"),
        _("Lease of the office and the landlord's title certificate"),
    ],
}
# A remark under a kind's authority where the plain mapping does not tell the whole story.
KIND_NOTES = {
    PresenceKind.REGIONAL_HQ: _(
        "The headquarters is first established as a company in Henan; the Department of Commerce then "
        "recognises it as a regional headquarters."
    ),
    PresenceKind.CHAMBER_OFFICE: _(
        "Some industry associations register instead with the Public Security Department as overseas "
        "non-governmental organisations; the office tells you which applies."
    ),
    PresenceKind.INTERNATIONAL_OFFICE: _(
        "Registration follows the Law on the Administration of Overseas NGOs' Activities in the Mainland of "
        "China."
    ),
}

# What each area of the China (Henan) Pilot Free Trade Zone is for (its overall plan, DOMAIN.md).
AREA_FOCUS = {
    FTZArea.ZHENGZHOU: [
        _("Advanced manufacturing: smart terminals, high-end equipment, automobiles, biomedicine"),
        _("Modern services: logistics, international trade, cross-border e-commerce, finance, exhibitions"),
    ],
    FTZArea.LUOYANG: [
        _("Equipment manufacturing, robots and new materials"),
        _("Research, development and industrial design"),
        _("Cultural tourism"),
    ],
    FTZArea.KAIFENG: [
        _("Service outsourcing, medical tourism and creative design"),
        _("Culture and media, and the art trade"),
        _("Logistics"),
    ],
    FTZArea.OUTSIDE: [
        _("An office can be anywhere in Henan; the office helps outside the zone just the same."),
    ],
}

# The office's published contact for foreign organisations (shown on the guide, the enquiry form and every
# directory page). Demonstration values: the deployment sets FOREIGN_OFFICES_CONTACT to override any key.
DEFAULT_CONTACT = {
    "unit": _("Foreign Organisations Service, Foreign and Overseas Chinese Affairs Office of Henan Province"),
    "address": _("12 Jingsan Road, Jinshui District, Zhengzhou 450008, Henan, China"),
    "phone": "+86 371 6555 0180",
    "email": "setup@hnfao.example",
    "hours": _(
        "Monday to Friday, 9:00–12:00 and 13:30–17:30 China Standard Time (UTC+8), except public holidays"
    ),
}
# How long the office keeps an enquiry's details after its case closes (the privacy notice says it).
RETENTION_YEARS = 3


@dataclass(frozen=True)
class KindGuide:
    kind: str
    label: str
    authority: str
    authority_label: str
    office_registers: bool
    documents: list
    note: str


@dataclass(frozen=True)
class AreaGuide:
    area: str
    label: str
    focus: list


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    text: str


def _with_origin(document, origin: dict) -> str:
    text = str(document)
    return text % origin if "%(origin)s" in text else text


def kinds() -> list[KindGuide]:
    origin = {"origin": _FOREIGN_ORIGIN}
    rows = []
    for kind in PresenceKind:
        authority = AUTHORITY_FOR_KIND[kind]
        rows.append(
            KindGuide(
                kind=kind.value,
                label=kind.label,
                authority=authority.value,
                authority_label=Authority(authority).label,
                office_registers=authority == Authority.FOREIGN_AFFAIRS,
                documents=[_with_origin(document, origin) for document in DOCUMENTS[kind]],
                note=KIND_NOTES.get(kind, ""),
            )
        )
    return rows


def areas() -> list[AreaGuide]:
    return [AreaGuide(area=area.value, label=area.label, focus=AREA_FOCUS[area]) for area in FTZArea]


# The way of a case that ends with an open office; withdrawn and declined are told apart on the page.
STEP_STATES = (
    CaseState.ENQUIRY,
    CaseState.CONSULTING,
    CaseState.PREPARING,
    CaseState.SUBMITTED_TO_AUTHORITY,
    CaseState.REGISTERED,
    CaseState.OPENED,
)


def steps() -> list[Step]:
    return [Step(state=state.value, label=state.label, text=CASE_NEXT_STEP[state]) for state in STEP_STATES]


def answer_days() -> int:
    """Within how many working days the office answers an enquiry (its service level for the state)."""
    days = CaseServiceLevel.objects.filter(state=CaseState.ENQUIRY).values_list("working_days", flat=True)
    return next(iter(days), DEFAULT_SERVICE_LEVELS[CaseState.ENQUIRY])


def office_contact() -> dict:
    """The office's published contact, with the deployment's FOREIGN_OFFICES_CONTACT over the defaults."""
    return {**DEFAULT_CONTACT, **getattr(settings, "FOREIGN_OFFICES_CONTACT", {})}
