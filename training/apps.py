from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        # The pre-departure rule of travel approval asks this area (approvals.hooks).
        from approvals import hooks

        from . import rule

        hooks.register_training_status(rule.training_status)
        hooks.register_training_enrolment_url(rule.enrolment_url)
