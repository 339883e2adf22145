"""What other sites pick up without copying by hand: an Atom feed and a JSON Feed of the published projects
and achievements, and a sitemap of the public pages.

/projects/feed.atom and /projects/feed.json take `lang` (zh-hans, the default, or en), `channel` (one of
the four) and `kind` (projects or achievements; both by default); a value that names nothing answers 404.
The text of an address's feed never depends on who asks (no cookie, no sign-in), so it is cached as public,
and a conditional GET (If-Modified-Since) answers 304 after one query per kind. What an entry holds is
decided in projects.publishing.

/projects/sitemap.xml is a sitemap index (django.contrib.sitemaps) of three parts, each at the same address
with ?section=: the catalogue and the achievements page ("pages"), the published projects ("projects") and
the published achievements ("achievements"), each address with its last change.
"""

import json

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from .. import publishing
from ..models import Achievement, CooperationProject
from ..publishing import ACHIEVEMENTS, PROJECTS, BadSelection, Selection
from ..workflow import Channel, Publication

# How long a reader or a proxy may keep a feed or the sitemap before asking again (seconds).
MAX_AGE = 600
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"


def _selection(request) -> Selection:
    try:
        return Selection.from_query(request.GET)
    except BadSelection as error:
        raise Http404(f"No such {error}.") from error


def _last_modified(request, *args, **kwargs):
    """For `condition`: the newest change of the selection, or None (then no 304 is given). Kept on the
    request for the view, which sends it as Last-Modified."""
    if not hasattr(request, "_published_last_modified"):
        try:
            request._published_last_modified = publishing.last_modified(Selection.from_query(request.GET))
        except BadSelection:
            request._published_last_modified = None  # the view answers 404
    return request._published_last_modified


def _finish(request, response, selection: Selection) -> HttpResponse:
    last_modified = _last_modified(request)
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    else:
        response.headers.pop("Last-Modified", None)  # Feed's "now" for an empty feed would say nothing
    response.headers["Content-Language"] = selection.language
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def feed_title(selection: Selection) -> str:
    """ "Cooperation projects and development achievements — Friendship cities", in the active language."""
    what = {
        PROJECTS: _("Henan Pilot Free Trade Zone: cooperation projects"),
        ACHIEVEMENTS: _("Henan Pilot Free Trade Zone: development achievements"),
    }.get(selection.kind, _("Henan Pilot Free Trade Zone: cooperation projects and development achievements"))
    if selection.channel:
        return _("%(feed)s — %(channel)s") % {"feed": what, "channel": Channel(selection.channel).label}
    return what


def feed_description(selection: Selection) -> str:
    return _(
        "What the Foreign and Overseas Chinese Affairs Office of Henan Province has published, newest first."
    )


def home_page(selection: Selection) -> str:
    """The public page the feed follows: the achievements for achievements only, else the catalogue."""
    name = "projects:achievements" if selection.kind == ACHIEVEMENTS else "projects:catalogue"
    query = f"?channel={selection.channel}" if selection.channel and selection.kind != ACHIEVEMENTS else ""
    return publishing.absolute(reverse(name) + query)


def feed_url(name: str, selection: Selection) -> str:
    return publishing.absolute(reverse(name) + selection.query_string())


# Atom ----------------------------------------------------------------------------------------------------


