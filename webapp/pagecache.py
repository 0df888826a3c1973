"""A short-lived cache of whole responses for anonymous search traffic (a "micro-cache", as a reverse proxy
would keep one), in each web process.

The search pages and the search API are the same for everybody who sends no session: the response depends
only on the URL, the language cookie, the encodings the client accepts, the search index and the clock (open
now). So a response a view allows (:func:`allow_store`) is kept for ``PAGE_CACHE_SECONDS`` (default 20) and
answers the same request again while the index is at the same change-log checkpoint; any change the index
applies (a facility added, edited or withdrawn) starts afresh. A view's side effect (a search that found
nothing is counted) is repeated on every hit. Requests with any cookie but the language one
(a session, a login) always go to the view. ``PAGE_CACHE_SECONDS=0`` switches the cache off.

Each hit still gets its own request id, security headers and access-log line, marked ``X-Page-Cache: hit``."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable

from flask import Flask, Response, g, request

from .i18n import LANG_COOKIE
from .indexing import index_state

CACHED_ENDPOINTS = frozenset({"search.index", "search.results", "api.facilities"})
DEFAULT_SECONDS = 20.0
DEFAULT_ENTRIES = 2000
_PER_REQUEST_HEADERS = ("X-Request-ID", "Set-Cookie", "Date")


class PageCache:
    """An LRU of (expires, status, headers, body, on_hit) by key; safe across threads."""

    def __init__(self, seconds: float, entries: int):
        self.seconds, self.entries = seconds, entries
        self._items: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        now = time.monotonic()
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] < now:
                if item is not None:
                    del self._items[key]
                return None
            self._items.move_to_end(key)
            return item

    def put(self, key: tuple, status: int, headers: list, body: bytes,
            on_hit: Callable[[], object] | None = None) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self.seconds, status, headers, body, on_hit)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def allow_store(on_hit: Callable[[], object] | None = None) -> None:
    """Let this request's response be cached. ``on_hit`` is the view's side effect that must happen for every
    answer, cached or not (counting a search that found nothing for the admin dashboard); it is called on
    each hit."""
    g.page_cache_store = True
    g.page_cache_on_hit = on_hit


def _key() -> tuple | None:
    if request.method != "GET" or request.endpoint not in CACHED_ENDPOINTS:
        return None
    if any(name != LANG_COOKIE for name in request.cookies):
        return None
    state = index_state()
    if state is None:
        return None
    return (request.full_path, request.cookies.get(LANG_COOKIE, ""),
            request.headers.get("Accept-Encoding", "").replace(" ", "").lower(), state)


def init_app(app: Flask) -> None:
    seconds = float(app.config.get("PAGE_CACHE_SECONDS", DEFAULT_SECONDS))
    if seconds <= 0:
        return
    cache = PageCache(seconds, int(app.config.get("PAGE_CACHE_ENTRIES", DEFAULT_ENTRIES)))
    app.extensions["page_cache"] = cache

    @app.before_request
    def answer_from_cache():
        key = _key()
        g.page_cache_key = key
        if key is None:
            return None
        item = cache.get(key)
        if item is None:
            return None
        g.page_cache_hit = True
        if item[4] is not None:
            item[4]()
        response = Response(item[3], status=item[1], headers=item[2])
        response.headers["X-Page-Cache"] = "hit"
        return response

    @app.after_request
    def keep_in_cache(response):
        key = g.get("page_cache_key")
        if key is None or g.get("page_cache_hit"):
            return response
        if (g.get("page_cache_store") and response.status_code == 200 and not response.is_streamed
                and "Set-Cookie" not in response.headers):
            headers = [(k, v) for k, v in response.headers.items() if k not in _PER_REQUEST_HEADERS]
            cache.put(key, response.status_code, headers, response.get_data(), g.get("page_cache_on_hit"))
        response.headers["X-Page-Cache"] = "miss"
        return response
