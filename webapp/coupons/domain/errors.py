"""Errors of the coupon rules: a field, an English message marked for translation, and a stable code.

The message is an msgid (English), translated by whoever shows it: ``_(err.message) % err.params`` when
``err.params`` is set, plain ``_(err.message)`` otherwise. The code is stable and meant for programs (tests,
logs, JSON API, choosing what to show next such as the department's phone number).
"""
from __future__ import annotations

from typing import Any, Mapping


def N_(message: str) -> str:
    """Mark a message for translation without translating it here (extracted by ``pybabel -k N_``)."""
    return message


class CouponError(ValueError):
    """A coupon rule said no.

    ``field``: the form field or argument it concerns (``"serial"``, ``"count"``, ``"reason"``, ...);
    ``message``: English msgid; ``code``: stable machine-readable code; ``params``: values for the
    ``%(name)s`` placeholders of the message, if any (dates as ``datetime.date``, to be formatted by the UI).
    """

    def __init__(self, field: str, message: str, code: str, params: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code
        self.params = dict(params) if params else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.field!r}, {self.message!r}, {self.code!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CouponError) or type(self) is not type(other):
            return False
        return (self.field, self.message, self.code, self.params) == (other.field, other.message, other.code,
                                                                       other.params)

    __hash__ = None  # type: ignore[assignment]


class SerialError(CouponError):
    """A serial code that cannot be read: ``SerialError(field, message)`` with an optional specific code."""

    def __init__(self, field: str, message: str, code: str = "serial_invalid",
                 params: Mapping[str, Any] | None = None):
        super().__init__(field, message, code, params)
