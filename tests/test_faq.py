"""FAQ data of both programmes: loading and validation, search with the facility search's Japanese folding."""
import copy
import json
import os

import pytest

import faq
from faq import FaqDataError, load_faq
from faq import validate as faq_validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAQ_FILE = os.path.join(ROOT, "faq", "data", "faq.json")


@pytest.fixture(scope="module")
def faqset():
    return load_faq()


@pytest.fixture(scope="module")
def raw():
    with open(FAQ_FILE, encoding="utf-8") as f:
        return json.load(f)


# ------------------------------------------------------------------ the data

def test_loads_with_both_languages(faqset):
    assert faqset.version == 1 and len(faqset) >= 30
    assert len(set(faqset.ids())) == len(faqset)
    for e in faqset:
        for lang in ("ja", "en"):
            assert e.q(lang).strip() and e.a(lang).strip(), e.id
        assert e.programme in ("coupon", "passport", "common") and e.tags
        assert e.category in dict(faqset.categories())
    assert {e.programme for e in faqset} == {"coupon", "passport", "common"}


REQUIRED = [
    "coupon-devices", "common-signup-mail", "common-password-reset", "coupon-where", "coupon-history",
    "coupon-sharing", "coupon-cash", "coupon-qr-not-reading", "coupon-too-few", "coupon-wrong-count",
    "coupon-new-phone", "coupon-lost-phone", "coupon-eligibility", "coupon-expiry", "passport-eligibility",
    "passport-validity", "passport-benefits", "facility-who-can-register", "facility-cost",
    "facility-validity",
    "common-mobile-email",
]


@pytest.mark.parametrize("entry_id", REQUIRED)
def test_required_topics_are_covered(faqset, entry_id):
    assert faqset.get(entry_id) is not None


def test_facts_carried_over(faqset):
    expiry = faqset.get("coupon-expiry").a("ja")
    assert "2026年3月31日" in expiry and "90日" in expiry and "生後4か月目" in expiry
    assert "1 April 2022" in faqset.get("coupon-eligibility").a("en")
    assert "2022年4月1日" in faqset.get("coupon-eligibility").a("ja")
    assert "24時間以内" in faqset.get("coupon-wrong-count").a("ja")
    assert "6桁" in faqset.get("coupon-qr-not-reading").a("ja")
    assert "026-262-1378" in faqset.get("coupon-contact").a("ja")
    assert "ハマハグ" in faqset.get("facility-who-can-register").a("ja")
    assert "3月31日" in faqset.get("facility-validity").a("ja")
    assert "小学校を卒業" in faqset.get("passport-validity").a("ja")
    benefits = faqset.get("passport-benefits").a("ja")
    assert all(k in benefits for k in ("お得", "こころ配り", "設備"))


def test_our_own_policies(faqset):
    reset = faqset.get("common-password-reset")
    assert "メール" in reset.a("ja") and "生年月日などでパスワードを再発行することはありません" in reset.a("ja")
    assert "never" in reset.a("en")
    mail = faqset.get("common-signup-mail").a("ja")
    assert "送信元ドメイン" in mail  # our own sending domain, shown on the page
    assert "c.rakuraku.or.jp" not in mail


def test_categories_and_listing(faqset):
    ja = dict(faqset.categories("ja"))
    en = dict(faqset.categories("en"))
    assert ja.keys() == en.keys() and ja["using"] == "クーポンを使う" and en["using"] == "Using coupons"
    assert faqset.category_label("facilities", "en") == "Becoming a partner facility"
    passport = faqset.entries(programme="passport")
    assert all(e.programme in ("passport", "common") for e in passport)
    assert any(e.programme == "common" for e in passport)
    assert all(e.category == "using" for e in faqset.entries(category="using"))
    assert faqset.get("no-such-entry") is None


# ------------------------------------------------------------------ validation

def _write(tmp_path, data) -> str:
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _entry(raw, **changes):
    e = copy.deepcopy(raw["entries"][0])
    e.update(changes)
    return e


