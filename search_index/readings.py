"""Sudachi-based analysis: kana readings of text written in kanji, added to the index so that a query typed in
kana finds it (むさしこすぎ → 武蔵小杉, くげぬま → 鵠沼, かいてんずし → 回転鮨); and the content words of a query
typed as a phrase (:func:`content_words`), to retry one that found nothing.

Readings come from Sudachi (SudachiPy, core dictionary) at index time only: queries are folded as usual and
meet the reading's n-grams, so searching needs no analyser. Only words that contain a kanji are read; other
words are already searchable as they are. A dictionary reading can be wrong for a rare name; the name's own
reading (名称_カナ) is indexed as well and wins for ranking.
"""
from __future__ import annotations

import threading
from functools import lru_cache

from .analysis import has_kanji

MAX_CHARS = 4000  # longer texts are read up to here (descriptions are short; this bounds the cost)
_lock = threading.Lock()  # a Sudachi tokenizer must not be used by two threads at once


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import Dictionary, SplitMode
    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


@lru_cache(maxsize=8192)
def _read_word(word: str, proper_nouns_only: bool) -> str:
    with _lock:
        morphemes = [(m.surface(), m.reading_form(), m.part_of_speech()[1]) for m in _tokenizer().tokenize(word)]
    if proper_nouns_only:
        return " ".join(r for surface, r, pos in morphemes if pos == "固有名詞" and has_kanji(surface))
    return "".join(r if has_kanji(surface) else surface for surface, r, _ in morphemes)


def reading(text: str | None, proper_nouns_only: bool = False) -> str:
    """The katakana readings of the words of ``text`` that contain a kanji, space separated ('' if none).

    With ``proper_nouns_only`` only place and other proper names are read (武蔵小杉, 鵠沼海岸): in running text,
    readings of common words (会社 カイシャ) would let short kana queries (いしゃ) match almost anything."""
    if not text or not has_kanji(text):
        return ""
    words = (_read_word(w, proper_nouns_only) for w in text[:MAX_CHARS].split() if has_kanji(w))
    return " ".join(w for w in words if w)


# Words that carry no search meaning on their own in a query written as a phrase (藤沢で授乳室があるところ).
_QUERY_STOPWORDS = frozenset({"ところ", "とこ", "所", "お店", "店", "場所", "施設", "もの", "こと", "近く", "周辺",
                              "辺り", "あたり", "おすすめ", "オススメ"})
_CONTENT_POS = frozenset({"名詞", "接頭辞", "接尾辞", "形状詞"})


def content_words(text: str) -> list[str]:
    """The content words of a query typed as a phrase: runs of nouns (with their prefixes and suffixes) between
    particles, verbs and adjectives, generic words like ところ dropped. 「茅ヶ崎の授乳室」 → [茅ヶ崎, 授乳室],
    「おむつ替えができるカフェ」 → [おむつ替え, カフェ]. Used to retry a query that found nothing as typed."""
    out: list[str] = []
    for part in (text or "")[:200].split():
        with _lock:
            morphemes = [(m.surface(), m.part_of_speech()[0]) for m in _tokenizer().tokenize(part)]
        run = ""
        for surface, pos in morphemes + [("", "")]:
            if pos in _CONTENT_POS:
                run += surface
                continue
            if run and run not in _QUERY_STOPWORDS:
                out.append(run)
            run = ""
    return list(dict.fromkeys(out))


def verb_lemmas(text: str) -> list[tuple[str, str]]:
    """The verbs of a query typed as a sentence, as (written, dictionary form): 遊べる → (遊べる, 遊ぶ)."""
    out: list[tuple[str, str]] = []
    for part in (text or "")[:200].split():
        with _lock:
            out += [(m.surface(), m.normalized_form()) for m in _tokenizer().tokenize(part)
                    if m.part_of_speech()[0] == "動詞" and m.part_of_speech()[1] != "非自立可能"]
    return list(dict.fromkeys(out))


def morphemes(text: str) -> list[tuple[str, str, str]]:
    """``(surface, part of speech, dictionary form)`` of each morpheme of ``text`` (up to 200 characters), for
    callers that split a phrase their own way (the agents' console keeps verbs: 読めない, 届かない)."""
    if not text:
        return []
    with _lock:
        return [(m.surface(), m.part_of_speech()[0], m.dictionary_form())
                for m in _tokenizer().tokenize(text[:200])]
