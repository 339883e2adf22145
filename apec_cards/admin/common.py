"""What the back-office pages of card applications and cards share: the state tags, the timeline, and
saying why a service refused."""

from django.utils.html import format_html

from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import Role

from .. import selectors
from ..models import Decision, Economy
from ..workflow import CARD_STATE_TONES, STATE_TONES, CardState, State


def state_tag(state: str):
    """The application's state in the colours of the travel applications' queue (styles.html)."""
    label = State(state).label if state in State.values else state
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        STATE_TONES.get(state, "neutral"),
        state,
        label,
    )


def card_state_tag(state: str):
    label = CardState(state).label if state in CardState.values else state
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        CARD_STATE_TONES.get(state, "neutral"),
        state,
        label,
    )


def is_officer(user) -> bool:
    """Officers act (in person or as a substitute); leaders and managers only read."""
    return user.is_authenticated and user.has_role(Role.OFFICER)


def timeline_events(obj, states) -> list:
    """The audit events about `obj`, oldest first, with the state labels and any "on behalf of"."""
    events = list(selectors.timeline(obj))
    usernames = {event.data["on_behalf_of"] for event in events if (event.data or {}).get("on_behalf_of")}
    principals = (
        {user.username: user for user in User.objects.filter(username__in=usernames)} if usernames else {}
    )
    codes = {event.data["economy"] for event in events if (event.data or {}).get("economy")}
    economies = Economy.objects.in_bulk(list(codes)) if codes else {}
    for event in events:
        principal = (event.data or {}).get("on_behalf_of")
        event.on_behalf_of = principals.get(principal, principal) if principal else None
        event.from_label = states(event.from_state).label if event.from_state in states.values else ""
        event.to_label = states(event.to_state).label if event.to_state in states.values else ""
        event.detail = _detail(event, economies)
    return events


def _detail(event, economies) -> str:
    """What the action's label leaves out: which economy answered what, the card issued, who was assigned."""
    data = event.data or {}
    if data.get("economy"):
        economy = economies.get(data["economy"])
        name = economy.name if economy else data["economy"]
        decision = data.get("decision")
        return f"{name}: {Decision(decision).label}" if decision in Decision.values else name
    if event.action == "card_application.issue" and data.get("card"):
        return data["card"]
    if event.action == "card_application.assign":
        return f"{data.get('from') or '—'} → {data.get('to') or '—'}"
    return ""


def transition_buttons(names, info) -> list[dict]:
    """The buttons of the transitions `names` (workflow.TRANSITIONS or CARD_TRANSITIONS): the deciding one
    first, those needing a reason after, destructive ones last."""
    order = list(info)
    names = sorted(
        names,
        key=lambda name: (
            info[name].destructive,
            info[name].comment == "required",
            info[name].style != "success",
            order.index(name),
        ),
    )
    return [
        {
            "name": name,
            "label": info[name].label,
            "style": info[name].style,
            "comment": info[name].comment,
            "destructive": info[name].destructive,
        }
        for name in names
    ]
