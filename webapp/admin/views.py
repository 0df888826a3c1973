"""Programme administration pages (blueprint ``admin``, URLs under /admin). Every route is for the admin role
(``role_required("admin")`` on each one; a test walks the URL map to prove it). The routes live in a few
modules: this one (dashboard), review.py (applications), facilities.py (facilities, CSV), content.py
(notices, users and roles)."""
from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, make_response, render_template, request

from ..accounts.forms import today_jst
from ..accounts.models import ROLE_ADMIN
from ..extensions import db
from ..roles import role_required
from . import hooks
from . import operations as ops
from . import usage, usage_charts

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = role_required(ROLE_ADMIN)
JST = ZoneInfo("Asia/Tokyo")
IMPORT_MAX_BYTES = 10 * 1024 * 1024


@bp.url_value_preprocessor
def _request_limits(endpoint, values):
    """Runs before the CSRF check reads the form: only the CSV upload may be larger than the site's limit."""
    if endpoint == "admin.import_facilities":
        request.max_content_length = IMPORT_MAX_BYTES


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


@bp.app_template_global()
def admin_extra_links():
    """Links other areas registered for the admin menu (see hooks.py)."""
    return hooks.admin_links(current_app.view_functions)


@bp.app_template_global()
def role_label(role: str) -> str:
    from .forms import ROLE_LABELS
    return str(ROLE_LABELS.get(role, role))


@bp.app_template_global()
def audience_label(audience: str) -> str:
    from .forms import AUDIENCE_LABELS
    return str(AUDIENCE_LABELS.get(audience, audience))


@bp.app_template_filter("municipality_name")
def municipality_name(code: str) -> str:
    from ..models import Municipality
    from ..search.views import localized
    m = db.session.get(Municipality, code) if code else None
    return localized(m) if m is not None else (code or "")


def page_arg() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 10_000))
    except ValueError:
        return 1


def to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A Japan wall-clock time from a form as naive UTC (how times are stored)."""
    if local is None:
        return None
    return local.replace(tzinfo=JST).astimezone(dt.timezone.utc).replace(tzinfo=None)


def to_jst(utc: dt.datetime | None) -> dt.datetime | None:
    if utc is None:
        return None
    return utc.replace(tzinfo=dt.timezone.utc).astimezone(JST).replace(tzinfo=None)


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


def init_app(app) -> None:
    """Register the blueprint with all its route modules."""
    from . import content, facilities, review  # noqa: F401  (routes on bp)
    app.register_blueprint(bp)
