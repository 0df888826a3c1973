"""search_index against a real Whoosh index in a temporary directory (no Flask)."""
import datetime as dt
import os
import random

import pytest

from search_index import IndexBusy, SearchIndex, SearchQuery, normalize

LABELS = {
    "category": {"restaurant": "飲食店 いんしょくてん Restaurants cafés", "lodging": "宿泊 しゅくはく Accommodation",
                 "public": "公共施設 こうきょうしせつ Public facilities"},
    "area": {"142051": "神奈川県藤沢市 ふじさわし Fujisawa", "142077": "神奈川県茅ヶ崎市 ちがさきし Chigasaki",
             "143821": "神奈川県箱根町 はこねまち Hakone"},
    "amenity": {"nursing_room": "授乳室 じゅにゅうしつ nursing room 授乳スペース ベビールーム",
                "kids_toilet": "子ども用トイレ こどもようといれ kids toilet"},
    "benefit": {"otoku": "お得 Savings", "setsubi": "設備 Facilities"},
}


def doc(id, name, kana, **kw):
    base = {"id": id, "programme": "passport", "name": name, "name_kana": kana, "category": "restaurant",
            "area": "142051", "benefits": ["otoku"], "amenities": [], "services": [], "address": "藤沢市鵠沼海岸1-1",
            "body": "", "lat": 35.32, "lon": 139.47, "registered_on": dt.date(2020, 4, 1), "open_days": "0123456",
            "opens": "10:00", "closes": "20:00"}
    base.update(kw)
    return base


DOCS = [
    doc("F1", "カフェ しおさい", "カフェシオサイ", name_en="Café Shiosai", body="ミルク用のお湯を用意しています。",
        amenities=["nursing_room"], registered_on=dt.date(2024, 5, 1)),
    doc("F2", "スターバックス風 珈琲店", "スターバックスフウコーヒーテン", body="駅から徒歩3分。"),
    doc("F3", "湯の宿 はるかぜ", "ユノヤドハルカゼ", category="lodging", area="143821",
        body="露天風呂付きの客室と家族風呂があります。", lat=35.23, lon=139.10, benefits=["otoku", "setsubi"],
        amenities=["nursing_room", "kids_toilet"]),
    doc("F4", "茅ヶ崎市立 子育て支援センター", "チガサキシリツコソダテシエンセンター", category="public", area="142077",
        body="授乳室とおむつ替え台があります。", amenities=["nursing_room", "kids_toilet"], benefits=["setsubi"],
        lat=35.33, lon=139.40, open_days="01234", opens="09:00", closes="17:00"),
    doc("F5", "春日ベーカリー", "カスガベーカリー", body="焼きたてパンを1割引。", registered_on=dt.date(2010, 1, 1)),
    doc("F6", "居酒屋 よるの駅", "イザカヤヨルノエキ", opens="17:00", closes="01:00", open_days="01234"),
    doc("F7", "ＡＢＣ英会話スクール", "エービーシーエイカイワスクール", category="public", body="キッズ・スペースあり"),
]


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex(str(tmp_path / "ix"))
    ix.rebuild(DOCS, checkpoint=7, labels=LABELS)
    yield ix
    ix.close()


def ids(index, **kw):
    return [h.id for h in index.search(SearchQuery(**kw)).hits]


@pytest.mark.parametrize("text, expected", [
    ("かふぇ", "F1"), ("ｶﾌｪ", "F1"), ("cafe", "F1"), ("CAFÉ", "F1"), ("しおさい", "F1"),
    ("すたーばっくす", "F2"), ("スタバ", "F2"), ("珈琲", "F2"), ("カフカ", None),
    ("茅ケ崎", "F4"), ("茅が崎", "F4"), ("ちがさき", "F4"),
    ("風呂", "F3"), ("露天", "F3"), ("家族風呂", "F3"),
    ("ａｂｃ", "F7"), ("abc英会話", "F7"), ("キッズスペース", "F7"),
    ("はこね", "F3"), ("hakone", "F3"), ("kafe", "F1"), ("shiosai", "F1"),
])
def test_variants_find_the_place(index, text, expected):
    found = ids(index, text=text, per_page=50)
    if expected is None:
        assert found == []
    else:
        assert expected in found


