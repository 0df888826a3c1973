"""Public search pages: top page, results with filters and sorting, facility detail, coupon services."""
from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from search_index import IndexMissing, SearchQuery, is_open_at

from ..extensions import db
from ..models import BenefitKind, CouponService
from ..facilities.operations import find_facility, is_listed
from ..indexing import get_index
from ..pagecache import allow_store
from ..search_log import record_zero_result
from ..timeutil import now_jst
from .cards import card_parts
from .service import (active_filters, facet_labels, loosened, modified_url, reference_lists, run_search,
                      understood_filters, FACET_TITLES, SORT_CHOICES)

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)
bp.add_app_template_global(card_parts)

@bp.route("/")
def index():
    """Top page: search box, category tiles, areas, popular amenities."""
    refs = reference_lists()
    try:
        counts = get_index().search(SearchQuery(per_page=1, now=now_jst())).facets
        allow_store()
    except IndexMissing:
        counts = {}
    return render_template("search/index.html", counts=counts, **refs)


@bp.route("/search")
def results():
    """Search results with filters, facet counts and sort orders (also the empty-result help)."""
    parsed, result, items, refs = run_search(request.args)
    labels = facet_labels(refs)
    count_if_empty = partial(record_zero_result, parsed.query.text, result.total, "web", page=parsed.query.page)
    count_if_empty()
    allow_store(on_hit=count_if_empty)  # a search that found nothing is counted every time, even from the cache
    suggestions = loosened(parsed, result) if result.total == 0 else []
    quoted = lambda ws: _(", ").join(_("“%(word)s”", word=w) for w in ws)  # noqa: E731
    return render_template("search/results.html", parsed=parsed, q=parsed.query, result=result, items=items,
                           relaxed_words=quoted(result.searched_as), ignored_words=quoted(result.ignored_words),
                           did_you_mean_url=(modify_query(q=result.did_you_mean, page=None)
                                             if result.did_you_mean else None),
                           understood=understood_filters(result, labels),
                           suggestions=suggestions, sort_choices=SORT_CHOICES,
                           active_filters=active_filters(parsed, labels), labels=labels)


@bp.app_template_global()
def modify_query(**changes) -> str:
    """The current search URL with some arguments replaced (a list sets several values, None removes)."""
    return modified_url("search.results", **changes)


@bp.app_template_global()
def facet_title(facet: str) -> str:
    return str(FACET_TITLES.get(facet, facet))


@bp.app_template_global()
def facet_rows(labels: dict[str, str], counts: dict[str, int], selected) -> list[tuple[str, str, int, bool]]:
    """(code, label, count, chosen) of the values of a facet that would find something or are chosen, in the
    order of ``labels`` (:func:`facet_labels`, display order)."""
    return [(code, label, counts.get(code, 0), code in selected) for code, label in labels.items()
            if code in selected or counts.get(code)]


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

