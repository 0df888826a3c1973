"""Japanese text normalisation and n-gram analysis, shared by indexing, querying and highlighting.

Folding (applied to documents and queries alike, so every variant meets the same form):

* NFKC: half-width kana -> full-width (ｶﾞ -> ガ), full-width letters/digits -> ASCII (ＡＢＣ１ -> abc1);
* lower case, and Latin accents dropped (Café -> cafe);
* hiragana -> katakana (すたば -> スタバ), small kana -> large (キャ -> キヤ, ッ -> ツ, ヶ -> ケ);
* long-vowel marks after kana dropped (コーヒー, コーヒ -> コヒ);
* ヶ/ケ/が/ガ/か/カ between kanji (or a digit and a kanji) -> ケ: 茅ヶ崎, 茅ケ崎, 茅が崎 are one name;
* a few old/variant kanji common in names -> the usual form (髙 -> 高, 﨑 -> 崎, ...);
* punctuation dropped inside a word (キッズ・スペース -> キッズスペース), white space splits words.

Analysis: every word yields its character 1-, 2- and 3-grams. A query word of up to three characters is one
term; a longer word is the intersection of its trigrams, which contains every substring match (so a query finds
whatever a substring search finds: 授乳 inside 授乳室, 風呂 inside 露天風呂, one-character words like 駅).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv

from whoosh.analysis import Token, Tokenizer

MAX_GRAM = 3

_SMALL_KANA = str.maketrans({
    "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ", "ョ": "ヨ",
    "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ", "ㇰ": "ク", "ㇱ": "シ", "ㇲ": "ス", "ㇳ": "ト", "ㇵ": "ハ", "ㇶ": "ヒ",
    "ㇷ": "フ", "ㇸ": "ヘ", "ㇹ": "ホ", "ㇺ": "ム", "ㇻ": "ラ", "ㇼ": "リ", "ㇽ": "ル", "ㇾ": "レ", "ㇿ": "ロ",
})

# Variant kanji frequent in shop and place names, folded to the everyday form.
_ITAIJI = str.maketrans({
    "髙": "高", "﨑": "崎", "嵜": "崎", "嶋": "島", "嶌": "島", "濵": "浜", "濱": "浜", "邊": "辺", "邉": "辺",
    "齋": "斎", "齊": "斎", "斉": "斎", "澤": "沢", "國": "国", "德": "徳", "廣": "広", "櫻": "桜", "龍": "竜",
    "瀨": "瀬", "槇": "槙", "冨": "富", "眞": "真", "藏": "蔵", "惠": "恵", "壽": "寿", "曾": "曽", "萬": "万",
    "驛": "駅", "條": "条", "舘": "館", "學": "学", "會": "会", "體": "体", "圓": "円", "淺": "浅",
})

_LONG_VOWELS = frozenset("ー－-‐‑–—―−~～〜")
# Spellings of one word that people use interchangeably (after kana folding), folded to one form.
_VARIANTS = (
    ("子供", "コドモ"), ("子ドモ", "コドモ"), ("赤チヤン", "アカチヤン"), ("子様", "子サマ"), ("御飯", "ゴハン"),
    ("ゴ飯", "ゴハン"), ("御手洗", "オ手洗"), ("オムツ替エ", "オムツカエ"), ("オムツ替", "オムツカエ"), ("オムツ交換", "オムツカエ"),
    ("オ湯", "オユ"), ("預カリ", "アズカリ"), ("預ケ", "アズケ"), ("乳母車", "ベビカ"),
)
_KE_VARIANTS = frozenset("ケがガかカ")
_COMBINING_VOICE = {"\u3099", "\u309a"}


def _is_kanji(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or ch in "々〆"


def has_kanji(text: str) -> bool:
    """Whether ``text`` contains a kanji (or 々, 〆)."""
    return any(_is_kanji(ch) for ch in text)


def _is_kana(ch: str) -> bool:
    return 0x30A1 <= ord(ch) <= 0x30FA


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or _is_kana(ch) or ch in "々〆ヽヾ"


def _fold_char(ch: str) -> str:
    """Fold one NFKC-normalised character (case, accents, hiragana, small kana, variant kanji)."""
    o = ord(ch)
    if 0x3041 <= o <= 0x3096 or o in (0x309D, 0x309E):  # hiragana (and ゝゞ) -> katakana
        ch = chr(o + 0x60)
    elif o < 0x250:
        ch = ch.lower()
        if o >= 0xC0:
            ch = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        return ch
    return ch.translate(_SMALL_KANA).translate(_ITAIJI)


@lru_cache(maxsize=65536)
def _char_plan(raw: str) -> tuple[tuple[str, bool, str], ...]:
    """What one input character becomes: (NFKC character, is a combining voice mark, its folded form) each."""
    return tuple((c, c in _COMBINING_VOICE, _fold_char(c)) for c in unicodedata.normalize("NFKC", raw))


# Per folded character: 0 dropped (punctuation), 1 white space, 2 word character; and whether it is kana,
# kanji, a digit, a long-vowel mark or a ケ variant (what the second pass asks of its neighbours).
@lru_cache(maxsize=65536)
def _char_kind(c: str) -> tuple[int, bool, bool, bool, bool]:
    kind = 1 if c.isspace() else 2 if _is_word_char(c) else 0
    return kind, _is_kana(c), _is_kanji(c) or c.isdigit(), c in _LONG_VOWELS, c in _KE_VARIANTS


@lru_cache(maxsize=16384)
def normalize_spans(text: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Return the folded form of ``text`` and, for each of its characters, the first and last index of the
    original characters it came from (used to put highlights back on the original text). White space is
    kept (collapsed to one space), punctuation inside words is dropped.

    Cached: the same facility texts are highlighted for query after query."""
    folded, first, last = _normalize_spans(text)
    return folded, tuple(first), tuple(last)