def test_compound_parts_and_labels(index):
    # 授乳 inside 授乳室 in the text, and via the amenity's label (F1, F3 only have the amenity)
    assert set(ids(index, text="授乳", per_page=50)) == {"F1", "F3", "F4"}
    assert set(ids(index, text="nursing", per_page=50)) == {"F1", "F3", "F4"}


def test_hits_name_the_labels_their_words_matched(index):
    """A hit found through a label says which: 授乳 is in the nursing-room amenity's label, held by F1, F3, F4;
    areas and the programme are left out (they are said by the filters), and a plain text match names none."""
    hits = {h.id: h.matched_labels for h in index.search(SearchQuery(text="授乳", per_page=50)).hits}
    assert hits == {"F1": [("amenity", "nursing_room")], "F3": [("amenity", "nursing_room")],
                    "F4": [("amenity", "nursing_room")]}
    both = {h.id: h.matched_labels for h in index.search(SearchQuery(text="トイレ 授乳", per_page=50)).hits}
    assert both == {"F3": [("amenity", "nursing_room"), ("amenity", "kids_toilet")],
                    "F4": [("amenity", "nursing_room"), ("amenity", "kids_toilet")]}
    assert all(h.matched_labels == [] for h in index.search(SearchQuery(text="はこね", per_page=50)).hits)
    assert all(h.matched_labels == [] for h in index.search(SearchQuery(text="パン", per_page=50)).hits)


def test_one_character_words(index):
    assert set(ids(index, text="駅", per_page=50)) == {"F2", "F6"}
    assert set(ids(index, text="春", per_page=50)) == {"F5"}


def test_multiple_words_all_apply(index):
    assert ids(index, text="茅ヶ崎 授乳室") == ["F4"]
    assert ids(index, text="茅ヶ崎 露天風呂") == []


def test_name_matches_rank_first(index):
    # F6's name contains 駅; F2 only mentions it in the body.
    assert ids(index, text="駅") == ["F6", "F2"]
    result = index.search(SearchQuery(text="はるかぜ"))
    assert result.hits[0].id == "F3" and "<mark>はるかぜ</mark>" in result.hits[0].name_html


def test_snippet_highlights_body_match(index):
    hit = index.search(SearchQuery(text="ふろ")).hits  # ふろ is not 風呂: no reading for kanji words
    assert hit == []
    hit = index.search(SearchQuery(text="風呂")).hits[0]
    assert "<mark>風呂</mark>" in hit.snippet_html


def test_filters_and_disjunctive_counts(index):
    r = index.search(SearchQuery(category=("public",)))
    assert {h.id for h in r.hits} == {"F4", "F7"}
    # category counts ignore the category filter itself (so the user can widen), others apply it
    assert r.facets["category"] == {"restaurant": 4, "lodging": 1, "public": 2}
    assert r.facets["area"] == {"142051": 1, "142077": 1, "143821": 0}
    r = index.search(SearchQuery(category=("public", "lodging")))
    assert r.total == 3


def test_amenities_are_all_of(index):
    r = index.search(SearchQuery(amenity=("nursing_room", "kids_toilet")))
    assert {h.id for h in r.hits} == {"F3", "F4"}
    assert r.facets["amenity"] == {"nursing_room": 2, "kids_toilet": 2}


