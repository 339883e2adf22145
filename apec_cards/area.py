"""How APEC Business Travel Cards plug into the portal (foreign_affairs.areas): the guide in the
navigation, the start page, reports, demo data, decision-letter verification, the roles' permissions,
the audit labels, the periodic jobs and the economies kept after every migrate."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from foreign_affairs import areas
from foreign_affairs.accounts.roles import Role

from . import demo
from .dashboard import apec_cards
from .economy_data import ensure_after_migrate
from .models import AttachmentKind
from .personal_data import SOURCE as PERSONAL_DATA_SOURCE
from .reporting import REPORTS, apec_panels
from .retention import RETENTION
from .verification import card_verification
from .workflow import ACTION_LABELS, CardState, Kind, State

_ENTERPRISE = {
    "apec_cards.view_cardapplication",
    "apec_cards.add_cardapplication",
    "apec_cards.change_cardapplication",
    "apec_cards.view_card",
    "apec_cards.view_economy",
}
_OFFICE_READ = {
    "apec_cards.view_cardapplication",
    "apec_cards.view_card",
    "apec_cards.view_economy",
    "apec_cards.view_preclearance",
}

areas.register(
    areas.Area(
        name="apec_cards",
        title=_("APEC Business Travel Cards"),
        policy_area=1,
        nav=[areas.NavItem(_("APEC cards"), "apec_cards:guide", "all", "/apec/", order=areas.NAV_PUBLIC + 1)],
        links=[areas.ServiceLink(_("APEC Business Travel Card applications"), "apec_cards:guide")],
        start_page=[apec_cards],
        reports=REPORTS,
        panels=[apec_panels],
        demo=areas.DemoData(demo.seed, "APEC card applications", order=20),
        verification=[areas.VerificationKind("apec_card_letter", card_verification)],
        permissions={
            Role.APPLICANT: _ENTERPRISE,
            Role.LIAISON: _ENTERPRISE,
            Role.OFFICER: {
                *_OFFICE_READ,
                "apec_cards.change_cardapplication",
                "apec_cards.change_card",
                "apec_cards.change_preclearance",
                "apec_cards.change_economy",
            },
            Role.LEADER: _OFFICE_READ,
            Role.MANAGER: {"apec_cards.view_cardapplication", "apec_cards.view_card"},
        },
        audit_labels=ACTION_LABELS,
        periodic=[
            areas.PeriodicJob(
                "apec-cards-expire",
                "apec_cards.expire_cards",
                crontab(hour=0, minute=10),
                "Daily at 00:10: cards past their expiry date expire.",
            ),
            areas.PeriodicJob(
                "apec-cards-remind",
                "apec_cards.send_expiry_reminders",
                crontab(hour=9, minute=10),
                "Daily at 09:10: holders are reminded six months and one month before expiry (each "
                "reminder once per card).",
            ),
        ],
        api_enums={
            "CardApplicationStateEnum": State,
            "CardStateEnum": CardState,
            "CardApplicationKindEnum": Kind,
            "CardAttachmentKindEnum": AttachmentKind,
        },
        after_migrate=ensure_after_migrate,
        retention=RETENTION,
        personal_data=(PERSONAL_DATA_SOURCE,),
    )
)
