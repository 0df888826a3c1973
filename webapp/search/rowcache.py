"""Per-process copies of the rows every search reads: the reference rows (categories, areas, amenities, benefit
kinds, coupon services) and the facilities shown on result cards and in API answers.

Without them each search page read five reference tables and two to four facility statements from the
database; with them a page repeated from the index reads none. The copies follow the search index: they are
kept while the index is at the same generation and change-log checkpoint (``SearchIndex.state()``), so any
change the index applies (a facility added, edited or withdrawn) starts afresh, exactly as the page cache
does. Reference rows change only through the seeding commands; a commit in this process that touches them
clears the copies at once, and ``SEARCH_ROW_CACHE_SECONDS`` (default 60) bounds how long another process's
change can go unseen. ``SEARCH_ROW_CACHE_SECONDS=0`` switches the copies off (every request reads).

The rows are loaded through a throwaway session on the request's connection and kept detached, with every
relationship the pages and the API read already loaded; nothing writes them."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Amenity, BenefitKind, Category, CouponService, Facility, Municipality

DEFAULT_SECONDS = 60.0
DEFAULT_ENTRIES = 5000  # facilities kept per process (the cards of the pages people open)

REFERENCE_MODELS = {"categories": Category, "municipalities": Municipality, "amenities": Amenity,
                    "benefit_kinds": BenefitKind, "services": CouponService}
_REFERENCE_TYPES = tuple(REFERENCE_MODELS.values())


def _detached(session: Session, load: Callable[[Session], object]):
    """``load(side_session)`` through a session that shares ``session``'s connection and transaction, closed
    afterwards: the objects it returns are detached, with what was loaded kept."""
    side = Session(bind=session.connection(), autoflush=False, expire_on_commit=False)
    try:
        return load(side)
    finally:
        side.close()


def load_references(session: Session) -> dict[str, list]:
    """Reference rows by kind, in display order (detached)."""
    return _detached(session, lambda s: {key: s.scalars(select(model).order_by(model.sort_order)).all()
                                         for key, model in REFERENCE_MODELS.items()})


def load_facilities(session: Session, external_ids: list[str]) -> dict[str, Facility]:
    """Facilities by external id, with category, municipality, benefits, amenities and services (detached)."""
    if not external_ids:
        return {}
    return _detached(session, lambda s: {f.external_id: f for f in s.scalars(
        select(Facility).where(Facility.external_id.in_(external_ids)))})


class SearchRows:
    """The copies of one process, valid for one index state and at most ``seconds``; safe across threads."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, entries: int = DEFAULT_ENTRIES):
        self.seconds, self.entries = seconds, entries
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._expires = 0.0
        self._references: dict | None = None
        self._facilities: OrderedDict[str, Facility] = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._key, self._references = None, None
            self._facilities.clear()

    def _valid_for(self, state: tuple | None) -> None:
        """Drop everything if the index moved on or the copies are too old (called under the lock)."""
        now = time.monotonic()
        if state != self._key or now >= self._expires:
            self._key, self._expires = state, now + self.seconds
            self._references = None
            self._facilities.clear()

    def references(self, session: Session, state: tuple | None) -> dict[str, list]:
        """Reference rows by kind (:func:`load_references`) as of ``state``."""
        if self.seconds <= 0 or state is None:
            return load_references(session)
        with self._lock:
            self._valid_for(state)
            if self._references is not None:
                return self._references
        refs = load_references(session)
        with self._lock:
            if self._key == state:
                self._references = refs
        return refs

    def facilities(self, session: Session, state: tuple | None, external_ids: list[str]) -> dict[str, Facility]:
        """Facilities by external id (:func:`load_facilities`) as of ``state``; missing ones are left out."""
        if self.seconds <= 0 or state is None:
            return load_facilities(session, external_ids)
        found: dict[str, Facility] = {}
        with self._lock:
            self._valid_for(state)
            for i in external_ids:
                f = self._facilities.get(i)
                if f is not None:
                    self._facilities.move_to_end(i)
                    found[i] = f
        missing = [i for i in external_ids if i not in found]
        if missing:
            loaded = load_facilities(session, missing)
            found.update(loaded)
            with self._lock:
                if self._key == state:
                    self._facilities.update(loaded)
                    while len(self._facilities) > self.entries:
                        self._facilities.popitem(last=False)
        return found


_derived: dict[tuple, tuple[object, object]] = {}


def per_refs(refs: dict | None, key: tuple, compute: Callable[[], object]):
    """``compute()``, a value made from the reference rows ``refs`` alone (accepted codes, facet labels in one
    language), remembered for that ``refs`` object: a process's copies stay the same object while they are
    valid, so the searches on them share one computation. Computed every time when ``refs`` is None."""
    if refs is None:
        return compute()
    last = _derived.get(key)
    if last is not None and last[0] is refs:
        return last[1]
    value = compute()
    _derived[key] = (refs, value)
    return value


_ROW_MEMO = "_kosodate_derived"
_MISSING = object()


def per_row(row, key: tuple, compute: Callable[[], object]):
    """``compute()``, a value made from one row alone (a facility's card parts in one language), kept on that
    row object: with the process's copies it is computed once per copy, and a row loaded afresh (copies off,
    or the index moved on) starts without it. Not for rows a session may still change."""
    memo = row.__dict__.get(_ROW_MEMO)
    if memo is None:
        memo = row.__dict__[_ROW_MEMO] = {}
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        value = memo[key] = compute()
    return value


def _clear_on_reference_change(session, _flush_context) -> None:
    if has_app_context() and any(isinstance(o, _REFERENCE_TYPES) for o in (*session.new, *session.dirty,
                                                                              *session.deleted)):
        rows = current_app.extensions.get("search_rows")
        if rows is not None:
            rows.clear()


def init_app(app: Flask) -> None:
    app.extensions["search_rows"] = SearchRows(float(app.config.get("SEARCH_ROW_CACHE_SECONDS", DEFAULT_SECONDS)),
                                               int(app.config.get("SEARCH_ROW_CACHE_ENTRIES", DEFAULT_ENTRIES)))
    if not event.contains(db.session, "after_flush", _clear_on_reference_change):
        event.listen(db.session, "after_flush", _clear_on_reference_change)
