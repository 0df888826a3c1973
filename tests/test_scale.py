"""Past one box: two real instances (each its own gunicorn, search index directory and index worker) on one
PostgreSQL schema, with rate limits shared through Redis."""
import html
import re
import time
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import create_engine, text

from . import serverproc as sp
from .test_registration_helpers import application

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not sp.PG_URL, reason="two instances share one PostgreSQL (TEST_DATABASE_URL)")]
REDIS_URL = "redis://127.0.0.1:6379/0"
DEMO_PASSWORD = "demo-password-kosodate"


class _Inputs(HTMLParser):
    """The inputs (name → value) of the forms whose action contains ``action``."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.values = action, False, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or ""
            self.inside = self.action in action if self.action else (not action and a.get("method") == "post")
        elif self.inside and tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values.setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


class Browser:
    """A cookie-keeping HTTP client that posts forms with the page's hidden fields (CSRF token included)."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=20) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

    def form(self, page_path, target, fields=None):
        """GET ``page_path``, then POST the form whose action contains ``target`` with ``fields`` added."""
        status, _, page = self.request(page_path)
        assert status == 200, (page_path, status)
        return self.post_form(page, target, fields)

    def post_form(self, page, target, fields=None, path=None):
        """POST the form whose action contains ``target`` (or, with target "", the one posting back to ``path``)."""
        parser = _Inputs(target)
        parser.feed(page)
        assert parser.values, f"no form for {target or path}"
        if target:
            path = html.unescape(re.search(r'<form[^>]*action="([^"]*' + re.escape(target) + r'[^"]*)"',
                                           page).group(1))
        return self.request(path, {**parser.values, **(fields or {})})

    def csrf(self, path):
        status, _, page = self.request(path)
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)

    def login(self, email, password=DEMO_PASSWORD, expect=302):
        status, _, _ = self.request("/login", {"csrf_token": self.csrf("/login"), "email": email,
                                               "password": password})
        if expect:
            assert status == expect, status
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_instances(tmp_path, smtp):
    database = sp.Database(tmp_path)
    env = sp.base_env(database.url, str(tmp_path / "index-setup"), MAIL_BACKEND="smtp", MAIL_PORT=smtp.port,
                      RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX="t" + uuid.uuid4().hex[:10],
                      WEB_CONCURRENCY=1, GUNICORN_THREADS=4)
    seeded = sp.flask(env, "seed-demo", timeout=240)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    servers = {}
    try:
        for name in ("a", "b"):
            servers[name] = sp.Gunicorn(tmp_path, dict(env, SEARCH_INDEX_DIR=str(tmp_path / f"index-{name}")), name)
        for server in servers.values():
            server.wait_until("/readyz", seconds=120)  # each builds its own index from the database
        yield servers["a"], servers["b"], create_engine(database.url)
    finally:
        for server in servers.values():
            server.stop()
        database.drop()


def _search_total(server, q):
    status, _, body = sp.get(server.base + "/api/v1/facilities?" + urllib.parse.urlencode({"q": q}))
    assert status == 200
    import json
    return json.loads(body)["total"]


