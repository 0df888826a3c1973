"""Review and lifecycle: approve (searchable at once, registered to March 31), reject, ask for changes, the
facility's own change and withdrawal links, and the yearly renewal (safe to run twice)."""
import datetime as dt
import re

from sqlalchemy import func, select

from webapp.domain.fiscal import registration_valid_until
from webapp.extensions import db
from webapp.models import Facility
from webapp.registration.models import PartnerApplication, PartnerRegistration, RenewalRun

from .test_registration_helpers import apply, application, payload_of, staff


def app_row(site, app_id=None) -> PartnerApplication:
    with site.app_context():
        stmt = select(PartnerApplication).order_by(PartnerApplication.id.desc())
        app = db.session.get(PartnerApplication, app_id) if app_id else db.session.scalar(stmt)
        db.session.expunge(app)
        return app


def search_total(client, q) -> int:
    return client.get("/api/v1/facilities", query_string={"q": q}).get_json()["total"]


CSRF_PAGE = "/admin/notices/new"  # any admin page with a form gives the session's CSRF token


def approve(b, app_id, **extra):
    return b.submit(f"/admin/applications/{app_id}/approve", extra, page_url=CSRF_PAGE)


def jst_today() -> dt.date:
    from webapp.timeutil import now_jst
    return now_jst().date()


def test_approve_makes_the_facility_searchable_at_once(browserish, smtp, site):
    applicant = type(browserish)(site.test_client())
    apply(applicant)
    app = app_row(site)
    assert search_total(browserish.client, "ひなた") == 0
    staff(site, browserish)
    queue = browserish.get("/admin/applications").get_data(as_text=True)
    assert app.reference in queue and "カフェ ひなた 藤沢店" in queue
    detail = browserish.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    assert "お会計から10%引き（平日のみ・6歳までのお子さま連れ・1グループ1回まで）" in detail  # as it will be listed

    r = approve(browserish, app.id)
    assert r.status_code == 302
    # searchable immediately: the same search families use, by name, reading and benefit
    assert search_total(browserish.client, "カフェ ひなた") == 1
    assert search_total(browserish.client, "ふじさわてん") == 1
    hit = browserish.client.get("/api/v1/facilities", query_string={"q": "ひなた"}).get_json()["items"][0]
    page = browserish.get(f"/facilities/{hit['id']}").get_data(as_text=True)
    assert "カフェ ひなた 藤沢店" in page and "お会計から10%引き" in page and "0466-55-1234" in page
    with site.app_context():
        f = db.session.scalar(select(Facility).where(Facility.external_id == hit["id"]))
        assert f.status == "active" and f.programme == "passport" and f.municipality_code == "142051"
        assert f.address == "藤沢市鵠沼石上1-2-3" and f.open_days == "12345"
        assert f.registered_on == jst_today() and f.valid_until == registration_valid_until(jst_today())
        assert f.valid_until.month == 3 and f.valid_until.day == 31
        assert {a.code for a in f.amenities} == {"nursing_room", "kids_chair"}
        reg = db.session.scalar(select(PartnerRegistration).where(PartnerRegistration.facility_id == f.id))
        assert reg.email == "owner@example.jp" and reg.application_id == app.id
    assert app_row(site, app.id).status == "approved"
    mail = smtp.last_to("owner@example.jp")
    assert "承認しました" in mail["subject"] and f"/facilities/{hit['id']}" in mail["body"]
    assert "/partners/manage/" in mail["body"]
    status = applicant.get(smtp.link("owner@example.jp", "/partners/status/")).get_data(as_text=True)
    assert "承認済み" in status


