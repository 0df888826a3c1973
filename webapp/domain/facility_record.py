"""A facility as plain data, validated: the one place that decides what a good facility row is.

Used by the CSV importer, the demo loader and (later) the registration form. Validation returns
``(record, errors)`` where errors are ``(field, message)`` pairs; messages are English msgids marked for
translation, translated by whoever shows them."""
from __future__ import annotations

import datetime as dt
from typing import Any
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlparse

import jaconv

from search_index.hours import parse_hhmm

from .fiscal import registration_valid_until
from .phone import PhoneError, normalize_phone


def N_(message: str) -> str:
    """Mark a message for translation without translating it here."""
    return message


WEEKDAYS_JA = "月火水木金土日"
_WEEKDAY_WORDS = {"平日": "01234", "毎日": "0123456", "土日": "56", "週末": "56", "全日": "0123456"}
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
_KANA_OK = re.compile(r"^[\u30A0-\u30FF\u3000\s0-9A-Za-z・ー（）()&＆.\-・]+$")
JAPAN_BOUNDS = (20.0, 46.0, 122.0, 154.0)
MAX_LEN = {"name": 200, "name_kana": 200, "name_en": 200, "address": 300, "building": 200, "url": 500,
           "hours_note": 1000, "description": 2000, "notes": 2000, "benefit": 1000}


@dataclass
class FacilityRecord:
    external_id: str
    name: str
    category: str
    municipality: str
    programme: str = "passport"
    name_kana: str = ""
    name_en: str | None = None
    address: str = ""
    building: str | None = None
    phone: str | None = None
    url: str | None = None
    open_days: str = ""
    opens: str | None = None
    closes: str | None = None
    hours_note: str | None = None
    description: str | None = None
    notes: str | None = None
    benefits: dict[str, str] = field(default_factory=dict)
    amenities: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    registered_on: dt.date | None = None
    valid_until: dt.date | None = None
    status: str = "active"
    accepts_other_prefectures: bool = False  # 全国共通展開


@dataclass(frozen=True)
class Reference:
    """The code lists a record is checked against."""
    categories: dict[str, str]          # code -> Japanese name
    municipalities: dict[str, dict]     # code -> {"name", "facility_eligible", "prefecture"}
    amenities: dict[str, str]           # code -> Japanese name
    benefit_kinds: dict[str, str]       # code -> Japanese name
    services: frozenset[str] = frozenset()

    def category_code(self, value: str) -> str | None:
        v = value.strip()
        if v in self.categories:
            return v
        for code, name in self.categories.items():
            if name == v:
                return code
        return None

    def municipality_code(self, value: str) -> str | None:
        v = unicodedata.normalize("NFKC", value).strip()
        if v in self.municipalities:
            return v
        if len(v) == 5 and v.isdigit():  # five-digit code without the check digit
            for code in self.municipalities:
                if code.startswith(v):
                    return code
        for code, m in self.municipalities.items():
            if v in (m["name"], m.get("prefecture", "") + m["name"]):
                return code
        return None

    def amenity_code(self, value: str) -> str | None:
        v = value.strip()
        if v in self.amenities:
            return v
        for code, name in self.amenities.items():
            if name == v:
                return code
        return None


def _clean(value) -> str | None:
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)) if isinstance(value, str) else str(value)
    s = s.replace("\r\n", "\n").strip()
    return s or None


