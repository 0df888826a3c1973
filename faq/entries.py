"""FAQ entries of both programmes (faq/data/faq.json): loading with validation, and search with the same
Japanese folding as facility search (search_index.analysis), so ぱすわーど, パスワード and ﾊﾟｽﾜｰﾄﾞ meet.

Answers are plain text; a line break starts a new paragraph or list item."""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from search_index.analysis import alternatives, compact, highlight, normalize, snippet, words
from .errors import DataFileError

log = logging.getLogger(__name__)

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "faq.json")
SUPPORTED_VERSIONS = (1,)
LANGS = ("ja", "en")
PROGRAMMES = ("coupon", "passport", "common")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

# Score of one query word found in each part of an entry; a question match outranks tags + answer together.
W_QUESTION, W_TAG, W_ANSWER, W_PHRASE = 20, 6, 3, 8


class FaqDataError(DataFileError):
    """The FAQ file is unusable; ``problems`` lists every reason found."""


def check_lang(lang: str) -> str:
    """``lang`` if supported ("ja" or "en"), else ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def check_programme(programme: str | None) -> str | None:
    """``programme`` if None or known, else ValueError."""
    if programme is not None and programme not in PROGRAMMES:
        raise ValueError(f"programme must be one of {PROGRAMMES}, not {programme!r}")
    return programme


@dataclass(frozen=True)
class FaqEntry:
    """One question and its answer, in Japanese and English."""

    id: str
    programme: str  # "coupon" | "passport" | "common"
    category: str
    tags: tuple[str, ...]
    question: Mapping[str, str]
    answer: Mapping[str, str]
    flow: str | None = None  # id of a troubleshooting flow that walks through this problem
    contacts: tuple[str, ...] = ()  # contact ids / service codes worth showing with the answer

    def q(self, lang: str = "ja") -> str:
        """The question in ``lang``."""
        return self.question[check_lang(lang)]

    def a(self, lang: str = "ja") -> str:
        """The answer in ``lang``."""
        return self.answer[check_lang(lang)]

    def applies_to(self, programme: str | None) -> bool:
        """True when the entry belongs to ``programme`` (common entries belong to both; None = any)."""
        return programme is None or self.programme in (programme, "common")


@dataclass(frozen=True)
class FaqHit:
    """A search result: the entry, its score, where the words matched, and HTML-escaped highlighted text."""

    entry: FaqEntry
    score: float
    matched: tuple[str, ...]  # parts that matched: "question", "tags", "answer"
    question_html: str
    snippet_html: str
    partial: bool = False  # True when not every query word matched (shown only when nothing matched fully)

    @property
    def id(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class _Folded:
    question: str
    answer: str
    tags: tuple[str, ...]


class FaqSet:
    """The loaded FAQ: entries in file order, categories, lookup and search."""

    def __init__(self, version: int, categories: dict[str, dict[str, str]], entries: list[FaqEntry]):
        self.version = version
        self._categories = categories
        self._entries = list(entries)
        self._by_id = {e.id: e for e in entries}
        self._desk: Any = None  # faq.desk.DeskIndex over these entries, built on first use
        self._folded = {
            (e.id, lang): _Folded(normalize(e.q(lang)), normalize(e.a(lang)),
                                  tuple(normalize(t) for t in e.tags))
            for e in entries for lang in LANGS}

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[FaqEntry]:
        return iter(self._entries)

    def get(self, entry_id: str) -> FaqEntry | None:
        """The entry with ``entry_id``, or None."""
        return self._by_id.get(entry_id)

    def ids(self) -> list[str]:
        """Every entry id, in file order."""
        return list(self._by_id)

    def categories(self, lang: str = "ja") -> list[tuple[str, str]]:
        """``(code, label)`` of every category, in file order, labels in ``lang``."""
        check_lang(lang)
        return [(code, labels[lang]) for code, labels in self._categories.items()]

    def category_label(self, code: str, lang: str = "ja") -> str:
        """The label of category ``code`` in ``lang``; KeyError when unknown."""
        return self._categories[code][check_lang(lang)]

    def entries(self, programme: str | None = None, category: str | None = None) -> list[FaqEntry]:
        """Entries in file order, optionally of one programme (common ones included) and/or category."""
        check_programme(programme)
        return [e for e in self._entries
                if e.applies_to(programme) and (category is None or e.category == category)]

    def search(self, text: str, lang: str = "ja", programme: str | None = None,
               limit: int = 10) -> list[FaqHit]:
        """Entries whose question, tags or answer (in ``lang``) contain every word of ``text`` as a substring
        of the folded text, best first: question matches outrank tag matches, which outrank answer matches;
        the whole query found in the question adds a bonus. When no entry matches every word, entries matching
        some words are returned with ``partial=True``; when none matches any, the help desk's reading of the
        text (caller phrasings, a sentence split into its words: QRが読めない) is used. Empty text gives []."""
        check_lang(lang)
        check_programme(programme)
        query = words(text or "")
        if not query:
            return []
        phrase = compact(text)
        full: list[tuple] = []
        part: list[tuple] = []
        for order, entry in enumerate(self._entries):
            if not entry.applies_to(programme):
                continue
            f = self._folded[(entry.id, lang)]
            score, n_matched, matched, marks = 0, 0, set(), []
            for w in query:
                forms = alternatives(w)
                hit_q = [a for a in forms if a in f.question]
                hit_t = [a for a in forms if any(a in t for t in f.tags)]
                hit_a = [a for a in forms if a in f.answer]
                if not (hit_q or hit_t or hit_a):
                    continue
                n_matched += 1
                marks += [a for a in forms if a in f.question or a in f.answer]
                if hit_q:
                    score += W_QUESTION
                    matched.add("question")
                if hit_t:
                    score += W_TAG + (1 if any(a == t for a in hit_t for t in f.tags) else 0)
                    matched.add("tags")
                if hit_a:
                    score += W_ANSWER + min(f.answer.count(hit_a[0]), 3) - 1
                    matched.add("answer")
            if not n_matched:
                continue
            if len(query) > 1 and phrase and phrase in f.question.replace(" ", ""):
                score += W_PHRASE
            parts = tuple(p for p in ("question", "tags", "answer") if p in matched)
            row = (-score, order, entry, parts, marks)
            (full if n_matched == len(query) else part).append(row)
        if not full and not part:
            return self._as_said(text, lang, programme, limit)
        rows, partial = (full, False) if full else (part, True)
        rows.sort(key=lambda r: (r[0], r[1]))
        return [self._hit(entry, -neg, matched, marks, lang, partial)
                for neg, _order, entry, matched, marks in rows[:max(limit, 0)]]

    def _as_said(self, text: str, lang: str, programme: str | None, limit: int) -> list[FaqHit]:
        """What the help desk's search finds for a sentence or a caller's wording (QRが読めない), when the words
        as typed match nothing (see :mod:`faq.desk`)."""
        if self._desk is None:
            from .desk import DeskIndex  # desk builds on this module
            self._desk = DeskIndex(self, (), None)
        matches = [m for m in self._desk.search(text, lang=lang) if self._by_id[m.id].applies_to(programme)]
        return [self.hit(m.id, m.marks, lang, m.score) for m in matches[:max(limit, 0)]]

    def hit(self, entry_id: str, marks, lang: str = "ja", score: float = 0) -> FaqHit:
        """Entry ``entry_id`` as a search result with the folded ``marks`` highlighted (for results ranked by
        another matcher, such as the help desk's :class:`faq.desk.DeskIndex`)."""
        return self._hit(self._by_id[entry_id], score, (), list(marks), check_lang(lang), False)

    @staticmethod
    def _hit(entry: FaqEntry, score: float, matched, marks: list[str], lang: str, partial: bool) -> FaqHit:
        question, answer = entry.q(lang), entry.a(lang).replace("\n", " ")
        marks = list(dict.fromkeys(marks))
        q_html = highlight(question, marks) or escape(question)
        a_html = snippet(answer, marks, width=90)
        if a_html is None:
            a_html = escape(answer[:90]) + ("…" if len(answer) > 90 else "")
        return FaqHit(entry, score, matched, q_html, a_html, partial)


# ------------------------------------------------------------------ loading and validation

def _bilingual(value, where: str, problems: list[str], japanese: bool = True) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(f"{where}: must be an object with {' and '.join(LANGS)} text")
        return {lang: "" for lang in LANGS}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: missing {lang} text")
    ja = value.get("ja")
    if japanese and isinstance(ja, str) and ja.strip() and not _JAPANESE.search(ja):
        problems.append(f"{where}: the ja text has no Japanese in it")
    extra = set(value) - set(LANGS)
    if extra:
        problems.append(f"{where}: unknown languages {sorted(extra)}")
    return {lang: value.get(lang) or "" for lang in LANGS}


def parse_faq(data, path: str | None = None) -> FaqSet:
    """Build a :class:`FaqSet` from decoded JSON; raises FaqDataError listing every problem found."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise FaqDataError(["the file must hold a JSON object"], path)
    version: Any = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        problems.append(f"version {version!r} is not one of {SUPPORTED_VERSIONS}")
    categories: dict[str, dict[str, str]] = {}
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        problems.append("categories must be a non-empty list")
        raw_categories = []
    for i, c in enumerate(raw_categories):
        code = c.get("code") if isinstance(c, dict) else None
        if not isinstance(code, str) or not ID_RE.match(code):
            problems.append(f"categories[{i}]: code must match {ID_RE.pattern}")
            continue
        if code in categories:
            problems.append(f"category {code}: duplicate code")
        categories[code] = _bilingual({k: c.get(k) for k in LANGS}, f"category {code}", problems)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append("entries must be a non-empty list")
        raw_entries = []
    entries: list[FaqEntry] = []
    seen: set[str] = set()
    for i, e in enumerate(raw_entries):
        if not isinstance(e, dict):
            problems.append(f"entries[{i}]: must be an object")
            continue
        eid = e.get("id")
        if not isinstance(eid, str) or not ID_RE.match(eid):
            problems.append(f"entries[{i}]: id {eid!r} must match {ID_RE.pattern}")
            continue
        where = f"entry {eid}"
        if eid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(eid)
        if e.get("programme") not in PROGRAMMES:
            problems.append(f"{where}: programme {e.get('programme')!r} is not one of {PROGRAMMES}")
        if e.get("category") not in categories:
            problems.append(f"{where}: unknown category {e.get('category')!r}")
        tags = e.get("tags")
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
            problems.append(f"{where}: tags must be a non-empty list of non-empty strings")
            tags = []
        flow = e.get("flow")
        if flow is not None and (not isinstance(flow, str) or not ID_RE.match(flow)):
            problems.append(f"{where}: flow must be a flow id")
        contacts = e.get("contacts", [])
        if not isinstance(contacts, list) or not all(isinstance(c, str) and c for c in contacts):
            problems.append(f"{where}: contacts must be a list of contact ids")
            contacts = []
        unknown = set(e) - {"id", "programme", "category", "tags", "q", "a", "flow", "contacts"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        question = _bilingual(e.get("q"), f"{where} question", problems)
        answer = _bilingual(e.get("a"), f"{where} answer", problems)
        # programme and category were checked against their lists above (a problem otherwise)
        entries.append(FaqEntry(eid, str(e.get("programme")), str(e.get("category")), tuple(tags),
                                MappingProxyType(question), MappingProxyType(answer), flow, tuple(contacts)))
    if problems:
        raise FaqDataError(problems, path)
    return FaqSet(version, categories, entries)


def load_faq(path: str | None = None) -> FaqSet:
    """Load and validate the FAQ (default: faq/data/faq.json); raises FaqDataError with every problem found:
    unique ids, both languages for every question and answer, known programmes and categories, non-empty."""
    path = path or DATA_FILE
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise FaqDataError([f"cannot read the file: {e}"], path) from e
    faq = parse_faq(data, path)
    log.debug("faq: %d entries in %d categories from %s", len(faq), len(faq.categories()), path)
    return faq
