"""The world map of presence abroad, rendered on the server as inline SVG (no script, no tiles, no CDN).

The geometry is data/world.json (Natural Earth 1:50m through the npm package world-atlas, public domain;
see data/build_world.py). Each country is a link to its presence page with a <title> (its name and the
number of our people there); the fill says how many people are there (STEPS), the outline the office's
advisory level. China, with Taiwan, Hong Kong and Macao, is drawn as home, without a link. Countries too
small to see get a dot when someone is there.
"""

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foreign_affairs import typography
from foreign_affairs.security.countries import country_name

GEOMETRY = Path(__file__).with_name("data") / "world.json"
HOME = ("CN", "TW", "HK", "MO")  # China and its regions: drawn together, never a destination
# The lower bound of each shade of the fill (shade 0: nobody).
STEPS = (1, 10, 50, 200)
LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2}


@cache
def world() -> dict:
    return json.loads(GEOMETRY.read_text())


def codes() -> list[str]:
    """The ISO codes the map draws (China and its regions included)."""
    return [code for code in world()["countries"] if not code.startswith("_")]


def shade(people: int) -> int:
    """0 for nobody, then 1..len(STEPS) by STEPS."""
    return sum(1 for bound in STEPS if people >= bound)


def legend() -> list[dict]:
    """The shades with their ranges, for the legend under the map: [{"shade", "label"}]."""
    rows = [{"shade": 0, "label": _("nobody")}]
    for index, bound in enumerate(STEPS, start=1):
        upper = STEPS[index] - 1 if index < len(STEPS) else None
        if upper is None:
            label = _("%(low)s or more") % {"low": bound}
        elif upper == bound:
            label = str(bound)
        else:
            label = _("%(low)s–%(high)s") % {"low": bound, "high": upper}
        rows.append({"shade": index, "label": label})
    return rows


def country_title(code: str, people: int, level: str, advisory_labels: dict) -> str:
    """The accessible name of a country on the map: "尼日利亚：12人，提高警惕" / "Nigeria: 12 people, increased
    caution"."""
    count = ngettext("%(count)s person", "%(count)s people", people) % {"count": people}
    text = f"{typography.label(country_name(code))}{count}"
    if level in ("medium", "high"):
        text = typography.clause(text, advisory_labels[level])
    return text


def render(
    people: dict[str, int],
    levels: dict[str, str],
    *,
    href: Callable[[str], str],
    advisory_labels: dict[str, str],
    title: str,
) -> SafeString:
    """The SVG: `people` {code: distinct people present}, `levels` {code: advisory level}, `href(code)` the
    link of a country's page, `advisory_labels` {level: short label}, `title` the map's accessible name."""
    geometry = world()
    small = set(geometry["small"])
    centres = geometry["centres"]
    land, home, countries = [], [], []
    for code, d in geometry["countries"].items():
        if code.startswith("_"):
            land.append(f'<path d="{d}"/>')
        elif code in HOME:
            home.append(f'<path d="{d}"/>')
        else:
            countries.append(code)
    # Raised advisories are drawn last so that their outline is not hidden under a neighbour's; small
    # countries (with their dot) after the rest.
    countries.sort(key=lambda code: (code in small, LEVEL_ORDER.get(levels.get(code, "low"), 0), code))
    parts = [
        f'<svg class="worldmap" viewBox="0 0 {geometry["width"]} {geometry["height"]}" '
        f'role="group" aria-labelledby="worldmap-title" data-testid="worldmap" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="worldmap-title">{escape(title)}</title>',
        '<g class="land" aria-hidden="true">',
        *land,
        "</g>",
        f'<g class="home"><title>{escape(country_name("CN"))}</title>{"".join(home)}</g>',
    ]
    for code in countries:
        count = people.get(code, 0)
        level = levels.get(code, "low")
        name = escape(country_title(code, count, level, advisory_labels))
        focus = "" if count or level in ("medium", "high") else ' tabindex="-1"'
        marker = ""
        if code in small and count and code in centres:
            x, y = centres[code]
            marker = f'<circle class="marker" cx="{x}" cy="{y}" r="9"/>'
        parts.append(
            f'<a href="{escape(href(code))}" class="country s{shade(count)} adv-{escape(level)}" '
            f'data-country="{code}" data-people="{count}"{focus}>'
            f'<title>{name}</title><path d="{geometry["countries"][code]}"/>{marker}</a>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - the geometry is the committed file; every text is escaped
