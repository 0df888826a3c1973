"""A Hypothesis state machine drives the real coupon operations on the real database (SQLite, or PostgreSQL
with TEST_DATABASE_URL) through claims, redemptions, double submits, corrections, wrong services, the clock
moving on and coupons expiring, and checks after every step, against a model kept here:

- balance = issued − redeemed + reversed ≥ 0, read back from the ledger;
- at most one reversal per redemption, never more than was redeemed;
- a refused step writes nothing (the number of ledger rows moves only on success);
- a double submit returns the first receipt and changes nothing.
"""
import collections
import datetime as dt
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (Bundle, RuleBasedStateMachine, consumes, initialize, invariant, multiple,
                                 precondition, rule, run_state_machine_as_test)
from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.coupons import domain as d
from webapp.coupons import operations as ops
from webapp.coupons.models import LedgerEntry
from webapp.extensions import db

from . import coupon_factory as cf

START = dt.datetime(2026, 11, 20, 3, 0)      # naive UTC, 12:00 in Japan
PROGRAMME_END = dt.date(2027, 3, 31)         # the test programme's last valid day (coupon_factory)
JST = dt.timedelta(hours=9)
SERVICE = "temporary_care"
OTHER_SERVICE = "mama_help"                  # not offered by the temporary-care provider
OUTCOMES = collections.Counter()


