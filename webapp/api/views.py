"""JSON API, version 1: facility search and facility details, described by an OpenAPI document."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..facilities.operations import find_facility, is_listed
from ..search.rowcache import per_row
from ..search.service import facet_labels, modified_url, run_search, understood_filters
from ..pagecache import allow_store
from ..search_log import record_zero_result
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ALLOWED_PARAMS = {"q", "category", "benefit", "amenity", "area", "programme", "service", "sort", "lat", "lon",
                  "near", "open_now", "page", "per_page", "nationwide"}


ALLOWED_EXAMPLES = {"area": "鎌倉市 or Kamakura", "near": "鎌倉市 or Kamakura", "category": "飲食店",
                    "amenity": "授乳室 or Nursing room", "benefit": "お得 or Savings"}


def error(status: int, code: str, message: str, parameter: str | None = None, allowed: list[str] | None = None):
    body = {"error": {"code": code, "message": message}}
    if parameter:
        body["error"]["parameter"] = parameter
    if allowed:
        body["error"]["allowed"] = allowed
    return jsonify(body), status


def facility_json(f, hit=None, full: bool = False) -> dict:
    """The API representation of a facility (``full`` adds the detail-only fields, ``hit`` the distance and
    highlights of a search). The part from the facility alone is made once per process copy of it and host."""
    data = dict(per_row(f, ("json", request.host_url), lambda: _facility_fields(f)))
    if hit is not None:
        data["distance_km"] = hit.distance_km
        data["highlight"] = {"name": hit.name_html, "snippet": hit.snippet_html}
    if full:
        data.update({"description": f.description, "notes": f.notes,
                     "registered_on": f.registered_on.isoformat() if f.registered_on else None,
                     "valid_until": f.valid_until.isoformat() if f.valid_until else None})
    return data


def _facility_fields(f) -> dict:
    return {
        "id": f.external_id,
        "programme": f.programme,
        "name": f.name,
        "name_kana": f.name_kana,
        "name_en": f.name_en,
        "category": {"code": f.category_code, "name": f.category.name, "name_en": f.category.name_en},
        "municipality": {"code": f.municipality_code, "name": f.municipality.name,
                         "name_en": f.municipality.name_en},
        "address": f.address,
        "building": f.building,
        "phone": f.phone,
        "url": f.url,
        "location": ({"lat": f.latitude, "lon": f.longitude, "approximate": bool(f.location_approximate)}
                     if f.latitude is not None else None),
        "accepts_other_prefectures": bool(f.accepts_other_prefectures),
        "benefits": {b.kind_code: b.text for b in f.benefits},
        "amenities": [a.code for a in f.amenities],
        "services": [s.code for s in f.services],
        "hours": {"days": f.open_days, "opens": f.opens, "closes": f.closes, "note": f.hours_note},
        "url_page": url_for("search.facility", external_id=f.external_id, _external=True),
    }


@bp.route("/facilities")
def facilities():
    """Search facilities; see /api/v1/openapi.json."""
    unknown = sorted(set(request.args) - ALLOWED_PARAMS)
    if unknown:
        return error(400, "unknown_parameter", f"Unknown parameter: {unknown[0]}", unknown[0])
    parsed, result, items, refs = run_search(request.args)
    if parsed.errors:
        param, message = parsed.errors[0]
        allowed = parsed.allowed.get(param)
        if allowed:
            message = (f"{message} Allowed values: {', '.join(allowed)} "
                       f"(or a value's Japanese or English name, e.g. {ALLOWED_EXAMPLES.get(param, allowed[0])}).")
        return error(400, "invalid_parameter", f"{param}: {message}", param, allowed)
    count_if_empty = partial(record_zero_result, parsed.query.text, result.total, "api", page=parsed.query.page)
    count_if_empty()
    allow_store(on_hit=count_if_empty)  # a search that found nothing is counted every time, even from the cache
    return jsonify({
        "total": result.total,
        "relaxed_from": result.relaxed_from,
        "did_you_mean": ({"text": result.did_you_mean, "exact_total": result.exact_total,
                          "url": modified_url("api.facilities", True, q=result.did_you_mean, page=None),
                          "url_page": modified_url("search.results", True, q=result.did_you_mean, page=None)}
                         if result.did_you_mean else None),
        "understood": ({"text": result.searched_text or "", "ignored_words": result.ignored_words,
                        "filters": [{"parameter": f["facet"], "value": f["value"], "word": f["word"],
                                     "remove_url": f["remove_url"]}
                                    for f in understood_filters(result, facet_labels(refs), "api.facilities")]}
                       if result.applied_filters else None),
        "page": result.page,
        "per_page": result.per_page,
        "sort": parsed.query.sort,
        "items": [facility_json(f, hit) for hit, f in items],
        "facets": {**result.facets, **({"open_now": result.open_now} if result.open_now is not None else {})},
    })


@bp.route("/facilities/<external_id>")
def facility(external_id: str):
    f = find_facility(db.session, external_id)
    if f is None or not is_listed(f):
        return error(404, "not_found", "No such facility.", "id")
    return jsonify(facility_json(f, full=True))


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.errorhandler(HTTPException)
def http_error(e: HTTPException):
    return error(e.code or 500, e.name.lower().replace(" ", "_"), e.description or e.name)
