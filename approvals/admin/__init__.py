"""Back office of travel applications: the officers' queue, the leaders' sign-off queue, the rules and
service levels the office configures, and what follows approval (permits, public notices and their
objections, the passport custody ledger)."""

from .config import RuleSettingAdmin, ServiceLevelAdmin
from .permits import DisclosureAdmin, ObjectionAdmin, PassportHandoverAdmin, PermitAdmin
from .queue import SignOffQueueAdmin, TravelApplicationAdmin

__all__ = [
    "DisclosureAdmin",
    "ObjectionAdmin",
    "PassportHandoverAdmin",
    "PermitAdmin",
    "RuleSettingAdmin",
    "ServiceLevelAdmin",
    "SignOffQueueAdmin",
    "TravelApplicationAdmin",
]
