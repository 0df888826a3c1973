"""The dashboard's charts in the page's language: title, a description in words, the SVG, and the data table
and CSV of the same figures (the series come from ``hooks.coupon_chart_series`` and ``usage.usage_figures``)."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from ..models import CouponService
from ..web.chart_card import Chart, make_chart

CHART_NAMES = ("per-day", "by-service", "remaining", "families", "partners", "zero-results")


def service_names(session) -> dict[str, str]:
    from ..web.labels import localized
    return {s.code: localized(s) for s in session.scalars(select(CouponService))}


def build_charts(session, coupon_series: dict | None, usage: dict) -> list[Chart]:
    """Every chart of the dashboard, in reading order (the coupon ones only with the coupons area)."""
    out = []
    month = _("Month")
    if coupon_series:
        days, start, end = coupon_series["days"], coupon_series["start"], coupon_series["end"]
        period = _("From %(start)s to %(end)s (Japan time), net of corrections.", start=start.isoformat(),
                   end=end.isoformat())
        per_day = coupon_series["per_day"]
        out.append(make_chart(
            "per-day", _("Coupons used per day, last %(n)d days", n=days), period,
            (_("Date"), _("Net coupons used")), [(f"{d.month}/{d.day}", n) for d, n in per_day],
            [(d.isoformat(), n) for d, n in per_day], kind="line"))
        names = service_names(session)
        by_service = coupon_series["service_window"]
        out.append(make_chart(
            "by-service", _("Coupons used per service, last %(n)d days", n=days), period,
            (_("Service"), _("Net coupons used")), [(names.get(c, c), n) for c, n in by_service],
            [(names.get(c, c), n) for c, n in by_service], horizontal=True))
        remaining = coupon_series["remaining_by_month"]
        out.append(make_chart(
            "remaining", _("Unused coupons by the month they expire"),
            _("Coupons still unused in coupon sets that can still be used, by the month of the last day "
              "they can be used."),
            (month, _("Unused coupons")), remaining, remaining))
    families, partners = usage["families"], usage["partners"]
    out.append(make_chart("families", _("New family accounts per month"),
                      _("Family accounts made in each of the last 12 months."),
                      (month, _("New family accounts")), families, families))
    out.append(make_chart("partners", _("New partner facilities per month"),
                      _("Passport partner facilities registered in each of the last 12 months, withdrawn "
                        "ones included."),
                      (month, _("New partner facilities")), partners, partners))
    zero = usage["zero_results"]
    out.append(make_chart("zero-results",
                          _("Top searches that found nothing, last %(n)d days", n=usage["days"]),
                      _("The words typed most often in searches that gave no result (web and API), to fix "
                        "the data or add synonyms."),
                      (_("Search words"), _("Searches")), zero, zero, horizontal=True))
    return out


def csv_filename(name: str, today: dt.date) -> str:
    return f"usage-{name}-{today.isoformat()}.csv"
