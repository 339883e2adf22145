"""Public pages of exchanges, open to everyone without an account: the calendar of public events, an event's
page, the friendship cities and a city's page.

An event is public when the office marked it so and it is confirmed, held, reported or closed
(selectors.public_activities); anything else answers 404, proposed, approved, postponed and cancelled ones
too. Of an event the pages read the public columns only (PUBLIC_FIELDS: title, summary, kind, dates, city,
free trade zone areas, focus, the foreign party's country and organisation), so that the head of delegation,
the members, the venue, the hosts, the agenda, the reception checklist, the documents, the outcomes, the
follow-ups, the owner and the travel applications never reach a template; coverage shows once it was held.
A friendship city is public when marked so; its page shows its agreements' titles and dates (never the
documents), never the contacts or the office's notes, and of its cooperation projects only those published
in area 3.

Every page costs the same few queries however many events or cities it lists.
"""

import calendar as calendar_module
from datetime import date
from functools import reduce
from operator import and_, or_
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from foreign_affairs.security.countries import country_name
from projects import selectors as project_selectors

from .. import codes, selectors
from ..forms.public import FIRST_YEAR, LAST_YEAR, CalendarFilterForm, CityFilterForm
from ..health import HEALTH_TONES, Health
from ..models.common import in_language
from ..workflow import HELD_STATES

# The columns of an activity the public pages read; everything else stays in the database.
PUBLIC_FIELDS = (
    "pk",
    "reference",
    "kind",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "ftz_areas",
    "focus",
    "starts_on",
    "ends_on",
    "city",
    "country",
    "foreign_organisation",
    "friendship_city",
    "public",
    "state",  # whether it was held; django-fsm's ConcurrentTransitionMixin reads it on loading a row too
    "updated_at",
)
# Of a friendship city named on an event's page: what tells whether it is public and names it.
CITY_FIELDS = (
    "friendship_city__slug",
    "friendship_city__public",
    "friendship_city__henan_name_zh",
    "friendship_city__henan_name_en",
    "friendship_city__foreign_name_zh",
    "friendship_city__foreign_name_en",
)
# How many coming events the calendar lists beside the month.
UPCOMING = 8
CITIES_PER_PAGE = 20
# A search looks for its first words only.
SEARCH_WORDS = 5


# Events --------------------------------------------------------------------------------------------------


def _public_columns(queryset):
    return queryset.select_related(None).only(*PUBLIC_FIELDS)


def _filtered(queryset, chosen: dict):
    if chosen.get("kind"):
        queryset = queryset.filter(kind=chosen["kind"])
    if chosen.get("area"):
        queryset = queryset.filter(codes.has("ftz_areas", chosen["area"]))
    if chosen.get("country"):
        queryset = queryset.filter(country=chosen["country"])
    return queryset


def _labelled(activity):
    """What the pages show of an event, in the reader's language."""
    activity.country_label = country_name(activity.country.code) if activity.country else ""
    activity.held = activity.state in HELD_STATES
    activity.one_day = activity.starts_on == activity.ends_on
    return activity


def _event_countries() -> list[str]:
    """The foreign parties' countries of the public events (the calendar's country filter)."""
    return list(
        selectors.public_activities()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )


def _month_end(first: date) -> date:
    return first.replace(day=calendar_module.monthrange(first.year, first.month)[1])


def _shifted(first: date, months: int) -> date | None:
    """The first day of the month `months` away, None beyond the months the calendar goes to."""
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return date(year, month + 1, 1)


def _weeks(first: date, events: list, today: date) -> list[list[dict]]:
    """The month's grid, Monday first: each day with the events on it (an event of several days on each)."""
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "events": [e for e in events if e.starts_on <= day <= e.ends_on]
                if day.month == first.month
                else [],
            }
            for day in week
        ]
        for week in weeks
    ]


