"""The map of search results: pins for the same search as the list (``/search/pins.json``), the map settings the
templates pass to ``static/js/map.js``, and, in tests only, a local map tile so no test needs the internet."""
from __future__ import annotations

import dataclasses
import logging
import struct
import zlib

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from search_index import IndexMissing

from ..extensions import db
from ..indexing import get_index
from .params import parse_search_args
from ..web.labels import is_english
from .service import facet_labels, facilities_by_id, municipality_origins, reference_lists

log = logging.getLogger(__name__)
bp = Blueprint("map", __name__)


@bp.app_template_global()
def pins_url() -> str:
    """The pins URL for the search on this page (its arguments, without the view and the page)."""
    args = request.args.copy()
    args.poplist("view")
    args.poplist("page")
    return url_for("map.pins", **args.to_dict(flat=False))


@bp.app_template_global()
def map_settings() -> dict:
    """What map.js needs to draw tiles (data attributes of the map element)."""
    cfg = current_app.config
    return {"tile_url": cfg["MAP_TILE_URL"], "attribution": cfg["MAP_TILE_ATTRIBUTION"],
            "max_zoom": cfg["MAP_TILE_MAX_ZOOM"]}


def search_pins(args, limit: int) -> dict:
    """The places of a search (same arguments, same search as the list) that have coordinates, at most
    ``limit`` of them in the list's order."""
    refs = reference_lists()
    parsed = parse_search_args(args, db.session, municipality_origins(refs["municipalities"]), refs=refs)
    query = dataclasses.replace(parsed.query, page=1, per_page=limit, with_facets=False)
    result = get_index().search(query)
    rows = facilities_by_id([h.id for h in result.hits])
    labels = facet_labels(refs)
    categories, municipalities = labels["category"], labels["area"]
    english = is_english()
    pins, unplaced = [], 0
    for h in result.hits:
        r = rows.get(h.id)
        if r is None:
            continue
        if r.latitude is None or r.longitude is None:
            unplaced += 1
            continue
        name = r.name_en if english and r.name_en else r.name
        pins.append({"id": r.external_id, "name": name, "lat": r.latitude, "lon": r.longitude,
                     "approximate": bool(r.location_approximate),
                     "meta": f"{categories.get(r.category_code, '')} · {municipalities.get(r.municipality_code, '')}",
                     "url": url_for("search.facility", external_id=r.external_id)})
    return {"total": result.total, "shown": len(pins), "unplaced": unplaced,
            "truncated": result.total > len(result.hits), "pins": pins,
            "errors": [{"parameter": p, "message": _(m)} for p, m in parsed.errors]}


@bp.route("/search/pins.json")
def pins():
    """Pins for the map view of /search (the same query string)."""
    try:
        data = search_pins(request.args, current_app.config["MAP_MAX_PINS"])
    except IndexMissing:
        abort(503)
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG (the local test tile)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def test_tile(z: int, x: int, y: int):
    """A local map tile for tests (registered only when TESTING): light green, like a park."""
    current_app.config.setdefault("MAP_TEST_TILE_REQUESTS", []).append((z, x, y))
    return Response(_png(256, 256, (220, 236, 214)), mimetype="image/png")


def init_app(app) -> None:
    app.register_blueprint(bp)
    if app.testing:
        app.add_url_rule("/_test/tiles/<int:z>/<int:x>/<int:y>.png", "map_test_tile", test_tile)
