"""Single-use, expiring e-mail tokens (sign-up, password reset, e-mail change)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..timeutil import utcnow
from .models import EmailToken

LIFETIMES = {"signup": dt.timedelta(hours=24), "reset": dt.timedelta(minutes=30),
             "email_change": dt.timedelta(hours=24)}


class TokenError(Exception):
    """``kind`` is "invalid", "expired" or "used"."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(session: Session, purpose: str, email: str, user_id: int | None = None) -> str:
    """Create a token and return the raw value to put in the link (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    session.add(EmailToken(purpose=purpose, token_hash=_digest(raw), email=email, user_id=user_id,
                           expires_at=utcnow() + LIFETIMES[purpose]))
    session.flush()
    return raw


def peek_token(session: Session, purpose: str, raw: str) -> EmailToken:
    """The token if it is usable now; raises TokenError otherwise (does not use it)."""
    if not raw or len(raw) > 100:
        raise TokenError("invalid")
    token = session.scalar(select(EmailToken).where(EmailToken.token_hash == _digest(raw),
                                                    EmailToken.purpose == purpose))
    if token is None:
        raise TokenError("invalid")
    if token.used_at is not None:
        raise TokenError("used")
    if token.expires_at <= utcnow():
        raise TokenError("expired")
    return token


def use_token(session: Session, purpose: str, raw: str) -> EmailToken:
    """Mark the token used, exactly once even under concurrent requests (a conditional update)."""
    token = peek_token(session, purpose, raw)
    result = session.execute(update(EmailToken).where(EmailToken.id == token.id, EmailToken.used_at.is_(None))
                             .values(used_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise TokenError("used")
    session.refresh(token)
    return token


def revoke_tokens(session: Session, purpose: str, email: str) -> None:
    """Use up every open token of this purpose for an address (a newer mail replaces older links)."""
    session.execute(update(EmailToken).where(EmailToken.purpose == purpose, EmailToken.email == email,
                                             EmailToken.used_at.is_(None)).values(used_at=utcnow())
                    .execution_options(synchronize_session=False))
