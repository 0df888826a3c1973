"""State changes for facilities: plain functions taking a session; they flush, the caller commits.

Every change also appends to the search change log (``SearchChange``) in the same transaction, which is how
the search index follows the database.

The indexer reads the log in id order after its checkpoint, so log ids must become visible in the order they
were given. On PostgreSQL two transactions can take ids 10 and 11 and commit 11 first: an indexer reading in
between would move its checkpoint past 10 and never see it. So ``record_change`` only notes the facility; the
entries are written at commit time under one transaction-scoped advisory lock, after everything else has been
flushed (so the lock is held for one insert and the commit, and never while waiting on a row lock). SQLite
needs no lock: it has one writer at a time already."""
from __future__ import annotations

import logging

from sqlalchemy import event, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from ..domain.facility_record import FacilityRecord
from ..geocoding import Geocoder, current_geocoder
from ..models import (STATUS_ACTIVE, STATUS_WITHDRAWN, Amenity, CouponService, Facility, FacilityBenefit,
                      SearchChange)

log = logging.getLogger(__name__)


CHANGE_LOG_LOCK = 0x6B6F736F  # the advisory lock key that orders change-log writers ("koso")
_PENDING = "search_changes_pending"


def record_change(session: Session, external_id: str) -> None:
    """Note that this facility changed: one change-log entry is written for it when the transaction commits,
    so the indexer updates (or removes) it."""
    session.info.setdefault(_PENDING, {})[external_id] = None


@event.listens_for(Session, "before_commit")
def _write_change_log(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()  # take every row lock first, then the ordering lock
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})
    session.add_all(SearchChange(facility_external_id=external_id) for external_id in pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)


def find_facility(session: Session, external_id: str) -> Facility | None:
    return session.scalar(select(Facility).where(Facility.external_id == external_id))


def _set_location(facility: Facility, rec: FacilityRecord, geocoder: Geocoder | None) -> None:
    """The record's coordinates, or the geocoder's (approximate) ones when it has none. Coordinates that come
    back unchanged from an earlier estimate (an edit form, a change request) stay marked approximate, unless the
    municipality changed: then they are estimated again."""
    given = rec.lat is not None and rec.lon is not None
    estimate_back = bool(facility.location_approximate) and (facility.latitude, facility.longitude) == (rec.lat,
                                                                                                      rec.lon)
    if given and not estimate_back:
        facility.latitude, facility.longitude, facility.location_approximate = rec.lat, rec.lon, False
        return
    if given and facility.municipality_code == rec.municipality:
        return  # the earlier estimate, still right for this municipality
    found = (geocoder or current_geocoder()).geocode(rec.address or "", rec.municipality)
    if found is None:
        facility.latitude = facility.longitude = None
        facility.location_approximate = False
    else:
        facility.latitude, facility.longitude = found.lat, found.lon
        facility.location_approximate = found.approximate


def upsert_facility(session: Session, rec: FacilityRecord,
                    geocoder: Geocoder | None = None) -> tuple[Facility, bool]:
    """Create or update the facility with ``rec.external_id``; returns (facility, created). A record without
    coordinates gets them from ``geocoder`` (default: the app's, see :mod:`webapp.geocoding`)."""
    facility = find_facility(session, rec.external_id)
    created = facility is None
    if created:
        facility = Facility(external_id=rec.external_id)
        session.add(facility)
    for attr in ("programme", "name", "name_kana", "name_en", "address", "building", "phone", "url", "open_days",
                 "opens", "closes", "hours_note", "description", "notes", "registered_on", "valid_until", "status",
                 "accepts_other_prefectures"):
        setattr(facility, attr, getattr(rec, attr))
    facility.category_code = rec.category
    _set_location(facility, rec, geocoder)
    facility.municipality_code = rec.municipality

    existing = {b.kind_code: b for b in facility.benefits}
    for kind, benefit in list(existing.items()):
        if kind not in rec.benefits:
            facility.benefits.remove(benefit)
    for kind, text in rec.benefits.items():
        if kind in existing:
            existing[kind].text = text
        else:
            facility.benefits.append(FacilityBenefit(kind_code=kind, text=text))
    facility.amenities = [session.get(Amenity, code) for code in rec.amenities]
    facility.services = [session.get(CouponService, code) for code in rec.services]
    record_change(session, rec.external_id)
    session.flush()
    return facility, created


def withdraw_facility(session: Session, external_id: str) -> Facility | None:
    """Mark a facility withdrawn: it leaves search at once but its row stays for the record."""
    facility = find_facility(session, external_id)
    if facility is None:
        return None
    facility.status = STATUS_WITHDRAWN
    record_change(session, external_id)
    session.flush()
    return facility


def is_listed(facility: Facility) -> bool:
    """Whether a facility appears in search and on its public page."""
    return facility.status == STATUS_ACTIVE
