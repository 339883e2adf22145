"""Default pagination of the API: ?page=N and ?page_size=M (at most 100)."""

from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
