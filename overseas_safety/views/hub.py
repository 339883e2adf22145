"""/safety/: where overseas safety starts — for an enterprise, the button to report an incident, its
open incidents, the alerts awaiting an answer, its sites and people abroad; for the office, what is
unacknowledged, who is on duty and how many of ours are abroad today."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from foreign_affairs.accounts.selectors import scope_for_user

from ..models import AlertRecipient, Incident, Site, Stationing
from ..services.duty import on_duty_now
from ..workflow import OPEN_STATES, State


@login_required
def safety_home(request):
    user = request.user
    today = timezone.localdate()
    incidents = scope_for_user(Incident.objects.all(), user)
    open_incidents = incidents.filter(state__in=OPEN_STATES)
    counts = open_incidents.aggregate(
        open=Count("pk"),
        unacknowledged=Count("pk", filter=Q(state=State.REPORTED)),
        overdue=Count("pk", filter=Q(state=State.REPORTED, ack_due_at__lt=timezone.now())),
    )
    sites = scope_for_user(Site.objects.all(), user)
    stationed = scope_for_user(Stationing.objects.on(today), user)
    context = {
        "counts": counts,
        "latest": open_incidents.select_related("organization").order_by("level", "reported_at")[:5],
        "sites_open": sites.filter(closed_on__isnull=True).count(),
        "stationed_now": stationed.count(),
        "unanswered": scope_for_user(AlertRecipient.objects.filter(answer=""), user).count()
        if not user.is_office_staff
        else 0,
        "on_duty": on_duty_now() if user.is_office_staff else None,
        "may_report": (user.is_office_staff and user.has_role("Officer")) or user.organization is not None,
    }
    return render(request, "overseas_safety/home.html", context)


urlpatterns = [path("", safety_home, name="home")]
