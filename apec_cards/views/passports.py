"""The passport number of a card application or a card, as the reader may see it (the one rule:
foreign_affairs.accounts.passports), shown whole only with an access record naming the holder and the
case (foreign_affairs.privacy.access). The pages, the back office and the API all come through here."""

from foreign_affairs.accounts.passports import sees_whole_passport_numbers
from foreign_affairs.accounts.validators import mask_passport_number
from foreign_affairs.privacy import access
from foreign_affairs.privacy.models import Seen


def _holder(case):
    """The person of an application, the holder of a card."""
    return case.person if hasattr(case, "person_id") else case.holder


def _reference(case) -> str:
    return case.reference if hasattr(case, "reference") else case.number


def may_see_whole(request, case) -> bool:
    user = getattr(getattr(request, "_request", request), "user", None)
    return sees_whole_passport_numbers(user, case.organization_id)


def passport_number_shown(request, case) -> str:
    """The passport number on `case` (a CardApplication or a Card): whole, and recorded, for the office
    and the case's own organisation; masked for anyone else."""
    number = case.passport_number
    if not number:
        return ""
    if not may_see_whole(request, case):
        return mask_passport_number(number)
    access.record(request, seen=Seen.PASSPORT_NUMBER, people=[_holder(case)], case=_reference(case))
    return number
