"""Building a fresh index fast: Whoosh segments written in parallel processes, each doing the whole work of its
share of the documents (readings, n-grams, postings).

Whoosh's own multi-process writer analyses the field values in the parent (here: the Sudachi readings, the
folding and the name prefixes, a third of the work), pickles them to job files and gives the children only the
postings. Here each child takes every ``procs``-th document of the list, turns it into fields itself and writes a
finished segment; the parent only collects the segments into the index's table of contents. Two Whoosh costs
that buy nothing for this index are skipped while building: per-posting field lengths for block statistics
(nothing here scores with BM25; ranking is computed from doc ids in :mod:`search_index.query`) and the
defensive type checks of the posting pool. The segments are ordinary Whoosh 3 segments: searching, the
incremental :meth:`~search_index.index.SearchIndex.apply` and merges read them like any other.
"""
from __future__ import annotations

import multiprocessing
import traceback
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.writing import PostingPool, SegmentWriter

from . import fuzzy
from .schema import to_fields

_POSTING_SIZE = 150  # Whoosh's own per-posting memory estimate, give or take the lengths of the strings


class _BuildPostingsWriter(W3PostingsWriter):
    """Whoosh 3's posting-block writer without its per-posting type assertions and length statistics."""

    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:  # type: ignore[has-type]
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)


class _BuildFieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """Whoosh's loop from sorted postings to terms, without a field-length lookup per posting (the
        min/max lengths per block serve BM25 scoring only) and with the posting writer called directly."""
        lastfn = lasttext = None
        add: Any = None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn, lasttext = fieldname, None
            if docnum == -1:  # a spelling word (none in this schema)
                continue
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                lasttext = btext
                add = self._postwriter.add_posting
            add(docnum, weight, value or b"", 0)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class _BuildCodec(W3Codec):
    """The standard codec with the lean writers above; what it writes is read by the standard codec."""

    length_stats = False

    def field_writer(self, storage, segment):
        return _BuildFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _BuildPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                    compression=self._compression, inlinelimit=self._inlinelimit)


class _BuildPool(PostingPool):
    """Whoosh's posting pool without its per-posting assertions and size arithmetic."""

    def add(self, item):
        self.currentsize += _POSTING_SIZE + len(item[1])
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


def _segment_writer(ix: Any, limitmb: int, lock: bool) -> SegmentWriter:
    writer = SegmentWriter(ix, _lk=lock, limitmb=limitmb, codec=_BuildCodec())
    writer.pool = _BuildPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    return writer


def _write_segment(writer: SegmentWriter, docs) -> tuple[Any, dict, int]:
    """(the finished segment or None when ``docs`` is empty, name words, document count)."""
    names: dict[str, list] = {}
    count = 0
    for doc in docs:
        writer.add_document(**to_fields(doc))
        fuzzy.collect(names, doc)
        count += 1
    if not count:
        writer._close_segment()
        return None, names, 0
    segment = writer._finalize_segment()
    segment._codec = W3Codec()  # read back with the standard codec (the table of contents pickles it)
    return segment, names, count


def _child(path: str, docs: list, limitmb: int, conn) -> None:
    try:
        ix = whoosh_index.open_dir(path)
        conn.send(("ok", _write_segment(_segment_writer(ix, limitmb, lock=False), docs)))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def build(path: str, docs, procs: int = 1, limitmb: int = 2048) -> tuple[int, dict]:
    """Add ``docs`` (facility documents) to the new, empty index at ``path`` in ``procs`` processes and commit.
    Returns (documents added, name words for :mod:`search_index.fuzzy`). Nothing is committed on error."""
    ix = whoosh_index.open_dir(path)
    try:
        writer = _segment_writer(ix, limitmb, lock=True)
        try:
            if procs <= 1:
                segment, names, count = _write_segment(writer, docs)
                segments = [segment] if segment is not None else []
            else:
                segments, names, count = _parallel(path, list(docs), procs, limitmb)
                writer._close_segment()
            writer._commit_toc(segments)
            writer._finish()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
    finally:
        ix.close()
    return count, names


def _parallel(path: str, docs: list, procs: int, limitmb: int) -> tuple[list, dict, int]:
    ctx = multiprocessing.get_context("fork")  # children inherit the documents instead of unpickling them
    shares = [docs[i::procs] for i in range(procs)]
    children = []
    for share in shares:
        if not share:
            continue
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(path, share, limitmb, send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    segments: list = []
    names: dict[str, list] = {}
    count, errors = 0, []
    try:
        for child, receive in children:
            try:
                status, result = receive.recv()
            except EOFError:
                errors.append(f"index build process {child.pid} died (exit code {child.exitcode})")
                continue
            if status != "ok":
                errors.append(result)
                continue
            segment, part_names, part_count = result
            if segment is not None:
                segments.append(segment)
            count += part_count
            for folded, (written, n) in part_names.items():
                entry = names.setdefault(folded, [written, 0])
                entry[1] += n
    finally:
        for child, receive in children:
            receive.close()
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
                child.join()
    if errors:
        raise RuntimeError("index build failed:\n" + "\n".join(errors))
    return segments, names, count