@pytest.mark.timeout(400)
def test_two_instances_share_the_database_the_index_changes_and_the_rate_limits(two_instances):
    a, b, engine = two_instances

    # An application sent and approved on A is found by search on B within 5 seconds.
    applicant = Browser(a.base)
    status, _, confirm = applicant.form("/partners/apply", "/partners/apply",
                                         application(name="ゆずりはカフェ 茅ヶ崎店", name_kana="ゆずりはかふぇ ちがさきてん"))
    assert status == 200 and 'name="payload"' in confirm
    status, headers, _ = applicant.post_form(confirm, "/partners/apply/send")
    assert status == 302 and "/partners/status/" in headers["Location"]
    with engine.connect() as conn:
        app_id = conn.execute(text("SELECT max(id) FROM partner_applications")).scalar()
    assert _search_total(b, "ゆずりはカフェ") == 0
    admin = Browser(a.base)
    admin.login("admin@demo.kosodate.jp")
    status, _, page = admin.request("/admin/notices/new")
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    status, _, _ = admin.request(f"/admin/applications/{app_id}/approve", {"csrf_token": token})
    assert status == 302
    approved, deadline = time.monotonic(), time.monotonic() + 5
    while _search_total(b, "ゆずりはカフェ") != 1:
        assert time.monotonic() < deadline, "not found on B within 5 s:\n" + b.log()[-2000:]
        time.sleep(0.1)
    found_after = time.monotonic() - approved

    # A coupon set spent on A is refused on B, even from a confirm page B showed before.
    with engine.connect() as conn:
        set_id, = conn.execute(text("SELECT s.id FROM coupon_sets s JOIN users u ON u.id = s.user_id "
                                    "WHERE u.email = 'family@demo.kosodate.jp'")).one()
        qr, = conn.execute(text("SELECT p.qr_token FROM provider_points p JOIN facilities f ON f.id = p.facility_id "
                                "WHERE f.external_id = 'mat-kodomo-plaza-tsukama'")).one()
        redeemed_before = conn.execute(text("SELECT count(*) FROM coupon_ledger WHERE kind = 'redeem'")).scalar()
    on_a, on_b = Browser(a.base), Browser(b.base)
    on_a.login("family@demo.kosodate.jp")
    on_b.login("family@demo.kosodate.jp")
    use = f"/coupons/use?set={set_id}&p={qr}"
    pages = {}
    for name, browser in (("a", on_a), ("b", on_b)):
        status, _, page = browser.request(use)
        assert status == 200, (name, status)
        remaining = int(re.search(r'<p class="big-count"><span>(\d+)</span>', page).group(1))
        assert remaining > 0
        service = re.search(r'<option[^>]*value="([^"]+)"', page).group(1)
        status, _, confirm = browser.post_form(page, "", {"count": str(remaining), "service": service}, path=use)
        assert status == 200 and "/coupons/use/confirm" in confirm, (name, status, confirm[:500])
        pages[name] = (confirm, remaining)
    status, headers, _ = on_a.post_form(pages["a"][0], "/coupons/use/confirm")
    assert status == 302 and "/coupons/receipts/" in headers["Location"]
    status, headers, _ = on_b.post_form(pages["b"][0], "/coupons/use/confirm")
    assert status == 302 and "/coupons/receipts/" not in headers["Location"]  # back to the count, refused
    status, _, page = on_b.request(urllib.parse.urlparse(headers["Location"]).path + "?" +
                                   urllib.parse.urlparse(headers["Location"]).query)
    assert status == 200
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM coupon_ledger WHERE kind = 'redeem'")).scalar() \
            == redeemed_before + 1

    # Login attempts are limited across both instances (counted in Redis): alternating A and B, the sixth
    # failed attempt within a minute is refused, though neither instance saw more than three.
    posts = 3
    statuses = []
    while posts < 12:
        browser = Browser((a if posts % 2 else b).base)
        status = browser.login("nobody@example.jp", "wrong-password-1", expect=None)
        statuses.append(status)
        posts += 1
    assert statuses[:5] == [200] * 5 and statuses[5] == 429, statuses
    print(f"approval on A found on B after {found_after:.2f} s")


def _redeem_one(browser, set_id, qr):
    """One coupon through the whole flow (use page, count, confirm); the receipt's ledger entry id, or None
    when refused. Connection errors propagate (the instance is gone)."""
    use = f"/coupons/use?set={set_id}&p={qr}"
    status, _, page = browser.request(use)
    if status != 200 or 'class="big-count"' not in page:
        return None
    service = re.search(r'<option[^>]*value="([^"]+)"', page).group(1)
    status, _, confirm = browser.post_form(page, "", {"count": "1", "service": service}, path=use)
    if status != 200 or "/coupons/use/confirm" not in confirm:
        return None
    status, headers, _ = browser.post_form(confirm, "/coupons/use/confirm")
    found = re.search(r"/coupons/receipts/(\d+)", headers.get("Location") or "") if status == 302 else None
    return int(found.group(1)) if found else None


