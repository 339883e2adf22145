"""List filters: one django-filter FilterSet per list, serving the page (its form) and the API
(`filterset_class`), so that a search or a filter means the same at every door. The back office searches
with the same function (the list's `search` filter method, through `search_q`).

    class ApplicationFilter(ListFilterSet):
        search = SearchFilter(search_q, help_text=...)
        state = django_filters.ChoiceFilter(label=..., choices=State.choices, empty_label=...)
        ordering = Ordering(...)

    # a page
    filters = ApplicationFilter(request.GET or None, queryset=application_list_for(user), request=request)
    filters.count_states(state_counts(...))        # "In review (3)" in the state choices
    Paginator(filters.qs, 20)                      # invalid values are ignored on a page, 400 in the API
"""

from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography

from .forms import PortalForm


class ListFilterSet(django_filters.FilterSet):
    """The base of every list's filters: the page renders `form` in the portal's style."""

    class Meta:
        form = PortalForm

    @property
    def filtered(self) -> bool:
        """Whether the reader narrowed the list (an ordering alone does not)."""
        return bool(self.narrowed_by())

    def narrowed_by(self) -> dict:
        """{filter name: value} of the filters that narrow the list (an ordering does not)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [], ())
            and not isinstance(self.filters[name], django_filters.OrderingFilter)
            and not (isinstance(value, slice) and value.start is None and value.stop is None)
        }

    def count_states(self, counts: dict[str, int], field: str = "state") -> None:
        """Show how many rows each state has beside its choice: "In review (3)", "审核中（3）"."""
        choices = self.form.fields[field].choices
        self.form.fields[field].choices = [
            (value, typography.annotate(label, counts[value]) if counts.get(value) else label)
            for value, label in choices
        ]


class IdFilter(django_filters.NumberFilter):
    """The id of a row: a whole number the database can hold. (NumberFilter's decimals let "1e30" through to
    the query, where SQLite's driver fails on a number that big: a 500 instead of a 400.)"""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class SearchFilter(django_filters.CharFilter):
    """A free-text search: `search_q(term)` is the list's one search, a Q over its columns."""

    def __init__(self, search_q: Callable[[str], Q], **kwargs):
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)
        self.search_q = search_q

    def filter(self, queryset, value):
        term = (value or "").strip()
        return queryset.filter(self.search_q(term)) if term else queryset


class Ordering(django_filters.OrderingFilter):
    """`ordering=field` or `-field` (the choices name each with a label for the page's select): empty values
    last whichever the direction, the primary key as the tie-breaker (stable pages on every database)."""

    def __init__(self, *, choices, **kwargs):
        fields = [param.lstrip("-") for param, _label in choices]
        kwargs.setdefault("label", _("Order"))
        kwargs.setdefault("empty_label", None)
        super().__init__(fields=list(dict.fromkeys(fields)), choices=choices, **kwargs)

    def filter(self, queryset, value):
        params = [param for param in value or () if param]
        if not params:
            return queryset
        ordering = []
        for param in params:
            field = F(self.param_map.get(param.lstrip("-"), param.lstrip("-")))
            ordering.append(
                field.desc(nulls_last=True) if param.startswith("-") else field.asc(nulls_last=True)
            )
        return queryset.order_by(*ordering, "-pk" if params[0].startswith("-") else "pk")
