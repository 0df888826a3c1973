"""Public help pages: FAQ search (kana/width variants, highlighted), browsing, entry pages, flows walked by URL
(bad paths explained, never a 500), and the お問い合わせ page routing a question to whom to call."""
import datetime as dt
import re
from html import unescape

import pytest

import faq
from contacts import JST
from webapp.help import content


@pytest.fixture
def web(ref_app):
    return ref_app.test_client()


def text_of(response) -> str:
    """The page's visible text, tags dropped, whitespace collapsed."""
    html = response.get_data(as_text=True)
    main = re.search(r"<main.*?</main>", html, re.S).group()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def at(monkeypatch, *args):
    monkeypatch.setattr(content, "now_japan", lambda: dt.datetime(*args, tzinfo=JST))


# ------------------------------------------------------------------ FAQ search and browsing

@pytest.mark.parametrize("query", ["パスワード", "ぱすわーど", "ﾊﾟｽﾜｰﾄﾞ", "パスワ－ド"])
def test_search_finds_the_same_entry_for_kana_and_width_variants(web, query):
    r = web.get("/help/", query_string={"q": query})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'href="/help/faq/common-password-reset"' in html
    assert "<mark>" in html  # highlighted
    assert 'href="/help/flows/forgot_password"' in html  # the flow is offered too


@pytest.mark.parametrize("query", ["QR", "ｑｒ", "ＱＲコード", "qrこーど"])
def test_search_for_qr_variants(web, query):
    html = web.get("/help/", query_string={"q": query}).get_data(as_text=True)
    assert 'href="/help/faq/coupon-qr-not-reading"' in html
    assert 'href="/help/flows/qr_not_reading"' in html