def _clean_text(value) -> str | None:
    """Trim and drop control characters, but keep the writer's characters (no NFKC: full-width stays)."""
    if value is None:
        return None
    s = "".join(ch for ch in str(value) if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    return s or None


def parse_days(value: str | None) -> str:
    """Weekday digits (Monday=0) from 月火水, 月,火,水, 月曜日・火曜日, 平日, 毎日, 土日 or digits."""
    if not value:
        return ""
    s = unicodedata.normalize("NFKC", value)
    days: set[int] = set()
    for word, ds in _WEEKDAY_WORDS.items():
        if word in s:
            days.update(int(d) for d in ds)
            s = s.replace(word, "")
    s = s.replace("曜日", "").replace("曜", "")
    for ch in s:
        if ch in WEEKDAYS_JA:
            days.add(WEEKDAYS_JA.index(ch))
        elif ch.isdigit() and int(ch) < 7:
            days.add(int(ch))
        elif ch in ",、・ /祝":
            continue
        else:
            raise ValueError(value)
    return "".join(str(d) for d in sorted(days))


def format_days(days: str) -> str:
    return "".join(WEEKDAYS_JA[int(d)] for d in days)


def parse_time(value: str | None) -> str | None:
    """"HH:MM" from 9:00, 09:00, ９：００ or 9時; None for empty. Raises ValueError."""
    s = _clean(value)
    if not s:
        return None
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2})(?::00)?|時(?:(\d{1,2})分)?)", s)
    if not m:
        raise ValueError(value)
    h, mi = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
    out = f"{h:02d}:{mi:02d}"
    parse_hhmm(out)
    return out


def parse_date(value: str | None) -> dt.date | None:
    s = _clean(value)
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
    if not m:
        raise ValueError(value)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on", "はい", "可", "○", "〇", "有", "あり"})
_FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "off", "いいえ", "不可", "×", "無", "なし", "-"})


def parse_flag(value) -> bool:
    """A yes/no cell: 1/0, true/false, yes/no, はい/いいえ, 可/不可, ○/×, あり/なし (empty = no). Raises ValueError."""
    if value is None or isinstance(value, bool):
        return bool(value)
    s = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if s in _TRUE_WORDS:
        return True
    if s in _FALSE_WORDS:
        return False
    raise ValueError(value)


def to_katakana(value: str) -> str:
    """Full-width katakana reading from hiragana, half-width or mixed input."""
    s = unicodedata.normalize("NFKC", value).strip()
    return jaconv.hira2kata(s)


