"""Typo tolerance (issue 13): one wrong, missing, extra or swapped character in a name word of four
characters or more, tried only when the exact search finds few results, ranked below exact matches."""
import datetime as dt

import pytest

from search_index import SearchIndex, SearchQuery, normalize
from search_index.fuzzy import TypoDictionary, name_words, within_one_edit


def doc(id, name, kana, **kw):
    base = {"id": id, "programme": "passport", "name": name, "name_kana": kana, "category": "restaurant",
            "area": "142051", "benefits": ["otoku"], "amenities": [], "services": [], "address": "藤沢市藤沢1-1",
            "body": "", "lat": 35.34, "lon": 139.49, "registered_on": dt.date(2020, 4, 1), "open_days": "0123456",
            "opens": "10:00", "closes": "20:00"}
    base.update(kw)
    return base


DOCS = [
    doc("M1", "マクドナルド 藤沢店", "マクドナルド フジサワテン", name_en="McDonald's Fujisawa"),
    doc("M2", "マクドナルド 辻堂店", "マクドナルド ツジドウテン", name_en="McDonald's Tsujido"),
    doc("S1", "スターバックス コーヒー 湘南店", "スターバックス コーヒー ショウナンテン", name_en="Starbucks Coffee Shonan"),
    doc("S2", "スターバックス コーヒー 鎌倉店", "スターバックス コーヒー カマクラテン", name_en="Starbucks Coffee Kamakura",
        area="142042"),
    doc("T1", "喫茶 マクドナルト", "キッサ マクドナルト", body="店名は「マクドナルト」です。"),  # the typo is a real name here
    doc("B1", "ブーランジェリー ミミ", "ブーランジェリー ミミ", name_en="Boulangerie Mimi", category="retail"),
    doc("P1", "パン工房 こむぎ", "パンコウボウ コムギ", category="retail"),
    doc("P2", "パン工房 ひまわり", "パンコウボウ ヒマワリ", category="retail"),
    doc("P3", "パン工房 ぱんだ", "パンコウボウ パンダ", category="retail"),
]


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex(str(tmp_path / "ix"))
    ix.rebuild(DOCS, checkpoint=1, labels={})
    yield ix
    ix.close()


def search(index, text, **kw):
    return index.search(SearchQuery(text=text, **kw))


@pytest.mark.parametrize("a, b, expected", [
    ("マクドナルト", "マクドナルド", True),   # wrong
    ("マクドナル", "マクドナルド", True),     # missing
    ("マクドナルドド", "マクドナルド", True),  # extra
    ("マクドルナド", "マクドナルド", True),    # swapped
    ("マクドナルド", "マクドナルド", True),
    ("マクナルト", "マクドナルド", False),     # two edits
    ("ドマクナルド", "マクドナルド", False),   # a swap that is not adjacent
])
def test_one_edit(a, b, expected):
    assert within_one_edit(a, b) is expected and within_one_edit(b, a) is expected


def test_dictionary_finds_words_one_edit_away_without_scanning():
    typos = TypoDictionary()
    for folded, written in name_words("マクドナルド 藤沢店", "スターバックス コーヒー", "Starbucks Coffee"):
        typos.add(folded, written)
    assert normalize("スターバックス") == "スタバツクス" and typos.written["スタバツクス"] == "スターバックス"
    assert typos.corrections(normalize("マクドナルト")) == ["マクドナルド"]
    assert typos.corrections(normalize("スターバクス")) == ["スタバツクス"]
    assert typos.corrections(normalize("starbacks")) == ["starbucks"]
    assert typos.corrections(normalize("マクドナルド")) == []  # nothing else one edit away
    assert typos.corrections(normalize("コーヒ")) == []         # three characters: too short to guess from
    assert "藤沢店" not in typos.written                          # names of three characters are not corrected to


@pytest.mark.parametrize("typed, corrected, expected", [
    ("マクドナルト 藤沢", "マクドナルド 藤沢", {"M1"}),
    ("スターバクス", "スターバックス", {"S1", "S2"}),
    ("すたーばくす", "スターバックス", {"S1", "S2"}),
    ("スタバックス", None, {"S1", "S2"}),                       # no typo: long vowels are folded away
    ("スターバッックス", "スターバックス", {"S1", "S2"}),
    ("starbacks", "Starbucks", {"S1", "S2"}),
    ("ブーランジェリ ミミ", None, {"B1"}),                      # found as typed (a long vowel is folded)
    ("ブランージェリー", None, {"B1"}),                          # the same: ブランジエリ both
    ("ブーランジャリー", "ブーランジェリー", {"B1"}),
    ("makudonarudi", "マクドナルド", {"M1", "M2"}),               # romaji with a typo
])
def test_typos_in_names_are_corrected(index, typed, corrected, expected):
    result = search(index, typed)
    assert {h.id for h in result.hits} >= expected
    assert result.did_you_mean == corrected


def test_exact_matches_rank_above_corrections(index):
    result = search(index, "マクドナルト")
    assert [h.id for h in result.hits][0] == "T1" and {h.id for h in result.hits[1:]} == {"M1", "M2"}
    assert result.total == 3 and result.exact_total == 1 and result.did_you_mean == "マクドナルド"
    assert result.hits[1].name_html.startswith("<mark>マクドナルド</mark>")
    for sort in ("kana", "newest"):
        assert [h.id for h in search(index, "マクドナルト", sort=sort).hits][0] == "T1"


def test_corrections_only_when_few_results(index):
    result = search(index, "パン工房")
    assert result.did_you_mean is None and result.total == 3
    assert search(index, "パン工房 こむぎ").did_you_mean is None
    assert search(index, "カフエオ").did_you_mean is None  # nothing one edit away


def test_corrections_keep_the_filters(index):
    result = search(index, "スターバクス", area=("142042",))
    assert [h.id for h in result.hits] == ["S2"] and result.did_you_mean == "スターバックス"


def test_names_added_incrementally_are_corrected_to(index):
    assert search(index, "ケンタキー").total == 0
    index.apply(upserts=[doc("K1", "ケンタッキー 藤沢店", "ケンタッキー フジサワテン")], checkpoint=2)
    result = search(index, "ケンタキー")
    assert [h.id for h in result.hits] == ["K1"] and result.did_you_mean == "ケンタッキー"
    index.apply(deletes=["K1"], checkpoint=3)
    result = search(index, "ケンタキー")  # its word stays in the dictionary, but a correction must find something
    assert result.total == 0 and result.did_you_mean is None


def test_a_rebuild_replaces_the_name_words(index):
    index.rebuild([doc("Z1", "ドルフィン スイミング", "ドルフィン スイミング")], checkpoint=5, labels={})
    assert search(index, "マクドナルト").total == 0
    assert search(index, "ドルフォン").did_you_mean == "ドルフィン"
