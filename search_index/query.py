"""Query evaluation over one index generation.

The index gives postings; everything after that runs on NumPy arrays held per generation (a
:class:`Snapshot`): the live-document mask, one mask per facet value, sort keys, coordinates and hours.
A query is a handful of posting reads (cached per generation) and vector operations, so its cost hardly
depends on how many documents match, and facet counts for every value come almost free.

Ranking ("relevance"): per query word, a match in the name (or its reading or English name) counts 4,
in a label (category, area, amenity, service) 2, elsewhere 1; an exact name match adds 10 and a name that
starts with the query 5; ties go in 五十音 order of the reading. With typo corrections (a query word one edit
away from a name word, see :mod:`search_index.fuzzy`), the word also matches names with the corrected word,
and every exact match still ranks above every match found only through a correction, whatever the sort.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .analysis import compact, highlight, normalize, query_grams, snippet, words as query_words
from .hours import open_mask
from .schema import FACET_FIELDS
from .synonyms import query_forms

SORTS = ("relevance", "kana", "newest", "nearest")
# Facets whose selected values must all hold (a place with a nursing room AND a kids' toilet); the others
# accept any selected value.
ALL_OF_FACETS = frozenset({"amenity"})
_POSTINGS_CACHE_SIZE = 4096
EARTH_KM = 6371.0088


@dataclass(frozen=True)
class SearchQuery:
    """A validated search. Filters: values within one facet are alternatives (amenities: all required);
    different facets all apply. ``open_at`` (local time) keeps places open then; ``now`` (local time) is
    used for the count of places open now. ``origin`` (lat, lon) gives distances and the 'nearest' sort."""
    text: str = ""
    programme: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    benefit: tuple[str, ...] = ()
    amenity: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    nationwide: tuple[str, ...] = ()  # ("1",): only places accepting other prefectures' passports
    open_at: dt.datetime | None = None
    now: dt.datetime | None = None
    sort: str = "relevance"
    origin: tuple[float, float] | None = None
    page: int = 1
    per_page: int = 20
    with_facets: bool = True

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {f: getattr(self, f) for f in FACET_FIELDS if getattr(self, f)}


@dataclass
class Hit:
    id: str
    score: float
    distance_km: float | None
    name_html: str | None = None       # the name with matches marked, when it matched
    snippet_html: str | None = None    # an excerpt of the other text with matches marked
    matched_labels: list[tuple[str, str]] = field(default_factory=list)  # (facet, value) whose label matched
    open_now: bool | None = None       # open at the query's open_at or now (None when it gave neither)


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    open_now: int | None = None
    words: list[str] = field(default_factory=list)
    relaxed_from: str | None = None    # the query as typed, when it found nothing and its content words were used
    searched_as: list[str] = field(default_factory=list)  # those content words, as typed (for display)
    did_you_mean: str | None = None    # the query with its typos corrected, when corrections added results
    corrections: dict[str, str] = field(default_factory=dict)  # folded query word -> name word as written
    exact_total: int | None = None     # with corrections: how many results match the query as typed
    applied_filters: list[tuple[str, str, str]] = field(default_factory=list)  # (facet, value, word typed)
    searched_text: str | None = None   # a sentence's words searched for besides those filters
    ignored_words: list[str] = field(default_factory=list)  # sentence words that were left out of the search


class Snapshot:
    """Arrays derived from one searcher generation; built lazily and kept until the index changes."""

    def __init__(self, searcher, labels: dict | None = None):
        self.searcher = searcher
        # (facet, value, folded label text) for matching query words against facet labels.
        self.labels = [(facet, value, normalize(text)) for facet, values in (labels or {}).items()
                       for value, text in values.items()]
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        live = np.zeros(self.size, dtype=bool)
        live[np.fromiter(self.reader.all_doc_ids(), dtype=np.int64)] = True
        self.live = live
        self.live_count = int(live.sum())
        self._facets: dict[str, dict[str, np.ndarray]] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._postings: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._kana_rank: np.ndarray | None = None
        self._open_cache: dict[tuple[int, int], np.ndarray] = {}
        self._label_terms: dict | None = None

    @property
    def label_terms(self) -> dict:
        """Whole label words -> the facet values they name (for sentences, see :mod:`.sentence`)."""
        if self._label_terms is None:
            from .sentence import label_terms
            self._label_terms = label_terms(self.labels)
        return self._label_terms

    # -- building blocks ---------------------------------------------------------------------------------
    def postings(self, fieldname: str, term: str) -> np.ndarray:
        """Sorted doc numbers having ``term`` in ``fieldname`` (LRU-cached)."""
        key = (fieldname, term)
        ids = self._postings.get(key)
        if ids is not None:
            self._postings.move_to_end(key)
            return ids
        if (fieldname, term) in self.reader:
            ids = np.fromiter(self.reader.postings(fieldname, term).all_ids(), dtype=np.int64)
        else:
            ids = np.empty(0, dtype=np.int64)
        self._postings[key] = ids
        if len(self._postings) > _POSTINGS_CACHE_SIZE:
            self._postings.popitem(last=False)
        return ids

    def mask(self, ids: np.ndarray) -> np.ndarray:
        m = np.zeros(self.size, dtype=bool)
        m[ids] = True
        return m

    def word_mask(self, fieldname: str, word: str) -> np.ndarray:
        """Documents whose ``fieldname`` contains the folded ``word`` (intersection of its n-grams)."""
        grams = query_grams(word)
        if not grams:
            return np.zeros(self.size, dtype=bool)
        lists = sorted((self.postings(fieldname, g) for g in grams), key=len)
        ids = lists[0]
        for other in lists[1:]:
            if not len(ids):
                break
            ids = np.intersect1d(ids, other, assume_unique=True)
        return self.mask(ids)

    def label_mask(self, word: str) -> np.ndarray:
        """Documents with a facet value whose label (name, reading, English, synonym) contains ``word``."""
        m = np.zeros(self.size, dtype=bool)
        for facet, value, text in self.labels:
            if word in text:
                mask = self.facet_masks(facet).get(value)
                if mask is not None:
                    m |= mask
        return m

    def labels_matching(self, words: list[str]) -> list[tuple[str, str, np.ndarray]]:
        """(facet, value, documents) of the facet values, areas and programmes aside, whose label contains one
        of ``words``: a hit's matched labels are those whose documents include it."""
        out = []
        for facet, value, text in self.labels:
            if facet in ("programme", "area") or not any(w in text for w in words):
                continue
            mask = self.facet_masks(facet).get(value)
            if mask is not None:
                out.append((facet, value, mask))
        return out

    def facet_masks(self, fieldname: str) -> dict[str, np.ndarray]:
        masks = self._facets.get(fieldname)
        if masks is None:
            masks = {}
            for term in self.reader.field_terms(fieldname):
                masks[term] = self.mask(self.postings(fieldname, term)) & self.live
            self._facets[fieldname] = masks
        return masks

    def column(self, fieldname: str) -> np.ndarray:
        col = self._columns.get(fieldname)
        if col is None:
            # An index with no documents has no segments, and Whoosh's empty reader no columns.
            values = list(self.reader.column_reader(fieldname)) if self.size else []
            if fieldname == "kana_key":
                col = np.array(values, dtype=object)
            elif fieldname in ("lat", "lon"):
                col = np.array(values, dtype=np.float64)
            else:
                col = np.array(values, dtype=np.int64)
            self._columns[fieldname] = col
        return col

    @property
    def kana_rank(self) -> np.ndarray:
        if self._kana_rank is None:
            keys = self.column("kana_key")
            order = np.argsort(keys, kind="stable")
            rank = np.empty(self.size, dtype=np.int64)
            rank[order] = np.arange(self.size)
            self._kana_rank = rank
        return self._kana_rank

    def open_at(self, when: dt.datetime) -> np.ndarray:
        key = (when.weekday(), when.hour * 60 + when.minute)
        m = self._open_cache.get(key)
        if m is None:
            m = open_mask(self.column("days"), self.column("opens"), self.column("closes"), *key) & self.live
            if len(self._open_cache) > 64:
                self._open_cache.clear()
            self._open_cache[key] = m
        return m

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(int(docnum))


