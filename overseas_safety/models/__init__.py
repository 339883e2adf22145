from .alerts import AlertRecipient, Answer, RecipientSource, SafetyAlert, SendState
from .duty import DutyShift
from .incidents import (
    AffectedPerson,
    AttachmentKind,
    ChecklistStep,
    Counter,
    Incident,
    IncidentAttachment,
    TimelineEntry,
)
from .plans import EmergencyPlan, PlanStep
from .sites import Site, Stationing

__all__ = [
    "AffectedPerson",
    "AlertRecipient",
    "Answer",
    "AttachmentKind",
    "ChecklistStep",
    "Counter",
    "DutyShift",
    "EmergencyPlan",
    "Incident",
    "IncidentAttachment",
    "PlanStep",
    "RecipientSource",
    "SafetyAlert",
    "SendState",
    "Site",
    "Stationing",
    "TimelineEntry",
]
