"""PDF: a cover, the contents, the report's sections (figures and charts, each chart with its numbers as a
table) rendered by WeasyPrint from reports/pdf/report.html, then the full list drawn by ReportLab
(pdf_list.py), the two joined with pypdf into one document with "page X of Y" on every page.

WeasyPrint lays out ~200 table rows a second, far too slow for a year of applications (50 000 rows), so it
only renders the few pages in front. The list has a fixed row height, so its page count is known from the
row count before it is drawn; the front matter is rendered until its page count is stable with the final
numbers in its contents and footers (usually twice; once when the count seen last time for the same
report still holds), and the list is then drawn knowing its first page and the total.
"""

import io
import logging
import tempfile
import threading
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from foreign_affairs import typography
from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.documents.pdf import render_pdf

from ..charts import chart_svg
from . import pdf_list
from .pdf_list import Geometry, ListPages
from .personal import MARK, NOTICE, is_personal

logger = logging.getLogger(__name__)

TEMPLATE = "reports/pdf/report.html"
STYLESHEET = "css/report-pdf.css"
OFFICE_ZH = "河南省人民政府外事侨务办公室"
OFFICE_EN = "Foreign and Overseas Chinese Affairs Office of Henan Province"
CHART_WIDTH = {True: 700, False: 640}  # px of the SVG: landscape leaves room for the numbers beside it
MAX_FRONT_RENDERS = 4
_front_pages_seen: dict[tuple[str, str, bool], int] = {}  # report → front-matter pages of its last export
_stylesheet: str | None = None
_lock = threading.Lock()


