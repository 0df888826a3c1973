"""Kana readings of text written in kanji, added to the index so that a query typed in kana finds it
(むさしこすぎ → 武蔵小杉, くげぬま → 鵠沼, かいてんずし → 回転鮨).

Readings come from Sudachi (SudachiPy, core dictionary) at index time only: queries are folded as usual and
meet the reading's n-grams, so searching needs no analyser. Only words that contain a kanji are read; other
words are already searchable as they are. A dictionary reading can be wrong for a rare name; the name's own
reading (名称_カナ) is indexed as well and wins for ranking.
"""
from __future__ import annotations

import threading
from functools import lru_cache

MAX_CHARS = 4000  # longer texts are read up to here (descriptions are short; this bounds the cost)
_lock = threading.Lock()  # a Sudachi tokenizer must not be used by two threads at once


def has_kanji(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆ヶ" for ch in text)


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import Dictionary, SplitMode
    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


@lru_cache(maxsize=8192)
def _read_word(word: str) -> str:
    with _lock:
        morphemes = _tokenizer().tokenize(word)
        return "".join(m.reading_form() if has_kanji(m.surface()) else m.surface() for m in morphemes)


def reading(text: str | None) -> str:
    """The katakana readings of the words of ``text`` that contain a kanji, space separated ('' if none)."""
    if not text or not has_kanji(text):
        return ""
    return " ".join(_read_word(w) for w in text[:MAX_CHARS].split() if has_kanji(w))