def test_open_now_across_midnight(index):
    monday_0030 = dt.datetime(2026, 11, 24, 0, 30)  # a Tuesday 00:30: the izakaya is open from Monday
    assert ids(index, open_at=monday_0030) == ["F6"]
    sunday_noon = dt.datetime(2026, 11, 22, 12, 0)
    r = index.search(SearchQuery(open_at=sunday_noon, per_page=50))
    assert {h.id for h in r.hits} == {"F1", "F2", "F3", "F5", "F7"}
    assert r.open_now == 5
    weekday_noon = index.search(SearchQuery(now=dt.datetime(2026, 11, 23, 12, 0)))
    assert weekday_noon.open_now == 6 and weekday_noon.total == 7
    open_at_noon = {h.id: h.open_now for h in index.search(SearchQuery(now=dt.datetime(2026, 11, 23, 12, 0),
                                                                        per_page=50)).hits}
    assert open_at_noon == {"F1": True, "F2": True, "F3": True, "F4": True, "F5": True, "F6": False, "F7": True}
    late = {h.id: h.open_now for h in index.search(SearchQuery(now=monday_0030, per_page=50)).hits}
    assert [i for i, is_open in late.items() if is_open] == ["F6"] and len(late) == 7  # now alone filters nothing
    assert {h.open_now for h in index.search(SearchQuery(per_page=50)).hits} == {None}  # no time given


def test_sort_orders(index):
    assert ids(index, sort="kana", per_page=3) == ["F6", "F7", "F5"]  # イザ, エー, カス (before カフ)
    assert ids(index, sort="newest", per_page=2) == ["F1", "F6"]  # ties in 五十音 order
    near_hakone = index.search(SearchQuery(sort="nearest", origin=(35.23, 139.10), per_page=2))
    assert near_hakone.hits[0].id == "F3" and near_hakone.hits[0].distance_km < 0.1
    assert near_hakone.hits[1].distance_km > 20


def test_pages(index):
    first = ids(index, sort="kana", per_page=3, page=1)
    second = ids(index, sort="kana", per_page=3, page=2)
    third = ids(index, sort="kana", per_page=3, page=3)
    assert len(first + second + third) == 7 and len(set(first + second + third)) == 7


def test_apply_updates_deletes_and_checkpoint(index):
    assert index.checkpoint() == 7
    index.apply(upserts=[doc("F8", "ひまわり書店", "ヒマワリショテン")], deletes=["F2"], checkpoint=9)
    assert index.checkpoint() == 9
    assert ids(index, text="ひまわり") == ["F8"]
    assert ids(index, text="スターバックス") == []
    index.apply(upserts=[doc("F8", "ひまわり書房", "ヒマワリショボウ")])
    assert ids(index, text="書房") == ["F8"] and ids(index, text="書店") == []  # the old version is gone
    assert index.doc_count() == 7


def test_rebuild_swaps_while_searching(index, tmp_path):
    before = index.search(SearchQuery(text="カフェ"))
    index.rebuild([doc("N1", "新しいカフェ", "アタラシイカフェ")], checkpoint=1, labels=LABELS)
    assert ids(index, text="カフェ") == ["N1"] and before.hits[0].id == "F1"
    other = SearchIndex(index.base_dir)  # another process's view
    assert [h.id for h in other.search(SearchQuery(text="カフェ")).hits] == ["N1"]
    other.close()


def test_second_writer_is_refused(index):
    from whoosh import index as wi
    ix = wi.open_dir(index._resolved())
    w = ix.writer()
    try:
        with pytest.raises(IndexBusy):
            index.apply(upserts=[doc("X", "x", "エックス")], timeout=0.1)
    finally:
        w.cancel()
        ix.close()


def test_recall_matches_substring_search(tmp_path):
    """Every document whose folded text contains the folded query is found (random substrings)."""
    rnd = random.Random(7)
    pieces = ["カフェ", "ベーカリー", "駅前", "授乳室", "露天風呂", "茅ヶ崎", "さくら", "こども", "ｷｯｽﾞ", "ＡＢＣ",
              "春", "湯", "の", "店", "ファミリー", "書房", "キャンプ", "ヶ丘"]
    docs = []
    for i in range(300):
        name = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 3)))
        body = "".join(rnd.choice(pieces) for _ in range(rnd.randint(2, 8)))
        docs.append(doc(f"R{i}", name, "ア", body=body))
    ix = SearchIndex(str(tmp_path / "r"))
    ix.rebuild(docs)
    for _ in range(150):
        d = rnd.choice(docs)
        source = rnd.choice([d["name"], d["body"]])
        a = rnd.randrange(len(source))
        query = source[a:a + rnd.randint(1, 6)]
        folded = normalize(query).replace(" ", "")
        if not folded:
            continue
        expected = {x["id"] for x in docs if folded in normalize(x["name"]).replace(" ", "")
                    or folded in normalize("神奈川県" + x["address"] + " " + x["body"]).replace(" ", "")}
        found = {h.id for h in ix.search(SearchQuery(text=query, per_page=len(docs))).hits}
        assert expected <= found, query
    ix.close()


