"""What other sites and calendar programs pick up without copying by hand: the public calendar of exchanges
as iCalendar (RFC 5545, with the calendar properties of RFC 7986) and a sitemap of the area's public pages.

/exchanges/calendar.ics holds the public events (selectors.public_activities: marked public, and confirmed,
held, reported or closed) that end one year ago or later. `kind` (an activity kind) and `area` (a free
trade zone area) filter; `lang` (zh or en, and their variants) chooses the language of the names, the
default being the reader's (then the answer varies with the cookie). A value that names nothing answers 400
with a line of text. Each event is a whole-day event (DTEND the day after the last day, as RFC 5545 wants
it), with a UID made of its reference and the portal's host, so that a calendar program subscribed to the
feed updates an event rather than adding it twice. What an event says is public only: title, summary,
dates, city, kind, the foreign party's country and organisation, the address of its public page; never
the delegation's members or head, the venue, hosts, agenda or outcomes (the queryset loads only the public
columns, so a field left out here cannot slip into the feed).

A conditional GET (If-None-Match, If-Modified-Since) answers 304 after one query; the feed is cached as
public for a few minutes.

/exchanges/sitemap.xml lists the calendar page, the friendship cities page, each public event's page and
each public friendship city's page, with their last change, on PORTAL_BASE_URL.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe
from icalendar import Calendar, Event, vDuration, vText

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.security.countries import country_name
from foreign_affairs.typography import annotate, enumerate_items, label

from .. import codes, selectors
from ..health import years_before
from ..workflow import Kind

# How long a reader or a proxy may keep the feed or the sitemap before asking again (seconds).
MAX_AGE = 300
# How often a subscribed calendar program should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH_INTERVAL = timedelta(hours=6)
# Events shown: those ending this many years ago or later.
WINDOW_YEARS = 1
# At most this many events, those starting last: a province holds a few hundred public events a year, and a
# feed of 12 000 took 14 s to write (bench/bench_exchanges.py at 100 000 activities).
MAX_EVENTS = 1000
CALENDAR_TYPE = "text/calendar; charset=utf-8"
# The columns the feed may read; everything else stays in the database.
PUBLIC_FIELDS = (
    "pk",
    "reference",
    "kind",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "ftz_areas",
    "starts_on",
    "ends_on",
    "city",
    "country",
    "foreign_organisation",
    "state",  # never shown; django-fsm's ConcurrentTransitionMixin reads the state field on loading a row
    "updated_at",
)
# RFC 5545 TEXT holds no control characters but the tab and the line break.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
LANGUAGES = {"zh": "zh-hans", "en": "en"}
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class BadFilter(ValueError):
    """A query parameter of the feed that names nothing; the message says which, in the reader's language."""


@dataclass(frozen=True)
class CalendarQuery:
    """What the feed holds: the language of its text, one kind or all, one free trade zone area or all."""

    language: str
    kind: str = ""
    area: str = ""
    # Whether `lang` was given: otherwise the language is the reader's, and the answer varies with it.
    language_given: bool = False

    @classmethod
    def from_request(cls, request) -> "CalendarQuery":
        values = {name: (request.GET.get(name) or "").strip() for name in ("lang", "kind", "area")}
        if values["kind"] and values["kind"] not in Kind.values:
            raise BadFilter(_("There is no such kind of activity: give one of the calendar's kinds."))
        if values["area"] and values["area"] not in FTZArea.values:
            raise BadFilter(_("There is no such free trade zone area: give zhengzhou, luoyang or kaifeng."))
        if values["lang"]:
            return cls(
                language=_language(values["lang"]),
                kind=values["kind"],
                area=values["area"],
                language_given=True,
            )
        return cls(language=_reader_language(request), kind=values["kind"], area=values["area"])

    def query_string(self) -> str:
        """The query of this selection's address, for the calendar's SOURCE (empty values left out)."""
        pairs = [("lang", "en" if self.language == "en" else "zh"), ("kind", self.kind), ("area", self.area)]
        return "?" + urlencode([(name, value) for name, value in pairs if value])


