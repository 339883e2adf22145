"""Who is told what about cooperation projects. This module only declares; foreign_affairs.notifications
makes the notices, as in every area. A visitor who expressed interest (no account) is written to by
services.interest through the shared outbox."""

from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users, organization_users, with_substitutes
from foreign_affairs.notifications.transitions import RecordNotices

from .workflow import InterestState, Stage

PROJECT_HEADLINES = {
    "submitted": _("An enterprise entered a cooperation project"),
    "assign": _("A cooperation project was assigned to you"),
    "submit_for_review": _("A cooperation project was submitted for publication"),
    "publish": _("The cooperation project is published"),
    "return_to_draft": _("The cooperation project was returned to draft"),
    "archive": _("The cooperation project was archived"),
    "republish": _("The cooperation project is published again"),
}
INTEREST_HEADLINES = {
    "received": _("Someone expressed interest in a cooperation project"),
    "forward": _("A lead: someone is interested in your cooperation project"),
}

PROJECTS = RecordNotices(
    name="project",
    states=Stage,
    office_page="admin:projects_cooperationproject_change",
    enterprise_page="projects:our_detail",
    transition_template="projects/project",
    headlines=PROJECT_HEADLINES,
    key_prefix="cooperation-project",
)
INTERESTS = RecordNotices(
    name="interest",
    states=InterestState,
    office_page="admin:projects_interest_change",
    enterprise_page="projects:lead_detail",
    transition_template="projects/interest",
    headlines=INTEREST_HEADLINES,
    key_prefix="project-interest",
)


def _officers(owner=None) -> list:
    return with_substitutes([owner]) if owner is not None else with_substitutes(office_users(Role.OFFICER))


def _enterprise_people(project) -> list:
    people = []
    for organization_id in project.enterprises.values_list("pk", flat=True):
        people += list(organization_users(organization_id))
    return people


def _project_notice(project, people, headline, *, actor, comment="", key: str) -> None:
    PROJECTS.send(
        project,
        people,
        template="projects/project",
        context={
            "headline": headline,
            "state": project.get_publication_display(),
            "actor": actor,
            "comment": comment,
        },
        key=key,
        actor=actor,
    )


def project_submitted(project, *, actor) -> None:
    _project_notice(
        project,
        _officers(project.owner),
        PROJECT_HEADLINES["submitted"],
        actor=actor,
        key=f"cooperation-project:{project.pk}:submitted",
    )


def project_assigned(project, *, actor) -> None:
    _project_notice(
        project,
        [project.owner],
        PROJECT_HEADLINES["assign"],
        actor=actor,
        key=f"cooperation-project-assign:{project.pk}:{project.owner_id}:{project.updated_at.isoformat()}",
    )


def project_publication_done(project, name: str, *, actor, comment: str) -> None:
    """The enterprises involved hear what the office did to their project; the owner hears of a project
    submitted for review."""
    if name == "submit_for_review" and not (actor is not None and actor.is_office_staff):
        people = _officers(project.owner)
    elif name != "submit_for_review":
        people = _enterprise_people(project)
    else:
        return
    _project_notice(
        project,
        people,
        PROJECT_HEADLINES[name],
        actor=actor,
        comment=comment,
        key=f"cooperation-project:{project.pk}:{name}:{project.updated_at.isoformat()}",
    )


def interest_received(interest) -> None:
    project = interest.project
    INTERESTS.send(
        interest,
        _officers(project.owner),
        template="projects/interest",
        context={
            "headline": INTEREST_HEADLINES["received"],
            "project": project,
            "comment": "",
            "actor": None,
        },
        key=f"project-interest:{interest.pk}:received",
    )


def interest_forwarded(interest, *, actor, comment: str) -> None:
    project = interest.project
    INTERESTS.send(
        interest,
        _enterprise_people(project),
        template="projects/interest",
        context={
            "headline": INTEREST_HEADLINES["forward"],
            "project": project,
            "comment": comment,
            "actor": actor,
        },
        key=f"project-interest:{interest.pk}:forward",
        actor=actor,
    )
