"""Redemption benchmark: coupons redeemed per second by N concurrent clients (separate processes, each with its
own database connections), on SQLite and on PostgreSQL, with an audit at the end that the ledger balances.

    .venv/bin/python bench/redeem.py                       # SQLite, and PostgreSQL when it is reachable
    .venv/bin/python bench/redeem.py --clients 1 4 16 --per-client 100 --database sqlite

Every client redeems one coupon at a time from sets picked at random among a small pool, so clients collide
on the same sets and sets run dry (those refusals are expected and counted). After each run the ledger is
audited: each success has exactly one ledger entry, no balance is negative, issued − redeemed + reversed
equals what is left.

The same driver (:func:`race`) is used by tests/test_redeem_concurrency.py for 64 simultaneous redemptions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SERVICE = "temporary_care"
CONFIG_KEYS = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY", "SEARCH_INDEX_DIR",
               "SEARCH_INDEX_MODE", "TESTING")


def child_config(app) -> dict:
    """What a client process needs to open the same database as ``app``."""
    return {k: app.config[k] for k in CONFIG_KEYS if k in app.config}


# -- the driver --------------------------------------------------------------------------------------------------
def _client(config: dict, jobs: list[dict], threads: int, barrier, out) -> None:
    """One client process: its own app and connection pool; ``threads`` threads that start together with every
    other client's (``barrier``) and redeem their share of ``jobs``."""
    from webapp import create_app
    from webapp.accounts.models import User
    from webapp.coupons import domain as d
    from webapp.coupons import operations as ops
    from webapp.extensions import db
    from sqlalchemy import text

    from webapp.models import Facility
    logging.disable(logging.WARNING)
    app = create_app(config)
    results: list[tuple] = []
    lock = threading.Lock()

    def run(share: list[dict]) -> None:
        with app.app_context():
            db.session.execute(text("SELECT 1"))  # connect before the start line
            db.session.rollback()
            barrier.wait(timeout=300)
            for job in share:
                started = time.perf_counter()
                try:
                    entry = ops.redeem(db.session, user=db.session.get(User, job["user_id"]), set_id=job["set_id"],
                                       provider=ops.provider_of(db.session.get(Facility, job["facility_id"])),
                                       service_code=SERVICE, count=job["count"], idempotency_key=job["key"])
                    db.session.commit()
                    outcome = ("ok", entry)
                except d.CouponError as e:
                    db.session.rollback()
                    outcome = ("refused", e.code)
                except Exception as e:  # noqa: BLE001 - a failed transaction is reported, never swallowed
                    db.session.rollback()
                    outcome = ("error", repr(e))
                finally:
                    db.session.remove()
                with lock:
                    results.append((job["index"], *outcome, started, time.perf_counter()))

    shares = [jobs[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=run, args=(share,)) for share in shares]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put(results)