def _normalize_spans(text: str) -> tuple[str, list[int], list[int]]:
    chars: list[str] = []
    first: list[int] = []
    last: list[int] = []
    for i, raw in enumerate(text or ""):
        for c, voice, folded in _char_plan(raw):
            if voice and chars:  # half-width dakuten after NFKC: compose with the base kana
                composed = unicodedata.normalize("NFC", chars[-1] + c)
                if len(composed) == 1:
                    chars[-1] = composed
                    last[-1] = i
                continue
            for f in folded:
                chars.append(f)
                first.append(i)
                last.append(i)
    out: list[str] = []
    out_first: list[int] = []
    out_last: list[int] = []
    n = len(chars)
    prev_kana = prev_kanji = False  # of the last character kept
    for k, c in enumerate(chars):
        kind, kana, kanji_or_digit, long_vowel, ke = _char_kind(c)
        if long_vowel and prev_kana:
            continue  # long vowel mark (or a dash typed for one) after kana
        if ke and prev_kanji and k + 1 < n and _is_kanji(chars[k + 1]):
            c, kind, kana, kanji_or_digit = "ケ", 2, True, False
        if kind == 1:
            if out and out[-1] != " ":
                out.append(" ")
                out_first.append(first[k])
                out_last.append(last[k])
                prev_kana = prev_kanji = False
            continue
        if kind == 0:
            continue
        out.append(c)
        out_first.append(first[k])
        out_last.append(last[k])
        prev_kana, prev_kanji = kana, kanji_or_digit
    while out and out[-1] == " ":
        out.pop()
        out_first.pop()
        out_last.pop()
    folded = "".join(out)
    for variant, canonical in _VARIANTS:
        if variant in folded:
            folded, out_first, out_last = _replace_spans(folded, out_first, out_last, variant, canonical)
    return folded, out_first, out_last


def _replace_spans(text: str, first: list[int], last: list[int], old: str, new: str):
    """Replace ``old`` by ``new`` in ``text``, keeping every new character mapped to the replaced span."""
    out, f_out, l_out = [], [], []
    i = 0
    while i < len(text):
        if text.startswith(old, i):
            start, end = first[i], last[i + len(old) - 1]
            out.append(new)
            f_out += [start] * len(new)
            l_out += [end] * len(new)
            i += len(old)
        else:
            out.append(text[i])
            f_out.append(first[i])
            l_out.append(last[i])
            i += 1
    return "".join(out), f_out, l_out


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """The folded form of ``text`` (see the module docstring)."""
    return _normalize_spans(text)[0]


def words(text: str) -> list[str]:
    """The folded words of ``text`` (white-space separated, duplicates removed, order kept)."""
    seen: dict[str, None] = {}
    for w in normalize(text).split(" "):
        if w:
            seen.setdefault(w, None)
    return list(seen)


_ROMAJI = re.compile(r"^[a-z]{2,}$")


def romaji_reading(word: str) -> str | None:
    """The folded kana reading of a romaji word (fujisawa -> フジサワ), or None when it does not read as one."""
    if not _ROMAJI.match(word):
        return None
    kana = jaconv.alphabet2kana(word)
    if not all(0x3041 <= ord(c) <= 0x309F or c == "ー" for c in kana) or kana.endswith("っ") or "っっ" in kana:
        return None
    return normalize(kana)


_O_ROW = frozenset("オコソトノホモヨロゴゾドボポヲ")
_U_ROW = frozenset("ウクスツヌフムユルグズヅブプ")
_HALF_CONVERTED = re.compile(r"^([\u30a1-\u30fa]{2,})([a-z]{1,3})$")


