"""Notices (お知らせ): the query families' pages use, and the admin changes (session in, flush, caller commits)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.facility_record import N_
from .models import AUDIENCE_ALL, AUDIENCES, Notice


def _naive_utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when


def published_notices(session: Session, audience: str, now: dt.datetime) -> list[Notice]:
    """Notices shown to ``audience`` ("passport", "coupon"; "all" means every notice) at ``now`` (UTC; naive
    or aware), newest first."""
    now = _naive_utc(now)
    stmt = select(Notice).where(Notice.publish_from <= now,
                                or_(Notice.publish_until.is_(None), Notice.publish_until > now))
    if audience != AUDIENCE_ALL:
        stmt = stmt.where(Notice.audience.in_((audience, AUDIENCE_ALL)))
    return list(session.scalars(stmt.order_by(Notice.publish_from.desc(), Notice.id.desc())))


def check_notice(values: dict) -> list[tuple[str, str]]:
    """Domain rules for a notice: errors as (field, message)."""
    errors = []
    if values.get("audience") not in AUDIENCES:
        errors.append(("audience", N_("Choose who sees the notice.")))
    if values.get("title_en") and not values.get("body_en") or values.get("body_en") and not values.get("title_en"):
        errors.append(("title_en", N_("Give the English title and text together, or neither.")))
    start, end = values.get("publish_from"), values.get("publish_until")
    if start and end and end <= start:
        errors.append(("publish_until", N_("The end must be after the start.")))
    return errors


def save_notice(session: Session, notice: Notice | None, values: dict, user_id: int | None) -> Notice:
    """Create (notice=None) or update a notice from checked values (times naive UTC)."""
    if notice is None:
        notice = Notice()
        session.add(notice)
    for key in ("title", "body", "audience", "publish_from"):
        setattr(notice, key, values[key])
    for key in ("title_en", "body_en", "publish_until"):  # optional: empty means none
        setattr(notice, key, values.get(key) or None)
    notice.updated_by = user_id
    session.flush()
    return notice


def delete_notice(session: Session, notice: Notice) -> None:
    session.delete(notice)
    session.flush()
