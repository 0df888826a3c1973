"""Language choice: Japanese by default, English on request (remembered in a cookie)."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, current_app, redirect, request

LANG_COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def current_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    explicit = request.args.get("lang")
    if explicit in langs:
        return explicit
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in langs:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.route("/language/<code>")
def set_language(code: str):
    """Switch the interface language and go back to the page the user was on."""
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(_safe_next(request.args.get("next")))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def inject_locale():
        from flask_babel import get_locale
        return {"current_lang": str(get_locale() or "ja")}
