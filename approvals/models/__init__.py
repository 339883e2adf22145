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

__all__ = [
    "Attachment",
    "AttachmentKind",
    "Currency",
    "DelegationMember",
    "Disclosure",
    "DisclosureKind",
    "DisclosureOutcome",
    "FundingSource",
    "ItineraryLeg",
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
]
