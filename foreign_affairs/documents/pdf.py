"""Rendering PDFs from Django templates with WeasyPrint.

Chinese renders on any machine: the portal ships Noto Sans SC (static/fonts/, OFL) and loads it with
@font-face, so no system CJK font is needed. One FontConfiguration and one parsed base stylesheet
are kept per process (loading the font costs ~0.1 s; rendering a page afterwards ~20 ms with
Debian's libharfbuzz-subset0). Templates can only reach the portal's static files and data: URIs;
every other URL is refused, so user data in a template cannot make the renderer fetch anything.
"""

import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_STYLESHEET = "css/pdf.css"
_lock = threading.Lock()
_font_config: FontConfiguration | None = None
_base_css: CSS | None = None
_fetcher = None


def _base_url() -> str:
    return f"{settings.PORTAL_BASE_URL}/"


class PortalURLFetcher(URLFetcher):
    """Serves the portal's static files and data: URIs; refuses every other URL."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static = urlsplit(_base_url() + settings.STATIC_URL.lstrip("/"))
        if (parts.scheme, parts.netloc) == (static.scheme, static.netloc) and parts.path.startswith(
            static.path
        ):
            relative = unquote(parts.path[len(static.path) :])
            path = finders.find(relative) if ".." not in relative.split("/") else None
            if path:
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"PDF templates may only load the portal's static files, not {url!r}")


def _shared() -> tuple[FontConfiguration, CSS]:
    global _font_config, _base_css, _fetcher
    with _lock:
        if _base_css is None:
            _fetcher = PortalURLFetcher()
            _font_config = FontConfiguration()
            _base_css = CSS(
                filename=finders.find(BASE_STYLESHEET),
                base_url=_base_url() + settings.STATIC_URL.lstrip("/") + "css/",
                url_fetcher=_fetcher,
                font_config=_font_config,
            )
        return _font_config, _base_css


def render_pdf(
    template_name: str, context: dict | None = None, *, stylesheets: tuple[str, ...] = ()
) -> bytes:
    """Render a template to PDF bytes, with the portal's base stylesheet (fonts, page, tables).

    `stylesheets` are extra CSS strings. Call it from Celery tasks for anything longer than a page.
    """
    font_config, base_css = _shared()
    html = render_to_string(template_name, context or {})
    document = HTML(string=html, base_url=_base_url(), url_fetcher=_fetcher)
    extra = [CSS(string=css, font_config=font_config, url_fetcher=_fetcher) for css in stylesheets]
    return document.write_pdf(stylesheets=[base_css, *extra], font_config=font_config)
