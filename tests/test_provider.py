"""Provider side of the Matsumoto coupons, through the web: role checks, the live list, the poster and
passcode rotation, corrections within 24 hours, the monthly settlement and its CSV."""
import csv
import datetime as dt
import io
import re
import uuid

import pytest
from sqlalchemy import func, select

from webapp.accounts.models import Child, User
from webapp.accounts.passwords import hash_password
from webapp.coupons import operations as cops
from webapp.coupons.models import (KIND_REVERSAL, CouponProgramme, CouponSet, LedgerEntry, ProviderPoint,
                                   ProviderStaff, SerialCode)
from webapp.extensions import db
from webapp.models import Facility
from webapp.provider import operations as pops
from webapp.timeutil import utcnow

from .conftest import csrf_from

PASSWORD = "ひまわり畑で会いましょう 2026"
HOME = "/provider"
URLS = ["/provider", "/provider/redemptions.json", "/provider/poster", "/provider/poster.svg",
        "/provider/settlement", "/provider/settlement.csv"]
JST = dt.timezone(dt.timedelta(hours=9))


def jst(*args) -> dt.datetime:
    """A Japan-time wall clock as the naive UTC the database stores."""
    return dt.datetime(*args, tzinfo=JST).astimezone(dt.timezone.utc).replace(tzinfo=None)


def add_user(email, role, child=False):
    user = User(email=email, password_hash=hash_password(PASSWORD), role=role, name="山田 花子",
                name_kana="ヤマダ ハナコ")
    if child:
        user.children.append(Child(name="たろう", birth_date=dt.date(2024, 5, 10)))
    db.session.add(user)
    db.session.flush()
    return user


def facility(external_id):
    return db.session.scalar(select(Facility).where(Facility.external_id == external_id))


@pytest.fixture
def world(ref_app):
    """A programme (500 yen × 10), a family whose child holds a claimed set, providers at 小宮保育園 (staff),
    あがた保育園 (other) and こどもプラザ(筑摩) (two services), an unlinked provider account."""
    with ref_app.app_context():
        programme = CouponProgramme(code="PROVTEST", name="テスト事業", name_en="Test programme", fiscal_year=2026,
                                    face_value=500, coupons_per_set=10, ends_on=dt.date(2099, 3, 31),
                                    child_born_from=dt.date(2022, 4, 1))
        db.session.add(programme)
        db.session.flush()
        batch = cops.create_batch(db.session, programme, 1)
        code = db.session.scalar(select(SerialCode.code).where(SerialCode.batch_id == batch.id))
        family = add_user("family@example.jp", "family", child=True)
        coupon_set = cops.claim(db.session, family, code, family.children[0].id, dt.date(2024, 5, 10), False,
                                dt.date(2026, 11, 1))
        ids = {"set": coupon_set.id, "family": family.id}
        for email, place in [("staff@example.jp", "mat-komiya-hoikuen"),
                             ("other@example.jp", "mat-agata-hoikuen"),
                             ("plaza@example.jp", "mat-kodomo-plaza-tsukama")]:
            user = add_user(email, "provider")
            f = facility(place)
            db.session.add(ProviderStaff(user_id=user.id, facility_id=f.id))
            cops.ensure_point(db.session, f)
            ids[email.split("@")[0]] = f.id
        add_user("unlinked@example.jp", "provider")
        db.session.commit()
    return ids


def earlier_today() -> dt.datetime:
    """A moment in the past that is still today in Japan (also just after midnight JST), naive UTC."""
    now = utcnow()
    midnight = jst(*(now + dt.timedelta(hours=9)).timetuple()[:3])
    return midnight + (now - midnight) / 2


def redeem(app, world, count, at=None, place="staff", service="temporary_care"):
    """A redemption by the family at ``place`` (default: earlier today in Japan); returns the ledger entry id."""
    with app.app_context():
        entry = cops.redeem(db.session, user=db.session.get(User, world["family"]), set_id=world["set"],
                            provider=cops.provider_of(db.session.get(Facility, world[place])), service_code=service,
                            count=count, idempotency_key=uuid.uuid4().hex,
                            now=at or earlier_today())
        db.session.commit()
        return entry


