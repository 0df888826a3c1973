"""Searches that found nothing: the words people typed that gave 0 results, counted per day, so the office
can fix the data or add synonyms.

No personal data: only the normalized words, the day (Japan time), where the search came from (``web`` /
``api``) and a count; never who searched, from where or when exactly. Text that looks like an e-mail address
or a phone/card number is not kept at all. Recording is one upsert on its own connection, and a failure is
logged, never raised: the search itself must not fail or wait because of it.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata

from sqlalchemy import Date, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db
from .timeutil import today_jst

log = logging.getLogger(__name__)

MAX_QUERY = 100              # longer queries are cut (the column's size)
SOURCES = ("web", "api")
_PERSONAL = re.compile(r"@|\d[\d\s\-‐－]{5,}\d")   # e-mail addresses, phone / card / account numbers
_SPACE = re.compile(r"\s+")


class ZeroResultSearch(db.Model):
    """How many searches for ``query`` found nothing on ``day`` (Japan time), per ``source``."""
    __tablename__ = "zero_result_searches"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(8), primary_key=True)
    query: Mapped[str] = mapped_column(String(MAX_QUERY), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=1)


def normalize_query(text: str | None) -> str | None:
    """The words as they are kept: NFKC (full-width → half-width), lower case, spaces collapsed, at most
    MAX_QUERY characters. None when there is nothing to keep (empty, or it looks like personal data)."""
    if not text:
        return None
    norm = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()
    if not norm or _PERSONAL.search(norm):
        return None
    return norm[:MAX_QUERY].strip()



def _upsert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def record_zero_result(text: str | None, total: int, source: str = "web", *, page: int = 1,
                       engine=None, day: dt.date | None = None) -> bool:
    """Count a search for ``text`` when it found nothing (``total == 0``, first page only). Returns whether
    a row was written; never raises."""
    if total or page != 1 or source not in SOURCES:
        return False
    query = normalize_query(text)
    if query is None:
        return False
    try:
        engine = engine or db.engine
        insert = _upsert(engine.dialect.name)
        table = ZeroResultSearch.__table__
        stmt = insert(table).values(day=day or today_jst(), source=source, query=query, count=1)
        stmt = stmt.on_conflict_do_update(index_elements=[table.c.day, table.c.source, table.c.query],
                                          set_={"count": table.c.count + 1})
        with engine.begin() as conn:
            conn.execute(stmt)
        return True
    except Exception:  # noqa: BLE001  (a log of misses must never break the search)
        log.warning("could not record a search that found nothing", exc_info=True)
        return False


def top_zero_result(session: Session, start: dt.date, end: dt.date, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent queries that found nothing from ``start`` to ``end`` (inclusive), web and API
    together: (query, searches), most first, then by the words."""
    total = func.sum(ZeroResultSearch.count).label("n")
    rows = session.execute(select(ZeroResultSearch.query, total)
                           .where(ZeroResultSearch.day >= start, ZeroResultSearch.day <= end)
                           .group_by(ZeroResultSearch.query).order_by(total.desc(), ZeroResultSearch.query)
                           .limit(limit)).all()
    return [(q, int(n)) for q, n in rows]
