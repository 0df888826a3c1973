"""Places where other areas plug into programme administration without editing it.

* Navigation: ``register_admin_link("coupons_admin.batches", _l("Serial codes"))`` from that area's
  ``init_app`` adds a link to the admin menu (shown when the endpoint exists). Serial-code batches, providers
  and agents' tools are built by their areas and linked this way.
* Dashboard, COUPON FIGURES: a module ``webapp/coupons/dashboard.py`` with
  ``dashboard_figures(session, today) -> dict`` and a template ``coupons/_admin_dashboard.html`` (it gets the
  dict as ``coupon_figures``) fill the marked section of the dashboard: coupons claimed and redeemed by service
  and by month, budget used. ``chart_series(session, today, days)`` in the same module gives the series of the
  dashboard's coupon charts (``coupon_chart_series`` below; drawn by ``webapp.admin.usage_charts``).
"""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_LINKS: list[tuple[str, object]] = []


def register_admin_link(endpoint: str, label) -> None:
    """Add a link to the admin menu (label: a lazy translated string)."""
    if endpoint not in (e for e, _ in _LINKS):
        _LINKS.append((endpoint, label))


def admin_links(view_functions) -> list[tuple[str, object]]:
    """The registered links whose endpoints exist in this app."""
    return [(e, label) for e, label in _LINKS if e in view_functions]


def coupon_figures(session: Session, today: dt.date) -> dict | None:
    """=== COUPON FIGURES (filled by the coupons area) === None until ``webapp.coupons.dashboard`` exists."""
    try:
        from ..coupons.dashboard import dashboard_figures  # type: ignore[import-not-found]
    except ImportError:
        return None
    return dashboard_figures(session, today)


def coupon_chart_series(session: Session, today: dt.date, days: int = 30) -> dict | None:
    """The series of the dashboard's coupon charts over the last ``days`` days (``chart_series`` in
    ``webapp.coupons.dashboard``); None without the coupons area."""
    try:
        from ..coupons.dashboard import chart_series  # type: ignore[import-not-found]
    except ImportError:
        return None
    return chart_series(session, today, days)
