"""The organisations' page of personal information: who at the office looked at their people's data."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors
from .filters import OrganizationAccessFilter

PAGE_SIZE = 25


@login_required
def access_list(request):
    """The looks office accounts took at the personal data of the reader's organisation's people (its
    liaison and its other staff read it, as they read the travellers' page); office staff are sent to
    the back office's records, which hold everyone's."""
    if selectors.reads_all_access(request.user):
        return redirect("admin:privacy_personaldataaccess_changelist")
    if not selectors.reads_own_organization_access(request.user):
        raise Http404(_("Your account does not belong to an organisation."))
    organization = request.user.organization
    filters = OrganizationAccessFilter(
        request.GET or None, queryset=selectors.office_looks_at(organization.pk), request=request
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/access_list.html",
        {"organization": organization, "filters": filters.form, "filtered": filters.filtered, "page": page},
    )
