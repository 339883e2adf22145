"""Building foreign-organisation records through the services, as the doors do."""

import itertools
from datetime import date

from foreign_affairs.accounts.validators import USCC_ALPHABET, uscc_check_character
from foreign_offices.services import cases

_numbers = itertools.count(1)


def registration_number(n: int) -> str:
    """A valid unified social credit code of its own for each n ("FT" after the region code: no enterprise's
    code of the shared factories has it)."""
    digits = ""
    for _ in range(7):
        n, rest = divmod(n, 31)
        digits = USCC_ALPHABET[rest] + digits
    first17 = "91410100FT" + digits
    return first17 + uscc_check_character(first17)


ENQUIRY = {
    "organisation_name": "Bayerische Maschinenbau GmbH",
    "organisation_name_zh": "巴伐利亚机械制造有限公司",
    "parent_organisation": "Bayerische Maschinenbau Holding AG",
    "country": "DE",
    "kind": "company_office",
    "preferred_area": "zhengzhou",
    "contact_name": "Anna Schmidt",
    "contact_email": "anna.schmidt@example.de",
    "contact_phone": "+49 89 1234567",
    "message": "We plan a representative office in Zhengzhou for our machinery sales in central China.",
}


def enquiry(**overrides):
    return cases.enquiry_create(data={**ENQUIRY, **overrides}, language="en")


def registration(**overrides) -> dict:
    return {
        "authority": "market_regulation",
        "registration_number": registration_number(next(_numbers)),
        "registered_on": date(2026, 3, 2),
        "address": "郑州市金水区农业路东16号 1201室",
        **overrides,
    }


def opened_case(officer, *, registered_on=date(2026, 3, 2), **overrides):
    """A case carried from enquiry to opened by `officer`; its organisation has an account."""
    case = enquiry(**overrides)
    for name in ("consult", "prepare", "submit_to_authority"):
        case = cases.case_transition(case=case, actor=officer, name=name)
    case = cases.case_transition(
        case=case, actor=officer, name="register", data=registration(registered_on=registered_on)
    )
    case = cases.case_transition(case=case, actor=officer, name="open", data={"opened_on": registered_on})
    return case


def member_of(organisation):
    """The account user made for the case's contact (the organisation's liaison)."""
    from foreign_affairs.accounts.models import User

    return User.objects.get(membership__organization=organisation.account)
