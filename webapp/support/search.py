"""The console's one search box: FAQ entries, troubleshooting flows and contacts ranked together by
:class:`faq.desk.DeskIndex` (what callers say: 「QRが読めない」, 「病児保育の電話番号」), then facilities; each result
with what an agent needs on a call (the flow to walk, the number to give, its hours and whether it is open now)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

import contacts
from faq.desk import DeskIndex
from search_index import IndexMissing, SearchQuery, is_open_at

from ..extensions import db
from ..help import content
from ..indexing import get_index
from ..models import Facility
from ..timeutil import now_jst

log = logging.getLogger(__name__)

LIMITS = {"flow": 5, "faq": 8, "contact": 8, "facilities": 8}


@dataclass
class FacilityRow:
    facility: Facility
    name_html: str | None
    open_now: bool | None


@dataclass
class ResultRow:
    """A flow or an FAQ entry found, with the contacts it names (RouteViews: number, hours, open now)."""

    kind: str
    item: object                     # a Flow, or an FaqHit
    calls: list = field(default_factory=list)


@dataclass
class ConsoleResults:
    q: str
    flows: list[ResultRow] = field(default_factory=list)
    faq: list[ResultRow] = field(default_factory=list)
    contacts: list = field(default_factory=list)        # RouteView
    sections: list[str] = field(default_factory=list)   # "flow", "faq", "contact": best match first
    facilities: list[FacilityRow] = field(default_factory=list)
    facilities_total: int = 0
    index_missing: bool = False

    @property
    def total(self) -> int:
        return len(self.flows) + len(self.faq) + len(self.contacts) + len(self.facilities)


@lru_cache(maxsize=1)
def desk() -> DeskIndex:
    """The help desk index over the FAQ, the flows and the contact directory, built once per process."""
    return DeskIndex(content.faq_set(), content.all_flows(), contacts.directory())


def contact_view(contact) -> content.RouteView:
    """A directory contact as a route: services as the reason, hours and open state now (Japan time)."""
    en = content.lang() == "en"
    at = content.now_japan()
    d = contacts.directory()
    names = [(d.services[c].name_en if en else d.services[c].name) for c in contact.services if c in d.services]
    why = (contact.description_en if en else contact.description) if contact.kind == "support_center" \
        else " / ".join(names)
    open_now = contact.is_open(at)
    nxt = contact.hours.next_open(at) if open_now is False else None
    return content.RouteView(contact_id=contact.id, kind=contact.kind, name=contact.display_name(content.lang()),
                             phone=contact.phone, tel=contact.tel, why=why or "", open_now=open_now,
                             next_open=content.format_when(nxt) if nxt else None,
                             hours=contact.hours.describe(content.lang()) if contact.hours else None,
                             address=contact.address)


def _calls(ids) -> list:
    d = contacts.directory()
    return [contact_view(d.contact(cid)) for cid in ids]


def _facilities(q: str, out: ConsoleResults) -> None:
    now = now_jst()
    try:
        result = get_index().search(SearchQuery(text=q, per_page=LIMITS["facilities"], with_facets=False,
                                                now=now))
    except IndexMissing:
        log.error("console search: the search index is missing")
        out.index_missing = True
        return
    ids = [h.id for h in result.hits]
    rows = {f.external_id: f for f in db.session.scalars(select(Facility).where(Facility.external_id.in_(ids)))}
    minute = now.hour * 60 + now.minute
    for h in result.hits:
        f = rows.get(h.id)
        if f is None:
            continue
        state = is_open_at(f.open_days, f.opens, f.closes, now.weekday(), minute) if f.opens and f.closes else None
        out.facilities.append(FacilityRow(f, h.name_html, state))
    out.facilities_total = result.total


def console_search(q: str) -> ConsoleResults:
    """Everything matching ``q`` in the page language; ``sections`` in the order of their best match."""
    lang = content.lang()
    out = ConsoleResults(q=q)
    if not q:
        return out
    flows, faq = content.all_flows(), content.faq_set()
    d = contacts.directory()
    for m in desk().search(q, lang=lang):
        if m.kind == "flow" and len(out.flows) < LIMITS["flow"]:
            out.flows.append(ResultRow("flow", flows[m.id], _calls(m.names)))
        elif m.kind == "faq" and len(out.faq) < LIMITS["faq"]:
            out.faq.append(ResultRow("faq", faq.hit(m.id, m.marks, lang, m.score), _calls(m.names)))
        elif m.kind == "contact" and len(out.contacts) < LIMITS["contact"]:
            out.contacts.append(contact_view(d.contact(m.id)))
        else:
            continue
        if m.kind not in out.sections:
            out.sections.append(m.kind)
    _facilities(q, out)
    log.info("console search %r: sections %s, %d flows, %d faq, %d contacts, %d facilities", q, out.sections,
             len(out.flows), len(out.faq), len(out.contacts), len(out.facilities))
    return out
