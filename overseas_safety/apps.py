from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverseasSafetyConfig(AppConfig):
    name = "overseas_safety"
    verbose_name = _("Overseas safety")
