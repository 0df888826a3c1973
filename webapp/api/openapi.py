"""The OpenAPI 3.1 document of the JSON API."""
from __future__ import annotations

from search_index import SORTS

from ..search.params import MAX_PER_PAGE, MAX_QUERY_LENGTH


def _array_param(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description + " Repeatable.",
            "style": "form", "explode": True, "schema": {"type": "array", "items": {"type": "string"}}}


def openapi_document() -> dict:
    error = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "parameter": {"type": "string"},
                       "allowed": {"type": "array", "items": {"type": "string"},
                                   "description": "the codes the parameter accepts, when a value was refused"}}}}}
    facility = {
        "type": "object", "required": ["id", "name", "name_kana", "category", "municipality", "address"],
        "properties": {
            "id": {"type": "string", "description": "施設ID (stable external id)"},
            "programme": {"type": "string", "enum": ["passport", "coupon"]},
            "name": {"type": "string"}, "name_kana": {"type": "string"}, "name_en": {"type": ["string", "null"]},
            "category": {"type": "object"}, "municipality": {"type": "object"},
            "address": {"type": "string"}, "building": {"type": ["string", "null"]},
            "phone": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]},
            "location": {"type": ["object", "null"], "properties": {"lat": {"type": "number"},
                                                                     "lon": {"type": "number"}}},
            "benefits": {"type": "object", "additionalProperties": {"type": "string"}},
            "amenities": {"type": "array", "items": {"type": "string"}},
            "services": {"type": "array", "items": {"type": "string"}},
            "hours": {"type": "object"}, "url_page": {"type": "string"},
            "distance_km": {"type": ["number", "null"]}, "highlight": {"type": "object"},
        }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kosodate Portal API", "version": "1.0.0",
                 "description": "Partner facilities of the Kanagawa child-rearing support passport and the "
                                "Matsumoto child-rearing support coupon services."},
        "paths": {
            "/api/v1/facilities": {"get": {
                "summary": "Search facilities",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
                     "description": "Search words (Japanese or English; kana, width and ヶ/ケ variants match)."},
                    _array_param("category", "Category code, or its name (飲食店) or English name."),
                    _array_param("benefit", "Benefit kind: otoku, kokorokubari, setsubi."),
                    _array_param("amenity", "Amenity code, or its name (授乳室) or English name (Nursing room); "
                                            "all given must be present."),
                    _array_param("area", "Municipality code (全国地方公共団体コード), or its name (鎌倉市, 鎌倉) or "
                                        "English name (Kamakura)."),
                    _array_param("programme", "passport or coupon."),
                    _array_param("service", "Matsumoto coupon service code."),
                    {"name": "open_now", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]}},
                    {"name": "nationwide", "in": "query", "schema": {"type": "string", "enum": ["1"]},
                     "description": "1: only places that accept other prefectures' passports (全国共通展開)."},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
                    {"name": "lat", "in": "query", "schema": {"type": "number", "minimum": -90, "maximum": 90}},
                    {"name": "lon", "in": "query", "schema": {"type": "number", "minimum": -180, "maximum": 180}},
                    {"name": "near", "in": "query", "schema": {"type": "string"},
                     "description": "Municipality code (or name) used as the origin when lat/lon are not given."},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                    {"name": "per_page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20}},
                ],
                "responses": {
                    "200": {"description": "Results", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["total", "page", "per_page", "items", "facets"],
                        "properties": {"total": {"type": "integer"}, "page": {"type": "integer"},
                                       "per_page": {"type": "integer"}, "sort": {"type": "string"},
                                       "relaxed_from": {"type": ["string", "null"], "description":
                                                        "the query as typed when it matched nothing and its "
                                                        "content words (藤沢 授乳室 for 藤沢で授乳室があるところ) "
                                                        "were searched instead"},
                                       "did_you_mean": {"type": ["object", "null"], "description":
                                                        "when the query found few places and names one typo "
                                                        "away from its words found more (マクドナルト): the "
                                                        "corrected query (text), how many results match as "
                                                        "typed (exact_total; they come first) and the URLs of "
                                                        "the corrected search (url, url_page)"},
                                       "understood": {"type": ["object", "null"], "description":
                                                      "when a query typed as a sentence was read into filters "
                                                      "(ベビーカーで入れるレストラン: category=restaurant): the "
                                                      "words still searched for (text), the filters applied "
                                                      "(parameter, value, word, remove_url: the same search "
                                                      "without that filter) and the words left out"},
                                       "items": {"type": "array", "items": {"$ref": "#/components/schemas/Facility"}},
                                       "facets": {"type": "object"}}}}}},
                    "400": {"description": "Invalid parameter",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                }}},
            "/api/v1/facilities/{id}": {"get": {
                "summary": "One facility",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The facility", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Facility"}}}},
                    "404": {"description": "Not found", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}},
                }}},
        },
        "components": {"schemas": {"Facility": facility, "Error": error}},
    }
