"""Production serving: request ids and the per-request log line, versioned static files with long-lived caching,
compression, /healthz and /readyz; then the same through a real gunicorn on a loopback port."""
import gzip
import logging
import os
import re
import signal
import time
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from webapp.extensions import db

from . import serverproc as sp


# -- in process -------------------------------------------------------------------------------------------
def test_request_id_is_honoured_or_generated_and_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="webapp.access")
    r = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"})
    assert r.headers["X-Request-ID"] == "lb-7f3a.1"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    unsafe = client.get("/healthz", headers={"X-Request-ID": "bad id <script>" + "x" * 200}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe)
    lines = [r for r in caplog.records if r.name == "webapp.access"]
    assert len(lines) == 3
    first = lines[0]
    assert first.request_id == "lb-7f3a.1"
    assert re.fullmatch(r"method=GET path=/healthz status=200 duration_ms=\d+\.\d request_id=lb-7f3a\.1",
                        first.getMessage())


def test_an_error_log_carries_the_request_id(ref_app, caplog):
    ref_app.config["PROPAGATE_EXCEPTIONS"] = False

    @ref_app.get("/boom-for-test")
    def boom():
        logging.getLogger("webapp.test").warning("about to fail")
        raise RuntimeError("boom")

    caplog.set_level(logging.INFO)
    r = ref_app.test_client().get("/boom-for-test", headers={"X-Request-ID": "req-42"})
    assert r.status_code == 500 and r.headers["X-Request-ID"] == "req-42"
    errors = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
    assert errors and all(rec.request_id == "req-42" for rec in errors)
    assert any(rec.exc_info and "boom" in str(rec.exc_info[1]) for rec in errors)
    access = [rec.getMessage() for rec in caplog.records if rec.name == "webapp.access"]
    assert access == [next(a for a in access if "status=500" in a and "request_id=req-42" in a)]


def _static_urls(html):
    return [u.replace("&amp;", "&") for u in re.findall(r'(?:href|src)="(/[^"]*static/[^"]+)"', html)]


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(client):
    urls = _static_urls(client.get("/").get_data(as_text=True))
    css = next(u for u in urls if "site.css" in u)
    assert re.search(r"\?v=[0-9a-f]{12}$", css)
    r = client.get(css)
    assert r.status_code == 200
    assert r.cache_control.max_age == 365 * 24 * 3600 and r.cache_control.public and r.cache_control.immutable
    bare = client.get(css.split("?")[0])
    assert bare.status_code == 200 and not bare.cache_control.immutable
    stale = client.get(css.split("?")[0] + "?v=000000000000")
    assert not stale.cache_control.immutable  # an old page's URL is not pinned to today's file
    apply = _static_urls(client.get("/partners/apply").get_data(as_text=True))
    assert any("/partners/static/" in u and "?v=" in u for u in apply)  # blueprint static folders too


