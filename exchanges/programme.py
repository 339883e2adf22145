"""The bilingual programme (日程安排 / Programme) of an activity as a PDF, in the shared look of the portal's
PDFs (foreign_affairs.documents.pdf: the shipped Noto Sans SC, A4, the office's letterhead).

Both languages always, whatever the reader's: the programme goes to the foreign party and the Chinese hosts
alike. So its labels are written in the template in Chinese and English side by side, as the permit's and
the decision letter's are, rather than translated. It holds the activity's titles, reference, dates, city
and venue, the foreign party (country, organisation, head of delegation with title, members), the hosts,
then the agenda by day with times, items in both languages, places and who takes part. A programme of an
activity not yet confirmed with the foreign party (or postponed, or cancelled) says so at the top.

Who may download it (`programme_activities_for`): office staff, any activity in any state; the members of
an enterprise the activity visits, once it is confirmed — an approved plan may still change. An enterprise's
copy holds the agenda its visit page shows (views.enterprise.programme_for): its own days when an item names
it, and an item that names another enterprise visited by its time only.
"""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.security.countries import country_name

from . import selectors
from .workflow import PUBLIC_STATES, State

TEMPLATE = "exchanges/pdf/programme.html"
STYLESHEET = "exchanges/pdf/programme.css"
# The states from which the enterprises visited may download the programme: confirmed and after.
SHARED_STATES = PUBLIC_STATES
# What the top of a programme says of an activity not (or no longer) confirmed.
STATE_NOTICES = {
    State.PROPOSED: (
        "草案：尚未批准，未与外方确认",
        "Draft: not yet approved or confirmed with the foreign party",
    ),
    State.APPROVED: ("草案：尚未与外方确认", "Draft: not yet confirmed with the foreign party"),
    State.POSTPONED: ("活动已推迟", "The activity is postponed"),
    State.CANCELLED: ("活动已取消", "The activity is cancelled"),
}


def programme_activities_for(user) -> QuerySet:
    """The activities whose programme `user` may download (selectors.activities_for, then confirmed or later
    for anyone outside the office)."""
    queryset = selectors.activities_for(user)
    if not (user is not None and user.is_authenticated and user.is_office_staff):
        queryset = queryset.filter(state__in=SHARED_STATES)
    return queryset


def file_name(activity) -> str:
    return f"programme-{activity.reference}.pdf"


@dataclass(frozen=True)
class Person:
    name: str
    title: str = ""


def people(text: str) -> list[Person]:
    """ "Max Bauer, Head of Division" per line (the members' field): a name, then a title after the first
    comma (full-width too)."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for comma in (",", "，", "、"):
            if comma in line:
                name, title = line.split(comma, 1)
                found.append(Person(name.strip(), title.strip()))
                break
        else:
            found.append(Person(line))
    return found


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _date(day: date, language: str, format_string: str) -> str:
    """`day` in `format_string` (django.utils.dateformat), its month and weekday names in `language`; never
    the server's locale, as strftime would."""
    with translation.override(language):
        return dateformat.format(day, format_string)


def date_range_zh(start: date, end: date) -> str:
    """ "2026年12月13日至15日", "2026年11月30日至12月2日", "2026年12月30日至2027年1月2日"."""
    first = _date(start, "zh-hans", "Y年n月j日")
    if end == start:
        return first
    if end.year != start.year:
        return f"{first}至{_date(end, 'zh-hans', 'Y年n月j日')}"
    if end.month != start.month:
        return f"{first}至{_date(end, 'zh-hans', 'n月j日')}"
    return f"{first}至{_date(end, 'zh-hans', 'j日')}"


def date_range_en(start: date, end: date) -> str:
    """ "13–15 December 2026", "30 November – 2 December 2026", "30 December 2026 – 2 January 2027"."""
    last = _date(end, "en", "j F Y")
    if end == start:
        return last
    if end.year != start.year:
        return f"{_date(start, 'en', 'j F Y')} – {last}"
    if end.month != start.month:
        return f"{_date(start, 'en', 'j F')} – {last}"
    return f"{_date(start, 'en', 'j')}–{last}"


def day_heading(day: date) -> tuple[str, str]:
    """ "12月13日（星期日）" and "Sunday 13 December"."""
    return _date(day, "zh-hans", "n月j日（l）"), _date(day, "en", "l j F")


def programme_context(activity, *, items=None, partial: bool = False) -> dict:
    agenda = list(activity.agenda.all()) if items is None else list(items)
    days = []
    for day, items in groupby(agenda, key=lambda item: item.day):
        zh, en = day_heading(day)
        number = (day - activity.starts_on).days + 1
        days.append({"day": day, "number": number, "zh": zh, "en": en, "items": list(items)})
    country = activity.country.code if activity.country else ""
    return {
        "activity": activity,
        "dates_zh": date_range_zh(activity.starts_on, activity.ends_on),
        "dates_en": date_range_en(activity.starts_on, activity.ends_on),
        "country_zh": country_name(country, "zh") if country else "",
        "country_en": country_name(country, "en") if country else "",
        "members": people(activity.members),
        "hosts": lines(activity.hosts),
        "days": days,
        "partial": partial,
        "notice": STATE_NOTICES.get(activity.state),
        "printed_zh": _date(timezone.localdate(), "zh-hans", "Y年n月j日"),
        "printed_en": _date(timezone.localdate(), "en", "j F Y"),
    }


def render_programme(activity, *, items=None, partial: bool = False) -> bytes:
    """The programme of `activity` as PDF bytes, Chinese and English side by side (a page or two: rendered
    while the reader waits, in well under a second once the font is loaded).

    `items`: the agenda items to print, by day and time (the whole agenda by default); one with `withheld`
    set shows its time only. `partial`: they are the reader's part of the programme, and the heading says
    so."""
    context = programme_context(activity, items=items, partial=partial)
    return render_pdf(TEMPLATE, context, stylesheets=(render_to_string(STYLESHEET),))
