"""Writes to travel applications. Every path that changes an application — pages, back office, API,
commands, tasks — goes through these functions."""

from .derived import check_rules, next_reference, refresh_summary, save_derived, store_rule_results
from .editing import (
    APPLICATION_FIELDS,
    ATTACHMENT_DOCUMENT_KIND,
    application_create,
    application_update,
    attachment_add,
    attachment_remove,
)
from .transitions import (
    CONDITION_ERRORS,
    DEFAULT_SERVICE_LEVELS,
    RULE_CHECKED,
    RULE_GATED,
    application_assign,
    application_issue_permit,
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
    "next_reference",
    "refresh_summary",
    "save_derived",
    "store_rule_results",
]
