"""Romaji and IME leftovers (issue 13): Hepburn and kunrei, long vowels as ou, oo, ō or nothing, a
half-converted word, and real English words matching English names first."""
import datetime as dt

import pytest

from search_index import SearchIndex, SearchQuery, normalize
from search_index.analysis import alternatives, short_vowels


def doc(id, name, kana, **kw):
    base = {"id": id, "programme": "passport", "name": name, "name_kana": kana, "category": "restaurant",
            "area": "142051", "benefits": [], "amenities": [], "services": [], "address": "", "body": "",
            "lat": 35.34, "lon": 139.49, "registered_on": dt.date(2020, 4, 1), "open_days": "0123456",
            "opens": "10:00", "closes": "20:00"}
    base.update(kw)
    return base


DOCS = [
    doc("SH", "湘南ベーカリー", "ショウナンベーカリー"),
    doc("OF", "大船こども館", "オオフナコドモカン", category="public"),
    doc("TJ", "辻堂ピアノ教室", "ツジドウピアノキョウシツ", category="education"),
    doc("FJ", "藤沢シティ歯科", "フジサワシティシカ", category="medical"),
    doc("CH", "茅ヶ崎しらす亭", "チガサキシラステイ"),
    doc("KY", "教育ひろば まなび", "キョウイクヒロバ マナビ", category="education"),
    doc("RY", "中華 龍門", "チュウカ リュウモン"),
    doc("KJ", "カフェ しおさい", "カフェ シオサイ"),
    doc("KE", "Café Breeze", "カフェ ブリーズ", name_en="Café Breeze"),
    doc("PK", "パークサイド 雑貨店", "パークサイド ザッカテン", category="retail"),
    doc("PE", "Sunny Park", "サニー パーク", name_en="Sunny Park", category="leisure"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(str(tmp_path_factory.mktemp("romaji") / "ix"))
    ix.rebuild(DOCS, checkpoint=1, labels={})
    yield ix
    ix.close()


def found(index, text):
    return [h.id for h in index.search(SearchQuery(text=text)).hits]


@pytest.mark.parametrize("typed, expected", [
    # Hepburn and kunrei
    ("fujisawa", "FJ"), ("huzisawa", "FJ"), ("chigasaki", "CH"), ("tigasaki", "CH"), ("tsujido", "TJ"),
    ("tujido", "TJ"), ("tuzidou", "TJ"), ("ryumon", "RY"), ("ryuumon", "RY"), ("chuka", "RY"), ("tyuuka", "RY"),
    # long vowels as ou, oo, ō or nothing
    ("shounan", "SH"), ("shoonan", "SH"), ("shōnan", "SH"), ("shonan", "SH"), ("syounan", "SH"), ("syonan", "SH"),
    ("oofuna", "OF"), ("ōfuna", "OF"), ("ofuna", "OF"), ("oufuna", "OF"),
    ("kyouiku", "KY"), ("kyōiku", "KY"), ("kyoiku", "KY"), ("kyooiku", "KY"),
    ("SHŌNAN", "SH"), ("ｓｈｏｎａｎ", "SH"),
])
def test_romaji_spellings(index, typed, expected):
    result = index.search(SearchQuery(text=typed))
    assert [h.id for h in result.hits][:1] == [expected], typed
    assert result.did_you_mean is None  # found as typed, not through a typo correction


@pytest.mark.parametrize("typed", ["かふぇe", "カフェe", "ｶﾌｪe", "かふぇー", "かふぇ"])
def test_half_converted_ime_input(index, typed):
    assert set(found(index, typed)) >= {"KJ", "KE"}, typed


def test_half_converted_tail_is_also_read():
    assert normalize("カフエ") in alternatives(normalize("かふぇe"))
    assert normalize("しらすて") + "イ" in alternatives(normalize("しらすてi"))


def test_real_english_words_match_english_names_first(index):
    assert found(index, "cafe")[0] == "KE" and "KJ" in found(index, "cafe")
    assert found(index, "café")[0] == "KE"
    assert found(index, "park")[0] == "PE"
    assert found(index, "sunny park") == ["PE"]


def test_short_vowels():
    assert short_vowels("シヨウナン") == short_vowels("シヨオナン") == short_vowels("シヨナン") == "シヨナン"
    assert short_vowels("オオフナ") == "オフナ" and short_vowels("リユウモン") == "リユモン"
    assert short_vowels("サイタマ") == "サイタマ"
    assert "コ" not in alternatives(normalize("kou"))  # a one-character form would match too much
