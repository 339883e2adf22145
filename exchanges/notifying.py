"""Who is told what about exchanges. This module only declares; foreign_affairs.notifications makes the
notices, as in every area. A journalist (no account) is written to through the area's outbox."""

from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import office_users, organization_users, with_substitutes
from foreign_affairs.notifications import outbox
from foreign_affairs.notifications.transitions import RecordNotices

from .workflow import MediaState, State

ACTIVITY_HEADLINES = {
    "proposed": _("An exchange activity awaits your approval"),
    "approve": _("The exchange activity was approved"),
    "confirm": _("The exchange activity is confirmed"),
    "hold": _("The exchange activity was held"),
    "report": _("The outcomes of the exchange activity were reported"),
    "close": _("The exchange activity was closed"),
    "postpone": _("The exchange activity was postponed"),
    "resume": _("The exchange activity was taken up again and awaits approval"),
    "cancel": _("The exchange activity was cancelled"),
    "checklist": _("A reception task was assigned to you"),
    "follow_up": _("A follow-up task was assigned to you"),
}
MEDIA_HEADLINES = {
    "received": _("A foreign journalist asked for an interview"),
    "arrange": _("The interview was arranged"),
    "hold": _("The interview was held"),
    "close": _("The interview request was closed"),
    "decline": _("The interview request was declined"),
}
# What the enterprises an activity visits hear (they see it from approval on).
ENTERPRISE_TOLD = {"confirm", "postpone", "cancel"}

ACTIVITIES = RecordNotices(
    name="activity",
    states=State,
    office_page="admin:exchanges_activity_change",
    enterprise_page="exchanges:visit_detail",
    transition_template="exchanges/activity",
    headlines=ACTIVITY_HEADLINES,
    key_prefix="exchange-activity",
)
MEDIA = RecordNotices(
    name="media_request",
    states=MediaState,
    office_page="admin:exchanges_mediarequest_change",
    enterprise_page="admin:exchanges_mediarequest_change",
    transition_template="exchanges/media_request",
    headlines=MEDIA_HEADLINES,
    key_prefix="media-request",
)


def _leaders() -> list:
    return with_substitutes(office_users(Role.LEADER))


def _owner(activity) -> list:
    return (
        with_substitutes([activity.owner])
        if activity.owner_id
        else with_substitutes(office_users(Role.OFFICER))
    )


def _visited_people(activity) -> list:
    people = []
    for organization_id in activity.enterprises_visited.values_list("pk", flat=True):
        people += list(organization_users(organization_id))
    return people


def activity_proposed(activity, *, actor) -> None:
    ACTIVITIES.transition(
        activity,
        "proposed",
        people=_leaders(),
        actor=actor,
        comment="",
        key=f"exchange-activity:{activity.pk}:proposed",
    )


def activity_moved(activity, name: str, *, actor, comment: str) -> None:
    """Leaders hear of an activity to approve (again); the officer in charge of what others did; the
    enterprises visited of a confirmation, a postponement or a cancellation."""
    people = _leaders() if name == "resume" else _owner(activity)
    if name in ENTERPRISE_TOLD and activity.approved_at is not None:
        people = [*people, *_visited_people(activity)]
    ACTIVITIES.transition(activity, name, people=people, actor=actor, comment=comment)


def checklist_assigned(item, *, actor) -> None:
    activity = item.activity
    ACTIVITIES.send(
        activity,
        [item.assignee],
        template="exchanges/activity",
        context={
            "headline": ACTIVITY_HEADLINES["checklist"],
            "state": activity.get_state_display(),
            "actor": actor,
            "comment": str(item),
        },
        key=f"exchange-checklist:{item.pk}:{item.assignee_id}",
        actor=actor,
    )


def follow_up_assigned(follow_up, *, actor) -> None:
    activity = follow_up.activity
    ACTIVITIES.send(
        activity,
        [follow_up.owner],
        template="exchanges/activity",
        context={
            "headline": ACTIVITY_HEADLINES["follow_up"],
            "state": activity.get_state_display(),
            "actor": actor,
            "comment": follow_up.task,
        },
        key=f"exchange-follow-up:{follow_up.pk}",
        actor=actor,
    )


def _write_to_journalist(request, event: str) -> None:
    from .models import MediaMessage

    outbox.write(
        MediaMessage,
        key=f"media-request:{request.pk}:{event}",
        to=request.email,
        language=request.language,
        template=f"notifications/exchanges/media_{event}",
        context={"media_request": request},
        task="exchanges.deliver_media_message",
        request=request,
    )


def media_request_received(request) -> None:
    _write_to_journalist(request, "received")
    MEDIA.send(
        request,
        with_substitutes(office_users(Role.OFFICER)),
        template="exchanges/media_request",
        context={
            "headline": MEDIA_HEADLINES["received"],
            "state": request.get_state_display(),
            "actor": None,
        },
        key=f"media-request:{request.pk}:received",
    )


def media_request_moved(request, name: str, *, actor, comment: str) -> None:
    """The journalist hears of an arrangement or a refusal (with the reason given)."""
    if name in ("arrange", "decline"):
        _write_to_journalist(request, name)
