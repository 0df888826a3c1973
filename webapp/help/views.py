"""Public help pages (/help): FAQ search and browsing, one page per entry, troubleshooting flows walked by URL
(``?path=a,b,c``: every choice is a link, so no JavaScript is needed and a walk can be shared), and the
お問い合わせ page that routes a question to the right department(s) and the support center."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, render_template, request

from faq import find_flows

from . import content

log = logging.getLogger(__name__)
bp = Blueprint("help", __name__, url_prefix="/help")

MAX_QUERY = 200


def _filters(faq) -> tuple[str, str | None, str | None]:
    """The search text, programme and category from the query string (unknown values are ignored)."""
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    programme = request.args.get("programme")
    programme = programme if programme in content.PROGRAMME_FILTERS else None
    category = request.args.get("category")
    category = category if category in {code for code, _ in faq.categories()} else None
    return q, programme, category


@bp.route("/")
def index():
    """Search the FAQ (and the flows), or browse it by category and programme."""
    faq, lang = content.faq_set(), content.lang()
    q, programme, category = _filters(faq)
    hits, flows, groups = [], [], []
    if q:
        hits = faq.search(q, lang=lang, programme=programme, limit=30)
        flows = [f for f in find_flows(content.all_flows(), q, lang=lang, limit=5)
                 if programme is None or f.programme in (programme, "common")]
        log.info("help search %r (%s): %d entries, %d flows", q, lang, len(hits), len(flows))
    else:
        for code, label in faq.categories(lang):
            entries = faq.entries(programme=programme, category=code)
            if entries and category in (None, code):
                groups.append((code, label, entries))
    return render_template("help/index.html", q=q, programme=programme, category=category, hits=hits,
                           flows=flows, groups=groups, categories=faq.categories(lang), lang=lang,
                           all_flows=content.all_flows())


@bp.route("/faq/<entry_id>")
def entry(entry_id: str):
    """One question and its answer, with the flow that walks through the problem and whom to call."""
    faq, lang = content.faq_set(), content.lang()
    e = faq.get(entry_id)
    if e is None:
        abort(404)
    related = [x for x in faq.entries(category=e.category) if x.id != e.id][:6]
    return render_template("help/entry.html", e=e, lang=lang, answer=content.answer_html(e.a(lang)),
                           category_label=faq.category_label(e.category, lang),
                           flow=content.all_flows().get(e.flow) if e.flow else None,
                           routes=content.entry_routes(e), related=related)


@bp.route("/flows")
def flows():
    """Every troubleshooting flow."""
    return render_template("help/flows.html", flows=list(content.all_flows().values()), lang=content.lang())


@bp.route("/flows/<flow_id>")
def flow(flow_id: str):
    """Walk a flow: the URL's ``path`` holds the answers so far; a path that no longer fits is explained and
    the walk continues from the last step it reached."""
    page = content.flow_page(flow_id)
    if page is None:
        abort(404)
    return render_template("help/flow.html", **page)


@bp.route("/contact")
def contact():
    """お問い合わせ: choose what the question is about, get whom to call (open now or when they open)."""
    topic = request.args.get("topic") or None
    routes = content.routes_for_topic(topic) if topic else None
    unknown = topic is not None and routes is None
    faq, lang = content.faq_set(), content.lang()
    passport_entries = faq.entries(programme="passport", category="passport") if topic == "passport" else []
    topics = content.contact_topics()
    return render_template("help/contact.html", topic=None if unknown else topic, unknown=unknown,
                           routes=routes, topics=topics, topic_label=dict(topics).get(topic),
                           center=content.support_center_view(), passport_entries=passport_entries,
                           lang=lang), (404 if unknown else 200)


from . import nationwide  # noqa: E402,F401  (the 全国共通展開 pages, on this blueprint)
