"""How cooperation projects (area 3) plug into the portal (foreign_affairs.areas): navigation, start page,
reports, demo data, the roles' permissions, the audit labels, the periodic jobs and the API's enums."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role

from . import dashboard, demo
from .industry_data import ensure_industries
from .models import ProjectDocumentKind
from .reporting import REPORTS, projects_panels
from .workflow import ACTION_LABELS, Channel, InterestState, Mode, Publication, Source, Stage

# The enterprises involved read their projects and leads, enter their own projects and change them while
# they are drafts; services check the membership on every write.
_ENTERPRISE = {
    "projects.view_cooperationproject",
    "projects.add_cooperationproject",
    "projects.change_cooperationproject",
    "projects.view_interest",
    "projects.view_projectdocument",
    "projects.add_projectdocument",
}
_OFFICE_READ = {
    "projects.view_cooperationproject",
    "projects.view_projectnote",
    "projects.view_projectdocument",
    "projects.view_interest",
    "projects.view_achievement",
    "projects.view_achievementimage",
    "projects.view_industry",
}

areas.register(
    areas.Area(
        name="projects",
        title=_("Cooperation projects"),
        policy_area=3,
        nav=[
            areas.NavItem(
                # "Projects" in the menu (a liaison's English menu must fit a laptop's width), "Our
                # projects" on the pages.
                pgettext_lazy("enterprise menu", "Projects"),
                "projects:our_list",
                "enterprise",
                "/projects/our/",
                order=areas.NAV_WORK + 6,
            ),
            # For visitors; enterprise users reach the catalogue from "Our projects" (their menu is full).
            areas.NavItem(
                pgettext_lazy("menu", "Projects"),
                "projects:catalogue",
                "anonymous",
                "/projects/",
                order=areas.NAV_PUBLIC + 3,
            ),
        ],
        links=[
            areas.ServiceLink(_("Cooperation projects of the free trade zone"), "projects:catalogue"),
            areas.ServiceLink(_("Development achievements"), "projects:achievements"),
        ],
        start_page=[dashboard.projects],
        reports=REPORTS,
        panels=[projects_panels],
        demo=areas.DemoData(demo.seed, "cooperation projects", order=50),
        permissions={
            Role.APPLICANT: _ENTERPRISE,
            Role.LIAISON: _ENTERPRISE,
            Role.OFFICER: {
                *_OFFICE_READ,
                "projects.add_cooperationproject",
                "projects.change_cooperationproject",
                "projects.add_projectnote",
                "projects.add_projectdocument",
                "projects.change_projectdocument",
                "projects.change_interest",
                "projects.add_achievement",
                "projects.change_achievement",
                "projects.add_achievementimage",
                "projects.add_industry",
                "projects.change_industry",
            },
            Role.LEADER: _OFFICE_READ,
            Role.MANAGER: _OFFICE_READ,
        },
        audit_labels=ACTION_LABELS,
        sitemaps=["projects:sitemap"],
        after_migrate=ensure_industries,
        periodic=[
            areas.PeriodicJob(
                "projects-visitor-mail",
                "projects.retry_interest_messages",
                crontab(minute="*/5"),
                "Every 5 minutes: acknowledgements to visitors who expressed interest (no account) still "
                "unsent are sent again.",
            ),
        ],
        api_enums={
            "ProjectChannelEnum": Channel,
            "CooperationModeEnum": Mode,
            "ProjectStageEnum": Stage,
            "PublicationEnum": Publication,
            "InterestStateEnum": InterestState,
            "ProjectSourceEnum": Source,
            "ProjectDocumentKindEnum": ProjectDocumentKind,
        },
    )
)
