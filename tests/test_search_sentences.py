"""Questions typed as sentences (issue 13): content words naming a category, amenity, benefit kind or area
become filters when they name exactly one; generic words are left out; the rest is searched for."""
import datetime as dt
from types import SimpleNamespace

import pytest

from search_index import SearchIndex, SearchQuery, normalize
from search_index.sentence import interpret, label_terms, stem
from webapp.indexing import build_labels
from webapp.reference import load_all


def reference_labels() -> dict:
    d = load_all()
    ns = lambda rows: [SimpleNamespace(**r) for r in rows]  # noqa: E731
    amenities = [SimpleNamespace(**{**a, "aliases": "|".join(a.get("aliases", []))}) for a in d["amenities"]]
    return build_labels(ns(d["categories"]), ns(d["municipalities"]), amenities, ns(d["benefit_kinds"]),
                        ns(d["matsumoto"]["services"]))


LABELS = reference_labels()
FOLDED = [(f, v, normalize(t)) for f, vs in LABELS.items() for v, t in vs.items()]
FUJISAWA, KAMAKURA, CHIGASAKI = "142051", "142042", "142077"


def doc(id, name, kana, **kw):
    base = {"id": id, "programme": "passport", "name": name, "name_kana": kana, "category": "restaurant",
            "area": FUJISAWA, "benefits": ["otoku"], "amenities": [], "services": [], "address": "藤沢市藤沢1-1",
            "body": "", "lat": 35.34, "lon": 139.49, "registered_on": dt.date(2020, 4, 1), "open_days": "0123456",
            "opens": "10:00", "closes": "20:00"}
    base.update(kw)
    return base


