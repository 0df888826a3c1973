"""The public partner-facility application: every validation branch, the Yokohama rule, the confirmation page,
the acknowledgement mail and status link, double submits, oversized and malformed posts, duplicates."""
import re

import pytest
from sqlalchemy import func, select

from webapp.domain.facility_record import validate_record
from webapp.extensions import db
from webapp.facilities.operations import upsert_facility
from webapp.reference import reference
from webapp.registration.models import PartnerApplication

from .test_registration_helpers import apply, application, confirm, confirm_ok, errors_in, payload_of, send


def count(site) -> int:
    with site.app_context():
        return db.session.scalar(select(func.count(PartnerApplication.id)))


def stored(site) -> PartnerApplication:
    with site.app_context():
        app = db.session.scalar(select(PartnerApplication).order_by(PartnerApplication.id.desc()))
        db.session.expunge(app)
        return app


def test_apply_confirm_send_mail_and_status_page(browserish, smtp, site):
    b = browserish
    assert "協力施設" in b.get("/partners/").get_data(as_text=True)
    form = b.get("/partners/apply").get_data(as_text=True)
    assert 'name="submission_key"' in form and "ハマハグ" in form
    r = confirm(b, application())
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "申請内容の確認" in page and "まだ送信されていません" in page
    for shown in ("カフェ ひなた 藤沢店", "カフェ ヒナタ フジサワテン", "藤沢市", "0466-55-1234", "平日のみ", "提示が必要",
                  "対象年齢 0〜6歳", "1グループ1回まで", "授乳室", "owner@example.jp"):
        assert shown in page, shown
    assert count(site) == 0 and smtp.messages == []  # nothing stored before sending

    status_path = send(b, payload_of(page)).headers["Location"]
    app = stored(site)
    assert app.status == "submitted" and app.kind == "new" and app.location_count == 1 and app.lang == "ja"
    assert app.data["phone"] == "0466-55-1234" and app.data["name_kana"] == "カフェ ヒナタ フジサワテン"
    assert app.data["open_days"] == "12345" and app.data["benefits"][0]["age_to"] == 6
    mail = smtp.last_to("owner@example.jp")
    assert app.reference in mail["subject"] and "受け付けました" in mail["subject"]
    link = smtp.link("owner@example.jp", "/partners/status/")
    assert link == status_path
    status = b.client.get(link)  # no login needed
    assert status.status_code == 200 and "審査待ち" in status.get_data(as_text=True)
    # nothing is listed before approval
    assert b.get("/api/v1/facilities?q=ひなた").get_json()["total"] == 0


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "施設名を入力してください"),
    ({"name": "店" * 101}, "100文字以内で入力してください"),
    ({"name_kana": ""}, "ふりがなを入力してください"),
    ({"name_kana": "Hinata"}, "ひらがなかカタカナ"),
    ({"category": ""}, "業種を選んでください"),
    ({"category": "casino"}, "業種を選んでください"),
    ({"municipality": ""}, "市区町村を選んでください"),
    ({"municipality": "202029"}, "神奈川県内の市区町村を選んでください"),
    ({"municipality": "141003"}, "ハマハグ"),
    ({"address": ""}, "住所を入力してください"),
    ({"address": "町" * 201}, "200文字以内で入力してください"),
    ({"building": "階" * 101}, "100文字以内で入力してください"),
    ({"phone": ""}, "電話番号を入力してください"),
    ({"phone": "12345"}, "0466-12-3456 のように"),
    ({"phone": "090-1234-567"}, "0466-12-3456 のように"),
    ({"url": "example.jp"}, "http:// または https://"),
    ({"url": "javascript:alert(1)"}, "http:// または https://"),
    ({"open_days": None}, "営業日を選んでください"),
    ({"open_days": ["7"]}, "営業日を選んでください"),
    ({"opens": ""}, "開始時刻を入力してください"),
    ({"closes": ""}, "終了時刻を入力してください"),
    ({"opens": "25:00"}, "時:分"),
    ({"closes": "夕方"}, "時:分"),
    ({"hours_note": "x" * 201}, "200文字以内で入力してください"),
    ({"description": "x" * 501}, "500文字以内で入力してください"),
    ({"benefits-0-kind": "", "benefits-0-text": ""}, "特典を1つ以上入力してください"),
    ({"benefits-0-kind": ""}, "特典の種類を選んでください"),
    ({"benefits-0-kind": "cash"}, "特典の種類を選んでください"),
    ({"benefits-0-text": ""}, "特典の内容を入力してください"),
    ({"benefits-0-text": "x" * 201}, "200文字以内で入力してください"),
    ({"benefits-0-days": "someday"}, "選択肢が正しくありません"),
    ({"benefits-0-passport": "maybe"}, "パスポートの提示が必要かどうか"),
    ({"benefits-0-age_from": "7", "benefits-0-age_to": "3"}, "「何歳まで」は「何歳から」以上"),
    ({"benefits-0-age_to": "30"}, "0〜18の数字"),
    ({"benefits-0-age_from": "abc"}, "0〜18の数字"),
    ({"benefits-0-note": "x" * 101}, "100文字以内で入力してください"),
    ({"amenities": ["sauna"]}, "一覧から選んでください"),
    ({"contact_name": ""}, "ご担当者名を入力してください"),
    ({"email": ""}, "メールアドレスを入力してください"),
    ({"email": "not-an-address"}, "taro@example.jp のような"),
    ({"email": "owner@gmial.com"}, "gmail.com ではありませんか"),
    ({"agree": None}, "規約に同意してください"),
    ({"branches-0-name": "ひなた 辻堂店"}, "ふりがなを入力してください"),
    ({"branches-0-name": "ひなた 辻堂店"}, "住所を入力してください"),
    ({"branches-0-name": "ひなた 辻堂店"}, "市区町村を選んでください"),
    ({"branches-0-address": "辻堂1-1-1"}, "店舗名を入力してください"),
    ({"branches-0-name": "辻堂店", "branches-0-name_kana": "Tsujido", "branches-0-municipality": "142051",
      "branches-0-address": "辻堂1-1-1"}, "ひらがなかカタカナ"),
    ({"branches-0-name": "辻堂店", "branches-0-name_kana": "つじどう", "branches-0-municipality": "142051",
      "branches-0-address": "辻堂1-1-1", "branches-0-phone": "0466"}, "0466-12-3456 のように"),
    ({"branches-0-name": "横浜店", "branches-0-name_kana": "よこはま", "branches-0-municipality": "141003",
      "branches-0-address": "西区1-1"}, "ハマハグ"),
    ({"branches-0-name": "松本店", "branches-0-name_kana": "まつもと", "branches-0-municipality": "202029",
      "branches-0-address": "中央1-1"}, "神奈川県内の市区町村を選んでください"),
])
def test_every_field_is_checked_with_its_message_and_nothing_is_stored(browserish, smtp, site, changes, message):
    r = confirm(browserish, application(**changes))
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'name="payload"' not in page, "accepted: %s" % changes
    assert any(message in e for e in errors_in(page)), (message, errors_in(page))
    assert "入力内容をご確認ください" in page or "error-summary" in page
    assert count(site) == 0 and smtp.messages == []


