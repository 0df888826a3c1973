"""Weekly opening hours: one rule, in a scalar form (for a page) and a vectorised form (for the index).

A facility is open on the weekdays in ``days`` (Monday=0) from ``opens`` to ``closes`` (minutes after
midnight). ``closes`` at or before ``opens`` means the hours run past midnight into the next day
(17:00–01:00); 00:00–24:00 or equal times mean the whole day. Unknown hours are never "open now"."""
from __future__ import annotations

import numpy as np

DAY_MINUTES = 24 * 60
NO_VALUE = -1


def parse_hhmm(value: str | None) -> int:
    """Minutes after midnight for "HH:MM" (24:00 allowed), or -1 for empty."""
    if not value:
        return NO_VALUE
    hh, mm = value.split(":")
    h, m = int(hh), int(mm)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(f"not a time of day: {value!r}")
    return h * 60 + m


def days_mask(days: str) -> int:
    """Bit mask of weekday digits ("01234" = Monday to Friday)."""
    mask = 0
    for d in days or "":
        mask |= 1 << int(d)
    return mask


def is_open_at(days: str, opens: str | None, closes: str | None, weekday: int, minute: int) -> bool:
    """True when a facility with these hours is open on ``weekday`` (Monday=0) at ``minute`` after midnight."""
    mask = np.array([days_mask(days)])
    o = np.array([parse_hhmm(opens)])
    c = np.array([parse_hhmm(closes)])
    return bool(open_mask(mask, o, c, weekday, minute)[0])


def open_mask(days: np.ndarray, opens: np.ndarray, closes: np.ndarray, weekday: int, minute: int) -> np.ndarray:
    """Vectorised :func:`is_open_at` over arrays of day masks and opening/closing minutes."""
    known = (opens >= 0) & (closes >= 0)
    all_day = known & ((closes == opens) | ((opens == 0) & (closes >= DAY_MINUTES)))
    overnight = known & ~all_day & (closes < opens)
    today = (days & (1 << weekday)) != 0
    yesterday = (days & (1 << ((weekday - 1) % 7))) != 0
    end_today = np.where(overnight, DAY_MINUTES, closes)
    in_today = today & known & (all_day | ((opens <= minute) & (minute < end_today)))
    from_yesterday = yesterday & overnight & (minute < closes)
    return in_today | from_yesterday
