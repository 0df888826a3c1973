"""Contacts for the Matsumoto child-rearing support coupons: per-service departments and providers, the
support center and its opening hours (Japan time, national holidays from the ``holidays`` package), and
routing from a question to whom to call. Nothing here imports Flask.

Public API::

    d = load_directory()                          # validated; ContactsError on bad data
    is_open(at) / next_open(at)                   # the support center, Japan time (naive = JST)
    route(service="temporary_care", at=now)       # -> [Route(name, phone, tel, why, open_now, ...)]
    route(flow_outcome="support_center")          # the route step of a troubleshooting flow
    find_contacts(d, "ほいくか")                  # console search
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from .directory import (DATA_FILE, PHONE_RE, SUPPORT_CENTER_ID, Contact, ContactsError, Directory, Service,
                        UnknownContact, load_directory, parse_directory, tel_uri)
from .hours import JST, HoursError, WeeklyHours, holiday_name, is_holiday, now_in_japan, to_japan_time
from .routing import TOPICS, Route
from .routing import route as route_in
from .search import find_contacts

__all__ = [
    "load_directory", "parse_directory", "directory", "is_open", "next_open", "route", "route_in",
    "find_contacts", "holiday_name", "is_holiday", "to_japan_time", "now_in_japan", "tel_uri",
    "Directory", "Contact", "Service", "Route", "WeeklyHours",
    "ContactsError", "UnknownContact", "HoursError",
    "JST", "SUPPORT_CENTER_ID", "PHONE_RE", "DATA_FILE", "TOPICS",
]


@lru_cache(maxsize=1)
def directory() -> Directory:
    """The default directory, loaded once (contacts/data/matsumoto.json)."""
    return load_directory()


def is_open(at: datetime | None = None) -> bool:
    """Is the support center open at ``at`` (default now)? Naive datetimes are Japan time; aware ones in any
    zone are converted. Closed at weekends, on national holidays and over the 12:00–13:00 lunch break."""
    return directory().is_open(at)


def next_open(at: datetime | None = None) -> datetime:
    """The first moment at or after ``at`` when the support center is open (aware, Asia/Tokyo)."""
    return directory().next_open(at)


def route(service: str | None = None, place_id: str | None = None, flow_outcome=None,
          at: datetime | None = None, topic: str | None = None) -> list[Route]:
    """Whom to call, in order, using the default directory; see :func:`contacts.routing.route`."""
    return route_in(directory(), service=service, place_id=place_id, flow_outcome=flow_outcome, at=at,
                    topic=topic)
