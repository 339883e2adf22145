"""Access records: every door that shows a whole passport number, a passport scan or a photograph, or
hands out an export with personal data, calls one of these, once per person per request.

    number = access.passport_number_shown(request, person, case=application.reference)
    access.record(request, seen=Seen.PASSPORT_SCAN, people=[person], case=reference)

The door (page, back office, API) is read from the request's address; exports name theirs. A request
that shows the same person twice writes one record.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from foreign_affairs.accounts.passports import sees_whole_passport_numbers
from foreign_affairs.accounts.validators import mask_passport_number

from .models import Door, PersonalDataAccess, Seen

_SEEN_ATTRIBUTE = "_privacy_seen"


def _http_request(request) -> HttpRequest | None:
    return getattr(request, "_request", request) if request is not None else None


def door_of(request) -> str:
    path = _http_request(request).path
    if path.startswith("/api/"):
        return Door.API
    if path.startswith("/admin/"):
        return Door.ADMIN
    return Door.PAGE


def record(
    request=None,
    *,
    seen: str,
    people: Iterable = (),
    organization_id: int | None = None,
    case: str = "",
    user=None,
    door: str | None = None,
) -> list[PersonalDataAccess]:
    """Write one access record per person in `people` (or one naming only `organization_id` when no one
    is named: a scan of a whole delegation) for what `request`'s user (or `user`) saw."""
    http = _http_request(request)
    user = user if user is not None else getattr(http, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    door = door or (door_of(http) if http is not None else Door.EXPORT)
    path = http.path[:200] if http is not None else ""  # no query string: a search may hold a number
    already = getattr(http, _SEEN_ATTRIBUTE, None) if http is not None else None
    if http is not None and already is None:
        already = set()
        setattr(http, _SEEN_ATTRIBUTE, already)
    rows = []
    targets = [(person.pk, person.organization_id) for person in people] or [(None, organization_id)]
    for person_id, org_id in targets:
        key = (seen, person_id, org_id, case)
        if already is not None:
            if key in already:
                continue
            already.add(key)
        rows.append(
            PersonalDataAccess(
                user=user,
                person_id=person_id,
                organization_id=org_id,
                seen=seen,
                door=door,
                case=case[:40],
                path=path,
            )
        )
    return PersonalDataAccess.objects.bulk_create(rows) if rows else []


def passport_number_shown(request, person, *, case: str = "", listed: bool = False) -> str:
    """The passport number of `person` as the request's user may see it (passports: the one rule),
    recording the look when it is shown whole."""
    number = person.passport_number
    if not number:
        return ""
    user = getattr(_http_request(request), "user", None)
    if listed or not sees_whole_passport_numbers(user, person.organization_id):
        return mask_passport_number(number)
    record(request, seen=Seen.PASSPORT_NUMBER, people=[person], case=case)
    return number


def passport_numbers_shown(request, people: list, *, case: str = "") -> dict[int, str]:
    """passport_number_shown for several people at once (one statement): {person pk: number}."""
    user = getattr(_http_request(request), "user", None)
    shown, whole = {}, []
    for person in people:
        if person.passport_number and sees_whole_passport_numbers(user, person.organization_id):
            shown[person.pk] = person.passport_number
            whole.append(person)
        else:
            shown[person.pk] = mask_passport_number(person.passport_number) if person.passport_number else ""
    if whole:
        record(request, seen=Seen.PASSPORT_NUMBER, people=whole, case=case)
    return shown