def balance(app, world):
    with app.app_context():
        return cops.balance_of(db.session, world["set"])


def reversals(app):
    with app.app_context():
        return db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == KIND_REVERSAL)).all()


def login(app, email, lang=None):
    client = app.test_client()
    if lang:
        client.set_cookie("lang", lang)
    page = client.get("/login").get_data(as_text=True)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return client


def correct(client, entry_id, count, reason):
    """Send the correction form (the session's CSRF token from a page that always has a form)."""
    token = csrf_from(client.get("/provider/poster").get_data(as_text=True))
    return client.post(f"/provider/redemptions/{entry_id}/correct",
                       data={"count": count, "reason": reason, "csrf_token": token})


# -- who may see what ----------------------------------------------------------------------------------------
def test_anonymous_goes_to_login(ref_app, world):
    client = ref_app.test_client()
    for url in URLS + ["/provider/redemptions/1/correct"]:
        r = client.get(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url


def test_family_and_unlinked_provider_are_refused(ref_app, world):
    family = login(ref_app, "family@example.jp")
    for url in URLS:
        assert family.get(url).status_code == 403, url
    unlinked = login(ref_app, "unlinked@example.jp")
    r = unlinked.get(HOME)
    assert r.status_code == 403 and "まだクーポン提供者と連携されていません" in r.get_data(as_text=True)
    r = unlinked.get("/provider/redemptions.json")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "not_linked"


def test_another_provider_cannot_see_or_correct(ref_app, world):
    entry = redeem(ref_app, world, 2)
    other = login(ref_app, "other@example.jp")
    assert f'data-id="{entry}"' not in other.get(HOME).get_data(as_text=True)
    assert other.get("/provider/redemptions.json").get_json()["today"]["items"] == []
    url = f"/provider/redemptions/{entry}/correct"
    assert other.get(url).status_code == 404
    token = csrf_from(other.get("/provider/poster").get_data(as_text=True))
    assert other.post(url, data={"count": 2, "reason": "間違い", "csrf_token": token}).status_code == 404
    assert reversals(ref_app) == [] and balance(ref_app, world) == 8
    # an issue entry is not a redemption either
    with ref_app.app_context():
        issue = db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "issue"))
    assert login(ref_app, "staff@example.jp").get(f"/provider/redemptions/{issue}/correct").status_code == 404


# -- the live list -------------------------------------------------------------------------------------------
def test_home_lists_today_and_recent_in_japan_time_without_names(ref_app, world):
    today = redeem(ref_app, world, 3)
    earlier = redeem(ref_app, world, 2, at=utcnow() - dt.timedelta(days=3))
    staff = login(ref_app, "staff@example.jp")
    html = staff.get(HOME).get_data(as_text=True)
    assert "小宮保育園" in html and "3枚・1,500円" in html
    with ref_app.app_context():
        at = db.session.get(LedgerEntry, today).created_at
        ref = pops.set_reference(world["set"], ref_app.config["SECRET_KEY"])
    local = pops.to_jst(at)
    assert f"{local:%Y/%m/%d} {local.hour}:{local:%M}" in html  # Japan time
    today_part, recent_part = html.split('id="h-recent"')
    assert f'data-id="{today}"' in today_part and f'data-id="{earlier}"' in recent_part
    assert html.count(ref) == 2 and re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{3}", ref)
    for private in ("山田", "花子", "たろう", "family@example.jp"):
        assert private not in html
    # the poll script comes from /static only, no inline script
    assert '<script src="/static/js/provider.js?v=' in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert 'href="/provider"' in html  # manual reload
    assert 'id="rotation-banner" class="notice rotation" role="alert" hidden' in html


