"""Coupon state changes: claim, redeem, reverse, resolve a provider. Plain functions on a session; they flush
and the request commits. Every ledger write first locks the set (see ``lock_set``)."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session, joinedload, lazyload

from ..accounts.models import Child, User
from ..models import Facility, facility_services
from ..timeutil import utcnow
from . import domain as d
from .models import (KIND_ISSUE, KIND_REDEEM, KIND_REVERSAL, CouponProgramme, CouponSet, LedgerEntry,
                     PasscodeFailure, ProviderPoint, SerialBatch, SerialCode)

log = logging.getLogger(__name__)

PASSCODE_WINDOW = dt.timedelta(minutes=15)
PASSCODE_LIMIT_ACCOUNT = 5       # wrong passcodes per account per window
PASSCODE_LIMIT_CLIENT = 10       # per client address per window
PASSCODE_LIMIT_PROVIDER = 20     # wrong tries in the window that flag every provider for a passcode rotation
PASSCODE_LIMIT_NEAR = 8          # wrong tries one digit off one provider's passcode: flag that provider


# -- reading ----------------------------------------------------------------------------------------------------
# A ledger row as the rules read it: the table's columns, not an entity (no set, provider or identity map).
_LEDGER_COLUMNS = tuple(LedgerEntry.__table__.c)


def entries_of(session: Session, set_id: int) -> list[Row]:
    """A set's ledger rows in the order written (plain rows: the rules need only columns)."""
    return entries_by_set(session, [set_id])[set_id]


def entries_by_set(session: Session, set_ids: list[int]) -> dict[int, list[Row]]:
    """Several sets' ledger rows in one statement, each set's in the order written."""
    out: dict[int, list[Row]] = {i: [] for i in set_ids}
    if set_ids:
        for row in session.execute(select(*_LEDGER_COLUMNS).where(LedgerEntry.set_id.in_(set_ids))
                                   .order_by(LedgerEntry.id)):
            out[row.set_id].append(row)
    return out


def as_domain(entry: LedgerEntry | Row):
    """The pure-domain form of a ledger row (an entity or a plain row)."""
    if entry.kind == KIND_ISSUE:
        return d.Issue(entry.set_id, entry.count, entry_id=entry.id, at=entry.created_at)
    if entry.kind == KIND_REDEEM:
        return d.Redeem(entry.set_id, entry.count, entry.provider_id, entry.service_code, entry.created_at,
                        entry.idempotency_key, entry_id=entry.id)
    return d.Reversal(entry.reverses_id, entry.count, entry.reason or "", entry.created_at, entry_id=entry.id)


def balance_of(session: Session, set_id: int) -> int:
    """Remaining coupons, derived from the ledger."""
    return balance_from(entries_of(session, set_id))


def balance_from(entries: list[Row]) -> int:
    """Remaining coupons of one set from its ledger rows already read."""
    return d.balance(as_domain(e) for e in entries)


def balances(session: Session, set_ids: list[int]) -> dict[int, int]:
    """Remaining coupons of several sets in one query (issue - redeem + reversal)."""
    if not set_ids:
        return {}
    signed = func.sum(case((LedgerEntry.kind == KIND_REDEEM, -LedgerEntry.count), else_=LedgerEntry.count))
    rows = session.execute(select(LedgerEntry.set_id, signed).where(LedgerEntry.set_id.in_(set_ids))
                           .group_by(LedgerEntry.set_id)).all()
    out = {i: 0 for i in set_ids}
    out.update({sid: int(total or 0) for sid, total in rows})
    return out


def valid_until(coupon_set: CouponSet, service_code: str, entries: list[Row] | None = None,
                session: Session | None = None) -> dt.date | None:
    """The last day a coupon of this set can be used for ``service_code`` (None: starts at first use)."""
    if entries is None:
        entries = entries_of(session, coupon_set.id)
    return validities(coupon_set, [service_code], entries)[service_code]


