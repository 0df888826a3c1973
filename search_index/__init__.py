"""Facility search: Japanese-aware analysis, a Whoosh index kept behind a small API, and fast queries.

Public API::

    idx = SearchIndex(path)
    idx.rebuild(docs, checkpoint=0)              # build anew and swap in atomically
    idx.apply(upserts=[doc], deletes=["KP-1"])   # incremental change
    result = idx.search(SearchQuery(text="じゅにゅう", amenity=("nursing_room",)))

``docs`` are plain dicts (see :func:`search_index.schema.to_fields`). Nothing here imports Flask.
"""
from .analysis import compact, highlight, normalize, snippet, words
from .hours import is_open_at, parse_hhmm
from .index import IndexBusy, IndexMissing, RebuildStats, SearchIndex
from .query import SORTS, Hit, SearchQuery, SearchResult
from .schema import FACET_FIELDS

__all__ = [
    "SearchIndex", "SearchQuery", "SearchResult", "Hit", "RebuildStats", "IndexBusy", "IndexMissing",
    "FACET_FIELDS", "SORTS", "normalize", "words", "compact", "highlight", "snippet", "is_open_at", "parse_hhmm",
]