def test_live_json_changes_only_when_something_changes(ref_app, world):
    entry = redeem(ref_app, world, 3)
    staff = login(ref_app, "staff@example.jp")
    r = staff.get("/provider/redemptions.json")
    assert r.headers["Cache-Control"].startswith("private, no-store")
    data = r.get_json()
    item = data["today"]["items"][0]
    assert (item["id"], item["count"], item["amount"], item["service"], item["correctable"]) == (
        entry, 3, 1500, "temporary_care", True)
    assert item["at"].endswith("+09:00")
    assert item["service_name"] == "一時預かり" and item["amount_text"] == "1,500円"
    assert data["today"]["count"] == 3 and data["today"]["amount"] == 1500 and not data["needs_rotation"]
    assert "山田" not in r.get_data(as_text=True)
    assert staff.get("/provider/redemptions.json").get_json()["version"] == data["version"]
    second = redeem(ref_app, world, 1)
    again = staff.get("/provider/redemptions.json").get_json()
    assert again["version"] != data["version"] and again["today"]["items"][0]["id"] == second
    with ref_app.app_context():
        db.session.execute(ProviderPoint.__table__.update().values(needs_rotation=True))
        db.session.commit()
    flagged = staff.get("/provider/redemptions.json").get_json()
    assert flagged["needs_rotation"] and flagged["version"] != again["version"]
    html = staff.get(HOME).get_data(as_text=True)
    assert 'id="rotation-banner" class="notice rotation" role="alert">' in html and "パスコードを変更してください" in html


# -- poster and passcode -------------------------------------------------------------------------------------
def point_of(app, facility_id):
    with app.app_context():
        p = db.session.scalar(select(ProviderPoint).where(ProviderPoint.facility_id == facility_id))
        return p.passcode, p.qr_token


def test_poster_shows_passcode_and_qr_of_the_landing_url(ref_app, world):
    from webapp.provider.poster import qr_svg
    passcode, token = point_of(ref_app, world["staff"])
    staff = login(ref_app, "staff@example.jp")
    html = staff.get("/provider/poster").get_data(as_text=True)
    assert passcode in html and "<svg" in html and "小宮保育園" in html
    assert "カメラ" in html and "Scan this QR code" in html  # Japanese, English below
    r = staff.get("/provider/poster.svg")
    svg = r.get_data(as_text=True)
    assert r.mimetype == "image/svg+xml" and svg.startswith("<svg") and passcode in svg and "小宮保育園" in svg
    with ref_app.test_request_context("/", base_url="http://localhost"):
        expected = qr_svg(f"http://localhost/r/{token}")
    qr_path = re.search(r'<path class="qrline"[^>]*d="([^"]+)"', expected).group(1)
    assert qr_path in svg and qr_path in html  # the QR code encodes /r/<qr_token> on this site
    import xml.dom.minidom
    xml.dom.minidom.parseString(svg.encode("utf-8"))  # well-formed SVG


