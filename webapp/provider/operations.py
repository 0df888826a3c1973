"""Provider-side queries and the staff link: plain functions on a session, no Flask request needed.

Stored times are naive UTC; the provider works in Japan time (UTC+9, no daylight saving time), so days and
months are cut at Japan midnight. Money is ``count × face value`` of the programme of the set used.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..accounts.models import ROLE_PROVIDER, User
from ..coupons import domain as d
from ..coupons import operations as coupon_ops
from ..coupons.models import (KIND_REDEEM, KIND_REVERSAL, CouponProgramme, CouponSet, LedgerEntry,
                              PasscodeFailure, ProviderPoint, ProviderStaff)
from ..models import PROGRAMME_COUPON, CouponService, Facility
from ..timeutil import jst_start_utc, to_jst

log = logging.getLogger(__name__)

RECENT_DAYS = 7          # the home page lists today and the 7 days before
RECENT_LIMIT = 200       # at most this many rows on the home page
MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
CSV_HEADER = ["年月", "施設ID", "提供者", "事業", "利用枚数", "訂正枚数", "差引枚数", "金額"]


# -- time (the helpers live in webapp.timeutil) -------------------------------------------------------------
def month_bounds_utc(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar month in Japan, as naive UTC datetimes."""
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return jst_start_utc(dt.date(year, month, 1)), jst_start_utc(nxt)


def parse_month(text: str | None, now: dt.datetime) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month); empty means the current month in Japan. Raises ValueError otherwise."""
    if not text:
        today = to_jst(now).date()
        return today.year, today.month
    m = MONTH_RE.match(text.strip())
    if not m:
        raise ValueError(text)
    year, month = int(m.group(1)), int(m.group(2))
    if not (2000 <= year <= 2999 and 1 <= month <= 12):
        raise ValueError(text)
    return year, month


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """The month ``delta`` months after (or before) ``year``-``month``."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


# -- who is who ----------------------------------------------------------------------------------------------
class LinkError(Exception):
    """The staff link cannot be made; the message says why (English, for the command line)."""


def staff_facility(session: Session, user: User) -> Facility | None:
    """The coupon provider this provider account works for, or None when it is not linked (yet)."""
    link = session.get(ProviderStaff, user.id)
    if link is None:
        return None
    facility = session.get(Facility, link.facility_id)
    if facility is None or facility.programme != PROGRAMME_COUPON:
        return None
    return facility


def _contact_kind(external_id: str) -> str | None:
    """``department`` / ``provider`` per the contacts directory; None when the directory does not know it."""
    import contacts
    try:
        return contacts.directory().contact(external_id).kind
    except contacts.UnknownContact:
        return None


def link_staff(session: Session, email: str, external_id: str, replace: bool = False) -> tuple[str, Facility]:
    """Link the provider account ``email`` to the coupon provider ``external_id`` (施設ID).

    Returns ``("created" | "unchanged" | "moved", facility)`` and makes sure the provider has its QR token and
    passcode. Raises LinkError with a clear message otherwise; the caller commits."""
    from ..accounts.emails import EmailError, normalize_email
    from ..accounts.operations import find_user
    try:
        email = normalize_email(email)
    except EmailError as e:
        raise LinkError(f"{email!r} is not a valid e-mail address: {e.message}") from None
    user = find_user(session, email)
    if user is None:
        raise LinkError(f"No account has the e-mail address {email}. Create it first: "
                        f"flask --app webapp create-user {email} --role provider")
    if user.role != ROLE_PROVIDER:
        raise LinkError(f"The account {email} has the role {user.role!r}, not 'provider'. "
                        "Only provider accounts can be linked to a provider.")
    facility = session.scalar(select(Facility).where(Facility.external_id == external_id))
    if facility is None:
        raise LinkError(f"No facility has the ID {external_id!r}. The Matsumoto coupon providers are loaded "
                        "by init-db (IDs such as mat-komiya-hoikuen).")
    if facility.programme != PROGRAMME_COUPON:
        raise LinkError(f"{external_id} ({facility.name}) is a passport partner facility, "
                        "not a coupon provider.")
    if _contact_kind(external_id) == "department":
        raise LinkError(f"{external_id} ({facility.name}) is a city department (an inquiry contact), "
                        "not a provider where coupons are used.")
    link = session.get(ProviderStaff, user.id)
    if link is not None and link.facility_id == facility.id:
        status = "unchanged"
    elif link is not None:
        current = session.get(Facility, link.facility_id)
        if not replace:
            raise LinkError(f"The account {email} is already linked to "
                            f"{current.external_id if current else link.facility_id} "
                            f"({current.name if current else '?'}). Use --replace to move it.")
        link.facility_id = facility.id
        status = "moved"
    else:
        session.add(ProviderStaff(user_id=user.id, facility_id=facility.id))
        status = "created"
    coupon_ops.ensure_point(session, facility)
    session.flush()
    log.info("provider link %s: user %s -> facility %s", status, user.id, facility.external_id)
    return status, facility