def test_yokohama_gets_a_friendly_pointer(browserish):
    page = confirm(browserish, application(municipality="141003")).get_data(as_text=True)
    assert "横浜市の「ハマハグ」にご登録ください" in page  # next to the field (validate_record's message)
    assert "横浜市内の施設の方へ" in page and "ハマハグ 協賛" in page  # and the explanation box


def test_messages_follow_the_language(browserish):
    browserish.client.get("/language/en")
    page = confirm(browserish, application(name="", municipality="141003", **{"benefits-0-text": ""})).get_data(
        as_text=True)
    errors = " ".join(errors_in(page))
    assert "Enter the facility name." in errors and "Hamahug" in errors and "Describe the benefit." in errors
    assert "Apply as a partner facility" in page and "施設名を入力" not in page
    page = confirm(browserish, application(**{"benefits-0-age_from": "abc"})).get_data(as_text=True)
    assert "From 0 to 18." in " ".join(errors_in(page))  # one message, worded for the number box


def test_input_is_normalised(browserish, site):
    apply(browserish, application(phone="０４６６（５５）１２３４", name_kana="ｶﾌｪ ﾋﾅﾀ", email="ＯＷＮＥＲ＠ＥＸＡＭＰＬＥ．ＪＰ",
                                  opens="9時", closes="１８：３０"))
    data = stored(site).data
    assert data["phone"] == "0466-55-1234" and data["name_kana"] == "カフェ ヒナタ"
    assert data["email"] == "owner@example.jp" and (data["opens"], data["closes"]) == ("09:00", "18:30")


