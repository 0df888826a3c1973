"""Matsumoto child-rearing support e-coupons (松本市 子育て支援クーポン): the rules in plain Python.

No Flask, no SQLAlchemy: plain values in, plain values out, so every rule is unit-tested on its own.

- :mod:`.serials` — serial codes: batches, check character, grouped display, forgiving input;
- :mod:`.services` — the eight service codes and the programme's dates;
- :mod:`.eligibility` — who may claim a set and who may use it;
- :mod:`.expiry` — how long a coupon is valid, per service;
- :mod:`.ledger` — issue / redeem / reversal entries, the derived balance and the checks before a write.

Rule failures are :class:`CouponError` (``field``, ``message`` — an English msgid marked for translation —,
``code``, ``params``); ``check_*`` functions return the error (or None) rather than raise it.
"""
from __future__ import annotations

from .eligibility import (check_child_eligible, check_claim, check_provider_service, check_same_child,
                          child_eligible)
from .errors import CouponError, SerialError
from .expiry import (MAMA_HELP_DAYS, check_usable, coupon_valid_until, expiring_within, first_birthday,
                     fourth_month_start, is_usable)
from .ledger import (REVERSAL_WINDOW, Issue, LedgerInvariantError, Redeem, Reversal, balance, check_redeem,
                     check_replay, check_reversal, find_replay, first_use_at, japan_date)
from .serials import (ALPHABET, SERIAL_LENGTH, check_character, format_serial, generate_serials,
                      is_valid_serial, parse_serial)
from .services import (CURRENT_PROGRAMME_END, MAMA_HELP, POSTPARTUM_HOUSEWORK, PROGRAMME_START, SERVICE_CODES,
                       check_service_code, programme_end)

__all__ = [
    "ALPHABET", "CURRENT_PROGRAMME_END", "CouponError", "Issue", "LedgerInvariantError", "MAMA_HELP",
    "MAMA_HELP_DAYS", "POSTPARTUM_HOUSEWORK", "PROGRAMME_START", "REVERSAL_WINDOW", "Redeem", "Reversal",
    "SERIAL_LENGTH", "SERVICE_CODES", "SerialError", "balance", "check_character", "check_child_eligible",
    "check_claim", "check_provider_service", "check_redeem", "check_replay", "check_reversal",
    "check_same_child", "check_service_code", "check_usable", "child_eligible", "coupon_valid_until",
    "expiring_within", "find_replay", "first_birthday", "first_use_at", "format_serial", "fourth_month_start",
    "generate_serials", "is_usable", "is_valid_serial", "japan_date", "parse_serial", "programme_end",
]
