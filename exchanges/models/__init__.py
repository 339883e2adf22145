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
from .contacts import AccessDoor, ContactAccess, OverseasContact
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
]
