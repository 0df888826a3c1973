"""The facility search as the pages, the map and the API run it: arguments → query → results, and the labels and
URLs of the filters in force. Shared by the search views and the API (which import it, not each other)."""
from __future__ import annotations

import dataclasses
import logging

from flask import abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l

from search_index import IndexMissing

from ..extensions import db
from ..i18n import current_language
from ..indexing import get_index, index_state
from ..models import Facility
from ..web.labels import benefit_name, localized
from .params import parse_search_args
from .rowcache import per_refs

log = logging.getLogger(__name__)


SORT_CHOICES = ("relevance", "kana", "newest", "nearest")


def reference_lists() -> dict:
    """Reference rows for filters and labels, in display order (this process's copies, read-only)."""
    return current_app.extensions["search_rows"].references(db.session, index_state())


def facilities_by_id(external_ids: list[str]) -> dict[str, Facility]:
    """The listed facilities of a result page by external id, with their relationships (this process's
    copies, read-only)."""
    return current_app.extensions["search_rows"].facilities(db.session, index_state(), external_ids)


def municipality_origins(municipalities) -> dict[str, tuple[float, float]]:
    return {m.code: (m.lat, m.lon) for m in municipalities}


def run_search(args, per_page: int | None = None):
    """Parse ``args``, search, and load the facilities of the page (in result order)."""
    refs = reference_lists()
    parsed = parse_search_args(args, db.session, municipality_origins(refs["municipalities"]), refs=refs)
    if per_page:
        parsed.query = dataclasses.replace(parsed.query, per_page=per_page)
    try:
        result = get_index().search(parsed.query)
    except IndexMissing:
        log.error("search index missing: run `flask --app webapp reindex`")
        abort(503)
    rows = facilities_by_id([h.id for h in result.hits])
    items = [(h, rows[h.id]) for h in result.hits if h.id in rows]
    return parsed, result, items, refs


def loosened(parsed, result) -> list[dict]:
    """For an empty result: how many results each single change would give (drop a filter, one word)."""
    q = parsed.query
    index = get_index()
    options = []
    for facet in ("category", "benefit", "amenity", "area", "service", "programme", "nationwide"):
        if getattr(q, facet):
            alt = dataclasses.replace(q, with_facets=False, page=1, **{facet: ()})
            options.append({"drop": facet, "total": index.search(alt).total})
    if q.open_at is not None:
        alt = dataclasses.replace(q, with_facets=False, page=1, open_at=None)
        options.append({"drop": "open_now", "total": index.search(alt).total})
    if len(result.words) > 1:
        for w in result.words:
            alt = dataclasses.replace(q, text=w, with_facets=False, page=1)
            options.append({"word": w, "total": index.search(alt).total})
    return [o for o in options if o["total"]]


FACET_TITLES = {"programme": _l("Programme"), "category": _l("Category"), "benefit": _l("Benefit"),
                "amenity": _l("Amenities"), "area": _l("Area"), "service": _l("Coupon service"),
                "open_now": _l("Open now"), "nationwide": _l("Other prefectures’ passports")}
PROGRAMME_NAMES = {"passport": _l("Passport facilities"), "coupon": _l("Coupon services")}


def facet_labels(refs) -> dict[str, dict[str, str]]:
    """Display names of facet values in the current language (kept with this process's reference rows)."""
    return per_refs(refs, ("facet_labels", current_language()), lambda: _facet_labels(refs))


def _facet_labels(refs) -> dict[str, dict[str, str]]:
    out = {facet: {r.code: localized(r) for r in refs[key]} for facet, key in (
        ("category", "categories"), ("amenity", "amenities"), ("area", "municipalities"), ("service", "services"))}
    out["benefit"] = {b.code: benefit_name(b.code) for b in refs["benefit_kinds"]}
    out["programme"] = {k: str(v) for k, v in PROGRAMME_NAMES.items()}
    out["nationwide"] = {"1": str(_l("Accepts other prefectures’ passports"))}
    return out


def active_filters(parsed, labels: dict[str, dict[str, str]]) -> list[dict]:
    """The filters in force, each with its label (``labels``: :func:`facet_labels`) and the URL that removes
    just it."""
    out = []
    for facet, values in parsed.query.filters().items():
        for v in values:
            label = labels[facet].get(v, v)
            remaining = [x for x in values if x != v]
            out.append({"label": label, "remove_url": modified_url("search.results", page=None, **{facet: remaining or None})})
    if parsed.query.open_at is not None:
        out.append({"label": str(FACET_TITLES["open_now"]), "remove_url": modified_url("search.results", open_now=None, page=None)})
    return out


def understood_filters(result, labels: dict[str, dict[str, str]], endpoint: str = "search.results") -> list[dict]:
    """The filters a sentence was read into, each with its label (``labels``: :func:`facet_labels`) and the URL
    of the same search without it (the sentence's other filters and search words spelled out as ordinary
    parameters)."""
    out = []
    for i, (facet, value, word) in enumerate(result.applied_filters):
        changes: dict = {"q": result.searched_text or None, "page": None}
        for j, (other, other_value, _w) in enumerate(result.applied_filters):
            if j != i:
                changes.setdefault(other, request.args.getlist(other)).append(other_value)
        out.append({"facet": facet, "value": value, "word": word, "label": labels[facet].get(value, value),
                    "remove_url": modified_url(endpoint, **changes)})
    return out


def modified_url(endpoint: str, _external: bool = False, **changes) -> str:
    """The current request's URL for ``endpoint`` with some arguments replaced (a list sets several values,
    None removes)."""
    args = request.args.copy()
    for key, value in changes.items():
        args.poplist(key)
        if value is None:
            continue
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            args.add(key, v)
    return url_for(endpoint, _external=_external, **args.to_dict(flat=False))
