"""Kosodate Portal: the Flask application factory."""
from __future__ import annotations

import logging
import os

from flask import Flask, render_template, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import Config, check_config
from .extensions import babel, csrf, db

log = logging.getLogger(__name__)


def _database_url(app: Flask) -> str:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or "sqlite:///" + os.path.join(app.instance_path,
                                                                                   "kosodate.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait rather than fail on a busy database."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


def select_locale() -> str:
    from .i18n import current_locale
    return current_locale()


def register_error_pages(app: Flask) -> None:
    """One handler for error statuses: JSON under /api/, a page in the user's language elsewhere."""
    def handle(e):
        code = getattr(e, "code", 500) or 500
        if request.path.startswith("/api/"):
            name = getattr(e, "name", "Internal Server Error")
            return {"error": {"code": name.lower().replace(" ", "_"), "message": name}}, code
        template = "errors/404.html" if code == 404 else "errors/error.html"
        return render_template(template, code=code), code

    for status in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(status, handle)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app)
    check_config(app.config)
    from . import serving
    serving.configure_logging()

    db.init_app(app)
    from flask_migrate import Migrate
    from .dbutil import MIGRATIONS_DIR
    Migrate(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)  # `flask db ...`
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Tokyo")

    from . import cli, i18n, indexing, mail, security, web
    from .accounts import views as accounts_views
    web.init_app(app)
    indexing.init_app(app)
    serving.init_app(app)  # request ids and log, static caching, compression, /healthz and /readyz
    accounts_views.init_app(app)
    app.register_blueprint(mail.bp)
    i18n.init_app(app)
    security.init_app(app)
    cli.init_app(app)

    from .api.views import bp as api_bp
    from .passport.views import bp as passport_bp
    from .search.views import bp as search_bp
    app.register_blueprint(search_bp)
    from .search import map as search_map
    search_map.init_app(app)  # /search/pins.json (the map view's pins)
    from .search import rowcache
    rowcache.init_app(app)  # reference rows and result-card facilities kept per process
    app.register_blueprint(passport_bp)
    from .facilities.seo import bp as seo_bp
    app.register_blueprint(seo_bp)  # /sitemap.xml, /robots.txt, facility_jsonld
    from .admin import init_app as admin_init
    from .registration.views import init_app as registration_init
    registration_init(app)  # blueprint "registration" (/partners) and the renew-registrations command
    admin_init(app)  # blueprint "admin" (/admin)
    from .help.views import bp as help_bp
    from .support.views import bp as support_bp
    app.register_blueprint(help_bp)
    app.register_blueprint(support_bp)
    from .provider import cli as provider_cli
    from .provider.views import bp as provider_bp
    app.register_blueprint(provider_bp)
    provider_cli.init_app(app)
    from .coupons import cli as coupons_cli
    from .coupons.views import bp as coupons_bp
    app.register_blueprint(coupons_bp)
    coupons_cli.init_app(app)
    from .coupons import admin as coupons_admin
    coupons_admin.init_app(app)
    from .reminders import init_app as reminders_init
    reminders_init(app)  # blueprint "reminders" (/notices, /account/mails) and the reminder commands
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # read-only GET API

    register_error_pages(app)
    cli.guard_commands(app)  # after every command is registered
    return app
