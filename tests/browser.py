"""Helpers for browser tests: serve an app on loopback and drive Debian's Chromium with Playwright."""
from __future__ import annotations

import os
import shutil
import threading

from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True, "locale": "ja-JP"}


class LiveServer:
    """The app served by Werkzeug in a background thread on 127.0.0.1."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


def wait_until(page, script: str, timeout: float = 15.0, interval: float = 0.1):
    """Poll ``page.evaluate(script)`` until it is truthy and return the value.

    ``page.wait_for_function`` cannot be used on our pages: it evaluates its predicate with ``eval`` inside the
    page, which the site's Content-Security-Policy (``script-src 'self'``) rightly forbids. ``page.evaluate`` runs
    through the DevTools protocol and is not subject to the page's CSP.
    """
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = page.evaluate(script)
        except PlaywrightError as exc:  # a navigation in flight destroys the context: try again on the next page
            value, last_error = None, exc
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {script} ({last_error})")
        page.wait_for_timeout(interval * 1000)
