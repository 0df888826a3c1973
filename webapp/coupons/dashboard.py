"""Coupon figures for the administration dashboard: claims, net uses by service and month, budget used, and
the series of its charts (uses per day and per service, coupons left by the month they lapse)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from ..models import CouponService
from . import domain as d
from ..timeutil import jst_start_utc, to_jst
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


def chart_series(session: Session, today: dt.date, days: int = 30) -> dict:
    """The series of the dashboard's coupon charts: net uses per day and per service over the last ``days``
    days (today included), and the coupons left by the month they lapse."""
    start = today - dt.timedelta(days=days - 1)
    return {"days": days, "start": start, "end": today,
            "per_day": redemptions_per_day(session, start, today),
            "service_window": redemptions_by_service(session, start, today),
            "remaining_by_month": remaining_by_expiry_month(session, today)}


# -- series for the charts (plain functions on a session; days and months in Japan time) ---------------
def _net_uses(session: Session, start: dt.date, end: dt.date, provider_id: int | None = None):
    """(day of the use in Japan, service, net coupons) for every redemption made from ``start`` to ``end``
    (inclusive): the count less what its correction gave back (a correction counts on the day of the use)."""
    rev = aliased(LedgerEntry)
    stmt = (select(LedgerEntry.created_at, LedgerEntry.service_code, LedgerEntry.count, rev.count)
            .outerjoin(rev, and_(rev.reverses_id == LedgerEntry.id, rev.kind == KIND_REVERSAL))
            .where(LedgerEntry.kind == KIND_REDEEM,
                   LedgerEntry.created_at >= jst_start_utc(start),
                   LedgerEntry.created_at < jst_start_utc(end + dt.timedelta(days=1))))
    if provider_id is not None:
        stmt = stmt.where(LedgerEntry.provider_id == provider_id)
    for at, service, count, back in session.execute(stmt):
        yield to_jst(at).date(), service, count - (back or 0)


def redemptions_per_day(session: Session, start: dt.date, end: dt.date,
                        provider_id: int | None = None) -> list[tuple[dt.date, int]]:
    """Net coupons used on each day from ``start`` to ``end`` (inclusive, days without uses give 0),
    for all providers or one."""
    days = {start + dt.timedelta(days=i): 0 for i in range((end - start).days + 1)}
    for day, _service, net in _net_uses(session, start, end, provider_id):
        days[day] += net
    return list(days.items())


def redemptions_by_service(session: Session, start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    """Net coupons used per service from ``start`` to ``end`` (inclusive): every service (0 included), in the
    services' display order."""
    out = {code: 0 for code in session.scalars(select(CouponService.code).order_by(CouponService.sort_order))}
    for _day, service, net in _net_uses(session, start, end):
        out[service] = out.get(service, 0) + net
    return list(out.items())


def set_last_day(coupon_set, mama_help_first_use: dt.date | None) -> dt.date:
    """The last day any coupon of the set can still be used, whatever the service (the programme end, or
    later for 産後ママ家事支援 / 育児ママヘルプ when their own periods run longer)."""
    days = []
    for code in d.SERVICE_CODES:
        until = d.coupon_valid_until(code, programme_end=coupon_set.ends_on, birth_date=coupon_set.birth,
                                     first_use=mama_help_first_use if code == d.MAMA_HELP else None,
                                     multiple_birth=coupon_set.multiple_birth)
        if until is not None:
            days.append(until)
    return max(days)


def remaining_by_expiry_month(session: Session, today: dt.date) -> list[tuple[str, int]]:
    """Coupons still unused, by the month (YYYY-MM) of the last day they can be used; only sets still usable
    today, months in order. Balances come from the ledger (issued − redeemed + given back)."""
    signed = func.sum(case((LedgerEntry.kind == KIND_REDEEM, -LedgerEntry.count), else_=LedgerEntry.count))
    sets = session.execute(select(CouponSet.id, CouponProgramme.ends_on,
                                  CouponSet.child_birth_date.label("birth"), CouponSet.multiple_birth,
                                  signed.label("left"))
                           .join(CouponProgramme, CouponProgramme.id == CouponSet.programme_id)
                           .join(LedgerEntry, LedgerEntry.set_id == CouponSet.id)
                           .group_by(CouponSet.id, CouponProgramme.ends_on, CouponSet.child_birth_date,
                                     CouponSet.multiple_birth)).all()
    sets = [s for s in sets if (s.left or 0) > 0]
    first_use = _mama_help_first_uses(session, [s.id for s in sets])
    months: dict[str, int] = defaultdict(int)
    for s in sets:
        last = set_last_day(s, first_use.get(s.id))
        if last >= today:
            months[last.strftime("%Y-%m")] += int(s.left)
    return sorted(months.items())


def _mama_help_first_uses(session: Session, set_ids: list[int]) -> dict[int, dt.date]:
    """The first day (Japan) each set was used for 育児ママヘルプ, not counting uses fully given back."""
    if not set_ids:
        return {}
    rev = aliased(LedgerEntry)
    rows = session.execute(select(LedgerEntry.set_id, LedgerEntry.created_at, LedgerEntry.count, rev.count)
                           .outerjoin(rev, and_(rev.reverses_id == LedgerEntry.id, rev.kind == KIND_REVERSAL))
                           .where(LedgerEntry.kind == KIND_REDEEM, LedgerEntry.service_code == d.MAMA_HELP,
                                  LedgerEntry.set_id.in_(set_ids))).all()
    out: dict[int, dt.date] = {}
    for set_id, at, count, back in rows:
        if (back or 0) < count:
            day = d.japan_date(at)
            out[set_id] = min(out.get(set_id, day), day)
    return out