def validate_record(raw: dict, ref: Reference, today: dt.date | None = None) -> tuple[FacilityRecord | None, list]:
    """Check and normalise one facility given as loosely typed values (strings from a CSV or a form).

    Returns ``(record, [])`` or ``(None, [(field, message), ...])``."""
    errors: list[tuple[str, str]] = []
    get = lambda k: raw.get(k)  # noqa: E731

    external_id = _clean(get("external_id")) or ""
    if not external_id:
        errors.append(("external_id", N_("A facility ID is required.")))
    elif not _EXTERNAL_ID.match(external_id):
        errors.append(("external_id", N_("The facility ID may use letters, digits, '-', '_' and '.' (40 at most).")))

    name = _clean_text(get("name"))
    if not name:
        errors.append(("name", N_("The name is required.")))

    for key in ("name", "name_kana", "name_en", "address", "building", "url", "hours_note", "description", "notes"):
        v = get(key)
        if isinstance(v, str) and len(v) > MAX_LEN[key]:
            errors.append((key, N_("This is too long.")))

    kana = _clean(get("name_kana"))
    if kana:
        kana = to_katakana(kana)
        if not _KANA_OK.match(kana):
            errors.append(("name_kana", N_("The reading must be written in kana.")))

    programme = _clean(get("programme")) or "passport"
    if programme not in ("passport", "coupon"):
        errors.append(("programme", N_("Unknown programme.")))
    status = _clean(get("status")) or "active"
    if status not in ("active", "withdrawn"):
        errors.append(("status", N_("Unknown status.")))

    category = ref.category_code(_clean(get("category")) or "その他") or None
    if category is None:
        errors.append(("category", N_("Unknown category.")))

    municipality = None
    mval = _clean(get("municipality"))
    if not mval:
        errors.append(("municipality", N_("The municipality is required.")))
    else:
        municipality = ref.municipality_code(mval)
        if municipality is None:
            errors.append(("municipality", N_("Unknown municipality.")))
        elif programme == "passport" and not ref.municipalities[municipality].get("facility_eligible", True):
            if ref.municipalities[municipality]["name"] == "横浜市":
                errors.append(("municipality", N_("Facilities in Yokohama register with Yokohama's own programme, "
                                                  "Hamahug (ハマハグ), not with the Kanagawa passport.")))
            else:
                errors.append(("municipality", N_("Only facilities in Kanagawa can join the passport programme.")))

    phone = _clean(get("phone"))
    if phone:
        try:
            phone = normalize_phone(phone)
        except PhoneError:
            errors.append(("phone", N_("Enter a Japanese telephone number, for example 0466-12-3456.")))

    url = _clean(get("url"))
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
            errors.append(("url", N_("Enter a web address starting with http:// or https://.")))

    lat: Any = get("lat")
    lon: Any = get("lon")
    lat = _clean(lat) if isinstance(lat, str) else lat
    lon = _clean(lon) if isinstance(lon, str) else lon
    if lat in (None, "") and lon in (None, ""):
        lat = lon = None
    else:
        try:
            lat, lon = float(lat), float(lon)
            if not (JAPAN_BOUNDS[0] <= lat <= JAPAN_BOUNDS[1] and JAPAN_BOUNDS[2] <= lon <= JAPAN_BOUNDS[3]):
                raise ValueError
        except (TypeError, ValueError):
            errors.append(("lat", N_("The coordinates must be a latitude and longitude in Japan.")))
            lat = lon = None

    try:
        open_days = parse_days(_clean(get("open_days")))
    except ValueError:
        errors.append(("open_days", N_("Write the open days as weekdays, for example 月火水木金.")))
        open_days = ""
    opens = closes = None
    try:
        opens = parse_time(get("opens"))
        closes = parse_time(get("closes"))
    except ValueError:
        errors.append(("opens", N_("Write the hours as HH:MM, for example 09:30.")))

    try:
        registered_on = parse_date(get("registered_on"))
    except ValueError:
        errors.append(("registered_on", N_("Write the date as YYYY-MM-DD.")))
        registered_on = None
    registered_on = registered_on or today or dt.date.today()

    benefits: dict[str, str] = {}
    for kind, text in (get("benefits") or {}).items():
        text = _clean_text(text)
        if not text:
            continue
        if kind not in ref.benefit_kinds:
            errors.append(("benefits", N_("Unknown benefit kind.")))
        elif len(text) > MAX_LEN["benefit"]:
            errors.append(("benefits", N_("This is too long.")))
        else:
            benefits[kind] = text

    amenities: list[str] = []
    for a in get("amenities") or []:
        a = _clean(a)
        if not a:
            continue
        code = ref.amenity_code(a)
        if code is None:
            errors.append(("amenities", N_("Unknown amenity.")))
        elif code not in amenities:
            amenities.append(code)

    try:
        accepts_other_prefectures = parse_flag(get("accepts_other_prefectures"))
    except ValueError:
        errors.append(("accepts_other_prefectures", N_("Write yes or no (1 or 0).")))
        accepts_other_prefectures = False

    services = [s for s in (get("services") or []) if s]
    if any(s not in ref.services for s in services):
        errors.append(("services", N_("Unknown coupon service.")))

    if errors:
        return None, errors
    assert name and category and municipality  # each was checked above (an error otherwise)
    return FacilityRecord(
        external_id=external_id, name=name, category=category, municipality=municipality, programme=programme,
        name_kana=kana or "", name_en=_clean_text(get("name_en")), address=_clean_text(get("address")) or "",
        building=_clean_text(get("building")), phone=phone, url=url, open_days=open_days, opens=opens,
        closes=closes, hours_note=_clean_text(get("hours_note")), description=_clean_text(get("description")),
        notes=_clean_text(get("notes")), benefits=benefits, amenities=amenities, services=services, lat=lat,
        lon=lon, registered_on=registered_on,
        # Registrations renew every April 1, so a listed facility is valid to the end of this fiscal year.
        valid_until=registration_valid_until(max(registered_on, today or dt.date.today())),
        status=status, accepts_other_prefectures=accepts_other_prefectures,
    ), []
