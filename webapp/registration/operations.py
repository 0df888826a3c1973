"""Partner registration state changes: plain functions taking a session; they flush, the caller commits.

Submitting is idempotent (the form's key); a decision is taken once (a conditional update), so a double click
or two staff at once cannot approve twice. Approval makes facilities with ``upsert_facility`` (which logs the
change for the search index) and validates them with ``validate_record`` again."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from search_index import compact

from ..domain.facility_record import N_, FacilityRecord, Reference, validate_record
from ..domain.fiscal import fiscal_year, fiscal_year_end
from ..facilities.operations import upsert_facility, withdraw_facility
from ..models import STATUS_ACTIVE, Facility
from ..timeutil import utcnow
from .models import (APPROVED, CHANGES_REQUESTED, KIND_CHANGE, KIND_NEW, REJECTED, SUBMITTED, PartnerApplication,
                     PartnerRegistration, RenewalRun)
from .records import OTHER_PREFECTURES_NOTE, full_address, ja_names, location_raws, locations

log = logging.getLogger(__name__)


class RegistrationError(Exception):
    """Domain errors as (field, message) pairs with English msgids."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors[0][1])
        self.errors = errors


def submission_key(form_key: str, data: dict) -> str:
    """The idempotency key of one submission: the form's key and what was sent. A double submit repeats
    both (one application); going back, changing the form and sending again is a new submission."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{form_key}\n{canonical}".encode("utf-8")).hexdigest()


def find_by_key(session: Session, form_key: str, data: dict) -> PartnerApplication | None:
    key = submission_key(form_key, data)
    return session.scalar(select(PartnerApplication).where(PartnerApplication.idempotency_key == key))


def find_by_public_id(session: Session, public_id: str) -> PartnerApplication | None:
    return session.scalar(select(PartnerApplication).where(PartnerApplication.public_id == public_id))


# -- duplicates ------------------------------------------------------------------------------------------------
def _key(name: str | None, address: str | None) -> tuple[str, str]:
    return compact(name or ""), compact(address or "")


def find_duplicates(session: Session, data: dict, ref: Reference, exclude_facility_id: int | None = None,
                    exclude_application_id: int | None = None) -> list[dict]:
    """Likely duplicates of each location among existing facilities (any status) and open applications:
    the same normalised phone, or the same folded name and address. Flags for staff; nothing is merged."""
    names = ja_names(ref)
    flags: list[dict] = []
    by_municipality: dict[str, list] = {}
    open_apps = session.scalars(select(PartnerApplication).where(
        PartnerApplication.status.in_((SUBMITTED, CHANGES_REQUESTED)),
        PartnerApplication.id != (exclude_application_id or 0))).all()
    for i, loc in enumerate(locations(data)):
        muni = loc.get("municipality") or ""
        key = _key(loc.get("name"), full_address(names.get(muni), loc.get("address")))
        seen = set()
        if loc.get("phone"):
            for f in session.execute(select(Facility.id, Facility.external_id, Facility.name, Facility.status)
                                     .where(Facility.phone == loc["phone"])):
                if f.id != exclude_facility_id:
                    seen.add(f.external_id)
                    flags.append({"location": i, "facility": f.external_id, "name": f.name, "status": f.status,
                                  "reason": "phone"})
        if muni not in by_municipality:
            by_municipality[muni] = session.execute(
                select(Facility.id, Facility.external_id, Facility.name, Facility.address, Facility.status)
                .where(Facility.municipality_code == muni)).all()
        for f in by_municipality[muni]:
            if f.id != exclude_facility_id and f.external_id not in seen and _key(f.name, f.address) == key:
                flags.append({"location": i, "facility": f.external_id, "name": f.name, "status": f.status,
                              "reason": "name_address"})
        for other in open_apps:
            for other_loc in locations(other.data):
                same_phone = loc.get("phone") and other_loc.get("phone") == loc.get("phone")
                other_key = _key(other_loc.get("name"), full_address(names.get(other_loc.get("municipality") or ""),
                                                                     other_loc.get("address")))
                if same_phone or other_key == key:
                    flags.append({"location": i, "application": other.reference, "application_id": other.id,
                                  "name": other_loc.get("name"), "reason": "phone" if same_phone else "name_address"})
                    break
    return flags


# -- submitting ------------------------------------------------------------------------------------------------
def _summary(app: PartnerApplication, data: dict) -> None:
    app.data = data
    app.facility_name = data["name"]
    app.municipality_code = data["municipality"]
    app.location_count = 1 + len(data.get("branches") or [])
    app.contact_name, app.email, app.phone = data["contact_name"], data["email"], data["phone"]


def submit_application(session: Session, data: dict, key: str, lang: str, ref: Reference,
                       target: Facility | None = None) -> tuple[PartnerApplication, bool]:
    """Store an application (kind "change" when ``target`` is given); returns (application, created).
    The same key returns the application the first submit made (the caller rolls back on a race)."""
    if target is not None:
        data = dict(data, branches=[])  # a change concerns one listed facility
    existing = find_by_key(session, key, data)
    if existing is not None:
        return existing, False
    key = submission_key(key, data)
    app = PartnerApplication(public_id=secrets.token_urlsafe(16), idempotency_key=key, last_submission_key=key,
                             kind=KIND_CHANGE if target is not None else KIND_NEW, status=SUBMITTED, lang=lang,
                             target_facility_id=target.id if target is not None else None)
    _summary(app, data)
    app.duplicates = find_duplicates(session, data, ref, exclude_facility_id=target.id if target else None)
    session.add(app)
    session.flush()
    log.info("partner application %s (%s) submitted: %d location(s), %d possible duplicate(s)", app.reference,
             app.kind, app.location_count, len(app.duplicates))
    return app, True


def revise_application(session: Session, app: PartnerApplication, data: dict, key: str, ref: Reference) -> bool:
    """The applicant's answer to "please change": new data, back to review. False when this key was already
    used (a double submit) or the application no longer waits for changes."""
    key = submission_key(key, data)
    if app.last_submission_key == key or app.status != CHANGES_REQUESTED:
        return False
    _summary(app, data)
    app.last_submission_key = key
    app.status = SUBMITTED
    app.revision += 1
    app.submitted_at = utcnow()
    app.duplicates = find_duplicates(session, data, ref, exclude_facility_id=app.target_facility_id,
                                     exclude_application_id=app.id)
    session.flush()
    return True


# -- decisions -------------------------------------------------------------------------------------------------
def _decide(session: Session, app: PartnerApplication, status: str, staff_id: int | None,
            message: str | None = None) -> None:
    """Move a waiting application to ``status`` exactly once, even under concurrent requests."""
    result = session.execute(
        update(PartnerApplication).where(PartnerApplication.id == app.id, PartnerApplication.status == SUBMITTED)
        .values(status=status, decided_at=utcnow(), decided_by=staff_id, staff_message=message)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RegistrationError([("status", N_("This application has already been decided."))])
    session.refresh(app)


def _records(app: PartnerApplication, ref: Reference, today: dt.date) -> list[FacilityRecord]:
    """The facility records of an application, validated again (the data may be old)."""
    target, data = app.target_facility, app.data
    if app.kind == KIND_CHANGE:
        if target is None or target.status != STATUS_ACTIVE:
            raise RegistrationError([("status", N_("The facility of this change request is no longer listed."))])
        ids, data = [target.external_id], dict(data, branches=[])
    else:
        ids = [f"KP-A{app.id:06d}-{i + 1:02d}" for i in range(app.location_count)]
    records, errors = [], []
    for raw in location_raws(data, ja_names(ref), ids):
        if target is not None:  # keep what the form does not carry
            raw.update(name_en=target.name_en, lat=target.latitude, lon=target.longitude,
                       registered_on=target.registered_on.isoformat() if target.registered_on else None)
            kept = (target.notes or "").replace(OTHER_PREFECTURES_NOTE, "").strip()
            raw["notes"] = "\n".join(x for x in (kept, raw.get("notes")) if x) or None
        rec, errs = validate_record(raw, ref, today)
        errors.extend(errs)
        if rec is not None:
            if target is not None and target.valid_until and target.valid_until > rec.valid_until:
                rec.valid_until = target.valid_until
            records.append(rec)
    if errors:
        raise RegistrationError(errors)
    return records


def approve(session: Session, app: PartnerApplication, staff_id: int | None, ref: Reference,
            today: dt.date) -> list[Facility]:
    """Create (or, for a change, update) the facilities: listed and searchable once the caller commits,
    registered until the next March 31."""
    if app.status != SUBMITTED:
        raise RegistrationError([("status", N_("This application has already been decided."))])
    records = _records(app, ref, today)
    _decide(session, app, APPROVED, staff_id)
    facilities = []
    for rec in records:
        facility, _ = upsert_facility(session, rec)
        reg = session.scalar(select(PartnerRegistration).where(PartnerRegistration.facility_id == facility.id))
        if reg is None:
            reg = PartnerRegistration(facility_id=facility.id)
            session.add(reg)
        reg.application_id = app.id
        reg.email, reg.contact_name, reg.lang = app.email, app.contact_name, app.lang
        reg.accepts_other_prefectures = bool(app.data.get("other_prefectures"))
        facilities.append(facility)
    session.flush()
    log.info("partner application %s approved: %s", app.reference, ", ".join(f.external_id for f in facilities))
    return facilities


def reject(session: Session, app: PartnerApplication, staff_id: int | None, reason: str) -> None:
    _decide(session, app, REJECTED, staff_id, reason.strip())
    log.info("partner application %s rejected", app.reference)


def request_changes(session: Session, app: PartnerApplication, staff_id: int | None, message: str) -> None:
    _decide(session, app, CHANGES_REQUESTED, staff_id, message.strip())
    log.info("partner application %s: changes requested", app.reference)


# -- the facility's own requests (signed links) ------------------------------------------------------------------
def withdraw_registration(session: Session, reg: PartnerRegistration, reason: str | None) -> Facility | None:
    """The facility leaves the programme: off search at once; its old links stop working."""
    facility = withdraw_facility(session, reg.facility.external_id)
    reg.withdrawn_at = utcnow()
    reg.withdraw_reason = (reason or "").strip() or None
    reg.link_version += 1
    session.flush()
    log.info("facility %s withdrew from the programme", reg.facility.external_id)
    return facility


# -- yearly renewal --------------------------------------------------------------------------------------------
@dataclass
class RenewalResult:
    fiscal_year: int
    valid_until: dt.date
    renewed_ids: list[int] = field(default_factory=list)
    runs: int = 1


def renew_registrations(session: Session, today: dt.date, chunk: int = 500) -> RenewalResult:
    """Every listed passport facility runs to the end of the fiscal year containing ``today``; withdrawn ones
    do not renew. Running it again changes nothing (only facilities still short of that date move)."""
    until = fiscal_year_end(today)
    result = RenewalResult(fiscal_year(today), until)
    result.renewed_ids = list(session.scalars(select(Facility.id).where(
        Facility.programme == "passport", Facility.status == STATUS_ACTIVE,
        or_(Facility.valid_until.is_(None), Facility.valid_until < until)).order_by(Facility.id)))
    for start in range(0, len(result.renewed_ids), chunk):
        session.execute(update(Facility).where(Facility.id.in_(result.renewed_ids[start:start + chunk]))
                        .values(valid_until=until, updated_at=utcnow()).execution_options(synchronize_session=False))
    run = session.get(RenewalRun, result.fiscal_year)
    if run is None:
        run = RenewalRun(fiscal_year=result.fiscal_year, valid_until=until, renewed=0, runs=0)
        session.add(run)
    run.renewed += len(result.renewed_ids)
    run.runs += 1
    run.last_run_at = utcnow()
    result.runs = run.runs
    session.flush()
    session.expire_all()
    log.info("renewal FY%d: %d facilities renewed until %s (run %d)", result.fiscal_year, len(result.renewed_ids),
             until, run.runs)
    return result


def registrations_of(session: Session, facility_ids: list[int]) -> list[PartnerRegistration]:
    """The registrations (with a contact) of these facilities, for mails."""
    out = []
    for start in range(0, len(facility_ids), 500):
        out.extend(session.scalars(select(PartnerRegistration).where(
            PartnerRegistration.facility_id.in_(facility_ids[start:start + 500]))))
    return out