def write_pdf(definition, filters, out, progress) -> int:
    """Write the report as PDF to the binary file `out`; return the number of rows in its list."""
    progress(1)
    geometry = Geometry(definition.landscape)
    count = definition.count(filters)
    sections = definition.sections(filters)
    list_pages = geometry.pages_for(count)
    progress(3)
    front, front_pages = _front_matter(definition, filters, sections, count, list_pages, geometry)
    progress(10)
    pages = ListPages(
        columns=definition.columns,
        geometry=geometry,
        first_page=front_pages + 1,
        total_pages=front_pages + list_pages,
        running_left=_("Foreign and Overseas Chinese Affairs Office of Henan Province"),
        running_right=_running_title(definition, filters),
        page_label=_page_label,
        empty_message=_("There is nothing to list in this period."),
        title=str(definition.title),
    )
    with tempfile.TemporaryFile() as listed:
        # Rows are read in a transaction of their own (the job's progress must be committed as it
        # goes), so some may come or go after the count: the list keeps to the pages counted.
        rows = pages.write(
            definition.rows(filters),
            count,
            listed,
            progress=lambda drawn, whole: progress(10 + 85 * drawn // max(whole, 1)),
        )
        progress(95)
        listed.seek(0)
        _merge(front, listed, out, definition=definition, list_start=front_pages, rows=rows)
    if rows < count:
        logger.warning("report rows fewer than counted", extra={"report": definition.name, "rows": rows})
    progress(99)
    return rows


# The front matter ------------------------------------------------------------------------------------------


def _front_matter(definition, filters, sections, count, list_pages, geometry) -> tuple[bytes, int]:
    """The cover, contents and sections as PDF bytes, and their page count, rendered with the final page
    numbers: rendered again until the page count it was given is the one it has."""
    key = (definition.name, get_language() or "", geometry.landscape)
    guess = _front_pages_seen.get(key, 0)
    context = _context(definition, filters, sections, count, geometry)
    for _attempt in range(MAX_FRONT_RENDERS):
        document = render_pdf(
            TEMPLATE,
            {**context, **_numbers(guess, list_pages)},
            stylesheets=(_static_stylesheet(),),
        )
        pages = len(PdfReader(io.BytesIO(document)).pages)
        if pages == guess:
            _front_pages_seen[key] = pages
            return document, pages
        guess = pages
    raise RuntimeError(f"the front matter of {definition.name} does not settle on a page count")


def _numbers(front_pages: int, list_pages: int) -> dict:
    total = front_pages + list_pages
    before, after = (_page_label("\0", total)).split("\0", 1)
    return {
        "list_page": front_pages + 1,
        "total_pages": total,
        "footer_before": _css_string(before),
        "footer_after": _css_string(after),
    }


def _context(definition, filters, sections, count, geometry) -> dict:
    landscape = geometry.landscape
    return {
        "lang": get_language() or "zh-hans",
        "office_zh": OFFICE_ZH,
        "office_en": OFFICE_EN,
        "title": str(definition.title),
        "personal_notice": NOTICE if is_personal(definition) else (),
        "description": str(definition.description),
        "period": _period(filters),
        "area": _area(filters),
        "made_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "count": f"{count:,}",
        "sections": [_section(section, landscape) for section in sections],
        "list_title": _("Full list"),
        "list_note": _("%(count)s rows, the columns as in the CSV and XLSX exports.")
        % {"count": f"{count:,}"},
        "landscape": landscape,
        "page_size": "A4 landscape" if landscape else "A4",
        "margins": " ".join(
            f"{margin}mm"
            for margin in (
                pdf_list.MARGIN_TOP,
                pdf_list.MARGIN_RIGHT,
                pdf_list.MARGIN_BOTTOM,
                pdf_list.MARGIN_LEFT,
            )
        ),
        "header_gap": f"{pdf_list.HEADER_GAP}mm",
        "running_left": _css_string(_("Foreign and Overseas Chinese Affairs Office of Henan Province")),
        "running_right": _css_string(_running_title(definition, filters)),
    }


def _section(section, landscape: bool) -> dict:
    return {
        "key": f"section-{section.key}",
        "title": section.title,
        "note": section.note,
        "figures": [
            {
                "label": figure.label,
                "value": _value(figure.value),
                "unit": figure.unit if figure.value is not None else "",
                "tight": figure.unit in ("%", "‰"),
                "hint": figure.hint,
                "tone": figure.tone,
                "url": figure.url,
            }
            for figure in section.figures
        ],
        "charts": [
            {
                "title": chart.title,
                "description": chart.description,
                "svg": chart_svg(chart, width=CHART_WIDTH[landscape]),
                "series": [typography.annotate(name, chart.unit.strip()) for name, _values in chart.series],
                "rows": [(label, [_value(v) for v in values]) for label, values, _url in chart.rows],
            }
            for chart in section.charts
        ],
    }


def _value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return str(value)


def _period(filters) -> str:
    return f"{filters.date_from.isoformat()} – {filters.date_to.isoformat()}"


def _area(filters) -> str:
    if not filters.ftz_area:
        return _("All areas")
    return str(dict(FTZArea.choices).get(filters.ftz_area, filters.ftz_area))


def _running_title(definition, filters) -> str:
    title = f"{definition.title} · {_period(filters)} · {_area(filters)}"
    return f"{title} · {MARK}" if is_personal(definition) else title


def _page_label(page, pages) -> str:
    return _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}


def _css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = (
        str(text)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\a ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped for CSS above; no markup can close the element


def _static_stylesheet() -> str:
    global _stylesheet
    with _lock:
        if _stylesheet is None:
            with open(finders.find(STYLESHEET), encoding="utf-8") as handle:
                _stylesheet = handle.read()
        return _stylesheet


# Joining the parts --------------------------------------------------------------------------------------


def _merge(front: bytes, listed, out, *, definition, list_start: int, rows: int) -> None:
    """The front matter's pages (with its bookmarks and links), then the list's; a bookmark to the list."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    writer.append(PdfReader(listed))
    writer.add_outline_item(title=typography.annotate(_("Full list"), f"{rows:,}"), page_number=list_start)
    writer.add_metadata(
        {
            "/Title": str(definition.title),
            "/Author": _("Foreign and Overseas Chinese Affairs Office of Henan Province"),
            "/Creator": "Henan Foreign Affairs Service Portal",
            **({"/Subject": " ".join(NOTICE)} if is_personal(definition) else {}),
        }
    )
    writer.write(out)
