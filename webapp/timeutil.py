"""The one home of time in the app.

Stored times are UTC (naive in the database columns, which every engine keeps the same way). Japan has no
daylight saving time, but the zone is still named rather than written as +9. Conversion to Japan time happens
once, at display: templates use the ``datetimeformat`` filter (webapp.web.timefmt), Python code
uses :func:`to_jst`. Never hand a Japan wall-clock time to the filter: it would be converted a second time.
No Flask imports at module level, so domain code may use it too.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
UTC = dt.timezone.utc


def utcnow() -> dt.datetime:
    """The current time in UTC, naive (as stored in the database)."""
    return dt.datetime.now(UTC).replace(tzinfo=None)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time (naive UTC) or any aware time, as an aware UTC datetime."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_jst(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time (naive UTC, or aware) in Japan time (aware); ``None`` stays ``None``."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(JST)


def now_jst() -> dt.datetime:
    """The current wall-clock time in Japan, naive (what opening hours are written in)."""
    return dt.datetime.now(JST).replace(tzinfo=None)


def jst_wall_to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A Japan wall-clock time (e.g. typed in a form) as naive UTC, how times are stored."""
    if local is None:
        return None
    return local.replace(tzinfo=JST).astimezone(UTC).replace(tzinfo=None)


def today_jst(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Japan (of ``now``, a stored time, if given)."""
    return to_jst(now or utcnow()).date()


def jst_start_utc(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Japan, as naive UTC (the database's convention)."""
    return jst_wall_to_utc(dt.datetime(day.year, day.month, day.day))
