"""Typo tolerance: the words of facility names, and a deletion-neighbourhood dictionary over them (SymSpell).

Every name word of four characters or more (folded: マクドナルド, スタバツクス, starbucks) is stored in the
generation's ``names.tsv`` (folded form, how it is written, how many names have it); the dictionary maps each
word and each form of it with one character deleted to the words. A query word then needs only its own
deletions looked up (len + 1 dictionary reads) to find every name word within one edit: one wrong, missing,
extra or swapped (adjacent) character. No scan of the vocabulary per query.

``names.tsv`` is append-only within a generation: a rebuild writes it whole, an incremental change appends the
words of the documents it adds, and a reader that has seen part of the file reads only the rest.
"""
from __future__ import annotations

import os
from collections import defaultdict

from .analysis import normalize

MIN_LENGTH = 4   # shorter words have too many neighbours to guess from
MAX_LENGTH = 24
NAMES_FILE = "names.tsv"


def name_words(*names: str | None) -> list[tuple[str, str]]:
    """(folded, as written) for each word of ``names`` long enough to be corrected to."""
    out: dict[str, str] = {}
    for name in names:
        for piece in (name or "").split():
            folded = normalize(piece)
            if MIN_LENGTH <= len(folded) <= MAX_LENGTH and " " not in folded:
                out.setdefault(folded, piece)
    return list(out.items())


def doc_name_words(doc: dict) -> list[tuple[str, str]]:
    return name_words(doc.get("name"), doc.get("name_kana"), doc.get("name_en"))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by at most one substitution, insertion, deletion or adjacent swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]  # swap
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


class TypoDictionary:
    """Name words and their one-deletion neighbourhood, loaded from (and following) a ``names.tsv``."""

    def __init__(self):
        self.written: dict[str, str] = {}      # folded -> as written (first seen)
        self.count: dict[str, int] = defaultdict(int)
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        self.offset = 0                        # bytes of names.tsv read so far

    def add(self, folded: str, written: str, count: int = 1) -> None:
        if folded not in self.written:
            self.written[folded] = written
            self._by_deletion[folded].append(folded)
            for d in _deletions(folded):
                self._by_deletion[d].append(folded)
        self.count[folded] += count

    def follow(self, path: str) -> "TypoDictionary":
        """Read what was appended to ``path`` since the last call (all of it the first time)."""
        try:
            with open(path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return self
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        for line in data[:end].decode("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0]:
                self.add(parts[0], parts[1], int(parts[2] or 1))
        self.offset += end
        return self

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Name words one edit away from the folded ``word`` (not ``word`` itself), most frequent first.
        (A word may itself be a rare name and a typo of a common one: the caller decides by its results.)"""
        if not MIN_LENGTH <= len(word) <= MAX_LENGTH + 1:
            return []
        found: set[str] = set()
        for key in _deletions(word) | {word}:
            for cand in self._by_deletion.get(key, ()):
                if cand != word and within_one_edit(word, cand):
                    found.add(cand)
        return sorted(found, key=lambda c: (-self.count[c], c))[:limit]

    def __len__(self) -> int:
        return len(self.written)


def write_names(path: str, counts: dict[str, list], append: bool = False) -> None:
    """Write (or append) ``counts`` ({folded: [written, count]}) as names.tsv lines."""
    lines = "".join(f"{k}\t{w.replace(chr(9), ' ')}\t{n}\n" for k, (w, n) in counts.items())
    if append:
        with open(path, "a", encoding="utf-8") as f:
            f.write(lines)
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(lines)
    os.replace(tmp, path)


def collect(counts: dict[str, list], doc: dict) -> None:
    """Add the name words of ``doc`` to ``counts``."""
    for folded, written in doc_name_words(doc):
        entry = counts.get(folded)
        if entry is None:
            counts[folded] = [written, 1]
        else:
            entry[1] += 1