def validities(coupon_set: CouponSet, service_codes, entries: list[Row]) -> dict[str, dt.date | None]:
    """``valid_until`` for each of ``service_codes``, from the set's ledger rows already read."""
    domain = [as_domain(e) for e in entries]
    out = {}
    for code in service_codes:
        first = d.first_use_at(domain, code)
        out[code] = d.coupon_valid_until(code, programme_end=coupon_set.programme.ends_on,
                                         birth_date=coupon_set.child_birth_date,
                                         first_use=d.japan_date(first) if first else None,
                                         multiple_birth=coupon_set.multiple_birth)
    return out


# -- locking ------------------------------------------------------------------------------------------------------
def lock_set(session: Session, set_id: int) -> CouponSet | None:
    """Take the set's write lock and read the set (with its programme) as committed, in one statement, before
    reading its ledger. PostgreSQL: ``SELECT ... FOR UPDATE`` holds the row lock to commit, so writes to one
    set's ledger run one after the other. SQLite: the transaction starts with BEGIN IMMEDIATE (the database
    write lock; others wait up to busy_timeout) unless a write transaction is already open."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    return session.scalars(_SET_FOR_UPDATE, {"set_id": set_id}).first()


# The statements of a redemption, built once: SQLAlchemy then reuses their cache keys instead of deriving them
# on every request.
_SET_FOR_UPDATE = (select(CouponSet).where(CouponSet.id == bindparam("set_id")).with_for_update(of=CouponSet)
                   .options(lazyload(CouponSet.child)).execution_options(populate_existing=True))
_LEDGER_AND_KEY = (select(*_LEDGER_COLUMNS)
                   .where(or_(LedgerEntry.set_id == bindparam("set_id"),
                              LedgerEntry.idempotency_key == bindparam("key")))
                   .order_by(LedgerEntry.id))
_APPEND_REDEEM = LedgerEntry.__table__.insert().returning(LedgerEntry.__table__.c.id)
_PROVIDER_BY_QR = (select(ProviderPoint.facility_id, ProviderPoint.qr_token, facility_services.c.service_code)
                   .outerjoin(facility_services, facility_services.c.facility_id == ProviderPoint.facility_id)
                   .where(ProviderPoint.qr_token == bindparam("token")))


# -- claim -------------------------------------------------------------------------------------------------------
@dataclass
class ClaimPreview:
    serial: SerialCode
    programme: CouponProgramme


def find_serial(session: Session, text: str) -> ClaimPreview:
    """The coupon behind a serial code as typed (hyphens, full width, lower case accepted)."""
    code = d.parse_serial(text)          # raises SerialError
    serial = session.get(SerialCode, code)
    if serial is None:
        raise d.CouponError("serial", d.errors.N_("No coupon has this serial code. Check the code again."),
                            "serial_unknown")
    if serial.claimed_at is not None:
        raise d.CouponError("serial", d.errors.N_("This serial code has already been used."), "serial_used")
    return ClaimPreview(serial, serial.programme)


def claim(session: Session, user: User, serial_text: str, child_id: int, birth_date: dt.date,
          multiple_birth: bool, today: dt.date) -> CouponSet:
    """Bind the coupon set of a serial code to one child of the family (birth date re-entered as a check)."""
    preview = find_serial(session, serial_text)
    child = session.get(Child, child_id)
    if child is None or child.user_id != user.id or child.birth_date is None:
        raise d.CouponError("child", d.errors.N_("Choose one of your children."), "child_unknown")
    if child.birth_date != birth_date:
        raise d.CouponError("birth_date", d.errors.N_("The birth date does not match the child's record."),
                            "birth_date_mismatch")
    err = d.check_child_eligible(child.birth_date, preview.programme.child_born_from, today=today)
    if err:
        raise err
    already = session.scalar(select(CouponSet.id).where(CouponSet.programme_id == preview.programme.id,
                                                        CouponSet.child_id == child.id))
    err = d.check_claim(serial_claimed=False, child_has_set=already is not None)
    if err:
        raise err
    # The serial is marked used with a conditional update: two claims of one code cannot both succeed.
    result = session.execute(update(SerialCode).where(SerialCode.code == preview.serial.code,
                                                      SerialCode.claimed_at.is_(None))
                             .values(claimed_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise d.CouponError("serial", d.errors.N_("This serial code has already been used."), "serial_used")
    coupon_set = CouponSet(programme_id=preview.programme.id, serial_code=preview.serial.code, user_id=user.id,
                           child_id=child.id, child_birth_date=child.birth_date, multiple_birth=multiple_birth)
    session.add(coupon_set)
    session.flush()
    session.add(LedgerEntry(set_id=coupon_set.id, kind=KIND_ISSUE, count=preview.programme.coupons_per_set,
                            actor_user_id=user.id))
    session.flush()
    return coupon_set


# -- providers ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Provider:
    """A coupon provider as a redemption needs it: its facility, the QR token that reached it, the service
    codes it offers."""
    facility_id: int
    qr_token: str
    services: frozenset[str]


def provider_of(facility: Facility, qr_token: str = "") -> Provider:
    """The provider behind a facility already loaded."""
    return Provider(facility.id, qr_token, frozenset(s.code for s in facility.services))


def provider_by_qr(session: Session, token: str) -> Provider | None:
    """The provider a QR token (or the token a passcode led to) points at, with its services, in one
    statement; None for an unknown or rotated token."""
    if not token or len(token) > 32:
        return None
    rows = session.execute(_PROVIDER_BY_QR, {"token": token}).all()
    if not rows:
        return None
    services = frozenset(r.service_code for r in rows if r.service_code is not None)
    return Provider(rows[0].facility_id, rows[0].qr_token, services)


def resolve_qr(session: Session, token: str) -> ProviderPoint | None:
    if not token or len(token) > 32:
        return None
    # The facility with its services (what redeeming checks); benefits and amenities only if a page asks.
    return session.scalar(select(ProviderPoint).where(ProviderPoint.qr_token == token).options(
        joinedload(ProviderPoint.facility).lazyload(Facility.benefits),
        joinedload(ProviderPoint.facility).lazyload(Facility.amenities)))


class PasscodeLocked(Exception):
    """Too many wrong passcodes: further tries are refused for a while."""


def resolve_passcode(session: Session, passcode: str, user_id: int, client: str, now: dt.datetime | None = None
                     ) -> ProviderPoint | None:
    """The provider with this 6-digit passcode, counting failures per account, per client address and overall
    (a wave of failures flags providers for a passcode rotation). Raises PasscodeLocked when over a limit."""
    now = now or utcnow()
    since = now - PASSCODE_WINDOW
    by_user = session.scalar(select(func.count()).select_from(PasscodeFailure)
                             .where(PasscodeFailure.user_id == user_id, PasscodeFailure.created_at >= since))
    by_client = session.scalar(select(func.count()).select_from(PasscodeFailure)
                               .where(PasscodeFailure.client == client, PasscodeFailure.created_at >= since))
    if by_user >= PASSCODE_LIMIT_ACCOUNT or by_client >= PASSCODE_LIMIT_CLIENT:
        raise PasscodeLocked()
    point = None
    if passcode.isdigit() and len(passcode) == 6:
        point = session.scalar(select(ProviderPoint).where(ProviderPoint.passcode == passcode))
    if point is None:
        near = _nearest_point(session, passcode)
        session.add(PasscodeFailure(user_id=user_id, client=client[:64], created_at=now,
                                    near_provider_id=near.facility_id if near else None))
        if near is not None:
            near_count = session.scalar(select(func.count()).select_from(PasscodeFailure).where(
                PasscodeFailure.near_provider_id == near.facility_id, PasscodeFailure.created_at >= since))
            if near_count + 1 >= PASSCODE_LIMIT_NEAR:
                near.needs_rotation = True
                log.warning("many near misses on provider %s's passcode: flagged for rotation", near.facility_id)
        total = session.scalar(select(func.count()).select_from(PasscodeFailure)
                               .where(PasscodeFailure.created_at >= since))
        if total + 1 >= PASSCODE_LIMIT_PROVIDER:
            # Someone is sweeping the passcode space: every passcode may be exposed; ask providers to rotate.
            session.execute(update(ProviderPoint).values(needs_rotation=True)
                            .execution_options(synchronize_session=False))
            log.warning("passcode failures over the limit: all providers flagged for rotation")
        session.flush()
    return point


def _nearest_point(session: Session, passcode: str) -> ProviderPoint | None:
    """The provider whose passcode differs from ``passcode`` in exactly one digit (a typo or a targeted guess)."""
    if not (passcode.isdigit() and len(passcode) == 6):
        return None
    for point in session.scalars(select(ProviderPoint)):
        if sum(a != b for a, b in zip(point.passcode, passcode, strict=True)) == 1:
            return point
    return None


def new_passcode(session: Session) -> str:
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if not session.scalar(select(ProviderPoint.id).where(ProviderPoint.passcode == code)):
            return code


def ensure_point(session: Session, facility: Facility) -> ProviderPoint:
    """The provider's QR token and passcode, created on first use."""
    point = session.scalar(select(ProviderPoint).where(ProviderPoint.facility_id == facility.id))
    if point is None:
        point = ProviderPoint(facility_id=facility.id, qr_token=secrets.token_urlsafe(16),
                              passcode=new_passcode(session))
        session.add(point)
        session.flush()
    return point


