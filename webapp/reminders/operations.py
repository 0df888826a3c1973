"""Reminder state: the family's choices, followed municipalities, notices, and sending each reminder exactly
once through the sent-log.

Sending protocol (per reminder): insert the sent-log key and commit it in its own transaction (the UNIQUE key
lets one run, or one process, win), then send, then record the outcome. A temporary SMTP failure is retried
with back-off a bounded number of times and then left ``failed``, which a later run claims again (a
conditional update, so again only one run wins) while the reminder is still due. A row left ``sending`` by a
run that died mid-mail is not retried automatically: it might have gone out (at most once beats twice);
``stuck`` reports them.
"""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.models import ROLE_FAMILY, User
from ..coupons import operations as coupon_ops
from ..coupons.domain import SERVICE_CODES
from ..coupons.models import CouponSet
from ..domain.passport import ChildInfo
from ..models import STATUS_ACTIVE, Facility, Municipality
from ..timeutil import jst_start_utc, utcnow
from . import domain as d
from .models import (FAILED, REJECTED, SENDING, SENT, FollowedMunicipality, MailChoice, MailSettings, NoticeSeen,
                     ReminderLog)

log = logging.getLogger(__name__)

LANGS = ("ja", "en")
RETRIES = 3                 # tries per run on a temporary SMTP failure
RETRY_DELAY = 2.0           # seconds before the second try; doubled each time
MAX_ATTEMPTS = 12           # over all runs: after that a failed reminder stays failed


# -- choices and settings ----------------------------------------------------------------------------------------
def choices_of(session: Session, user_id: int) -> dict[str, bool]:
    rows = session.execute(select(MailChoice.kind, MailChoice.enabled).where(MailChoice.user_id == user_id)
                           .order_by(MailChoice.chosen_at, MailChoice.id)).all()
    pairs = [(k, bool(e)) for k, e in rows]
    return {kind: d.current_choice(pairs, kind) for kind in d.KINDS}


def choice_history(session: Session, user_id: int) -> list[MailChoice]:
    return list(session.scalars(select(MailChoice).where(MailChoice.user_id == user_id)
                                .order_by(MailChoice.chosen_at.desc(), MailChoice.id.desc())))


def record_choice(session: Session, user_id: int, kind: str, enabled: bool, via: str) -> bool:
    """Add a choice row when it changes what the family gets; True when one was added."""
    if kind not in d.KINDS:
        raise ValueError(kind)
    if choices_of(session, user_id)[kind] == enabled:
        return False
    session.add(MailChoice(user_id=user_id, kind=kind, enabled=enabled, via=via, chosen_at=utcnow()))
    session.flush()
    log.info("user %s %s %s mails (%s)", user_id, "turned on" if enabled else "stopped", kind, via)
    return True


def mail_lang(session: Session, user_id: int) -> str:
    row = session.get(MailSettings, user_id)
    return row.lang if row is not None and row.lang in LANGS else "ja"


