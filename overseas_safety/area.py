"""How overseas safety (area 2) plugs into the portal (foreign_affairs.areas): navigation, start page,
reports, demo data, the roles' permissions, the audit labels, the periodic jobs and the API's enums."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role

from . import dashboard, demo
from .models import AttachmentKind
from .personal_data import SOURCE as PERSONAL_DATA_SOURCE
from .reporting import REPORTS, safety_panels
from .workflow import ACTION_LABELS, IncidentKind, Level, PersonStatus, SiteKind, Source, State

_ENTERPRISE = {
    "overseas_safety.view_site",
    "overseas_safety.view_stationing",
    "overseas_safety.view_incident",
    "overseas_safety.add_incident",
}
# The liaison keeps the organisation's sites and stationed staff current (services.sites checks it too).
_LIAISON = {
    *_ENTERPRISE,
    "overseas_safety.add_site",
    "overseas_safety.change_site",
    "overseas_safety.add_stationing",
    "overseas_safety.change_stationing",
}
_OFFICE_READ = {
    "overseas_safety.view_site",
    "overseas_safety.view_stationing",
    "overseas_safety.view_incident",
    "overseas_safety.view_dutyshift",
    "overseas_safety.view_emergencyplan",
    "overseas_safety.view_safetyalert",
}

areas.register(
    areas.Area(
        name="overseas_safety",
        title=_("Overseas safety"),
        policy_area=2,
        # The enterprises' and the office's (not the foreign organisations' offices in Henan).
        nav=[
            areas.NavItem(
                pgettext_lazy("menu", "Safety"),
                "overseas_safety:home",
                audience,
                "/safety/",
                order=areas.NAV_WORK + 5,
            )
            for audience in ("enterprise", "office")
        ],
        links=[
            areas.ServiceLink(_("Report an incident abroad"), "overseas_safety:incident_report"),
            areas.ServiceLink(_("Overseas sites and stationed staff"), "overseas_safety:site_list"),
        ],
        start_page=[dashboard.overseas_safety],
        reports=REPORTS,
        panels=[safety_panels],
        demo=areas.DemoData(demo.seed, "overseas-safety incidents", order=30),
        permissions={
            Role.APPLICANT: _ENTERPRISE,
            Role.LIAISON: _LIAISON,
            Role.OFFICER: {
                *_OFFICE_READ,
                "overseas_safety.add_incident",
                "overseas_safety.change_incident",
                "overseas_safety.change_site",
                "overseas_safety.change_stationing",
                "overseas_safety.add_dutyshift",
                "overseas_safety.change_dutyshift",
                "overseas_safety.delete_dutyshift",
                "overseas_safety.add_emergencyplan",
                "overseas_safety.change_emergencyplan",
                "overseas_safety.add_safetyalert",
                "overseas_safety.change_safetyalert",
            },
            Role.LEADER: _OFFICE_READ,
            Role.MANAGER: _OFFICE_READ,
        },
        audit_labels=ACTION_LABELS,
        periodic=[
            areas.PeriodicJob(
                "overseas-safety-escalate",
                "overseas_safety.escalate_unacknowledged",
                crontab(minute="*"),
                "Every minute: incidents not acknowledged in time (levels I–II: 30 minutes; III–IV: 4 working "
                "hours) are escalated to the leaders, each once.",
            ),
        ],
        api_enums={
            "IncidentStateEnum": State,
            "IncidentKindEnum": IncidentKind,
            "IncidentLevelEnum": Level,
            "PersonStatusEnum": PersonStatus,
            "SiteKindEnum": SiteKind,
            "IncidentAttachmentKindEnum": AttachmentKind,
            "IncidentSourceEnum": Source,
        },
        personal_data=(PERSONAL_DATA_SOURCE,),
    )
)