def _feed_address(chosen: dict) -> dict:
    """The iCal feed of the calendar's kind and area (the feed has no country filter), as https:// and
    webcal:// addresses."""
    query = urlencode([(name, chosen[name]) for name in ("kind", "area") if chosen.get(name)])
    location = reverse("exchanges:calendar_ics") + (f"?{query}" if query else "")
    https = f"{settings.PORTAL_BASE_URL}{location}"
    return {"path": location, "url": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@require_safe
def calendar(request):
    today = timezone.localdate()
    filters = CalendarFilterForm(request.GET or None, countries=_event_countries())
    chosen = filters.chosen()
    first = chosen["month"] or today.replace(day=1)
    events = [
        _labelled(e)
        for e in _public_columns(
            _filtered(selectors.public_activities(start=first, end=_month_end(first)), chosen)
        )
    ]
    upcoming = [
        _labelled(e)
        for e in _public_columns(_filtered(selectors.public_activities(start=today), chosen))[:UPCOMING]
    ]
    previous, following = _shifted(first, -1), _shifted(first, 1)
    kinds = {e.kind: e.get_kind_display() for e in events}
    return render(
        request,
        "exchanges/public/calendar.html",
        {
            "filters": filters,
            "filtered": any(chosen[name] for name in ("kind", "area", "country")),
            "month": first,
            "previous": f"{previous:%Y-%m}" if previous else "",
            "following": f"{following:%Y-%m}" if following else "",
            "this_month": first == today.replace(day=1),
            "weekdays": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
            "weeks": _weeks(first, events, today),
            "events": events,
            "legend": sorted(kinds.items(), key=lambda item: str(item[1])),
            "upcoming": upcoming,
            "feed": _feed_address(chosen),
            "current": "calendar",
        },
    )


def _public_event_or_404(reference: str):
    event = (
        selectors.public_activities()
        .filter(reference=reference)
        .select_related("friendship_city")
        .only(*PUBLIC_FIELDS, *CITY_FIELDS)
        .first()
    )
    if event is None:
        raise Http404
    return event


def _other_language(title_zh, title_en, text_zh, text_en) -> dict | None:
    """The title and text in the language the page is not in, when they say something else."""
    english = (get_language() or "").startswith("en")
    shown = (in_language(title_zh, title_en), in_language(text_zh, text_en))
    title, text = (title_zh, text_zh) if english else (title_en, text_en)
    if not (title or text) or (title, text) == shown:
        return None
    return {"title": title, "text": text, "lang": "zh-Hans" if english else "en", "english": not english}


@require_safe
def event_detail(request, reference):
    event = _labelled(_public_event_or_404(reference))
    city = event.friendship_city if event.friendship_city_id and event.friendship_city.public else None
    coverage = list(event.coverage.only("url", "outlet", "title", "published_on")) if event.held else []
    return render(
        request,
        "exchanges/public/event.html",
        {
            "event": event,
            "city": city,
            "coverage": coverage,
            "other": _other_language(event.title_zh, event.title_en, event.summary_zh, event.summary_en),
            "month": f"{event.starts_on:%Y-%m}",
            "share_url": f"{settings.PORTAL_BASE_URL}{request.path}",
            "current": "calendar",
        },
    )


# Friendship cities ----------------------------------------------------------------------------------------


def _city_labelled(city, today: date):
    city.country_label = country_name(city.country.code) if city.country else ""
    city.assessment = selectors.city_assessment(city, today=today)
    english = (get_language() or "").startswith("en")
    # The names in the language the page is not in, beside those in the reader's.
    city.other_names = (
        (city.henan_name_zh, city.foreign_name_zh) if english else (city.henan_name_en, city.foreign_name_en)
    )
    city.other_lang = "zh-Hans" if english else "en"
    return city


def _city_search(term: str) -> Q:
    """Every word in one of the names, Chinese or English, part of a word too."""
    columns = ("henan_name_zh", "henan_name_en", "foreign_name_zh", "foreign_name_en")
    words = term.split()[:SEARCH_WORDS]
    return reduce(and_, (reduce(or_, (Q(**{f"{c}__icontains": w}) for c in columns)) for w in words), Q())


def _henan_names() -> list[tuple[str, str]]:
    """The Henan side of the public pairs, as (English name, name in the reader's language)."""
    rows = (
        selectors.cities_with_health(None).order_by().values_list("henan_name_en", "henan_name_zh").distinct()
    )
    names = {}
    for english, chinese in rows:
        names.setdefault(english, in_language(chinese, english))
    return sorted(names.items(), key=lambda item: item[0].lower())


def _city_countries() -> list[str]:
    return list(selectors.cities_with_health(None).order_by().values_list("country", flat=True).distinct())


@require_safe
def cities(request):
    filters = CityFilterForm(request.GET or None, countries=_city_countries(), henan_names=_henan_names())
    chosen = filters.chosen()
    queryset = selectors.cities_with_health(None)
    if chosen["q"]:
        queryset = queryset.filter(_city_search(chosen["q"]))
    if chosen["country"]:
        queryset = queryset.filter(country=chosen["country"])
    if chosen["kind"]:
        queryset = queryset.filter(kind=chosen["kind"])
    if chosen["henan"]:
        queryset = queryset.filter(henan_name_en=chosen["henan"])
    queryset = queryset.defer("henan_contact", "foreign_contact", "notes", "description_zh", "description_en")
    page = Paginator(queryset, CITIES_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    page.object_list = [_city_labelled(city, today) for city in page.object_list]
    return render(
        request,
        "exchanges/public/cities.html",
        {
            "filters": filters,
            "page": page,
            "filtered": any(chosen.values()),
            "term": chosen["q"],
            "levels": [(level, HEALTH_TONES[level]) for level in Health],
            "current": "cities",
        },
    )


@require_safe
def city_detail(request, slug):
    city = (
        selectors.cities_with_health(None)
        .filter(slug=slug)
        .defer("henan_contact", "foreign_contact", "notes")
        .first()
    )
    if city is None:
        raise Http404
    city = _city_labelled(city, timezone.localdate())
    agreements = list(city.agreements.only("city_id", "title", "signed_on", "renew_by"))
    events = [_labelled(e) for e in _public_columns(selectors.city_public_activities(city))]
    projects = list(project_selectors.published_projects().filter(friendship_cities=city))
    for project in projects:
        project.country_label = country_name(project.partner_country.code) if project.partner_country else ""
    return render(
        request,
        "exchanges/public/city.html",
        {
            "city": city,
            "agreements": agreements,
            "events": events,
            "projects": projects,
            # The names in both languages head the page: the other language's description only.
            "other": _other_language("", "", city.description_zh, city.description_en)
            if city.description_zh and city.description_en
            else None,
            "share_url": f"{settings.PORTAL_BASE_URL}{request.path}",
            "current": "cities",
        },
    )


urlpatterns = [
    path("", calendar, name="calendar"),
    path("events/<str:reference>/", event_detail, name="event_detail"),
    path("friendship-cities/", cities, name="cities"),
    path("friendship-cities/<slug:slug>/", city_detail, name="city_detail"),
]
