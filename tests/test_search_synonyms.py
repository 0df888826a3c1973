"""What parents really type: everyday words for what the listings call otherwise (歯医者 → 歯科), honorifics
(パン屋さん), names typed without their spaces (美容室はなみずき), and kana for names and places written in kanji
(むさしこすぎ → 武蔵小杉). Real Whoosh index in a temp dir."""
import datetime as dt
import json

import pytest

from search_index import SearchIndex, SearchQuery, highlight, normalize
from search_index.synonyms import SynonymDataError, load_groups, query_forms, specific


def doc(id, name, kana, body="", **kw):
    base = {"id": id, "programme": "passport", "name": name, "name_kana": kana, "category": "retail",
            "area": "142051", "benefits": ["otoku"], "amenities": [], "services": [], "address": "藤沢市藤沢1-1",
            "body": body, "lat": 35.3, "lon": 139.4, "registered_on": dt.date(2020, 4, 1), "open_days": "0123456",
            "opens": "09:00", "closes": "18:00"}
    base.update(kw)
    return base


DOCS = [
    doc("D1", "あおば矯正歯科", "アオバキョウセイシカ", "小さなお子さまの歯の相談も。"),
    doc("B1", "ベーカリー 麦の穂", "ベーカリー ムギノホ", "焼きたてパンを1割引。"),
    doc("B2", "町のパン屋 ふくろう", "マチノパンヤ フクロウ"),
    doc("J1", "ジャパン トラベル", "ジャパン トラベル", "旅行の相談窓口です。"),
    doc("H1", "美容室 はなみずき", "ビヨウシツ ハナミズキ", "キッズカット500円。"),
    doc("S1", "春陽堂書店 鎌倉店", "シュンヨウドウショテン カマクラテン"),
    doc("K1", "回転鮨 まんぷく丸 相模大野店", "カイテンズシ マンプクマル サガミオオノテン"),
    doc("F1", "ファミリーサポートセンター事務局", "ファミリーサポートセンタージムキョク", programme="coupon"),
    doc("R1", "こすぎ英語教室", "コスギエイゴキョウシツ", "武蔵小杉駅から徒歩5分です。", address="川崎市中原区小杉町3-1"),
    doc("R2", "鵠沼海岸 海の家 しおかぜ", None, address="藤沢市鵠沼海岸4-2"),  # no reading given
    doc("T1", "みどり交通", "ミドリコウツウ", "お電話で配車を承ります。"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(str(tmp_path_factory.mktemp("syn") / "ix"))
    ix.rebuild(DOCS, checkpoint=1, labels={})
    yield ix
    ix.close()


def found(index, text):
    return {h.id for h in index.search(SearchQuery(text=text, per_page=50)).hits}


@pytest.mark.parametrize("text, expected", [
    ("歯医者", {"D1"}), ("はいしゃ", {"D1"}), ("歯医者さん", {"D1"}), ("歯科", {"D1"}),
    ("パン屋さん", {"B1", "B2"}), ("ぱんや", {"B1", "B2"}), ("ベーカリー", {"B1", "B2"}),
    ("美容院", {"H1"}), ("本屋", {"S1"}), ("ほんや", {"S1"}), ("寿司", {"K1"}), ("すし", {"K1"}),
    ("ファミサポ", {"F1"}),
    # names typed in one go, in kanji or in their reading
    ("美容室はなみずき", {"H1"}), ("びようしつはなみずき", {"H1"}), ("まんぷく丸相模大野", {"K1"}),
    ("かいてんずしまんぷくまる", {"K1"}),
    # kana for kanji, read by the analyser at index time
    ("むさしこすぎ", {"R1"}), ("くげぬま", {"R2"}), ("くげぬまかいがん", {"R2"}), ("なかはらく", {"R1"}),
    ("じょうせい", set()),
])
def test_everyday_words_and_unspaced_names(index, text, expected):
    assert found(index, text) == expected


def test_only_proper_names_in_running_text_are_read(index):
    # はいしゃ is 歯医者 (found through 歯科); the taxi's 配車 is a common word in its text and is not read,
    # or every short kana query would match readings of everyday words
    assert found(index, "はいしゃ") == {"D1"}
    assert found(index, "うみのいえ") == {"R2"}  # a name is read in full (this one has no reading given)


def test_short_synonyms_are_not_searched_for_on_their_own(index):
    # ベーカリー may mean パン屋, but "パン" alone would also find ジャパン
    assert "J1" not in found(index, "ベーカリー")
    assert specific(normalize("パン")) is False and specific(normalize("宿")) is False
    assert specific(normalize("歯科")) is True and specific(normalize("パン屋")) is True
    assert normalize("パン") not in query_forms(normalize("ベーカリー"))


def test_synonym_matches_are_highlighted(index):
    hit = index.search(SearchQuery(text="歯医者")).hits[0]
    assert hit.name_html == "あおば矯正<mark>歯科</mark>"
    assert highlight("美容室 はなみずき", [normalize("美容室はなみずき")]) == "<mark>美容室 はなみずき</mark>"


def test_the_synonyms_file_is_validated(tmp_path):
    assert len(load_groups()) >= 40
    for bad in ({"groups": [["a", "b"]]}, {"version": 1, "groups": [["歯科"]]},
                {"version": 1, "groups": [["歯科", "歯科"]]}, {"version": 1, "groups": [["hair salon", "美容室"]]},
                {"version": 1, "groups": ["歯科"]}):
        path = tmp_path / "s.json"
        path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(SynonymDataError):
            load_groups(str(path))


def test_a_phrase_that_finds_nothing_is_retried_with_its_content_words(index):
    result = index.search(SearchQuery(text="鵠沼の海の家があるところ"))
    assert [h.id for h in result.hits] == ["R2"]
    assert result.relaxed_from == "鵠沼の海の家があるところ" and result.searched_as[0] == "鵠沼"
    assert "ところ" not in result.searched_as and "ある" not in result.searched_as
    direct = index.search(SearchQuery(text="鵠沼 海の家"))
    assert direct.relaxed_from is None and [h.id for h in direct.hits] == ["R2"]  # found as typed: not relaxed
    nothing = index.search(SearchQuery(text="火星の宇宙港があるところ"))
    assert nothing.total == 0 and nothing.relaxed_from is None