class LedgerMachine(RuleBasedStateMachine):
    """Model: per set, the issued count and its redemptions (count, time, given back)."""

    redemptions = Bundle("redemptions")

    def __init__(self, app):
        super().__init__()
        self.app = app
        self.ctx = app.app_context()
        self.ctx.push()
        self.now = START
        self.sets = {}             # set id -> {"user": id, "issued": n, "redeemed": {entry id: [count, at, back]}}
        self.last_key = None       # (key, set id, count, entry id) of the last successful redemption
        self.provider = cf.provider(SERVICE)
        db.session.commit()

    def teardown(self):
        db.session.rollback()
        db.session.remove()
        self.ctx.pop()

    # -- helpers ---------------------------------------------------------------------------------------------
    def rows(self):
        return db.session.scalar(select(func.count()).select_from(LedgerEntry)
                                 .where(LedgerEntry.set_id.in_(list(self.sets) or [0])))

    def model_balance(self, set_id):
        s = self.sets[set_id]
        return s["issued"] - sum(c for c, _, _ in s["redeemed"].values()) + \
            sum(b for _, _, b in s["redeemed"].values())

    def expired(self):
        return (self.now + JST).date() > PROGRAMME_END

    def attempt(self, call):
        """Run one operation; commit on success, roll back (and report the code) when refused."""
        before = self.rows()
        try:
            result = call()
        except d.CouponError as e:
            db.session.rollback()
            assert self.rows() == before, "a refused step wrote to the ledger"
            OUTCOMES[e.code] += 1
            return None, e.code
        db.session.commit()
        OUTCOMES["done"] += 1
        return result, None

    # -- rules -------------------------------------------------------------------------------------------------
    @initialize()
    def first_set(self):
        self.claim()

    @precondition(lambda self: len(self.sets) < 3)
    @rule()
    def claim(self):
        s = cf.claimed_set()
        db.session.commit()
        self.sets[s.id] = {"user": s.user_id, "issued": ops.balance_of(db.session, s.id), "redeemed": {}}
        assert self.sets[s.id]["issued"] == 10

    @rule(target=redemptions, data=st.data(),
          amount=st.sampled_from(["one", "some", "all", "one_too_many", "zero", "negative"]))
    def redeem(self, data, amount):
        """Use coupons; the count is drawn around the boundaries of the model's balance."""
        set_id = data.draw(st.sampled_from(sorted(self.sets)))
        user = db.session.get(User, self.sets[set_id]["user"])
        key = uuid.uuid4().hex
        expected_balance = self.model_balance(set_id)
        count = {"one": 1, "some": data.draw(st.integers(min_value=1, max_value=4)), "all": expected_balance,
                 "one_too_many": expected_balance + 1, "zero": 0, "negative": -1}[amount]
        entry, code = self.attempt(lambda: ops.redeem(
            db.session, user=user, set_id=set_id, provider=ops.provider_of(self.provider), service_code=SERVICE, count=count,
            idempotency_key=key, now=self.now))
        if self.expired():
            assert code == "coupon_expired"
        elif count < 1:
            assert code == "count_invalid"
        elif expected_balance == 0:
            assert code == "no_coupons_left"
        elif count > expected_balance:
            assert code == "insufficient_balance"
        else:
            assert code is None, code
            self.sets[set_id]["redeemed"][entry] = [count, self.now, 0]
            self.last_key = (key, set_id, count, entry)
            return (set_id, entry)
        return multiple()

    @precondition(lambda self: self.last_key is not None)
    @rule()
    def double_submit(self):
        key, set_id, count, entry_id = self.last_key
        user = db.session.get(User, self.sets[set_id]["user"])
        before = self.rows()
        entry, code = self.attempt(lambda: ops.redeem(
            db.session, user=user, set_id=set_id, provider=ops.provider_of(self.provider), service_code=SERVICE, count=count,
            idempotency_key=key, now=self.now))
        assert code is None and entry == entry_id, "a resubmitted form must show the first receipt"
        assert self.rows() == before

    @rule(data=st.data(), misuse=st.sampled_from(["stranger", "wrong_service"]))
    def misuse(self, data, misuse):
        """Another family's account uses the set, or the provider does not offer the coupon's service."""
        set_id = data.draw(st.sampled_from(sorted(self.sets)))
        if misuse == "stranger":
            user, service = cf.family(), SERVICE
            db.session.commit()
        else:
            user, service = db.session.get(User, self.sets[set_id]["user"]), OTHER_SERVICE
        _, code = self.attempt(lambda: ops.redeem(
            db.session, user=user, set_id=set_id, provider=ops.provider_of(self.provider), service_code=service, count=1,
            idempotency_key=uuid.uuid4().hex, now=self.now))
        assert code == ("not_owner" if misuse == "stranger" else "wrong_service")

    @rule(target=redemptions, which=consumes(redemptions), data=st.data(),
          amount=st.sampled_from(["all", "part", "too_many", "zero", "no_reason"]))
    def reverse(self, which, data, amount):
        """Correct a redemption: in full, in part, or wrongly (a count out of range, no reason)."""
        set_id, entry_id = which
        redeemed, at, back = self.sets[set_id]["redeemed"][entry_id]
        count = {"all": redeemed, "part": data.draw(st.integers(min_value=1, max_value=redeemed)),
                 "too_many": redeemed + 1, "zero": 0, "no_reason": 1}[amount]
        reason = data.draw(st.sampled_from(["", "   "])) if amount == "no_reason" else "枚数の入力まちがい"
        staff = db.session.get(User, self.sets[set_id]["user"])
        _, code = self.attempt(lambda: ops.reverse(db.session, original_id=entry_id, facility=self.provider,
                                                   count=count, reason=reason, actor=staff, now=self.now))
        if back:
            assert code == "already_reversed"
        elif self.now - at > dt.timedelta(hours=24):
            assert code == "reversal_window_closed"
        elif not 1 <= count <= redeemed:
            assert code == "reversal_count_invalid"
        elif not reason.strip():
            assert code == "reason_required"
        else:
            assert code is None, code
            self.sets[set_id]["redeemed"][entry_id][2] = count
        return which  # still a redemption: a second correction must be refused

    @rule(hours=st.integers(min_value=1, max_value=30))
    def clock_moves_on(self, hours):
        self.now += dt.timedelta(hours=hours)

    @precondition(lambda self: self.last_key is not None)
    @rule(days=st.integers(min_value=10, max_value=80))
    def weeks_pass(self, days):
        self.now += dt.timedelta(days=days)

    # -- invariants ---------------------------------------------------------------------------------------------
    @invariant()
    def balances_agree_and_never_go_negative(self):
        for set_id in self.sets:
            entries = ops.entries_of(db.session, set_id)
            issued = sum(e.count for e in entries if e.kind == "issue")
            redeemed = sum(e.count for e in entries if e.kind == "redeem")
            reversed_ = sum(e.count for e in entries if e.kind == "reversal")
            derived = ops.balance_of(db.session, set_id)
            assert derived == issued - redeemed + reversed_ >= 0
            assert derived == self.model_balance(set_id)
            assert ops.balances(db.session, [set_id])[set_id] == derived

    @invariant()
    def at_most_one_reversal_per_redemption(self):
        for set_id in self.sets:
            entries = ops.entries_of(db.session, set_id)
            by_id = {e.id: e for e in entries}
            originals = [e.reverses_id for e in entries if e.kind == "reversal"]
            assert len(originals) == len(set(originals))
            for e in entries:
                if e.kind == "reversal":
                    assert by_id[e.reverses_id].kind == "redeem" and e.count <= by_id[e.reverses_id].count


def test_ledger_state_machine(ref_app):
    OUTCOMES.clear()
    run_state_machine_as_test(
        lambda: LedgerMachine(ref_app),
        settings=settings(max_examples=40, stateful_step_count=40, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck)))
    # the run reached every outcome, so each invariant was checked after each kind of step
    assert set(OUTCOMES) >= {"done", "not_owner", "wrong_service", "coupon_expired", "reversal_window_closed",
                             "no_coupons_left", "count_invalid", "insufficient_balance", "reversal_count_invalid",
                             "reason_required", "already_reversed"}, OUTCOMES
