"""The Japanese folding and n-gram analysis behind search."""
import pytest

from search_index.analysis import highlight, ngrams, normalize, query_grams, snippet, words


@pytest.mark.parametrize("variant, canonical", [
    ("すたーばっくす", "スターバックス"),        # hiragana for katakana, long vowels
    ("ｽﾀｰﾊﾞｯｸｽ", "スターバックス"),             # half-width kana with voiced marks
    ("ＡＢＣ英会話１２３", "ABC英会話123"),       # full-width letters and digits
    ("abc英会話", "ABC英会話"),                   # case
    ("茅ケ崎", "茅ヶ崎"), ("茅が崎", "茅ヶ崎"),   # ヶ/ケ/が in place names
    ("霞が関", "霞ヶ関"), ("三ヵ月", "三ヶ月"), ("3か月", "3ヶ月"),
    ("コーヒ", "コーヒー"), ("コ－ヒ－", "コーヒー"),  # long vowel dropped, hyphen typed for it
    ("キャノン", "キヤノン"),                      # small kana
    ("キッズ・スペース", "キッズスペース"),        # punctuation inside a word
    ("Cafe", "Café"),                              # accents
    ("髙島屋", "高島屋"), ("山﨑歯科", "山崎歯科"),  # variant kanji in names
    ("子供用トイレ", "子ども用トイレ"), ("こどもトイレ", "子供トイレ"),  # spelling variants of one word
    ("ご飯", "ごはん"), ("お子様", "お子さま"), ("おむつ交換台", "オムツ替え台"),
])
def test_variants_fold_to_the_same_form(variant, canonical):
    assert normalize(variant) == normalize(canonical)


def test_different_words_stay_different():
    assert normalize("カフェ") != normalize("カフカ")
    assert normalize("茅ヶ崎") != normalize("茅崎")
    assert normalize("ガス") == "ガス" and normalize("ケーキ") == "ケキ"  # が between kana is left alone


def test_romaji_words_also_read_as_kana():
    from search_index.analysis import alternatives
    assert alternatives("fujisawa") == ["fujisawa", normalize("ふじさわ")]
    assert alternatives("cafe") == ["cafe", normalize("カフェ")]
    assert alternatives("kids") == ["kids"]  # no sensible reading: left alone
    assert alternatives("藤沢") == ["藤沢"]


def test_highlight_survives_variant_folding():
    assert highlight("子ども用トイレあり", words("子供")) == "<mark>子ども</mark>用トイレあり"


def test_whitespace_splits_words_and_duplicates_go():
    assert words("  授乳室　おむつ替え 授乳室 ") == ["授乳室", "オムツカエ"]


def test_ngrams_cover_every_substring_up_to_three():
    grams = ngrams("露天風呂")
    assert {"露", "風", "風呂", "天風呂", "露天風"} <= grams
    assert "露天風呂" not in grams  # longer words are matched as the intersection of their trigrams


def test_query_grams():
    assert query_grams("駅") == ["駅"]
    assert query_grams("授乳") == ["授乳"]
    assert query_grams("授乳室あり") == ["授乳室", "乳室あ", "室あり"]


def test_highlight_marks_original_characters_and_escapes():
    html = highlight("<b>ｽﾀｰﾊﾞｯｸｽ</b> 茅ヶ崎店", words("すたば 茅が崎"))
    assert html == "&lt;b&gt;<mark>ｽﾀｰﾊﾞ</mark>ｯｸｽ&lt;/b&gt; <mark>茅ヶ崎</mark>店"
    assert highlight("カフェ", ["ベーカリー"]) is None


def test_snippet_windows_around_first_match():
    text = "あ" * 100 + "露天風呂があります" + "い" * 100
    s = snippet(text, words("風呂"), width=30)
    assert s.startswith("…") and s.endswith("…") and "<mark>風呂</mark>" in s
    assert len(s.replace("<mark>", "").replace("</mark>", "")) <= 32
