"""What an enterprise visited by an activity sees of its programme: its own days, and nothing of the other
enterprises the delegation meets (the visit page and the enterprise's copy of the programme PDF)."""

import re

from .models import Activity

# The legal form at the end of a name, so that "郑州宇通客车" in the programme counts as "郑州宇通客车股份有限公司".
LEGAL_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|公司"
    r"|,?\s*(co\.?,?\s*)?(ltd\.?|limited|inc\.?|corp\.?|corporation|company|group|gmbh|s\.?a\.?))\s*$",
    re.IGNORECASE,
)


def names_of(organization) -> list[str]:
    """The ways the programme may write an enterprise's name: in full, in both languages, and without its
    legal form."""
    names = set()
    for name in (organization.name_zh, organization.name_en):
        name = (name or "").strip()
        if not name:
            continue
        names.add(name.casefold())
        short = LEGAL_FORMS.sub("", name).strip(" ,")
        # A short name of two characters ("郑州") would match everything in the city.
        if len(short) >= 4:
            names.add(short.casefold())
    return sorted(names)


def mentions(item, names) -> bool:
    text = " ".join((item.title_zh, item.title_en, item.place, item.people)).casefold()
    return any(name in text for name in names)


def visit_items(activity: Activity, organization) -> tuple[list, bool]:
    """The agenda items the enterprise sees, and whether it is named in them (the visit page, the API and the
    enterprise's copy of the programme). Worked out from `activity.agenda` and `activity.enterprises_visited`
    as prefetched, so that a list costs no query per row.

    The days on which an item names the enterprise are its days, and only they are shown; when no item
    names it yet, the whole programme is. An item that names another enterprise visited is withheld (its
    time only), so that no enterprise learns whom else the delegation meets."""
    if organization is None:
        return [], False
    items = list(activity.agenda.all())
    mine = names_of(organization)
    others = [
        name
        for other in activity.enterprises_visited.all()
        if other.pk != organization.pk
        for name in names_of(other)
    ]
    our_days = {item.day for item in items if mentions(item, mine)}
    shown = [item for item in items if item.day in our_days] if our_days else items
    for item in shown:
        item.ours = mentions(item, mine)
        item.withheld = not item.ours and mentions(item, others)
    return shown, bool(our_days)


def programme_for(activity: Activity, organization) -> tuple[list, bool]:
    """visit_items grouped by day: [{"day", "items"}], and whether the enterprise is named."""
    shown, named = visit_items(activity, organization)
    days = []
    for item in shown:
        if not days or days[-1]["day"] != item.day:
            days.append({"day": item.day, "items": []})
        days[-1]["items"].append(item)
    return days, named
