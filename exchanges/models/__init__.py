from .activities import (
    Activity,
    ActivityDocument,
    ActivityDocumentKind,
    AgendaItem,
    Agreement,
    AgreementKind,
    ChecklistItem,
    ChecklistKind,
    Coverage,
    FollowUp,
)
from .cities import FriendshipAgreement, FriendshipCity, RelationshipKind
from .common import Counter
from .contacts import AccessDoor, ConsentBasis, ContactAccess, OverseasContact, consent_recorded_q
from .media import MediaMessage, MediaRequest

__all__ = [
    "AccessDoor",
    "Activity",
    "ActivityDocument",
    "ActivityDocumentKind",
    "AgendaItem",
    "Agreement",
    "AgreementKind",
    "ChecklistItem",
    "ChecklistKind",
    "ConsentBasis",
    "ContactAccess",
    "Counter",
    "Coverage",
    "FollowUp",
    "FriendshipAgreement",
    "FriendshipCity",
    "MediaMessage",
    "MediaRequest",
    "OverseasContact",
    "RelationshipKind",
    "consent_recorded_q",
]
