"""Coupon tables. The ledger is append-only (enforced by database triggers): balances are derived from it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbutil import make_append_only
from ..extensions import db
from ..timeutil import utcnow

KIND_ISSUE, KIND_REDEEM, KIND_REVERSAL = "issue", "redeem", "reversal"


class CouponProgramme(db.Model):
    """One fiscal year's coupon programme: face value, coupons per set, end date, who may claim."""
    __tablename__ = "coupon_programmes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)          # e.g. FY2025
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    face_value: Mapped[int] = mapped_column(Integer)                     # yen per coupon
    coupons_per_set: Mapped[int] = mapped_column(Integer)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    child_born_from: Mapped[dt.date] = mapped_column(Date)


class SerialBatch(db.Model):
    __tablename__ = "serial_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("coupon_programmes.id"))
    size: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SerialCode(db.Model):
    """A serial code (canonical form, without hyphens). Once claimed it stays claimed, whatever happens."""
    __tablename__ = "serial_codes"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("serial_batches.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("coupon_programmes.id"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    programme: Mapped[CouponProgramme] = relationship(lazy="joined")


class CouponSet(db.Model):
    """The coupons of one child. The owner link is cut when the family deletes its account; the set and its
    ledger stay for the city's audit."""
    __tablename__ = "coupon_sets"
    __table_args__ = (UniqueConstraint("programme_id", "child_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("coupon_programmes.id"), index=True)
    serial_code: Mapped[str] = mapped_column(ForeignKey("serial_codes.code"), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id", ondelete="SET NULL"))
    child_birth_date: Mapped[dt.date] = mapped_column(Date)
    multiple_birth: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # No longer written: writes to a set's ledger lock the row with SELECT ... FOR UPDATE (operations.lock_set).
    # Releases before 2026-12-07 bumped it as their lock (an UPDATE, which FOR UPDATE waits for), so during a
    # rolling upgrade both kinds of instance still take turns; drop it once no such instance runs.
    lock_version: Mapped[int] = mapped_column(Integer, default=0)

    programme: Mapped[CouponProgramme] = relationship(lazy="joined")
    child = relationship("Child", lazy="joined")


class LedgerEntry(db.Model):
    """An append-only ledger entry: issue, redeem or reversal (a correction pointing at a redemption)."""
    __tablename__ = "coupon_ledger"
    __table_args__ = (CheckConstraint("count > 0", name="ck_ledger_count_positive"),
                      CheckConstraint("kind IN ('issue', 'redeem', 'reversal')", name="ck_ledger_kind"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("coupon_sets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(Integer)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"), index=True)
    service_code: Mapped[str | None] = mapped_column(ForeignKey("coupon_services.code"))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("coupon_ledger.id"), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    # Plain id, no foreign key: deleting an account must not touch the append-only ledger.
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    coupon_set: Mapped[CouponSet] = relationship(lazy="joined")
    provider = relationship("Facility", lazy="joined")


class ProviderPoint(db.Model):
    """How families reach a provider to redeem: a QR token (in a URL of this site) and a 6-digit passcode."""
    __tablename__ = "provider_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), unique=True)
    qr_token: Mapped[str] = mapped_column(String(32), unique=True)
    passcode: Mapped[str] = mapped_column(String(6), unique=True)
    rotated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    needs_rotation: Mapped[bool] = mapped_column(Boolean, default=False)
    facility = relationship("Facility", lazy="joined")


class ProviderStaff(db.Model):
    """A provider account's link to the provider (facility) it works for."""
    __tablename__ = "provider_staff"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)


class PasscodeFailure(db.Model):
    """A wrong passcode, counted per account, per provider and per client address (kept in the database so
    every process sees the same counts)."""
    __tablename__ = "passcode_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    near_provider_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class NoticeRead(db.Model):
    """Which notices (お知らせ) a family has read."""
    __tablename__ = "notice_reads"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    notice_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


make_append_only(LedgerEntry.__table__)