def _filter_mask(snap: Snapshot, facet: str, values: tuple[str, ...]) -> np.ndarray:
    masks = snap.facet_masks(facet)
    empty = np.zeros(snap.size, dtype=bool)
    if facet in ALL_OF_FACETS:
        out = snap.live.copy()
        for v in values:
            out &= masks.get(v, empty)
        return out
    out = empty.copy()
    for v in values:
        out |= masks.get(v, empty)
    return out


def _distance_km(snap: Snapshot, idx: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    lat = np.radians(snap.column("lat")[idx])
    lon = np.radians(snap.column("lon")[idx])
    lat0, lon0 = math.radians(origin[0]), math.radians(origin[1])
    a = np.sin((lat - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    d = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    return np.where(np.isnan(d), np.inf, d)


def _top(keys: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` smallest keys, in order."""
    if k < len(keys):
        part = np.argpartition(keys, k)[:k]
        return part[np.argsort(keys[part], kind="stable")]
    return np.argsort(keys, kind="stable")


def word_match_count(snap: Snapshot, word: str) -> int:
    """How many live documents the folded query ``word`` matches on its own (name, labels or text)."""
    m = np.zeros(snap.size, dtype=bool)
    for f in query_forms(word):
        m |= snap.word_mask("name_ng", f) | snap.label_mask(f) | snap.word_mask("body_ng", f)
    return int(np.count_nonzero(m & snap.live))


def execute(snap: Snapshot, q: SearchQuery, corrections: dict[str, tuple[str, ...]] | None = None,
            corrected_text: str | None = None) -> SearchResult:
    """Evaluate ``q`` against ``snap``. ``corrections`` maps a folded query word to name words it may be a
    typo of (matched in names only, ranked after every exact match); ``corrected_text`` is the query with them
    applied (for the exact-name bonus of the corrected name)."""
    words = query_words(q.text)
    corrections = corrections or {}
    text_match = snap.live
    exact = None
    score = None
    if words:
        score = np.zeros(snap.size, dtype=np.float64)
        text_match = snap.live.copy()
        exact = snap.live.copy() if corrections else None
        for w in words:
            forms = query_forms(w)
            name = np.logical_or.reduce([snap.word_mask("name_ng", f) for f in forms])
            label = np.logical_or.reduce([snap.label_mask(f) for f in forms])
            body = np.logical_or.reduce([snap.word_mask("body_ng", f) for f in forms])
            matched = name | label | body
            score += 4.0 * name + 2.0 * label + 1.0 * body
            if w in corrections:
                exact &= matched
                fixed = np.logical_or.reduce([snap.word_mask("name_ng", c) for c in corrections[w]]) & ~name
                matched = matched | fixed
                score += 3.0 * fixed
            text_match &= matched
        for whole, weight in ((compact(q.text), 1.0), (compact(corrected_text or ""), 0.5)):
            if whole:
                score += weight * 10.0 * snap.mask(snap.postings("name_key", whole))
                score += weight * 5.0 * snap.mask(snap.postings("name_prefix", whole))

    filters = {f: _filter_mask(snap, f, v) for f, v in q.filters().items()}
    if q.open_at is not None:
        filters["open_now"] = snap.open_at(q.open_at)

    def combined(skip: str | None = None) -> np.ndarray:
        m = text_match
        for name, fm in filters.items():
            if name != skip:
                m = m & fm
        return m

    match = combined()
    total = int(match.sum())

    facets: dict[str, dict[str, int]] = {}
    open_now = None
    when = q.open_at or q.now
    if q.with_facets:
        for facet in FACET_FIELDS:
            base = combined(None if facet in ALL_OF_FACETS else facet)
            facets[facet] = {v: int(np.count_nonzero(base & m)) for v, m in snap.facet_masks(facet).items()}
        if when is not None:
            open_now = int(np.count_nonzero(combined("open_now") & snap.open_at(when)))

    idx = np.flatnonzero(match)
    start = max(q.page - 1, 0) * q.per_page
    need = start + q.per_page
    rank = snap.kana_rank[idx].astype(np.float64)
    dist = _distance_km(snap, idx, q.origin) if q.origin is not None else None
    if q.sort == "nearest" and dist is not None:
        keys = dist * 1e7 + rank / max(snap.size, 1)
    elif q.sort == "newest":
        keys = -snap.column("reg")[idx].astype(np.float64) * 1e7 + rank
    elif q.sort == "relevance" and score is not None:
        keys = -score[idx] * 1e7 + rank
    else:
        keys = rank
    exact_total = None
    if exact is not None:
        exact_total = int(np.count_nonzero(exact & match))
        keys = keys + (~exact[idx]) * 1e15  # matches as typed first, then those found through a correction
    order = _top(keys, need)[start:need] if len(idx) else np.empty(0, dtype=np.int64)

    marks = [f for w in words for f in query_forms(w)] + [c for cs in corrections.values() for c in cs]
    labelled = snap.labels_matching(marks) if words else []
    open_docs = snap.open_at(when) if when is not None else None
    hits = []
    for pos in order:
        docnum = idx[pos]
        stored = snap.stored(docnum)
        hit = Hit(id=stored["id"], score=float(score[docnum]) if score is not None else 0.0,
                  distance_km=(None if dist is None or math.isinf(dist[pos]) else round(float(dist[pos]), 2)),
                  open_now=bool(open_docs[docnum]) if open_docs is not None else None)
        if words:
            hit.name_html = highlight(stored.get("s_name", ""), marks)
            for text in (stored.get("s_body"), stored.get("s_address")):
                hit.snippet_html = snippet(text or "", marks)
                if hit.snippet_html:
                    break
            hit.matched_labels = [(facet, value) for facet, value, mask in labelled if mask[docnum]]
        hits.append(hit)
    return SearchResult(total=total, page=q.page, per_page=q.per_page, hits=hits, facets=facets,
                        open_now=open_now, words=words, exact_total=exact_total)
