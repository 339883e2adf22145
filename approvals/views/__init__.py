"""Enterprise pages of travel applications: the list, the one-page form with its live rule check, the
detail page with its timeline and actions, attachments, transitions, and the liaison's endorsements.

Every write goes through approvals.services; the pages only turn its errors into messages beside the
fields (ValidationError), in the error summary (RulesFailed) or as a plain explanation (PermissionDenied,
StateConflict), keeping whatever was typed.
"""

from .detail import application_detail, transition
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
    "precheck",
    "transition",
]