def _language(value: str) -> str:
    """`zh`, `zh-hans`, `zh-CN`, `en`, `en-US`… as the portal's language; BadFilter for anything else."""
    code = value.lower().replace("_", "-")
    if LANGUAGE_CODE.match(code) and code.split("-")[0] in LANGUAGES:
        return LANGUAGES[code.split("-")[0]]
    raise BadFilter(_("Give the language as zh or en."))


def _reader_language(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or settings.LANGUAGE_CODE
    return "en" if language.lower().startswith("en") else "zh-hans"


def window_start(today: date | None = None) -> date:
    """The first day an event may end on to be in the feed: one year back."""
    return years_before(today or timezone.localdate(), WINDOW_YEARS)


def portal_host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def event_uid(activity) -> str:
    """The event's UID (RFC 5545 §3.8.4.7): the same in every language and filter, and for ever."""
    return f"{activity.reference}@{portal_host()}"


def _text(value) -> str:
    return CONTROL.sub("", str(value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


# The calendar ---------------------------------------------------------------------------------------------


def calendar_events(query: CalendarQuery):
    """The public events of the selection within the window (MAX_EVENTS at most, those starting last), first
    day first, public columns only."""
    queryset = selectors.public_activities(start=window_start())
    if query.kind:
        queryset = queryset.filter(kind=query.kind)
    if query.area:
        queryset = queryset.filter(codes.has("ftz_areas", query.area))
    latest = queryset.order_by("-starts_on", "-pk").values("pk")[:MAX_EVENTS]
    return (
        queryset.filter(pk__in=latest).select_related(None).only(*PUBLIC_FIELDS).order_by("starts_on", "pk")
    )


def _event_description(activity, language: str, url: str) -> str:
    """The event's summary, its foreign party and free trade zone areas, and the address of its page (calendar
    programs that show no URL property show this): public words only."""
    lines = [_text(activity.summary)]
    country = country_name(activity.country.code, language) if activity.country else ""
    organisation = _text(activity.foreign_organisation)
    if organisation or country:
        party = annotate(organisation, country) if organisation else country
        lines.append(label(_("Foreign party")) + party)
    if activity.area_codes:
        lines.append(label(_("Free trade zone")) + enumerate_items(activity.area_labels))
    lines.append(label(_("Details")) + url)
    return "\n\n".join(line for line in lines if line)


def build_event(activity, language: str) -> Event:
    """One activity as a VEVENT, in the active language."""
    changed = activity.updated_at.astimezone(UTC)
    url = absolute(reverse("exchanges:event_detail", args=[activity.reference]))
    event = Event.new(
        uid=event_uid(activity),
        summary=_text(activity.title) or activity.reference,
        description=_event_description(activity, language, url),
        start=activity.starts_on,
        end=activity.ends_on + timedelta(days=1),
        location=_text(activity.city) or None,
        url=url,
        categories=[str(activity.get_kind_display())],
        stamp=changed,
        last_modified=changed,
        status="CONFIRMED",
    )
    # Whole days of an exchange do not make the subscriber busy.
    event.add("TRANSP", "TRANSPARENT")
    return event


def build_calendar(query: CalendarQuery) -> Calendar:
    """The VCALENDAR of the selection, its names in the selection's language."""
    with translation.override(query.language):
        name = _("International exchanges of Henan")
        if query.kind:
            name = _("%(calendar)s — %(kind)s") % {"calendar": name, "kind": Kind(query.kind).label}
        if query.area:
            name = _("%(calendar)s — %(area)s") % {"calendar": name, "area": FTZArea(query.area).label}
        calendar = Calendar.new(
            prodid="-//Foreign and Overseas Chinese Affairs Office of Henan Province//Exchanges calendar//"
            + ("EN" if query.language == "en" else "ZH"),
            name=name,
            description=_(
                "Public events of the Henan Pilot Free Trade Zone's international exchanges from the Foreign "
                "and Overseas Chinese Affairs Office of Henan Province."
            ),
            uid=f"exchanges-calendar@{portal_host()}",
            url=absolute(reverse("exchanges:calendar")),
            source=absolute(reverse("exchanges:calendar_ics") + query.query_string()),
            refresh_interval=REFRESH_INTERVAL,
            calscale="GREGORIAN",
            method="PUBLISH",
        )
        # icalendar writes these as they are; they are TEXT (RFC 7986 §5.1, RFC 5545 §3.8.8.2), escaped.
        for name in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC"):
            calendar[name] = vText(str(calendar[name]))
        # RFC 7986 §5.7 writes the value type (REFRESH-INTERVAL;VALUE=DURATION); Outlook reads the X- one.
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
        for activity in calendar_events(query):
            calendar.add_component(build_event(activity, query.language))
    return calendar


# The view --------------------------------------------------------------------------------------------------


def _query(request) -> CalendarQuery | None:
    if not hasattr(request, "_exchanges_calendar_query"):
        try:
            request._exchanges_calendar_query = CalendarQuery.from_request(request)
        except BadFilter as error:
            request._exchanges_calendar_query = None
            request._exchanges_calendar_error = str(error)
    return request._exchanges_calendar_query


def _changes(request) -> dict:
    if not hasattr(request, "_exchanges_calendar_changes"):
        request._exchanges_calendar_changes = selectors.calendar_changes()
    return request._exchanges_calendar_changes


def _last_modified(request) -> datetime | None:
    """For `condition`: the newest change (None, and so no 304 by date, for a bad filter or no activity)."""
    if _query(request) is None:
        return None
    return _changes(request)["at"]


def _etag(request) -> str | None:
    """For `condition`: the selection, the window's first day and the changes; the same bytes for the same
    tag."""
    query = _query(request)
    if query is None:
        return None
    seen = _changes(request)
    at = seen["at"].isoformat() if seen["at"] else ""
    key = f"{query.language}|{query.kind}|{query.area}|{window_start()}|{at}|{seen['count']}|{portal_host()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@condition(etag_func=_etag, last_modified_func=_last_modified)
def _calendar(request):
    query = _query(request)
    if query is None:
        return HttpResponseBadRequest(
            request._exchanges_calendar_error + "\n", content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(build_calendar(query).to_ical(), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = 'inline; filename="henan-exchanges.ics"'
    response["Content-Language"] = query.language
    return response


@require_safe
def calendar_ics(request):
    response = _calendar(request)
    if response.status_code in (200, 304):
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        query = _query(request)
        if query is not None and not query.language_given:
            patch_vary_headers(response, ["Cookie"])  # the reader's language chose the text
    return response


# Sitemap ---------------------------------------------------------------------------------------------------


class PortalSitemap(Sitemap):
    """Addresses on PORTAL_BASE_URL, whatever host the sitemap was fetched through."""

    # The protocol's most in one file: the area's public pages stay far below it.
    limit = 50000

    def get_protocol(self, protocol=None):
        return settings.PORTAL_BASE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.PORTAL_BASE_URL.split("://", 1)[1].split("/", 1)[0]


class PagesSitemap(PortalSitemap):
    """The calendar and the friendship cities' list, changed when what they list last changed."""

    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return ["exchanges:calendar", "exchanges:cities"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item == "exchanges:calendar":
            return selectors.public_activities().aggregate(at=Max("updated_at"))["at"]
        return selectors.cities_with_health().aggregate(at=Max("updated_at"))["at"]


class EventSitemap(PortalSitemap):
    priority = 0.6

    def items(self):
        return selectors.public_activities().values("reference", "updated_at")

    def location(self, item):
        return reverse("exchanges:event_detail", args=[item["reference"]])

    def lastmod(self, item):
        return item["updated_at"]


class CitySitemap(PortalSitemap):
    priority = 0.6

    def items(self):
        return selectors.cities_with_health().values("slug", "updated_at")

    def location(self, item):
        return reverse("exchanges:city_detail", args=[item["slug"]])

    def lastmod(self, item):
        return item["updated_at"]


SITEMAPS = {"pages": PagesSitemap, "events": EventSitemap, "cities": CitySitemap}


@require_safe
def sitemap(request):
    """One urlset of the area's public pages, on PORTAL_BASE_URL."""
    response = sitemap_views.sitemap(request, sitemaps=SITEMAPS)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


urlpatterns = [
    path("calendar.ics", calendar_ics, name="calendar_ics"),
    path("sitemap.xml", sitemap, name="sitemap"),
]
