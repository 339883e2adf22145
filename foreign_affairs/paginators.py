"""A Paginator that can be told its count, for lists whose counts are kept (approvals.counting)."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """Paginator(rows, per_page, count=n): pages from `rows` without counting them when `count` is given."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property