def test_rotation_needs_csrf_and_confirmation_and_invalidates_the_old_poster(ref_app, world):
    passcode, token = point_of(ref_app, world["staff"])
    staff = login(ref_app, "staff@example.jp")
    page = staff.get("/provider/poster").get_data(as_text=True)
    assert staff.post("/provider/passcode/rotate", data={"confirm": "y"}).status_code == 400  # no CSRF
    r = staff.post("/provider/passcode/rotate", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 200 and "確認のためチェックを入れてください" in r.get_data(as_text=True)
    assert point_of(ref_app, world["staff"]) == (passcode, token)
    with ref_app.app_context():
        db.session.execute(ProviderPoint.__table__.update().values(needs_rotation=True))
        db.session.commit()
    r = staff.post("/provider/passcode/rotate", data={"csrf_token": csrf_from(page), "confirm": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/provider/poster")
    new_passcode, new_token = point_of(ref_app, world["staff"])
    assert new_passcode != passcode and new_token != token and re.fullmatch(r"\d{6}", new_passcode)
    html = staff.get("/provider/poster").get_data(as_text=True)
    assert new_passcode in html and f'id="passcode">{passcode}<' not in html and "新しいパスコード" in html
    with ref_app.app_context():
        assert cops.resolve_qr(db.session, token) is None
        assert cops.resolve_qr(db.session, new_token).facility_id == world["staff"]
        assert cops.provider_by_qr(db.session, token) is None  # what the redemption POST reads
        provider = cops.provider_by_qr(db.session, new_token)
        facility = db.session.get(Facility, world["staff"])
        assert provider == cops.provider_of(facility, new_token) and provider.services
        assert not db.session.scalar(select(ProviderPoint).where(ProviderPoint.facility_id == world["staff"])
                                     ).needs_rotation
    assert point_of(ref_app, world["other"])[1] != new_token  # only this provider changed


def test_near_misses_flag_this_provider_and_show_on_its_pages(ref_app, world):
    """Wrong passcodes one digit away from this provider's: counted, shown, the provider asked to rotate."""
    with ref_app.app_context():
        for n, point in enumerate(db.session.scalars(select(ProviderPoint).order_by(ProviderPoint.id))):
            point.passcode = "123456" if point.facility_id == world["staff"] else f"9{n:05d}"
        db.session.commit()
        guessers = [world["family"],
                    db.session.scalar(select(User.id).where(User.email == "unlinked@example.jp"))]
        for i in range(cops.PASSCODE_LIMIT_NEAR):  # 4 tries per account: under the account limit
            guess = f"12345{(7 + i) % 10}"
            assert cops.resolve_passcode(db.session, guess, guessers[i % 2], f"198.51.100.{i}") is None
        db.session.commit()
        flagged = {p.facility_id for p in
                   db.session.scalars(select(ProviderPoint).where(ProviderPoint.needs_rotation))}
    assert flagged == {world["staff"]}
    staff = login(ref_app, "staff@example.jp")
    banner = 'id="rotation-banner" class="notice rotation" role="alert">'
    assert banner in staff.get(HOME).get_data(as_text=True)
    html = staff.get("/provider/poster").get_data(as_text=True)
    assert f"1桁だけ違うパスコードが入力された回数：{cops.PASSCODE_LIMIT_NEAR}回" in html
    other = login(ref_app, "other@example.jp")
    assert "入力された回数：0回" in other.get("/provider/poster").get_data(as_text=True)


# -- corrections ---------------------------------------------------------------------------------------------
def test_full_correction_gives_every_coupon_back(ref_app, world):
    entry = redeem(ref_app, world, 3)
    assert balance(ref_app, world) == 7
    staff = login(ref_app, "staff@example.jp")
    r = correct(staff, entry, 3, "誤って3枚で登録しました")
    assert r.status_code == 302 and r.headers["Location"].endswith("/provider")
    assert balance(ref_app, world) == 10
    [rev] = reversals(ref_app)
    assert (rev.reverses_id, rev.count, rev.reason) == (entry, 3, "誤って3枚で登録しました")
    html = staff.get(HOME).get_data(as_text=True)
    assert "訂正を保存しました" in html and "訂正済み：3枚を戻しました" in html
    item = staff.get("/provider/redemptions.json").get_json()["today"]["items"][0]
    assert item["reversal"]["count"] == 3 and item["net_count"] == 0 and item["correct_url"] is None


def test_partial_correction_and_a_second_one_is_refused(ref_app, world):
    entry = redeem(ref_app, world, 3)
    staff = login(ref_app, "staff@example.jp")
    assert correct(staff, entry, 1, "利用は2枚でした").status_code == 302
    assert balance(ref_app, world) == 8
    # a double tap of the same correction gets the same answer and writes nothing
    r = correct(staff, entry, 1, "利用は2枚でした")
    assert r.status_code == 302 and len(reversals(ref_app)) == 1
    # another correction of the same use is refused
    r = correct(staff, entry, 2, "やはり1枚でした")
    assert r.status_code == 409 and "すでに訂正済み" in r.get_data(as_text=True)
    assert len(reversals(ref_app)) == 1 and balance(ref_app, world) == 8
    page = staff.get(f"/provider/redemptions/{entry}/correct").get_data(as_text=True)
    assert "すでに訂正済み" in page and 'name="reason"' not in page


@pytest.mark.parametrize("count, reason, field, message", [
    (2, "", "reason", "訂正の理由を入力してください。"),
    (2, "   ", "reason", "訂正の理由を入力してください。"),
    (2, "あ" * 501, "reason", "500文字以内で入力してください。"),
    (4, "多すぎ", "count", "戻す枚数は1〜3枚で指定してください。"),
    (0, "ゼロ", "count", "戻す枚数は1〜3枚で指定してください。"),
    ("", "空", "count", "戻す枚数は1〜3枚で指定してください。"),
    ("abc", "文字", "count", "戻す枚数は1〜3枚で指定してください。"),
])
def test_bad_corrections_are_shown_next_to_the_field(ref_app, world, count, reason, field, message):
    entry = redeem(ref_app, world, 3)
    staff = login(ref_app, "staff@example.jp")
    r = correct(staff, entry, count, reason)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1), html[html.find("error-summary"):][:800]
    assert reversals(ref_app) == [] and balance(ref_app, world) == 7


def test_errors_follow_the_page_language(ref_app, world):
    entry = redeem(ref_app, world, 3)
    staff = login(ref_app, "staff@example.jp", lang="en")
    html = correct(staff, entry, 2, "").get_data(as_text=True)
    assert '<p class="error" id="reason-error">Enter the reason for the correction.</p>' in html


def test_after_24_hours_the_correction_is_refused_with_the_department_phone(ref_app, world):
    old = redeem(ref_app, world, 2, at=utcnow() - dt.timedelta(hours=24, minutes=1))
    staff = login(ref_app, "staff@example.jp")
    url = f"/provider/redemptions/{old}/correct"
    page = staff.get(url).get_data(as_text=True)
    assert "24時間以内" in page and 'href="tel:0263339856"' in page and "0263-33-9856" in page  # 保育課
    assert 'name="reason"' not in page
    token = csrf_from(staff.get("/provider/poster").get_data(as_text=True))
    r = staff.post(url, data={"count": 2, "reason": "遅れて気づきました", "csrf_token": token})
    assert r.status_code == 409 and 'href="tel:0263339856"' in r.get_data(as_text=True)
    assert reversals(ref_app) == [] and balance(ref_app, world) == 8
    item = staff.get("/provider/redemptions.json").get_json()["today"]["items"] or \
        staff.get("/provider/redemptions.json").get_json()["recent"]["items"]
    assert item[0]["correctable"] is False and item[0]["action"] == "市へ問い合わせ"


def test_the_window_is_checked_when_the_form_is_sent(ref_app, world, monkeypatch):
    """A form opened within 24 hours but sent after them is refused: the time of sending counts."""
    entry = redeem(ref_app, world, 2, at=utcnow() - dt.timedelta(hours=23))
    staff = login(ref_app, "staff@example.jp")
    url = f"/provider/redemptions/{entry}/correct"
    page = staff.get(url).get_data(as_text=True)
    assert 'name="reason"' in page
    later = utcnow() + dt.timedelta(hours=1, seconds=1)
    monkeypatch.setattr("webapp.provider.views.utcnow", lambda: later)
    r = staff.post(url, data={"count": 1, "reason": "遅い", "csrf_token": csrf_from(page)})
    assert r.status_code == 409 and "tel:0263339856" in r.get_data(as_text=True)
    assert reversals(ref_app) == []


def test_department_phones_per_service(ref_app, world):
    old = redeem(ref_app, world, 1, at=utcnow() - dt.timedelta(hours=30), place="plaza",
                 service="holiday_care")
    plaza = login(ref_app, "plaza@example.jp", lang="en")
    page = plaza.get(f"/provider/redemptions/{old}/correct").get_data(as_text=True)
    assert 'href="tel:0263343261"' in page  # こども育成課 is in charge of holiday care
    assert "Please call the department in charge" in page


# -- settlement ----------------------------------------------------------------------------------------------
@pytest.fixture
def october(ref_app, world):
    """October 2026 at こどもプラザ(筑摩), with a correction made on 1 November of a use on 31 October."""
    holiday, convalescent = "holiday_care", "convalescent_care"
    redeem(ref_app, world, 1, at=jst(2026, 9, 30, 23, 59), place="plaza", service=holiday)  # September
    redeem(ref_app, world, 3, at=jst(2026, 10, 1, 0, 0), place="plaza", service=holiday)
    late = redeem(ref_app, world, 2, at=jst(2026, 10, 31, 23, 30), place="plaza", service=convalescent)
    redeem(ref_app, world, 1, at=jst(2026, 11, 1, 0, 0), place="plaza", service=convalescent)  # November
    redeem(ref_app, world, 2, at=jst(2026, 10, 15, 12, 0), place="staff")  # another provider
    with ref_app.app_context():
        cops.reverse(db.session, original_id=late, facility=facility("mat-kodomo-plaza-tsukama"), count=1,
                     reason="1枚は翌日分", now=jst(2026, 11, 1, 0, 30),
                     actor=db.session.scalar(select(User).where(User.email == "plaza@example.jp")))
        db.session.commit()


def test_settlement_counts_corrections_in_the_month_of_the_use(ref_app, world, october):
    plaza = login(ref_app, "plaza@example.jp")
    r = plaza.get("/provider/settlement?month=2026-10")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "2026年10月" in html
    rows = {m.group(1): re.findall(r'<td class="num">([^<]*)</td>', m.group(2)) for m in
            re.finditer(r'<tr data-service="(\w+)">(.*?)</tr>', html, re.S)}
    assert rows == {"holiday_care": ["3", "0", "3", "1,500円"], "convalescent_care": ["2", "−1", "1", "500円"]}
    total = re.search(r'<tr id="total">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', total) == ["5", "−1", "4", "2,000円"]
    assert "訂正の対象となった利用の月に計上" in html and "確定しています" in html
    first = r'<tr data-service="{}">\s*<th[^>]*>[^<]*</th>\s*<td class="num">1</td>'
    nov = plaza.get("/provider/settlement?month=2026-11").get_data(as_text=True)
    assert re.search(first.format("convalescent_care"), nov)
    sep = plaza.get("/provider/settlement?month=2026-09").get_data(as_text=True)
    assert re.search(first.format("holiday_care"), sep)


def test_settlement_csv_for_the_city(ref_app, world, october):
    plaza = login(ref_app, "plaza@example.jp")
    r = plaza.get("/provider/settlement.csv?month=2026-10")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"] and "2026-10" in r.headers["Content-Disposition"]
    assert r.data.startswith(b"\xef\xbb\xbf")  # BOM
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == ["年月", "施設ID", "提供者", "事業", "利用枚数", "訂正枚数", "差引枚数", "金額"]
    assert rows[1:] == [
        ["2026-10", "mat-kodomo-plaza-tsukama", "こどもプラザ(筑摩)", "休日保育", "3", "0", "3", "1500"],
        ["2026-10", "mat-kodomo-plaza-tsukama", "こどもプラザ(筑摩)", "病後児保育", "2", "1", "1", "500"],
        ["2026-10", "mat-kodomo-plaza-tsukama", "こどもプラザ(筑摩)", "合計", "5", "1", "4", "2000"],
    ]
    # another provider's statement holds only its own uses
    staff = login(ref_app, "staff@example.jp")
    data = staff.get("/provider/settlement.csv?month=2026-10").data.decode("utf-8-sig")
    staff_rows = list(csv.reader(io.StringIO(data)))
    assert staff_rows[1][3:] == ["一時預かり", "2", "0", "2", "1000"]


def test_settlement_defaults_to_this_month_in_japan(ref_app, world):
    now = pops.to_jst(utcnow())
    html = login(ref_app, "staff@example.jp").get("/provider/settlement").get_data(as_text=True)
    assert f"{now.year}年{now.month}月" in html and f'value="{now:%Y-%m}"' in html
    assert "確定します" in html  # the current month is not final yet


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-1", "abc", "202611", "0999-01", "2026-11-01",
                                   "２０２６-１１"])
def test_bad_month_is_400_with_a_clear_message(ref_app, world, month):
    staff = login(ref_app, "staff@example.jp")
    for url in ("/provider/settlement", "/provider/settlement.csv"):
        r = staff.get(url, query_string={"month": month})
        assert r.status_code == 400 and "2026-11 のように" in r.get_data(as_text=True), (url, month)


def test_provider_pages_are_never_cached(ref_app, world):
    staff = login(ref_app, "staff@example.jp")
    for url in URLS:
        r = staff.get(url)
        assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"], url
    with ref_app.app_context():  # reading the pages wrote nothing to the ledger
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 1
        assert db.session.scalar(select(func.count()).select_from(CouponSet)) == 1
