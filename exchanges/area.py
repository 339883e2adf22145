"""How international exchanges (area 4) plug into the portal (foreign_affairs.areas): navigation, start
page, reports, demo data, the roles' permissions, the audit labels, the periodic jobs and the API's enums."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role

from . import dashboard, demo
from .health import Health
from .models import ActivityDocumentKind, AgreementKind, ChecklistKind, RelationshipKind
from .reporting import REPORTS, exchanges_panels
from .retention import RETENTION
from .workflow import ACTION_LABELS, Direction, Focus, Kind, MediaState, ProtocolRank, State

_OFFICE_READ = {
    "exchanges.view_activity",
    "exchanges.view_agendaitem",
    "exchanges.view_checklistitem",
    "exchanges.view_activitydocument",
    "exchanges.view_agreement",
    "exchanges.view_followup",
    "exchanges.view_coverage",
    "exchanges.view_mediarequest",
    "exchanges.view_friendshipcity",
    "exchanges.view_friendshipagreement",
    "exchanges.view_overseascontact",
    "exchanges.view_contactaccess",
}
# The enterprises an activity visits read it (from approval on); services check the membership.
_ENTERPRISE = {"exchanges.view_activity"}

areas.register(
    areas.Area(
        name="exchanges",
        title=_("International exchanges"),
        policy_area=4,
        nav=[
            areas.NavItem(
                pgettext_lazy("menu", "Exchanges"),
                "exchanges:calendar",
                "anonymous",
                "/exchanges/",
                order=areas.NAV_PUBLIC + 4,
            ),
        ],
        links=[
            areas.ServiceLink(_("Calendar of international exchanges"), "exchanges:calendar"),
            areas.ServiceLink(_("Friendship cities of Henan"), "exchanges:cities"),
            areas.ServiceLink(_("Interview requests from foreign media"), "exchanges:media_request"),
        ],
        start_page=[dashboard.exchanges],
        reports=REPORTS,
        panels=[exchanges_panels],
        demo=areas.DemoData(demo.seed, "exchange activities", order=60),
        permissions={
            Role.APPLICANT: _ENTERPRISE,
            Role.LIAISON: _ENTERPRISE,
            Role.OFFICER: {
                *_OFFICE_READ,
                "exchanges.add_activity",
                "exchanges.change_activity",
                "exchanges.change_agendaitem",
                "exchanges.change_checklistitem",
                "exchanges.add_activitydocument",
                "exchanges.add_agreement",
                "exchanges.add_followup",
                "exchanges.change_followup",
                "exchanges.add_coverage",
                "exchanges.change_mediarequest",
                "exchanges.add_friendshipcity",
                "exchanges.change_friendshipcity",
                "exchanges.add_friendshipagreement",
                "exchanges.add_overseascontact",
                "exchanges.change_overseascontact",
            },
            Role.LEADER: {*_OFFICE_READ, "exchanges.change_activity"},
            Role.MANAGER: _OFFICE_READ,
        },
        audit_labels=ACTION_LABELS,
        sitemaps=["exchanges:sitemap"],
        periodic=[
            areas.PeriodicJob(
                "exchanges-journalist-mail",
                "exchanges.retry_media_messages",
                crontab(minute="*/5"),
                "Every 5 minutes: e-mails to foreign journalists (no account) still unsent are sent again.",
            ),
        ],
        api_enums={
            "ExchangeKindEnum": Kind,
            "ExchangeDirectionEnum": Direction,
            "ExchangeFocusEnum": Focus,
            "ProtocolRankEnum": ProtocolRank,
            "ActivityStateEnum": State,
            "MediaRequestStateEnum": MediaState,
            "FriendshipHealthEnum": Health,
            "RelationshipKindEnum": RelationshipKind,
            "ChecklistKindEnum": ChecklistKind,
            "AgreementKindEnum": AgreementKind,
            "ActivityDocumentKindEnum": ActivityDocumentKind,
        },
        retention=RETENTION,
    )
)
