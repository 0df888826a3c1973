"""Support-desk tables: the audit log of member lookups and the call notes agents attach to a member.

The audit log is append-only, enforced by the database (triggers refuse UPDATE and DELETE, as for the coupon
ledger), and keeps plain user ids rather than foreign keys so that deleting an account never touches it. Call
notes belong to the member: they go when the member's account is deleted."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbutil import make_append_only
from ..extensions import db
from ..timeutil import utcnow

ACTION_SEARCH = "member_search"   # a search for members (query kept), before the list is shown
ACTION_VIEW = "member_view"       # one member's record opened, before it is shown
ACTION_NOTE = "call_note"         # a call note added to a member
ACTIONS = (ACTION_SEARCH, ACTION_VIEW, ACTION_NOTE)


class AuditLog(db.Model):
    """Who looked at whose data, why, when and from where. Written and committed before the data is shown."""
    __tablename__ = "support_audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(Integer, index=True)          # plain id: survives account deletion
    action: Mapped[str] = mapped_column(String(20), index=True)
    target_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    query: Mapped[str | None] = mapped_column(String(200))               # what was searched for
    reason: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(64), default="")          # the agent's client address
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class CallNote(db.Model):
    """A note about a call, attached to the member. Append-only from the UI (there is no edit or delete)."""
    __tablename__ = "support_call_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    author = relationship("User", foreign_keys=[author_id], lazy="joined")


make_append_only(AuditLog.__table__)
