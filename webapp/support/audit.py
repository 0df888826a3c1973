"""The support audit log: every member lookup is written (and committed by the caller) before any member data
is shown, and the row then works as a short-lived grant — only the agent who wrote it, only for that member
(or that search), only for :data:`GRANT_MINUTES` — so reloading a page does not need a new reason while a
stale or borrowed link shows nothing."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..timeutil import utcnow
from .models import ACTION_SEARCH, ACTION_VIEW, ACTIONS, AuditLog

log = logging.getLogger(__name__)

GRANT_MINUTES = 30
PAGE_SIZE = 50


def record(session: Session, *, agent_id: int, action: str, reason: str, client: str,
           target_user_id: int | None = None, query: str | None = None) -> AuditLog:
    """Append one audit row (flushed; the caller commits before showing anything)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = AuditLog(agent_id=agent_id, action=action, reason=reason.strip()[:200], client=(client or "")[:64],
                   target_user_id=target_user_id, query=(query or "").strip()[:200] or None, created_at=utcnow())
    session.add(row)
    session.flush()
    log.info("audit %s agent=%s target=%s row=%s", action, agent_id, target_user_id, row.id)
    return row


def _fresh(row: AuditLog | None, agent_id: int, action: str, now: dt.datetime | None) -> bool:
    now = now or utcnow()
    return (row is not None and row.agent_id == agent_id and row.action == action
            and now - row.created_at <= dt.timedelta(minutes=GRANT_MINUTES))


def search_grant(session: Session, grant_id: int | None, agent_id: int,
                 now: dt.datetime | None = None) -> AuditLog | None:
    """The audited search ``grant_id`` if it is this agent's and recent, else None."""
    row = session.get(AuditLog, grant_id) if grant_id else None
    return row if _fresh(row, agent_id, ACTION_SEARCH, now) else None


def view_grant(session: Session, grant_id: int | None, agent_id: int, member_id: int,
               now: dt.datetime | None = None) -> AuditLog | None:
    """The audited opening ``grant_id`` of ``member_id`` if it is this agent's and recent, else None."""
    row = session.get(AuditLog, grant_id) if grant_id else None
    ok = _fresh(row, agent_id, ACTION_VIEW, now) and row.target_user_id == member_id
    return row if ok else None


@dataclass
class AuditFilter:
    """Filters of the admin's audit list (all optional)."""

    agent_id: int | None = None
    target_user_id: int | None = None
    action: str | None = None
    since: dt.datetime | None = None     # naive UTC, inclusive
    until: dt.datetime | None = None     # naive UTC, exclusive
    page: int = 1


def list_rows(session: Session, f: AuditFilter) -> tuple[list[AuditLog], int]:
    """One page of audit rows, newest first, and the total matching."""
    stmt = select(AuditLog)
    if f.agent_id is not None:
        stmt = stmt.where(AuditLog.agent_id == f.agent_id)
    if f.target_user_id is not None:
        stmt = stmt.where(AuditLog.target_user_id == f.target_user_id)
    if f.action:
        stmt = stmt.where(AuditLog.action == f.action)
    if f.since:
        stmt = stmt.where(AuditLog.created_at >= f.since)
    if f.until:
        stmt = stmt.where(AuditLog.created_at < f.until)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
                           .offset((max(f.page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total
