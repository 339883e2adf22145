"""Forms of the enterprise pages of travel applications.

The application form is one page: the application's own fields, the itinerary and the delegation as
two formsets (rows added and removed in place), bundled by ApplicationEditor, which also turns what
was typed — valid or not — into the arguments of the services and into a rules.TripDraft for the live
rule check.
"""

from .actions import AttachmentForm, ReportForm
from .after_approval import HandOutForm, NoticeFilterForm, ObjectionForm, ReturnForm
from .editor import ApplicationEditor
from .sections import (
    ApplicationForm,
    LegForm,
    LegFormSet,
    MemberForm,
    MemberFormSet,
    RowFormSet,
    country_choices,
    person_label,
)

__all__ = [
    "ApplicationEditor",
    "ApplicationForm",
    "AttachmentForm",
    "HandOutForm",
    "LegForm",
    "LegFormSet",
    "MemberForm",
    "MemberFormSet",
    "NoticeFilterForm",
    "ObjectionForm",
    "ReportForm",
    "ReturnForm",
    "RowFormSet",
    "country_choices",
    "person_label",
]
