"""HTTP benchmark of the production server (gunicorn.conf.py), with `flask run` beside it.

    make bench-http                                    # PostgreSQL when reachable, else SQLite
    .venv/bin/python bench/http_load.py --facilities 20000 --duration 20 --connections 16

1. Search: `wrk` (Debian package) over a mixed set of search pages (``/search?q=…``) and API calls
   (``/api/v1/facilities?…``, with filters and second pages), with a phone browser's headers (gzip/br), on
   ``--facilities`` synthetic facilities. Pages per second and p50/p95/p99 latency, for gunicorn and then for
   ``flask run`` (threaded, no debugger) on the same database and index.
2. Redemptions: ``--clients`` families, each logged in over its own keep-alive connection, confirm one
   coupon at a time (the POST that writes the ledger) for ``--duration`` seconds, or until their coupons are
   used up. Redemptions per second, p50/p95; then the ledger audit: one entry per receipt, every balance
   re-derived, nothing negative.

Each server is measured with the page cache off (every request searched and rendered: the worst case, no
two visitors asking the same) and on (webapp/pagecache.py: repeated anonymous searches answered from memory).

Rate limits are switched off for the run (RATELIMIT_ENABLED=0): every client comes from 127.0.0.1, and
the limits would measure themselves. The load tool, the clients and the server share this machine's cores.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench.redeem import PG_URL, SERVICE, pg_reachable  # noqa: E402
from bench.search import QUERIES  # noqa: E402
from tests import serverproc as sp  # noqa: E402

PASSWORD = "bench-password-0123"
# The development server one request at a time on Python 3.11: threaded, it dies under this load like gthread
# workers do (see gunicorn.conf.py).
THREADS = ["--with-threads"] if sys.version_info >= (3, 12) else ["--without-threads"]
SENTENCES = ["授乳室があるカフェを探しています", "子どもと行ける藤沢のレストラン", "ベビーカーで入れるお店",
             "おむつ替えができる場所 茅ヶ崎", "雨の日に遊べるところ"]
API_FILTERS = ["", "&category=飲食店", "&area=藤沢市", "&amenity=授乳室", "&benefit=お得", "&page=2",
               "&area=茅ヶ崎市&sort=kana"]


# -- setting up ----------------------------------------------------------------------------------------------
def database(kind: str, tmp: str) -> tuple[str, str | None]:
    """(URL, PostgreSQL schema or None) of a fresh database."""
    if kind == "sqlite":
        return "sqlite:///" + os.path.join(tmp, "bench.sqlite3"), None
    import psycopg
    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{PG_URL}?options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str | None) -> None:
    if schema:
        import psycopg
        with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def flask(env: dict, *args: str) -> str:
    started = time.perf_counter()
    result = sp.flask(env, *args, timeout=3600)
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    print(f"  flask {' '.join(args)}: {time.perf_counter() - started:.1f} s  {result.stdout.strip()[-120:]}")
    return result.stdout


def make_families(url: str, clients: int, children: int) -> tuple[list[dict], str]:
    """``clients`` families with ``children`` claimed coupon sets each, and a provider's QR token."""
    from sqlalchemy import select

    from webapp import create_app
    from webapp.accounts.models import Child, User
    from webapp.accounts.passwords import hash_password
    from webapp.coupons import operations as ops
    from webapp.coupons.models import CouponProgramme, SerialCode
    from webapp.extensions import db
    from webapp.models import CouponService, Facility
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": sp.SECRET, "SEARCH_INDEX_MODE": "worker"})
    families = []
    with app.app_context():
        programme = db.session.scalar(select(CouponProgramme).order_by(CouponProgramme.fiscal_year.desc()))
        batch = ops.create_batch(db.session, programme, clients * children, "bench")
        codes = iter(db.session.scalars(select(SerialCode.code).where(SerialCode.batch_id == batch.id)).all())
        today = min(dt.date.today(), programme.ends_on)
        password = hash_password(PASSWORD)
        for n in range(clients):
            user = User(email=f"bench{n}-{uuid.uuid4().hex[:6]}@example.jp", password_hash=password,
                        role="family", name=f"ベンチ {n}", name_kana="ベンチ")
            for c in range(children):
                user.children.append(Child(name=f"こども{c}", birth_date=dt.date(2024, 5, 10)))
            db.session.add(user)
            db.session.flush()
            sets = [ops.claim(db.session, user, next(codes), child.id, dt.date(2024, 5, 10), False, today).id
                    for child in user.children]
            families.append({"email": user.email, "sets": sets})
        facility = db.session.scalar(select(Facility).where(Facility.programme == "coupon")
                                     .where(Facility.services.any(CouponService.code == SERVICE)))
        qr = ops.ensure_point(db.session, facility).qr_token
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return families, qr


