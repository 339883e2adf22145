"""The coloured tags of overseas safety's pages and back office: an incident's state and its level."""

from django.utils.html import format_html

from .workflow import LEVEL_TONES, STATE_TONES, Level, State

ROMAN = {Level.I: "I", Level.II: "II", Level.III: "III", Level.IV: "IV"}


def state_tag(state: str):
    label = State(state).label if state in State.values else state
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        STATE_TONES.get(state, "neutral"),
        state,
        label,
    )


def level_tag(level: str):
    """The level as a short coloured tag ("II") that screen readers read as "Level II: major"."""
    label = Level(level).label if level in Level.values else level
    return format_html(
        '<span class="state-tag state-{} level-tag" data-level="{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        LEVEL_TONES.get(level, "neutral"),
        level,
        label,
        ROMAN.get(level, level),
        label,
    )
