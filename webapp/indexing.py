"""Keeping the search index in step with the database.

One path: every facility change appends to the change log (``SearchChange``) in its own transaction; the
indexer reads the log after the index's checkpoint and applies it. In ``inline`` mode the committing process
does this right after the commit (development, tests, a single process); in ``worker`` mode a single
``flask index-worker`` process does it, so web workers never wait for the Whoosh writer lock. ``reindex``
rebuilds everything from the database and swaps the new index in atomically."""
from __future__ import annotations

import logging
import os
import time

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from search_index import IndexBusy, IndexMissing, SearchIndex

from .domain.facility_record import FacilityRecord
from .extensions import db
from .models import (Amenity, BenefitKind, Category, CouponService, Facility, Municipality, SearchChange,
                     utcnow)
from .facilities.operations import is_listed

log = logging.getLogger(__name__)

PROGRAMME_LABELS = {"passport": "パスポート 協力施設 passport", "coupon": "クーポン coupon"}
CHANGE_LOG_RETENTION_DAYS = 14
WORKER_FAILURES_BEFORE_REBUILD = 3  # polls in a row whose index write failed before the worker rebuilds


def record_doc(rec: FacilityRecord, prefecture: str = "") -> dict:
    """The search document for a facility record (plain values only): the one definition of what is indexed."""
    body = [rec.building, *rec.benefits.values(), rec.description, rec.notes, rec.hours_note]
    return {
        "id": rec.external_id, "programme": rec.programme, "name": rec.name, "name_kana": rec.name_kana,
        "name_en": rec.name_en, "category": rec.category, "area": rec.municipality,
        "benefits": list(rec.benefits), "amenities": list(rec.amenities), "services": list(rec.services),
        "address": prefecture + (rec.address or ""), "body": " ".join(x for x in body if x),
        "kana": rec.name_kana or rec.name, "lat": rec.lat, "lon": rec.lon, "registered_on": rec.registered_on,
        "open_days": rec.open_days, "opens": rec.opens, "closes": rec.closes,
        "nationwide": rec.accepts_other_prefectures,
    }


def facility_record(f: Facility) -> FacilityRecord:
    """A facility row as a plain record."""
    return FacilityRecord(
        external_id=f.external_id, name=f.name, category=f.category_code, municipality=f.municipality_code,
        programme=f.programme, name_kana=f.name_kana, name_en=f.name_en, address=f.address, building=f.building,
        phone=f.phone, url=f.url, open_days=f.open_days, opens=f.opens, closes=f.closes, hours_note=f.hours_note,
        description=f.description, notes=f.notes, benefits={b.kind_code: b.text for b in f.benefits},
        amenities=[a.code for a in f.amenities], services=[s.code for s in f.services], lat=f.latitude,
        lon=f.longitude, registered_on=f.registered_on, valid_until=f.valid_until, status=f.status,
        accepts_other_prefectures=bool(f.accepts_other_prefectures))


def facility_doc(f: Facility) -> dict:
    """The search document for a facility row."""
    return record_doc(facility_record(f), f.municipality.prefecture if f.municipality else "")


def build_labels(categories, municipalities, amenities, benefit_kinds, services) -> dict:
    """What people may type for each facet value: names, readings, English names, synonyms.

    Takes reference rows (anything with the model's attribute names)."""
    join = lambda *xs: " ".join(x for x in xs if x)  # noqa: E731
    return {
        "programme": PROGRAMME_LABELS,
        "category": {c.code: join(c.name, c.kana, c.name_en) for c in categories},
        "area": {m.code: join(m.prefecture + m.name, m.kana, m.name_en) for m in municipalities},
        "amenity": {a.code: join(a.name, a.kana, a.name_en, a.aliases.replace("|", " ")) for a in amenities},
        "benefit": {b.code: join(b.name, b.name_en) for b in benefit_kinds},
        "service": {s.code: join(s.name, s.kana, s.name_en) for s in services},
    }


def index_labels(session: Session) -> dict:
    """Facet labels from the reference tables."""
    return build_labels(*(session.scalars(select(model)) for model in
                          (Category, Municipality, Amenity, BenefitKind, CouponService)))


def index_dir(app) -> str:
    return app.config.get("SEARCH_INDEX_DIR") or os.path.join(app.instance_path, "search_index")


def get_index() -> SearchIndex:
    """This process's SearchIndex for the current app."""
    return current_app.extensions["search_index"]


_UNREAD = object()


def index_state() -> tuple[str, int] | None:
    """The index's (generation, checkpoint), the key of everything kept per index (page cache, row copies);
    None while it cannot be read. Read once a request (a realpath and a file read), so the parts of one answer
    share one key."""
    if has_request_context():
        state = g.get("index_state", _UNREAD)
        if state is _UNREAD:
            state = g.index_state = _read_state()
        return state
    return _read_state()


