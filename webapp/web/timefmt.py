"""Times on pages: stored UTC shown in Japan time and the page's language, converted once (webapp.timeutil holds
the conversions; this is the display half, which needs Flask-Babel)."""
from __future__ import annotations

import datetime as dt

from flask_babel import format_datetime, format_time

from ..timeutil import as_utc


def format_local(moment: dt.datetime | None, format: str = "medium") -> str:
    """A stored (naive UTC) or aware time as text in Japan time and the page's language: the display helper."""
    if moment is None:
        return ""
    return format_datetime(as_utc(moment), format)


def format_local_time(moment: dt.datetime | None, format: str = "medium") -> str:
    """Like :func:`format_local`, the time of day only."""
    if moment is None:
        return ""
    return format_time(as_utc(moment), format)


def init_app(app) -> None:
    """Register the display filters (replacing Flask-Babel's own, which assume naive times are UTC as well)."""
    app.jinja_env.filters["datetimeformat"] = format_local
    app.jinja_env.filters["timeformat"] = format_local_time
