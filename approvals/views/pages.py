"""The list of applications and the liaison's endorsements."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.paginators import CountedPaginator

from .. import counting, selectors
from ..filters import ApplicationFilter, report_is_due
from ..models import PassportHandover
from .common import can_create, explain

PAGE_SIZE = 20


@login_required
def application_list(request):
    user = request.user
    applications = selectors.application_list_for(user)
    filters = ApplicationFilter(request.GET or None, queryset=applications, request=request)
    counts = counting.state_counts_for(user)
    filters.count_states(counts)
    known = counting.count_for_filters(user, filters)
    page = CountedPaginator(filters.qs, PAGE_SIZE, count=known).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for application in page.object_list:  # the page's rows, loaded once here and shown by the template
        application.report_is_due = report_is_due(application, today)
    awaiting = selectors.awaiting_endorsement_for(user).count() if user.has_role(Role.LIAISON) else 0
    overdue_passports = (
        scope_for_user(PassportHandover.objects.all(), user)
        .filter(returned_at__isnull=True, due_on__lt=timezone.localdate())
        .count()
        if user.has_role(Role.LIAISON)
        else 0
    )
    return render(
        request,
        "approvals/application_list.html",
        {
            "filters": filters.form,
            "page": page,
            "filtered": filters.filtered,
            "can_create": can_create(user),
            "awaiting_endorsement": awaiting,
            "overdue_passports": overdue_passports,
            "total": sum(counts.values()),
        },
    )


@login_required
def endorsements(request):
    if not request.user.has_role(Role.LIAISON) or request.user.organization is None:
        return explain(
            request,
            _("Endorsements are for the liaison"),
            _(
                "Your organisation's foreign-affairs liaison endorses its applications before the office "
                "reviews them. Your account is not the liaison's."
            ),
            status=403,
        )
    applications = selectors.awaiting_endorsement_for(request.user)
    page = CountedPaginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "approvals/endorsements.html", {"page": page})


# The form ------------------------------------------------------------------------------------------