@pytest.mark.parametrize("encoding,decode", [("gzip", gzip.decompress), ("br", None)])
def test_pages_css_and_js_are_compressed(client, encoding, decode):
    import brotli
    decode = decode or brotli.decompress
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers
    page = client.get("/", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding and "Accept-Encoding" in page.headers["Vary"]
    assert decode(page.data) == plain.data and len(page.data) < len(plain.data) / 2
    urls = _static_urls(plain.get_data(as_text=True))
    for url in (next(u for u in urls if u.split("?")[0].endswith(".css")),
                "/static/js/search.js"):
        r = client.get(url, headers={"Accept-Encoding": encoding})
        assert r.status_code == 200 and r.headers["Content-Encoding"] == encoding, url
        assert decode(r.data) == client.get(url).data


def test_healthz_and_readyz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok"} and "no-store" in r.headers["Cache-Control"]
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json["status"] == "ready", r.json
    assert r.json["checks"]["database"]["ok"] and r.json["checks"]["search_index"]["documents"] == 19
    assert r.json["checks"]["index_lag"]["seconds"] == 0


def test_readyz_is_503_without_an_index(app):
    r = app.test_client().get("/readyz")
    assert r.status_code == 503 and r.json["status"] == "not ready"
    assert r.json["checks"]["search_index"]["ok"] is False


def test_readyz_is_503_when_the_index_is_behind_the_change_log(ref_app):
    import datetime as dt

    from webapp.indexing import apply_changes, get_index
    from webapp.models import SearchChange
    from webapp.timeutil import utcnow
    ref_app.config.update(SEARCH_INDEX_MODE="worker", READYZ_MAX_INDEX_LAG=30)
    client = ref_app.test_client()
    with ref_app.app_context():
        db.session.add(SearchChange(facility_external_id="mat-kodomo-plaza-tsukama",
                                    created_at=utcnow() - dt.timedelta(seconds=5)))
        db.session.commit()
    assert client.get("/readyz").status_code == 200  # 5 s behind: within the limit
    with ref_app.app_context():
        db.session.add(SearchChange(facility_external_id="mat-kodomo-plaza-tsukama",
                                    created_at=utcnow() - dt.timedelta(seconds=90)))
        db.session.commit()
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json["checks"]["index_lag"]["ok"] is False
    assert r.json["checks"]["index_lag"]["seconds"] >= 90
    with ref_app.app_context():
        apply_changes(db.session, get_index())
    assert client.get("/readyz").status_code == 200


def test_a_worker_is_warmed_up_before_its_first_request(app, caplog):
    from search_index import IndexMissing
    from webapp.cli import init_db
    from webapp.indexing import get_index, rebuild_index
    from webapp.serving import warm_up
    caplog.set_level(logging.INFO, logger="webapp.serving")
    warm_up(app)  # no index yet: it says so and leaves the rest to the first requests
    assert "no search index yet" in caplog.text
    with pytest.raises(IndexMissing):
        app.extensions["search_index"].warm()
    with app.app_context():
        init_db()
        rebuild_index(db.session, get_index())
    index = app.extensions["search_index"]
    index.close()  # as a new process finds it
    caplog.clear()
    warm_up(app)
    assert "warmed up in" in caplog.text
    compiled = {t.name for t in app.jinja_env.cache.values()} if app.jinja_env.cache is not None else set()
    assert {"search/results.html", "search/_card.html", "base.html"} <= compiled
    assert index._snapshot is not None and index._typos is not None  # opened, typo dictionary read


# -- a real gunicorn ----------------------------------------------------------------------------------------
@pytest.fixture
def served_db(tmp_path):
    database = sp.Database(tmp_path)
    env = sp.base_env(database.url, str(tmp_path / "index"))
    result = sp.flask(env, "init-db")
    assert result.returncode == 0, result.stderr
    yield database, env
    database.drop()


@pytest.mark.timeout(180)
def test_gunicorn_serves_probes_compression_request_ids_and_reloads_gracefully(tmp_path, served_db):
    database, env = served_db
    server = sp.Gunicorn(tmp_path, env)
    try:
        server.wait_until("/healthz")
        server.wait_until("/readyz")  # the index worker builds the missing index, then the instance is ready
        status, headers, body = sp.get(server.base + "/search?q=" + quote("筑摩"),
                                       {"Accept-Encoding": "gzip", "X-Request-ID": "probe-1"})
        assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["X-Request-ID"] == "probe-1"
        assert "こどもプラザ" in gzip.decompress(body).decode()
        html = gzip.decompress(sp.get(server.base + "/", {"Accept-Encoding": "gzip"})[2]).decode()
        css = next(u for u in _static_urls(html) if "site.css" in u)
        status, headers, _ = sp.get(server.base + css, {"Accept-Encoding": "br"})
        assert status == 200 and headers["Content-Encoding"] == "br" and "immutable" in headers["Cache-Control"]

        # Graceful reload: new workers, and no request fails meanwhile.
        workers_before = server.web_workers()
        server.proc.send_signal(signal.SIGHUP)
        statuses, deadline = [], time.monotonic() + 30
        while time.monotonic() < deadline:
            statuses.append(sp.get(server.base + "/healthz")[0])
            workers_now = server.web_workers()
            if len(statuses) > 20 and workers_now and not (workers_now & workers_before):
                break
            time.sleep(0.05)
        assert set(statuses) == {200}
        assert workers_now and not (workers_now & workers_before), (workers_before, workers_now)
        assert sp.get(server.base + "/readyz")[0] == 200

        log = server.log()
        line = next(line for line in log.splitlines() if "request_id=probe-1" in line)
        assert re.search(r"method=GET path=/search status=200 duration_ms=\d+\.\d request_id=probe-1", line)
        assert "index worker started" in log and "Traceback" not in log
    finally:
        code = server.stop()
    assert code == 0, server.log()[-2000:]
    assert server.proc.pid not in sp.all_pids()


def test_gunicorn_refuses_production_with_the_development_secret(tmp_path, served_db):
    _, env = served_db
    env = dict(env, SECRET_KEY="dev-only-insecure-secret-key", INDEX_WORKER="0")
    server = sp.Gunicorn(tmp_path, env)
    try:
        server.proc.wait(60)
    finally:
        server.stop()
    assert server.proc.returncode != 0
    assert "SECRET_KEY must be set" in server.log()


@pytest.mark.timeout(180)
def test_the_index_worker_is_restarted_and_never_outlives_its_master(tmp_path, served_db):
    database, env = served_db
    server = sp.Gunicorn(tmp_path, env)
    try:
        server.wait_until("/readyz")
        first = sp.wait_for(server.index_worker, 30, "an index worker", server.log)
        os.kill(first, signal.SIGKILL)
        second = sp.wait_for(lambda: (server.index_worker() or first) != first and server.index_worker(), 30,
                             "a new index worker after kill -9", server.log)
        assert "exited with" in server.log()
        # A change committed now reaches the index through the new worker.
        result = sp.flask(env, "generate-facilities", "3", "--seed", "11")
        assert result.returncode == 0, result.stderr[-2000:]
        with create_engine(database.url).connect() as conn:
            ext_id, name = conn.execute(text("SELECT external_id, name FROM facilities WHERE status = 'active' "
                                             "ORDER BY id DESC LIMIT 1")).one()
        sp.wait_for(lambda: ext_id.encode() in sp.get(server.base + "/api/v1/facilities?q=" + quote(name))[2],
                    10, f"{name} found", server.log)

        web = server.web_workers()
        os.kill(server.proc.pid, signal.SIGKILL)  # the master dies without cleaning up
        sp.wait_for(lambda: not ({second, *web} & sp.all_pids()), 30,
                    "the index worker and the web workers exit once their master is gone", server.log)
    finally:
        server.stop()


@pytest.mark.timeout(180)
def test_workers_survive_many_clients_asking_for_search_pages(tmp_path, served_db):
    """16 clients at once on uncached search pages for a few seconds: every answer is 200 and no worker dies
    (gthread workers on Python 3.11 did, with SIGSEGV: see gunicorn.conf.py)."""
    import threading
    from urllib.parse import quote as q
    database, env = served_db
    result = sp.flask(env, "generate-facilities", "400", "--seed", "3")
    assert result.returncode == 0, result.stderr[-2000:]
    server = sp.Gunicorn(tmp_path, dict(env, PAGE_CACHE_SECONDS="0"))
    words = ["カフェ", "授乳室", "藤沢 レストラン", "おむつ替え", "ベビーカー", "茅ヶ崎", "パン", "公園", "書店", "歯科"]
    statuses: list = []
    try:
        server.wait_until("/readyz")
        deadline = time.monotonic() + 8

        def client(k):
            i = k
            while time.monotonic() < deadline:
                try:
                    statuses.append(sp.get(f"{server.base}/search?q={q(words[i % len(words)])}&page={1 + i % 2}",
                                           timeout=30)[0])
                except OSError as e:  # a connection reset: the worker died under us
                    statuses.append(repr(e))
                i += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        log = server.log()
    finally:
        server.stop()
    assert len(statuses) > 50 and set(statuses) == {200}, [s for s in statuses if s != 200][:5]
    assert "SIGSEGV" not in log and "was sent" not in log, log[-3000:]
