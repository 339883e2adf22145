"""How foreign organisations (area 2) plug into the portal (foreign_affairs.areas): navigation, start page,
reports, demo data, the roles' permissions, the audit labels, the periodic jobs and the API's enums."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import areas
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.accounts.roles import Role

from . import dashboard, demo
from .models import CaseDocumentKind
from .personal_data import SOURCE as PERSONAL_DATA_SOURCE
from .reporting import REPORTS, foreign_offices_panels
from .workflow import (
    ACTION_LABELS,
    Authority,
    CaseState,
    ChangeKind,
    ChangeState,
    EnquirySource,
    OrganisationState,
    PresenceKind,
    ReportState,
)

# The members of a registered organisation (its account's users hold the enterprise roles) read their
# entry and file reports and change requests; services check the membership on every write.
_MEMBER = {
    "foreign_offices.view_foreignorganisation",
    "foreign_offices.view_annualreport",
    "foreign_offices.add_annualreport",
    "foreign_offices.view_changerequest",
    "foreign_offices.add_changerequest",
}
_OFFICE_READ = {
    "foreign_offices.view_setupcase",
    "foreign_offices.view_casenote",
    "foreign_offices.view_casedocument",
    "foreign_offices.view_foreignorganisation",
    "foreign_offices.view_fieldchange",
    "foreign_offices.view_annualreport",
    "foreign_offices.view_changerequest",
    "foreign_offices.view_reportingwindow",
    "foreign_offices.view_caseservicelevel",
}

areas.register(
    areas.Area(
        name="foreign_offices",
        title=_("Foreign organisations"),
        policy_area=2,
        nav=[
            areas.NavItem(
                pgettext_lazy("menu", "Our office"),
                "foreign_offices:my_office",
                "foreign",
                "/foreign-offices/my/",
                order=areas.NAV_WORK,
            ),
            areas.NavItem(
                pgettext_lazy("menu", "Set up"),
                "foreign_offices:guide",
                "anonymous",
                "/foreign-offices/",
                order=areas.NAV_PUBLIC + 2,
            ),
        ],
        links=[
            areas.ServiceLink(_("Set up an office in Zhengzhou"), "foreign_offices:guide"),
            areas.ServiceLink(_("Directory of foreign organisations in Henan"), "foreign_offices:directory"),
        ],
        start_page=[dashboard.foreign_offices],
        reports=REPORTS,
        panels=[foreign_offices_panels],
        demo=areas.DemoData(demo.seed, "foreign organisations and setting-up cases", order=40),
        permissions={
            Role.APPLICANT: _MEMBER,
            Role.LIAISON: _MEMBER,
            Role.OFFICER: {
                *_OFFICE_READ,
                "foreign_offices.add_setupcase",
                "foreign_offices.change_setupcase",
                "foreign_offices.add_casenote",
                "foreign_offices.add_casedocument",
                "foreign_offices.add_foreignorganisation",
                "foreign_offices.change_foreignorganisation",
                "foreign_offices.change_annualreport",
                "foreign_offices.change_changerequest",
                "foreign_offices.add_reportingwindow",
                "foreign_offices.change_reportingwindow",
                "foreign_offices.change_caseservicelevel",
            },
            Role.LEADER: _OFFICE_READ,
            Role.MANAGER: _OFFICE_READ,
        },
        audit_labels=ACTION_LABELS,
        periodic=[
            areas.PeriodicJob(
                "foreign-offices-report-reminders",
                "foreign_offices.send_report_reminders",
                crontab(hour=8, minute=20),
                "Daily at 08:20: organisations that owe the year's annual report are reminded before the due "
                "date and after it, each reminder once.",
            ),
            areas.PeriodicJob(
                "foreign-offices-enquirer-mail",
                "foreign_offices.retry_case_messages",
                crontab(minute="*/5"),
                "Every 5 minutes: e-mails to enquirers (who have no account) still unsent are sent again.",
            ),
        ],
        api_enums={
            "FtzAreaEnum": FTZArea,
            "SetupCaseStateEnum": CaseState,
            "ForeignOrganisationStateEnum": OrganisationState,
            "AnnualReportStateEnum": ReportState,
            "ChangeRequestStateEnum": ChangeState,
            "ChangeRequestKindEnum": ChangeKind,
            "PresenceKindEnum": PresenceKind,
            "RegisteringAuthorityEnum": Authority,
            "EnquirySourceEnum": EnquirySource,
            "CaseDocumentKindEnum": CaseDocumentKind,
        },
        personal_data=(PERSONAL_DATA_SOURCE,),
    )
)
