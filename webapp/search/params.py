"""Request arguments -> a validated SearchQuery, shared by the search pages and the JSON API.

Errors are ``(parameter, message)`` pairs with English msgids; the API returns them as a 400, the pages
drop the bad value and say so."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from search_index import SORTS, SearchQuery, normalize

from ..domain.facility_record import N_
from ..models import PROGRAMMES, Amenity, BenefitKind, Category, CouponService, Municipality
from ..timeutil import now_jst
from .rowcache import per_refs

MAX_QUERY_LENGTH = 200
MAX_PAGE = 500
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MULTI_PARAMS = {"programme": "programme", "category": "category", "benefit": "benefit", "amenity": "amenity",
                "area": "area", "service": "service", "nationwide": "nationwide"}


# Filters that also accept a value's name (鎌倉市, 鎌倉, Kamakura, 授乳室, Nursing room) instead of its code.
NAMED_FILTERS = {"category": Category, "amenity": Amenity, "area": Municipality, "benefit": BenefitKind,
                 "service": CouponService}
_PLACE_SUFFIXES = ("市", "町", "村")


@dataclass
class ParsedSearch:
    query: SearchQuery
    errors: list[tuple[str, str]] = field(default_factory=list)
    allowed: dict[str, list[str]] = field(default_factory=dict)  # parameter -> its codes, for a value refused
    near: str | None = None           # municipality chosen as the origin for "nearest"
    has_location: bool = False        # lat/lon given by the phone


_CODE_TABLES = {"category": ("categories", Category), "benefit": ("benefit_kinds", BenefitKind),
                "amenity": ("amenities", Amenity), "area": ("municipalities", Municipality),
                "service": ("services", CouponService)}


def valid_codes(session, refs: dict | None = None) -> dict[str, frozenset[str]]:
    """The codes each filter accepts, from the reference tables (or from their rows in ``refs``, as
    :func:`webapp.search.service.reference_lists` gives them, when the caller has them already)."""
    return per_refs(refs, ("codes",), lambda: _valid_codes(session, refs))


def value_names(session, refs: dict | None = None) -> dict[str, dict[str, str]]:
    """For each filter of NAMED_FILTERS: {folded name: code} for the names people may pass instead of a code
    (name, English name, reading; a municipality also without 市/町/村). A name two values share is left out.
    Reads the reference tables, or their rows in ``refs`` when given (as for :func:`valid_codes`)."""
    return per_refs(refs, ("names",), lambda: _value_names(session, refs))


def _valid_codes(session, refs: dict | None = None) -> dict[str, frozenset[str]]:
    codes = {"programme": frozenset(PROGRAMMES), "nationwide": frozenset({"1"})}
    for facet, (key, model) in _CODE_TABLES.items():
        codes[facet] = (frozenset(r.code for r in refs[key]) if refs is not None
                        else frozenset(session.scalars(select(model.code))))
    return codes


def _value_names(session, refs: dict | None = None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for facet, model in NAMED_FILTERS.items():
        names: dict[str, str | None] = {}
        rows = refs[_CODE_TABLES[facet][0]] if refs is not None else session.scalars(select(model))
        for row in rows:
            forms = {row.name, row.name_en, getattr(row, "kana", None)}
            if facet == "area" and row.name.endswith(_PLACE_SUFFIXES) and len(row.name) > 2:
                forms.add(row.name[:-1])
            for form in filter(None, forms):
                key = normalize(form)
                if key and names.get(key, row.code) != row.code:
                    names[key] = None  # ambiguous
                elif key:
                    names[key] = row.code
        out[facet] = {k: v for k, v in names.items() if v is not None}
    return out


def _int(args: MultiDict, name: str, default: int, low: int, high: int, errors: list) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.append((name, N_("Must be a whole number.")))
        return default
    if not low <= value <= high:
        errors.append((name, N_("Out of range.")))
        return default
    return value


def _float(args: MultiDict, name: str, low: float, high: float, errors: list) -> float | None:
    raw = args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        errors.append((name, N_("Must be a number.")))
        return None
    if not math.isfinite(value) or not low <= value <= high:
        errors.append((name, N_("Out of range.")))
        return None
    return value


def parse_search_args(args: MultiDict, session, municipalities: dict[str, tuple[float, float]] | None = None,
                      default_sort: str | None = None, now: dt.datetime | None = None,
                      refs: dict | None = None) -> ParsedSearch:
    """Validate search arguments. ``municipalities`` maps codes to (lat, lon) for the "near" origin; ``refs``
    (reference rows the caller has loaded) saves reading the accepted codes again."""
    errors: list[tuple[str, str]] = []
    text = (args.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        errors.append(("q", N_("The search words are too long.")))
        text = text[:MAX_QUERY_LENGTH]
    if "\x00" in text:
        errors.append(("q", N_("The search words contain invalid characters.")))
        text = text.replace("\x00", "")

    codes = valid_codes(session, refs)
    names = value_names(session, refs) if any(args.getlist(p) for p in (*NAMED_FILTERS, "near")) else {}
    allowed: dict[str, list[str]] = {}
    filters: dict[str, tuple[str, ...]] = {}
    for param, facet in MULTI_PARAMS.items():
        values = []
        for raw in args.getlist(param):
            for v in raw.split(","):
                v = v.strip()
                if not v:
                    continue
                if v not in codes[facet]:
                    v = names.get(facet, {}).get(normalize(v), v)
                if v not in codes[facet]:
                    errors.append((param, N_("Unknown value.")))
                    allowed[param] = sorted(codes[facet])
                elif v not in values:
                    values.append(v)
        filters[facet] = tuple(values)

    lat = _float(args, "lat", -90, 90, errors)
    lon = _float(args, "lon", -180, 180, errors)
    if (lat is None) != (lon is None):
        errors.append(("lat" if lat is None else "lon", N_("Give both lat and lon.")))
        lat = lon = None
    origin = (lat, lon) if lat is not None else None
    near = args.get("near") or None
    if near is not None and municipalities is not None and near not in municipalities:
        near = names.get("area", {}).get(normalize(near), near)
    if near is not None:
        if municipalities is None or near not in municipalities:
            errors.append(("near", N_("Unknown value.")))
            allowed["near"] = sorted(municipalities or ())
            near = None
        elif origin is None:
            origin = municipalities[near]

    sort = args.get("sort") or default_sort or ("relevance" if text else ("nearest" if origin else "kana"))
    if sort not in SORTS:
        errors.append(("sort", N_("Unknown sort order.")))
        sort = "relevance" if text else "kana"
    if sort == "nearest" and origin is None:
        if len(filters["area"]) == 1 and municipalities and filters["area"][0] in municipalities:
            origin = municipalities[filters["area"][0]]
        else:
            errors.append(("sort", N_("Sorting by distance needs your location or a chosen area.")))
            sort = "relevance" if text else "kana"
    if sort == "relevance" and not text:
        sort = "kana"

    open_now = args.get("open_now") in ("1", "true", "on")
    if args.get("open_now") not in (None, "", "0", "1", "true", "false", "on"):
        errors.append(("open_now", N_("Unknown value.")))
    page = _int(args, "page", 1, 1, MAX_PAGE, errors)
    per_page = _int(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors)
    now = now or now_jst()
    query = SearchQuery(text=text, open_at=now if open_now else None, now=now, sort=sort, origin=origin,
                        page=page, per_page=per_page, **filters)
    return ParsedSearch(query=query, errors=errors, allowed=allowed, near=near, has_location=lat is not None)
