"""Programme administration: plain functions taking a session; they flush, the view commits."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from search_index import IndexMissing, SearchQuery

from ..accounts.models import ROLE_FAMILY, ROLES, User
from ..accounts.operations import new_passport_number
from ..domain.facility_record import N_, Reference, validate_record
from ..domain.fiscal import fiscal_year, fiscal_year_end
from ..facilities.operations import upsert_facility, withdraw_facility
from ..indexing import facility_record
from ..models import STATUS_ACTIVE, STATUS_WITHDRAWN, Category, Facility, Municipality
from ..registration.models import (CHANGES_REQUESTED, SUBMITTED, PartnerApplication, PartnerRegistration,
                                   RenewalRun)
from ..timeutil import utcnow

log = logging.getLogger(__name__)


class AdminError(Exception):
    """Domain errors as (field, message) pairs with English msgids."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors[0][1])
        self.errors = errors


# -- dashboard -------------------------------------------------------------------------------------------------
def _counts_by(session: Session, model, column):
    """Listed passport facilities per reference row (rows without facilities count 0)."""
    joined = and_(column == model.code, Facility.programme == "passport", Facility.status == STATUS_ACTIVE)
    stmt = (select(model, func.count(Facility.id)).outerjoin(Facility, joined)
            .group_by(model.code).order_by(model.sort_order))
    if model is Municipality:
        stmt = stmt.where(Municipality.prefecture == "神奈川県")
    return session.execute(stmt).all()


def dashboard(session: Session, today: dt.date) -> dict:
    """The figures of the programme at a glance."""
    passport = select(func.count(Facility.id)).where(Facility.programme == "passport")
    until = fiscal_year_end(today)
    waiting = select(func.count(PartnerApplication.id)).where(PartnerApplication.status == SUBMITTED)
    return {
        "listed": session.scalar(passport.where(Facility.status == STATUS_ACTIVE)) or 0,
        "withdrawn": session.scalar(passport.where(Facility.status == STATUS_WITHDRAWN)) or 0,
        "by_municipality": _counts_by(session, Municipality, Facility.municipality_code),
        "by_category": _counts_by(session, Category, Facility.category_code),
        "waiting": session.scalar(waiting) or 0,
        "waiting_duplicates": sum(1 for d in session.scalars(select(PartnerApplication.duplicates).where(
            PartnerApplication.status == SUBMITTED)) if d),
        "changes_requested": session.scalar(select(func.count(PartnerApplication.id)).where(
            PartnerApplication.status == CHANGES_REQUESTED)) or 0,
        "oldest_waiting": session.scalar(select(func.min(PartnerApplication.submitted_at)).where(
            PartnerApplication.status == SUBMITTED)),
        "fiscal_year": fiscal_year(today), "fiscal_year_end": until,
        "due_renewal": session.scalar(passport.where(Facility.status == STATUS_ACTIVE, or_(
            Facility.valid_until.is_(None), Facility.valid_until < until))) or 0,
        "renewal_run": session.get(RenewalRun, fiscal_year(today)),
        "recent_withdrawals": session.scalars(select(PartnerRegistration).where(
            PartnerRegistration.withdrawn_at.is_not(None)).order_by(PartnerRegistration.withdrawn_at.desc())
            .limit(5)).all(),
    }


# -- facilities --------------------------------------------------------------------------------------------------
def search_facilities(session: Session, index, text: str, status: str, page: int,
                      per_page: int = 30) -> tuple[list[Facility], int]:
    """Listed facilities through the search index (the same matching families get); withdrawn ones, which
    the index does not hold, from the database by name or ID."""
    text = (text or "").strip()
    if status == STATUS_WITHDRAWN:
        stmt = select(Facility).where(Facility.status == STATUS_WITHDRAWN)
        if text:
            stmt = stmt.where(or_(Facility.name.contains(text), Facility.external_id == text))
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(stmt.order_by(Facility.updated_at.desc()).offset((page - 1) * per_page)
                               .limit(per_page)).all()
        return list(rows), total
    exact = session.scalar(select(Facility).where(Facility.external_id == text)) if text else None
    if exact is not None:
        return [exact], 1
    try:
        result = index.search(SearchQuery(text=text, page=page, per_page=per_page, with_facets=False,
                                          sort="relevance" if text else "kana"))
    except IndexMissing:
        raise AdminError([("q", N_("The search index is not built yet: run `flask reindex`."))]) from None
    ids = [h.id for h in result.hits]
    rows = {f.external_id: f for f in session.scalars(select(Facility).where(Facility.external_id.in_(ids)))}
    return [rows[i] for i in ids if i in rows], result.total


