"""Enterprise pages of travel applications: the list, the one-page form with its live rule check, the
detail page with its timeline and actions, attachments, transitions, and the liaison's endorsements;
after approval the permit download, passport custody (custody.py) and the public notices (notices.py,
mounted at /notices/ by approvals.notices_urls).

Every write goes through approvals.services; the pages only turn its errors into messages beside the
fields (ValidationError), in the error summary (RulesFailed) or as a plain explanation (PermissionDenied,
StateConflict), keeping whatever was typed.
"""

from .custody import passport_hand_out, passport_return, passports
from .detail import application_detail, permit_download, transition
from .editing import application_create, application_update, attachment_add, attachment_remove, precheck
from .pages import application_list, endorsements

__all__ = [
    "application_create",
    "application_detail",
    "application_list",
    "application_update",
    "attachment_add",
    "attachment_remove",
    "endorsements",
    "passport_hand_out",
    "passport_return",
    "passports",
    "permit_download",
    "precheck",
    "transition",
]
