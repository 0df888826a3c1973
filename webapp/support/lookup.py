"""Member lookup for the agents' console: find family accounts by name, kana, e-mail, phone or passport number,
and summarise one account read-only — account state, children with masked birth dates, passport validity, coupon
balances and recent redemptions. Plain functions on a session; nothing here writes.

The phone number is optional for families, so a number may find nobody (:func:`looks_like_phone` lets the
console say to ask for the name or e-mail address instead)."""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from ..accounts.models import ROLE_FAMILY, Child, EmailToken, User
from ..accounts.operations import child_infos
from ..coupons.domain import MAMA_HELP, POSTPARTUM_HOUSEWORK
from ..coupons.models import KIND_REDEEM, KIND_REVERSAL, CouponSet, LedgerEntry
from ..coupons.operations import balances, valid_until
from ..domain.facility_record import to_katakana
from ..domain.passport import passport_status
from ..domain.phone import PhoneError, normalize_phone
from ..models import CouponService

log = logging.getLogger(__name__)

MAX_RESULTS = 20
RECENT_USES = 10
SPECIAL_VALIDITY = (MAMA_HELP, POSTPARTUM_HOUSEWORK)   # services whose coupons expire on their own dates
_PASSPORT = re.compile(r"^\d{10}$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def passport_digits(text: str) -> str | None:
    """The 10-digit passport number in ``text`` ("1234 5678 90", full width...), or None."""
    digits = re.sub(r"[\s\-]", "", _fold(text))
    return digits if _PASSPORT.match(digits) else None


def phone_number(text: str) -> str | None:
    """The phone number in ``text``, normalised as the accounts store it (045-123-4567), or None.
    A 10-digit number starting with 0 may also be a passport number: :func:`find_members` tries both."""
    try:
        return normalize_phone(text)
    except PhoneError:
        return None


def looks_like_phone(text: str) -> bool:
    """True when ``text`` is a phone number."""
    return phone_number(text) is not None


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_members(session: Session, text: str, limit: int = MAX_RESULTS) -> list[User]:
    """Family accounts matching ``text``: the exact e-mail address (any case, full width accepted), the exact
    passport number, the phone number (any hyphenation), or a name / reading containing every word (hiragana, katakana and half-width kana all
    match the stored katakana reading). Only families: staff accounts are never listed."""
    value = _fold(text)
    if not value:
        return []
    stmt = select(User).where(User.role == ROLE_FAMILY)
    if "@" in value:
        stmt = stmt.where(func.lower(User.email) == value.lower())
    elif passport_digits(value) or phone_number(value):
        passport, phone = passport_digits(value), phone_number(value)
        stmt = stmt.where(or_(User.passport_number == passport if passport else false(),
                              User.phone == phone if phone else false()))
    else:
        for word in value.replace("\u3000", " ").split():
            kana = to_katakana(word)
            stmt = stmt.where(or_(User.name.ilike(_like(word), escape="\\"),
                                  func.replace(User.name, " ", "").ilike(_like(word), escape="\\"),
                                  User.name_kana.ilike(_like(kana), escape="\\"),
                                  func.replace(User.name_kana, " ", "").ilike(_like(kana), escape="\\")))
    return list(session.scalars(stmt.order_by(User.name_kana, User.id).limit(limit)))


# ------------------------------------------------------------------ one member, read only

def mask_date(day: dt.date | None) -> str:
    """A date with month and day hidden: 2024-**-**."""
    return f"{day.year}-**-**" if day else "—"


def age_on(birth: dt.date, today: dt.date) -> tuple[int, int]:
    """Age in whole years and months on ``today``."""
    months = (today.year - birth.year) * 12 + today.month - birth.month - (1 if today.day < birth.day else 0)
    months = max(months, 0)
    return divmod(months, 12)


@dataclass
class ChildSummary:
    name: str
    masked: str
    pregnancy: bool
    years: int | None = None
    months: int | None = None


@dataclass
class SetSummary:
    programme: str
    programme_en: str
    child_masked: str
    serial_tail: str
    balance: int
    ends_on: dt.date
    special: list[tuple[str, dt.date | None]] = field(default_factory=list)   # (service code, valid until)
    claimed_at: dt.datetime | None = None


@dataclass
class UseRow:
    kind: str                   # "redeem" | "reversal"
    provider: str
    provider_en: str | None
    service: str | None
    service_en: str | None
    count: int
    at: dt.datetime


@dataclass
class LinkRow:
    purpose: str                # signup | reset | email_change
    sent_at: dt.datetime
    state: str                  # "used" | "expired" | "open"


@dataclass
class MemberSummary:
    user: User
    children: list[ChildSummary]
    passport_until: dt.date | None
    passport_state: str         # "valid" | "expired" | "none"
    sets: list[SetSummary]
    uses: list[UseRow]
    links: list[LinkRow]


def _children(user: User, today: dt.date) -> list[ChildSummary]:
    out = []
    for c in user.children:
        if c.birth_date:
            years, months = age_on(c.birth_date, today)
            out.append(ChildSummary(c.name, mask_date(c.birth_date), False, years, months))
        else:
            out.append(ChildSummary(c.name, mask_date(c.due_date), True))
    return out


def _sets(session: Session, user: User) -> list[SetSummary]:
    sets = list(session.scalars(select(CouponSet).where(CouponSet.user_id == user.id).order_by(CouponSet.id)))
    left = balances(session, [s.id for s in sets])
    out = []
    for s in sets:
        special = [(code, valid_until(s, code, session=session)) for code in SPECIAL_VALIDITY]
        out.append(SetSummary(s.programme.name, s.programme.name_en, mask_date(s.child_birth_date),
                              s.serial_code[-4:], left.get(s.id, 0), s.programme.ends_on, special, s.claimed_at))
    return out


def _uses(session: Session, user: User, limit: int) -> list[UseRow]:
    rows = session.scalars(select(LedgerEntry).join(CouponSet, LedgerEntry.set_id == CouponSet.id)
                           .where(CouponSet.user_id == user.id,
                                  LedgerEntry.kind.in_((KIND_REDEEM, KIND_REVERSAL)))
                           .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc()).limit(limit))
    names = {s.code: s for s in session.scalars(select(CouponService))}
    out = []
    for e in rows:
        svc = names.get(e.service_code)
        out.append(UseRow(e.kind, e.provider.name if e.provider else "—",
                          e.provider.name_en if e.provider else None,
                          svc.name if svc else e.service_code, svc.name_en if svc else e.service_code,
                          e.count, e.created_at))
    return out


def _links(session: Session, user: User, now: dt.datetime) -> list[LinkRow]:
    rows = session.scalars(select(EmailToken).where(or_(EmailToken.user_id == user.id,
                                                        EmailToken.email == user.email))
                           .order_by(EmailToken.created_at.desc()).limit(5))
    return [LinkRow(t.purpose, t.created_at,
                    "used" if t.used_at else ("expired" if t.expires_at < now else "open")) for t in rows]


def summarise(session: Session, user: User, today: dt.date, now_utc: dt.datetime,
              uses: int = RECENT_USES) -> MemberSummary:
    """Everything the console shows about one member (read only)."""
    until, state = passport_status(child_infos(user), today)
    return MemberSummary(user=user, children=_children(user, today), passport_until=until, passport_state=state,
                         sets=_sets(session, user), uses=_uses(session, user, uses),
                         links=_links(session, user, now_utc))


def child_count(session: Session, user_ids: list[int]) -> dict[int, int]:
    """How many children (or pregnancies) each listed member has."""
    if not user_ids:
        return {}
    rows = session.execute(select(Child.user_id, func.count()).where(Child.user_id.in_(user_ids))
                           .group_by(Child.user_id)).all()
    return {uid: n for uid, n in rows}