@pytest.mark.parametrize("break_it, message", [
    (lambda d: d["entries"].append(copy.deepcopy(d["entries"][0])), "duplicate id"),
    (lambda d: d["entries"][0]["a"].pop("en"), "missing en text"),
    (lambda d: d["entries"][0]["q"].update(ja=""), "missing ja text"),
    (lambda d: d["entries"][0]["q"].update(ja="Which phones?"), "no Japanese"),
    (lambda d: d["entries"][0].update(category="gossip"), "unknown category"),
    (lambda d: d["entries"][0].update(programme="lottery"), "programme"),
    (lambda d: d["entries"][0].update(tags=[]), "tags"),
    (lambda d: d["entries"][0].update(id="Has Spaces"), "id"),
    (lambda d: d["entries"][0].update(extra=1), "unknown keys"),
    (lambda d: d["categories"].append(copy.deepcopy(d["categories"][0])), "duplicate code"),
    (lambda d: d.update(entries=[]), "non-empty"),
    (lambda d: d.update(version=2), "version"),
])
def test_broken_data_is_refused_with_a_clear_message(tmp_path, raw, break_it, message):
    data = copy.deepcopy(raw)
    break_it(data)
    path = _write(tmp_path, data)
    with pytest.raises(FaqDataError) as e:
        load_faq(path)
    assert message in str(e.value) and path in str(e.value)


def test_every_problem_is_reported_at_once(tmp_path, raw):
    data = copy.deepcopy(raw)
    data["entries"][0]["a"].pop("en")
    data["entries"][1]["category"] = "gossip"
    with pytest.raises(FaqDataError) as e:
        load_faq(_write(tmp_path, data))
    assert len(e.value.problems) == 2


def test_unreadable_file(tmp_path):
    path = tmp_path / "faq.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(FaqDataError, match="cannot read"):
        load_faq(str(path))
    with pytest.raises(FaqDataError, match="cannot read"):
        load_faq(str(tmp_path / "missing.json"))


