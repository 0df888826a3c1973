"""The on-disk index: atomic rebuilds, incremental changes from the change log, and per-process searchers.

Layout under the base directory::

    current -> gen-20261123T101500-1234   (symlink, swapped atomically by a rebuild)
    gen-.../                              (a Whoosh index, plus the files ``checkpoint``, ``labels.json``
                                           and ``names.tsv``, the name words typos are corrected to)

``checkpoint`` holds the id of the last change-log entry the index reflects. Whoosh allows one writer at a
time: only the indexer (or, in single-process set-ups, the committing process) writes; searchers refresh
cheaply when the generation changes. Whoosh segments are not crash-safe: after a crash, rebuild.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable

from whoosh import index as whoosh_index
from whoosh.writing import LockError

from . import bulk, fuzzy, sentence
from .analysis import normalize, romaji_reading
from .query import SearchQuery, SearchResult, Snapshot, execute, word_match_count
from .analysis import words as query_words
from .schema import build_schema, to_fields

log = logging.getLogger(__name__)

CURRENT = "current"
CHECKPOINT = "checkpoint"
LABELS = "labels.json"
# A search finding fewer results than this also tries typo corrections of its words.
FEW_RESULTS = 3


class IndexBusy(Exception):
    """Another process holds the index writer lock."""


class IndexMissing(Exception):
    """No index has been built yet (run the rebuild)."""


@dataclass
class RebuildStats:
    documents: int
    seconds: float
    size_bytes: int
    path: str


def _dir_size(path: str) -> int:
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


class SearchIndex:
    """A facility search index in ``base_dir`` (see the module docstring)."""

    def __init__(self, base_dir: str):
        self.base_dir = os.path.abspath(base_dir)
        self._lock = threading.RLock()
        self._ix: Any = None
        self._ix_path: str | None = None
        self._searcher = None
        self._snapshot: Snapshot | None = None
        self._typos: tuple[str, fuzzy.TypoDictionary] | None = None

    # -- locations ---------------------------------------------------------------------------------------
    @property
    def current_path(self) -> str:
        return os.path.join(self.base_dir, CURRENT)

    def exists(self) -> bool:
        return os.path.isdir(self.current_path) and whoosh_index.exists_in(self.current_path)

    def _resolved(self) -> str:
        return os.path.realpath(self.current_path)

    # -- writing -----------------------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[dict], checkpoint: int = 0, labels: dict | None = None,
                procs: int = 1, limitmb: int = 2048) -> RebuildStats:
        """Build a fresh index from ``docs`` in a new directory, then swap it in atomically.

        ``checkpoint`` is the last change-log id the documents reflect (read it before reading the rows).
        ``labels`` maps a facet to {value: text people may type for it} (names, readings, English, synonyms):
        a query word found in a label matches every document with that facet value. ``procs`` > 1 builds
        in that many processes, each one segment of every ``procs``-th document (:mod:`search_index.bulk`).

        ``limitmb`` is each writer's posting buffer (Whoosh's estimate, in MB). Once it is full, Whoosh pickles
        every posting to a temporary run file and merges the runs back at commit, which about doubles the build
        time: the default keeps 25 000 facilities per process in memory (about 2 GB per writer process at peak);
        lower it where memory is scarce."""
        started = time.perf_counter()
        os.makedirs(self.base_dir, exist_ok=True)
        gen = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 100000}"
        path = os.path.join(self.base_dir, gen)
        os.makedirs(path)
        try:
            whoosh_index.create_in(path, build_schema()).close()
            count, names = bulk.build(path, docs, procs=procs, limitmb=limitmb)
            fuzzy.write_names(os.path.join(path, fuzzy.NAMES_FILE), names)
            self._write_checkpoint(path, checkpoint)
            self._write_labels(path, labels or {})
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        previous = self._resolved() if os.path.islink(self.current_path) else None
        tmp_link = os.path.join(self.base_dir, f".{gen}.link")
        os.symlink(gen, tmp_link)
        os.replace(tmp_link, self.current_path)  # atomic on POSIX
        self._cleanup(keep={path, previous})
        log.info("search index rebuilt: %d documents in %.1fs at %s", count, time.perf_counter() - started, path)
        return RebuildStats(count, time.perf_counter() - started, _dir_size(path), path)

    def _cleanup(self, keep: set) -> None:
        """Remove generations older than the current and the previous one (open searchers keep the previous)."""
        for name in os.listdir(self.base_dir):
            full = os.path.join(self.base_dir, name)
            if name.startswith("gen-") and full not in keep:
                shutil.rmtree(full, ignore_errors=True)

    def apply(self, upserts: Iterable[dict] = (), deletes: Iterable[str] = (), checkpoint: int | None = None,
              labels: dict | None = None, timeout: float = 5.0) -> int:
        """Add or replace ``upserts`` and remove the ids in ``deletes`` in one commit; record ``checkpoint``
        (and ``labels``, when given).

        Raises :class:`IndexBusy` when another writer holds the lock for longer than ``timeout`` seconds."""
        if not self.exists():
            raise IndexMissing(self.base_dir)
        path = self._resolved()
        ix = whoosh_index.open_dir(path)
        try:
            try:
                writer = ix.writer(timeout=timeout)
            except LockError as exc:
                raise IndexBusy(path) from exc
            n = 0
            names: dict[str, list] = {}
            try:
                for doc_id in deletes:
                    writer.delete_by_term("id", doc_id)
                    n += 1
                for doc in upserts:
                    writer.update_document(**to_fields(doc))
                    fuzzy.collect(names, doc)
                    n += 1
            except BaseException:
                writer.cancel()
                raise
            if labels is not None:
                self._write_labels(path, labels)
            writer.commit()
            if names:  # words of deleted names stay: a correction is only offered when it finds something
                fuzzy.write_names(os.path.join(path, fuzzy.NAMES_FILE), names, append=True)
            if checkpoint is not None:
                self._write_checkpoint(path, checkpoint)
        finally:
            ix.close()
        return n

    @staticmethod
    def _write_checkpoint(path: str, value: int) -> None:
        tmp = os.path.join(path, CHECKPOINT + ".tmp")
        with open(tmp, "w") as f:
            f.write(str(int(value)))
        os.replace(tmp, os.path.join(path, CHECKPOINT))

    @staticmethod
    def _write_labels(path: str, labels: dict) -> None:
        tmp = os.path.join(path, LABELS + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(labels, f, ensure_ascii=False)
        os.replace(tmp, os.path.join(path, LABELS))

    def _read_labels(self, path: str) -> dict:
        try:
            with open(os.path.join(path, LABELS), encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    def state(self) -> tuple[str, int]:
        """(current generation, checkpoint): it changes whenever what searches find may have changed."""
        path = self._resolved()
        return os.path.basename(path), self._read_checkpoint(path)

    def checkpoint(self) -> int:
        """The last change-log id the current index reflects (0 when unknown)."""
        return self._read_checkpoint(self._resolved())

    @staticmethod
    def _read_checkpoint(path: str) -> int:
        try:
            with open(os.path.join(path, CHECKPOINT)) as f:
                return int(f.read().strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    # -- reading -----------------------------------------------------------------------------------------
    def _current_snapshot(self) -> Snapshot:
        """The snapshot for the newest committed generation, refreshed only when the index changed."""
        path = self._resolved()
        if self._ix_path != path or self._ix is None:
            if not whoosh_index.exists_in(path):
                raise IndexMissing(self.base_dir)
            self._close_reader()
            self._ix = whoosh_index.open_dir(path)
            self._ix_path = path
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        elif not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers and misses deletions added to a segment
            # that is otherwise unchanged (an update_document of a document in an old segment).
            self._searcher.close()
            self._searcher = self._ix.searcher()
            self._snapshot = None
        if self._snapshot is None or self._snapshot.searcher is not self._searcher:
            self._snapshot = Snapshot(self._searcher, self._read_labels(path))
        return self._snapshot

    def _close_reader(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._searcher = self._ix = self._snapshot = None
        self._ix_path = None

    def typo_dictionary(self) -> fuzzy.TypoDictionary:
        """The name words of the current generation (built on first use, then following appended words)."""
        path = self._resolved()
        if self._typos is None or self._typos[0] != path:
            self._typos = (path, fuzzy.TypoDictionary())
        return self._typos[1].follow(os.path.join(path, fuzzy.NAMES_FILE))

    def _corrected(self, snap: Snapshot, query: SearchQuery, result: SearchResult) -> SearchResult | None:
        """The search again with the query's typos corrected, when that finds more; else None."""
        typos = self.typo_dictionary()
        corrections: dict[str, tuple[str, ...]] = {}
        for w in result.words:
            if len(w) < fuzzy.MIN_LENGTH or word_match_count(snap, w) >= FEW_RESULTS:
                continue
            found = typos.corrections(w)
            reading = romaji_reading(w)
            if not found and reading:
                found = typos.corrections(reading)
            if found:
                corrections[w] = tuple(found)
        if not corrections:
            return None
        pieces = []
        for piece in query.text.split():
            w = normalize(piece)
            pieces.append(typos.written[corrections[w][0]] if w in corrections else piece)
        corrected_text = " ".join(pieces)
        fixed = execute(snap, query, corrections=corrections, corrected_text=corrected_text)
        if fixed.total <= result.total:
            return None
        fixed.did_you_mean = corrected_text
        fixed.corrections = {w: typos.written[c[0]] for w, c in corrections.items()}
        return fixed

    def search(self, query: SearchQuery) -> SearchResult:
        """Run ``query``: matching ids for the requested page with highlights, the total and facet counts.

        A query that finds fewer than FEW_RESULTS also matches names one typo away from its words (マクドナルト →
        マクドナルド), below the exact matches; the result then says so in ``did_you_mean``.
        A query typed as a phrase that finds nothing as typed (藤沢で授乳室があるところ) is tried again with its
        content words (藤沢 授乳室); the result then says so in ``relaxed_from``."""
        with self._lock:
            snap = self._current_snapshot()
            result = execute(snap, query)
            if query.text and result.total < FEW_RESULTS:
                result = self._corrected(snap, query, result) or result
            if result.total or not query.text:
                return result
            return self._understood(snap, query) or result

    def _understood(self, snap: Snapshot, query: SearchQuery) -> SearchResult | None:
        """A query that found nothing, read as a sentence (see :mod:`.sentence`): its content words, those
        naming one category, amenity, benefit kind or area as filters, the rest as search words (a word that
        finds nothing with those filters is left out). None when that finds nothing either."""
        reading = sentence.interpret(query.text, snap.labels, frozenset(query.filters()), snap.label_terms)
        words, filters = reading.words, reading.filters
        typed = query_words(query.text)
        as_typed = [normalize(w) for w in reading.used] == typed  # words only, no sentence around them
        if not filters and (not words or [normalize(w) for w in words] == typed):
            return None
        merged = {facet: getattr(query, facet) for facet in sentence.FACETS}
        for facet, value, _ in filters:
            merged[facet] = tuple(dict.fromkeys(merged[facet] + (value,)))
        understood = dataclasses.replace(query, text=" ".join(words), **merged)
        result = execute(snap, understood)
        if not result.total and not as_typed and filters and words:
            # Only beside filters the sentence named: without them, dropping words would find places that
            # merely contain one of them (家 for 海の家).
            probe = dataclasses.replace(understood, with_facets=False, per_page=1, page=1)
            kept = [w for w in words if execute(snap, dataclasses.replace(probe, text=w)).total]
            if kept != words:
                reading.ignored += [w for w in words if w not in kept]
                words = kept
                result = execute(snap, dataclasses.replace(understood, text=" ".join(words)))
        if not result.total:
            return None
        result.relaxed_from = query.text
        result.searched_as = [w for w in reading.used if w not in reading.ignored] or list(words)
        result.searched_text = " ".join(words)
        result.applied_filters = filters
        result.ignored_words = list(dict.fromkeys(reading.ignored))
        return result

    def warm(self) -> None:
        """Do now what the first searches of a new process would wait for: open the index and build what its
        searches read lazily (facet masks, sort and hours columns, the typo dictionary, the sentence reader's
        dictionary). Raises IndexMissing when there is no index."""
        import datetime as dt
        now = dt.datetime.now()
        for text, sort in (("授乳室があるカフェを探しています", "relevance"), ("こどもぷらさ", "relevance"),
                           ("", "kana"), ("", "newest"), ("", "nearest")):
            self.search(SearchQuery(text=text, sort=sort, origin=(35.45, 139.4), open_at=now, now=now, per_page=1))

    def doc_count(self) -> int:
        with self._lock:
            return self._current_snapshot().live_count

    def close(self) -> None:
        with self._lock:
            self._close_reader()
