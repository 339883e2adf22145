"""Template helpers of the APEC card pages ({% load apec_cards %}): the coloured tags of states and
pre-clearance decisions, the same colours as everywhere else (portal.css .state-*)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apec_cards.models import Decision
from apec_cards.workflow import CARD_STATE_TONES, STATE_TONES, CardState, State
from foreign_affairs import typography

register = template.Library()

DECISION_TONES = {Decision.PENDING: "progress", Decision.APPROVED: "success", Decision.REFUSED: "danger"}
# "Pending" alone is already the catalogue's word for an e-mail waiting to be sent; an economy's
# pending answer says so in its own words.
DECISION_LABELS = {Decision.PENDING: _("Awaiting the answer")}


def _tag(value: str, label, tone: str, attribute: str = "state") -> str:
    return format_html(
        '<span class="state-tag state-{}" data-{}="{}">{}</span>', tone, attribute, value, label
    )


def _label(choices, value: str):
    try:
        return choices(value).label
    except ValueError:
        return value


@register.simple_tag
def application_state_tag(state) -> str:
    """The tag of a card application's state."""
    state = str(getattr(state, "state", state) or "")
    return _tag(state, _label(State, state), STATE_TONES.get(state, "neutral"))


@register.simple_tag
def card_state_tag(state) -> str:
    """The tag of a card's state."""
    state = str(getattr(state, "state", state) or "")
    return _tag(state, _label(CardState, state), CARD_STATE_TONES.get(state, "neutral"))


@register.simple_tag
def decision_tag(decision) -> str:
    """The tag of an economy's pre-clearance decision."""
    decision = str(decision or "")
    label = DECISION_LABELS.get(decision) or _label(Decision, decision)
    return _tag(decision, label, DECISION_TONES.get(decision, "neutral"), "decision")


@register.simple_tag
def event_economy(event, names) -> str:
    """The economy an audit event is about (a pre-clearance answer, an economy added to a card), with the
    decision if any: "日本: 已批准". `names` maps codes to names (the view passes them)."""
    data = event.data or {}
    code = data.get("economy")
    if not code:
        return ""
    name = (names or {}).get(code, code)
    decision = data.get("decision")
    if decision:
        return f"{typography.label(name)}{DECISION_LABELS.get(decision) or _label(Decision, decision)}"
    return str(name)


@register.simple_tag
def event_state_tag(event) -> str:
    """The state an audit event moved its object to: a card's, or an application's."""
    state = str(event.to_state or "")
    if event.action.startswith("card."):
        return card_state_tag(state)
    return application_state_tag(state)


@register.filter
def economy_names(economies) -> str:
    """Economies as a list of names in the reader's language."""
    separator = "、" if (get_language() or "zh-hans").startswith("zh") else ", "
    return separator.join(economy.name for economy in economies)
