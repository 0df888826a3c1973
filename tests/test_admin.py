"""Programme administration: role checks on every admin route (from the URL map), the dashboard, facilities
(search, edit, withdraw), notices, users and roles, CSV import/export from the browser."""
import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.admin.models import Notice
from webapp.admin.notices import published_notices
from webapp.domain.facility_record import validate_record
from webapp.extensions import db
from webapp.facilities.operations import upsert_facility
from webapp.models import Facility
from webapp.reference import reference
from webapp.registration.models import PartnerApplication
from webapp.timeutil import utcnow

from .test_registration_helpers import apply, make_user, staff

CSRF_PAGE = "/admin/notices/new"
PUBLIC_CSRF_PAGE = "/partners/apply"


def add_facility(external_id="KP-800001", **raw):
    rec, errors = validate_record({"external_id": external_id, "name": "森のパン屋 こむぎ", "name_kana": "もりのぱんや こむぎ",
                                   "category": "retail", "municipality": "142042", "address": "鎌倉市由比ガ浜1-1",
                                   "phone": "0467-22-0001", "benefits": {"otoku": "パン1個サービス"}, **raw},
                                  reference())
    assert not errors, errors
    upsert_facility(db.session, rec)
    db.session.commit()


def total(client, q) -> int:
    return client.get("/api/v1/facilities", query_string={"q": q}).get_json()["total"]


# -- role checks -----------------------------------------------------------------------------------------------
def _sample_values(site) -> dict:
    with site.app_context():
        add_facility()
        notice = Notice(title="お知らせ", body="本文", audience="all", publish_from=utcnow())
        db.session.add(notice)
        user = make_user("family", "someone@example.jp")
        db.session.commit()
        return {"notice_id": notice.id, "external_id": "KP-800001", "user_id": user.id}