def rotate_passcode(session: Session, point: ProviderPoint) -> str:
    """A new passcode (and QR token); the old ones stop working at once."""
    point.passcode = new_passcode(session)
    point.qr_token = secrets.token_urlsafe(16)
    point.rotated_at = utcnow()
    point.needs_rotation = False
    session.flush()
    return point.passcode


# -- redeem and reverse ----------------------------------------------------------------------------------------------
def redeem(session: Session, *, user: User, set_id: int, provider: Provider, service_code: str, count: int,
           idempotency_key: str, now: dt.datetime | None = None) -> int:
    """Use ``count`` coupons of a set at a provider, once per idempotency key; returns the id of the receipt's
    ledger entry (a replay returns the first one's). Locks the set first, then checks every rule against the
    ledger, then appends."""
    now = now or utcnow()
    if not idempotency_key or len(idempotency_key) > 64:
        raise d.CouponError("key", d.errors.N_("This form was already sent with other values. Start again."),
                            "idempotency_key_invalid")
    # Under the lock: the set with its programme (one statement), then its ledger and an earlier use of
    # this key on any set (one statement, plain rows: the rules need only columns), then the new entry.
    coupon_set = lock_set(session, set_id)
    if coupon_set is None or coupon_set.user_id != user.id:
        raise d.CouponError("set", d.errors.N_("These coupons belong to another child. Siblings cannot share "
                                               "coupons."), "not_owner")
    rows = session.execute(_LEDGER_AND_KEY, {"set_id": set_id, "key": idempotency_key}).all()
    previous = next((e for e in rows if e.idempotency_key == idempotency_key), None)
    if previous is not None:
        err = d.check_replay(as_domain(previous), set_id=set_id, count=count, provider_id=provider.facility_id,
                             service_code=service_code)
        if err:
            raise err
        return previous.id
    err = d.check_provider_service(service_code, provider.services)
    if err:
        raise err
    entries = [e for e in rows if e.set_id == set_id]
    until = valid_until(coupon_set, service_code, entries)
    if until is not None and d.japan_date(now) > until:
        raise d.CouponError("set", d.errors.N_("This coupon expired on %(valid_until)s."), "coupon_expired",
                            {"valid_until": until.isoformat()})
    err = d.check_redeem(balance_from(entries), count)
    if err:
        raise err
    # Appended with a plain INSERT ... RETURNING id: nothing else in the session changes, so no unit of work.
    return session.execute(_APPEND_REDEEM, {
        "set_id": set_id, "kind": KIND_REDEEM, "count": count, "provider_id": provider.facility_id,
        "service_code": service_code, "idempotency_key": idempotency_key, "actor_user_id": user.id,
        "created_at": now}).scalar_one()


