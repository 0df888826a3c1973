"""Security headers for every response."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


@lru_cache(maxsize=8)
def csp_for(tile_url: str | None) -> str:
    """The policy, with the map tile server's origin added to img-src when tiles come from another host."""
    parts = urlsplit(tile_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return CSP
    host = parts.netloc.replace("{s}.", "*.")  # tile servers with subdomains (a.tile..., b.tile...)
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {parts.scheme}://{host}")


def init_app(app) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", csp_for(app.config.get("MAP_TILE_URL")))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        if app.config.get("SESSION_COOKIE_SECURE") and not app.debug and not app.testing:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
