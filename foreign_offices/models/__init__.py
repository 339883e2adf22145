from .cases import CaseDocument, CaseDocumentKind, CaseMessage, CaseNote, CaseServiceLevel, Counter, SetupCase
from .changes import ChangeRequest
from .registry import TRACKED_FIELDS, FieldChange, ForeignOrganisation
from .reports import AnnualReport, ReportingWindow, ReportReminder

__all__ = [
    "TRACKED_FIELDS",
    "AnnualReport",
    "CaseDocument",
    "CaseDocumentKind",
    "CaseMessage",
    "CaseNote",
    "CaseServiceLevel",
    "ChangeRequest",
    "Counter",
    "FieldChange",
    "ForeignOrganisation",
    "ReportReminder",
    "ReportingWindow",
    "SetupCase",
]