def test_search_escapes_the_query_and_says_when_nothing_matched(web):
    r = web.get("/help/", query_string={"q": "<script>ぞぞぞぞ"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<script>ぞ" not in html and "&lt;script&gt;" in html
    assert "回答が見つかりませんでした" in html and 'href="/help/contact"' in html


def test_english_search_and_pages(web):
    html = web.get("/help/", query_string={"q": "password", "lang": "en"}).get_data(as_text=True)
    entry = faq.load_faq().get("common-password-reset")
    assert entry.q("en") in unescape(re.sub(r"</?mark>", "", html))
    assert "Help and FAQ" in html and "ヘルプ・よくある質問" not in html


def test_browse_by_programme_and_category(web):
    faqset = faq.load_faq()
    page = web.get("/help/").get_data(as_text=True)
    for e in faqset:
        assert f'href="/help/faq/{e.id}"' in page  # everything is listed when browsing
    passport = web.get("/help/", query_string={"programme": "passport"}).get_data(as_text=True)
    assert 'href="/help/faq/passport-validity"' in passport
    assert 'href="/help/faq/coupon-cash"' not in passport
    assert 'href="/help/faq/common-password-reset"' in passport  # common entries belong to both
    using = web.get("/help/", query_string={"category": "using"}).get_data(as_text=True)
    assert 'href="/help/faq/coupon-passcode"' in using and 'href="/help/faq/facility-cost"' not in using
    # unknown filters are ignored, not errors
    assert web.get("/help/", query_string={"programme": "x", "category": "y"}).status_code == 200


def test_entry_page(web):
    r = web.get("/help/faq/coupon-qr-not-reading")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<h1>QRコードを読み取っても反応しません。</h1>" in html
    assert "<ul>" in html  # the 「・」 lines of the answer are a list
    assert 'href="/help/flows/qr_not_reading"' in html
    assert 'href="tel:0262621378"' in html  # the entry names the support center
    en = web.get("/help/faq/coupon-qr-not-reading?lang=en").get_data(as_text=True)
    assert faq.load_faq().get("coupon-qr-not-reading").q("en") in unescape(en)
    assert web.get("/help/faq/no-such-entry").status_code == 404


def test_answer_html_lists_phones_and_escaping():
    html = str(content.answer_html("はじめに\n・一つ目 <b>\n・二つ目\n1. 手順\n2. 次\n電話 026-262-1378 まで"))
    assert html.count("<ul>") == 1 and html.count("<li>") == 4 and html.count("<ol>") == 1
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<a class="tel" href="tel:0262621378">026-262-1378</a>' in html


def test_footer_links(web):
    html = web.get("/").get_data(as_text=True)
    assert '<a href="/help/">ヘルプ</a>' in html and '<a href="/help/contact">お問い合わせ</a>' in html


# ------------------------------------------------------------------ flows by URL

def test_flow_start_offers_each_choice_as_a_link(web):
    html = web.get("/help/flows/qr_not_reading").get_data(as_text=True)
    flow = faq.load_flows()["qr_not_reading"]
    assert flow.start.text_for("ja") in html
    for c in flow.start.choices:
        assert f'href="/help/flows/qr_not_reading?path={c.id}#step"' in html
    assert "ひとつ前に戻る" not in html  # nothing to go back to at the start


def test_walk_to_the_passcode_step_and_back(web):
    r = web.get("/help/flows/qr_not_reading?path=iphone,latest,safari,still_not")
    html = r.get_data(as_text=True)
    passcode = faq.load_flows()["qr_not_reading"].step("passcode")
    assert r.status_code == 200 and passcode.text_for("ja") in html
    assert "質問 5" in html
    assert 'href="/help/flows/qr_not_reading?path=iphone%2Clatest%2Csafari#step"' in html \
        or 'href="/help/flows/qr_not_reading?path=iphone,latest,safari#step"' in html  # back one step
    # the answers so far, each a link back to that point
    assert "Safariで開いている" in html and 'href="/help/flows/qr_not_reading?path=iphone' in html


def test_route_step_shows_who_to_call_with_open_state(web, monkeypatch):
    at(monkeypatch, 2026, 11, 24, 10, 30)  # a Tuesday morning
    page = text_of(web.get("/help/flows/qr_not_reading?path=other,no_other,failed"))
    assert "サポートセンター" in page and "受付中" in page
    html = web.get("/help/flows/qr_not_reading?path=other,no_other,failed").get_data(as_text=True)
    assert 'href="tel:0262621378"' in html
    at(monkeypatch, 2026, 11, 28, 11, 0)  # a Saturday
    page = text_of(web.get("/help/flows/qr_not_reading?path=other,no_other,failed"))
    assert "受付時間外" in page and "11月30日(月) 10:00" in page
    at(monkeypatch, 2026, 11, 24, 12, 15)  # lunch break
    page = text_of(web.get("/help/flows/qr_not_reading?path=other,no_other,failed&lang=en"))
    assert "Not taking calls now" in page and "Tue 24 Nov 13:00" in page


def test_route_to_a_service_lists_its_contacts(web):
    html = web.get("/help/flows/wrong_coupon_count?path=within,temporary_care").get_data(as_text=True)
    assert "保育課" in html and 'href="tel:0263339856"' in html and "小宮保育園" in html


@pytest.mark.parametrize("path, message", [
    ("iphone,bogus", "「bogus」はこの質問の選択肢にありません"),
    ("other,no_other,worked,extra", "「extra」はこの質問の選択肢にありません"),   # past the end
    ("<script>", "「&lt;script&gt;」"),
    (",".join(["iphone"] * 100), "長すぎて開けません"),
])
def test_bad_paths_are_explained_not_500(web, path, message):
    r = web.get("/help/flows/qr_not_reading", query_string={"path": path})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and message in html
    assert 'role="alert"' in html and "最初からやり直す" in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_bad_path_keeps_the_part_that_fits(web):
    html = web.get("/help/flows/qr_not_reading?path=iphone,bogus").get_data(as_text=True)
    flow = faq.load_flows()["qr_not_reading"]
    assert flow.step("ios_version").text_for("ja") in html


def test_unknown_flow_is_404(web):
    assert web.get("/help/flows/no_such_flow").status_code == 404


def _all_paths(flow):
    out = []

    def go(step, answers):
        out.append(answers)
        for c in step.choices:
            go(flow.step(c.next), answers + [c.id])

    go(flow.start, [])
    return out


def test_every_step_of_every_flow_renders_in_both_languages(web):
    for flow in faq.load_flows().values():
        for answers in _all_paths(flow):
            for lang in ("ja", "en"):
                r = web.get(f"/help/flows/{flow.id}", query_string={"path": ",".join(answers), "lang": lang})
                assert r.status_code == 200, (flow.id, answers)
                assert 'role="alert"' not in r.get_data(as_text=True), (flow.id, answers)


def test_flow_list(web):
    html = web.get("/help/flows").get_data(as_text=True)
    for flow_id in faq.load_flows():
        assert f'href="/help/flows/{flow_id}"' in html


# ------------------------------------------------------------------ お問い合わせ

def test_contact_page_lists_topics_and_the_support_center(web, monkeypatch):
    at(monkeypatch, 2026, 11, 23, 10, 30)  # 勤労感謝の日 (a national holiday, a Monday)
    r = web.get("/help/contact")
    page = text_of(r)
    assert r.status_code == 200
    assert "一時預かり" in page and "ログイン・QRコード・メール" in page
    assert "平日 10:00〜12:00 / 13:00〜17:00" in page and "受付時間外" in page and "11月24日(火) 10:00" in page
    assert "長野県長野市" in page  # the support center's address
    assert 'href="tel:0262621378"' in r.get_data(as_text=True)


def test_contact_routes_a_service_question_department_first(web, monkeypatch):
    at(monkeypatch, 2026, 11, 24, 14, 0)
    html = web.get("/help/contact?topic=temporary_care").get_data(as_text=True)
    order = [html.index(name) for name in ("保育課", "小宮保育園", "認定こども園聖十字幼稚園")]
    assert order == sorted(order)
    routes = html.split('class="routes"', 1)[1].split("</ol>", 1)[0]
    assert routes.rindex("サポートセンター") > routes.index("認定こども園聖十字幼稚園")  # the support center last
    assert 'href="tel:0263339856"' in html and "受付中" in html


def test_contact_system_question_goes_to_the_support_center(web):
    html = web.get("/help/contact?topic=system").get_data(as_text=True)
    routes = html.split('class="routes"', 1)[1].split("</ol>", 1)[0]
    assert routes.count('class="route ') == 1 and "サポートセンター" in routes


def test_contact_passport_question_points_to_the_faq(web):
    html = web.get("/help/contact?topic=passport").get_data(as_text=True)
    assert 'href="/help/faq/passport-validity"' in html and 'class="routes"' not in html


def test_contact_unknown_topic(web):
    r = web.get("/help/contact?topic=nope")
    assert r.status_code == 404 and "その内容は見つかりません" in r.get_data(as_text=True)


def test_contact_in_english(web):
    page = text_of(web.get("/help/contact?topic=holiday_care&lang=en"))
    assert "Holiday childcare" in page and "Weekdays 10:00–12:00 / 13:00–17:00" in page
    assert "Children's Development Division" in page or "Division" in page
