from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForeignOfficesConfig(AppConfig):
    name = "foreign_offices"
    verbose_name = _("Foreign organisations")
