"""How long a coupon can be used, per service (有効期間).

The manual (2025年度事業): valid until 2026-03-31, except
- 育児ママヘルプサービス (``mama_help``): 90 days from the first use (利用開始日から90日まで); for multiple births
  until the day before the child turns one (多胎の場合は、退院後1歳に達する前日まで);
- 産後ママ家事支援サービス (``postpartum_housework``): until the end of the month in which the child's fourth month
  of life falls (生後4か月目の属する月末まで).

The two exceptions replace the programme end date (「以下を除く」); the manual caps them by nothing else, so
neither is cut at the programme end. All dates are calendar days in Japan; a coupon is usable through the
whole of its last day. Month arithmetic follows the Civil Code (民法143条) as the age-calculation act
(年齢計算ニ関スル法律) applies it to ages: periods count from the birth day, and a period that would end on a
day a month does not have ends on that month's last day.
"""
from __future__ import annotations

import calendar
import datetime as dt

from .errors import N_, CouponError
from .services import MAMA_HELP, POSTPARTUM_HOUSEWORK, require_service_code

MAMA_HELP_DAYS = 90


def _add_months_or_next_first(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later; when that month is too short, the 1st of the month after.

    This is the first day of the next period under 民法143条: a period of ``months`` months counted from
    ``day`` (inclusive) ends the day before the corresponding day, or on the month's last day if there is no
    corresponding day; the next period starts the day after."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, day.day)
    return dt.date(year, month, calendar.monthrange(year, month)[1]) + dt.timedelta(days=1)


def _month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def fourth_month_start(birth_date: dt.date) -> dt.date:
    """The first day of the child's fourth month of life (生後4か月目): three months after birth.

    Born 10 April → 10 July. When the month three months on has no such day, the third month of life ends on
    that month's last day (民法143条) and the fourth begins on the 1st of the following month: born 31 January
    → the third month ends 30 April → the fourth begins 1 May. Born 29/30 November → 1 March, except that a
    child born 29 November before a leap February begins its fourth month on 29 February.
    """
    return _add_months_or_next_first(birth_date, 3)


def first_birthday(birth_date: dt.date) -> dt.date:
    """The day the child turns one in everyday terms: the same date a year later.

    A child born on 29 February is one year old from 1 March of a common year (its first year ends with
    28 February, 民法143条)."""
    return _add_months_or_next_first(birth_date, 12)


def coupon_valid_until(service_code: str, *, programme_end: dt.date, birth_date: dt.date | None,
                       first_use: dt.date | None, multiple_birth: bool = False) -> dt.date | None:
    """The last day (inclusive) on which a coupon of ``service_code`` can be used; None: not fixed yet.

    - Every service but the two below: ``programme_end`` (2026-03-31 for the current programme).
    - ``mama_help``, single birth: 90 days counting the day of the first use as day 1, so through
      ``first_use + 89 days`` (first use 1 April → valid through 29 June). Before the first use: None, meaning
      "the 90 days start at the first use" (a coupon used on day D is valid through D + 89, so it is usable).
      ``first_use`` is the Japanese calendar day of the first redemption for this service that was not fully
      reversed (see ``ledger.first_use_at``).
    - ``mama_help``, multiple birth (多胎): through the day before the first birthday, whether or not used
      yet (born 2024-05-10 → through 2025-05-09; born 2024-02-29 → through 2025-02-28). The manual's
      「1歳に達する前日」 is read as "the day before the first birthday", as the issue states; under the
      age-calculation act a child 「1歳に達する」 at the end of the day before its birthday, so a strict reading
      would give one day less — the 健康づくり課 is the authority. The start 「退院後」 (after discharge from
      hospital) is not modelled: the portal does not know the discharge date.
    - ``postpartum_housework``: the last day of the month in which the fourth month of life begins (see
      :func:`fourth_month_start`): born 10 April → 31 July; born 31 January → 31 May.

    Raises CouponError ``unknown_service`` for an unknown code, ValueError when ``birth_date`` is needed but
    missing.
    """
    require_service_code(service_code)
    if service_code == MAMA_HELP:
        if multiple_birth:
            if birth_date is None:
                raise ValueError("mama_help for a multiple birth needs the birth date")
            return first_birthday(birth_date) - dt.timedelta(days=1)
        if first_use is None:
            return None
        return first_use + dt.timedelta(days=MAMA_HELP_DAYS - 1)
    if service_code == POSTPARTUM_HOUSEWORK:
        if birth_date is None:
            raise ValueError("postpartum_housework needs the birth date")
        return _month_end(fourth_month_start(birth_date))
    return programme_end


def is_usable(service_code: str, on: dt.date, *, programme_end: dt.date, birth_date: dt.date | None,
              first_use: dt.date | None, multiple_birth: bool = False) -> bool:
    """Whether a coupon of ``service_code`` can be used on day ``on`` (a Japanese calendar day).

    True through the last valid day (inclusive), False from the day after. A ``mama_help`` coupon not used yet
    is usable: using it makes ``on`` day 1 of its 90 days."""
    until = coupon_valid_until(service_code, programme_end=programme_end, birth_date=birth_date,
                               first_use=first_use, multiple_birth=multiple_birth)
    return until is None or on <= until


def check_usable(service_code: str, on: dt.date, *, programme_end: dt.date, birth_date: dt.date | None,
                 first_use: dt.date | None, multiple_birth: bool = False) -> CouponError | None:
    """None when usable on ``on``; else a ``coupon_expired`` error whose params hold ``valid_until``."""
    until = coupon_valid_until(service_code, programme_end=programme_end, birth_date=birth_date,
                               first_use=first_use, multiple_birth=multiple_birth)
    if until is None or on <= until:
        return None
    return CouponError("coupon", N_("This coupon expired on %(valid_until)s."), "coupon_expired",
                       {"valid_until": until})


def expiring_within(valid_until: dt.date | None, today: dt.date, days: int = 30) -> bool:
    """For the wallet filter 「30日以内に期限切れ」: still valid today and the last day at most ``days`` ahead.

    ``valid_until == today + days`` counts; ``today + days + 1`` does not; an expired coupon (last day
    before today) and one without a fixed end (None) do not."""
    if valid_until is None:
        return False
    return today <= valid_until <= today + dt.timedelta(days=days)
