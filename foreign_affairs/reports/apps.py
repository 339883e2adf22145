from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "foreign_affairs.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from foreign_affairs.accounts.roles import Role, grant

        reader = {"reports.view_reportjob", "reports.add_reportjob"}
        grant({Role.MANAGER: reader, Role.OFFICER: reader, Role.LEADER: reader})
