"""The list part of a report PDF, drawn with ReportLab's canvas.

WeasyPrint lays out ~200 table rows a second; a year of travel approvals is 50 000 rows. Here every row has
the same height and every cell is one line of text cut to its column's width with an ellipsis, so a page
holds a known number of rows and the page count is known before anything is drawn; each page is written
as one stream of PDF text operators (the subset and width of each distinct string are cached), which
draws ~10 000 rows of Chinese text a second.

The font is the portal's own Noto Sans SC (static/fonts/, the same files WeasyPrint loads): the WOFF
files are converted to TrueType in memory once per process and registered with ReportLab, which embeds
the glyphs used.
"""

import datetime
import io
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "PortalSans"
BOLD = "PortalSans-Bold"
FONT_FILES = {REGULAR: "fonts/NotoSansSC-Regular.subset.woff", BOLD: "fonts/NotoSansSC-Bold.subset.woff"}
ELLIPSIS = "…"
SQUEEZE = 1.12  # text up to 12 % too wide for its cell is narrowed to fit rather than cut
HEAD_SQUEEZE = 1.25  # column labels, up to 25 %
NO_LINE_START = set("）」』】〕〉》，。、；：？！…)]},.;:?!")  # punctuation a line does not start with
EMPTY = "—"
CACHED = 20_000  # strings kept per cache: recurring values stay, unique ones (titles) are dropped in bulk
_font_lock = threading.Lock()

# Margins in millimetres, shared with the WeasyPrint front matter (reports/pdf/report.html) so that both
# parts of the document have the same running header, footer and text area.
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 18, 14, 16, 14
HEADER_GAP = 1.5  # mm between the running header's text and its rule (the top of the text area)
FONT_SIZE = 7.5  # pt, body rows and column labels
HEAD_SIZE = 7.5  # pt, running header and footer
ROW_HEIGHT = 12.0  # pt
HEAD_ROW_HEIGHT = 19.0  # pt, the column labels (up to two lines)
TABLE_GAP = 3 * mm  # between the running header's rule and the table
PADDING = 2.5  # pt, left and right inside a cell

RED = (0x9B / 255, 0x1C / 255, 0x1C / 255)
INK = (0.067, 0.067, 0.067)
GREY = (0.333, 0.333, 0.333)
HEAD_FILL = (0xEE / 255, 0xF1 / 255, 0xF5 / 255)
STRIPE_FILL = (0xF7 / 255, 0xF8 / 255, 0xFA / 255)
RULE = (0.6, 0.6, 0.6)


def register_fonts() -> None:
    """Make the shipped Noto Sans SC (regular and bold) known to ReportLab, once per process."""
    with _font_lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for name, relative in FONT_FILES.items():
            if name in registered:
                continue
            from fontTools.ttLib import TTFont as FontToolsFont

            font = FontToolsFont(finders.find(relative), recalcBBoxes=False, recalcTimestamp=False)
            font.flavor = None  # WOFF → plain TrueType (sfnt), which ReportLab reads
            data = io.BytesIO()
            font.save(data)
            data.seek(0)
            pdfmetrics.registerFont(TTFont(name, data))


