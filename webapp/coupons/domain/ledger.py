"""The coupon ledger's rules, pure and in memory: entries, the derived balance, and the checks before a write.

One coupon set has an append-only list of entries:

- :class:`Issue` — the set was claimed with ``count`` coupons;
- :class:`Redeem` — ``count`` coupons were used at a provider for a service, carrying the idempotency key of
  the confirm form (a double tap or a resubmitted form finds the earlier entry and shows the same receipt);
- :class:`Reversal` — a correction of one redemption (full or partial), pointing at it; at most one per
  redemption, within 24 hours, with a reason. A correction is never an edit.

The balance is never stored as the truth: it is derived, ``issued - redeemed + reversed``, and can never be
negative. Coupons cannot be cashed, refunded or transferred to anyone (換金・払い戻し・譲渡はできません):
there is deliberately no entry kind and no function for it, and a set never changes its child.

The database layer holds these entries in an append-only table (no UPDATE, no DELETE) and, inside one write
transaction that takes the lock first (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a row lock on the set, ``SELECT
... FOR UPDATE``), reads the set's entries, looks for a replay (:func:`find_replay`), derives the balance
(:func:`balance`), applies :func:`check_redeem` / :func:`check_reversal` and the other rules, and appends the
entry before committing; the idempotency key carries a unique index, as does (original) on reversals. These
functions decide; they never write.

Times: ``at`` and ``now`` may be timezone-aware, or naive in UTC (the convention of the app's database
columns); calendar days are those of Japan (UTC+9, no daylight saving time).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import KW_ONLY, dataclass
from typing import Hashable, Iterable, Optional, Union

from ...timeutil import as_utc as _as_utc
from ...timeutil import to_jst
from .errors import N_, CouponError
from .services import require_service_code

REVERSAL_WINDOW = dt.timedelta(hours=24)
MAX_REASON_LENGTH = 500


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _require_count(count: object) -> None:
    if not _positive_int(count):
        raise ValueError("count must be a whole number of at least 1")


@dataclass(frozen=True)
class Issue:
    """A set was claimed with ``count`` coupons (the only way coupons enter a set)."""
    set_id: Hashable
    count: int
    _: KW_ONLY
    entry_id: Hashable | None = None
    at: dt.datetime | None = None

    def __post_init__(self) -> None:
        _require_count(self.count)


@dataclass(frozen=True)
class Redeem:
    """``count`` coupons of set ``set_id`` used at ``provider_id`` for ``service_code`` at time ``at``."""
    set_id: Hashable
    count: int
    provider_id: Hashable
    service_code: str
    at: dt.datetime
    idempotency_key: str
    _: KW_ONLY
    entry_id: Hashable | None = None

    def __post_init__(self) -> None:
        _require_count(self.count)
        require_service_code(self.service_code)
        if not self.idempotency_key:
            raise ValueError("a redemption needs an idempotency key")


@dataclass(frozen=True)
class Reversal:
    """A correction giving back ``count`` coupons of the redemption ``original_entry_id``, with a reason."""
    original_entry_id: Hashable
    count: int
    reason: str
    at: dt.datetime
    _: KW_ONLY
    entry_id: Hashable | None = None

    def __post_init__(self) -> None:
        _require_count(self.count)


Entry = Union[Issue, Redeem, Reversal]


class LedgerInvariantError(ValueError):
    """The entries break an invariant that the checks guarantee: the stored ledger is corrupt.

    Never a user error: the checks run before every write, so this means a bug or a hand-edited table."""


def japan_date(moment: dt.datetime) -> dt.date:
    """The calendar day in Japan of ``moment`` (aware, or naive UTC): 2025-06-30 15:00 UTC is 2025-07-01."""
    local = to_jst(moment)
    assert local is not None  # to_jst gives None only for None
    return local.date()


def balance(entries: Iterable[Entry]) -> int:
    """The coupons left in one set: issued − redeemed + reversed, over its entries in the order written.

    Also audits the entries and raises LedgerInvariantError if the balance ever went below zero, if the
    entries mix sets, or if a reversal does not point at an earlier redemption, is the second one for it, or
    gives back more than was redeemed."""
    running = 0
    set_ids: set = set()
    redemptions: dict = {}
    reversed_ids: set = set()
    for entry in entries:
        if isinstance(entry, Issue):
            set_ids.add(entry.set_id)
            running += entry.count
        elif isinstance(entry, Redeem):
            set_ids.add(entry.set_id)
            running -= entry.count
            if entry.entry_id is not None:
                redemptions[entry.entry_id] = entry
        elif isinstance(entry, Reversal):
            original = redemptions.get(entry.original_entry_id)
            if original is None:
                raise LedgerInvariantError("reversal %r points at no earlier redemption" % (entry.entry_id,))
            if entry.original_entry_id in reversed_ids:
                raise LedgerInvariantError("second reversal of %r" % (entry.original_entry_id,))
            if entry.count > original.count:
                raise LedgerInvariantError("reversal %r gives back more than was redeemed"
                                           % (entry.entry_id,))
            reversed_ids.add(entry.original_entry_id)
            running += entry.count
        else:
            raise TypeError("not a ledger entry: %r" % (entry,))
        if len(set_ids) > 1:
            raise LedgerInvariantError("entries of several sets: %r" % (sorted(map(repr, set_ids)),))
        if running < 0:
            raise LedgerInvariantError("balance below zero (%d)" % running)
    return running


def check_redeem(balance: int, count: object) -> CouponError | None:
    """None when ``count`` coupons can be redeemed from a set with ``balance`` left; else the error.

    ``count_invalid`` unless a whole number ≥ 1; ``no_coupons_left`` when the balance is 0;
    ``insufficient_balance`` (params: ``remaining``) when ``count`` > ``balance`` — the family uses what is
    left and pays the rest another way. ``count == balance`` is allowed."""
    if not _positive_int(count):
        return CouponError("count", N_("Enter the number of coupons to use: 1 or more."), "count_invalid")
    if balance <= 0:
        return CouponError("count", N_("No coupons are left in this set."), "no_coupons_left")
    if count > balance:  # type: ignore[operator]
        return CouponError("count",
                           N_("Only %(remaining)d coupons are left. Pay the rest of the bill another way."),
                           "insufficient_balance", {"remaining": balance})
    return None


def check_reversal(original: Entry, existing_reversals: Iterable[Reversal], now: dt.datetime,
                   window: dt.timedelta = REVERSAL_WINDOW, *, count: object, reason: str | None
                   ) -> CouponError | None:
    """None when the redemption ``original`` may be corrected at ``now`` by giving back ``count`` coupons.

    Checked in this order (the first that fails is returned):

    - ``not_a_redemption``: only a Redeem entry can be reversed (never an issue or a reversal);
    - ``already_reversed``: ``existing_reversals`` (any of the set's reversals) already holds one for it;
    - ``reversal_window_closed``: more than ``window`` (24 hours) has passed since ``original.at``. The
      manual says 「24時間以内」, and 以内 includes the limit: exactly 24:00:00 later is still allowed,
      24:00:00.000001 is not. The caller shows the phone number of the department in charge;
    - ``reversal_count_invalid`` (params: ``max``): ``count`` is a whole number from 1 to ``original.count``
      (full or partial);
    - ``reason_required`` / ``reason_too_long``: a reason of 1 to 500 characters (spaces trimmed).
    """
    if not isinstance(original, Redeem):
        return CouponError("original", N_("Only a use of coupons can be corrected."), "not_a_redemption")
    if original.entry_id is None:
        raise ValueError("the original redemption has no entry_id")
    if any(r.original_entry_id == original.entry_id for r in existing_reversals):
        return CouponError("original",
                           N_("This use has already been corrected once and cannot be corrected again."),
                           "already_reversed")
    if _as_utc(now) - _as_utc(original.at) > window:
        return CouponError("original",
                           N_("Corrections are possible only within %(hours)d hours of the use. "
                              "Please call the department in charge."),
                           "reversal_window_closed", {"hours": int(window.total_seconds() // 3600)})
    if not _positive_int(count) or count > original.count:  # type: ignore[operator]
        return CouponError("count", N_("Give back between 1 and %(max)d coupons."), "reversal_count_invalid",
                           {"max": original.count})
    text = (reason or "").strip()
    if not text:
        return CouponError("reason", N_("Enter the reason for the correction."), "reason_required")
    if len(text) > MAX_REASON_LENGTH:
        return CouponError("reason", N_("Please enter at most %(max)d characters."), "reason_too_long",
                           {"max": MAX_REASON_LENGTH})
    return None


def find_replay(entries: Iterable[Entry], idempotency_key: str) -> Optional[Redeem]:
    """The redemption already written with ``idempotency_key``, if any: a double tap or resubmitted form
    gets its receipt instead of redeeming again."""
    for entry in entries:
        if isinstance(entry, Redeem) and entry.idempotency_key == idempotency_key:
            return entry
    return None


def check_replay(previous: Redeem, *, set_id: Hashable, count: int, provider_id: Hashable,
                 service_code: str) -> CouponError | None:
    """None when a resubmission matches the redemption ``previous`` written under the same idempotency key;
    ``idempotency_conflict`` when the key comes back with a different set, count, provider or service."""
    if (previous.set_id, previous.count, previous.provider_id, previous.service_code) == (
            set_id, count, provider_id, service_code):
        return None
    return CouponError("idempotency_key", N_("This form was already sent with other values. Start again."),
                       "idempotency_conflict")


def first_use_at(entries: Iterable[Entry], service_code: str) -> dt.datetime | None:
    """When the set was first used for ``service_code`` (the 利用開始日 of 育児ママヘルプサービス), or None.

    A redemption fully reversed (a mistaken entry) does not count; a partially reversed one does. Combine
    with :func:`japan_date` to get the ``first_use`` day for ``expiry.coupon_valid_until``."""
    entries = list(entries)
    given_back: dict = {}
    for entry in entries:
        if isinstance(entry, Reversal):
            given_back[entry.original_entry_id] = given_back.get(entry.original_entry_id, 0) + entry.count
    uses = [e.at for e in entries if isinstance(e, Redeem) and e.service_code == service_code
            and (e.entry_id is None or given_back.get(e.entry_id, 0) < e.count)]
    return min(uses, key=_as_utc) if uses else None
