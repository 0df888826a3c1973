"""Troubleshooting flows (faq/data/flows.json): decision trees walked one answer at a time.

A step is a ``question`` (choices lead to other steps), a ``resolution`` (the answer; may point to another
flow or FAQ entries) or a ``route`` (call the contact named by ``contact``: ``support_center``, a place id or
a service code, resolved by :func:`contacts.route`). Choice ids are URL-safe, so
``?path=iphone,latest,safari`` replays a walk with :func:`walk`. :func:`validate_flows` proves there are no
dead ends, cycles, unreachable steps, unknown targets or contacts, and no missing translations."""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from search_index.analysis import alternatives, normalize, words

from .entries import ID_RE, LANGS, PROGRAMMES, check_lang
from .errors import DataFileError

log = logging.getLogger(__name__)

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "flows.json")
SUPPORTED_VERSIONS = (1,)
STEP_KINDS = ("question", "resolution", "route")
TERMINAL_KINDS = ("resolution", "route")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


class FlowDataError(DataFileError):
    """The flows file is unusable; ``problems`` lists every reason found."""


class FlowError(ValueError):
    """A walk that cannot go on: an answer that is not a choice of the current step."""


def _text_for(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(check_lang(lang)) or ""


@dataclass(frozen=True)
class Choice:
    """One answer to a question step, leading to step ``next``."""

    id: str
    label: Mapping[str, str]
    next: str

    def label_for(self, lang: str = "ja") -> str:
        """The label in ``lang``."""
        return _text_for(self.label, lang)


@dataclass(frozen=True)
class Step:
    """A question, a resolution or a route to a contact."""

    id: str
    kind: str
    text: Mapping[str, str]
    choices: tuple[Choice, ...] = ()
    contact: str | None = None  # route steps: support_center, a place id or a service code
    flow: str | None = None  # resolution steps: another flow to continue with
    faq: tuple[str, ...] = ()  # related FAQ entry ids

    @property
    def terminal(self) -> bool:
        """True for resolutions and routes (the end of a walk)."""
        return self.kind in TERMINAL_KINDS

    def text_for(self, lang: str = "ja") -> str:
        """The step's text in ``lang``."""
        return _text_for(self.text, lang)

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with ``choice_id``, or None."""
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Flow:
    """A decision tree. ``steps`` keep the file's order; :attr:`start` is the first step."""

    id: str
    programme: str
    title: Mapping[str, str]
    start_id: str
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    _index: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        index: dict[str, Step] = {}
        for s in self.steps:
            index.setdefault(s.id, s)
        object.__setattr__(self, "_index", index)

    @property
    def start(self) -> Step:
        """The first step."""
        return self.step(self.start_id)

    def step(self, step_id: str) -> Step:
        """The step with ``step_id``; raises KeyError when there is none."""
        try:
            return self._index[step_id]
        except KeyError:
            raise KeyError(f"flow {self.id} has no step {step_id!r}") from None

    def has_step(self, step_id: str) -> bool:
        """True when the flow has a step ``step_id``."""
        return step_id in self._index

    def title_for(self, lang: str = "ja") -> str:
        """The title in ``lang``."""
        return _text_for(self.title, lang)


def walk(flow: Flow, answers: Iterable[str], strict: bool = True) -> list[Step]:
    """The steps visited from the start when giving ``answers`` (choice ids) in turn: ``len(answers) + 1``
    steps. An answer that is not a choice of the current step raises FlowError, or with ``strict=False`` ends
    the walk there (for replaying a shared URL whose path has gone stale)."""
    step = flow.start
    path = [step]
    for answer in answers:
        choice = step.choice(answer)
        if choice is None:
            if strict:
                raise FlowError(f"flow {flow.id}: {answer!r} is not a choice of step {step.id!r}")
            log.info("flow %s: stale path answer %r at %s", flow.id, answer, step.id)
            break
        step = flow.step(choice.next)
        path.append(step)
    return path


def parse_path(value: str | None) -> list[str]:
    """Choice ids from a URL value such as ``"iphone,latest,safari"`` (empty parts dropped)."""
    return [p.strip() for p in (value or "").split(",") if p.strip()]


def format_path(answers: Iterable[str]) -> str:
    """The URL value of a list of choice ids (the inverse of :func:`parse_path`)."""
    return ",".join(answers)


def find_flows(flows: Mapping[str, Flow] | Iterable[Flow], text: str, lang: str = "ja",
               limit: int = 10) -> list[Flow]:
    """Flows whose title, tags or step texts (in ``lang``) contain every folded word of ``text``; title
    matches first, then tags, then step texts. When none does, the help desk's reading of the text (caller
    phrasings, a sentence split into its words: QRが読めない) is used (see :mod:`faq.desk`)."""
    check_lang(lang)
    query = words(text or "")
    if not query:
        return []
    scored = []
    for order, flow in enumerate(_as_list(flows)):
        title = normalize(flow.title_for(lang))
        tags = [normalize(t) for t in flow.tags]
        body = normalize(" ".join(s.text_for(lang) for s in flow.steps))
        score = 0
        for w in query:
            forms = alternatives(w)
            if any(a in title for a in forms):
                score += 10
            elif any(a in t for a in forms for t in tags):
                score += 5
            elif any(a in body for a in forms):
                score += 1
            else:
                break
        else:
            scored.append((-score, order, flow))
    if not scored:
        from .desk import DeskIndex  # desk builds on this module
        by_id = {f.id: f for f in _as_list(flows)}
        return [by_id[m.id] for m in DeskIndex(None, by_id.values(), None).search(text, lang=lang)][:limit]
    scored.sort(key=lambda t: (t[0], t[1]))
    return [f for _, _, f in scored[:limit]]


# ------------------------------------------------------------------ parsing and loading

def _bilingual(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)}


