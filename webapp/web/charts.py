"""Small server-side charts: bar and line charts as accessible inline SVG, and the CSV of the same figures.

Plain Python (no Flask, no JavaScript): the caller gives the points and the texts in the page's language and
gets markup to put in a template. Every chart is ``role="img"`` with an ``aria-label`` (the title) and a
``<title>``/``<desc>``; the desc states the figures in words and the page shows the data table beside it.
The SVG has a viewBox and no fixed width, so it shrinks to a phone's width (no horizontal scroll).
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup, escape

WIDTH = 360                # viewBox width: about a phone's content width, so 12 units ≈ 12 px there
FONT = 12
INK, MUTED, GRID, BAR = "#1f2937", "#4b5563", "#d1d5db", "#1d4ed8"
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Point:
    """One value: ``label`` is shown on the axis, ``title`` (default: label) in the tooltip."""
    label: str
    value: float
    title: str | None = None


def nice_max(value: float) -> float:
    """The axis end: 1, 2, 2.5 or 5 × a power of ten at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover  (the loop always returns)


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    if not _ID_RE.match(chart_id):
        raise ValueError(f"not a usable id: {chart_id!r}")
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
            f'role="img" aria-label="{escape(title)}" aria-describedby="{chart_id}-desc" id="{chart_id}" '
            f'font-family="sans-serif" font-size="{FONT}">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>']


def _empty(parts: list[str], height: int, empty: str) -> Markup:
    parts.append(f'<text x="{WIDTH / 2:g}" y="{height / 2:g}" text-anchor="middle" fill="{MUTED}">'
                 f'{escape(empty)}</text></svg>')
    return Markup("".join(parts))


def _y_axis(parts: list[str], top: int, bottom: int, left: int, right: int, top_value: float) -> None:
    """Grid lines with their values at 0, ½ and the top of the scale."""
    for fraction in (0, 0.5, 1):
        y = bottom - (bottom - top) * fraction
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:g}" y2="{y:g}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:g}" text-anchor="end" fill="{MUTED}">'
                     f'{_num(top_value * fraction)}</text>')


def _x_labels(parts: list[str], points: Sequence[Point], xs: list[float], y: int, max_labels: int) -> None:
    step = max(1, math.ceil(len(points) / max_labels))
    for i, (p, x) in enumerate(zip(points, xs, strict=True)):
        if i % step == 0:
            parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="{INK}">'
                         f'{escape(_short(p.label, 8))}</text>')


def bar_chart(points: Sequence[Point], *, chart_id: str, title: str, desc: str, empty: str = "—",
              horizontal: bool = False, height: int = 200) -> Markup:
    """Vertical bars (a few to a few dozen points), or ``horizontal`` bars with the label above each bar
    (for long labels: services, search words)."""
    if horizontal:
        return _hbar_chart(points, chart_id=chart_id, title=title, desc=desc, empty=empty)
    parts = _open(chart_id, height, title, desc)
    if not points:
        return _empty(parts, height, empty)
    left, right, top, bottom = 40, WIDTH - 6, 16, height - 24
    top_value = nice_max(max(p.value for p in points))
    _y_axis(parts, top, bottom, left, right, top_value)
    slot = (right - left) / len(points)
    bar = max(1.0, slot * 0.7)
    xs = []
    for i, p in enumerate(points):
        x = left + slot * i + (slot - bar) / 2
        h = (bottom - top) * (p.value / top_value)
        xs.append(x + bar / 2)
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                     f'fill="{BAR}">'
                     f'<title>{escape(p.title or p.label)}: {_num(p.value)}</title></rect>')
        if len(points) <= 12 and p.value:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle" '
                         f'fill="{INK}">{_num(p.value)}</text>')
    _x_labels(parts, points, xs, bottom + 16, 6)
    parts.append("</svg>")
    return Markup("".join(parts))


def _hbar_chart(points: Sequence[Point], *, chart_id: str, title: str, desc: str, empty: str) -> Markup:
    row = 36
    height = max(60, row * len(points) + 8)
    parts = _open(chart_id, height, title, desc)
    if not points:
        return _empty(parts, height, empty)
    top_value = max(p.value for p in points) or 1
    left, value_room = 4, 48
    span = WIDTH - left - value_room
    for i, p in enumerate(points):
        y = 4 + row * i
        w = max(1.0, span * (p.value / top_value)) if p.value else 0
        parts.append(f'<g><title>{escape(p.title or p.label)}: {_num(p.value)}</title>'
                     f'<text x="{left}" y="{y + 12}" fill="{INK}">{escape(_short(p.label, 26))}</text>'
                     f'<rect x="{left}" y="{y + 17}" width="{w:.1f}" height="14" fill="{BAR}"/>'
                     f'<text x="{left + w + 4:.1f}" y="{y + 29}" fill="{INK}">{_num(p.value)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: Sequence[Point], *, chart_id: str, title: str, desc: str, empty: str = "—",
               height: int = 200) -> Markup:
    """A line through the points (a day-by-day series), with a dot per point carrying its value."""
    parts = _open(chart_id, height, title, desc)
    if not points:
        return _empty(parts, height, empty)
    left, right, top, bottom = 40, WIDTH - 8, 16, height - 24
    top_value = nice_max(max(p.value for p in points))
    _y_axis(parts, top, bottom, left, right, top_value)
    n = len(points)
    xs = [left + (right - left) * (i + 0.5) / n for i in range(n)]
    ys = [bottom - (bottom - top) * (p.value / top_value) for p in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2" '
                 f'stroke-linejoin="round"/>')
    for p, x, y in zip(points, xs, ys, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3 if n <= 31 else 2}" fill="{BAR}">'
                     f'<title>{escape(p.title or p.label)}: {_num(p.value)}</title></circle>')
    _x_labels(parts, points, xs, bottom + 16, 5)
    parts.append("</svg>")
    return Markup("".join(parts))


def _cell(value) -> object:
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """CSV for spreadsheets: UTF-8 with BOM (Excel reads the Japanese), CRLF, a header row."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for r in rows:
        writer.writerow([_cell(v) for v in r])
    return buf.getvalue()
