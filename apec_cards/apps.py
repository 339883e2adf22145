from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApecCardsConfig(AppConfig):
    name = "apec_cards"
    verbose_name = _("APEC Business Travel Cards")

    def ready(self):
        from django.db.models.signals import post_migrate

        from foreign_affairs.accounts.roles import Role, grant
        from foreign_affairs.audit.labels import register
        from foreign_affairs.documents.verification import register as register_verification

        from . import dashboard  # noqa: F401 - registers the dashboard providers
        from .economy_data import ensure_after_migrate
        from .verification import card_verification
        from .workflow import ACTION_LABELS

        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="apec_cards.economies")
        register(ACTION_LABELS)
        from foreign_affairs.reports.registry import register_panel, register_report

        from .reporting import REPORTS, apec_panels

        for definition in REPORTS:
            register_report(definition)
        register_panel(apec_panels)
        register_verification(card_verification)
        enterprise = {
            "apec_cards.view_cardapplication",
            "apec_cards.add_cardapplication",
            "apec_cards.change_cardapplication",
            "apec_cards.view_card",
            "apec_cards.view_economy",
        }
        office_read = {
            "apec_cards.view_cardapplication",
            "apec_cards.view_card",
            "apec_cards.view_economy",
            "apec_cards.view_preclearance",
        }
        grant(
            {
                Role.APPLICANT: enterprise,
                Role.LIAISON: enterprise,
                Role.OFFICER: office_read
                | {
                    "apec_cards.change_cardapplication",
                    "apec_cards.change_card",
                    "apec_cards.change_preclearance",
                    "apec_cards.change_economy",
                },
                Role.LEADER: office_read,
                Role.MANAGER: {"apec_cards.view_cardapplication", "apec_cards.view_card"},
            }
        )