def test_every_location_is_a_valid_facility_record(browserish, site):
    """What is stored passes validate_record for each location: approval cannot fail on good input."""
    from webapp.registration.records import location_raws
    apply(browserish, application(**{"branches-0-name": "ひなた 辻堂店", "branches-0-name_kana": "ひなた つじどうてん",
                                     "branches-0-municipality": "142051", "branches-0-address": "辻堂1-1-1"}))
    app = stored(site)
    with site.app_context():
        raws = location_raws(app.data, {"142051": "藤沢市"})
        assert [r["address"] for r in raws] == ["藤沢市鵠沼石上1-2-3", "藤沢市辻堂1-1-1"]
        for raw in raws:
            rec, errors = validate_record(raw, reference())
            assert errors == [] and rec.benefits["otoku"] == "お会計から10%引き（平日のみ・6歳までのお子さま連れ・1グループ1回まで）"


def test_double_submit_makes_one_application(browserish, smtp, site):
    payload = confirm_ok(browserish, application())
    first = send(browserish, payload)
    second = send(browserish, payload)  # the button pressed twice, or the page re-posted
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(site) == 1
    assert len([m for m in smtp.messages if "owner@example.jp" in m["to"]]) == 1


def test_going_back_and_sending_changed_data_is_a_new_submission(browserish, site):
    """The same form key with other data (back button, edit, send) is not swallowed as a double submit."""
    data = application(submission_key="k" * 32)
    first = send(browserish, confirm_ok(browserish, data))
    again = send(browserish, confirm_ok(browserish, dict(data, description="説明を直しました")))
    assert first.headers["Location"] != again.headers["Location"] and count(site) == 2


def test_a_new_form_is_a_new_application(browserish, site):
    apply(browserish)
    apply(browserish, application(name="別のお店", phone="0466-99-0000", address="本町1-1"))
    assert count(site) == 2


def test_oversized_posts_are_refused_and_nothing_is_stored(browserish, smtp, site):
    big = "あ" * (200 * 1024)
    for url in ("/partners/apply", "/partners/apply/send"):
        r = browserish.submit(url, application(description=big, payload=big), page_url="/partners/apply")
        assert r.status_code == 413, url
    assert count(site) == 0 and smtp.messages == []


def test_malformed_posts_are_refused_and_nothing_is_stored(browserish, smtp, site):
    b = browserish
    payload = confirm_ok(b, application())
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    assert send(b, tampered).status_code == 400
    assert send(b, "").status_code == 400
    assert send(b, "x" * 5000).status_code == 400
    # a status-link token is not a form payload (each signed value has its own salt)
    token = apply(b).rsplit("/", 1)[1]
    assert send(b, token).status_code == 400
    before = count(site)
    many_rows = application(**{f"branches-{i}-name": f"店{i}" for i in range(60)})
    assert confirm(b, many_rows).status_code == 400
    assert confirm(b, application(**{"branches-99999-name": "店"})).status_code == 400
    assert b.client.post("/partners/apply/send", data={"payload": payload}).status_code == 400  # no CSRF token
    # back-from-confirmation with a payload for another form
    assert b.submit("/partners/apply", {"action": "edit", "payload": tampered}).status_code == 400
    assert count(site) == before


def test_data_is_checked_again_when_sent(browserish, site, monkeypatch):
    """The confirmation page's data is signed, and still validated again on sending."""
    payload = confirm_ok(browserish, application())
    ref = reference()
    munis = dict(ref.municipalities)
    munis["142051"] = dict(munis["142051"], facility_eligible=False)
    monkeypatch.setattr("webapp.registration.views.reference", lambda: type(ref)(
        ref.categories, munis, ref.amenities, ref.benefit_kinds, ref.services))
    r = send(browserish, payload)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "神奈川県内の施設のみ" in " ".join(errors_in(page)) or errors_in(page)
    assert count(site) == 0