def test_a_chain_becomes_one_facility_per_branch(browserish, smtp, site):
    apply(type(browserish)(site.test_client()), application(**{
        "branches-0-name": "ひなた 辻堂店", "branches-0-name_kana": "ひなた つじどうてん",
        "branches-0-municipality": "142051", "branches-0-address": "辻堂1-1-1",
        "branches-1-name": "ひなた 茅ヶ崎店", "branches-1-name_kana": "ひなた ちがさきてん",
        "branches-1-municipality": "142077", "branches-1-address": "新栄町2-2", "branches-1-phone": "0467-11-2222"}))
    app = app_row(site)
    staff(site, browserish)
    approve(browserish, app.id)
    for name in ("藤沢店", "辻堂店", "茅ケ崎店"):  # 茅ヶ崎 = 茅ケ崎 in search
        assert search_total(browserish.client, "ひなた " + name) == 1, name
    with site.app_context():
        ids = db.session.scalars(select(Facility.external_id).where(Facility.name.like("%ひなた%"))
                                 .order_by(Facility.external_id)).all()
        assert ids == [f"KP-A{app.id:06d}-01", f"KP-A{app.id:06d}-02", f"KP-A{app.id:06d}-03"]
        assert db.session.scalar(select(func.count(PartnerRegistration.id))) == 3
    body = smtp.last_to("owner@example.jp")["body"]
    assert body.count("/partners/manage/") == 3


def test_duplicates_need_a_tick_and_are_not_merged(browserish, smtp, site):
    applicant = type(browserish)(site.test_client())
    apply(applicant)
    staff(site, browserish)
    approve(browserish, app_row(site).id)
    apply(applicant, application(name="ＣＡＦＥ ひなた 藤沢店"))  # the same phone again
    app = app_row(site)
    assert app.duplicates and app.duplicates[0]["reason"] == "phone"
    detail = browserish.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    assert "重複の可能性" in detail and "電話番号が同じ" in detail
    r = approve(browserish, app.id)
    assert r.status_code == 422 and "チェックを入れてください" in r.get_data(as_text=True)
    assert app_row(site, app.id).status == "submitted"
    assert approve(browserish, app.id, checked_duplicates="y").status_code == 302
    with site.app_context():
        assert db.session.scalar(select(func.count(Facility.id)).where(Facility.phone == "0466-55-1234")) == 2


def test_a_decision_is_taken_once(browserish, smtp, site):
    apply(type(browserish)(site.test_client()))
    app = app_row(site)
    staff(site, browserish)
    approve(browserish, app.id)
    r = approve(browserish, app.id)  # a second click, or a second member of staff
    assert r.status_code == 302
    assert "処理済み" in browserish.get(r.headers["Location"]).get_data(as_text=True)
    r = browserish.submit(f"/admin/applications/{app.id}/reject", {"reason": "やはり"},
                          page_url=CSRF_PAGE)
    assert app_row(site, app.id).status == "approved"
    with site.app_context():
        assert db.session.scalar(select(func.count(Facility.id)).where(Facility.name.like("%ひなた%"))) == 1
    assert len([m for m in smtp.messages if "承認" in m["subject"]]) == 1


def test_reject_with_a_reason_mails_the_applicant(browserish, smtp, site):
    apply(type(browserish)(site.test_client()))
    app = app_row(site)
    staff(site, browserish)
    r = browserish.submit(f"/admin/applications/{app.id}/reject", {"reason": ""},
                          page_url=f"/admin/applications/{app.id}")
    assert r.status_code == 422 and "理由を入力してください" in r.get_data(as_text=True)
    assert app_row(site, app.id).status == "submitted" and len(smtp.messages) == 1
    r = browserish.submit(f"/admin/applications/{app.id}/reject",
                          {"reason": "特典が一般の広告と同じ内容のため、パスポート提示者への特典とは認められません。"},
                          page_url=f"/admin/applications/{app.id}")
    assert r.status_code == 302
    mail = smtp.last_to("owner@example.jp")
    assert "について" in mail["subject"] and "一般の広告と同じ内容" in mail["body"]
    page = browserish.client.get(smtp.link("owner@example.jp", "/partners/status/")).get_data(as_text=True)
    assert "不承認" in page and "一般の広告と同じ内容" in page
    assert search_total(browserish.client, "ひなた") == 0


