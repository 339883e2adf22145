"""Enterprise pages under /exchanges/visits/: the activities that visit the user's enterprise ("Visits").

The applicants and liaisons of an enterprise of the free trade zone that an activity visits
(Activity.enterprises_visited) see it from its approval on (selectors.activities_for): what it is, when and
where, the foreign party, the programme of their day(s), what the office asks of them and whom to contact,
and the programme PDF once the visit is confirmed. Never the reception checklist, the outcomes, the
documents, the office's notes, the travel applications or the names of the other enterprises visited.

Another enterprise's activity answers 404, never 403; so do accounts without an enterprise and members of a
foreign organisation's office. Office staff are sent to the same record in the back office. Nothing here
writes.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from foreign_affairs.accounts.roles import Role
from foreign_affairs.security.countries import country_name

from .. import selectors
from ..models import Activity
from ..visits import programme_for
from ..workflow import PUBLIC_STATES, STATE_TONES, State

PAGE_SIZE = 20
# The programme PDF exists once the visit is confirmed with the foreign party (and stays after it).
PROGRAMME_STATES = PUBLIC_STATES
# Stopped visits: shown with what happened, asked nothing of, without a programme.
STOPPED_STATES = (State.POSTPONED, State.CANCELLED)

# What happens next, in one sentence, for each state the enterprise sees.
NEXT_STEP = {
    State.APPROVED: gettext_lazy(
        "The office is confirming the visit with the foreign party. You are told once it is confirmed, and "
        "the programme then follows here."
    ),
    State.CONFIRMED: gettext_lazy(
        "The visit is confirmed. Prepare to receive the delegation as the programme says, and agree the "
        "details with the officer in charge."
    ),
    State.HELD: gettext_lazy("The visit took place. Thank you for receiving the delegation."),
    State.REPORTED: gettext_lazy("The visit took place. Thank you for receiving the delegation."),
    State.CLOSED: gettext_lazy("The visit took place. Thank you for receiving the delegation."),
    State.POSTPONED: gettext_lazy(
        "The visit was postponed. The office tells you the new dates once they are agreed; until then "
        "nothing is asked of your enterprise."
    ),
    State.CANCELLED: gettext_lazy("The visit was cancelled. Nothing more is asked of your enterprise."),
}

# Who may use these pages -----------------------------------------------------------------------------------


def _back_office(pk=None) -> str:
    if pk is None:
        return reverse("admin:exchanges_activity_changelist")
    if not Activity.objects.filter(pk=pk).exists():
        raise Http404
    return reverse("admin:exchanges_activity_change", args=[pk])


def enterprise_page(view):
    """The view for the applicants and liaisons of an enterprise; office staff are sent to the same record
    in the back office, anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_office_staff:
            return redirect(_back_office(**kwargs))
        if user.enterprise is None or not (user.has_role(Role.APPLICANT) or user.has_role(Role.LIAISON)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _labelled(activity: Activity) -> Activity:
    """The values the pages show, in the reader's language."""
    activity.country_label = country_name(activity.country.code) if activity.country else ""
    activity.tone = STATE_TONES.get(activity.state, "neutral")
    activity.stopped = activity.state in STOPPED_STATES
    return activity


# The list --------------------------------------------------------------------------------------------------


@enterprise_page
@require_GET
def visits(request):
    today = timezone.localdate()
    past = Q(ends_on__lt=today)
    # Upcoming first, soonest first; then past ones, latest first.
    activities = (
        selectors.activities_for(request.user)
        .annotate(
            is_past=Case(When(past, then=Value(True)), default=Value(False), output_field=BooleanField()),
            upcoming_on=Case(When(~past, then=F("starts_on"))),
            past_on=Case(When(past, then=F("starts_on"))),
        )
        .order_by("is_past", F("upcoming_on").asc(nulls_last=True), F("past_on").desc(nulls_last=True), "-pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [_labelled(activity) for activity in page.object_list]
    return render(
        request,
        "exchanges/enterprise/visit_list.html",
        {
            "page": page,
            "upcoming": [a for a in page.object_list if not a.is_past],
            "past": [a for a in page.object_list if a.is_past],
        },
    )


# One visit -------------------------------------------------------------------------------------------------


@enterprise_page
@require_GET
def visit_detail(request, pk):
    activity = selectors.activities_for(request.user).select_related("owner").filter(pk=pk).first()
    if activity is None:
        raise Http404
    activity = _labelled(activity)
    organization = request.user.enterprise
    days, named = programme_for(activity, organization)
    upcoming = activity.ends_on >= timezone.localdate()
    return render(
        request,
        "exchanges/enterprise/visit_detail.html",
        {
            "activity": activity,
            "organization": organization,
            "next_step": NEXT_STEP.get(activity.state, ""),
            "days": days,
            "named": named,
            "asks": upcoming and not activity.stopped,
            "programme": activity.state in PROGRAMME_STATES,
        },
    )


urlpatterns = [
    path("visits/", visits, name="visits"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
]