def _random_docs(n, seed):
    rnd = random.Random(seed)
    pieces = ["カフェ", "ベーカリー", "駅前", "授乳室", "露天風呂", "茅ヶ崎", "さくら", "こども", "藤沢", "鵠沼",
              "ファミリー", "書房", "キャンプ", "ヶ丘", "レストラン", "マクドナルド"]
    return [doc(f"R{i}", "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 3))) + " " + rnd.choice(pieces),
                "ア" * rnd.randint(1, 5), body="".join(rnd.choice(pieces) for _ in range(rnd.randint(2, 8))),
                category=rnd.choice(list(LABELS["category"])), amenities=rnd.sample(list(LABELS["amenity"]), 1))
            for i in range(n)]


def _answers(ix, queries):
    out = []
    for q in queries:
        r = ix.search(SearchQuery(text=q, per_page=500))
        out.append((q, r.total, sorted(h.id for h in r.hits), sorted(h.score for h in r.hits), r.facets))
    return out


def test_parallel_build_answers_as_a_single_build(tmp_path):
    docs = _random_docs(400, 11)
    single, parallel = SearchIndex(str(tmp_path / "one")), SearchIndex(str(tmp_path / "three"))
    single.rebuild(docs, checkpoint=3, labels=LABELS, procs=1)
    parallel.rebuild(iter(docs), checkpoint=3, labels=LABELS, procs=3)  # a generator, as the database gives
    queries = ["カフェ", "ちがさき", "ふじさわ", "くげぬま", "授乳", "いんしょくてん", "マクドナルト", "ファミリーカフェ", "ヶ丘"]
    assert parallel.doc_count() == single.doc_count() == 400
    assert _answers(parallel, queries) == _answers(single, queries)
    assert parallel.checkpoint() == 3
    names = [sorted(open(f"{ix._resolved()}/names.tsv", encoding="utf-8")) for ix in (single, parallel)]
    assert names[0] == names[1] and names[0]
    # The incremental path (and its segment merges) works on segments written by the parallel build.
    parallel.apply(upserts=[doc("R1", "ひまわり書店", "ヒマワリショテン")], deletes=["R2"], checkpoint=4)
    assert ids(parallel, text="ひまわり") == ["R1"] and parallel.doc_count() == 399
    assert "R2" not in {h.id for h in parallel.search(SearchQuery(per_page=500)).hits}
    single.close()
    parallel.close()


def test_parallel_build_with_fewer_documents_than_processes(tmp_path):
    ix = SearchIndex(str(tmp_path / "few"))
    ix.rebuild(DOCS[:1], procs=4)
    assert ids(ix, text="しおさい") == ["F1"] and ix.doc_count() == 1
    ix.rebuild([], procs=2)
    assert ix.doc_count() == 0 and ids(ix, text="しおさい") == []
    ix.close()


def test_failed_parallel_build_keeps_the_current_index(index):
    broken = [doc(f"B{i}", "壊れた店", "コワレタミセ") for i in range(10)]
    del broken[7]["id"]  # fails in the build process that gets it
    before = sorted(os.listdir(index.base_dir))
    with pytest.raises(RuntimeError, match="KeyError"):
        index.rebuild(broken, procs=2)
    assert sorted(os.listdir(index.base_dir)) == before
    assert ids(index, text="しおさい") == ["F1"] and ids(index, text="壊れた") == []
