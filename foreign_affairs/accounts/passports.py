"""Who sees a passport number whole: the one rule every page, API answer, form and admin screen follows.

A passport number is shown whole to the office and to the traveller's own organisation where one
traveller or one trip is shown (a detail page, an API detail, the hand-out form of a trip); it is masked
(`*****5678`, mask_passport_number) in lists — the back office's changelists too, whose search still
finds a whole number through the blind index — to everyone else, and wherever no one is signed in.

A door that shows a number does not call this module: it calls privacy.access.passport_number_shown
(or passport_numbers_shown), which follows this rule and records every whole look.
"""

from .validators import mask_passport_number


def sees_whole_passport_numbers(user, organization_id: int | None) -> bool:
    """Whether `user` may see whole the passport numbers of the travellers of `organization_id`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_office_staff:
        return True
    own = user.organization
    return own is not None and organization_id is not None and own.pk == organization_id


def passport_number_for(user, number: str, *, organization_id: int | None, listed: bool = False) -> str:
    """`number`, of a traveller of `organization_id`, as `user` may see it: masked when `listed`."""
    if not listed and sees_whole_passport_numbers(user, organization_id):
        return number
    return mask_passport_number(number)
