"""Usage at a glance: the dashboard's series other than the coupons' (those come from the ledger through
``hooks.coupon_chart_series``). Plain functions on a session (no Flask); months are Japan time."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..accounts.models import ROLE_FAMILY, User
from ..models import PROGRAMME_PASSPORT, Facility
from ..search_log import top_zero_result
from ..timeutil import jst_start_utc, today_jst

DAY_CHOICES = (30, 60)
MONTHS = 12


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: dt.date, n: int = MONTHS) -> list[str]:
    """The ``n`` months up to and including today's, oldest first (YYYY-MM)."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - n + 1, index + 1)]


def _first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:]), 1)


def family_registrations_per_month(session: Session, today: dt.date,
                                   n: int = MONTHS) -> list[tuple[str, int]]:
    """New family accounts per month (the month the account was made), the last ``n`` months."""
    months = dict.fromkeys(last_months(today, n), 0)
    start = jst_start_utc(_first_day(next(iter(months))))
    for created in session.scalars(select(User.created_at).where(User.role == ROLE_FAMILY,
                                                                 User.created_at >= start)):
        key = month_key(today_jst(created))
        if key in months:
            months[key] += 1
    return list(months.items())


def partner_facilities_per_month(session: Session, today: dt.date, n: int = MONTHS) -> list[tuple[str, int]]:
    """Passport partner facilities registered per month (登録日; the day the record was made when it has none),
    withdrawn ones included, the last ``n`` months."""
    months = dict.fromkeys(last_months(today, n), 0)
    first = _first_day(next(iter(months)))
    rows = session.execute(select(Facility.registered_on, Facility.created_at).where(
        Facility.programme == PROGRAMME_PASSPORT,
        or_(Facility.registered_on >= first,
            Facility.registered_on.is_(None) & (Facility.created_at >= jst_start_utc(first)))))
    for registered, created in rows:
        key = month_key(registered or today_jst(created))
        if key in months:
            months[key] += 1
    return list(months.items())


def usage_figures(session: Session, today: dt.date, days: int = 30) -> dict:
    """The dashboard's series outside the coupons (those come through ``hooks.coupon_chart_series``): family
    registrations and partner facilities per month, and the top searches that found nothing over the last
    ``days`` days (today included)."""
    return {
        "days": days,
        "families": family_registrations_per_month(session, today),
        "partners": partner_facilities_per_month(session, today),
        "zero_results": top_zero_result(session, today - dt.timedelta(days=days - 1), today),
    }