def race(config: dict, jobs: list[dict], processes: int, threads: int = 1) -> list[tuple]:
    """Run ``jobs`` (dicts: set_id, user_id, facility_id, count, key) from ``processes`` processes of ``threads``
    threads each, all released at once. Returns (job index, "ok" | "refused" | "error", entry id or error
    code, start, end) per job; start and end are ``time.perf_counter()`` values comparable across processes
    on the same machine."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(processes * threads)
    out = ctx.Queue()
    jobs = [dict(job, index=i) for i, job in enumerate(jobs)]
    procs = [ctx.Process(target=_client, args=(config, jobs[p::processes], threads, barrier, out))
             for p in range(processes)]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        results.extend(out.get(timeout=600))
    for p in procs:
        p.join(60)
        if p.exitcode != 0:
            raise RuntimeError(f"client process exited with {p.exitcode}")
    return sorted(results)


# -- the benchmark -----------------------------------------------------------------------------------------------
def make_app(database: str, tmp: str):
    """A fresh database (a SQLite file, or a new PostgreSQL schema) with the reference data."""
    from webapp import create_app
    from webapp.cli import init_db
    config = {"SECRET_KEY": "bench-" + uuid.uuid4().hex, "SEARCH_INDEX_DIR": os.path.join(tmp, "index"),
              "SEARCH_INDEX_MODE": "inline", "TESTING": True}
    if database == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(tmp, "bench.sqlite3")
    else:
        import psycopg
        schema = "bench_" + uuid.uuid4().hex[:10]
        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        config["SQLALCHEMY_DATABASE_URI"] = PG_URL
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
        config["BENCH_PG_SCHEMA"] = schema
    app = create_app(config)
    with app.app_context():
        init_db()
    return app


def drop(app) -> None:
    from webapp.extensions import db
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    schema = app.config.get("BENCH_PG_SCHEMA")
    if schema:
        import psycopg
        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def make_sets(app, n: int) -> tuple[list[tuple[int, int]], int]:
    """``n`` families with one claimed set each, and a provider of the service: ([(set id, user id)], facility id)."""
    from sqlalchemy import select

    from webapp.accounts.models import Child, User
    from webapp.coupons import operations as ops
    from webapp.coupons.models import CouponProgramme, SerialCode
    from webapp.extensions import db
    from webapp.models import CouponService, Facility
    with app.app_context():
        programme = db.session.scalar(select(CouponProgramme).order_by(CouponProgramme.fiscal_year.desc()))
        batch = ops.create_batch(db.session, programme, n, "bench")
        codes = list(db.session.scalars(select(SerialCode.code).where(SerialCode.batch_id == batch.id)))
        today = min(dt.date.today(), programme.ends_on)
        pairs = []
        for i, code in enumerate(codes):
            user = User(email=f"bench{i}-{uuid.uuid4().hex[:6]}@example.jp", password_hash="!", role="family",
                        name=f"ベンチ {i}", name_kana="ベンチ")
            user.children.append(Child(name="こども", birth_date=dt.date(2024, 5, 10)))
            db.session.add(user)
            db.session.flush()
            s = ops.claim(db.session, user, code, user.children[0].id, dt.date(2024, 5, 10), False, today)
            pairs.append((s.id, user.id))
        facility = db.session.scalar(select(Facility).where(Facility.programme == "coupon")
                                     .where(Facility.services.any(CouponService.code == SERVICE)))
        db.session.commit()
        return pairs, facility.id


def audit(app, results: list[tuple], set_ids: list[int]) -> list[str]:
    """What is wrong with the ledger after ``results`` (empty: it balances to the last coupon)."""
    from sqlalchemy import func, select

    from webapp.coupons import operations as ops
    from webapp.coupons.models import LedgerEntry
    from webapp.extensions import db
    problems = []
    ok_ids = [r[2] for r in results if r[1] == "ok"]
    with app.app_context():
        a = ops.audit_ledger(db.session, set_ids)
        problems += a.problems
        entries = db.session.scalar(select(func.count()).select_from(LedgerEntry)
                                    .where(LedgerEntry.set_id.in_(set_ids), LedgerEntry.kind == "redeem"))
        if entries != len(set(ok_ids)):
            problems.append(f"{len(set(ok_ids))} successes but {entries} redeem entries")
        if a.redeemed != sum(1 for r in results if r[1] == "ok"):  # every job redeems one coupon
            problems.append(f"{a.redeemed} coupons redeemed in the ledger for "
                            f"{sum(1 for r in results if r[1] == 'ok')} successes")
    errors = [r for r in results if r[1] == "error"]
    if errors:
        problems.append(f"{len(errors)} failed transactions, e.g. {errors[0][2]}")
    return problems


def run(database: str, clients: int, per_client: int, sets: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(database, tmp)
        try:
            pairs, facility_id = make_sets(app, sets)
            rng = random.Random(seed)
            jobs = []
            for _ in range(clients * per_client):
                set_id, user_id = rng.choice(pairs)
                jobs.append({"set_id": set_id, "user_id": user_id, "facility_id": facility_id, "count": 1,
                             "key": uuid.uuid4().hex})
            results = race(child_config(app), jobs, processes=clients)
            problems = audit(app, results, [s for s, _ in pairs])
        finally:
            drop(app)
    wall = max(r[4] for r in results) - min(r[3] for r in results)
    latencies = sorted((r[4] - r[3]) * 1000 for r in results)
    ok = sum(1 for r in results if r[1] == "ok")
    return {"database": database, "clients": clients, "attempts": len(results), "ok": ok,
            "refused": sum(1 for r in results if r[1] == "refused"), "seconds": wall,
            "ok_per_s": ok / wall, "attempts_per_s": len(results) / wall,
            "p50_ms": statistics.median(latencies), "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
            "problems": problems}


def pg_reachable() -> bool:
    try:
        import psycopg
        psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--per-client", type=int, default=60)
    parser.add_argument("--sets", type=int, default=20, help="sets in the pool (20 coupons each)")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in databases and not pg_reachable():
        print(f"PostgreSQL at {PG_URL} unreachable: skipped")
        databases.remove("postgresql")
    print(f"{'database':<11}{'clients':>8}{'attempts':>9}{'ok':>6}{'refused':>8}{'ok/s':>9}{'tries/s':>9}"
          f"{'p50 ms':>8}{'p95 ms':>8}  ledger")
    failed = False
    for database in databases:
        for clients in args.clients:
            r = run(database, clients, args.per_client, args.sets, args.seed)
            failed |= bool(r["problems"])
            print(f"{r['database']:<11}{r['clients']:>8}{r['attempts']:>9}{r['ok']:>6}{r['refused']:>8}"
                  f"{r['ok_per_s']:>9.1f}{r['attempts_per_s']:>9.1f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}  "
                  + ("balances" if not r["problems"] else "; ".join(r["problems"])), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
