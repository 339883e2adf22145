"""The data of area 1's travel journey."""

from .application import (
    Attachment,
    AttachmentKind,
    Currency,
    DelegationMember,
    FundingSource,
    ItineraryLeg,
    MissionType,
    SignOffQueue,
    TravelApplication,
)
from .configuration import ReferenceCounter, RuleSetting, ServiceLevel, Severity
from .counts import ApplicationCount
from .history import StatePeriod
from .permits import (
    Disclosure,
    DisclosureKind,
    DisclosureOutcome,
    Objection,
    ObjectionStatus,
    PassportHandover,
    Permit,
    PermitStatus,
)
from .summary import ALL_AREAS, Grain, Metric, TravelSummary

__all__ = [
    "ALL_AREAS",
    "ApplicationCount",
    "Attachment",
    "AttachmentKind",
    "Currency",
    "DelegationMember",
    "Disclosure",
    "DisclosureKind",
    "DisclosureOutcome",
    "FundingSource",
    "Grain",
    "ItineraryLeg",
    "Metric",
    "MissionType",
    "Objection",
    "ObjectionStatus",
    "PassportHandover",
    "Permit",
    "PermitStatus",
    "ReferenceCounter",
    "RuleSetting",
    "ServiceLevel",
    "Severity",
    "SignOffQueue",
    "StatePeriod",
    "TravelApplication",
    "TravelSummary",
]
