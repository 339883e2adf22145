"""What the start page shows about overseas safety, per role (foreign_affairs.dashboard).

Officers (and the leaders, to whom late incidents are escalated): the incidents waiting to be
acknowledged — those past their deadline in red — the open incidents by level and today's duty officer.
Enterprise users: their organisation's open incidents and the safety alerts their people have not
answered yet. Each part is a fixed number of aggregate queries.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs.accounts.roles import Role
from foreign_affairs.dashboard import Task, Tile

from .models import AlertRecipient, Incident, SendState
from .services.duty import duty_shift_on
from .workflow import OPEN_STATES, Level, State


def overseas_safety(user, dashboard) -> None:
    organization = user.enterprise
    if organization is not None:
        _enterprise(organization, dashboard)
    if user.has_role(Role.OFFICER) or user.has_role(Role.LEADER):
        _office(user, dashboard)


def queue_url(**params) -> str:
    return f"{reverse('admin:overseas_safety_incident_changelist')}?{urlencode(params)}"


def _office(user, dashboard) -> None:
    now = timezone.now()
    counts = Incident.objects.aggregate(
        waiting=Count("pk", filter=Q(state=State.REPORTED)),
        overdue=Count("pk", filter=Q(state=State.REPORTED, ack_due_at__lt=now)),
        **{
            f"level_{value}": Count("pk", filter=Q(state__in=OPEN_STATES, level=value))
            for value in Level.values
        },
    )
    if counts["overdue"]:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d incident abroad was not acknowledged in time.",
                    "%(count)d incidents abroad were not acknowledged in time.",
                    counts["overdue"],
                )
                % {"count": counts["overdue"]},
                queue_url(ack="overdue"),
                "danger",
            )
        )
    in_time = counts["waiting"] - counts["overdue"]
    if in_time and user.has_role(Role.OFFICER):
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d new incident abroad awaits acknowledgement.",
                    "%(count)d new incidents abroad await acknowledgement.",
                    in_time,
                )
                % {"count": in_time},
                queue_url(ack="unacknowledged"),
                "warning",
            )
        )
    open_total = sum(counts[f"level_{value}"] for value in Level.values)
    by_level = _("Level I %(I)d · II %(II)d · III %(III)d · IV %(IV)d") % {
        "I": counts[f"level_{Level.I}"],
        "II": counts[f"level_{Level.II}"],
        "III": counts[f"level_{Level.III}"],
        "IV": counts[f"level_{Level.IV}"],
    }
    dashboard.tiles.append(
        Tile(
            _("Open incidents abroad"),
            open_total,
            queue_url(state="open"),
            by_level,
        )
    )
    shift = duty_shift_on(timezone.localdate())
    roster = reverse("admin:overseas_safety_dutyshift_changelist")
    if shift is None:
        if user.has_role(Role.OFFICER):
            dashboard.tasks.append(
                Task(_("Nobody is on duty today: new incidents reach every officer."), roster, "warning")
            )
        dashboard.tiles.append(Tile(_("Duty officer today"), _("nobody"), roster))
        return
    dashboard.tiles.append(
        Tile(
            _("Duty officer today"),
            shift.officer.get_full_name() or shift.officer.username,
            roster,
            (_("Deputy: %(name)s") % {"name": shift.deputy.get_full_name() or shift.deputy.username})
            if shift.deputy
            else "",
        )
    )


def _enterprise(organization, dashboard) -> None:
    now = timezone.now()
    counts = Incident.objects.filter(organization=organization).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        waiting=Count("pk", filter=Q(state=State.REPORTED)),
    )
    unanswered = (
        AlertRecipient.objects.filter(organization=organization, answer="", alert__state=SendState.SENT)
        .filter(Q(alert__answers_expire_at__isnull=True) | Q(alert__answers_expire_at__gt=now))
        .count()
    )
    report_url = reverse("overseas_safety:incident_report")
    list_url = reverse("overseas_safety:incident_list")
    if unanswered:
        dashboard.tasks.append(
            Task(
                ngettext(
                    "%(count)d of your people abroad has not answered a safety alert yet.",
                    "%(count)d of your people abroad have not answered a safety alert yet.",
                    unanswered,
                )
                % {"count": unanswered},
                reverse("overseas_safety:alert_list"),
                "danger",
            )
        )
    dashboard.tiles.append(
        Tile(
            _("Open incidents abroad"),
            counts["open"],
            f"{list_url}?state=open" if counts["open"] else report_url,
            (
                ngettext(
                    "%(count)d not yet acknowledged by the office",
                    "%(count)d not yet acknowledged by the office",
                    counts["waiting"],
                )
                % {"count": counts["waiting"]}
                if counts["waiting"]
                else _("Something happened abroad? Report it at once.")
            ),
        )
    )