def test_every_admin_route_needs_the_admin_role(site, browserish):
    apply(type(browserish)(site.test_client()))
    values = _sample_values(site)
    with site.app_context():
        values["app_id"] = db.session.scalar(select(PartnerApplication.id))
    rules = [r for r in site.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert len(rules) >= 19
    for rule in rules:  # the decorator itself, on the function the URL map calls
        assert getattr(site.view_functions[rule.endpoint], "required_roles", None) == ("admin",), rule.endpoint

    def urls():
        for rule in rules:
            args = {a: values[a] for a in rule.arguments}
            with site.test_request_context():
                from flask import url_for
                yield rule, url_for(rule.endpoint, **args)

    def check(b, expected_get, expected_post, csrf_page):
        for rule, url in urls():
            if "GET" in rule.methods:
                r = b.get(url)
                assert r.status_code == expected_get, (rule.endpoint, url, r.status_code)
                if expected_get == 302:
                    assert "/login" in r.headers["Location"], rule.endpoint
            else:
                r = b.submit(url, {}, page_url=csrf_page)
                assert r.status_code == expected_post, (rule.endpoint, url, r.status_code)
                if expected_post == 302:
                    assert "/login" in r.headers["Location"], rule.endpoint

    anonymous = type(browserish)(site.test_client())
    check(anonymous, 302, 302, PUBLIC_CSRF_PAGE)
    for role in ("family", "agent", "provider"):
        b = type(browserish)(site.test_client())
        staff(site, b, role)
        check(b, 403, 403, PUBLIC_CSRF_PAGE)
    admin = type(browserish)(site.test_client())
    staff(site, admin, "admin")
    for rule, url in urls():
        if "GET" in rule.methods:
            assert admin.get(url).status_code == 200, rule.endpoint


# -- dashboard -------------------------------------------------------------------------------------------------
def test_dashboard_counts_by_municipality_category_and_waiting(site, browserish):
    with site.app_context():
        add_facility()
        add_facility("KP-800002", name="由比ガ浜カフェ", phone="0467-22-0002", category="restaurant")
    apply(type(browserish)(site.test_client()))
    staff(site, browserish)
    page = browserish.get("/admin/").get_data(as_text=True)
    assert re.search(r'<span class="kpi">1</span> 件の申請が審査待ち', page)
    assert re.search(r'<span class="kpi">2</span> 件の協力施設を掲載中', page)
    assert re.search(r"<td>鎌倉市</td><td class=\"num\">2</td>", page)
    assert re.search(r"<td>小売店</td><td class=\"num\">1</td>", page)
    assert re.search(r"<td>飲食店</td><td class=\"num\">1</td>", page)
    assert "横浜市 <small>（独自制度）</small>" in page
    assert "COUPON FIGURES" not in page and 'id="h-coupons"' in page  # the marked place for the coupons area


# -- facilities --------------------------------------------------------------------------------------------------
def test_find_edit_withdraw_and_reinstate_a_facility(site, browserish):
    with site.app_context():
        add_facility()
    staff(site, browserish)
    page = browserish.get("/admin/facilities?q=こむぎ").get_data(as_text=True)  # the search index, as families
    assert "KP-800001" in page and "森のパン屋 こむぎ" in page
    assert "KP-800001" in browserish.get("/admin/facilities?q=KP-800001").get_data(as_text=True)
    form = browserish.get("/admin/facilities/KP-800001").get_data(as_text=True)
    assert 'value="森のパン屋 こむぎ"' in form and "パン1個サービス" in form

    def edit(**changes):
        data = {"name": "森のパン屋 こむぎ", "name_kana": "モリノパンヤ コムギ", "category": "retail",
                "municipality": "142042", "address": "鎌倉市由比ガ浜1-1", "phone": "0467-22-0001",
                "benefit_otoku": "パン1個サービス", "registered_on": "2020-04-01", **changes}
        return browserish.submit("/admin/facilities/KP-800001", data)

    r = edit(phone="123", municipality="141003", opens="25:00")
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "0466-12-3456 のように" in html and "ハマハグ" in html
    assert edit(name="森のパン屋 こむぎ 本店", benefit_kokorokubari="お湯をどうぞ").status_code == 302
    assert total(browserish.client, "こむぎ 本店") == 1 and total(browserish.client, "お湯をどうぞ") == 1
    with site.app_context():
        f = db.session.scalar(select(Facility).where(Facility.external_id == "KP-800001"))
        assert f.registered_on == dt.date(2020, 4, 1) and f.valid_until.month == 3

    assert browserish.submit("/admin/facilities/KP-800001/withdraw", {}, page_url=CSRF_PAGE).status_code == 302
    assert total(browserish.client, "こむぎ") == 0
    assert "KP-800001" in browserish.get("/admin/facilities?status=withdrawn").get_data(as_text=True)
    assert browserish.submit("/admin/facilities/KP-800001/reinstate", {}, page_url=CSRF_PAGE).status_code == 302
    assert total(browserish.client, "こむぎ") == 1
    assert browserish.get("/admin/facilities/KP-NOPE").status_code == 404


def test_csv_export_and_import_from_the_browser(site, browserish):
    with site.app_context():
        add_facility()
    staff(site, browserish)
    r = browserish.get("/admin/facilities/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    text = r.get_data().decode("utf-8-sig")
    assert text.startswith("都道府県コード又は市区町村コード") and "森のパン屋 こむぎ" in text
    geo = browserish.get("/admin/facilities/export.geojson")
    assert geo.status_code == 200 and geo.get_json()["type"] == "FeatureCollection"

    csv_text = ("施設ID,名称,名称_カナ,業種,市区町村名,住所,電話番号,特典_お得\n"
                "KP-700001,海の家 なみ,うみのいえ なみ,restaurant,藤沢市,藤沢市片瀬海岸1-1,0466-11-0001,かき氷半額\n"
                "KP-700002,横浜のお店,よこはま,retail,横浜市,横浜市西区1-1,045-111-0001,割引\n"
                "KP-700003,電話の壊れた店,でんわ,retail,藤沢市,藤沢市本町1-1,12,割引\n")

    def upload(body: bytes, dry_run=False):
        page = browserish.get("/admin/facilities/import").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = {"csrf_token": token, "file": (io.BytesIO(body), "facilities.csv")}
        if dry_run:
            data["dry_run"] = "y"
        return browserish.client.post("/admin/facilities/import", data=data, content_type="multipart/form-data")

    page = upload(csv_text.encode("utf-8"), dry_run=True).get_data(as_text=True)
    assert "確認のみ・保存していません" in page and "追加 1件" in page
    assert total(browserish.client, "海の家") == 0
    page = upload(csv_text.encode("cp932")).get_data(as_text=True)
    assert "追加 1件、更新 0件、取り込めなかった行 2件" in page
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>(\w+)</td><td>(.*?)</td></tr>', page)
    assert ("3", "市区町村名") in [(a, b) for a, b, _ in rows] and ("4", "電話番号") in [(a, b) for a, b, _ in rows]
    assert any("ハマハグ" in m for _, _, m in rows)
    assert total(browserish.client, "海の家") == 1
    assert upload(b"").status_code == 200  # an empty file: reported, not a crash
    r = upload(b"x" * (11 * 1024 * 1024))
    assert r.status_code == 413


# -- notices ----------------------------------------------------------------------------------------------------
def test_notices_crud_and_what_families_see(site, browserish):
    staff(site, browserish)
    now_jst = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=9)).replace(tzinfo=None)
    fmt = lambda d: d.strftime("%Y-%m-%dT%H:%M")  # noqa: E731

    def post(url=CSRF_PAGE, **data):
        return browserish.submit(url, {"audience": "all", **data}, page_url=CSRF_PAGE)

    r = post(title="", body="", publish_from="")
    assert r.status_code == 422 and "タイトルを入力してください" in r.get_data(as_text=True)
    r = post(title="休日保育の受付", body="本文", title_en="Holiday care", publish_from=fmt(now_jst))
    assert r.status_code == 422 and "両方入力するか" in r.get_data(as_text=True)
    r = post(title="年末年始", body="本文", publish_from=fmt(now_jst), publish_until=fmt(now_jst - dt.timedelta(days=1)))
    assert r.status_code == 422 and "終了は開始より後" in r.get_data(as_text=True)
    assert post(title="クーポンの締切", body="3月31日まで", title_en="Coupon deadline", body_en="Until 31 March",
                audience="coupon", publish_from=fmt(now_jst - dt.timedelta(hours=1))).status_code == 302
    assert post(title="パスポートのお知らせ", body="更新", audience="passport",
                publish_from=fmt(now_jst - dt.timedelta(hours=1))).status_code == 302
    assert post(title="みなさんへ", body="メンテナンス", publish_from=fmt(now_jst - dt.timedelta(days=2)),
                publish_until=fmt(now_jst + dt.timedelta(days=1))).status_code == 302
    assert post(title="来週から", body="予告", publish_from=fmt(now_jst + dt.timedelta(days=7))).status_code == 302
    assert post(title="終わった", body="過去", publish_from=fmt(now_jst - dt.timedelta(days=9)),
                publish_until=fmt(now_jst - dt.timedelta(days=2))).status_code == 302
    with site.app_context():
        coupon = [n.title for n in published_notices(db.session, "coupon", utcnow())]
        passport = [n.title for n in published_notices(db.session, "passport", dt.datetime.now(dt.timezone.utc))]
        assert coupon == ["クーポンの締切", "みなさんへ"] and passport == ["パスポートのお知らせ", "みなさんへ"]
        assert {n.title for n in published_notices(db.session, "all", utcnow())} == {
            "クーポンの締切", "パスポートのお知らせ", "みなさんへ"}
        stored = db.session.scalar(select(Notice).where(Notice.title == "クーポンの締切"))
        # entered in Japan time, stored in UTC
        assert abs((stored.publish_from - (utcnow() - dt.timedelta(hours=1))).total_seconds()) < 120
        from webapp.coupons.notices import _published  # the coupon wallet's hook finds them
        assert [n.title for n in _published("coupon")] == ["クーポンの締切", "みなさんへ"]
        notice_id = stored.id
    page = browserish.get("/admin/notices").get_data(as_text=True)
    assert "公開予定" in page and "公開中" in page and "終了" in page
    edit = browserish.get(f"/admin/notices/{notice_id}").get_data(as_text=True)
    assert 'value="クーポンの締切"' in edit and "Until 31 March" in edit
    assert post(f"/admin/notices/{notice_id}", title="クーポンの締切（延長）", body="4月15日まで",
                audience="coupon", publish_from=fmt(now_jst - dt.timedelta(hours=1))).status_code == 302
    assert browserish.submit(f"/admin/notices/{notice_id}/delete", {}, page_url=CSRF_PAGE).status_code == 302
    with site.app_context():
        assert db.session.get(Notice, notice_id) is None


