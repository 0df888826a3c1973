"""State changes for facilities: plain functions taking a session; they flush, the caller commits.

Every change also appends to the search change log (``SearchChange``) in the same transaction, which is how
the search index follows the database."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.facility_record import FacilityRecord
from ..models import (STATUS_ACTIVE, STATUS_WITHDRAWN, Amenity, CouponService, Facility, FacilityBenefit,
                      SearchChange)

log = logging.getLogger(__name__)


def record_change(session: Session, external_id: str) -> None:
    """Append a change-log entry so the indexer updates (or removes) this facility."""
    session.add(SearchChange(facility_external_id=external_id))


def find_facility(session: Session, external_id: str) -> Facility | None:
    return session.scalar(select(Facility).where(Facility.external_id == external_id))


def upsert_facility(session: Session, rec: FacilityRecord) -> tuple[Facility, bool]:
    """Create or update the facility with ``rec.external_id``; returns (facility, created)."""
    facility = find_facility(session, rec.external_id)
    created = facility is None
    if created:
        facility = Facility(external_id=rec.external_id)
        session.add(facility)
    for attr in ("programme", "name", "name_kana", "name_en", "address", "building", "phone", "url", "open_days",
                 "opens", "closes", "hours_note", "description", "notes", "registered_on", "valid_until", "status"):
        setattr(facility, attr, getattr(rec, attr))
    facility.category_code = rec.category
    facility.municipality_code = rec.municipality
    facility.latitude, facility.longitude = rec.lat, rec.lon

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
