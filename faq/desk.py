"""The help desk's one search: FAQ entries, troubleshooting flows and the contact directory in one ranked list,
for what a caller says (「QRが読めない」, 「病児保育の電話番号」). Nothing here imports Flask.

Text is folded exactly like facility search (:mod:`search_index.analysis`) and a query word is looked for as
every form facility search gives it (:func:`search_index.synonyms.query_forms`: its synonyms and its romaji
reading), as a substring of the folded text. On top of that:

* caller phrasings (``data/caller_phrasings.json``, the synonyms file format, validated by
  :func:`search_index.synonyms.load_groups`) are picked out of the query first, longest first, and stand for
  every member of their group (読め → 読み取, 読み込, スキャン ...);
* a query word that matches nothing as a whole is split into its content words and predicates by Sudachi
  (QRが読めない → QR, 読めない), dropping particles and verbs that say nothing (する, できる, ない).

Words asking for a number (電話番号, 連絡先, 問い合わせ) are dropped when the query names something else, and so
are English words that say nothing (my, the, how). Several words that together are a name (Childcare Division)
add a bonus.

Ranking: only documents matching the most query terms are kept; per term, the best field counts (a name 10,
the support center's other names 12, a department's service 14, a provider's 6, tags 5, body 2; a form
equal to a whole value or word adds 8, or 4 for a synonym's), weighted by how rare the term is.
Ties keep flows, then contacts, then FAQ entries, each in file order.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from search_index.analysis import normalize, normalize_spans
from search_index.readings import morphemes
from search_index.synonyms import Group, load_groups, query_forms, specific

from .entries import LANGS, FaqSet, check_lang
from .flows import Flow

CALLER_FILE = os.path.join(os.path.dirname(__file__), "data", "caller_phrasings.json")
KINDS = ("flow", "contact", "faq")
W_NAME, W_ALIAS, W_DEPT_SERVICE, W_PROVIDER_SERVICE, W_TAG, W_BODY = 10, 12, 14, 6, 5, 2
W_EXACT, W_EXACT_SYNONYM = 8, 4  # a form equal to a whole value or word: as said / as one of its synonyms
_CONTENT_POS = frozenset({"名詞", "接頭辞", "接尾辞", "形状詞", "代名詞"})
_PREDICATE_POS = frozenset({"動詞", "形容詞"})
_TAIL_POS = frozenset({"助動詞"})
# Verbs and adjectives that say nothing about the problem on their own (見つからない says something; できない not).
_EMPTY_LEMMAS = frozenset({"為る", "する", "出来る", "できる", "有る", "ある", "居る", "いる", "成る", "なる", "無い", "ない",
                           "良い", "よい", "いい", "思う", "言う", "下さる", "くださる", "欲しい", "ほしい", "貰う", "もらう",
                           "頂く", "いただく", "教える", "知る", "分かる", "わかる", "困る"})
_NOISE_NOUNS = frozenset(normalize(w) for w in (
    "こと", "もの", "ところ", "とき", "時", "方", "ため", "よう", "どう", "何", "なに", "どこ", "これ", "それ", "の", "ん"))
_ASCII = re.compile(r"^[a-z0-9]+$")
# "How do I reach ..." words: with anything else in the query they are dropped (保育課の電話番号 is 保育課);
# alone (問い合わせ先) they are searched for.
_REACH = frozenset(normalize(w) for w in (
    "電話", "電話番号", "番号", "連絡先", "連絡", "問い合わせ", "問い合わせ先", "問合せ", "お問い合わせ", "お問合せ", "窓口",
    "tel", "number", "contact", "call"))
# English words that say nothing on their own (Japanese particles are dropped by the sentence split).
_EN_STOPWORDS = frozenset({
    "a", "an", "the", "my", "our", "your", "i", "me", "we", "you", "it", "is", "are", "am", "be", "was", "to", "of",
    "for", "and", "or", "will", "wont", "can", "do", "does", "did", "how", "what", "where", "when", "why", "with",
    "on", "in", "at", "this", "that", "please", "help"})


@dataclass(frozen=True)
class Term:
    """One thing the caller said: ``text`` as typed (folded) and every ``forms`` it may take in a document."""

    text: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class _Field:
    weight: int
    texts: tuple[str, ...]  # folded values (a tag list, a name and its reading, ...)


@dataclass(frozen=True)
class Doc:
    """A searchable item: ``kind`` is "flow", "faq" or "contact"; ``names`` the contact ids it names."""

    kind: str
    id: str
    order: int
    fields: tuple[_Field, ...]
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeskMatch:
    """A result: the item, its score, the folded forms found (for highlighting) and the contacts it names."""

    kind: str
    id: str
    score: float
    marks: tuple[str, ...]
    names: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def load_caller_groups(path: str = CALLER_FILE) -> list[Group]:
    """The caller-phrasing groups; SynonymDataError on a malformed file."""
    return load_groups(path)


def _folded(texts: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(f for f in (normalize(t) for t in texts if t) if f)


def _flow_docs(flows: Iterable[Flow], directory, lang: str, start: int) -> list[Doc]:
    docs = []
    for i, flow in enumerate(flows):
        named = []
        for step in flow.steps:
            if step.kind == "route" and step.contact:
                named += named_contacts(directory, [step.contact])
            named += mentioned_contacts(directory, step.text_for("ja"))
        docs.append(Doc("flow", flow.id, start + i, (
            _Field(W_NAME, _folded([flow.title_for(lang)])),
            _Field(W_TAG, _folded(flow.tags)),
            _Field(W_BODY, _folded(s.text_for(lang) for s in flow.steps))), tuple(dict.fromkeys(named))))
    return docs


def _faq_docs(faq: FaqSet, directory, lang: str, start: int) -> list[Doc]:
    docs = []
    for i, entry in enumerate(faq):
        named = named_contacts(directory, entry.contacts)
        named += mentioned_contacts(directory, entry.q("ja") + entry.a("ja"))
        docs.append(Doc("faq", entry.id, start + i, (
            _Field(W_NAME, _folded([entry.q(lang)])),
            _Field(W_TAG, _folded(entry.tags)),
            _Field(W_BODY, _folded([entry.a(lang)]))), tuple(dict.fromkeys(named))))
    return docs


def _contact_docs(directory, start: int) -> list[Doc]:
    docs = []
    for i, c in enumerate(directory.all_contacts()):
        services = [directory.services[code] for code in c.services if code in directory.services]
        aliases = ["サポートセンター", "システム", "support center", "help desk"] \
            if c.kind == "support_center" else []
        weight = W_DEPT_SERVICE if c.kind == "department" else W_PROVIDER_SERVICE
        docs.append(Doc("contact", c.id, start + i, (
            _Field(W_NAME, _folded([c.name, c.name_en, c.kana, re.sub(r"\D", "", c.phone)])),
            _Field(weight, _folded([t for s in services for t in (s.name, s.name_en, s.kana)])),
            _Field(W_ALIAS, _folded(aliases)),
            _Field(W_BODY, _folded([c.description, c.description_en]))), (c.id,)))
    return docs


def named_contacts(directory, ids: Iterable[str]) -> list[str]:
    """Contact ids for references to the support center, a place or a service (a service stands for its
    departments: the number the seed gives for the service)."""
    out: list[str] = []
    if directory is None:
        return out
    for cid in ids:
        if cid in directory.services:
            places = directory.contacts_for(cid)
            out += [p.id for p in places if p.kind == "department"] or [p.id for p in places]
        elif cid in directory.contact_ids():
            out.append(cid)
    return list(dict.fromkeys(out))


def mentioned_contacts(directory, text: str) -> list[str]:
    """The departments and the support center whose name ``text`` writes out (Japanese names)."""
    if directory is None:
        return []
    flat = normalize(text).replace(" ", "")
    out = []
    for c in directory.all_contacts():
        if c.kind in ("department", "support_center") and normalize(c.name).replace(" ", "") in flat:
            out.append(c.id)
    return out


class DeskIndex:
    """FAQ entries, flows and contacts, folded once per language; :meth:`search` ranks them for a query."""

    def __init__(self, faq: FaqSet | None, flows: Mapping[str, Flow] | Iterable[Flow], directory,
                 groups: list[Group] | None = None):
        """Any part may be left out (None, no flows): the help pages search the FAQ or the flows alone."""
        flow_list = list(flows.values()) if isinstance(flows, Mapping) else list(flows)
        self._docs: dict[str, list[Doc]] = {}
        for lang in LANGS:
            docs = _flow_docs(flow_list, directory, lang, 0)
            docs += _contact_docs(directory, len(docs)) if directory is not None else []
            docs += _faq_docs(faq, directory, lang, len(docs)) if faq is not None else []
            self._docs[lang] = docs
        self._phrases = self._phrase_table(load_caller_groups() if groups is None else groups)

    @staticmethod
    def _phrase_table(groups: list[Group]) -> list[tuple[str, tuple[str, ...]]]:
        table: dict[str, dict[str, None]] = {}
        for group in groups:
            for member in group.members:
                forms = table.setdefault(member, {member: None})
                for target in group.targets:
                    forms.setdefault(target, None)
        return sorted(((m, tuple(f)) for m, f in table.items()), key=lambda kv: (-len(kv[0]), kv[0]))

    def docs(self, lang: str = "ja") -> list[Doc]:
        return list(self._docs[check_lang(lang)])

    def unmatched(self, groups: list[Group]) -> list[Group]:
        """The groups none of whose members occurs in any item in any language (data that can never help)."""
        out = []
        for g in groups:
            term = Term(g.members[0], tuple(dict.fromkeys(g.members + g.targets)))
            if not any(self._df(term, lang) for lang in LANGS):
                out.append(g)
        return out

    # -- query analysis ----------------------------------------------------------------------------------
    def terms(self, text: str, lang: str = "ja") -> list[Term]:
        """The terms of ``text``: per white-space separated chunk, the caller phrasings in it and then its
        content words (or the chunk itself when it has no caller phrasing and matches as it is)."""
        terms: dict[str, Term] = {}
        for chunk in (text or "")[:200].split():
            for term in self._chunk_terms(chunk, lang):
                terms.setdefault(term.text, term)
        said = [t for t in terms.values() if t.text not in _EN_STOPWORDS] or list(terms.values())
        subject = [t for t in said if t.text not in _REACH]
        return subject or said

    def _chunk_terms(self, chunk: str, lang: str) -> list[Term]:
        folded, first, last = normalize_spans(chunk)
        if not folded:
            return []
        found: list[tuple[int, int, Term]] = []  # (start, end) in the original chunk
        taken: list[tuple[int, int]] = []
        for member, forms in self._phrases:
            if _ASCII.match(member):
                if member == folded.replace(" ", ""):
                    found.append((0, len(chunk), Term(member, forms)))
                    taken.append((0, len(folded)))
                continue
            start = folded.find(member)
            while start != -1:
                end = start + len(member)
                if not any(start < e and s < end for s, e in taken):
                    taken.append((start, end))
                    found.append((first[start], last[end - 1] + 1, Term(member, forms)))
                start = folded.find(member, end)
        if not found:
            whole = Term(folded, query_forms(folded))
            if self._df(whole, lang):
                return [whole]
        found.sort(key=lambda t: t[0])
        out: list[Term] = []
        at = 0
        for start, end, term in found + [(len(chunk), len(chunk), None)]:
            if start > at:
                out += _content_terms(chunk[at:start])
            if term is not None:
                out.append(term)
            at = max(at, end)
        return out or [Term(folded, query_forms(folded))]

    # -- search ------------------------------------------------------------------------------------------
    def _df(self, term: Term, lang: str) -> int:
        return sum(1 for d in self._docs[lang] if _best(d, term)[0])

    def search(self, text: str, lang: str = "ja", limit: int | None = None) -> list[DeskMatch]:
        """The items for ``text`` in ``lang``, best first (see the module docstring). Empty text gives []."""
        check_lang(lang)
        docs = self._docs[lang]
        terms = self.terms(text, lang)
        if not terms:
            return []
        n = len(docs)
        idf = {}
        for t in terms:
            df = self._df(t, lang)
            if df:
                idf[t.text] = math.log(1 + n / df)
        rows = []
        for d in docs:
            score, covered, marks = 0.0, 0, []
            for t in terms:
                if t.text not in idf:
                    continue
                weight, found = _best(d, t)
                if weight:
                    covered += 1
                    score += weight * idf[t.text]
                    marks += found
            if covered:
                rows.append((covered, score, d, marks))
        if not rows:
            return []
        if len(terms) > 1 and idf:  # the words together as one name: 「Childcare Division」, 「support center」
            phrase, bonus = normalize(" ".join(t.text for t in terms)), max(idf.values())
            for i, (covered, score, d, marks) in enumerate(rows):
                rows[i] = (covered, score + bonus * _phrase_weight(d, phrase), d, marks)
        most = max(r[0] for r in rows)
        rows = [r for r in rows if r[0] == most]
        rows.sort(key=lambda r: (-round(r[1], 6), KINDS.index(r[2].kind), r[2].order))
        out = [DeskMatch(d.kind, d.id, round(score, 3), tuple(dict.fromkeys(marks)), d.names)
               for _c, score, d, marks in rows]
        return out[:limit] if limit is not None else out


def _phrase_weight(doc: Doc, phrase: str) -> int:
    """2 × W_EXACT when a name-like field of ``doc`` is ``phrase``, W_EXACT when one contains it, else 0."""
    best = 0
    for f in doc.fields:
        if f.weight >= W_NAME:
            for t in f.texts:
                best = max(best, 2 * W_EXACT if t == phrase else W_EXACT if phrase in t else 0)
    return best


def _best(doc: Doc, term: Term) -> tuple[int, list[str]]:
    """The weight of the best field of ``doc`` holding a form of ``term`` (0 if none) and the forms found."""
    best, found = 0, []
    for f in doc.fields:
        for form in term.forms:
            hit = [t for t in f.texts if form in t]
            if not hit:
                continue
            found.append(form)
            exact = any(form == t.replace(" ", "") or form in t.split(" ") for t in hit)
            weight = f.weight + ((W_EXACT if form == term.text else W_EXACT_SYNONYM) if exact else 0)
            best = max(best, weight)
    return best, found


def _content_terms(text: str) -> list[Term]:
    """Content words and predicates of a piece of a query, by Sudachi: runs of nouns (QRコード, 電話番号) and
    verbs or adjectives with their endings (届かない), without particles and verbs that say nothing."""
    out: list[Term] = []
    run, head, lemma = "", "", ""  # head: the verb or adjective of a predicate run ("" for a noun run)
    for surface, pos, dictionary_form in morphemes(text) + [("", "", "")]:
        if pos in _CONTENT_POS and not head:
            run += surface
            continue
        if pos in _TAIL_POS and head:
            run += surface
            continue
        _flush(out, run, head, lemma)
        run, head, lemma = "", "", ""
        if pos in _CONTENT_POS:
            run = surface
        elif pos in _PREDICATE_POS:
            run, head, lemma = surface, surface, dictionary_form
    return out


def _flush(out: list[Term], run: str, head: str, lemma: str) -> None:
    folded = normalize(run).replace(" ", "")
    if not folded or (head and lemma in _EMPTY_LEMMAS) or folded in _NOISE_NOUNS:
        return
    if not head and len(folded) == 1 and not re.match(r"[\u3400-\u9fff]", folded):
        return
    forms = list(query_forms(folded))
    stem = normalize(head)  # 忘れ of 忘れちゃった meets 忘れた
    if head and specific(stem) and stem not in forms:
        forms.append(stem)
    out.append(Term(folded, tuple(forms)))
