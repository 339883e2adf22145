from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApecCardsConfig(AppConfig):
    name = "apec_cards"
    verbose_name = _("APEC Business Travel Cards")
