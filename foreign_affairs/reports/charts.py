"""Charts as inline SVG, drawn on the server: the same markup on the dashboard (browser) and in report
PDFs (WeasyPrint), no JavaScript, no CDN. Each chart is an image with a title and a description for
screen readers, every bar or point has its value as a tooltip and, where given, links to the list
behind it; pages show the numbers in a table beside the chart as well (Chart.rows).
"""

import math
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from foreign_affairs import typography

from .registry import Chart

PALETTE = ("#9b1c1c", "#1d4e89", "#2f7d4f", "#b7791f", "#6b46c1", "#4a5568")
FONT = "'Portal Sans', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
_ids = count(1)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least `value` (an axis maximum)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _wrap(chart: Chart, width: int, height: int, body: list[str], key: int) -> SafeString:
    title_id, desc_id = f"chart-{key}-title", f"chart-{key}-desc"
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="{}" aria-labelledby="{} {}" font-family="{}" font-size="12">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>',
        chart.kind,
        width,
        height,
        width,
        height,
        # A picture, unless its bars are links: an image's insides are hidden from assistive technology, so
        # a chart one can follow is a group of its links (axe: nested-interactive).
        "group" if any(part.startswith("<a ") for part in body) else "img",
        title_id,
        desc_id,
        FONT,
        title_id,
        chart.title,
        desc_id,
        chart.description or chart.title,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every part is escaped above or below


def _linked(url: str, inner: str) -> str:
    return f'<a href="{escape(url)}">{inner}</a>' if url else inner


def bar_svg(chart: Chart, width: int = 640) -> SafeString:
    """Horizontal bars, one per label (first series): countries, organisations, kinds."""
    key = next(_ids)
    values = chart.series[0][1] if chart.series else []
    label_width, row, top = 170, 24, 6
    height = top * 2 + row * max(len(chart.labels), 1)
    plot = width - label_width - 60
    top_value = nice_ceiling(max(values, default=0))
    urls = chart.urls or [""] * len(chart.labels)
    body = []
    for index, (label, value, url) in enumerate(zip(chart.labels, values, urls, strict=False)):
        y = top + index * row
        length = 0 if not value else max(1.5, plot * value / top_value)
        text = escape(label if len(label) <= 18 else label[:17] + "…")
        tooltip = escape(f"{typography.label(label)}{_number(value)}{chart.unit}")
        bar = (
            f'<g class="bar"><title>{tooltip}</title>'
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="#222">{text}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" rx="2" fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" fill="#222">{escape(_number(value))}</text></g>'
        )
        body.append(_linked(url, bar))
    return _wrap(chart, width, height, body, key)


def _axis_top(chart: Chart) -> float:
    """The top of the value axis: a nice number above the largest value; four times a whole nice step when
    every value is a whole number (counts), so that the axis reads 0, 2, 4, 6, 8 rather than 2.5, 7.5."""
    values = [value or 0 for _name, series in chart.series for value in series]
    if all(float(value).is_integer() for value in values):
        return 4 * max(1, math.ceil(nice_ceiling(max(values, default=0) / 4)))
    return nice_ceiling(max(values, default=0))


def _axis(top_value: float, left: int, right: int, top: int, bottom: int) -> list[str]:
    lines = []
    for step in range(5):
        value = top_value * step / 4
        y = bottom - (bottom - top) * step / 4
        lines.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(_number(value))}</text>'
        )
    return lines


def _text_width(text: str) -> float:
    """Roughly how wide `text` is at font-size 12: a Chinese character 12 px, anything else 7 px."""
    return sum(12 if ord(character) >= 0x2E80 else 7 for character in text)


def _label_step(labels: list[str], slot: float) -> int:
    """Label every n-th point so that the labels under the axis never touch (months of a year in Chinese
    are wider than their columns)."""
    widest = max((_text_width(label) for label in labels), default=0)
    return max(1, math.ceil((widest + 8) / max(slot, 1)))


