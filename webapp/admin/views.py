"""Programme administration: the dashboard (the other routes are in review.py, facilities.py and content.py)."""
from __future__ import annotations

from flask import render_template

from ..extensions import db
from ..timeutil import today_jst
from . import hooks
from . import operations as ops
from .blueprint import admin_only, bp


@bp.route("/")
@admin_only
def dashboard():
    """Facilities by municipality and category, applications waiting, renewal, and the coupon figures."""
    today = today_jst()
    figures = ops.dashboard(db.session, today)
    # === COUPON FIGURES: filled by the coupons area through hooks.coupon_figures (see hooks.py) ===
    coupon_figures = hooks.coupon_figures(db.session, today)
    return render_template("admin/dashboard.html", d=figures, coupon_figures=coupon_figures, today=today)
