"""Coupon figures for the administration dashboard: claims, net uses by service and month, budget used."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..timeutil import to_jst
from .models import KIND_REDEEM, KIND_REVERSAL, CouponProgramme, CouponSet, LedgerEntry


def dashboard_figures(session: Session, today: dt.date) -> dict:
    """Sets claimed per programme, net coupons used per service and per month (Japan time, the month of the
    use; a correction counts against the use it corrects), and the budget used (net coupons × face value)."""
    programmes = session.scalars(select(CouponProgramme).order_by(CouponProgramme.fiscal_year)).all()
    claimed = dict(session.execute(select(CouponSet.programme_id, func.count()).group_by(CouponSet.programme_id)).all())
    rows = session.execute(select(LedgerEntry.id, LedgerEntry.kind, LedgerEntry.count, LedgerEntry.service_code,
                                  LedgerEntry.created_at, LedgerEntry.reverses_id, CouponSet.programme_id)
                           .join(CouponSet, CouponSet.id == LedgerEntry.set_id)
                           .where(LedgerEntry.kind.in_((KIND_REDEEM, KIND_REVERSAL)))).all()
    used_at = {r.id: r.created_at for r in rows if r.kind == KIND_REDEEM}
    face = {p.id: p.face_value for p in programmes}
    by_service: dict[str, int] = defaultdict(int)
    by_month: dict[str, int] = defaultdict(int)
    yen_by_programme: dict[int, int] = defaultdict(int)
    for r in rows:
        sign = 1 if r.kind == KIND_REDEEM else -1
        when = used_at.get(r.reverses_id, r.created_at) if r.kind == KIND_REVERSAL else r.created_at
        by_service[r.service_code] += sign * r.count
        by_month[to_jst(when).strftime("%Y-%m")] += sign * r.count
        yen_by_programme[r.programme_id] += sign * r.count * face[r.programme_id]
    return {
        "programmes": [{"code": p.code, "name": p.name, "claimed": claimed.get(p.id, 0),
                        "issued_yen": claimed.get(p.id, 0) * p.coupons_per_set * p.face_value,
                        "used_yen": yen_by_programme.get(p.id, 0), "ends_on": p.ends_on} for p in programmes],
        "by_service": dict(sorted(by_service.items())),
        "by_month": dict(sorted(by_month.items())[-12:]),
    }
