"""The console's one search box: FAQ entries, troubleshooting flows, contacts and facilities for a query, each
with what an agent needs on a call (the flow to walk, the number to give and whether it is open now)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

import contacts
from faq import find_flows
from search_index import IndexMissing, SearchQuery, is_open_at

from ..extensions import db
from ..help import content
from ..indexing import get_index
from ..models import Facility
from ..search.params import now_jst

log = logging.getLogger(__name__)

LIMITS = {"faq": 8, "flows": 5, "contacts": 8, "facilities": 8}


@dataclass
class FacilityRow:
    facility: Facility
    name_html: str | None
    open_now: bool | None


@dataclass
class ConsoleResults:
    q: str
    flows: list = field(default_factory=list)
    faq: list = field(default_factory=list)
    contacts: list = field(default_factory=list)        # RouteView
    facilities: list[FacilityRow] = field(default_factory=list)
    facilities_total: int = 0
    index_missing: bool = False

    @property
    def total(self) -> int:
        return len(self.flows) + len(self.faq) + len(self.contacts) + len(self.facilities)


def contact_view(contact) -> content.RouteView:
    """A directory contact as a route: services as the reason, open state now (Japan time)."""
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


def _named_by(hits) -> list:
    """The contacts the matching FAQ entries name (a service code stands for its contacts), in order."""
    d = contacts.directory()
    out = []
    for hit in hits:
        if hit.partial:
            continue
        for cid in hit.entry.contacts:
            named = d.contacts_for(cid) if cid in d.services else [d.contact(cid)] if cid in d.contact_ids() else []
            out += [c for c in named if c not in out]
    return out


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
    """Everything matching ``q`` in the page language."""
    lang = content.lang()
    out = ConsoleResults(q=q)
    if not q:
        return out
    out.flows = find_flows(content.all_flows(), q, lang=lang, limit=LIMITS["flows"])
    out.faq = content.faq_set().search(q, lang=lang, limit=LIMITS["faq"])
    found = contacts.find_contacts(contacts.directory(), q, limit=LIMITS["contacts"])
    found += [c for c in _named_by(out.faq) if c not in found]
    out.contacts = [contact_view(c) for c in found[:LIMITS["contacts"]]]
    _facilities(q, out)
    log.info("console search %r: %d flows, %d faq, %d contacts, %d facilities", q, len(out.flows), len(out.faq),
             len(out.contacts), len(out.facilities))
    return out
