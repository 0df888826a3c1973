"""Help content for the web: the FAQ, the troubleshooting flows and the contacts directory loaded once per
process, plus the view models the public help pages and the agents' console share (a flow walked from a URL
path, routes with their open/closed state in Japan time, answers split into paragraphs and lists).

Everything here builds on the plain-Python cores in ``faq`` and ``contacts``; nothing is re-implemented."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask_babel import format_datetime, get_locale, gettext as _
from markupsafe import Markup, escape

import contacts
from contacts import Route, SUPPORT_CENTER_ID, UnknownContact
from faq import LANGS, Choice, FaqSet, Flow, Step, format_path, load_faq, load_flows, parse_path, walk

from ..timeutil import JST

log = logging.getLogger(__name__)

MAX_PATH_ANSWERS = 40        # a flow path longer than this is refused (the deepest flow has about 10 steps)
MAX_PATH_CHARS = 800
PROGRAMME_FILTERS = ("coupon", "passport")


@lru_cache(maxsize=1)
def faq_set() -> FaqSet:
    """The FAQ, loaded and validated once per process."""
    return load_faq()


@lru_cache(maxsize=1)
def all_flows() -> dict[str, Flow]:
    """The troubleshooting flows ``{id: Flow}``, loaded and validated once per process."""
    return load_flows()


def lang() -> str:
    """The page language as a content language ("ja" or "en")."""
    code = str(get_locale() or "ja")
    return code if code in LANGS else "ja"


def now_japan() -> datetime:
    """The current time in Japan (aware). Tests replace this to pin opening-hour states."""
    return contacts.now_in_japan()


# ------------------------------------------------------------------ answers as HTML

_BULLET = re.compile(r"^\s*(?:[・•]|-\s)\s*")
_NUMBERED = re.compile(r"^\s*\d+\.\s+")
_PHONE_IN_TEXT = re.compile(r"(?<![\d-])0\d{1,4}-\d{1,4}-\d{4}(?![\d-])")


def _linkify_phones(text: str) -> Markup:
    """Escape ``text`` and turn phone numbers such as 026-262-1378 into tel: links."""
    out, last = [], 0
    for m in _PHONE_IN_TEXT.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(Markup('<a class="tel" href="{}">{}</a>').format(contacts.tel_uri(m.group()), m.group()))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def answer_html(text: str) -> Markup:
    """A plain-text answer as HTML: each line a paragraph, runs of 「・」/「- 」 lines a list, runs of
    「1. 」 lines a numbered list; phone numbers become tel: links. Everything is escaped."""
    blocks: list[Markup] = []
    items: list[Markup] = []
    kind = None

    def flush():
        nonlocal items, kind
        if items:
            tag = "ol" if kind == "ol" else "ul"
            blocks.append(Markup("<{0}>{1}</{0}>").format(Markup(tag), Markup("").join(
                Markup("<li>{}</li>").format(i) for i in items)))
        items, kind = [], None

    for line in (text or "").split("\n"):
        if not line.strip():
            flush()
            continue
        for pattern, tag in ((_BULLET, "ul"), (_NUMBERED, "ol")):
            if pattern.match(line):
                if kind != tag:
                    flush()
                kind = tag
                items.append(_linkify_phones(pattern.sub("", line, count=1)))
                break
        else:
            flush()
            blocks.append(Markup("<p>{}</p>").format(_linkify_phones(line)))
    flush()
    return Markup("\n").join(blocks)


# ------------------------------------------------------------------ routes for display

@dataclass(frozen=True)
class RouteView:
    """One contact to call, ready for a template: texts in the page language, open state, next opening."""

    contact_id: str
    kind: str
    name: str
    phone: str
    tel: str
    why: str
    open_now: bool | None
    next_open: str | None
    hours: str | None
    address: str | None = None


def format_when(at: datetime) -> str:
    """A Japan-time moment for people: 「6月2日(火) 10:00」 / "Tue 2 Jun 10:00"."""
    pattern = "EEE d MMM H:mm" if lang() == "en" else "M月d日(E) H:mm"
    if at.tzinfo is None:  # contacts speaks naive Japan time; the formatter would take it for UTC
        at = at.replace(tzinfo=JST)
    return format_datetime(at, pattern)


def route_view(route: Route) -> RouteView:
    """A :class:`contacts.Route` in the page language."""
    en = lang() == "en"
    return RouteView(contact_id=route.contact_id, kind=route.kind, name=route.name_en if en else route.name,
                     phone=route.phone, tel=route.tel, why=route.why_en if en else route.why,
                     open_now=route.open_now,
                     next_open=format_when(route.next_open) if route.next_open else None,
                     hours=route.hours_en if en else route.hours,
                     address=contacts.directory().contact(route.contact_id).address)


def routes_for(service: str | None = None, place_id: str | None = None, flow_outcome=None,
               topic: str | None = None) -> list[RouteView]:
    """Whom to call, in order, open/closed now in Japan time (see :func:`contacts.route`)."""
    routes = contacts.route(service=service, place_id=place_id, flow_outcome=flow_outcome, topic=topic,
                            at=now_japan())
    return [route_view(r) for r in routes]


def support_center_view() -> RouteView:
    """The support center with its hours and open state."""
    return routes_for(topic="system")[0]


def contact_topics() -> list[tuple[str, str]]:
    """The questions the contact page routes by: ``(key, label)`` — system first, then each service."""
    en = lang() == "en"
    topics = [("system", _("Logging in, QR codes, e-mail or using the coupon site"))]
    for code, svc in contacts.directory().services.items():
        name = svc.name_en if en else svc.name
        topics.append((code, _("%(service)s: registration, applying, a visit", service=name)))
    topics.append(("passport", _("The Kanagawa child-rearing support passport")))
    return topics


def routes_for_topic(topic: str) -> list[RouteView] | None:
    """Routes for a contact-page topic: a service's contacts followed by the support center (for questions
    about the coupon site itself), the support center alone for system questions, ``[]`` for the passport
    (no phone desk: the FAQ answers, facilities answer about their own benefits), None for an unknown key."""
    if topic == "system":
        return routes_for(topic="system")
    if topic == "passport":
        return []
    if topic in contacts.directory().services:
        routes = routes_for(service=topic)
        seen = {r.contact_id for r in routes}
        return routes + [r for r in routes_for(topic="system") if r.contact_id not in seen]
    return None


def services() -> list[tuple[str, str]]:
    """``(code, name)`` of the coupon services in the page language."""
    en = lang() == "en"
    return [(code, svc.name_en if en else svc.name) for code, svc in contacts.directory().services.items()]


# ------------------------------------------------------------------ walking a flow from a URL path

@dataclass
class TrailItem:
    """One answered step: the step, the answer given, and the path that leads back to this step."""

    step: Step
    choice: Choice
    path_here: str


@dataclass
class FlowWalk:
    """A flow walked from a URL path: the answers that fit, the current step, and any problem."""

    flow: Flow
    answers: list[str]
    trail: list[TrailItem]
    current: Step
    problem: str | None = None        # None, "stale" (an answer that is not a choice) or "too_long"
    bad_answer: str | None = None
    routes: list[RouteView] = field(default_factory=list)
    route_error: bool = False

    @property
    def path(self) -> str:
        """The URL value of the answers that fit."""
        return format_path(self.answers)

    def path_with(self, choice_id: str) -> str:
        """The URL value after answering ``choice_id`` at the current step."""
        return format_path(self.answers + [choice_id])

    @property
    def back_path(self) -> str | None:
        """The URL value one step back; None at the start."""
        return format_path(self.answers[:-1]) if self.answers else None

    @property
    def step_number(self) -> int:
        """1 for the first question, 2 after one answer, ..."""
        return len(self.answers) + 1


def walk_flow(flow: Flow, path_text: str | None) -> FlowWalk:
    """Replay ``path_text`` (``"iphone,latest,safari"``) on ``flow``. A path that stops fitting (an unknown
    answer, an answer after the end) keeps the part that fits and reports ``problem="stale"``; an absurdly long
    one is refused with ``problem="too_long"``. Never raises for user input."""
    raw = path_text or ""
    answers = parse_path(raw[:MAX_PATH_CHARS])
    if len(raw) > MAX_PATH_CHARS or len(answers) > MAX_PATH_ANSWERS:
        log.info("flow %s: path too long (%d chars)", flow.id, len(raw))
        return _finish(FlowWalk(flow, [], [], flow.start, problem="too_long"))
    steps = walk(flow, answers, strict=False)
    fitting = answers[:len(steps) - 1]
    trail = [TrailItem(step, step.choice(answer), format_path(fitting[:i]))
             for i, (step, answer) in enumerate(zip(steps, fitting, strict=False))]
    result = FlowWalk(flow, fitting, trail, steps[-1])
    if len(fitting) < len(answers):
        result.problem, result.bad_answer = "stale", answers[len(fitting)]
    return _finish(result)


def _finish(result: FlowWalk) -> FlowWalk:
    if result.current.kind == "route":
        try:
            result.routes = routes_for(flow_outcome=result.current.contact)
        except UnknownContact:  # the validator prevents this; stay up if the data and code disagree
            log.error("flow %s step %s: unknown contact %r", result.flow.id, result.current.id,
                      result.current.contact)
            result.route_error = True
            result.routes = [support_center_view()]
    return result


def related_entries(ids) -> list:
    """FAQ entries for ``ids`` that exist, in the given order."""
    faq = faq_set()
    return [e for e in (faq.get(i) for i in ids) if e is not None]


def entry_routes(entry) -> list[RouteView]:
    """Who to call about an FAQ entry (its ``contacts``), support center included when named."""
    out: list[RouteView] = []
    seen: set[str] = set()
    for cid in entry.contacts:
        try:
            views = routes_for(flow_outcome=cid) if cid != SUPPORT_CENTER_ID else routes_for(topic="system")
        except UnknownContact:
            log.error("faq %s: unknown contact %r", entry.id, cid)
            continue
        for v in views:
            if v.contact_id not in seen:
                seen.add(v.contact_id)
                out.append(v)
    return out


def flow_page(flow_id: str) -> dict | None:
    """Everything a flow page shows (help and console alike): the walk from ``?path=``, related questions and
    the flow a step hands over to. None for an unknown flow."""
    from flask import request
    flows = all_flows()
    f = flows.get(flow_id)
    if f is None:
        return None
    w = walk_flow(f, request.args.get("path"))
    return {"w": w, "lang": lang(), "related": related_entries(w.current.faq),
            "next_flow": flows.get(w.current.flow) if w.current.flow else None}