def reverse(session: Session, *, original_id: int, facility: Facility, count: int, reason: str, actor: User,
            now: dt.datetime | None = None) -> LedgerEntry:
    """Correct a wrong count within 24 hours: a reversal entry pointing at the redemption (never an edit)."""
    now = now or utcnow()
    original = session.get(LedgerEntry, original_id)
    if original is None or original.provider_id != facility.id:
        raise d.CouponError("original", d.errors.N_("Only a use of coupons can be corrected."), "not_a_redemption")
    lock_set(session, original.set_id)
    entries = entries_of(session, original.set_id)
    reversals = [as_domain(e) for e in entries if e.kind == KIND_REVERSAL]
    err = d.check_reversal(as_domain(original), reversals, now, count=count, reason=reason)
    if err:
        raise err
    entry = LedgerEntry(set_id=original.set_id, kind=KIND_REVERSAL, count=count, provider_id=facility.id,
                        service_code=original.service_code, reverses_id=original.id, reason=reason.strip(),
                        actor_user_id=actor.id, created_at=now)
    session.add(entry)
    session.flush()
    return entry


# -- serial batches -------------------------------------------------------------------------------------------------
def create_batch(session: Session, programme: CouponProgramme, size: int, note: str = "",
                 created_by: int | None = None) -> SerialBatch:
    """Generate ``size`` new serial codes for a programme."""
    batch = SerialBatch(programme_id=programme.id, size=size, note=note, created_by=created_by)
    session.add(batch)
    session.flush()
    existing = set(session.scalars(select(SerialCode.code)))
    for code in d.generate_serials(size, exclude=existing):
        session.add(SerialCode(code=code, batch_id=batch.id, programme_id=programme.id))
    session.flush()
    return batch


