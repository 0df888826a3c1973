"""Query-side synonyms: the words parents type for the same thing (歯医者 for 歯科, 本屋 for 書店, ファミサポ for
ファミリーサポート), kept as a versioned data file (``data/synonyms.json``) and validated when first used.

Only queries are expanded, never documents, so the index does not change when the list does. A query word is
searched as itself or any of its forms (OR), where the forms are: the word, its kana reading if it is romaji,
and — for each synonym group member of two characters or more inside the word (or a one-character member equal
to it) — the word with that member replaced by each other member of the group (子供服 → こども服 is handled by
folding already; パン屋さん → パン屋 → ベーカリー). A trailing honorific さん is dropped (歯医者さん).
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import NamedTuple

from .analysis import alternatives, has_kanji, normalize

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "synonyms.json")
MAX_FORMS = 16
_HONORIFIC = normalize("さん")
# Members written in hiragana (はいしゃ) are how people type, not how listings write: searched for only when typed.
_HIRAGANA = re.compile(r"[\u3041-\u309f]+")


class SynonymDataError(ValueError):
    """The synonyms file breaks its format (the message says where)."""


class Group(NamedTuple):
    """One group, folded: all its ``members`` (what may be typed) and the ``targets`` searched for in documents
    (:func:`specific` enough and not written in hiragana in the file)."""
    members: tuple[str, ...]
    targets: tuple[str, ...]


def load_groups(path: str = DATA_FILE) -> list[Group]:
    """The synonym groups of ``path``; raises SynonymDataError on a malformed file."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("groups"), list):
        raise SynonymDataError(f"{path}: expected {{\"version\": 1, \"groups\": [...]}}")
    groups = []
    for i, group in enumerate(data["groups"]):
        if not isinstance(group, list) or not all(isinstance(m, str) for m in group):
            raise SynonymDataError(f"{path}: group {i} is not a list of strings")
        folded = [normalize(m) for m in group]
        if any(not m or " " in m for m in folded):
            raise SynonymDataError(f"{path}: group {i} has an empty or multi-word member: {group}")
        if len(set(folded)) != len(folded) or len(folded) < 2:
            raise SynonymDataError(f"{path}: group {i} needs two or more different members: {group}")
        targets = tuple(f for m, f in zip(group, folded, strict=True) if not _HIRAGANA.fullmatch(m) and specific(f))
        groups.append(Group(tuple(folded), targets))
    return groups


def specific(form: str) -> bool:
    """Whether a folded form is specific enough to search documents for: two characters or more with a kanji,
    three or more otherwise (パン or 宿 alone would also find ジャパン or 新宿)."""
    return len(form) >= (2 if has_kanji(form) else 3)


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    table: dict[str, dict[str, None]] = {}
    for group in load_groups():
        for member in group.members:
            others = table.setdefault(member, {})
            for other in group.targets:
                if other != member:
                    others.setdefault(other, None)
    # longest members first, so 耳鼻咽喉科 is tried before 耳鼻科 and 中華そば before そば
    return {m: tuple(o) for m, o in sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))}


def _synonym_forms(word: str) -> list[str]:
    forms: dict[str, None] = {word: None}
    taken: list[tuple[int, int]] = []  # spans already matched by a longer member (パン inside パン屋)
    for member, others in _table().items():
        if member != word and (len(member) < 2 or member not in word):
            continue
        start = word.find(member)
        end = start + len(member)
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        for other in others:
            forms.setdefault(word[:start] + other + word[end:], None)
    return list(forms)


@lru_cache(maxsize=4096)
def query_forms(word: str) -> tuple[str, ...]:
    """Every form the folded query ``word`` may take in a document (itself first), at most MAX_FORMS."""
    bases = [word]
    if word.endswith(_HONORIFIC) and len(word) > len(_HONORIFIC) + 1:
        bases.append(word[: -len(_HONORIFIC)])
    forms: dict[str, None] = {}
    for base in bases:
        for alt in alternatives(base):
            for form in _synonym_forms(alt):
                forms.setdefault(form, None)
    return tuple(forms)[:MAX_FORMS]
