"""The Whoosh schema and the conversion of a plain facility document (a dict) into index fields."""
from __future__ import annotations

import datetime as dt

from whoosh import fields, formats
from whoosh.columns import NumericColumn, VarBytesColumn

from .analysis import compact, ngram_analyzer, ngrams, normalize, prefixes, short_vowels
from .readings import reading

FACET_FIELDS = ("programme", "category", "area", "benefit", "amenity", "service", "nationwide")
TEXT_FIELDS = ("name_ng", "body_ng")
NO_VALUE = -1


class NgramField(fields.FieldType):
    """A text field indexed as the distinct 1..3-grams of its folded words, doc ids only (Existence: no
    frequencies or positions, the smallest and fastest postings to read).

    :meth:`index` gives the terms straight from :func:`~search_index.analysis.ngrams`, what the analyser's
    token stream would give one token object at a time (the analyser stays for Whoosh's query side)."""

    def index(self, value, **kwargs):
        return [(gram.encode("utf-8"), 1, 1.0, b"") for gram in ngrams(value)]


def _ngram_field() -> fields.FieldType:
    # scorable=True only so the field has a length column: without one, Whoosh 2.7 checks the file system
    # for that column once per posting while writing (a stat() per posting, most of the build time).
    return NgramField(formats.Existence(), ngram_analyzer(), scorable=True, stored=False)


def _facet_field() -> fields.FieldType:
    return fields.KEYWORD(stored=False, commas=True, scorable=True, lowercase=False)


def _int_column() -> fields.COLUMN:
    return fields.COLUMN(NumericColumn("i", default=NO_VALUE))


def _float_column() -> fields.COLUMN:
    return fields.COLUMN(NumericColumn("d", default=float("nan")))


def build_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        name_ng=_ngram_field(),
        body_ng=_ngram_field(),
        name_key=fields.ID(),
        name_prefix=fields.KEYWORD(commas=True, lowercase=False, scorable=True),
        programme=_facet_field(),
        category=_facet_field(),
        area=_facet_field(),
        benefit=_facet_field(),
        amenity=_facet_field(),
        service=_facet_field(),
        nationwide=_facet_field(),  # "1": accepts other prefectures' passports (全国共通展開)
        kana_key=fields.COLUMN(VarBytesColumn()),
        lat=_float_column(),
        lon=_float_column(),
        reg=_int_column(),
        days=_int_column(),
        opens=_int_column(),
        closes=_int_column(),
        # Stored (not indexed) texts for highlighted snippets.
        s_name=fields.STORED(),
        s_kana=fields.STORED(),
        s_name_en=fields.STORED(),
        s_address=fields.STORED(),
        s_body=fields.STORED(),
    )


def _minutes(hhmm: str | None) -> int:
    if not hhmm:
        return NO_VALUE
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _join(values) -> str:
    return ",".join(v for v in values if v)


def to_fields(doc: dict) -> dict:
    """Index fields for one facility document.

    ``doc`` keys: id, programme, name, name_kana, name_en, category, area (municipality code), benefits (kinds),
    amenities (codes), services (codes), address, body (benefit texts, description, notes), kana (sort key), lat, lon, registered_on (date),
    open_days (weekday digits, Monday=0), opens/closes ("HH:MM")."""
    names = [x for x in (doc.get("name"), doc.get("name_kana"), doc.get("name_en")) if x]
    # A name of several words is also indexed without its spaces, so a query typed in one go
    # (美容室はなみずき, かいせんまるちがさき) finds 美容室 はなみずき.
    joined = [compact(x) for x in names if len(normalize(x).split()) > 1]
    # Kana readings of kanji, so a query typed in kana finds names and places written in kanji: the whole name,
    # and the proper names (places) in the address and texts.
    name_reading = reading(doc.get("name"))
    readings = [compact(x) for x in (doc.get("name_kana"), name_reading) if x]
    # Readings with long vowels short (シヨナン for ショウナン), met by romaji typed as shonan, shōnan, shounan.
    shortened = list(dict.fromkeys(s for s in map(short_vowels, readings) if s not in readings))
    name_text = " ".join(names + joined + ([name_reading, compact(name_reading)] if name_reading else [])
                         + shortened)
    body = " ".join(x for x in (doc.get("address"), doc.get("body")) if x)
    places = reading(body, proper_nouns_only=True)
    short_places = " ".join(w for w in (short_vowels(normalize(p)) for p in places.split()) if w not in places)
    body = " ".join(x for x in (body, places, short_places) if x)
    reg = doc.get("registered_on")
    days_mask = 0
    for d in doc.get("open_days") or "":
        days_mask |= 1 << int(d)
    kana = doc.get("kana") or doc.get("name_kana") or doc.get("name") or ""
    lat, lon = doc.get("lat"), doc.get("lon")
    return {
        "id": doc["id"],
        "name_ng": name_text,
        "body_ng": body,
        "name_key": compact(doc.get("name") or ""),
        "name_prefix": _join(set(prefixes(doc.get("name") or "")) | set(prefixes(doc.get("name_kana") or ""))
                             | set(prefixes(doc.get("name_en") or ""))),
        "programme": doc.get("programme") or "",
        "category": doc.get("category") or "",
        "area": doc.get("area") or "",
        "benefit": _join(doc.get("benefits") or ()),
        "amenity": _join(doc.get("amenities") or ()),
        "service": _join(doc.get("services") or ()),
        "nationwide": "1" if doc.get("nationwide") else "",
        "kana_key": compact(kana).encode("utf-8"),
        "lat": float(lat) if lat is not None else float("nan"),
        "lon": float(lon) if lon is not None else float("nan"),
        "reg": reg.toordinal() if isinstance(reg, dt.date) else NO_VALUE,
        "days": days_mask,
        "opens": _minutes(doc.get("opens")),
        "closes": _minutes(doc.get("closes")),
        "s_name": doc.get("name") or "",
        "s_kana": doc.get("name_kana") or "",
        "s_name_en": doc.get("name_en") or "",
        "s_address": doc.get("address") or "",
        "s_body": doc.get("body") or "",
    }
