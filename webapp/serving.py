"""What a production server needs from the app: request ids and one log line per request, versioned static URLs
with long-lived caching, compression, and the /healthz and /readyz probes for a load balancer."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import uuid

from flask import Flask, g, has_request_context, jsonify, request

log = logging.getLogger(__name__)
access_log = logging.getLogger("webapp.access")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=-]{1,128}")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
STATIC_MAX_AGE = 365 * 24 * 3600
COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                      "image/svg+xml", "application/manifest+json", "text/plain", "text/csv"]


# -- request ids in every log record ---------------------------------------------------------------------
def current_request_id() -> str:
    """The id of the request being handled, "-" outside a request."""
    if has_request_context():
        return g.get("request_id", "-")
    return "-"


def _install_record_factory() -> None:
    """Every log record gets ``request_id`` (so any error logged while handling a request names it)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_adds_request_id", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return record
    factory._adds_request_id = True
    logging.setLogRecordFactory(factory)


def configure_logging() -> None:
    _install_record_factory()
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)


def incoming_request_id(value: str | None) -> str:
    """The caller's X-Request-ID when it is a plain token, otherwise a new one."""
    if value and _SAFE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _init_request_log(app: Flask) -> None:
    @app.before_request
    def start():
        g.request_started = time.perf_counter()
        g.request_id = incoming_request_id(request.headers.get(REQUEST_ID_HEADER))

    @app.after_request
    def finish(response):
        rid = g.get("request_id") or incoming_request_id(None)
        response.headers[REQUEST_ID_HEADER] = rid
        started = g.get("request_started")
        ms = (time.perf_counter() - started) * 1000 if started else 0.0
        cache = response.headers.get("X-Page-Cache")
        access_log.info("method=%s path=%s status=%d duration_ms=%.1f request_id=%s%s", request.method,
                        request.path, response.status_code, ms, rid, f" cache={cache}" if cache else "")
        return response


# -- static files: content-hashed URLs, cached for a year ------------------------------------------------
def _static_folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    bp = app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return bp.static_folder if bp is not None else None


def _init_static(app: Flask) -> None:
    hashes: dict[str, tuple[float, str]] = {}

    def file_hash(folder: str, filename: str) -> str | None:
        path = os.path.join(folder, filename)
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        cached = hashes.get(path)
        if cached is None or cached[0] != mtime:
            with open(path, "rb") as f:
                cached = (mtime, hashlib.sha256(f.read()).hexdigest()[:12])
            hashes[path] = cached
        return cached[1]

    @app.url_defaults
    def versioned_static(endpoint, values):
        if endpoint and (endpoint == "static" or endpoint.endswith(".static")) and "filename" in values \
                and "v" not in values:
            folder = _static_folder(app, endpoint)
            digest = folder and file_hash(folder, values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_static(response):
        endpoint = request.endpoint or ""
        if not (endpoint == "static" or endpoint.endswith(".static")) or response.status_code != 200:
            return response
        folder = _static_folder(app, endpoint)
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        if version and folder and version == file_hash(folder, filename):
            response.cache_control.public = True
            response.cache_control.max_age = STATIC_MAX_AGE
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        if response.mimetype in COMPRESS_MIMETYPES and response.is_streamed:
            response.direct_passthrough = False
            response.make_sequence()  # small files: read once so that they are compressed like pages
        return response


# -- compression ---------------------------------------------------------------------------------------
def _init_compression(app: Flask) -> None:
    from flask_compress import Compress
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Brotli 3, not Flask-Compress's 4: a 28 KB results page in 0.10 ms instead of 0.16 ms (each page is
    # compressed as it is made), for about 6 % more bytes (5.2 KB against 4.9 KB).
    app.config.setdefault("COMPRESS_BR_LEVEL", 3)
    Compress(app)


# -- probes --------------------------------------------------------------------------------------------
def readiness(app: Flask) -> tuple[bool, dict]:
    """(ready, checks): the database answers, the search index opens, and it is not behind the change log
    by more than READYZ_MAX_INDEX_LAG seconds."""
    from sqlalchemy import func, select, text

    from .extensions import db
    from .models import SearchChange
    from .timeutil import utcnow

    checks: dict = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
    except Exception as e:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        checks["database"] = {"ok": False, "error": type(e).__name__}
        log.warning("readyz: database unreachable: %s", e)
        return False, checks
    index = app.extensions["search_index"]
    try:
        documents = index.doc_count()
        checks["search_index"] = {"ok": True, "documents": documents}
    except Exception as e:  # noqa: BLE001
        checks["search_index"] = {"ok": False, "error": type(e).__name__}
        return False, checks
    limit = float(app.config.get("READYZ_MAX_INDEX_LAG", 30))
    try:
        oldest = db.session.scalar(select(func.min(SearchChange.created_at))
                                   .where(SearchChange.id > index.checkpoint()))
    except Exception as e:  # noqa: BLE001 - e.g. the tables are missing
        db.session.rollback()
        checks["index_lag"] = {"ok": False, "error": type(e).__name__}
        return False, checks
    lag = max(0.0, (utcnow() - oldest.replace(tzinfo=None)).total_seconds()) if oldest else 0.0
    checks["index_lag"] = {"ok": lag <= limit, "seconds": round(lag, 1), "limit": limit}
    return all(c["ok"] for c in checks.values()), checks


def _init_probes(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        """The process is alive and answers."""
        response = jsonify(status="ok")
        response.cache_control.no_store = True
        return response

    @app.get("/readyz")
    def readyz():
        """Whether this instance should get traffic (JSON; 200 ready, 503 not)."""
        ready, checks = readiness(app)
        response = jsonify(status="ready" if ready else "not ready", checks=checks)
        response.status_code = 200 if ready else 503
        response.cache_control.no_store = True
        return response


def warm_up(app: Flask) -> None:
    """Prepare what a new web process's first requests would wait for (the compiled templates, and the search
    index with what its searches build lazily: up to a second on a large index), before it takes requests:
    gunicorn.conf.py calls it for each worker."""
    from search_index import IndexMissing
    started = time.perf_counter()
    try:
        for name in app.jinja_env.list_templates(extensions=["html"]):
            app.jinja_env.get_template(name)  # compiled once per process, now rather than on first use
        app.extensions["search_index"].warm()
    except IndexMissing:
        log.info("warm-up: no search index yet")
        return
    except Exception as e:  # noqa: BLE001 - the first requests will try again, and say why
        log.warning("warm-up failed: %s", e)
        return
    log.info("warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


def init_app(app: Flask) -> None:
    # after_request functions run in reverse order: static files are read, then compressed, then kept in the
    # page cache (webapp/pagecache.py), then logged.
    from . import pagecache
    _init_request_log(app)
    pagecache.init_app(app)
    _init_compression(app)
    _init_static(app)
    _init_probes(app)