def point_for(session: Session, facility: Facility) -> ProviderPoint:
    """The provider's QR token and passcode, created (and committed) on first use."""
    point = session.scalar(select(ProviderPoint).where(ProviderPoint.facility_id == facility.id))
    if point is not None:
        return point
    try:
        point = coupon_ops.ensure_point(session, facility)
        session.commit()
        log.info("provider point created for facility %s", facility.external_id)
        return point
    except IntegrityError:  # created at the same moment by another request
        session.rollback()
        return session.scalar(select(ProviderPoint).where(ProviderPoint.facility_id == facility.id))


def near_misses(session: Session, facility: Facility, since: dt.datetime) -> int:
    """Wrong passcodes one digit away from this provider's passcode since ``since`` (typos, or someone
    closing in on it; many of them flag the provider for a rotation)."""
    return session.scalar(select(func.count()).select_from(PasscodeFailure)
                          .where(PasscodeFailure.near_provider_id == facility.id,
                                 PasscodeFailure.created_at >= since)) or 0


def set_reference(set_id: int, secret: str) -> str:
    """A short anonymous reference to a coupon set (``K7QX-2M``-like): the same child's set always gets the
    same reference at a provider, but it reveals neither the family nor how many sets exist."""
    digest = hmac.new(secret.encode("utf-8"), f"coupon-set:{set_id}".encode("ascii"), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode("ascii")[:7]
    return f"{text[:4]}-{text[4:]}"


# -- redemptions with their corrections ----------------------------------------------------------------------
@dataclass
class Redemption:
    """One use of coupons at the provider, with its correction (at most one) next to it."""
    id: int
    at: dt.datetime                  # naive UTC
    service_code: str
    count: int
    face_value: int
    set_id: int
    reversal_id: int | None = None
    reversed_count: int = 0
    reversal_reason: str | None = None
    reversal_at: dt.datetime | None = None

    @property
    def amount(self) -> int:
        return self.count * self.face_value

    @property
    def net_count(self) -> int:
        return self.count - self.reversed_count

    @property
    def net_amount(self) -> int:
        return self.net_count * self.face_value

    @property
    def reversed(self) -> bool:
        return self.reversal_id is not None

    def correctable(self, now: dt.datetime) -> bool:
        """No correction yet and still within the 24 hours (the domain's rule, limit included)."""
        return not self.reversed and now - self.at <= d.REVERSAL_WINDOW


def redemptions(session: Session, facility: Facility, start: dt.datetime | None = None,
                end: dt.datetime | None = None, entry_id: int | None = None,
                limit: int | None = None) -> list[Redemption]:
    """The provider's redemptions made in [start, end) (naive UTC), newest first, each with its correction.

    Only columns are read: the family's and the child's records are never loaded."""
    rev = aliased(LedgerEntry)
    stmt = (select(LedgerEntry.id, LedgerEntry.created_at, LedgerEntry.service_code, LedgerEntry.count,
                   CouponProgramme.face_value, LedgerEntry.set_id,
                   rev.id, rev.count, rev.reason, rev.created_at)
            .join(CouponSet, CouponSet.id == LedgerEntry.set_id)
            .join(CouponProgramme, CouponProgramme.id == CouponSet.programme_id)
            .outerjoin(rev, and_(rev.reverses_id == LedgerEntry.id, rev.kind == KIND_REVERSAL))
            .where(LedgerEntry.provider_id == facility.id, LedgerEntry.kind == KIND_REDEEM)
            .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc()))
    if start is not None:
        stmt = stmt.where(LedgerEntry.created_at >= start)
    if end is not None:
        stmt = stmt.where(LedgerEntry.created_at < end)
    if entry_id is not None:
        stmt = stmt.where(LedgerEntry.id == entry_id)
    if limit:
        stmt = stmt.limit(limit)
    return [Redemption(id=r[0], at=r[1], service_code=r[2], count=r[3], face_value=r[4], set_id=r[5],
                       reversal_id=r[6], reversed_count=r[7] or 0, reversal_reason=r[8], reversal_at=r[9])
            for r in session.execute(stmt)]