def set_mail_lang(session: Session, user_id: int, lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(lang)
    row = session.get(MailSettings, user_id)
    if row is None:
        session.add(MailSettings(user_id=user_id, lang=lang))
    else:
        row.lang = lang
    session.flush()


def followed(session: Session, user_id: int) -> list[str]:
    return list(session.scalars(select(FollowedMunicipality.municipality_code)
                                .where(FollowedMunicipality.user_id == user_id)
                                .order_by(FollowedMunicipality.created_at, FollowedMunicipality.municipality_code)))


def followable(session: Session) -> list[Municipality]:
    """Municipalities whose partner facilities a family can follow (those where the passport is run)."""
    return list(session.scalars(select(Municipality).where(Municipality.facility_eligible.is_(True))
                                .order_by(Municipality.sort_order, Municipality.code)))


def set_followed(session: Session, user_id: int, codes: list[str]) -> list[tuple[str, str]]:
    """Replace the followed municipalities; returns errors (field, message) and changes nothing on error."""
    codes = [c for c in codes if c]
    errors = d.check_followed(codes, {m.code for m in followable(session)})
    if errors:
        return errors
    current = set(followed(session, user_id))
    for code in current - set(codes):
        session.delete(session.get(FollowedMunicipality, (user_id, code)))
    for code in codes:
        if code not in current:
            session.add(FollowedMunicipality(user_id=user_id, municipality_code=code))
    session.flush()
    return []


# -- what is due --------------------------------------------------------------------------------------------------
def coupon_validities(session: Session, user: User) -> list[d.CouponValidity]:
    """Each of the family's sets, per service: coupons left and the last day (the coupons' own rule)."""
    sets = list(session.scalars(select(CouponSet).where(CouponSet.user_id == user.id).order_by(CouponSet.id)))
    if not sets:
        return []
    ledger = coupon_ops.entries_by_set(session, [s.id for s in sets])
    out = []
    for s in sets:
        entries = ledger[s.id]
        remaining = coupon_ops.balance_from(entries)
        name = s.child.name if s.child is not None else ""
        for code, until in coupon_ops.validities(s, SERVICE_CODES, entries).items():
            out.append(d.CouponValidity(s.id, name, code, remaining, until))
    return out


def due_reminders(session: Session, user: User, today: dt.date) -> list[d.Reminder]:
    """The expiry reminders due for a family on ``today``, whatever it chose for mails."""
    due = d.coupon_reminders(coupon_validities(session, user), today)
    passport = d.passport_reminder([ChildInfo(c.birth_date, c.due_date) for c in user.children], today)
    if passport is not None:
        due.append(passport)
    return due


def notices_of(session: Session, user: User, today: dt.date) -> tuple[list[tuple[d.Reminder, bool]], int]:
    """The reminders due today as in-app notices: (reminder, read) pairs, nearest deadline first, and how
    many are unread."""
    due = sorted(due_reminders(session, user, today), key=lambda r: (r.expires_on, r.kind))
    seen = set(session.scalars(select(NoticeSeen.notice_key).where(NoticeSeen.user_id == user.id)))
    pairs = [(r, r.key in seen) for r in due]
    return pairs, sum(1 for _, read in pairs if not read)


def mark_notice_read(session: Session, user: User, key: str, today: dt.date) -> bool:
    """Mark one of today's reminder notices as read (unknown keys are ignored)."""
    if key not in {r.key for r in due_reminders(session, user, today)}:
        return False
    if session.get(NoticeSeen, (user.id, key)) is None:
        session.add(NoticeSeen(user_id=user.id, notice_key=key))
        session.flush()
    return True


# -- sending -------------------------------------------------------------------------------------------------------
def is_temporary(error: BaseException) -> bool:
    """A 4xx reply, a dropped connection or a timeout: worth trying again. A 5xx reply is final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # SMTPServerDisconnected, refused connections, timeouts


def send_with_retry(send: Callable[[], None], retries: int = RETRIES, delay: float = RETRY_DELAY,
                    sleep: Callable[[float], None] = time.sleep) -> tuple[str, str | None, int]:
    """(status, error, tries): ``sent``; ``failed`` after ``retries`` temporary failures; ``rejected`` at once
    on a permanent one. Waits delay, 2×delay, ... between tries."""
    for attempt in range(1, retries + 1):
        try:
            send()
            return SENT, None, attempt
        except (OSError, smtplib.SMTPException) as e:
            if not is_temporary(e):
                return REJECTED, repr(e)[:500], attempt
            if attempt == retries:
                return FAILED, repr(e)[:500], attempt
            log.warning("temporary mail failure (try %s of %s): %r", attempt, retries, e)
            sleep(delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def claim(session: Session, user_id: int, kind: str, subject: str, threshold: int, today: dt.date,
          expires_on: dt.date | None = None, period_end: dt.datetime | None = None) -> ReminderLog | None:
    """Take the right to send one reminder: insert its key (committed at once), or take back a ``failed``
    one. None when another run has it or it went out already."""
    session.commit()  # nothing of the caller's may ride along in the claim's transaction
    session.add(ReminderLog(user_id=user_id, kind=kind, subject=subject, threshold=threshold, due_on=today,
                            expires_on=expires_on, period_end=period_end, status=SENDING, attempts=0))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
    else:
        return session.scalar(select(ReminderLog).where(*_key(user_id, kind, subject, threshold)))
    result = session.execute(
        update(ReminderLog).where(*_key(user_id, kind, subject, threshold), ReminderLog.status == FAILED,
                                  ReminderLog.attempts < MAX_ATTEMPTS,
                                  or_(ReminderLog.expires_on.is_(None), ReminderLog.expires_on >= today))
        .values(status=SENDING, due_on=today, period_end=period_end)
        .execution_options(synchronize_session=False))
    session.commit()
    if result.rowcount != 1:
        return None
    return session.scalar(select(ReminderLog).where(*_key(user_id, kind, subject, threshold)))


def _key(user_id, kind, subject, threshold):
    return (ReminderLog.user_id == user_id, ReminderLog.kind == kind, ReminderLog.subject == subject,
            ReminderLog.threshold == threshold)


def finish(session: Session, row: ReminderLog, status: str, error: str | None, tries: int) -> None:
    row.status, row.last_error = status, error
    row.attempts = (row.attempts or 0) + tries
    if status == SENT:
        row.sent_at = utcnow()
    session.commit()


@dataclass
class RunResult:
    """What one run did: mails sent, not sent because the family stopped them, already handled (sent or
    being sent by another run), failed (to retry), rejected (not retried)."""
    sent: int = 0
    off: int = 0
    already: int = 0
    failed: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, {SENT: "sent", FAILED: "failed", REJECTED: "rejected"}[status],
                getattr(self, {SENT: "sent", FAILED: "failed", REJECTED: "rejected"}[status]) + 1)


def _deliver(session: Session, result: RunResult, row: ReminderLog | None, send: Callable[[], None],
             retries: int, delay: float, sleep) -> None:
    if row is None:
        result.already += 1
        return
    status, error, tries = send_with_retry(send, retries, delay, sleep)
    finish(session, row, status, error, tries)
    result.count(status)
    if error:
        result.errors.append(f"{row.kind} {row.subject} to user {row.user_id}: {error}")


def families(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role == ROLE_FAMILY, User.deactivated_at.is_(None))
                                .order_by(User.id)))


def send_reminders(session: Session, today: dt.date, deliver: Callable[[User, str, d.Reminder], None], *,
                   retries: int = RETRIES, delay: float = RETRY_DELAY, sleep=time.sleep) -> RunResult:
    """Send every expiry reminder due on ``today`` that the family wants and that has not gone out yet.
    ``deliver(user, lang, reminder)`` writes and sends the mail (raising on SMTP failure)."""
    result = RunResult()
    for user_id in [u.id for u in families(session)]:
        user = session.get(User, user_id)
        wanted = choices_of(session, user.id)
        for reminder in due_reminders(session, user, today):
            if not wanted[reminder.kind]:
                result.off += 1
                continue
            row = claim(session, user.id, reminder.kind, reminder.subject, reminder.threshold, today,
                        expires_on=reminder.expires_on)
            user = session.get(User, user_id)
            lang = mail_lang(session, user_id)
            _deliver(session, result, row, lambda user=user, lang=lang, reminder=reminder: deliver(user, lang, reminder),
                     retries, delay, sleep)
    return result


def new_partners(session: Session, codes: list[str], since: dt.datetime, until: dt.datetime) -> list[Facility]:
    """Listed passport facilities in these municipalities whose registration was approved in [since, until)."""
    from ..registration.models import PartnerRegistration
    if not codes:
        return []
    return list(session.scalars(
        select(Facility).join(PartnerRegistration, PartnerRegistration.facility_id == Facility.id)
        .where(Facility.municipality_code.in_(codes), Facility.status == STATUS_ACTIVE,
               PartnerRegistration.withdrawn_at.is_(None),
               PartnerRegistration.created_at >= since, PartnerRegistration.created_at < until)
        .order_by(Facility.municipality_code, Facility.name_kana, Facility.id)))


def digest_since(session: Session, user_id: int, period_end: dt.datetime) -> dt.datetime:
    """Where a family's next digest starts: the end of its last digest that went out, or a week back."""
    last = session.scalar(select(func.max(ReminderLog.period_end)).where(
        and_(ReminderLog.user_id == user_id, ReminderLog.kind == d.KIND_DIGEST, ReminderLog.status == SENT)))
    return last or period_end - dt.timedelta(days=7)


def send_digests(session: Session, today: dt.date, deliver: Callable[[User, str, list[Facility]], None], *,
                 retries: int = RETRIES, delay: float = RETRY_DELAY, sleep=time.sleep) -> RunResult:
    """The weekly digest of partner facilities newly approved in the municipalities each family follows (up
    to the start of ``today``, Japan time). Nothing new: no mail and no sent-log row."""
    result = RunResult()
    period_end = jst_start_utc(today)
    user_ids = list(session.scalars(select(FollowedMunicipality.user_id).distinct()
                                    .join(User, User.id == FollowedMunicipality.user_id)
                                    .where(User.role == ROLE_FAMILY, User.deactivated_at.is_(None))
                                    .order_by(FollowedMunicipality.user_id)))
    for user_id in user_ids:
        if not choices_of(session, user_id)[d.KIND_DIGEST]:
            result.off += 1
            continue
        facilities = new_partners(session, followed(session, user_id), digest_since(session, user_id, period_end),
                                  period_end)
        if not facilities:
            continue
        row = claim(session, user_id, d.KIND_DIGEST, d.digest_subject(today), 0, today, period_end=period_end)
        user = session.get(User, user_id)
        lang = mail_lang(session, user_id)
        facilities = [session.get(Facility, f.id) for f in facilities]
        _deliver(session, result, row, lambda user=user, lang=lang, facilities=facilities: deliver(user, lang, facilities),
                 retries, delay, sleep)
    return result


def stuck(session: Session, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Reminders claimed over an hour ago and never finished (the run died mid-mail): check by hand."""
    return session.scalar(select(func.count()).select_from(ReminderLog).where(
        ReminderLog.status == SENDING, ReminderLog.created_at < utcnow() - older_than))
