"""Japanese telephone numbers: validation and normalisation to the usual hyphenated form."""
from __future__ import annotations

import re
import unicodedata

# Area-code lengths for the fixed-line numbers we meet (Kanagawa, Nagano) and the mobile/IP/toll-free
# prefixes; other 10-digit numbers fall back to a 2-4-4 split only when they start with 03/06.
_MOBILE = ("070", "080", "090", "050")
_AREA_CODES = sorted([
    "044", "042", "045", "046", "0463", "0465", "0466", "0467", "0460", "0468", "046", "0263", "026", "0261",
    "0265", "0266", "0267", "0268", "0269", "0264", "03", "06", "011", "022", "052", "075", "078", "092",
], key=len, reverse=True)
_DIGITS = re.compile(r"\d+")


class PhoneError(ValueError):
    pass


def normalize_phone(value: str) -> str:
    """Return ``value`` as a hyphenated Japanese number (0466-12-3456, 090-1234-5678, 0120-123-456).

    Accepts full-width digits, spaces, dots, parentheses and hyphens of any kind. Raises PhoneError."""
    s = unicodedata.normalize("NFKC", value or "").strip()
    s = re.sub(r"[\s().‐‑–—−ー-]", "", s)
    if s.startswith("+81"):
        s = "0" + s[3:]
    if not s.isdigit():
        raise PhoneError("not a telephone number")
    if s.startswith(("0120", "0800")):
        if len(s) != 10 and not (s.startswith("0800") and len(s) == 11):
            raise PhoneError("toll-free numbers have 10 digits")
        return f"{s[:4]}-{s[4:7]}-{s[7:]}"
    if s.startswith(_MOBILE):
        if len(s) != 11:
            raise PhoneError("mobile numbers have 11 digits")
        return f"{s[:3]}-{s[3:7]}-{s[7:]}"
    if len(s) != 10 or not s.startswith("0") or s[1] == "0":
        raise PhoneError("fixed-line numbers have 10 digits and start with 0")
    for code in _AREA_CODES:
        if s.startswith(code):
            local = s[len(code):]
            return f"{code}-{local[:-4]}-{local[-4:]}"
    # Unknown area code: keep the digits as typed, if they were hyphenated, else a common 3-3-4 split.
    parts = _DIGITS.findall(unicodedata.normalize("NFKC", value))
    if len(parts) == 3 and "".join(parts) == s:
        return "-".join(parts)
    return f"{s[:3]}-{s[3:6]}-{s[6:]}"
