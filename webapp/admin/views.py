"""Programme administration: the dashboard (the other routes are in review.py, facilities.py and content.py)."""
from __future__ import annotations

from flask import abort, make_response, render_template, request

from ..extensions import db
from ..timeutil import today_jst
from . import hooks
from . import operations as ops
from .blueprint import admin_only, bp
from . import usage, usage_charts


@bp.route("/")
@admin_only
def dashboard():
    """Facilities by municipality and category, applications waiting, renewal, and the coupon figures."""
    today, days = today_jst(), _days_arg()
    figures = ops.dashboard(db.session, today)
    # === COUPON FIGURES: filled by the coupons area through hooks.coupon_figures (see hooks.py) ===
    coupon_figures = hooks.coupon_figures(db.session, today)
    charts = _usage_charts(today, days)
    return render_template("admin/dashboard.html", d=figures, coupon_figures=coupon_figures, today=today,
                           usage_charts=charts, days=days, day_choices=usage.DAY_CHOICES)


def _days_arg() -> int:
    """The period of the per-day charts: 30 (default) or 60 days."""
    days = request.args.get("days", type=int)
    return days if days in usage.DAY_CHOICES else usage.DAY_CHOICES[0]


def _usage_charts(today, days):
    return usage_charts.build_charts(db.session, hooks.coupon_chart_series(db.session, today, days),
                                     usage.usage_figures(db.session, today, days=days))


@bp.route("/usage.csv")
@admin_only
def usage_csv():
    """One dashboard chart's figures as CSV (UTF-8 with BOM): ``?chart=per-day`` (default) and ``days``."""
    name = request.args.get("chart", usage_charts.CHART_NAMES[0])
    if name not in usage_charts.CHART_NAMES:
        abort(404)
    today = today_jst()
    chart = next((c for c in _usage_charts(today, _days_arg()) if c.name == name), None)
    if chart is None:
        abort(404)
    response = make_response(chart.csv)
    response.mimetype, response.charset = "text/csv", "utf-8"
    filename = usage_charts.csv_filename(name, today)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

