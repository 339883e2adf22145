"""What the back-office pages of card applications and cards share: the state tags, names and the timeline."""

from django.utils.html import format_html

from foreign_affairs import typography
from foreign_affairs.admin_queue import timeline_events

from .. import selectors
from ..models import Decision, Economy
from ..workflow import CARD_STATE_TONES, STATE_TONES, CardState, State


def state_tag(state: str, states=State, tones=STATE_TONES):
    """The application's state (or with CardState and CARD_STATE_TONES a card's) in the queues' colours."""
    label = states(state).label if state in states.values else state
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        tones.get(state, "neutral"),
        state,
        label,
    )


def card_state_tag(state: str):
    return state_tag(state, CardState, CARD_STATE_TONES)


def name_with_pinyin(person):
    """The holder's name, and the pinyin after it in grey."""
    if not person.pinyin_name:
        return person.full_name
    return format_html('{} <span class="app-muted">{}</span>', person.full_name, person.pinyin_name)


def timeline(obj, states) -> list:
    """The audit events about `obj`, oldest first, with the state labels, any "on behalf of" and details."""
    events = timeline_events(selectors.timeline(obj), states)
    codes = {event.data["economy"] for event in events if (event.data or {}).get("economy")}
    economies = Economy.objects.in_bulk(list(codes)) if codes else {}
    for event in events:
        event.detail = _detail(event, economies)
    return events


def _detail(event, economies) -> str:
    """What the action's label leaves out: which economy answered what, the card issued, who was assigned."""
    data = event.data or {}
    if data.get("economy"):
        economy = economies.get(data["economy"])
        name = economy.name if economy else data["economy"]
        decision = data.get("decision")
        return f"{typography.label(name)}{Decision(decision).label}" if decision in Decision.values else name
    if event.action == "card_application.issue" and data.get("card"):
        return data["card"]
    if event.action == "card_application.assign":
        return f"{data.get('from') or '—'} → {data.get('to') or '—'}"
    return ""
