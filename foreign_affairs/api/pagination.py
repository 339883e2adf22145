"""Default pagination of the API: ?page=N and ?page_size=M.

- `page`: a whole number from 1, or `last`; anything else (`abc`, `0`, `-1`, `null`) answers 400 naming
  `page`; a page past the last answers 404 (DRF's convention: the page does not exist).
- `page_size`: a whole number from 1; anything else answers 400 naming `page_size`; more than 100 gives
  100 (DRF's convention for `max_page_size`, stated in the schema).
- An empty value (`?page=`) is the same as none, as it is for the filters.
- `count` is exact. A view whose counts are kept (a `known_count(request)` method answering a number)
  gives it without counting the rows; otherwise the rows are counted.
"""

import re
from functools import partial

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from foreign_affairs.paginators import CountedPaginator


def _positive_int(value: str, parameter: str) -> int:
    """`value` as a whole number of 1 or more, or a 400 that names `parameter`."""
    if re.fullmatch(r"[0-9]+", value) and value.strip("0"):
        # Beyond 10**18 the number only matters as "very large" (capped, or past the last page); this
        # also keeps int() away from Python's limit on the digits of a string.
        return int(value) if len(value.lstrip("0")) <= 18 else 10**18
    raise ValidationError({parameter: [_("Give a whole number of 1 or more.")]}, code="invalid")


class PortalPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        known = getattr(view, "known_count", None)
        count = known(request) if known is not None else None
        self.django_paginator_class = partial(CountedPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        return min(_positive_int(value, self.page_size_query_param), self.max_page_size)

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param, "")
        if value == "":
            return 1
        if value in self.last_page_strings:
            return paginator.num_pages
        return _positive_int(value, self.page_query_param)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]  # always there; null at the ends
        return paginated

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page, from 1 (or `last`). Not a whole number of 1 or more: 400; "
                "past the last page: 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}). Not a whole number of 1 or "
                f"more: 400; more than {self.max_page_size} gives {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