def _read_state() -> tuple[str, int] | None:
    try:
        return get_index().state()
    except OSError:
        return None


def _listed_docs(session: Session):
    stmt = (select(Facility).where(Facility.status == "active").order_by(Facility.id)
            .execution_options(yield_per=500))
    for f in session.scalars(stmt):
        yield facility_doc(f)


def rebuild_index(session: Session, index: SearchIndex, procs: int = 1):
    """Rebuild the index from the database, then apply changes committed meanwhile."""
    checkpoint = session.scalar(select(func.max(SearchChange.id))) or 0
    stats = index.rebuild(_listed_docs(session), checkpoint=checkpoint, labels=index_labels(session),
                          procs=procs)
    apply_changes(session, index)
    return stats


def apply_changes(session: Session, index: SearchIndex, batch: int = 500, timeout: float = 5.0) -> int:
    """Apply the change log after the index's checkpoint; returns how many facilities were updated."""
    total = 0
    while True:
        after = index.checkpoint()
        rows = session.execute(select(SearchChange.id, SearchChange.facility_external_id)
                               .where(SearchChange.id > after).order_by(SearchChange.id).limit(batch)).all()
        if not rows:
            return total
        ids = list(dict.fromkeys(r[1] for r in rows))
        facilities = {f.external_id: f for f in session.scalars(select(Facility).where(Facility.external_id.in_(ids)))}
        upserts = [facility_doc(facilities[i]) for i in ids if i in facilities and is_listed(facilities[i])]
        deletes = [i for i in ids if i not in facilities or not is_listed(facilities[i])]
        index.apply(upserts=upserts, deletes=deletes, checkpoint=rows[-1][0], timeout=timeout)
        total += len(ids)


def prune_change_log(session: Session, days: int = CHANGE_LOG_RETENTION_DAYS) -> int:
    """Delete change-log entries older than ``days`` (every indexer has long applied them)."""
    import datetime as dt
    cutoff = utcnow() - dt.timedelta(days=days)
    result = session.execute(SearchChange.__table__.delete().where(SearchChange.created_at < cutoff))
    return result.rowcount or 0


def run_worker(app, interval: float = 1.0, once: bool = False, parent_pid: int | None = None) -> None:
    """The single indexing process: poll the change log and apply it.

    It outlives what it can: a database that is down (it retries), a writer lock held elsewhere (it retries),
    an index that is missing or will not open (it rebuilds from the database after a few failed polls).
    With ``parent_pid`` it exits once that process is gone (a gunicorn master killed with -9 leaves no
    orphan indexer behind)."""
    from sqlalchemy.exc import DBAPIError
    index = app.extensions["search_index"]
    last_prune, index_failures = 0.0, 0
    while True:
        if parent_pid is not None and os.getppid() != parent_pid:
            log.warning("index worker: parent process %s is gone; exiting", parent_pid)
            return
        with Session(db.engine) as session:
            try:
                n = apply_changes(session, index)
                if n:
                    log.info("index worker applied %d changes", n)
                index_failures = 0
                if time.monotonic() - last_prune > 3600:
                    prune_change_log(session)
                    session.commit()
                    last_prune = time.monotonic()
            except IndexMissing:
                log.warning("no search index yet: building it")
                rebuild_index(session, index)
            except IndexBusy:
                log.warning("index writer busy; retrying")
            except DBAPIError as e:
                log.warning("index worker: database unavailable (%s); retrying", str(e.orig).strip()[:200])
            except Exception:
                index_failures += 1
                log.exception("index worker: applying the change log failed (%d in a row)", index_failures)
                if index_failures >= WORKER_FAILURES_BEFORE_REBUILD:
                    log.warning("index worker: rebuilding the search index from the database")
                    rebuild_index(session, index)
                    index_failures = 0
        if once:
            return
        time.sleep(interval)


# -- inline mode: apply right after a commit that logged changes ------------------------------------------
def _after_flush(session, flush_context):
    if any(isinstance(o, SearchChange) for o in session.new) or session.info.get("search_dirty"):
        session.info["search_dirty"] = True


def _after_commit(session):
    if not session.info.pop("search_dirty", False) or not has_app_context():
        return
    app = current_app._get_current_object()
    if app.config.get("SEARCH_INDEX_MODE") != "inline":
        return
    index = app.extensions["search_index"]
    try:
        with Session(db.engine) as s:
            apply_changes(s, index)
    except IndexMissing:
        log.info("search index not built yet; run `flask reindex`")
    except IndexBusy:
        log.warning("search index busy; the change will be applied by the next writer")


def _after_rollback(session):
    session.info.pop("search_dirty", None)


def init_app(app) -> None:
    app.extensions["search_index"] = SearchIndex(index_dir(app))
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_flush", _after_flush)
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", lambda s, prev: _after_rollback(s))
