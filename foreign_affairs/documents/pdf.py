"""Rendering PDFs from Django templates with WeasyPrint.

Chinese renders on any machine: the portal ships Noto Sans SC (static/fonts/, OFL) and loads it with
@font-face, so no system CJK font is needed. One FontConfiguration and one parsed base stylesheet
are kept per process (loading the font costs ~0.1 s; rendering a page afterwards ~20 ms with
Debian's libharfbuzz-subset0). Templates can only reach the portal's static files and data: URIs;
every other URL is refused, so user data in a template cannot make the renderer fetch anything.

A template's own stylesheet, when it has one, is the static file of the same path ending in .css
(approvals/pdf/permit.html → static approvals/pdf/permit.css): it is parsed once per process too, as a
<style> in the template would be parsed again for every document. preload_fonts() and preload_templates() do all
the loading when a worker process starts (foreign_affairs.warm_up), so that its first permit does not load
the font.
"""

import io
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_STYLESHEET = "css/pdf.css"
# Both weights of the font, in Chinese and in Latin letters: the first layout of each makes Pango and
# HarfBuzz open the face, which is what took the first permit of a process about a second.
PRELOAD_PAGE = "<p>河南省外事办公室 Henan <b>因公出国（境）任务批件 Permit</b></p>"
_lock = threading.Lock()
_font_config: FontConfiguration | None = None
_base_css: CSS | None = None
_fetcher = None
_template_css: dict[str, CSS | None] = {}


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


def _template_stylesheet(template_name: str, font_config: FontConfiguration) -> CSS | None:
    """The template's own stylesheet (static, same path ending in .css), parsed on first use."""
    with _lock:
        if template_name not in _template_css:
            static_name = template_name.rsplit(".", 1)[0] + ".css"
            path = finders.find(static_name)
            _template_css[template_name] = path and CSS(
                filename=path,
                base_url=_base_url() + settings.STATIC_URL.lstrip("/") + static_name,
                url_fetcher=_fetcher,
                font_config=font_config,
            )
        return _template_css[template_name]


def preload_fonts() -> None:
    """Load the font faces and parse the base stylesheet now, and lay out one tiny page with them.

    Called when a PDF worker process starts (Celery's worker_process_init): the first document of the
    process is then as fast as the next ones. Raises RuntimeError when the page was not set in the
    portal's font (WeasyPrint only logs a font it cannot load, and would print Chinese as empty boxes),
    so that a broken installation stops the worker at start rather than spoiling its permits.
    """
    font_config, base_css = _shared()
    pdf = HTML(string=PRELOAD_PAGE, base_url=_base_url(), url_fetcher=_fetcher).write_pdf(
        stylesheets=[base_css], font_config=font_config
    )
    fonts = embedded_fonts(pdf)
    if not {"Portal-Sans", "Portal-Sans-Bold"} <= fonts:
        raise RuntimeError(f"The PDF font (static/fonts/) did not load: the page used {sorted(fonts)}.")


def pdf_templates() -> list[str]:
    """The names of the PDF templates: every template in a folder named pdf (approvals/pdf/permit.html)."""
    from django.template.utils import get_app_template_dirs

    folders = [
        *(Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]),
        *get_app_template_dirs("templates"),
    ]
    return sorted(
        {path.relative_to(folder).as_posix() for folder in folders for path in folder.glob("*/pdf/*.html")}
    )


def preload_templates() -> None:
    """Compile the PDF templates and parse their own stylesheets now (a worker process starting), not
    with the first document of each."""
    from django.template.loader import get_template

    font_config = _shared()[0]
    for name in pdf_templates():
        get_template(name)
        _template_stylesheet(name, font_config)


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts embedded in a PDF, without their subset prefix ("Portal-Sans")."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def render_pdf(
    template_name: str, context: dict | None = None, *, stylesheets: tuple[str, ...] = ()
) -> bytes:
    """Render a template to PDF bytes, with the portal's base stylesheet (fonts, page, tables) and the
    template's own stylesheet if it has one (see the module's docstring).

    `stylesheets` are extra CSS strings, parsed for each document. Call it from Celery tasks for anything
    longer than a page.
    """
    font_config, base_css = _shared()
    own = _template_stylesheet(template_name, font_config)
    html = render_to_string(template_name, context or {})
    document = HTML(string=html, base_url=_base_url(), url_fetcher=_fetcher)
    extra = [CSS(string=css, font_config=font_config, url_fetcher=_fetcher) for css in stylesheets]
    return document.write_pdf(
        stylesheets=[base_css, *([own] if own else []), *extra], font_config=font_config
    )
