"""E-mail address checks: syntax (email-validator), Japanese carriers' legacy addresses, look-alike domains."""
from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from ..domain.facility_record import N_

# Japanese mobile carriers long allowed addresses that break RFC 5322 (taro..yamada@, taro.@); people still
# have them, and the carriers' mail servers accept them.
CARRIER_DOMAINS = frozenset({"docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp",
                             "disney.ne.jp", "ymobile.ne.jp", "y-mobile.ne.jp"})
POPULAR_DOMAINS = CARRIER_DOMAINS | {"gmail.com", "yahoo.co.jp", "icloud.com", "outlook.jp", "outlook.com",
                                     "hotmail.com", "hotmail.co.jp", "me.com", "nifty.com", "ybb.ne.jp"}
_LEGACY_LOCAL = re.compile(r"^[A-Za-z0-9._\-+/?]{1,64}$")


class EmailError(ValueError):
    def __init__(self, message: str, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def normalize_email(raw: str, check_deliverability: bool = False) -> str:
    """The address to store (NFKC, trimmed, lower case) or EmailError with a message for the user."""
    value = unicodedata.normalize("NFKC", raw or "").strip()
    if not value:
        raise EmailError(N_("Enter your e-mail address."))
    if len(value) > 254:
        raise EmailError(N_("This e-mail address is too long."))
    if value.count("@") != 1:
        raise EmailError(N_("Enter an e-mail address like taro@example.jp.")) from None
    local, domain = value.rsplit("@", 1)
    domain = domain.lower().rstrip(".")
    if not domain.isascii():
        raise EmailError(N_("Use an address whose domain is written in ASCII letters."))
    for known in POPULAR_DOMAINS:
        # short domains (au.com, me.com) have too many real neighbours to guess a typo
        if len(known) >= 8 and domain not in POPULAR_DOMAINS and _distance(domain, known) <= 2:
            raise EmailError(N_("Check the domain: did you mean %(domain)s?"), suggestion=known)
    if domain in CARRIER_DOMAINS and _LEGACY_LOCAL.match(local):
        return f"{local.lower()}@{domain}"
    try:
        info = validate_email(f"{local}@{domain}", check_deliverability=check_deliverability,
                              allow_smtputf8=False)
    except EmailNotValidError:
        raise EmailError(N_("Enter an e-mail address like taro@example.jp.")) from None
    return info.normalized.lower()
