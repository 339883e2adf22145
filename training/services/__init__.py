"""Every change to training records goes through these functions (pages, back office, API, tasks, demo)."""

from .assessment import assessment_submit, may_take_assessment
from .attendance import check_in, code_for, code_is_current, mark, mark_many, online_record
from .certificates import certificate_failed, certificate_issue, certificate_render, certificate_revoke
from .enrolment import EnrolOutcome, enrol, enrol_people, enrol_self, enrolment_cancel, promote_waiting
from .reminders import send_reminders
from .sessions import course_save, session_cancel, session_create, session_update

__all__ = [
    "EnrolOutcome",
    "assessment_submit",
    "certificate_failed",
    "certificate_issue",
    "certificate_render",
    "certificate_revoke",
    "check_in",
    "code_for",
    "code_is_current",
    "course_save",
    "enrol",
    "enrol_people",
    "enrol_self",
    "enrolment_cancel",
    "mark",
    "mark_many",
    "may_take_assessment",
    "online_record",
    "promote_waiting",
    "send_reminders",
    "session_cancel",
    "session_create",
    "session_update",
]
