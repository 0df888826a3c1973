"""A chart as a page shows it: title, a description in words (with the total and the highest value), the
SVG from ``charts`` and the rows of its data table and CSV. Texts in the page's language (Flask-Babel); the
template macro is ``_chart.html``."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal, gettext as _
from markupsafe import Markup

from . import charts


@dataclass
class Chart:
    name: str                       # in the CSV's URL and the element ids
    title: str
    desc: str
    svg: Markup
    columns: tuple[str, str]        # the table's and the CSV's header
    rows: list[tuple[str, int]]     # (label as shown, value)
    csv_rows: list[tuple[str, int]]  # (label as in the CSV: ISO dates, codes kept readable, value)

    @property
    def csv(self) -> str:
        return charts.to_csv(self.columns, self.csv_rows)


def summary(rows: list[tuple[str, int]]) -> str:
    """Total and highest value in words (the part of each chart's description that states the figures)."""
    total = sum(v for _l, v in rows)
    if not rows or not total:
        return _("No figures for this period.")
    label, most = max(rows, key=lambda r: r[1])
    return _("Total: %(total)s. Highest: %(label)s (%(value)s).", total=format_decimal(total), label=label,
             value=format_decimal(most))


def make_chart(name, title, intro, columns, rows, csv_rows, *, kind="bar", horizontal=False) -> Chart:
    """A chart of ``rows`` ((label, value)); ``intro`` starts its description, the figures in words follow."""
    desc = f"{intro} {summary(rows)}"
    points = [charts.Point(label, value) for label, value in rows]
    chart_id = f"chart-{name}"
    if kind == "line":
        svg = charts.line_chart(points, chart_id=chart_id, title=title, desc=desc, empty=_("No data"))
    else:
        svg = charts.bar_chart(points, chart_id=chart_id, title=title, desc=desc, empty=_("No data"),
                               horizontal=horizontal)
    return Chart(name, title, desc, svg, columns, rows, csv_rows)
