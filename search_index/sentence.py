"""Questions typed as sentences: 「ベビーカーで入れるレストラン」, 「雨の日に子どもと遊べる場所 藤沢」,
"where can I change a diaper near Kamakura Station".

A sentence's content words (:func:`search_index.readings.content_words`, plus the dictionary form of its verbs)
are each looked up as a whole word of a facet label (category, amenity, benefit kind, area: names, readings,
English names, aliases; a place also without 市/町/村), directly, through a synonym (:mod:`.synonyms`) or
through an everyday word for it (``data/sentence.json``: レストラン → 飲食店, 遊べる → 遊び場). A word naming
exactly one facet value becomes that filter; a word naming several stays a search word; words that say
nothing about the place on this site (子ども, 雨の日) are left out and reported, English function words
(where, can, a) silently. Nothing here
searches: :meth:`search_index.SearchIndex.search` runs the result (see ``_understood`` there).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .analysis import normalize
from .readings import content_words, verb_lemmas
from .synonyms import query_forms

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "sentence.json")
# Facets a sentence's words may turn into filters (programme and service are not said in everyday words).
FACETS = ("category", "amenity", "benefit", "area")
MULTI_VALUE_FACETS = frozenset({"amenity"})  # several amenities asked for together all apply
_PLACE_SUFFIXES = ("市", "町", "村")
_ASCII = re.compile(r"^[a-z]+$")


@dataclass
class Interpretation:
    """What a sentence asks for: filters (facet, value, word as typed), search words as typed, words left out."""
    filters: list[tuple[str, str, str]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def used(self) -> list[str]:
        """The words the search uses, as filters or as words, in the order typed."""
        return [w for w in self._order if w not in self.ignored]

    _order: list[str] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class _Data:
    stopwords: frozenset[str]        # left out, and said so
    function_words: frozenset[str]   # English function words, left out silently
    meanings: dict[str, str]


@lru_cache(maxsize=1)
def _data() -> _Data:
    with open(DATA_FILE, encoding="utf-8") as f:
        raw = json.load(f)
    if raw.get("version") != 1:
        raise ValueError(f"{DATA_FILE}: expected version 1")
    return _Data(frozenset(normalize(w) for w in raw["stopwords"]),
                 frozenset(normalize(w) for w in raw["english_stopwords"]),
                 {normalize(k): normalize(v) for k, v in raw["meanings"].items()})


def stem(word: str) -> str:
    """A crude English stem, enough to meet label words (changing/change, toilets/toilet)."""
    for suffix in ("ing", "es", "ed", "s", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def label_terms(labels: list[tuple[str, str, str]]) -> dict[str, frozenset[tuple[str, str]]]:
    """{whole label word (folded; English also stemmed): the (facet, value) pairs it names}."""
    terms: dict[str, set[tuple[str, str]]] = {}
    for facet, value, text in labels:
        if facet not in FACETS:
            continue
        for term in text.split():
            forms = {term}
            if facet == "area":
                place = term.split("県", 1)[-1]  # 神奈川県藤沢市 -> 藤沢市
                forms.add(place)
                for f in list(forms):
                    if f.endswith(_PLACE_SUFFIXES) and len(f) > 2:
                        forms.add(f[:-1])
                    if f.endswith("シ") and len(f) > 3:  # reading: フジサワシ -> フジサワ
                        forms.add(f[:-1])
            if _ASCII.match(term):
                forms.add(stem(term))
            for f in forms:
                terms.setdefault(f, set()).add((facet, value))
    return {k: frozenset(v) for k, v in terms.items()}


def _names(word: str, terms: dict) -> frozenset[tuple[str, str]]:
    """The facet values a folded word names as a whole label word (directly, by synonym or everyday word)."""
    data = _data()
    found: set[tuple[str, str]] = set()
    for form in (word, data.meanings.get(word)):
        if not form:
            continue
        for f in query_forms(form):
            found |= terms.get(f, set())
            if _ASCII.match(f):
                found |= terms.get(stem(f), set())
        if found:
            break
    return frozenset(found)


def interpret(text: str, labels: list[tuple[str, str, str]], taken: frozenset[str] = frozenset(),
              terms: dict | None = None) -> Interpretation:
    """Read ``text`` as a sentence. ``taken`` are facets the searcher already filters on (left alone)."""
    data = _data()
    terms = terms if terms is not None else label_terms(labels)
    out = Interpretation()
    chosen: dict[str, list[tuple[str, str]]] = {}   # facet -> [(value, word)]
    for typed in content_words(text):
        folded = normalize(typed)
        if folded in data.function_words:
            continue
        out._order.append(typed)
        if not folded or folded in data.stopwords:
            out.ignored.append(typed)
            continue
        named = _names(folded, terms)
        if len(named) == 1 and next(iter(named))[0] not in taken:
            facet, value = next(iter(named))
            chosen.setdefault(facet, []).append((value, typed))
            continue
        replacement = data.meanings.get(folded)
        out.words.append(replacement if replacement and not _names(replacement, terms) else typed)
    for written, lemma in verb_lemmas(text):
        named = _names(normalize(written), terms) or _names(normalize(lemma), terms)
        if len(named) == 1 and next(iter(named))[0] not in taken:
            facet, value = next(iter(named))
            chosen.setdefault(facet, []).append((value, written))
            out._order.append(written)
    for facet, picks in chosen.items():
        values = list(dict.fromkeys(v for v, _ in picks))
        if len(values) > 1 and facet not in MULTI_VALUE_FACETS:
            out.words += [w for _, w in picks]  # two areas named: not one filter; search for both words
            continue
        for value in values:
            out.filters.append((facet, value, " ".join(dict.fromkeys(w for v, w in picks if v == value))))
    return out
