"""How travel applications plug into the portal (foreign_affairs.areas): the pages in the navigation,
the start page, reports, demo data, permit verification, the roles' permissions, the audit labels and
the periodic jobs."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role

from . import demo
from .dashboard import travel_applications
from .models import AttachmentKind, DisclosureKind
from .personal_data import SOURCE as PERSONAL_DATA_SOURCE
from .reporting import REPORTS, travel_panels
from .retention import RETENTION
from .verification import permit_verification
from .workflow import ACTION_LABELS, State

_ENTERPRISE = {
    "approvals.view_travelapplication",
    "approvals.add_travelapplication",
    "approvals.change_travelapplication",
}
_OFFICE_READ = {
    "approvals.view_travelapplication",
    "approvals.view_rulesetting",
    "approvals.view_servicelevel",
    "approvals.view_permit",
    "approvals.view_disclosure",
    "approvals.view_objection",
    "approvals.view_passporthandover",
}

areas.register(
    areas.Area(
        name="approvals",
        title=_("Travel abroad on official business"),
        policy_area=1,
        nav=[
            areas.NavItem(
                _("Applications"), "approvals:list", "enterprise", "/applications/", order=areas.NAV_WORK
            ),
            areas.NavItem(
                _("To endorse"),
                "approvals:endorsements",
                "liaison",
                "/applications/endorsements/",
                order=areas.NAV_WORK + 1,
            ),
            areas.NavItem(
                _("Passports"),
                "approvals:passports",
                "enterprise",
                "/applications/passports/",
                order=areas.NAV_WORK + 2,
            ),
            areas.NavItem(_("Public notices"), "notices:list", "all", "/notices/", order=areas.NAV_PUBLIC),
        ],
        links=[
            areas.ServiceLink(_("Travel applications"), "approvals:list"),
            areas.ServiceLink(_("Public notices"), "notices:list"),
        ],
        start_page=[travel_applications],
        reports=REPORTS,
        panels=[travel_panels],
        demo=areas.DemoData(demo.seed, "travel applications", order=10),
        verification=[areas.VerificationKind("permit", permit_verification)],
        permissions={
            Role.APPLICANT: _ENTERPRISE,
            Role.LIAISON: _ENTERPRISE,
            Role.OFFICER: {
                *_OFFICE_READ,
                "approvals.change_travelapplication",
                "approvals.change_rulesetting",
                "approvals.change_servicelevel",
            },
            Role.LEADER: {*_OFFICE_READ, "approvals.change_travelapplication"},
            Role.MANAGER: {"approvals.view_travelapplication"},
        },
        audit_labels=ACTION_LABELS,
        periodic=[
            areas.PeriodicJob(
                "approvals-send-reminders",
                "approvals.send_reminders",
                crontab(hour=9, minute=0),
                "Daily at 09:00: remind whoever must act on applications past their service-level deadline, "
                "and the leaders when one stays overdue; post-trip reports and passports due or overdue "
                "(each reminder once).",
            ),
            areas.PeriodicJob(
                "approvals-close-disclosures",
                "approvals.close_disclosures",
                crontab(minute=5),
                "Hourly: public notices past their last working day close; approved trips then get their "
                "permit.",
            ),
        ],
        api_enums={
            "AttachmentKindEnum": AttachmentKind,
            "DisclosureKindEnum": DisclosureKind,
            "TravelApplicationStateEnum": State,
        },
        retention=RETENTION,
        personal_data=(PERSONAL_DATA_SOURCE,),
    )
)