class PortalAtom1Feed(Atom1Feed):
    """Atom 1.0 whose summary and content are plain text (type="text"): the descriptions are text typed by
    people, never HTML for a reader to run. Categories carry the code (term), the name (label) and the
    catalogue filter they come from (scheme)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("summary", item["summary_text"], {"type": "text"})
        handler.addQuickElement("content", item["content_text"], {"type": "text"})
        for category in item["term_categories"]:
            handler.addQuickElement(
                "category", "", {"term": category.term, "scheme": category.scheme, "label": category.label}
            )


class PublishedFeed(Feed):
    feed_type = PortalAtom1Feed
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        selection = _selection(request)
        with translation.override(selection.language):
            response = super().__call__(request, *args, **kwargs)
        return _finish(request, response, selection)

    def get_object(self, request, *args, **kwargs):
        return _selection(request)

    def title(self, selection):
        return feed_title(selection)

    def subtitle(self, selection):
        return feed_description(selection)

    def link(self, selection):
        return home_page(selection)

    def feed_url(self, selection):
        return feed_url("projects:feed_atom", selection)

    def feed_guid(self, selection):
        return feed_url("projects:feed_atom", selection)

    def author_name(self):
        return str(publishing.OFFICE)

    def author_link(self):
        return publishing.absolute("/")

    def items(self, selection):
        return publishing.entries(selection)

    def item_title(self, entry):
        return entry.title  # Atom's title is text: escaped once, by the XML writer

    def item_description(self, entry):
        return None  # written as text by PortalAtom1Feed

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return entry.id

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_author_name(self, entry):
        return str(publishing.OFFICE)

    def item_author_link(self, entry):
        return publishing.absolute("/")

    def item_extra_kwargs(self, entry):
        return {
            "summary_text": entry.summary,
            "content_text": entry.content,
            "term_categories": entry.categories,
        }


atom_feed = condition(last_modified_func=_last_modified)(require_safe(PublishedFeed()))


# JSON Feed 1.1 -------------------------------------------------------------------------------------------


def json_feed_document(selection: Selection) -> dict:
    """The JSON Feed 1.1 document of the selection (https://jsonfeed.org/version/1.1)."""
    with translation.override(selection.language):
        author = {"name": str(publishing.OFFICE), "url": publishing.absolute("/")}
        return {
            "version": JSON_FEED_VERSION,
            "title": feed_title(selection),
            "home_page_url": home_page(selection),
            "feed_url": feed_url("projects:feed_json", selection),
            "description": feed_description(selection),
            "language": selection.language,
            "authors": [author],
            "items": [
                {
                    "id": entry.id,
                    "url": entry.url,
                    "title": entry.title,
                    "content_text": entry.content,
                    "summary": entry.summary,
                    "date_published": entry.published.isoformat(),
                    "date_modified": entry.updated.isoformat(),
                    "authors": [author],
                    "tags": entry.tags,
                    "language": entry.language,
                    "_henan": entry.extension,
                }
                for entry in publishing.entries(selection)
            ],
        }


@require_safe
@condition(last_modified_func=_last_modified)
def json_feed(request):
    selection = _selection(request)
    body = json.dumps(json_feed_document(selection), ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode(), content_type=JSON_FEED_TYPE)
    return _finish(request, response, selection)


# Sitemap -------------------------------------------------------------------------------------------------


class PortalSitemap(Sitemap):
    """Addresses on PORTAL_BASE_URL (as the feeds'), whatever host the sitemap was fetched through."""

    limit = 5000

    def get_protocol(self, protocol=None):
        return settings.PORTAL_BASE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.PORTAL_BASE_URL.split("://", 1)[1].split("/", 1)[0]


class PagesSitemap(PortalSitemap):
    """The catalogue and the achievements page, changed when what they list last changed."""

    priority = 0.8
    changefreq = "daily"

    def items(self):
        return [("projects:catalogue", CooperationProject), ("projects:achievements", Achievement)]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1].objects.filter(publication=Publication.PUBLISHED).aggregate(at=Max("updated_at"))["at"]

    def get_latest_lastmod(self):
        return max((moment for item in self.items() if (moment := self.lastmod(item))), default=None)


class PublishedSitemap(PortalSitemap):
    model = None
    url_name = ""
    priority = 0.6

    def items(self):
        return (
            self.model.objects.filter(publication=Publication.PUBLISHED)
            .order_by("-published_at", "-pk")
            .values("reference", "updated_at")
        )

    def location(self, item):
        return reverse(self.url_name, args=[item["reference"]])

    def lastmod(self, item):
        return item["updated_at"]

    def get_latest_lastmod(self):
        return self.items().aggregate(at=Max("updated_at"))["at"]

    @property
    def paginator(self):
        # Counting once per request is enough; Sitemap builds a new paginator at every access.
        if not hasattr(self, "_paginator"):
            self._paginator = Paginator(self.items(), self.limit)
        return self._paginator


class ProjectSitemap(PublishedSitemap):
    model = CooperationProject
    url_name = "projects:detail"


class AchievementSitemap(PublishedSitemap):
    model = Achievement
    url_name = "projects:achievement"


SITEMAPS = {"pages": PagesSitemap, "projects": ProjectSitemap, "achievements": AchievementSitemap}


@require_safe
def sitemap(request):
    """The sitemap index: its parts are this address with ?section= (and &p= beyond a part's first page),
    so that the whole sitemap lives at one public address. Addresses on PORTAL_BASE_URL."""
    section = request.GET.get("section")
    if section is not None:
        if section not in SITEMAPS:
            raise Http404("No such part of the sitemap.")
        response = sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)
    else:
        response = _sitemap_index(request)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _sitemap_index(request):
    parts, latest = [], None
    base = publishing.absolute(reverse("projects:sitemap"))
    for section, sitemap_class in SITEMAPS.items():
        part = sitemap_class()
        location = f"{base}?section={section}"
        lastmod = part.get_latest_lastmod()
        if lastmod is not None:
            latest = lastmod if latest is None else max(latest, lastmod)
        parts.append(sitemap_views.SitemapIndexItem(location, lastmod))
        parts += [
            sitemap_views.SitemapIndexItem(f"{location}&p={page}", lastmod)
            for page in range(2, part.paginator.num_pages + 1)
        ]
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": parts}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest is not None:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response


urlpatterns = [
    path("feed.atom", atom_feed, name="feed_atom"),
    path("feed.json", json_feed, name="feed_json"),
    path("sitemap.xml", sitemap, name="sitemap"),
]
