"""Reminder tables: the sent-log (one row per reminder, unique key), the family's mail choices (append-only),
the mail language, followed municipalities and which reminder notices were read."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

SENDING, SENT, FAILED, REJECTED = "sending", "sent", "failed", "rejected"


class ReminderLog(db.Model):
    """One reminder to one family. The row is inserted (and committed) before the mail goes out; the unique key
    means two runs, or two processes at once, cannot both send it. ``failed``: a temporary SMTP failure after
    the retries (a later run tries again); ``rejected``: the server refused the address (not retried)."""
    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("user_id", "kind", "subject", "threshold", name="uq_reminder_log_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))          # coupon_expiry | passport_expiry | partner_digest
    subject: Mapped[str] = mapped_column(String(80))       # what it is about, e.g. "coupons:2027-03-31"
    threshold: Mapped[int] = mapped_column(Integer)        # days before expiry (0 for the digest)
    due_on: Mapped[dt.date] = mapped_column(Date)          # the day the command ran for
    expires_on: Mapped[dt.date | None] = mapped_column(Date)  # after it, a failed reminder is not retried
    period_end: Mapped[dt.datetime | None] = mapped_column(DateTime)  # digest: approvals up to this time
    status: Mapped[str] = mapped_column(String(10), default=SENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MailChoice(db.Model):
    """A family's choice for one kind of mail, and when it was made (rows are only added: the latest counts;
    no row means on). ``via``: "account" (the form), "stop_link" (the link in a mail) or "one_click" (RFC 8058)."""
    __tablename__ = "reminder_choices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    enabled: Mapped[bool] = mapped_column(Boolean)
    via: Mapped[str] = mapped_column(String(12))
    chosen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MailSettings(db.Model):
    """The language a family's mails are written in (ja unless chosen otherwise)."""
    __tablename__ = "reminder_settings"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(5), default="ja")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class FollowedMunicipality(db.Model):
    """A municipality whose new partner facilities a family hears about (at most three per family)."""
    __tablename__ = "followed_municipalities"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class NoticeSeen(db.Model):
    """A reminder notice the family has marked as read (key: kind, subject, threshold, as in the sent-log)."""
    __tablename__ = "reminder_notice_reads"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    notice_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