@dataclass(frozen=True)
class Geometry:
    """A4 in points, portrait or landscape, and where the list's rows go."""

    landscape: bool

    @property
    def size(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4

    @property
    def left(self) -> float:
        return MARGIN_LEFT * mm

    @property
    def right(self) -> float:
        return self.size[0] - MARGIN_RIGHT * mm

    @property
    def top(self) -> float:
        """The running header's rule; the text area starts below it."""
        return self.size[1] - MARGIN_TOP * mm

    @property
    def bottom(self) -> float:
        return MARGIN_BOTTOM * mm

    @property
    def table_top(self) -> float:
        return self.top - TABLE_GAP

    @property
    def rows_per_page(self) -> int:
        return int((self.table_top - HEAD_ROW_HEIGHT - self.bottom) // ROW_HEIGHT)

    def pages_for(self, rows: int) -> int:
        """Pages of the list for `rows` rows (one page saying there is nothing when there are none)."""
        return max(1, math.ceil(rows / self.rows_per_page))


def cell_text(value, kind: str) -> str:
    """A value as one line of text: dates YYYY-MM-DD, nothing (None or "") as a dash, numbers with thousands
    separators."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if kind == "number" else str(value)
    return " ".join(str(value).split())


class TextRuns:
    """PDF text operators for strings in one font and size, cached: the font's subsets split per string
    and each string's width are computed once however often the string recurs (organisations, states,
    dates recur on every page)."""

    def __init__(self, canvas: Canvas, font_name: str, size: float):
        self.font = pdfmetrics.getFont(font_name)
        self.doc = canvas._doc  # ReportLab's documented way to name a dynamic font's subsets (ttfonts.py)
        self.name, self.size = font_name, size
        self._ops: dict[str, tuple[str, float]] = {}

    def width(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, self.name, self.size)

    def ops(self, text: str) -> tuple[str, float]:
        """(operators that show `text` at the current text position, its width in points)."""
        found = self._ops.get(text)
        if found is None:
            parts = []
            for subset, chunk in self.font.splitString(text, self.doc):
                internal = self.font.getSubsetInternalName(subset, self.doc)
                parts.append(f"{internal} {self.size:g} Tf ({escapePDF(chunk)}) Tj")
            found = (" ".join(parts), self.width(text))
            if len(self._ops) > CACHED:  # unique values (titles, references) would grow it without end
                self._ops.clear()
            self._ops[text] = found
        return found

    def prefix(self, text: str, room: float) -> int:
        """The length of the longest start of `text` that fits in `room` points."""
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(text[:middle]) <= room:
                low = middle
            else:
                high = middle - 1
        return low

    def fit(self, text: str, room: float) -> str:
        """`text`, or as much of it as fits in `room` points followed by an ellipsis."""
        if self.width(text) <= room:
            return text
        return text[: self.prefix(text, room - self.width(ELLIPSIS))].rstrip() + ELLIPSIS

    def cell(self, text: str, room: float, squeeze: float = SQUEEZE) -> tuple[str, float]:
        """(operators, width) of `text` in a cell `room` points wide: whole; narrowed a little when it is
        only a little too wide (a reference or a date is better whole); else cut with an ellipsis."""
        width = self.width(text)
        if width <= room:
            return self.ops(text)
        if width <= room * squeeze:
            operators, _width = self.ops(text)
            return f"{100 * room / width:.1f} Tz {operators} 100 Tz", room
        return self.ops(self.fit(text, room))

    def lines(self, text: str, room: float, squeeze: float = HEAD_SQUEEZE) -> list[str]:
        """`text` in one line, or two when it is too wide even narrowed by `squeeze`: broken at a space, or
        between two characters of Chinese (never before closing punctuation); a single Latin word is not
        broken (cell() narrows or cuts it)."""
        if self.width(text) <= room * squeeze:
            return [text]
        words = text.split()
        if len(words) > 1:
            head = words[0]
            for index in range(2, len(words)):
                candidate = " ".join(words[:index])
                if self.width(candidate) > room:
                    break
                head = candidate
            return [head, text[len(head) :].strip()]
        if any(ord(character) >= 0x2E80 for character in text):
            cut = self.prefix(text, room) or 1
            while 1 < cut < len(text) and text[cut] in NO_LINE_START:
                cut -= 1
            return [text[:cut], text[cut:]]
        return [text]


def _rgb(colour: tuple[float, float, float], stroke: bool = False) -> str:
    return f"{colour[0]:.3f} {colour[1]:.3f} {colour[2]:.3f} {'RG' if stroke else 'rg'}"


@dataclass
class ListPages:
    """Draws the list: `first_page` is its first page's number in the whole document of `total_pages`.

    `running_left` and `running_right` are the texts of the running header (the office; the report and
    period), `page_label` turns (page, pages) into the footer text, `empty_message` is shown on the one
    page of an empty list.
    """

    columns: list  # registry.Column
    geometry: Geometry
    first_page: int
    total_pages: int
    running_left: str
    running_right: str
    page_label: Callable[[int, int], str]
    empty_message: str
    title: str = ""

    def write(
        self, rows: Iterable[tuple], count: int, out, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Draw `count` rows from `rows` onto exactly geometry.pages_for(count) pages written to `out`;
        returns the number of rows drawn (never more than `count`, so that the page numbers hold).
        `progress(drawn, count)` is called after each page."""
        register_fonts()
        geometry = self.geometry
        canvas = Canvas(
            out,
            pagesize=geometry.size,
            pageCompression=1,
            initialFontName=REGULAR,  # no unused Helvetica in the file
            initialFontSize=FONT_SIZE,
        )
        canvas.setTitle(self.title)
        body = TextRuns(canvas, REGULAR, FONT_SIZE)
        bold = TextRuns(canvas, BOLD, FONT_SIZE)
        small = TextRuns(canvas, REGULAR, HEAD_SIZE)
        small_bold = TextRuns(canvas, BOLD, HEAD_SIZE)
        layout = self._columns()
        fitted: list[dict[str, tuple[str, float]]] = [{} for _column in self.columns]
        pages = geometry.pages_for(count)
        per_page = geometry.rows_per_page
        iterator: Iterator[tuple] = iter(rows)
        drawn = 0
        for page in range(pages):
            chunk = list(islice(iterator, min(per_page, count - drawn))) if count > drawn else []
            ops = [self._frame(page, small, small_bold), self._head(bold, layout)]
            if chunk:
                ops.append(self._rows(chunk, body, layout, fitted))
            elif page == 0:
                ops.append(self._empty(body))
            canvas.addLiteral("\n".join(ops))
            canvas.showPage()
            drawn += len(chunk)
            if progress is not None:
                progress(drawn, count)
        canvas.save()
        return drawn

    def _columns(self) -> list[tuple[float, float, str]]:
        """(x, width, kind) of each column: the text area shared in proportion to Column.width."""
        total = sum(max(column.width, 0.1) for column in self.columns) or 1
        room = self.geometry.right - self.geometry.left
        x, layout = self.geometry.left, []
        for column in self.columns:
            width = room * max(column.width, 0.1) / total
            layout.append((x, width, column.kind))
            x += width
        return layout

    def _frame(self, page: int, small: TextRuns, small_bold: TextRuns) -> str:
        """The running header (office, report and period, a red rule) and the footer (page X of Y)."""
        g = self.geometry
        half = (g.right - g.left) / 2 - 4
        left, _width = small_bold.ops(small_bold.fit(self.running_left, half))
        right_text = small.fit(self.running_right, half)
        right, right_width = small.ops(right_text)
        footer_text = self.page_label(self.first_page + page, self.total_pages)
        footer, footer_width = small.ops(footer_text)
        baseline = g.top + HEADER_GAP * mm + 1.5
        footer_y = g.bottom / 2 - HEAD_SIZE * 0.35
        centre = (g.left + g.right) / 2
        return (
            f"q {_rgb(RED, stroke=True)} 0.75 w {g.left:.2f} {g.top:.2f} m {g.right:.2f} {g.top:.2f} l S Q\n"
            f"BT {_rgb(RED)} 1 0 0 1 {g.left:.2f} {baseline:.2f} Tm {left}\n"
            f"{_rgb(GREY)} 1 0 0 1 {g.right - right_width:.2f} {baseline:.2f} Tm {right}\n"
            f"1 0 0 1 {centre - footer_width / 2:.2f} {footer_y:.2f} Tm {footer} ET"
        )

    def _head(self, bold: TextRuns, layout) -> str:
        """The column labels, on every page; a label too long for its column takes two lines."""
        g = self.geometry
        bottom = g.table_top - HEAD_ROW_HEIGHT
        ops = [
            f"q {_rgb(HEAD_FILL)} {g.left:.2f} {bottom:.2f} {g.right - g.left:.2f} {HEAD_ROW_HEIGHT:.2f} re f",
            f"{_rgb(RULE, stroke=True)} 0.6 w {g.left:.2f} {bottom:.2f} m {g.right:.2f} {bottom:.2f} l S Q",
            f"BT {_rgb(INK)}",
        ]
        leading = FONT_SIZE + 1.3
        for column, (x, width, kind) in zip(self.columns, layout, strict=True):
            room = width - 2 * PADDING
            lines = bold.lines(str(column.label), room)
            y = bottom + (HEAD_ROW_HEIGHT - FONT_SIZE) / 2 + 1.0 + (len(lines) - 1) * leading / 2
            for line in lines:
                text, text_width = bold.cell(line, room, squeeze=HEAD_SQUEEZE)
                left = x + width - PADDING - text_width if kind == "number" else x + PADDING
                ops.append(f"1 0 0 1 {left:.2f} {y:.2f} Tm {text}")
                y -= leading
        ops.append("ET")
        return "\n".join(ops)

    def _rows(self, chunk: list[tuple], body: TextRuns, layout, fitted: list[dict]) -> str:
        g = self.geometry
        top = g.table_top - HEAD_ROW_HEIGHT
        stripes = [
            f"{g.left:.2f} {top - (index + 1) * ROW_HEIGHT:.2f} {g.right - g.left:.2f} {ROW_HEIGHT:.2f} re"
            for index in range(1, len(chunk), 2)
        ]
        ops = [f"q {_rgb(STRIPE_FILL)} {' '.join(stripes)} f Q" if stripes else "", f"BT {_rgb(INK)}"]
        append = ops.append
        columns = [
            (x, width - 2 * PADDING, kind, cache)
            for (x, width, kind), cache in zip(layout, fitted, strict=True)
        ]
        for index, row in enumerate(chunk):
            y = top - (index + 1) * ROW_HEIGHT + (ROW_HEIGHT - FONT_SIZE) / 2 + 1.1
            for value, (x, room, kind, cache) in zip(row, columns, strict=False):
                text = cell_text(value, kind)
                found = cache.get(text)
                if found is None:
                    found = body.cell(text, room)
                    if len(cache) > CACHED:
                        cache.clear()
                    cache[text] = found
                operators, width = found
                left = x + room + PADDING - width if kind == "number" else x + PADDING
                append(f"1 0 0 1 {left:.2f} {y:.2f} Tm {operators}")
        append("ET")
        return "\n".join(ops)

    def _empty(self, body: TextRuns) -> str:
        g = self.geometry
        text, width = body.ops(body.fit(self.empty_message, g.right - g.left))
        y = g.table_top - HEAD_ROW_HEIGHT - 2.5 * ROW_HEIGHT
        return f"BT {_rgb(GREY)} 1 0 0 1 {(g.left + g.right - width) / 2:.2f} {y:.2f} Tm {text} ET"
