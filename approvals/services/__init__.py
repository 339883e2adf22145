"""Writes to travel applications. Every path that changes an application — pages, back office, API,
commands, tasks — goes through these functions."""

from .custody import passport_hand_out, passport_return
from .derived import check_rules, next_reference, refresh_summary, save_derived, store_rule_results
from .editing import (
    APPLICATION_FIELDS,
    ATTACHMENT_DOCUMENT_KIND,
    application_create,
    application_update,
    attachment_add,
    attachment_remove,
    report_submit,
)
from .notices import close_ended_disclosures, disclosure_open
from .objections import objection_decide, objection_file
from .permits import (
    application_issue_permit,
    permit_failed,
    permit_issue,
    permit_retry,
    permit_revoke,
    report_due_days,
)
from .states import DEFAULT_SERVICE_LEVELS
from .transitions import (
    CONDITION_ERRORS,
    RULE_CHECKED,
    RULE_GATED,
    application_assign,
    application_transition,
    available_transitions,
)

__all__ = [
    "APPLICATION_FIELDS",
    "ATTACHMENT_DOCUMENT_KIND",
    "CONDITION_ERRORS",
    "DEFAULT_SERVICE_LEVELS",
    "RULE_CHECKED",
    "RULE_GATED",
    "application_assign",
    "application_create",
    "application_issue_permit",
    "application_transition",
    "application_update",
    "attachment_add",
    "attachment_remove",
    "available_transitions",
    "check_rules",
    "close_ended_disclosures",
    "disclosure_open",
    "next_reference",
    "objection_decide",
    "objection_file",
    "passport_hand_out",
    "passport_return",
    "permit_failed",
    "permit_issue",
    "permit_retry",
    "permit_revoke",
    "refresh_summary",
    "report_due_days",
    "report_submit",
    "save_derived",
    "store_rule_results",
]
