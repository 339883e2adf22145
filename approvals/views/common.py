"""Helpers shared by the enterprise pages of travel applications."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.page_actions import problem

from .. import selectors
from ..models import TravelApplication


def signed_in(view):
    """login_required, except that an htmx request of a signed-out user gets a bare 401: htmx swaps
    nothing, instead of putting the sign-in page into the rule panel or the documents section."""
    guarded = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            return HttpResponse(status=401)
        return guarded(request, *args, **kwargs)

    return wrapper


# The area's main page, where a refusal page leads besides the case (foreign_affairs.page_actions).
HOME = ("approvals:list", gettext_lazy("Travel applications"))


def can_create(user) -> bool:
    return (
        user.organization is not None
        and user.has_role(Role.APPLICANT)
        and user.has_perm("approvals.add_travelapplication")
    )


def get_application(request, pk, *, details: bool = True) -> TravelApplication:
    """The application if the user may see it; 404 for other organisations' (never 403)."""
    applications = TravelApplication.objects.select_related("organization")
    if details:
        applications = selectors.with_details(TravelApplication.objects.all())
    return get_object_or_404(scope_for_user(applications, request.user), pk=pk)


def explain(request, title: str, message: str, *, status: int, application=None):
    """A refusal in plain words (403, 409), with the way back."""
    return problem(
        request,
        title,
        message,
        status=status,
        back=application.get_absolute_url() if application else None,
        back_label=application.reference if application else "",
        home=reverse(HOME[0]),
        home_label=HOME[1],
    )


def refused_creation(request):
    return explain(
        request,
        _("You cannot start an application"),
        _(
            "Travel applications are started by the staff of an enterprise registered with the office. "
            "If your enterprise should have access, ask its foreign-affairs liaison or the office."
        ),
        status=403,
    )


# The list ------------------------------------------------------------------------------------------
