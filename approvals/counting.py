"""Counts of applications read from approvals_applicationcount (models/counts.py), not from the table.

Exact: the database keeps the counts in the same transaction as the rows. A list gives a page its count
from here when it is narrowed only by what the counts hold (scope, state, organisation); any other filter
or a search counts the rows it matches (an index narrows them first).
"""

from django.db.models import Sum

from .models import ApplicationCount
from .workflow import State

# The filters a count can be read for, and nothing else narrowing the list.
COUNTED_FILTERS = frozenset({"state", "organization"})


def state_counts(*, organization_id: int | None = None) -> dict[str, int]:
    """{state: applications} over every organisation, or over one."""
    rows = ApplicationCount.objects.filter(n__gt=0)
    if organization_id is not None:
        rows = rows.filter(organization_id=organization_id)
    return dict(rows.order_by().values_list("state").annotate(total=Sum("n")))


def state_counts_for(user) -> dict[str, int]:
    """{state: applications} that `user` may see (selectors.application_list_for's scope)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if user.is_office_staff:
        return state_counts()
    organization = user.organization
    return {} if organization is None else state_counts(organization_id=organization.pk)


def count_for(user, *, state: str | None = None, organization_id: int | None = None) -> int:
    """How many applications `user` sees in `state` (any when None) of `organization_id` (any when None)."""
    if organization_id is not None:
        own = None if user.is_office_staff else user.organization
        if not user.is_office_staff and (own is None or own.pk != organization_id):
            return 0
        counts = state_counts(organization_id=organization_id)
    else:
        counts = state_counts_for(user)
    if state is None:
        return sum(counts.values())
    return counts.get(state, 0) if state in State.values else 0


def count_for_filters(user, filters) -> int | None:
    """The count of a list narrowed by `filters` (a bound, valid ApplicationFilter), when the counts hold it;
    None when the rows must be counted."""
    if filters.is_bound and not filters.form.is_valid():
        return None
    narrowed = filters.narrowed_by() if filters.is_bound else {}
    if not set(narrowed) <= COUNTED_FILTERS:
        return None
    organization = narrowed.get("organization")
    return count_for(user, state=narrowed.get("state"), organization_id=organization)