def search_paths(path: Path) -> int:
    queries = QUERIES + SENTENCES
    lines = []
    for i, q in enumerate(queries):
        quoted = urllib.parse.quote(q)
        lines.append(f"/search?q={quoted}")
        extra = urllib.parse.quote(API_FILTERS[i % len(API_FILTERS)], safe="&=")
        lines.append(f"/api/v1/facilities?q={quoted}{extra}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


# -- load ----------------------------------------------------------------------------------------------------
def check_paths(base: str, paths: Path) -> None:
    """Every path answers 200 before it is measured (a benchmark of error pages measures nothing)."""
    bad = []
    for path in paths.read_text(encoding="utf-8").split():
        status = sp.get(base + path, {"Accept-Encoding": "gzip, br"}, timeout=30)[0]
        if status != 200:
            bad.append(f"{status} {urllib.parse.unquote(path)}")
    if bad:
        raise SystemExit("paths that do not answer 200:\n  " + "\n  ".join(bad))


def wrk(base: str, paths: Path, seconds: int, connections: int, close: bool = False) -> dict:
    """wrk over ``paths``; ``close``: a new connection per request (the development server has no keep-alive)."""
    threads = min(2, connections)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-s", os.path.join(ROOT, "bench", "wrk_paths.lua"), base, "--", str(paths),
                          *(["close"] if close else [])],
                         capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in out.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures:\n{out.stdout}\n{out.stderr}")
    r = json.loads(line)
    r["per_s"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


class Family:
    """One logged-in family over one keep-alive connection (cookies kept by name)."""

    def __init__(self, port: int, email: str, sets: list[int], qr: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.sets, self.qr = list(sets), qr
        self.token = ""
        self.refusals: list[str] = []
        page = self.request("GET", "/login")[2]
        status = self.request("POST", "/login", {"csrf_token": _csrf(page), "email": email,
                                                  "password": PASSWORD})[0]
        if status != 302:
            raise SystemExit(f"login as {email} gave {status}")

    def request(self, method: str, path: str, fields: dict | None = None):
        body = urllib.parse.urlencode(fields) if fields is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return r.status, r.headers, data

    def redeem(self, set_id: int) -> bool:
        """Confirm one coupon of ``set_id``: True for a receipt, False when refused (the set is used up)."""
        target = f"?set={set_id}&p={self.qr}"
        if not self.token:
            self.token = _csrf(self.request("GET", "/coupons/use" + target)[2])
        status, headers, _ = self.request("POST", "/coupons/use/confirm" + target,
                                          {"csrf_token": self.token, "key": uuid.uuid4().hex,
                                           "service": SERVICE, "count": "1", "confirmed": "1"})
        if status != 302:
            raise RuntimeError(f"confirm gave {status}")
        location = headers.get("Location") or ""
        if "/coupons/receipts/" not in location:
            self.refusals.append(self.request("GET", urllib.parse.urlsplit(location).path + "?" +
                                              urllib.parse.urlsplit(location).query)[2])
            return False
        return True


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def redemptions(port: int, families: list[dict], qr: str, seconds: float) -> dict:
    clients = [Family(port, f["email"], f["sets"], qr) for f in families]
    start, results, lock = threading.Barrier(len(clients) + 1), [], threading.Lock()
    deadline = [0.0]

    def run(client: Family) -> None:
        mine = []
        start.wait()
        while client.sets and time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            ok = client.redeem(client.sets[0])
            mine.append((ok, began, time.perf_counter()))
            if not ok:
                client.sets.pop(0)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    start.wait()
    for t in threads:
        t.join()
    reasons = [re.findall(r'class="(?:flash|error)[^"]*"[^>]*>([^<]+)<', page) for c in clients for page in c.refusals]
    if reasons:
        print("  refusals:", sorted({tuple(r)[:1] for r in reasons})[:3])
    oks = [r for r in results if r[0]]
    wall = max(r[2] for r in results) - min(r[1] for r in results)
    latencies = sorted((r[2] - r[1]) * 1000 for r in oks)
    return {"ok": len(oks), "refused": len(results) - len(oks), "seconds": wall, "per_s": len(oks) / wall,
            "p50_ms": statistics.median(latencies), "p95_ms": latencies[int(0.95 * (len(latencies) - 1))]}


def audit(url: str, families: list[dict], receipts: int) -> list[str]:
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    from webapp.coupons.models import LedgerEntry
    from webapp.coupons.operations import audit_ledger
    set_ids = [s for f in families for s in f["sets"]]
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            result = audit_ledger(session, set_ids)
            entries = session.scalar(select(func.count()).select_from(LedgerEntry).where(
                LedgerEntry.set_id.in_(set_ids), LedgerEntry.kind == "redeem"))
    finally:
        engine.dispose()
    problems = list(result.problems)
    if entries != receipts or result.redeemed != receipts:
        problems.append(f"{receipts} receipts but {entries} redeem entries ({result.redeemed} coupons)")
    return problems


# -- the run -------------------------------------------------------------------------------------------------
def serve_flask_run(tmp: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = sp.free_port()
    log = open(tmp / "flask-run.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "run", "--port", str(port),
                             "--no-debugger", "--no-reload", *THREADS], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if sp.get(base + "/readyz", timeout=5)[0] == 200:
                return proc, base
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("flask run did not become ready:\n" + (tmp / "flask-run.log").read_text()[-2000:])


def row(name: str, r: dict) -> str:
    return (f"{name:22} {r['requests']:8d} {r['per_s']:8.1f} {r['p50_us'] / 1000:7.1f} {r['p95_us'] / 1000:7.1f} "
            f"{r['p99_us'] / 1000:7.1f} {r['non_2xx'] + r['socket_errors']:7d}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilities", type=int, default=20000)
    parser.add_argument("--database", choices=["auto", "sqlite", "postgresql"], default="auto")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per measurement")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for search")
    parser.add_argument("--clients", type=int, default=16, help="concurrent families redeeming")
    parser.add_argument("--redeem-seconds", type=int, default=10, help="seconds of redemptions")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn worker processes (gunicorn.conf.py's default: one per core plus one)")
    parser.add_argument("--skip-flask-run", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk; `make bench-http` does it)")
    kind = args.database if args.database != "auto" else ("postgresql" if pg_reachable() else "sqlite")
    tmp = Path(tempfile.mkdtemp(prefix="bench-http-"))
    url, schema = database(kind, str(tmp))
    env = sp.base_env(url, str(tmp / "index"), RATELIMIT_ENABLED=0, WEB_CONCURRENCY=args.workers,
                      GUNICORN_LOG_LEVEL="warning")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    print(f"Setting up {args.facilities} facilities on {kind} in {tmp}")
    server = None
    try:
        flask(env, "init-db")
        flask(env, "generate-facilities", str(args.facilities), "--seed", "1")
        flask(env, "reindex")
        # Enough coupons (20 a set) for 300 redemptions a second: the clients never run dry in the run.
        children = max(2, -(-300 * args.redeem_seconds // (20 * args.clients)))
        families, qr = make_families(url, args.clients, children)
        paths = tmp / "paths.txt"
        n_paths = search_paths(paths)

        results = []
        for cached in (False, True):
            cache_env = dict(env, PAGE_CACHE_SECONDS="20" if cached else "0")
            label = " cached" if cached else ""
            server = sp.Gunicorn(tmp, cache_env, "gunicorn-cached" if cached else "gunicorn")
            server.wait_until("/readyz", seconds=180)
            check_paths(server.base, paths)
            wrk(server.base, paths, 3, args.connections)  # warm-up: every worker opens the index, caches fill
            results.append((f"gunicorn {args.workers} workers{label}",
                            wrk(server.base, paths, args.duration, args.connections)))
            if not cached:
                redeemed = redemptions(server.port, families, qr, args.redeem_seconds)
                problems = audit(url, families, redeemed["ok"])
            server.stop()
            server = None
            if args.skip_flask_run:
                continue
            proc, base = serve_flask_run(tmp, dict(cache_env, SEARCH_INDEX_MODE="inline"))
            try:
                check_paths(base, paths)
                wrk(base, paths, 3, args.connections, close=True)
                name = "flask run" + (" threaded" if THREADS == ["--with-threads"] else "") + label
                results.append((name, wrk(base, paths, args.duration, args.connections,
                                                         close=True)))
            finally:
                proc.terminate()
                proc.wait(20)
    finally:
        if server is not None:
            server.stop()
        drop_schema(schema)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nSearch pages: {args.facilities} facilities, {kind}, {n_paths} paths (search pages and API calls), "
          f"{args.connections} connections, {args.duration} s each (goal: >= 400 pages/s, p95 <= 50 ms)")
    print(f"{'server':22} {'requests':>8} {'pages/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for name, r in results:
        print(row(name, r))
    print(f"\nRedemptions over HTTP: gunicorn, {kind}, {args.clients} clients (goal: >= 200/s, p95 <= 100 ms)")
    print(f"  {redeemed['ok']} redeemed in {redeemed['seconds']:.1f} s = {redeemed['per_s']:.1f}/s, "
          f"p50 {redeemed['p50_ms']:.1f} ms, p95 {redeemed['p95_ms']:.1f} ms; {redeemed['refused']} refused "
          f"(set used up); ledger: {'balances' if not problems else '; '.join(problems)}")
    return 1 if problems or any(r["non_2xx"] or r["socket_errors"] for _, r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