def test_ask_for_changes_then_the_applicant_revises(browserish, smtp, site):
    applicant = type(browserish)(site.test_client())
    apply(applicant)
    app = app_row(site)
    staff(site, browserish)
    r = browserish.submit(f"/admin/applications/{app.id}/changes", {"message": "特典の条件（対象年齢）を確認してください。"},
                          page_url=f"/admin/applications/{app.id}")
    assert r.status_code == 302
    mail = smtp.last_to("owner@example.jp")
    assert "修正のお願い" in mail["subject"] and "対象年齢" in mail["body"]
    status_link = smtp.link("owner@example.jp", "/partners/status/")
    status = applicant.get(status_link).get_data(as_text=True)
    assert "修正依頼中" in status and "対象年齢" in status
    edit = status_link + "/edit"
    form = applicant.get(edit).get_data(as_text=True)
    assert 'value="カフェ ひなた 藤沢店"' in form and 'value="6"' in form  # prefilled
    data = application(**{"benefits-0-age_to": "12"})
    page = applicant.submit(edit, data).get_data(as_text=True)
    r = applicant.submit("/partners/apply/send", {"payload": payload_of(page)}, page_url=edit)
    again = applicant.submit("/partners/apply/send", {"payload": payload_of(page)}, page_url="/partners/apply")
    assert r.status_code == again.status_code == 302
    revised = app_row(site, app.id)
    assert revised.status == "submitted" and revised.revision == 2 and revised.data["benefits"][0]["age_to"] == 12
    assert "修正を受け付けました" in smtp.last_to("owner@example.jp")["body"]
    assert len([m for m in smtp.messages if "受け付けました" in m["subject"]]) == 2  # first + revision, not 3
    assert applicant.get(edit).status_code == 302  # no longer open for changes
    assert approve(browserish, app.id).status_code == 302
    assert search_total(browserish.client, "ひなた") == 1


def _approved(browserish, smtp, site):
    apply(type(browserish)(site.test_client()))
    app = app_row(site)
    staff(site, browserish)
    approve(browserish, app.id)
    return app, smtp.link("owner@example.jp", "/partners/manage/")


def test_a_facility_asks_for_a_change_through_its_link(browserish, smtp, site):
    app, manage = _approved(browserish, smtp, site)
    owner = type(browserish)(site.test_client())  # no login: the signed link is enough
    page = owner.get(manage).get_data(as_text=True)
    assert "カフェ ひなた 藤沢店" in page and "掲載内容を変更する" in page
    form = owner.get(manage + "/change").get_data(as_text=True)
    assert 'value="カフェ ひなた 藤沢店"' in form and "お会計から10%引き" in form and 'name="branches-0-name"' not in form
    send_page = owner.submit(manage + "/change", application(  # forged branch rows are ignored for a change
        name="カフェ ひなた 藤沢駅前店", **{"benefits-0-text": "ドリンク1杯無料", "branches-0-name": "偽の支店",
                                      "branches-0-name_kana": "にせ", "branches-0-municipality": "142051",
                                      "branches-0-address": "本町1-1"}))
    r = owner.submit("/partners/apply/send", {"payload": payload_of(send_page.get_data(as_text=True))},
                     page_url=manage + "/change")
    assert r.status_code == 302
    change = app_row(site)
    assert change.kind == "change" and change.status == "submitted" and change.id != app.id
    assert search_total(browserish.client, "駅前店") == 0  # unchanged until staff approve
    detail = browserish.get(f"/admin/applications/{change.id}").get_data(as_text=True)
    assert "掲載中の施設の変更申請" in detail and "変更される内容" in detail
    assert "カフェ ひなた 藤沢駅前店" in detail and "お得: ドリンク1杯無料" in detail and "偽の支店" not in detail
    approve(browserish, change.id)
    assert search_total(browserish.client, "駅前店") == 1 and search_total(browserish.client, "ドリンク") == 1
    with site.app_context():
        facilities = db.session.scalars(select(Facility).where(Facility.name.like("%ひなた%"))).all()
        assert len(facilities) == 1 and facilities[0].external_id == f"KP-A{app.id:06d}-01"
        assert facilities[0].registered_on == jst_today()


def test_a_facility_withdraws_through_its_link(browserish, smtp, site):
    _, manage = _approved(browserish, smtp, site)
    owner = type(browserish)(site.test_client())
    r = owner.submit(manage + "/withdraw", {"reason": "閉店のため"})
    assert r.status_code == 200 and "チェックを入れて" in r.get_data(as_text=True) or "確認" in r.get_data(as_text=True)
    assert search_total(browserish.client, "ひなた") == 1
    r = owner.submit(manage + "/withdraw", {"reason": "閉店のため", "confirm": "y"})
    assert r.status_code == 200 and "登録を取り消しました" in r.get_data(as_text=True)
    assert search_total(browserish.client, "ひなた") == 0
    assert "取り消しました" in smtp.last_to("owner@example.jp")["subject"]
    assert owner.get(manage).status_code == 404  # the old link no longer works
    with site.app_context():
        reg = db.session.scalar(select(PartnerRegistration))
        assert reg.withdrawn_at is not None and reg.withdraw_reason == "閉店のため"
        assert reg.facility.status == "withdrawn"  # the row stays for the record
    assert "最近の登録取り消し" in browserish.get("/admin/").get_data(as_text=True)


