from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "foreign_affairs.privacy"
    label = "privacy"
    verbose_name = _("Personal information")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 (registers the checks)
        from .retention import rules_create_missing

        # Every kind of record (the shared ones and the areas') has its retention rule after a migrate.
        post_migrate.connect(rules_create_missing, sender=self, dispatch_uid="privacy.retention_rules")
