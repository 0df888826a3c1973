"""Programme administration models: notices (お知らせ). The registration models are imported here too, so
that the one import line in ``webapp.models`` registers every table of programme administration."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

AUDIENCE_PASSPORT, AUDIENCE_COUPON, AUDIENCE_ALL = "passport", "coupon", "all"
AUDIENCES = (AUDIENCE_PASSPORT, AUDIENCE_COUPON, AUDIENCE_ALL)


class Notice(db.Model):
    """A notice to families, in Japanese and (optionally) English, shown between ``publish_from`` and
    ``publish_until`` (naive UTC, like every stored time) to one programme's families or to all."""
    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(16), default=AUDIENCE_ALL, index=True)
    publish_from: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    publish_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def state(self, now: dt.datetime) -> str:
        """"scheduled", "published" or "ended" at ``now`` (naive UTC)."""
        if now < self.publish_from:
            return "scheduled"
        if self.publish_until is not None and now >= self.publish_until:
            return "ended"
        return "published"


from ..registration.models import PartnerApplication, PartnerRegistration, RenewalRun  # noqa: E402,F401
