"""Accounts: users with roles, their children, single-use e-mail tokens, consent records."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

ROLE_FAMILY, ROLE_PROVIDER, ROLE_AGENT, ROLE_ADMIN = "family", "provider", "agent", "admin"
ROLES = (ROLE_FAMILY, ROLE_PROVIDER, ROLE_AGENT, ROLE_ADMIN)
TERMS_VERSION = "2026-11"


class User(UserMixin, db.Model):
    """A person who logs in: a family member, a provider's staff, a support agent or an administrator."""
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=ROLE_FAMILY, index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    name_kana: Mapped[str] = mapped_column(String(100), default="")
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipalities.code"))
    passport_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    # Optional, normalised (045-123-4567): lets the support center find the account when the family calls.
    phone: Mapped[str | None] = mapped_column(String(20))
    # Bumped on logout and password change: every session and remember-me cookie carrying the old value ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Set by the programme office to suspend an account (a staff member who left, misuse): no login, no session.
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    children: Mapped[list["Child"]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                   order_by="Child.id", lazy="selectin")
    municipality = relationship("Municipality", lazy="joined")

    def get_id(self) -> str:
        """Flask-Login's session key: the id and the session version, so bumping the version logs out."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Flask-Login: a deactivated account cannot log in."""
        return self.deactivated_at is None

    @property
    def is_family(self) -> bool:
        return self.role == ROLE_FAMILY


class Child(db.Model):
    """A child of the family (birth date) or a pregnancy (due date)."""
    __tablename__ = "children"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[User] = relationship(back_populates="children")


class EmailToken(db.Model):
    """A single-use, expiring link sent by e-mail. Only the SHA-256 of the token is stored."""
    __tablename__ = "email_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), index=True)   # signup | reset | email_change
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Consent(db.Model):
    """A record of consent to the terms and the stated purposes of use (kept as evidence)."""
    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    terms_version: Mapped[str] = mapped_column(String(20))
    purposes: Mapped[str] = mapped_column(Text)
    agreed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
