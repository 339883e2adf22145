"""What the start page shows about travel applications, per role (foreign_affairs.dashboard)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from .filters import report_due_q
from .models import TravelApplication
from .workflow import State


def travel_applications(user, dashboard) -> None:
    today = timezone.localdate()
    if user.enterprise is not None:
        _enterprise(user, dashboard, today)
    if user.has_role(Role.OFFICER):
        _officer(user, dashboard, today)
    if user.has_role(Role.LEADER):
        count = TravelApplication.objects.filter(state=State.PENDING_SIGNOFF).count()
        if count:
            dashboard.tasks.append(
                Task(
                    ngettext(
                        "%(count)d application awaits your sign-off.",
                        "%(count)d applications await your sign-off.",
                        count,
                    )
                    % {"count": count},
                    reverse("admin:approvals_signoffqueue_changelist"),
                    "warning",
                )
            )


def _enterprise(user, dashboard, today) -> None:
    mine = TravelApplication.objects.filter(organization=user.organization)
    counts = mine.aggregate(
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        returned=Count("pk", filter=Q(state=State.RETURNED)),
        awaiting=Count("pk", filter=Q(state=State.SUBMITTED)),
        open=Count("pk", filter=Q(state__in=[State.SUBMITTED, State.IN_REVIEW, State.PENDING_SIGNOFF])),
        reports=Count("pk", filter=report_due_q(today)),
    )
    url = reverse("approvals:list")
    if counts["returned"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d application was returned for changes.",
                    "%(count)d applications were returned for changes.",
                    counts["returned"],
                )
                % {"count": counts["returned"]},
                f"{url}?state=returned",
                "warning",
            )
        )
    if counts["reports"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d trip has ended: submit its post-trip report.",
                    "%(count)d trips have ended: submit their post-trip reports.",
                    counts["reports"],
                )
                % {"count": counts["reports"]},
                _report_url(mine, counts["reports"], today),
                "warning",
            )
        )
    if counts["drafts"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d draft application is not submitted yet.",
                    "%(count)d draft applications are not submitted yet.",
                    counts["drafts"],
                )
                % {"count": counts["drafts"]},
                f"{url}?state=draft",
                "info",
            )
        )
    if user.has_role(Role.LIAISON) and counts["awaiting"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d application awaits your endorsement.",
                    "%(count)d applications await your endorsement.",
                    counts["awaiting"],
                )
                % {"count": counts["awaiting"]},
                reverse("approvals:endorsements"),
                "warning",
            )
        )
    dashboard.tiles.insert(0, Tile(_("Applications in progress"), counts["open"], url))


def _report_url(mine, due: int, today) -> str:
    """Where "submit the post-trip report" leads: the one trip's report form, or the list of those due
    (the list's report_due filter, the same rule as the count)."""
    if due == 1:
        pk = mine.filter(report_due_q(today)).values_list("pk", flat=True).first()
        if pk is not None:
            return reverse("approvals:detail", args=[pk]) + "#report-form"
    return reverse("approvals:list") + "?report_due=1"


def _officer(user, dashboard, today) -> None:
    queue = TravelApplication.objects.filter(state=State.IN_REVIEW).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        mine=Count("pk", filter=Q(assigned_officer=user)),
        unassigned=Count("pk", filter=Q(assigned_officer__isnull=True)),
    )
    changelist = reverse("admin:approvals_travelapplication_changelist")
    if queue["overdue"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d application in review is overdue.",
                    "%(count)d applications in review are overdue.",
                    queue["overdue"],
                )
                % {"count": queue["overdue"]},
                f"{changelist}?overdue=yes",
                "danger",
            )
        )
    if queue["unassigned"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d application in review has no officer yet.",
                    "%(count)d applications in review have no officer yet.",
                    queue["unassigned"],
                )
                % {"count": queue["unassigned"]},
                f"{changelist}?assigned=nobody",
                "info",
            )
        )
    dashboard.tiles.insert(
        0,
        Tile(
            _("Applications in review"),
            queue["total"],
            changelist,
            _("%(count)d assigned to you") % {"count": queue["mine"]},
        ),
    )