DOCS = [
    doc("R1", "洋食 こもれび", "ヨウショク コモレビ", body="ベビーカーのままご入店いただけます。"),
    doc("R2", "和食 さざなみ", "ワショク サザナミ", body="座敷があります。"),
    doc("S1", "雑貨 ことり", "ザッカ コトリ", category="retail", body="ベビーカーでも通れる広い通路です。"),
    doc("K1", "親子ひろば てのひら", "オヤコヒロバ テノヒラ", category="childcare", amenities=["kids_space"]),
    doc("K2", "キッズパーク わんぱく", "キッズパーク ワンパク", category="leisure", amenities=["kids_space"],
        area=CHIGASAKI, address="茅ヶ崎市新栄町1-1"),
    doc("D1", "鎌倉 こども館", "カマクラ コドモカン", category="public", area=KAMAKURA, address="鎌倉市小町1-1",
        body="鎌倉駅から徒歩5分。", amenities=["diaper_changing", "nursing_room"]),
    doc("D2", "大船 ひろば", "オオフナ ヒロバ", category="public", area=KAMAKURA, address="鎌倉市大船1-1",
        amenities=["diaper_changing"]),
    doc("D3", "藤沢 ほっとルーム", "フジサワ ホットルーム", category="public", amenities=["diaper_changing"]),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(str(tmp_path_factory.mktemp("sentences") / "ix"))
    ix.rebuild(DOCS, checkpoint=1, labels=LABELS)
    yield ix
    ix.close()


def test_interpretation_of_the_issue_examples():
    r = interpret("ベビーカーで入れるレストラン", FOLDED)
    assert r.filters == [("category", "restaurant", "レストラン")] and r.words == ["ベビーカー"] and not r.ignored
    r = interpret("雨の日に子どもと遊べる場所 藤沢", FOLDED)
    assert sorted(r.filters) == [("amenity", "kids_space", "遊べる"), ("area", FUJISAWA, "藤沢")]
    assert r.words == [] and set(r.ignored) == {"雨", "日", "子ども"}
    r = interpret("where can I change a diaper near Kamakura Station", FOLDED)
    assert sorted(r.filters) == [("amenity", "diaper_changing", "change diaper"), ("area", KAMAKURA, "Kamakura")]
    assert r.words == ["駅"] and r.ignored == []  # English function words are dropped silently


@pytest.mark.parametrize("text, filters, words", [
    ("茅ヶ崎で授乳室があるところ", {("area", CHIGASAKI), ("amenity", "nursing_room")}, []),
    ("ちがさきのおむつ替えができるカフェ", {("area", CHIGASAKI), ("amenity", "diaper_changing")}, ["カフェ"]),
    ("Fujisawa restaurants with a nursing room", {("area", FUJISAWA), ("category", "restaurant"),
                                                  ("amenity", "nursing_room")}, []),
    ("お得な歯医者", {("benefit", "otoku")}, ["歯医者"]),
    ("茅ヶ崎か藤沢のカフェ", set(), ["カフェ", "茅ヶ崎", "藤沢"]),  # two areas: not one filter, both searched
    ("授乳室とおむつ替えがある店", {("amenity", "nursing_room"), ("amenity", "diaper_changing")}, []),
    ("ベビーカー貸出がある場所", {("amenity", "stroller_rental")}, []),
    ("ベビーカーで行ける店", set(), ["ベビーカー"]),   # ベビーカー alone is no amenity's whole name
])
def test_words_naming_one_value_become_filters(text, filters, words):
    r = interpret(text, FOLDED)
    assert {(f, v) for f, v, _ in r.filters} == filters and r.words == words


def test_a_facet_the_searcher_chose_is_left_alone():
    r = interpret("藤沢のレストラン", FOLDED, taken=frozenset({"area"}))
    assert r.filters == [("category", "restaurant", "レストラン")] and r.words == ["藤沢"]


def test_label_words_and_stems():
    terms = label_terms(FOLDED)
    assert terms["藤沢"] == terms["藤沢市"] == terms["フジサワ"] == terms["fujisawa"] == {("area", FUJISAWA)}
    assert stem("changing") == stem("change") == "chang" and stem("toilets") == "toilet"
    assert ("amenity", "kids_space") in terms[normalize("遊び場")]


def ids(result):
    return {h.id for h in result.hits}


def test_sentence_search_applies_the_filters(index):
    result = index.search(SearchQuery(text="ベビーカーで入れるレストラン"))
    assert ids(result) == {"R1"}  # S1 mentions strollers but is a shop
    assert result.relaxed_from == "ベビーカーで入れるレストラン" and result.searched_text == "ベビーカー"
    assert result.applied_filters == [("category", "restaurant", "レストラン")]
    assert result.searched_as == ["ベビーカー", "レストラン"]
    result = index.search(SearchQuery(text="雨の日に子どもと遊べる場所 藤沢"))
    assert ids(result) == {"K1"} and result.ignored_words == ["雨", "日", "子ども"]
    assert result.searched_text == ""


def test_english_question(index):
    result = index.search(SearchQuery(text="where can I change a diaper near Kamakura Station"))
    assert ids(result) == {"D1"}  # 駅 (station) is kept: it finds the one near the station
    result = index.search(SearchQuery(text="where can I change a diaper in Kamakura"))
    assert ids(result) == {"D1", "D2"}
    result = index.search(SearchQuery(text="where can I change a diaper in Kamakura near a beach"))
    assert ids(result) == {"D1", "D2"} and "beach" in result.ignored_words  # finds nothing there: left out


def test_sentence_filters_combine_with_the_searchers_filters(index):
    result = index.search(SearchQuery(text="おむつ替えができるところ", area=(KAMAKURA,)))
    assert ids(result) == {"D1", "D2"} and result.applied_filters == [("amenity", "diaper_changing", "おむつ替え")]


def test_words_typed_without_a_sentence_are_not_dropped(index):
    # 茅ヶ崎 names an area, but 露天風呂 finds nothing there: no result rather than every place in 茅ヶ崎
    assert index.search(SearchQuery(text="茅ヶ崎 露天風呂")).total == 0
    assert index.search(SearchQuery(text="火星の宇宙港があるところ")).total == 0


def test_plain_words_still_match_as_before(index):
    result = index.search(SearchQuery(text="藤沢 キッズスペース"))
    assert ids(result) == {"K1"} and result.relaxed_from is None and result.applied_filters == []


def test_without_filters_no_word_is_dropped(tmp_path):
    # 海の家 is one thing: 家 alone would find every place with 家 in its text
    ix = SearchIndex(str(tmp_path / "ix"))
    ix.rebuild([doc("H1", "家具の店 もくもく", "カグノミセ モクモク", category="retail", body="ご家族でどうぞ。")],
               labels=LABELS)
    try:
        result = ix.search(SearchQuery(text="海の家"))
        assert result.total == 0 and result.ignored_words == []
    finally:
        ix.close()
