"""Japanese fiscal and school years (April 1 to March 31): the one helper for both."""
from __future__ import annotations

import datetime as dt


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (年度) containing ``day``: 2026-03-31 is in 2025, 2026-04-01 in 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_end(day: dt.date) -> dt.date:
    """March 31 ending the fiscal year that contains ``day``."""
    return dt.date(fiscal_year(day) + 1, 3, 31)


def registration_valid_until(registered_on: dt.date) -> dt.date:
    """A partner facility's registration runs to the first March 31 on or after registration."""
    return fiscal_year_end(registered_on)
