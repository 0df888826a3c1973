"""Opening hours in Japan time: weekly periods, closed on Japanese national holidays.

Holidays (including 振替休日 substitute holidays and 国民の休日) come from the maintained ``holidays``
package, so nothing here has to be edited when the calendar changes. Naive datetimes mean Japan time; aware
ones in any zone are converted first. Periods are half open: 10:00–12:00 is open at 11:59:59 and closed at
12:00.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

import holidays

log = logging.getLogger(__name__)

JST: tzinfo
try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    JST = ZoneInfo("Asia/Tokyo")
except (ImportError, ZoneInfoNotFoundError):  # no tz database on this machine: Japan has no DST, so exact
    JST = timezone(timedelta(hours=9), "JST")
    log.warning("zoneinfo has no Asia/Tokyo here; using a fixed UTC+09:00 offset")

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
_SEARCH_DAYS = 400  # longer than any run of closed days a valid weekly schedule can have


class HoursError(ValueError):
    """Opening hours that cannot be used (bad times, overlapping periods, no open day)."""


_HOLIDAY_LOCK = threading.Lock()  # the calendars fill in years lazily on first lookup


@lru_cache(maxsize=2)
def _jp_holidays(language: str = "ja") -> holidays.HolidayBase:
    return holidays.country_holidays("JP", language=language)


def holiday_name(day: date, lang: str = "ja") -> str | None:
    """The name of the Japanese national holiday on ``day`` (ja or en), or None on an ordinary day."""
    with _HOLIDAY_LOCK:
        return _jp_holidays("en_US" if lang == "en" else "ja").get(day)


def is_holiday(day: date) -> bool:
    """True on a Japanese national holiday, substitute holiday (振替休日) or citizens' holiday (国民の休日)."""
    with _HOLIDAY_LOCK:
        return day in _jp_holidays()


def to_japan_time(at: datetime) -> datetime:
    """``at`` as an aware datetime in Asia/Tokyo; a naive ``at`` is taken to be Japan time already."""
    if at.tzinfo is None or at.tzinfo.utcoffset(at) is None:
        return at.replace(tzinfo=JST)
    return at.astimezone(JST)


def now_in_japan() -> datetime:
    """The current time in Japan (aware)."""
    return datetime.now(JST)


def _parse_time(value) -> time:
    if not isinstance(value, str) or not _HHMM.match(value):
        raise HoursError(f"not a time of day (HH:MM): {value!r}")
    if value == "24:00":
        return time.max
    h, m = value.split(":")
    return time(int(h), int(m))


@dataclass(frozen=True)
class WeeklyHours:
    """Open on ``weekdays`` (Monday=0) during each of ``periods`` ([start, end) in Japan time), and closed on
    national holidays when ``closed_on_holidays``."""

    weekdays: frozenset[int]
    periods: tuple[tuple[time, time], ...]
    closed_on_holidays: bool = True

    @classmethod
    def from_dict(cls, data) -> "WeeklyHours":
        """Build and validate from ``{"weekdays": [0..6], "periods": [["10:00","12:00"], ...],
        "closed_on_holidays": bool}``; raises HoursError with the reason."""
        if not isinstance(data, dict):
            raise HoursError("hours must be an object")
        days = data.get("weekdays")
        if not isinstance(days, list) or not days:
            raise HoursError("hours.weekdays must be a non-empty list")
        if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
            raise HoursError(f"hours.weekdays must be 0 (Monday) .. 6 (Sunday): {days!r}")
        if len(set(days)) != len(days):
            raise HoursError(f"hours.weekdays has duplicates: {days!r}")
        raw = data.get("periods")
        if not isinstance(raw, list) or not raw:
            raise HoursError("hours.periods must be a non-empty list")
        periods: list = []
        for p in raw:
            if not isinstance(p, (list, tuple)) or len(p) != 2:
                raise HoursError(f"a period is [start, end]: {p!r}")
            start, end = _parse_time(p[0]), _parse_time(p[1])
            if start >= end:
                raise HoursError(f"period ends before it starts: {p!r}")
            if periods and start < periods[-1][1]:
                raise HoursError(f"periods must be in order and must not overlap: {p!r}")
            periods.append((start, end))
        closed = data.get("closed_on_holidays", True)
        if not isinstance(closed, bool):
            raise HoursError("hours.closed_on_holidays must be true or false")
        return cls(frozenset(days), tuple(periods), closed)

    def is_open_day(self, day: date) -> bool:
        """True when ``day`` is one of the open weekdays and not a (closing) national holiday."""
        return day.weekday() in self.weekdays and not (self.closed_on_holidays and is_holiday(day))

    def is_open(self, at: datetime) -> bool:
        """True when open at ``at`` (naive = Japan time)."""
        local = to_japan_time(at)
        if not self.is_open_day(local.date()):
            return False
        t = local.time().replace(tzinfo=None)
        return any(start <= t < end for start, end in self.periods)

    def next_open(self, at: datetime) -> datetime:
        """The first moment at or after ``at`` when open, as an aware Japan-time datetime (``at`` itself, in
        Japan time, when already open)."""
        local = to_japan_time(at)
        if self.is_open(local):
            return local
        day = local.date()
        for offset in range(_SEARCH_DAYS):
            d = day + timedelta(days=offset)
            if not self.is_open_day(d):
                continue
            for start, _end in self.periods:
                candidate = datetime.combine(d, start, tzinfo=JST)
                if candidate >= local:
                    return candidate
        raise HoursError(f"never open within {_SEARCH_DAYS} days of {local.isoformat()}")

    def closed_reason(self, at: datetime) -> str | None:
        """Why closed at ``at``: "holiday", "weekend" (a closed weekday), "break" (between periods),
        "before_hours" or "after_hours"; None when open."""
        local = to_japan_time(at)
        if self.is_open(local):
            return None
        d = local.date()
        if d.weekday() not in self.weekdays:
            return "weekend"
        if self.closed_on_holidays and is_holiday(d):
            return "holiday"
        t = local.time().replace(tzinfo=None)
        if t < self.periods[0][0]:
            return "before_hours"
        if t >= self.periods[-1][1]:
            return "after_hours"
        return "break"

    def describe(self, lang: str = "ja") -> str:
        """A one-line summary such as 「平日 10:00〜12:00 / 13:00〜17:00（土日祝を除く）」."""
        spans = " / ".join(f"{s:%H:%M}–{e:%H:%M}" if lang == "en" else f"{s:%H:%M}〜{e:%H:%M}"
                           for s, e in self.periods)
        weekdays_only = self.weekdays == frozenset(range(5))
        if lang == "en":
            days = "Weekdays" if weekdays_only else ", ".join(
                "Mon Tue Wed Thu Fri Sat Sun".split()[d] for d in sorted(self.weekdays))
            extra = " (closed on national holidays)" if self.closed_on_holidays else ""
            if weekdays_only and self.closed_on_holidays:
                extra = " (closed on weekends and national holidays)"
            return f"{days} {spans}{extra}"
        days = "平日" if weekdays_only else "・".join("月火水木金土日"[d] for d in sorted(self.weekdays))
        extra = "（祝日を除く）" if self.closed_on_holidays else ""
        if weekdays_only and self.closed_on_holidays:
            extra = "（土日祝を除く）"
        return f"{days} {spans}{extra}"