def _count(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.mark.timeout(400)
def test_kill_9_in_the_middle_of_writes_loses_nothing(two_instances, tmp_path):
    """Coupons are redeemed on both instances and facilities imported while instance A (master and workers),
    B's index worker and the importer itself are killed with -9. Afterwards every redemption a receipt
    confirmed is in the ledger, the ledger balances, and both indexes hold exactly the committed facilities."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    from sqlalchemy.orm import Session

    from webapp.coupons.operations import audit_ledger
    a, b, engine = two_instances
    with engine.connect() as conn:
        set_id, = conn.execute(text("SELECT s.id FROM coupon_sets s JOIN users u ON u.id = s.user_id "
                                    "WHERE u.email = 'family@demo.kosodate.jp'")).one()
        qr, = conn.execute(text("SELECT p.qr_token FROM provider_points p JOIN facilities f ON f.id = p.facility_id "
                                "WHERE f.external_id = 'mat-kodomo-plaza-tsukama'")).one()
    before = _count(engine, "SELECT count(*) FROM facilities")
    redeemed_before = _count(engine, "SELECT count(*) FROM coupon_ledger WHERE set_id = :s AND kind = 'redeem'",
                             s=set_id)

    receipts = {"a": [], "b": []}
    stop = threading.Event()

    def redeem(name, server, most):
        browser = Browser(server.base)
        try:
            browser.login("family@demo.kosodate.jp")
            while not stop.is_set() and len(receipts[name]) < most:
                entry = _redeem_one(browser, set_id, qr)
                if entry is not None:
                    receipts[name].append(entry)
        except OSError:
            pass  # the instance was killed under us: what was confirmed so far is what counts

    threads = [threading.Thread(target=redeem, args=("a", a, 10)), threading.Thread(target=redeem, args=("b", b, 6))]
    for t in threads:
        t.start()
    importer = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "generate-facilities", "6000",
                                 "--seed", "5"], cwd=sp.ROOT, env=a.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    try:
        # Instance A dies whole, in the middle of its redemptions.
        sp.wait_for(lambda: len(receipts["a"]) >= 2, 60, "two redemptions on A", a.log)
        for pid in {a.proc.pid, *a.web_workers(), a.index_worker()} - {None}:
            os.kill(pid, signal.SIGKILL)
        # B's index worker dies while it applies the imported batches.
        sp.wait_for(lambda: _count(engine, "SELECT count(*) FROM facilities") > before, 60, "a first batch")
        os.kill(b.index_worker(), signal.SIGKILL)
        # The importer dies between (or inside) its batches of 1000.
        sp.wait_for(lambda: _count(engine, "SELECT count(*) FROM facilities") >= before + 2000, 120,
                    "two batches imported")
        importer.kill()
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        if importer.poll() is None:
            importer.kill()
        importer.wait(10)
    assert importer.returncode == -signal.SIGKILL, importer.stderr.read()[-2000:] if importer.stderr else ""
    a.stop()

    # A starts again on its old index directory; its index worker catches up from the checkpoint.
    a2 = sp.Gunicorn(tmp_path, a.env, "a2")
    try:
        a2.wait_until("/readyz", seconds=120)
        b.wait_until("/readyz", seconds=60)
        assert "exited with" in b.log()  # B's master noticed and started another index worker
        listed = _count(engine, "SELECT count(*) FROM facilities WHERE status = 'active'")
        assert _count(engine, "SELECT count(*) FROM facilities") < before + 6000  # the importer was cut short
        for server in (a2, b):
            sp.wait_for(lambda s=server: _search_total(s, "") == listed, 30,
                        f"all {listed} committed facilities searchable on {server.base}", server.log)

        # Every confirmed redemption is in the ledger; at most the one in flight on A when it died is extra.
        with engine.connect() as conn:
            entries = dict(conn.execute(text("SELECT id, count FROM coupon_ledger WHERE set_id = :s AND kind = 'redeem'"),
                                        {"s": set_id}).all())
        confirmed = receipts["a"] + receipts["b"]
        assert len(receipts["a"]) >= 2 and receipts["b"], receipts
        assert set(confirmed) <= set(entries) and all(entries[e] == 1 for e in confirmed)
        assert len(entries) - redeemed_before - len(confirmed) in (0, 1)
        with Session(engine) as session:
            audit = audit_ledger(session, [set_id])
        assert audit.balances, audit.problems
        assert audit.balance == 20 - sum(entries.values())
        # The set left is still spendable on the restarted A.
        browser = Browser(a2.base)
        browser.login("family@demo.kosodate.jp")
        assert _redeem_one(browser, set_id, qr) is not None
        print(f"after kill -9: {len(confirmed)} confirmed redemptions ({len(receipts['a'])} on A), "
              f"{len(entries) - redeemed_before} in the ledger; {listed} facilities searchable on both")
    finally:
        a2.stop()
