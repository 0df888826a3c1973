"""The eight services a coupon can pay for, and the coupon programme's dates.

The codes are those of contacts/data/matsumoto.json (names, phone numbers and providers live there; the tests
check the two agree). Only the codes and the rules tied to them live here.
"""
from __future__ import annotations

import datetime as dt

from webapp.domain.fiscal import fiscal_year_end

from .errors import N_, CouponError

FAMILY_SUPPORT = "family_support"              # ファミリーサポートセンター
HOLIDAY_CARE = "holiday_care"                  # 休日保育
SICK_CHILD_CARE = "sick_child_care"            # 病児保育
CONVALESCENT_CARE = "convalescent_care"        # 病後児保育
POSTPARTUM_HOUSEWORK = "postpartum_housework"  # 産後ママ家事支援サービス
TEMPORARY_CARE = "temporary_care"              # 一時預かり
SHORT_STAY = "short_stay"                      # 子育て支援ショートステイ
MAMA_HELP = "mama_help"                        # 育児ママヘルプサービス

SERVICE_CODES: tuple[str, ...] = (FAMILY_SUPPORT, HOLIDAY_CARE, SICK_CHILD_CARE, CONVALESCENT_CARE,
                                  POSTPARTUM_HOUSEWORK, TEMPORARY_CARE, SHORT_STAY, MAMA_HELP)

# Children born on or after this day can receive a coupon set (2022年4月以降に生まれたお子さま).
PROGRAMME_START = dt.date(2022, 4, 1)


def programme_end(fiscal_year: int) -> dt.date:
    """The default last valid day of the coupons of the programme of ``fiscal_year`` (年度): its March 31.

    The current programme (2025年度事業) ends on 2026-03-31."""
    return fiscal_year_end(dt.date(fiscal_year, 4, 1))


CURRENT_PROGRAMME_END = programme_end(2025)


def check_service_code(code: str) -> CouponError | None:
    """None for one of the eight service codes, else an ``unknown_service`` error."""
    if code in SERVICE_CODES:
        return None
    return CouponError("service", N_("Unknown coupon service."), "unknown_service")


def require_service_code(code: str) -> str:
    """``code`` if it is one of the eight services; raises the ``unknown_service`` CouponError otherwise."""
    err = check_service_code(code)
    if err:
        raise err
    return code
