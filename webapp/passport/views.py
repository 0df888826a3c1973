"""Passport card, verification by QR code, and what makes the card work offline (manifest, service worker)."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, current_app, make_response, render_template, send_from_directory, url_for
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..accounts.models import ROLE_FAMILY, User
from ..accounts.operations import child_infos
from ..domain.passport import passport_status
from ..extensions import db
from ..roles import role_required
from ..timeutil import today_jst, utcnow

bp = Blueprint("passport", __name__)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="passport-verify")


def initials(user: User) -> str:
    """What a facility may see of the holder: the first letter of each part of the name's reading."""
    parts = (user.name_kana or user.name or "").replace("　", " ").split()
    return "・".join(p[0] for p in parts[:2]) or "?"


def format_number(number: str) -> str:
    return f"{number[:4]} {number[4:8]} {number[8:]}"


@bp.route("/passport")
@role_required(ROLE_FAMILY)
def card():
    """The passport card, designed to be shown at a counter; cached on the phone for use without signal."""
    if not current_user.passport_number:  # accounts made by staff get their number on first view
        from ..accounts.operations import new_passport_number
        current_user.passport_number = new_passport_number(db.session)
        db.session.commit()
    today = today_jst()
    valid_until, state = passport_status(child_infos(current_user), today)
    expired = state != "valid"
    token = _serializer().dumps({"u": current_user.id, "n": current_user.passport_number})
    verify_url = url_for("passport.verify", token=token, _external=True)
    qr = segno.make(verify_url, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title="QR",
            dark="#111827", light="#ffffff")
    response = make_response(render_template(
        "passport/card.html", valid_until=valid_until, expired=expired, number=format_number(current_user.passport_number),
        children=len(current_user.children), qr_svg=buf.getvalue().decode("utf-8"), checked_at=utcnow(),
        qr_minutes=current_app.config["PASSPORT_QR_MAX_AGE"] // 60))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/passport/verify/<token>")
def verify(token: str):
    """What a facility sees after scanning the QR code: valid until …, or expired; initials only."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSPORT_QR_MAX_AGE"])
        user = db.session.get(User, int(data["u"]))
        if user is None or user.passport_number != data["n"]:
            raise BadSignature("unknown holder")
    except SignatureExpired:
        return render_template("passport/verify.html", state="stale"), 410
    except (BadSignature, KeyError, TypeError, ValueError):
        return render_template("passport/verify.html", state="invalid"), 404
    today = today_jst()
    valid_until, state = passport_status(child_infos(user), today)
    state = "valid" if state == "valid" else "expired"  # the facility sees no more than valid / expired
    response = make_response(render_template("passport/verify.html", state=state, valid_until=valid_until,
                                             initials=initials(user), checked_at=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    data = {
        "name": "こそだてポータル", "short_name": "こそだて", "lang": "ja", "start_url": url_for("passport.card"),
        "scope": "/", "display": "standalone", "background_color": "#ffffff", "theme_color": "#c2410c",
        "icons": [{"src": url_for("static", filename="favicon.svg"), "sizes": "any", "type": "image/svg+xml",
                   "purpose": "any"}],
    }
    response = current_app.response_class(current_app.json.dumps(data), mimetype="application/manifest+json")
    return response


@bp.route("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope covers /passport."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response
