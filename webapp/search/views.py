"""Public search pages: top page, results with filters and sorting, facility detail, coupon services."""
from __future__ import annotations

import dataclasses
import logging

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from search_index import IndexMissing, SearchQuery, is_open_at

from ..extensions import db
from ..models import Amenity, BenefitKind, Category, CouponService, Facility, Municipality
from ..facilities.operations import find_facility, is_listed
from ..indexing import get_index
from ..search_log import record_zero_result
from ..web.labels import benefit_name, localized
from .params import now_jst, parse_search_args

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)

SORT_CHOICES = ("relevance", "kana", "newest", "nearest")


def reference_lists() -> dict:
    """Reference rows for filters and labels, in display order."""
    return {
        "categories": db.session.scalars(select(Category).order_by(Category.sort_order)).all(),
        "municipalities": db.session.scalars(select(Municipality).order_by(Municipality.sort_order)).all(),
        "amenities": db.session.scalars(select(Amenity).order_by(Amenity.sort_order)).all(),
        "benefit_kinds": db.session.scalars(select(BenefitKind).order_by(BenefitKind.sort_order)).all(),
        "services": db.session.scalars(select(CouponService).order_by(CouponService.sort_order)).all(),
    }


def municipality_origins(municipalities) -> dict[str, tuple[float, float]]:
    return {m.code: (m.lat, m.lon) for m in municipalities}


def run_search(args, per_page: int | None = None):
    """Parse ``args``, search, and load the facilities of the page (in result order)."""
    refs = reference_lists()
    parsed = parse_search_args(args, db.session, municipality_origins(refs["municipalities"]))
    if per_page:
        parsed.query = dataclasses.replace(parsed.query, per_page=per_page)
    try:
        result = get_index().search(parsed.query)
    except IndexMissing:
        log.error("search index missing: run `flask --app webapp reindex`")
        abort(503)
    ids = [h.id for h in result.hits]
    rows = {f.external_id: f for f in db.session.scalars(select(Facility).where(Facility.external_id.in_(ids)))}
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


@bp.route("/")
def index():
    """Top page: search box, category tiles, areas, popular amenities."""
    refs = reference_lists()
    try:
        counts = get_index().search(SearchQuery(per_page=1, now=now_jst())).facets
    except IndexMissing:
        counts = {}
    return render_template("search/index.html", counts=counts, **refs)


@bp.route("/search")
def results():
    """Search results with filters, facet counts and sort orders (also the empty-result help)."""
    parsed, result, items, refs = run_search(request.args)
    record_zero_result(parsed.query.text, result.total, "web", page=parsed.query.page)
    suggestions = loosened(parsed, result) if result.total == 0 else []
    now = parsed.query.now
    open_now = {f.external_id: is_open_at(f.open_days, f.opens, f.closes, now.weekday(), now.hour * 60 + now.minute)
                for _, f in items}
    quoted = lambda ws: _(", ").join(_("“%(word)s”", word=w) for w in ws)  # noqa: E731
    return render_template("search/results.html", parsed=parsed, q=parsed.query, result=result, items=items,
                           relaxed_words=quoted(result.searched_as), ignored_words=quoted(result.ignored_words),
                           did_you_mean_url=(modify_query(q=result.did_you_mean, page=None)
                                             if result.did_you_mean else None),
                           understood=understood_filters(result, refs),
                           suggestions=suggestions, open_now=open_now, sort_choices=SORT_CHOICES,
                           active_filters=active_filters(parsed, refs), labels=facet_labels(refs), **refs)


FACET_TITLES = {"programme": _l("Programme"), "category": _l("Category"), "benefit": _l("Benefit"),
                "amenity": _l("Amenities"), "area": _l("Area"), "service": _l("Coupon service"),
                "open_now": _l("Open now"), "nationwide": _l("Other prefectures’ passports")}
PROGRAMME_NAMES = {"passport": _l("Passport facilities"), "coupon": _l("Coupon services")}


def facet_labels(refs) -> dict[str, dict[str, str]]:
    """Display names of facet values in the current language."""
    out = {facet: {r.code: localized(r) for r in refs[key]} for facet, key in (
        ("category", "categories"), ("amenity", "amenities"), ("area", "municipalities"), ("service", "services"))}
    out["benefit"] = {b.code: benefit_name(b.code) for b in refs["benefit_kinds"]}
    out["programme"] = {k: str(v) for k, v in PROGRAMME_NAMES.items()}
    out["nationwide"] = {"1": str(_l("Accepts other prefectures’ passports"))}
    return out


def active_filters(parsed, refs) -> list[dict]:
    """The filters in force, each with its label and the URL that removes just it."""
    labels = facet_labels(refs)
    out = []
    for facet, values in parsed.query.filters().items():
        for v in values:
            label = labels[facet].get(v, v)
            remaining = [x for x in values if x != v]
            out.append({"label": label, "remove_url": modify_query(page=None, **{facet: remaining or None})})
    if parsed.query.open_at is not None:
        out.append({"label": str(FACET_TITLES["open_now"]), "remove_url": modify_query(open_now=None, page=None)})
    return out


def understood_filters(result, refs, endpoint: str = "search.results") -> list[dict]:
    """The filters a sentence was read into, each with its label and the URL of the same search without it
    (the sentence's other filters and search words spelled out as ordinary parameters)."""
    labels = facet_labels(refs)
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


@bp.app_template_global()
def modify_query(**changes) -> str:
    """The current search URL with some arguments replaced (a list sets several values, None removes)."""
    return modified_url("search.results", **changes)


@bp.app_template_global()
def facet_title(facet: str) -> str:
    return str(FACET_TITLES.get(facet, facet))


@bp.app_template_filter("facet_option")
def facet_option(obj) -> tuple[str, str]:
    return obj.code, localized(obj)


@bp.route("/facilities/<external_id>")
def facility(external_id: str):
    """A facility's page: benefits by kind, amenities, hours, phone, map link."""
    f = find_facility(db.session, external_id)
    if f is None or not is_listed(f):
        abort(404)
    now = now_jst()
    is_open = is_open_at(f.open_days, f.opens, f.closes, now.weekday(), now.hour * 60 + now.minute) \
        if f.opens and f.closes else None
    kinds = db.session.scalars(select(BenefitKind).order_by(BenefitKind.sort_order)).all()
    return render_template("search/facility.html", f=f, is_open=is_open, benefit_kinds=kinds, back_url=back_url())


def back_url() -> str:
    """The search page the visitor came from (same site only), else the top page."""
    ref = request.referrer or ""
    root = request.host_url.rstrip("/")
    if ref.startswith(root + url_for("search.results")):
        return ref[len(root):]
    return url_for("search.index")


@bp.route("/services")
def services():
    """The eight Matsumoto coupon services and where to ask about each."""
    rows = db.session.scalars(select(CouponService).order_by(CouponService.sort_order)).all()
    return render_template("search/services.html", services=rows)