# -- audit ----------------------------------------------------------------------------------------------------------
@dataclass
class LedgerAudit:
    """Totals over the ledger and every set whose entries break an invariant (empty ``problems``: it balances)."""
    sets: int
    issued: int
    redeemed: int
    reversed: int
    balance: int
    problems: list[str]

    @property
    def balances(self) -> bool:
        """Every set's entries pass the ledger checks (the totals then add up by construction)."""
        return not self.problems


def audit_ledger(session: Session, set_ids: list[int] | None = None) -> LedgerAudit:
    """Re-derive every set's balance from its entries (the domain's invariant checks included) and add up the
    whole ledger: issued − redeemed + reversed must equal the sum of the balances, none of them negative."""
    query = select(LedgerEntry).order_by(LedgerEntry.set_id, LedgerEntry.id).options(
        lazyload(LedgerEntry.coupon_set), lazyload(LedgerEntry.provider))
    if set_ids is not None:
        query = query.where(LedgerEntry.set_id.in_(set_ids))
    per_set: dict[int, list] = {}
    totals = {KIND_ISSUE: 0, KIND_REDEEM: 0, KIND_REVERSAL: 0}
    for entry in session.scalars(query):
        per_set.setdefault(entry.set_id, []).append(as_domain(entry))
        totals[entry.kind] += entry.count
    problems, total_balance = [], 0
    for set_id, entries in per_set.items():
        try:
            total_balance += d.balance(entries)
        except d.LedgerInvariantError as e:
            problems.append(f"set {set_id}: {e}")
    return LedgerAudit(len(per_set), totals[KIND_ISSUE], totals[KIND_REDEEM], totals[KIND_REVERSAL],
                       total_balance, problems)
