"""Shared fixtures: an app on a fresh database (SQLite file, or TEST_DATABASE_URL for PostgreSQL) with a real
search index in a temporary directory."""
from __future__ import annotations

import os
import uuid

import pytest

from webapp import create_app
from webapp.dbutil import stamp_head
from webapp.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")


def _pg_schema() -> tuple[str, dict]:
    """A fresh PostgreSQL schema for one test app, so apps never see each other's tables."""
    import psycopg
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return schema, {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}}


def _drop_pg_schema(app) -> None:
    schema = app.config.get("TEST_PG_SCHEMA")
    if schema:
        import psycopg
        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _make_app(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "SQLALCHEMY_DATABASE_URI": PG_URL or "sqlite:///" + str(tmp_path / "test.sqlite3"),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SEARCH_INDEX_MODE": "inline",
        "SESSION_COOKIE_SECURE": False,
        "MAP_TILE_URL": "/_test/tiles/{z}/{x}/{y}.png",  # served by the test app: no test needs the internet
    }
    if PG_URL:
        schema, engine_options = _pg_schema()
        config["TEST_PG_SCHEMA"] = schema
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        stamp_head(db.engine)  # the schema is the newest revision's: init-db has nothing to migrate
    return app


@pytest.fixture
def app(tmp_path):
    """An app with empty tables and no index."""
    from webapp.extensions import limiter
    app = _make_app(tmp_path)
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        app.extensions["search_index"].close()
        db.engine.dispose()
    _drop_pg_schema(app)


@pytest.fixture
def ref_app(app):
    """An app with the reference data (and the Matsumoto coupon places) loaded and indexed."""
    from webapp.cli import init_db
    from webapp.indexing import get_index, rebuild_index
    with app.app_context():
        init_db()
        rebuild_index(db.session, get_index())
    return app


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """One app with the demo facilities loaded and indexed, shared by read-only tests."""
    from webapp.cli import init_db, load_demo
    from webapp.indexing import get_index, rebuild_index
    tmp = tmp_path_factory.mktemp("demo")
    app = _make_app(tmp)
    with app.app_context():
        init_db()
        load_demo()
        rebuild_index(db.session, get_index())
    yield app
    with app.app_context():
        db.session.remove()
        app.extensions["search_index"].close()
        db.engine.dispose()
    _drop_pg_schema(app)


@pytest.fixture
def client(ref_app):
    return ref_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


class MailSink:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "subject": str(msg["Subject"]),
                              "body": msg.get_body(("plain",)).get_content(), "raw": msg})
        return "250 OK"

    def last_to(self, address):
        for m in reversed(self.messages):
            if address in m["to"]:
                return m
        raise AssertionError(f"no mail to {address}; got {[m['to'] for m in self.messages]}")

    def link(self, address, path_part):
        import re
        body = self.last_to(address)["body"]
        for url in re.findall(r"https?://\S+", body):
            if path_part in url:
                return "/" + url.split("://", 1)[1].split("/", 1)[1]  # the path, for the test client
        raise AssertionError(f"no link with {path_part} in: {body}")


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    import socket
    from aiosmtpd.controller import Controller
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    yield sink
    controller.stop()


@pytest.fixture
def site(ref_app, smtp):
    """The app with reference data, sending mail to the SMTP sink."""
    ref_app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, SERVER_NAME=None)
    return ref_app


def csrf_from(html: str) -> str:
    import re
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


class Browserish:
    """A test client that fills forms the way a browser does (with the page's CSRF token)."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def submit(self, url, data, page_url=None, follow=False):
        page = self.client.get(page_url or url)
        data = dict(data)
        data.setdefault("csrf_token", csrf_from(page.get_data(as_text=True)))
        return self.client.post(url, data=data, follow_redirects=follow)


@pytest.fixture
def browserish(site):
    return Browserish(site.test_client())


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (one per test module)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from .browser import CHROMIUM, CHROMIUM_ARGS
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