def redemption(session: Session, facility: Facility, entry_id: int) -> Redemption | None:
    """One redemption of this provider (None for another provider's, an issue or a reversal entry)."""
    rows = redemptions(session, facility, entry_id=entry_id)
    return rows[0] if rows else None


@dataclass
class Recent:
    today: list[Redemption]
    earlier: list[Redemption]

    @property
    def today_count(self) -> int:
        return sum(r.net_count for r in self.today)

    @property
    def today_amount(self) -> int:
        return sum(r.net_amount for r in self.today)


def recent(session: Session, facility: Facility, now: dt.datetime) -> Recent:
    """Today's redemptions (Japan time) and those of the RECENT_DAYS days before, newest first."""
    today_start = jst_start_utc(to_jst(now).date())
    rows = redemptions(session, facility, start=today_start - dt.timedelta(days=RECENT_DAYS),
                       limit=RECENT_LIMIT)
    return Recent(today=[r for r in rows if r.at >= today_start],
                  earlier=[r for r in rows if r.at < today_start])


# -- monthly settlement --------------------------------------------------------------------------------------
@dataclass
class SettlementLine:
    service_code: str
    name: str
    name_en: str
    redeemed: int = 0
    reversed: int = 0
    amount: int = 0

    @property
    def net(self) -> int:
        return self.redeemed - self.reversed


@dataclass
class Settlement:
    """Count and amount per service for one provider and one month (Japan time), net of corrections.

    A correction counts in the month of the redemption it corrects, so a month's figures are final once the
    24 hours for corrections of its last redemptions have passed (``final_at``)."""
    facility: Facility
    year: int
    month: int
    lines: list[SettlementLine] = field(default_factory=list)
    final_at: dt.datetime | None = None      # naive UTC

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def redeemed(self) -> int:
        return sum(line.redeemed for line in self.lines)

    @property
    def reversed(self) -> int:
        return sum(line.reversed for line in self.lines)

    @property
    def net(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)

    def is_final(self, now: dt.datetime) -> bool:
        return now > self.final_at


def settlement(session: Session, facility: Facility, year: int, month: int) -> Settlement:
    """The settlement statement: every service the provider offers (zero lines included), then any other
    service found in its ledger for the month."""
    start, end = month_bounds_utc(year, month)
    services = {s.code: s for s in session.scalars(select(CouponService))}
    lines: dict[str, SettlementLine] = {}
    for s in facility.services:
        lines[s.code] = SettlementLine(s.code, s.name, s.name_en)
    for r in redemptions(session, facility, start=start, end=end):
        line = lines.get(r.service_code)
        if line is None:
            s = services.get(r.service_code)
            line = lines[r.service_code] = SettlementLine(r.service_code, s.name if s else r.service_code,
                                                          s.name_en if s else r.service_code)
        line.redeemed += r.count
        line.reversed += r.reversed_count
        line.amount += r.net_amount
    return Settlement(facility, year, month, list(lines.values()), final_at=end + d.REVERSAL_WINDOW)


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def settlement_csv(s: Settlement) -> str:
    """The statement as CSV for the city (UTF-8 with BOM so Excel reads the Japanese; CRLF; header row; one
    line per service and a 合計 line)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    who = [s.label, _cell(s.facility.external_id), _cell(s.facility.name)]
    for line in s.lines:
        writer.writerow(who + [_cell(line.name), line.redeemed, line.reversed, line.net, line.amount])
    writer.writerow(who + ["合計", s.redeemed, s.reversed, s.net, s.amount])
    return buf.getvalue()
