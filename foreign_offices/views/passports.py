"""The passport number of a new chief representative, proposed by a change request, as the reader may see
it (the one rule: foreign_affairs.accounts.passports): whole on one request's page, API answer or back-office
page for the office and the organisation itself, with an access record naming the person (once they are
among the organisation's travellers) or else the organisation, and the organisation's registration number
as the case; masked in lists and for anyone else."""

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.passports import sees_whole_passport_numbers
from foreign_affairs.accounts.validators import mask_passport_number
from foreign_affairs.privacy import access
from foreign_affairs.privacy.models import Seen


def proposed_passport_number(request, change, *, listed: bool = False) -> str:
    number = (change.proposed or {}).get("passport_number") or ""
    if not number:
        return ""
    organisation = change.organisation
    user = getattr(getattr(request, "_request", request), "user", None)
    if listed or not sees_whole_passport_numbers(user, organisation.account_id):
        return mask_passport_number(number)
    people = []
    if organisation.account_id is not None:
        people = list(
            Person.objects.filter(organization_id=organisation.account_id, passport_number=number)[:1]
        )
    access.record(
        request,
        seen=Seen.PASSPORT_NUMBER,
        people=people,
        organization_id=organisation.account_id,
        case=organisation.registration_number,
    )
    return number