def test_renewal_runs_once_a_year_and_is_safe_to_run_twice(browserish, smtp, site):
    _approved(browserish, smtp, site)
    apply(type(browserish)(site.test_client()), application(name="閉店したお店", phone="0466-00-0001",
                                                            email="closed@example.jp", address="本町1-1"))
    approve(browserish, app_row(site).id)
    with site.app_context():
        closed = db.session.scalar(select(Facility).where(Facility.name == "閉店したお店"))
        closed.status = "withdrawn"
        legacy = db.session.scalar(select(Facility).where(Facility.programme == "coupon"))
        legacy_id, coupon_until = legacy.id, legacy.valid_until
        db.session.commit()
    runner = site.test_cli_runner()
    day = jst_today()
    next_april = dt.date(day.year + (1 if day.month >= 4 else 0), 4, 1)
    until = dt.date(next_april.year + 1, 3, 31)
    before = len(smtp.messages)
    result = runner.invoke(args=["renew-registrations", "--today", next_april.isoformat(),
                                 "--base-url", "https://portal.example.jp"])
    assert result.exit_code == 0, result.output
    assert f"FY{next_april.year}: 1 registrations renewed until {until.isoformat()}" in result.output
    mails = smtp.messages[before:]
    assert len(mails) == 1 and "更新しました" in mails[0]["subject"]
    assert "https://portal.example.jp/partners/manage/" in mails[0]["body"]
    assert re.search(r"\d{4}年3月31日", mails[0]["body"])

    again = runner.invoke(args=["renew-registrations", "--today", next_april.isoformat(),
                                "--base-url", "https://portal.example.jp"])
    assert again.exit_code == 0 and "0 registrations renewed" in again.output and "run 2" in again.output
    assert len(smtp.messages) == before + 1  # no second mail
    with site.app_context():
        hinata = db.session.scalar(select(Facility).where(Facility.name == "カフェ ひなた 藤沢店"))
        assert hinata.valid_until == until
        assert db.session.scalar(select(Facility).where(Facility.name == "閉店したお店")).valid_until < until
        assert db.session.get(Facility, legacy_id).valid_until == coupon_until  # coupon places do not renew
        run = db.session.get(RenewalRun, next_april.year)
        assert (run.renewed, run.runs, run.valid_until) == (1, 2, until)
    # an earlier date never shortens a registration
    earlier = runner.invoke(args=["renew-registrations", "--today", day.isoformat()])
    assert earlier.exit_code == 0 and "0 registrations renewed" in earlier.output


def test_mails_follow_the_applicants_language_not_the_staffs(browserish, smtp, site):
    applicant = type(browserish)(site.test_client())
    applicant.client.get("/language/en")
    apply(applicant)
    assert "We received your application" in smtp.last_to("owner@example.jp")["subject"]
    staff(site, browserish)  # the office works in Japanese
    assert "審査待ち" in browserish.get("/admin/applications?status=submitted").get_data(as_text=True)
    approve(browserish, app_row(site).id)
    mail = smtp.last_to("owner@example.jp")
    assert "is approved" in mail["subject"] and "Registered until March 31" in mail["body"]


def test_renewal_without_a_site_address_renews_but_sends_no_mail(browserish, smtp, site):
    _approved(browserish, smtp, site)
    before = len(smtp.messages)
    day = jst_today()
    next_april = dt.date(day.year + (1 if day.month >= 4 else 0), 4, 1)
    result = site.test_cli_runner().invoke(args=["renew-registrations", "--today", next_april.isoformat()],
                                           env={"PUBLIC_BASE_URL": ""})
    assert result.exit_code == 0 and "1 registrations renewed" in result.output
    assert "renewal mails not sent" in result.output and len(smtp.messages) == before