def short_vowels(kana: str) -> str:
    """A folded reading with its long vowels written short, as romaji often writes them (ō folds to o, and
    ou, oo, uu are also typed as o, u): シヨウナン → シヨナン, オオフナ → オフナ, リユウモン → リユモン. Names are
    indexed in this form too, so every spelling of a long vowel meets it."""
    out: list[str] = []
    for ch in kana:
        prev = out[-1] if out else ""
        if (ch == "ウ" and (prev in _O_ROW or prev in _U_ROW)) or (ch == "オ" and prev in _O_ROW):
            continue
        out.append(ch)
    return "".join(out)


def alternatives(word: str) -> list[str]:
    """The forms a folded query word may take in the text: itself, its kana reading if it is romaji (and that
    reading with its long vowels short, see :func:`short_vowels`), and, for a word whose last letters the IME left unconverted (カフエe), the
    kana part (and the kana part with the letters read as kana)."""
    forms = [word]
    reading = romaji_reading(word)
    if reading:
        forms.append(reading)
        short = short_vowels(reading)
        if len(short) >= 3:  # a shorter form would match too much (コウ → コ)
            forms.append(short)
    half = _HALF_CONVERTED.match(word)
    if half:
        kana, rest = half.groups()
        forms.append(kana)
        tail = jaconv.alphabet2kana(rest)
        if all(0x3041 <= ord(c) <= 0x309F for c in tail) and "っ" not in tail:
            forms.append(kana + normalize(tail))
    return list(dict.fromkeys(forms))


def ngrams(text: str) -> set[str]:
    """All 1..3-grams of every folded word of ``text`` (the index terms of a text field)."""
    grams: set[str] = set()
    for w in normalize(text).split(" "):
        n = len(w)
        for i in range(n):
            for k in range(1, MAX_GRAM + 1):
                if i + k > n:
                    break
                grams.add(w[i:i + k])
    return grams


def query_grams(word: str) -> list[str]:
    """The index terms that every document containing the folded ``word`` as a substring must have."""
    n = len(word)
    if n <= MAX_GRAM:
        return [word] if word else []
    grams = [word[i:i + MAX_GRAM] for i in range(n - MAX_GRAM + 1)]
    return list(dict.fromkeys(grams))


def prefixes(text: str, longest: int = 12) -> list[str]:
    """Prefixes of the folded text with spaces removed, for 'name starts with the query' ranking."""
    s = normalize(text).replace(" ", "")
    return [s[:k] for k in range(1, min(len(s), longest) + 1)]


def compact(text: str) -> str:
    """Folded text with spaces removed (the key for exact-name matches)."""
    return normalize(text).replace(" ", "")


class NgramTokenizer(Tokenizer):
    """Whoosh tokenizer emitting the distinct 1..3-grams of the folded text (no positions needed)."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            yield t
            return
        for pos, gram in enumerate(sorted(ngrams(value))):
            t.text = gram
            t.boost = 1.0
            if keeporiginal:
                t.original = gram
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            yield t


def ngram_analyzer() -> NgramTokenizer:
    return NgramTokenizer()


_SPACE_RE = re.compile(r"\s+")


def highlight(text: str, query_words: list[str], *, mark_open: str = "<mark>", mark_close: str = "</mark>",
              escape=None) -> str | None:
    """Mark every occurrence of the folded ``query_words`` in ``text``; None when nothing matches.

    Matching is on the folded forms (so すたば highlights スターバ), marks go around the original characters.
    ``escape`` escapes the unmarked text (HTML escaping by default)."""
    if escape is None:
        from html import escape as _esc
        escape = _esc
    if not text or not query_words:
        return None
    norm, first, last = normalize_spans(text)
    # Words are searched for in the folded text without its spaces, so a query typed in one go (美容室はなみずき)
    # also marks 美容室 はなみずき; ``at`` maps a position there back to the folded text.
    at = [i for i, c in enumerate(norm) if c != " "]
    dense = norm.replace(" ", "")
    spans: list[tuple[int, int]] = []
    for w in query_words:
        start = dense.find(w) if w else -1
        while start != -1:
            end = start + len(w) - 1
            spans.append((first[at[start]], last[at[end]] + 1))
            start = dense.find(w, start + 1)
    if not spans:
        return None
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[str] = []
    pos = 0
    for a, b in merged:
        out.append(escape(text[pos:a]))
        out.append(mark_open + escape(text[a:b]) + mark_close)
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def snippet(text: str, query_words: list[str], width: int = 60, **kw) -> str | None:
    """A highlighted excerpt of about ``width`` characters around the first match, or None."""
    if not text:
        return None
    norm, starts, _ = normalize_spans(text)
    first = None
    for w in query_words:
        i = norm.find(w)
        if i != -1 and (first is None or starts[i] < first):
            first = starts[i]
    if first is None:
        return None
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece = text[start:end]
    marked = highlight(piece, query_words, **kw) or piece
    return ("…" if start > 0 else "") + marked + ("…" if end < len(text) else "")
