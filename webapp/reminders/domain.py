"""Which reminders are due on a day (plain Python: no Flask, no database).

A reminder is due once its threshold day has come (``expires_on - threshold days``) and until the expiry day
itself (inclusive: a coupon or passport is valid through its last day). So a run after a missed day still
sends it; when a run was missed for so long that a later threshold has come too (30 and 7 days both passed),
only the later one is due: one mail about the nearest deadline rather than two at once.

The expiry dates come from the rules that own them: ``coupons.operations.valid_until`` (which applies
``coupons.domain.expiry``) and ``domain.passport.passport_valid_until``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..domain.passport import ChildInfo, passport_valid_until

KIND_COUPON = "coupon_expiry"
KIND_PASSPORT = "passport_expiry"
KIND_DIGEST = "partner_digest"
KINDS = (KIND_COUPON, KIND_PASSPORT, KIND_DIGEST)
EXPIRY_KINDS = (KIND_COUPON, KIND_PASSPORT)

COUPON_THRESHOLDS = (30, 7)
PASSPORT_THRESHOLDS = (30,)
MAX_FOLLOWED = 3


@dataclass(frozen=True)
class CouponValidity:
    """What a family has left of one set for one service, and the last day it can be used."""
    set_id: int
    child_name: str
    service_code: str
    remaining: int
    valid_until: dt.date | None


@dataclass(frozen=True)
class Reminder:
    """A due reminder. (kind, subject, threshold) is its key in the sent-log."""
    kind: str
    subject: str
    threshold: int
    expires_on: dt.date
    days_left: int
    items: tuple = field(default=())  # coupons: ((child_name, remaining, (service_code, ...)), ...) per set

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.subject}|{self.threshold}"


def due_threshold(expires_on: dt.date | None, today: dt.date, thresholds: tuple[int, ...]) -> int | None:
    """The threshold due on ``today``: the smallest one whose day has come, while ``expires_on`` is not past.

    30 days before → 30; 29..8 days before → 30 (catching up); 7..0 days before → 7; the day after → None."""
    if expires_on is None:
        return None
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def coupon_reminders(validities: list[CouponValidity], today: dt.date) -> list[Reminder]:
    """One reminder per expiry date of unused coupons: every (set, service) with coupons left whose last day
    is that date, grouped, so the services sharing the programme end make one mail, not six."""
    by_day: dict[dt.date, list[CouponValidity]] = defaultdict(list)
    for v in validities:
        if v.remaining > 0 and v.valid_until is not None:
            by_day[v.valid_until].append(v)
    out = []
    for day in sorted(by_day):
        threshold = due_threshold(day, today, COUPON_THRESHOLDS)
        if threshold is None:
            continue
        per_set: dict[int, list[CouponValidity]] = defaultdict(list)
        for v in by_day[day]:
            per_set[v.set_id].append(v)
        items = tuple((vs[0].child_name, vs[0].remaining, tuple(sorted(v.service_code for v in vs)))
                      for _, vs in sorted(per_set.items()))
        out.append(Reminder(KIND_COUPON, f"coupons:{day.isoformat()}", threshold, day, (day - today).days, items))
    return out


def passport_reminder(children: list[ChildInfo], today: dt.date) -> Reminder | None:
    """30 days before the passport ends (the youngest child leaving elementary school). The subject carries
    the date, so a new baby that extends the passport gets its own reminder years later."""
    until = passport_valid_until(children, today)
    threshold = due_threshold(until, today, PASSPORT_THRESHOLDS)
    if threshold is None:
        return None
    return Reminder(KIND_PASSPORT, f"passport:{until.isoformat()}", threshold, until, (until - today).days)


def digest_subject(today: dt.date) -> str:
    """One digest per ISO week: running the weekly command twice in a week sends nothing more."""
    year, week, _ = today.isocalendar()
    return f"week:{year}-W{week:02d}"


def current_choice(choices: list[tuple[str, bool]], kind: str) -> bool:
    """Whether a family wants ``kind`` mails: the last choice recorded for it (oldest first); on by default."""
    wanted = True
    for k, enabled in choices:
        if k == kind:
            wanted = enabled
    return wanted


def check_followed(codes: list[str], known: set[str]) -> list[tuple[str, str]]:
    """Errors as (field, message) for the municipalities a family follows: known ones, no repeats, at most
    three."""
    from ..domain.facility_record import N_
    picked = [c for c in codes if c]
    if len(picked) > MAX_FOLLOWED:
        return [("municipalities", N_("Choose at most three municipalities."))]
    if any(c not in known for c in picked):
        return [("municipalities", N_("Choose a municipality from the list."))]
    if len(set(picked)) != len(picked):
        return [("municipalities", N_("Choose each municipality only once."))]
    return []
