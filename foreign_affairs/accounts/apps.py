from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "foreign_affairs.accounts"
    label = "accounts"
    verbose_name = _("Organisations and accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import throttling  # noqa: F401 - connects the failed sign-in counter
        from .roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="accounts.sync_roles")