def facility_form_data(f: Facility) -> dict:
    """A facility as the edit form's initial values."""
    rec = facility_record(f)
    data = {k: getattr(rec, k) for k in ("name", "name_kana", "name_en", "address", "building", "phone", "url",
                                          "opens", "closes", "hours_note", "description", "notes")}
    data.update(category=rec.category, municipality=rec.municipality, amenities=list(rec.amenities),
                open_days="".join("月火水木金土日"[int(d)] for d in rec.open_days or ""),
                lat="" if rec.lat is None else repr(rec.lat), lon="" if rec.lon is None else repr(rec.lon),
                registered_on=rec.registered_on.isoformat() if rec.registered_on else "",
                accepts_other_prefectures=rec.accepts_other_prefectures)
    for kind, text in rec.benefits.items():
        data["benefit_" + kind] = text
    return data


def save_facility(session: Session, facility: Facility, raw: dict, ref: Reference, today: dt.date) -> Facility:
    """Staff edit: the same rules as every other way in (validate_record); programme, services and status
    stay as they are, and the registration never gets shorter."""
    raw = dict(raw, external_id=facility.external_id, programme=facility.programme, status=facility.status,
               services=[s.code for s in facility.services])
    rec, errors = validate_record(raw, ref, today)
    if errors:
        raise AdminError(errors)
    if facility.valid_until and (rec.valid_until is None or facility.valid_until > rec.valid_until):
        rec.valid_until = facility.valid_until
    facility, _ = upsert_facility(session, rec)
    log.info("facility %s edited by staff", facility.external_id)
    return facility


def _registration(session: Session, facility: Facility) -> PartnerRegistration | None:
    return session.scalar(select(PartnerRegistration).where(PartnerRegistration.facility_id == facility.id))


def withdraw(session: Session, facility: Facility) -> None:
    """Staff take a facility off the programme (it leaves search at once; the row stays)."""
    withdraw_facility(session, facility.external_id)
    reg = _registration(session, facility)
    if reg is not None and reg.withdrawn_at is None:
        reg.withdrawn_at = utcnow()
        reg.withdraw_reason = "programme office"
    session.flush()


def reinstate(session: Session, facility: Facility, ref: Reference, today: dt.date) -> None:
    """List a withdrawn facility again (validated as it stands), registered to the end of this fiscal year."""
    rec, errors = validate_record(dict(_raw_of(facility), status=STATUS_ACTIVE), ref, today)
    if errors:
        raise AdminError(errors)
    upsert_facility(session, rec)
    reg = _registration(session, facility)
    if reg is not None:
        reg.withdrawn_at = None
        reg.withdraw_reason = None
    session.flush()


def _raw_of(f: Facility) -> dict:
    rec = facility_record(f)
    raw = {k: getattr(rec, k) for k in rec.__dataclass_fields__}
    raw.update(category=rec.category, municipality=rec.municipality,
               registered_on=rec.registered_on.isoformat() if rec.registered_on else None)
    return raw


# -- users and roles ---------------------------------------------------------------------------------------------
def find_users(session: Session, email: str, role: str | None, page: int,
               per_page: int = 50) -> tuple[list[User], int]:
    stmt = select(User)
    if email:
        stmt = stmt.where(User.email.contains(email.strip().lower()))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(User.email).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def set_active(session: Session, actor_id: int, user: User, active: bool) -> None:
    """Suspend (or restore) an account. Suspending ends its sessions at once; nobody suspends themselves."""
    if user.id == actor_id:
        raise AdminError([("user", N_("You cannot suspend your own account."))])
    if active:
        user.deactivated_at = None
    elif user.deactivated_at is None:
        user.deactivated_at = utcnow()
        user.session_version += 1  # every session and remember-me cookie of the account ends now
    log.info("user %s: %s (by user %s)", user.id, "restored" if active else "suspended", actor_id)
    session.flush()


def change_role(session: Session, actor_id: int, user: User, role: str) -> None:
    """Give ``user`` another role; nobody changes their own (an admin cannot lock the office out by mistake)."""
    if user.id == actor_id:
        raise AdminError([("role", N_("You cannot change your own role."))])
    if role not in ROLES:
        raise AdminError([("role", N_("Unknown role."))])
    if role == ROLE_FAMILY and not user.passport_number:
        user.passport_number = new_passport_number(session)
    log.info("user %s: role %s -> %s (by user %s)", user.id, user.role, role, actor_id)
    user.role = role
    session.flush()
