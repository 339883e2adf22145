"""Expressions of interest (合作意向): a visitor without an account writes about a published project; the
project's owner officer forwards the lead to the enterprises involved with one action, or closes it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict
from foreign_affairs.notifications import outbox

from .. import notifying
from ..models import CooperationProject, Interest, InterestMessage
from ..workflow import INTEREST_TRANSITIONS, Publication

FIELDS = ("name", "organisation", "country", "email", "phone", "message")
MESSAGE_MAX = 3000
CONDITION_ERRORS = {
    "has_enterprise": (
        "no_enterprise",
        gettext_lazy(
            "No enterprise of the free trade zone is involved in this project yet; add one to the project first."
        ),
    )
}


def interest_express(*, project: CooperationProject, data: dict, language: str = "en") -> Interest:
    """Record a visitor's interest in a published project (the boundary limits the rate and checks the
    honeypot): the owner officer is told, the visitor gets an acknowledgement by e-mail in the language
    they wrote in. ValidationError, nothing stored, for missing or bad fields; StateConflict for a project
    that is not published."""
    interest = Interest(project=project, language=language if language in ("en", "zh-hans") else "en")
    for field in FIELDS:
        value = data.get(field, "")
        setattr(interest, field, value.strip() if isinstance(value, str) else (value or ""))
    errors = {}
    if len(interest.message) > MESSAGE_MAX:
        errors["message"] = [_("Write at most %(max)s characters.") % {"max": f"{MESSAGE_MAX:,}"}]
    try:
        interest.full_clean(exclude=["project", "state", "forwarded_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = CooperationProject.objects.select_for_update().get(pk=project.pk)
        if project.publication != Publication.PUBLISHED:
            raise StateConflict(
                _("This project is not published; interest can be expressed only in published projects."),
                state=project.publication,
                available=[],
            )
        interest.project = project
        interest.save()
        record_event(
            actor=None,
            action="project_interest.express",
            obj=interest,
            to_state=interest.state,
            data={"project": project.reference, "country": interest.country.code},
        )
        outbox.write(
            InterestMessage,
            key=f"interest:{interest.pk}:received",
            to=interest.email,
            language=interest.language,
            template="notifications/projects/interest_received",
            context={"interest": interest, "project": project},
            task="projects.deliver_interest_message",
            interest=interest,
        )
        notifying.interest_received(interest)
    return interest


def interest_run(*, interest: Interest, actor, name: str, comment: str = "") -> Interest:
    """`forward` the lead to the enterprises involved (who are told and see it among their leads), or
    `close` it with a reason (spam, no match)."""
    with transaction.atomic():
        interest = Interest.objects.select_for_update().select_related("project").get(pk=interest.pk)
        comment = fsm.check_transition(
            interest,
            actor,
            name,
            info=INTEREST_TRANSITIONS,
            condition_errors=CONDITION_ERRORS,
            comment=comment,
        )
        from_state = interest.state
        getattr(interest, name)()
        if name == "forward":
            interest.forwarded_by = actor
        interest.save()
        record_event(
            actor=actor,
            action=f"project_interest.{name}",
            obj=interest,
            from_state=from_state,
            to_state=interest.state,
            comment=comment,
        )
        if name == "forward":
            notifying.interest_forwarded(interest, actor=actor, comment=comment)
    return interest


def deliver(message_id: int) -> bool:
    return outbox.deliver(InterestMessage, message_id)


def deliver_pending() -> int:
    return outbox.deliver_pending(InterestMessage)
