"""Notices (お知らせ) on the coupon wallet, with what the family has read."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from .models import NoticeRead


def _published(audience: str) -> list:
    """Published notices for an audience; the Notice model and query live with programme administration."""
    try:
        from ..admin.notices import published_notices  # type: ignore[import-not-found]
    except ImportError:  # administration not installed: no notices
        return []
    return list(published_notices(db.session, audience, utcnow()))


def notices_for(user_id: int) -> tuple[list[tuple[object, bool]], int]:
    """(notice, read) pairs for the coupon wallet, newest first, and the number unread."""
    notices = _published("coupon")
    read = set(db.session.scalars(select(NoticeRead.notice_id).where(NoticeRead.user_id == user_id)))
    pairs = [(n, n.id in read) for n in notices]
    return pairs, sum(1 for _, r in pairs if not r)


def mark_read(user_id: int, notice_id: int) -> None:
    if db.session.get(NoticeRead, (user_id, notice_id)) is None:
        db.session.add(NoticeRead(user_id=user_id, notice_id=notice_id))