def test_back_from_the_confirmation_page_keeps_everything(browserish):
    payload = confirm_ok(browserish, application(description="とても静かなカフェ"))
    page = browserish.submit("/partners/apply", {"action": "edit", "payload": payload}).get_data(as_text=True)
    assert 'value="カフェ ひなた 藤沢店"' in page and "とても静かなカフェ" in page and 'value="0466-55-1234"' in page
    assert re.search(r'value="otoku" selected|selected value="otoku"', page)


def test_rows_can_be_added_without_javascript(browserish):
    empty_rows = {f"branches-{i}-{k}": "" for i in range(3) for k in ("name", "address")}
    page = browserish.submit("/partners/apply", application(action="add_branch", **empty_rows)).get_data(as_text=True)
    assert 'name="branches-5-name"' in page and 'name="branches-6-name"' not in page  # 3 empty rows + 3 more
    assert "error-summary" not in page  # adding rows does not check the form
    page = browserish.submit("/partners/apply", application(action="add_benefit")).get_data(as_text=True)
    assert 'name="benefits-1-text"' in page and 'value="お会計から10%引き"' not in page or "お会計から10%引き" in page


def test_chains_register_branches_in_one_application(browserish, site):
    apply(browserish, application(**{
        "branches-0-name": "ひなた 辻堂店", "branches-0-name_kana": "ひなた つじどうてん", "branches-0-municipality": "142051",
        "branches-0-address": "辻堂1-1-1", "branches-0-phone": "0466-55-2222",
        "branches-1-name": "", "branches-1-address": "",  # an empty row is ignored
        "branches-2-name": "ひなた 茅ヶ崎店", "branches-2-name_kana": "ひなた ちがさきてん", "branches-2-municipality": "142077",
        "branches-2-address": "新栄町2-2"}))
    app = stored(site)
    assert app.location_count == 3 and [b["name"] for b in app.data["branches"]] == ["ひなた 辻堂店", "ひなた 茅ヶ崎店"]


def test_likely_duplicates_are_flagged_not_merged(browserish, site):
    with site.app_context():
        rec, errors = validate_record({"external_id": "KP-900001", "name": "ＣＡＦＥ ひなた　藤沢店", "category": "restaurant",
                                       "municipality": "142051", "address": "藤沢市鵠沼石上１－２－３",
                                       "phone": "0466-11-1111"}, reference())
        assert not errors
        upsert_facility(db.session, rec)
        rec2, _ = validate_record({"external_id": "KP-900002", "name": "別の店", "category": "retail",
                                   "municipality": "142051", "address": "藤沢市本町9-9", "phone": "0466-55-1234"},
                                  reference())
        upsert_facility(db.session, rec2)
        db.session.commit()
    apply(browserish, application(name="cafe ひなた 藤沢店"))
    flags = stored(site).duplicates
    assert {(f["facility"], f["reason"]) for f in flags} == {("KP-900001", "name_address"), ("KP-900002", "phone")}
    # a second application for the same place is flagged against the first one
    apply(browserish, application(name="cafe ひなた 藤沢店", phone="0466-77-7777"))
    assert any(f.get("application") == "A-000001" for f in stored(site).duplicates)


def test_status_links_cannot_be_guessed_or_altered(browserish, site):
    path = apply(browserish)
    assert browserish.get(path).status_code == 200
    assert browserish.get(path[:-2] + "xx").status_code == 404
    assert "このリンクは使えません" in browserish.get("/partners/status/nonsense").get_data(as_text=True)
    assert browserish.get("/partners/manage/nonsense").status_code == 404


def test_pages_are_not_cached_and_use_no_inline_script(browserish):
    r = browserish.get("/partners/apply")
    assert "no-store" in r.headers["Cache-Control"]
    assert "<script>" not in r.get_data(as_text=True) and "style=" not in r.get_data(as_text=True)
