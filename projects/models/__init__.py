from .achievements import Achievement, AchievementImage
from .interest import Interest, InterestMessage
from .projects import (
    CURRENCIES,
    CooperationProject,
    Counter,
    ProjectDocument,
    ProjectDocumentKind,
    ProjectNote,
)
from .taxonomy import Industry

__all__ = [
    "CURRENCIES",
    "Achievement",
    "AchievementImage",
    "CooperationProject",
    "Counter",
    "Industry",
    "Interest",
    "InterestMessage",
    "ProjectDocument",
    "ProjectDocumentKind",
    "ProjectNote",
]