# -- users and roles ------------------------------------------------------------------------------------------------
def test_users_search_and_roles(site, browserish):
    with site.app_context():
        make_user("family", "mama@example.jp")
        helper = make_user("agent", "helper@example.jp")
        helper_id = helper.id
    me = staff(site, browserish)
    page = browserish.get("/admin/users?email=MAMA").get_data(as_text=True)
    assert "mama@example.jp" in page and "helper@example.jp" not in page
    page = browserish.get("/admin/users?role=agent").get_data(as_text=True)
    assert "helper@example.jp" in page and "mama@example.jp" not in page

    def set_role(user_id, role):
        return browserish.submit(f"/admin/users/{user_id}/role", {f"u{user_id}-role": role}, page_url=CSRF_PAGE)

    assert set_role(helper_id, "family").status_code == 302
    with site.app_context():
        helper = db.session.get(User, helper_id)
        assert helper.role == "family" and helper.passport_number  # a family account gets its passport number
    r = set_role(me, "family")
    assert "自分自身の役割は変更できません" in browserish.get(r.headers["Location"]).get_data(as_text=True)
    set_role(helper_id, "superuser")
    with site.app_context():
        assert db.session.get(User, me).role == "admin" and db.session.get(User, helper_id).role == "family"
    assert "（あなた）" in browserish.get("/admin/users").get_data(as_text=True)