def test_validate_cli(capsys, tmp_path, raw):
    assert faq_validate.main([]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    data = copy.deepcopy(raw)
    data["entries"][0]["flow"] = "no_such_flow"
    data["entries"][1]["contacts"] = ["nobody"]
    assert faq_validate.main(["--faq", _write(tmp_path, data)]) == 1
    out = capsys.readouterr().out
    assert "unknown flow 'no_such_flow'" in out and "unknown contact id 'nobody'" in out


# ------------------------------------------------------------------ search

@pytest.mark.parametrize("query", ["パスワード", "ぱすわーど", "ﾊﾟｽﾜｰﾄﾞ", "パスワド", "pasuwado", "　パスワード　"])
def test_kana_width_and_romaji_variants_find_the_same_entry(faqset, query):
    hits = faqset.search(query)
    assert hits and hits[0].id == "common-password-reset"


@pytest.mark.parametrize("query", ["QRコード", "qrこーど", "ＱＲｺｰﾄﾞ", "Qrコード"])
def test_qr_variants(faqset, query):
    assert faqset.search(query)[0].id == "coupon-qr-not-reading"


def test_question_matches_rank_above_answer_matches(faqset):
    hits = faqset.search("パスコード")
    assert hits[0].id == "coupon-passcode" and "question" in hits[0].matched
    answer_only = [h for h in hits if "question" not in h.matched]
    assert answer_only and all(h.score < hits[0].score for h in answer_only)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_tags_count(faqset):
    hits = faqset.search("ファミサポ")  # only a tag: the answers spell the name out
    assert [h.id for h in hits] == ["coupon-services"] and hits[0].matched == ("tags",)
    tagged = faqset.search("有効期限")
    assert tagged[0].id == "passport-validity"
    assert {"coupon-expiry", "facility-validity"} <= {h.id for h in tagged}


def test_every_word_must_match(faqset):
    hits = faqset.search("メール 届かない")
    assert hits[0].id == "common-signup-mail" and not hits[0].partial
    assert all(not h.partial for h in hits)


def test_partial_matches_only_when_nothing_matches_fully(faqset):
    hits = faqset.search("パスワード 金太郎")
    assert hits and all(h.partial for h in hits) and hits[0].id == "common-password-reset"
    assert faqset.search("金太郎") == [] and faqset.search("") == [] and faqset.search("   ") == []


def test_programme_filter_includes_common(faqset):
    coupon = faqset.search("有効期限", programme="coupon")
    assert "coupon-expiry" in {h.id for h in coupon} and "passport-validity" not in {h.id for h in coupon}
    passport = faqset.search("パスワード", programme="passport")
    assert passport[0].id == "common-password-reset"
    with pytest.raises(ValueError):
        faqset.search("x", programme="lottery")


def test_english_search(faqset):
    assert faqset.search("password", lang="en")[0].id == "common-password-reset"
    assert faqset.search("Cash", lang="en")[0].id == "coupon-cash"
    assert faqset.search("e-mail not arrived", lang="en")[0].id == "common-signup-mail"
    with pytest.raises(ValueError):
        faqset.search("x", lang="fr")


def test_limit(faqset):
    assert len(faqset.search("クーポン", limit=3)) == 3
    assert len(faqset.search("クーポン", limit=100)) > 10


def test_highlight_on_the_original_text(faqset):
    hit = faqset.search("ぱすわーど")[0]
    assert hit.question_html == "<mark>パスワード</mark>を忘れてしまいました。"
    assert "<mark>パスワード</mark>" in hit.snippet_html
    hit = faqset.search("ｶﾒﾗ")[0]
    assert "<mark>カメラ</mark>" in hit.question_html
    en = faqset.search("passcode", lang="en")[0]
    assert en.id == "coupon-passcode" and "<mark>passcode</mark>" in en.question_html


def test_snippet_without_an_answer_match_is_the_start_of_the_answer(faqset):
    hit = faqset.search("ファミサポ")[0]
    assert "<mark>" not in hit.snippet_html
    assert hit.snippet_html.startswith(hit.entry.a("ja")[:20])


def test_text_is_escaped(tmp_path, raw):
    data = copy.deepcopy(raw)
    data["entries"] = [_entry(raw, q={"ja": "<b>太字</b>とパスワード", "en": "<b>bold</b> password"},
                              a={"ja": "a < b & パスワード", "en": "a < b & password"})]
    hit = load_faq(_write(tmp_path, data)).search("パスワード")[0]
    assert hit.question_html == "&lt;b&gt;太字&lt;/b&gt;と<mark>パスワード</mark>"
    assert "&lt;" in hit.snippet_html and "&amp;" in hit.snippet_html and "<b>" not in hit.snippet_html


def test_public_api_is_importable_without_flask():
    import subprocess
    import sys
    code = ("import sys, faq, contacts; faq.load_faq(); faq.load_flows(); contacts.load_directory(); "
            "bad = [m for m in sys.modules if m == 'flask' or m.startswith(('flask.', 'webapp'))]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
    assert {"load_faq", "FaqSet", "FaqHit", "FaqDataError"} <= set(faq.__all__)


@pytest.mark.parametrize("query,entry_id,flow_id", [
    ("QRが読めない", "coupon-qr-not-reading", "qr_not_reading"),   # issue 9: found nothing before
    ("パスワード忘れちゃった", "common-password-reset", "forgot_password"),
    ("メールが来ない", "common-signup-mail", "mail_not_arriving"),
])
def test_a_sentence_that_matches_nothing_as_typed_is_read_as_the_help_desk_reads_it(faqset, query, entry_id,
                                                                                    flow_id):
    hits = faqset.search(query)
    assert hits and hits[0].id == entry_id and not hits[0].partial
    assert "<mark>" in hits[0].question_html + hits[0].snippet_html
    assert faq.find_flows(faq.load_flows(), query)[0].id == flow_id
    passport = faqset.search(query, programme="passport")  # the programme filter still applies
    assert all(faqset.get(h.id).programme in ("passport", "common") for h in passport)
    assert entry_id not in [h.id for h in passport] or faqset.get(entry_id).programme == "common"
    assert faqset.search("ゾウの鼻") == [] and faq.find_flows(faq.load_flows(), "ゾウの鼻") == []


def test_validate_checks_the_caller_phrasings(capsys, tmp_path):
    path = tmp_path / "phrasings.json"
    path.write_text(json.dumps({"version": 1, "groups": [["読み取", "読め"], ["金太郎", "桃太郎"]]}), encoding="utf-8")
    assert faq_validate.main(["--phrasings", str(path)]) == 1
    out = capsys.readouterr().out
    assert "金太郎" in out and "読め" not in out
    path.write_text(json.dumps({"version": 1, "groups": [["読めない"]]}), encoding="utf-8")
    assert faq_validate.main(["--phrasings", str(path)]) == 1
    assert "two or more different members" in capsys.readouterr().out
