"""The public directory of foreign organisations in Henan (驻豫外国机构名录): those that consented to be listed
and are not closed, with search and filters, and one page each. Public fields only: no chief representative,
contact person or staff names; enquiries go to the office's published contact."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from foreign_affairs.security.countries import country_name

from .. import guide_content, selectors
from ..forms.public import DirectoryFilterForm

PAGE_SIZE = 20


def _other_name(organisation) -> str:
    """The name the page does not lead with (the Chinese one in English, the original one in Chinese)."""
    shown = organisation.display_name
    other = organisation.name_zh if shown == organisation.name else organisation.name
    return "" if other == shown else other


def _labelled(organisation):
    organisation.other_name = _other_name(organisation)
    organisation.country_label = country_name(organisation.country.code)
    return organisation


@require_GET
def directory(request):
    filters = DirectoryFilterForm(request.GET or None, countries=selectors.public_countries())
    filters.is_valid()  # an unknown value narrows nothing: the other filters still apply
    chosen = getattr(filters, "cleaned_data", {})
    search = (chosen.get("q") or "").strip()
    country, kind, area = chosen.get("country", ""), chosen.get("kind", ""), chosen.get("area", "")
    organisations = selectors.public_directory(search=search, country=country, kind=kind, area=area)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [_labelled(organisation) for organisation in page.object_list]
    return render(
        request,
        "foreign_offices/public/directory.html",
        {
            "filters": filters,
            "page": page,
            "filtered": bool(search or country or kind or area),
            "contact": guide_content.office_contact(),
        },
    )


@require_GET
def directory_detail(request, pk):
    organisation = selectors.public_directory().filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return render(
        request,
        "foreign_offices/public/directory_detail.html",
        {
            "organisation": organisation,
            "other_name": _other_name(organisation),
            "country_label": country_name(organisation.country.code),
            "description": organisation.display_description,
            "contact": guide_content.office_contact(),
        },
    )


urlpatterns = [
    path("directory/", directory, name="directory"),
    path("directory/<int:pk>/", directory_detail, name="directory_detail"),
]
