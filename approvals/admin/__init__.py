"""Back office of travel applications: the officers' queue, the leaders' sign-off queue, and the
rules and service levels the office configures."""

from .config import RuleSettingAdmin, ServiceLevelAdmin
from .queue import SignOffQueueAdmin, TravelApplicationAdmin

__all__ = ["RuleSettingAdmin", "ServiceLevelAdmin", "SignOffQueueAdmin", "TravelApplicationAdmin"]
