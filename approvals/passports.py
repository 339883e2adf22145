"""The passport numbers of the custody ledger as the user may see them, each whole look recorded.

A handover keeps a copy of the number that left custody, and the ledger shows that copy; who sees it
whole is the one rule (accounts.passports), and every whole showing writes an access record
(privacy.access) naming the holder and the trip, one statement for all the rows of a request.
"""

from collections import defaultdict

from foreign_affairs.accounts.passports import sees_whole_passport_numbers
from foreign_affairs.accounts.validators import mask_passport_number
from foreign_affairs.privacy import access
from foreign_affairs.privacy.models import Seen


def handover_numbers_shown(request, handovers, *, case: str | None = None, listed: bool = False) -> dict:
    """{handover pk: its passport number as the request's user may see it}: masked in lists (`listed`)
    and to those who may not see it whole. `case` is the trip's reference when every handover belongs to
    one trip; otherwise each handover's own (select its application)."""
    user = getattr(getattr(request, "_request", request), "user", None)
    shown, whole = {}, defaultdict(list)
    for handover in handovers:
        number = handover.passport_number
        if number and not listed and sees_whole_passport_numbers(user, handover.person.organization_id):
            shown[handover.pk] = number
            whole[case if case is not None else handover.application.reference].append(handover.person)
        else:
            shown[handover.pk] = mask_passport_number(number)
    for reference, people in whole.items():
        access.record(request, seen=Seen.PASSPORT_NUMBER, people=people, case=reference)
    return shown


def handover_number_shown(request, handover, *, case: str | None = None, listed: bool = False) -> str:
    """handover_numbers_shown for one handover."""
    return handover_numbers_shown(request, [handover], case=case, listed=listed)[handover.pk]
