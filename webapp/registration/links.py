"""Signed values: the status link of an application, a facility's manage link, and the confirmation page's
form data. Signed with the app's secret key (itsdangerous), each with its own salt, so one kind can never be
passed off as another; nothing read from them is trusted beyond "we wrote this"."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

STATUS_SALT = "partner-application-status"
MANAGE_SALT = "partner-facility-manage"
FORM_SALT = "partner-application-form"
FORM_MAX_AGE = 3 * 3600  # the confirmation page must be sent within three hours
MAX_TOKEN_LENGTH = 300_000


def _serializer(salt: str, timed: bool = False):
    """Links are stable (the same application always has the same link; a facility's manage links end
    when its link version changes); the form data expires."""
    cls = URLSafeTimedSerializer if timed else URLSafeSerializer
    return cls(current_app.secret_key, salt=salt)


def _load(salt: str, token: str | None, max_age: int | None = None):
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        if max_age is None:
            return _serializer(salt).loads(token)
        return _serializer(salt, timed=True).loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None


def status_token(public_id: str) -> str:
    return _serializer(STATUS_SALT).dumps(public_id)


def read_status_token(token: str) -> str | None:
    value = _load(STATUS_SALT, token)
    return value if isinstance(value, str) else None


def manage_token(registration_id: int, link_version: int) -> str:
    return _serializer(MANAGE_SALT).dumps([registration_id, link_version])


def read_manage_token(token: str) -> tuple[int, int] | None:
    value = _load(MANAGE_SALT, token)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return None


def form_payload(items: list[tuple[str, str]], target: dict) -> str:
    return _serializer(FORM_SALT, timed=True).dumps({"f": items, "t": target})


def read_form_payload(token: str | None) -> dict | None:
    value = _load(FORM_SALT, token, FORM_MAX_AGE)
    if (isinstance(value, dict) and isinstance(value.get("f"), list) and isinstance(value.get("t"), dict)
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value["f"])):
        return value
    return None
