from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Travel abroad on official business")

    def ready(self):
        from foreign_affairs.accounts.roles import Role, grant
        from foreign_affairs.audit.labels import register
        from foreign_affairs.documents.verification import register as register_verification

        from . import dashboard  # noqa: F401 - registers the dashboard providers
        from .verification import permit_verification
        from .workflow import ACTION_LABELS

        register_verification(permit_verification)
        from foreign_affairs.reports.registry import register_panel, register_report

        from .reporting import REPORTS, travel_panels

        for definition in REPORTS:
            register_report(definition)
        register_panel(travel_panels)

        register(ACTION_LABELS)
        enterprise = {
            "approvals.view_travelapplication",
            "approvals.add_travelapplication",
            "approvals.change_travelapplication",
        }
        office_read = {
            "approvals.view_travelapplication",
            "approvals.view_rulesetting",
            "approvals.view_servicelevel",
            "workdays.view_calendarday",
            "security.view_countryadvisory",
            "accounts.view_substitution",
            "accounts.add_substitution",
            "accounts.change_substitution",
            "approvals.view_permit",
            "approvals.view_disclosure",
            "approvals.view_objection",
            "approvals.view_passporthandover",
        }
        grant(
            {
                Role.APPLICANT: enterprise,
                Role.LIAISON: enterprise,
                Role.OFFICER: office_read
                | {
                    "approvals.change_travelapplication",
                    "approvals.change_rulesetting",
                    "approvals.change_servicelevel",
                    "workdays.add_calendarday",
                    "workdays.change_calendarday",
                    "workdays.delete_calendarday",
                    "security.add_countryadvisory",
                    "security.change_countryadvisory",
                },
                Role.LEADER: office_read | {"approvals.change_travelapplication"},
                Role.MANAGER: {"approvals.view_travelapplication"},
            }
        )
