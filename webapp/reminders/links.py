"""Signed stop links: one salt per kind of mail, so a link stops only the kind it was made for, and a link
changed by hand (or made for another kind) is refused. No login needed: whoever holds the family's mail can
stop mails to it, nothing more."""
from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from .domain import KINDS

MAX_TOKEN_LENGTH = 200


def _serializer(kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=f"reminders-stop:{kind}")


def stop_token(user_id: int, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(kind)
    return _serializer(kind).dumps(user_id)


def read_stop_token(kind: str, token: str | None) -> int | None:
    """The user id the link was made for, or None (unknown kind, altered, or made for another kind)."""
    if kind not in KINDS or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _serializer(kind).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def stop_url(user_id: int, kind: str) -> str:
    return url_for("reminders.stop", kind=kind, token=stop_token(user_id, kind), _external=True)


def one_click_url(user_id: int, kind: str) -> str:
    """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click`` here."""
    return url_for("reminders.one_click", kind=kind, token=stop_token(user_id, kind), _external=True)
