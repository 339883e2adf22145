"""The API of cooperation projects, under /api/v1/projects/ (foreign_affairs.urls registers ROUTES as
`projects/<prefix>`, and the empty prefix as `projects` itself).

The projects' own routes come last, so that `/api/v1/projects/achievements/` is never read as a project's
id (their ids are digits only besides)."""

from .achievements import AchievementViewSet
from .industries import IndustryViewSet
from .interests import InterestViewSet
from .projects import ProjectViewSet

ROUTES = [
    ("achievements", AchievementViewSet, "project-achievement"),
    ("interests", InterestViewSet, "project-interest"),
    ("industries", IndustryViewSet, "project-industry"),
    ("", ProjectViewSet, "project"),
]