def test_suspending_an_account_ends_its_sessions_and_refuses_login(site, browserish):
    from .test_registration_helpers import PASSWORD, login
    with site.app_context():
        helper_id, helper_email = (lambda u: (u.id, u.email))(make_user("agent", "leaver@example.jp"))
    theirs = type(browserish)(site.test_client())
    login(theirs, helper_email)
    assert theirs.get("/support/").status_code == 200
    me = staff(site, browserish)

    def set_active(user_id, active):
        return browserish.submit(f"/admin/users/{user_id}/active", {"active": active}, page_url=CSRF_PAGE)

    r = set_active(helper_id, "0")
    assert "利用停止にし" in browserish.get(r.headers["Location"]).get_data(as_text=True)
    assert "利用停止中" in browserish.get("/admin/users?email=leaver").get_data(as_text=True)
    r = theirs.get("/support/")  # the open session ended at once
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = theirs.submit("/login", {"email": helper_email, "password": PASSWORD})
    assert r.status_code == 200 and "利用停止中" in r.get_data(as_text=True)
    r = theirs.submit("/login", {"email": helper_email, "password": "wrong password 123"})
    assert "利用停止中" not in r.get_data(as_text=True)  # said only to whoever knows the password
    r = set_active(me, "0")
    assert "自分のアカウントは利用停止にできません" in browserish.get(r.headers["Location"]).get_data(as_text=True)
    assert set_active(helper_id, "maybe").status_code == 302
    with site.app_context():
        assert db.session.get(User, me).deactivated_at is None
        assert db.session.get(User, helper_id).deactivated_at is not None
    set_active(helper_id, "1")
    login(theirs, helper_email)
    assert theirs.get("/support/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/admin/applications?status=approved", "/admin/facilities",
                                  "/admin/notices", "/admin/users", "/admin/facilities/import"])
def test_admin_pages_in_english(site, browserish, path):
    staff(site, browserish)
    browserish.client.get("/language/en")
    page = browserish.get(path).get_data(as_text=True)
    assert "Programme administration" in page and "事業管理" not in page


def test_other_areas_plug_into_the_menu_and_the_dashboard(site, browserish, monkeypatch):
    """The hooks other areas use: menu links (shown when their endpoint exists) and the coupon figures."""
    from webapp.admin import hooks
    monkeypatch.setattr(hooks, "_LINKS", [])
    hooks.register_admin_link("search.services", "シリアルコード")
    hooks.register_admin_link("no.such_endpoint", "まだない画面")
    staff(site, browserish)
    page = browserish.get("/admin/").get_data(as_text=True)
    assert 'href="/services">シリアルコード</a>' in page and "まだない画面" not in page
    assert 'id="h-coupons"' in page
    monkeypatch.setattr(hooks, "coupon_figures", lambda session, today: None)  # the coupons area absent
    assert "ここにクーポンの集計が表示されます" in browserish.get("/admin/").get_data(as_text=True)
