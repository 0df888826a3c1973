"""64 simultaneous redemptions against one coupon set from 8 processes of 8 threads (each process with its own
connection pool), on SQLite and, with TEST_DATABASE_URL, on PostgreSQL: the set never goes below zero, every
success has exactly one ledger entry, a key sent twice redeems once, and nobody is refused while coupons
enough for them were left."""
import random
import uuid

from sqlalchemy import select

from bench.redeem import child_config, race
from webapp.coupons import operations as ops
from webapp.coupons.models import LedgerEntry
from webapp.extensions import db

from . import coupon_factory as cf

COUPONS = 40


def test_64_simultaneous_redemptions_from_8_processes(ref_app):
    with ref_app.app_context():
        s = cf.claimed_set(coupons=COUPONS)
        facility = cf.provider("temporary_care")
        db.session.commit()
        set_id, user_id, facility_id = s.id, s.user_id, facility.id

    rng = random.Random(64)
    jobs = [{"set_id": set_id, "user_id": user_id, "facility_id": facility_id, "count": rng.randint(1, 3),
             "key": uuid.uuid4().hex} for _ in range(56)]
    jobs += [dict(rng.choice(jobs)) for _ in range(8)]  # the same confirm sent again, from another process
    rng.shuffle(jobs)

    results = race(child_config(ref_app), jobs, processes=8, threads=8)

    assert len(results) == 64
    assert not [r for r in results if r[1] == "error"], [r for r in results if r[1] == "error"][:3]
    ok = [r for r in results if r[1] == "ok"]
    refused = [r for r in results if r[1] == "refused"]
    assert {r[2] for r in refused} <= {"insufficient_balance", "no_coupons_left"}
    by_key = {}
    for r in ok:
        by_key.setdefault(jobs[r[0]]["key"], set()).add(r[2])
    assert all(len(ids) == 1 for ids in by_key.values()), "a key sent twice must redeem once"

    with ref_app.app_context():
        entries = db.session.scalars(select(LedgerEntry).where(LedgerEntry.set_id == set_id,
                                                               LedgerEntry.kind == "redeem")).all()
        assert sorted(e.id for e in entries) == sorted({r[2] for r in ok})  # one entry per success, no more
        assert {e.idempotency_key for e in entries} == set(by_key)
        used = sum(e.count for e in entries)
        remaining = ops.balance_of(db.session, set_id)
        assert remaining == COUPONS - used >= 0
        assert used > COUPONS - 3  # the race used the set up: at most a couple of coupons left
        # nobody was turned away while enough coupons were left for them
        assert all(jobs[r[0]]["count"] > remaining for r in refused)
        audit = ops.audit_ledger(db.session, [set_id])
        assert audit.balances and audit.balance == remaining