def _axis_label(label: str, x: float, y: float, width: int) -> str:
    """A label under the axis, centred on its point but kept inside the drawing."""
    half = _text_width(label) / 2
    x = min(max(x, half + 2), width - half - 2)
    return f'<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="#555">{escape(label)}</text>'


def columns_svg(chart: Chart, width: int = 640, height: int = 240) -> SafeString:
    """Vertical columns per label (months), the series side by side."""
    key = next(_ids)
    left, right, top, bottom = 48, width - 10, 12, height - 34
    top_value = _axis_top(chart)
    body = _axis(top_value, left, right, top, bottom)
    slot = (right - left) / max(len(chart.labels), 1)
    series = len(chart.series) or 1
    bar = max(2.0, slot * 0.7 / series)
    urls = chart.urls or [""] * len(chart.labels)
    every = _label_step(chart.labels, slot)
    for index, label in enumerate(chart.labels):
        x0 = left + index * slot + (slot - bar * series) / 2
        for number, (name, values) in enumerate(chart.series):
            value = values[index] or 0
            h = (bottom - top) * value / top_value
            tooltip = escape(f"{typography.label(f'{label} {name}')}{_number(value)}{chart.unit}")
            rect = (
                f'<g class="bar"><title>{tooltip}</title><rect x="{x0 + number * bar:.1f}" y="{bottom - h:.1f}" '
                f'width="{bar - 1:.1f}" height="{h:.1f}" fill="{PALETTE[number % len(PALETTE)]}"/></g>'
            )
            body.append(_linked(urls[index], rect))
        if index % every == 0:
            body.append(_axis_label(label, left + index * slot + slot / 2, bottom + 16, width))
    body += _legend(chart, left, height - 4)
    return _wrap(chart, width, height, body, key)


def line_svg(chart: Chart, width: int = 640, height: int = 240) -> SafeString:
    """Lines over the labels (months), one per series, with a dot per value."""
    key = next(_ids)
    left, right, top, bottom = 48, width - 10, 12, height - 34
    top_value = _axis_top(chart)
    body = _axis(top_value, left, right, top, bottom)
    slot = (right - left) / max(len(chart.labels), 1)  # each point in the middle of its slot, as columns are
    xs = [left + slot * (index + 0.5) for index in range(len(chart.labels))]
    urls = chart.urls or [""] * len(chart.labels)
    for number, (name, values) in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            (x, bottom - (bottom - top) * (v or 0) / top_value) for x, v in zip(xs, values, strict=False)
        ]
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}"/>'
        )
        for (x, y), label, value, url in zip(points, chart.labels, values, urls, strict=False):
            tooltip = escape(f"{typography.label(f'{label} {name}')}{_number(value)}{chart.unit}")
            dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
            body.append(_linked(url, f'<g class="point"><title>{tooltip}</title>{dot}</g>'))
    every = _label_step(chart.labels, slot)
    for index, label in enumerate(chart.labels):
        if index % every == 0:
            body.append(_axis_label(label, xs[index], bottom + 16, width))
    body += _legend(chart, left, height - 4)
    return _wrap(chart, width, height, body, key)


def _legend(chart: Chart, x: int, y: int) -> list[str]:
    if len(chart.series) < 2:
        return []
    items, offset = [], x
    for number, (name, _values) in enumerate(chart.series):
        items.append(
            f'<rect x="{offset}" y="{y - 9}" width="10" height="10" fill="{PALETTE[number % len(PALETTE)]}"/>'
            f'<text x="{offset + 14}" y="{y}" fill="#333">{escape(name)}</text>'
        )
        offset += 24 + 12 * len(str(name))
    return items


RENDERERS = {"bar": bar_svg, "columns": columns_svg, "line": line_svg}


def chart_svg(chart: Chart, **size) -> SafeString:
    return RENDERERS[chart.kind](chart, **size)