def _as_list(flows) -> list[Flow]:
    return list(flows.values()) if isinstance(flows, Mapping) else list(flows)


def parse_flows(data, path: str | None = None) -> list[Flow]:
    """Build the flows from decoded JSON, keeping semantic problems (cycles, unknown targets, missing text...)
    for :func:`validate_flows`. Raises FlowDataError only when the shape is unusable (not objects, no ids)."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("flows"), list):
        raise FlowDataError(["the file must hold an object with a list of flows"], path)
    if data.get("version") not in SUPPORTED_VERSIONS:
        problems.append(f"version {data.get('version')!r} is not one of {SUPPORTED_VERSIONS}")
    flows: list[Flow] = []
    for i, f in enumerate(data["flows"]):
        if not (isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("steps"), list)):
            problems.append(f"flows[{i}]: must be an object with an id and a list of steps")
            continue
        steps = []
        for j, s in enumerate(f["steps"]):
            if not isinstance(s, dict) or not isinstance(s.get("id"), str):
                problems.append(f"flow {f['id']} steps[{j}]: must be an object with an id")
                continue
            choices = []
            for k, c in enumerate(s.get("choices") or []):
                ok = isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("next"), str)
                if not ok:
                    problems.append(f"flow {f['id']} step {s['id']} choices[{k}]: "
                                    "needs an id and a next step")
                    continue
                choices.append(Choice(c["id"], _bilingual(c.get("label")), c["next"]))
            steps.append(Step(id=s["id"], kind=s.get("kind", ""), text=_bilingual(s.get("text")),
                              choices=tuple(choices), contact=s.get("contact"), flow=s.get("flow"),
                              faq=tuple(s.get("faq") or ())))
        flows.append(Flow(id=f["id"], programme=f.get("programme", ""), title=_bilingual(f.get("title")),
                          start_id=f.get("start", ""), steps=tuple(steps), tags=tuple(f.get("tags") or ())))
    if problems:
        raise FlowDataError(problems, path)
    return flows


def load_flows(path: str | None = None, *, validate: bool = True,
               contact_ids: Iterable[str] | None = None) -> dict[str, Flow]:
    """Load the flows (default: faq/data/flows.json) as ``{id: Flow}`` in file order. With ``validate`` (the
    default) any problem found by :func:`validate_flows` raises FlowDataError."""
    path = path or DATA_FILE
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise FlowDataError([f"cannot read the file: {e}"], path) from e
    flows = parse_flows(data, path)
    if validate:
        problems = validate_flows(flows, contact_ids=contact_ids)
        if problems:
            raise FlowDataError(problems, path)
    log.debug("flows: %d flows, %d steps from %s", len(flows), sum(len(f.steps) for f in flows), path)
    return {f.id: f for f in flows}


# ------------------------------------------------------------------ validation

def _check_texts(texts: Mapping[str, str], where: str, problems: list[str], japanese: bool) -> None:
    for lang in LANGS:
        if not (texts.get(lang) or "").strip():
            problems.append(f"{where}: missing {lang} text")
    if japanese and (texts.get("ja") or "").strip() and not _JAPANESE.search(texts["ja"]):
        problems.append(f"{where}: the ja text has no Japanese in it")


def _default_contact_ids(problems: list[str]) -> set[str] | None:
    try:
        import contacts
        return contacts.directory().contact_ids()
    except Exception as e:  # noqa: BLE001 - reported as a problem, the validator must not crash
        problems.append(f"cannot load the contacts directory to check contact ids: {e}")
        return None


def _cycles(flow: Flow) -> list[list[str]]:
    """Every cycle in the step graph, each as the list of step ids on it (found by DFS back edges)."""
    colour: dict[str, int] = {}
    found: list[list[str]] = []
    stack: list[str] = []

    def visit(sid: str) -> None:
        colour[sid] = 1
        stack.append(sid)
        for c in flow.step(sid).choices:
            if not flow.has_step(c.next):
                continue
            if colour.get(c.next) == 1:
                found.append(stack[stack.index(c.next):] + [c.next])
            elif c.next not in colour:
                visit(c.next)
        stack.pop()
        colour[sid] = 2

    for s in flow.steps:
        if s.id not in colour:
            visit(s.id)
    return found


def _reachable(flow: Flow) -> set[str]:
    seen: set[str] = set()
    todo = [flow.start_id] if flow.has_step(flow.start_id) else []
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        todo += [c.next for c in flow.step(sid).choices if flow.has_step(c.next)]
    return seen


def validate_flows(flows: Mapping[str, Flow] | Iterable[Flow], contact_ids: Iterable[str] | None = None,
                   faq_ids: Iterable[str] | None = None) -> list[str]:
    """Every problem in ``flows``, as readable lines (empty when all is well): duplicate or malformed ids, a
    missing start, unknown step kinds, dead ends (a question without choices, a terminal step with choices, a
    route without a contact), unknown targets, cycles, unreachable steps, missing ja/en text, unknown contact
    ids (default: the contacts directory), unknown flows named by a resolution, and with ``faq_ids`` unknown
    FAQ ids."""
    flows = _as_list(flows)
    problems: list[str] = []
    contact_ids = set(contact_ids) if contact_ids is not None else _default_contact_ids(problems)
    faq_ids = set(faq_ids) if faq_ids is not None else None
    flow_ids = {f.id for f in flows}
    seen_flows: set[str] = set()
    if not flows:
        problems.append("there are no flows")
    for flow in flows:
        where = f"flow {flow.id}"
        if not ID_RE.match(flow.id):
            problems.append(f"{where}: id must match {ID_RE.pattern}")
        if flow.id in seen_flows:
            problems.append(f"{where}: duplicate flow id")
        seen_flows.add(flow.id)
        if flow.programme not in PROGRAMMES:
            problems.append(f"{where}: programme {flow.programme!r} is not one of {PROGRAMMES}")
        _check_texts(flow.title, f"{where} title", problems, japanese=True)
        if not flow.steps:
            problems.append(f"{where}: has no steps")
            continue
        step_ids = [s.id for s in flow.steps]
        for sid in sorted({s for s in step_ids if step_ids.count(s) > 1}):
            problems.append(f"{where}: duplicate step id {sid!r}")
        if not flow.has_step(flow.start_id):
            problems.append(f"{where}: start step {flow.start_id!r} does not exist")
        for step in flow.steps:
            sw = f"{where} step {step.id}"
            if not ID_RE.match(step.id):
                problems.append(f"{sw}: id must match {ID_RE.pattern}")
            _check_texts(step.text, sw, problems, japanese=True)
            if step.kind not in STEP_KINDS:
                problems.append(f"{sw}: kind {step.kind!r} is not one of {STEP_KINDS}")
            elif step.kind == "question" and not step.choices:
                problems.append(f"{sw}: dead end: a question without choices")
            elif step.terminal and step.choices:
                problems.append(f"{sw}: a {step.kind} must not have choices")
            if step.kind == "route":
                if not step.contact:
                    problems.append(f"{sw}: dead end: a route without a contact")
                elif contact_ids is not None and step.contact not in contact_ids:
                    problems.append(f"{sw}: unknown contact id {step.contact!r}")
            elif step.contact:
                problems.append(f"{sw}: only route steps name a contact")
            if step.flow is not None and step.flow not in flow_ids:
                problems.append(f"{sw}: unknown flow {step.flow!r}")
            if faq_ids is not None:
                for fid in step.faq:
                    if fid not in faq_ids:
                        problems.append(f"{sw}: unknown FAQ entry {fid!r}")
            seen_choices: set[str] = set()
            for c in step.choices:
                cw = f"{sw} choice {c.id}"
                if not ID_RE.match(c.id):
                    problems.append(f"{cw}: id must match {ID_RE.pattern} (it is used in URLs)")
                if c.id in seen_choices:
                    problems.append(f"{cw}: duplicate choice id")
                seen_choices.add(c.id)
                _check_texts(c.label, cw, problems, japanese=False)
                if not flow.has_step(c.next):
                    problems.append(f"{cw}: unknown target step {c.next!r}")
        for cycle in _cycles(flow):
            problems.append(f"{where}: cycle {' -> '.join(cycle)}")
        if flow.has_step(flow.start_id):
            reachable = _reachable(flow)
            for s in flow.steps:
                if s.id not in reachable:
                    problems.append(f"{where}: step {s.id} is unreachable from the start")
    return problems
