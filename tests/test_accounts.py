"""Sign-up, login, reset, account changes and deletion — every branch, with real mail over SMTP."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from webapp.accounts.models import Child, Consent, EmailToken, User
from webapp.extensions import db

PASSWORD = "ひまわり畑で会いましょう 2026"
TODAY = dt.date.today()


def details(**kw):
    data = {"name": "山田 花子", "name_kana": "やまだ はなこ", "municipality": "142051", "password": PASSWORD,
            "child_name": "たろう", "child_birth_date": (TODAY - dt.timedelta(days=400)).isoformat(),
            "child_due_date": ""}
    data.update(kw)
    return data


def start_signup(b, smtp, email="hanako@example.jp"):
    r = b.submit("/signup", {"email": email, "agree": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/signup/sent")
    return smtp.link(email, "/signup/confirm/")


def register(b, smtp, email="hanako@example.jp", **kw):
    link = start_signup(b, smtp, email)
    r = b.submit(link, details(**kw))
    assert r.status_code == 302 and r.headers["Location"].endswith("/passport"), r.get_data(as_text=True)[:2000]
    return link


def test_signup_end_to_end(browserish, smtp, site):
    link = register(browserish, smtp)
    page = browserish.get("/passport").get_data(as_text=True)
    assert "山田 花子" in page and "有効" in page
    with site.app_context():
        user = db.session.scalar(select(User).where(User.email == "hanako@example.jp"))
        assert user.name_kana == "ヤマダ ハナコ" and len(user.passport_number) == 10
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        consent = db.session.scalar(select(Consent).where(Consent.user_id == user.id))
        assert consent.terms_version and consent.agreed_at
        assert db.session.scalar(select(EmailToken)).token_hash not in link  # only the hash is stored
    # the link is single use
    assert browserish.get(link).status_code == 400
    assert "使用済み" in browserish.get(link).get_data(as_text=True)


def test_signup_needs_consent_and_a_real_address(browserish, smtp):
    r = browserish.submit("/signup", {"email": "hanako@example.jp"})
    assert r.status_code == 200 and "同意" in r.get_data(as_text=True)
    for bad, message in [("not-an-address", "taro@example.jp"), ("taro@gmial.com", "gmail.com"),
                         ("taro@exаmple.com", "半角英数字"), ("a" * 300 + "@example.jp", "254文字以内で入力してください")]:
        html = browserish.submit("/signup", {"email": bad, "agree": "y"}).get_data(as_text=True)
        assert message in html, bad
    assert smtp.messages == []


def test_full_width_and_carrier_addresses_are_accepted(browserish, smtp):
    browserish.submit("/signup", {"email": "ＨＡＮＡＫＯ＠ＥＸＡＭＰＬＥ．ＪＰ", "agree": "y"})
    assert smtp.last_to("hanako@example.jp")
    browserish.submit("/signup", {"email": "hana..ko.@docomo.ne.jp", "agree": "y"})
    assert smtp.last_to("hana..ko.@docomo.ne.jp")


def test_existing_address_gets_the_same_answer(browserish, smtp, site):
    register(browserish, smtp)
    other = type(browserish)(site.test_client())
    r = other.submit("/signup", {"email": "hanako@example.jp", "agree": "y"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/signup/sent")
    assert "already has an account" in smtp.last_to("hanako@example.jp")["body"] or \
        "すでに" in smtp.last_to("hanako@example.jp")["body"]


def test_resend_sends_a_working_link(browserish, smtp):
    start_signup(browserish, smtp)
    r = browserish.submit("/signup/sent", {"email": "hanako@example.jp"})
    assert r.status_code == 302
    assert len([m for m in smtp.messages if "hanako@example.jp" in m["to"]]) == 2
    link = smtp.link("hanako@example.jp", "/signup/confirm/")
    assert browserish.submit(link, details()).status_code == 302


def test_expired_and_unknown_links_get_clear_pages(browserish, smtp, site):
    link = start_signup(browserish, smtp)
    with site.app_context():
        for t in db.session.scalars(select(EmailToken)):
            t.expires_at = dt.datetime.utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
    r = browserish.get(link)
    assert r.status_code == 400 and "有効期限" in r.get_data(as_text=True)
    r = browserish.get("/signup/confirm/nonsense")
    assert r.status_code == 400 and "使えません" in r.get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("name_kana", "Yamada", "ひらがなかカタカナ"),
    ("password", "password", "よく使われる"),
    ("password", "short", "8文字"),
    ("password", "x" * 200, "128文字以内で入力してください"),
    ("municipality", "", "市区町村を選んでください"),
    ("municipality", "999999", "選択肢が正しくありません"),
    ("name", "", "お名前を入力してください"),
    ("name", "山" * 101, "100文字以内で入力してください"),
    ("child_birth_date", "2010-05-01", "小学生以下"),
    ("child_birth_date", "", "生年月日か"),
    ("child_birth_date", "not-a-date", "無効な日付"),
    ("phone", "12345", "電話番号を 0466-12-3456"),
    ("phone", "090-1234-567", "電話番号を 0466-12-3456"),
    ("phone", "0" * 31, "30文字以内で入力してください"),
])
def test_details_are_validated_and_nothing_is_stored(browserish, smtp, site, field, value, message):
    link = start_signup(browserish, smtp)
    r = browserish.submit(link, details(**{field: value}))
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and message in html, html[html.find("error"):][:500]
    with site.app_context():
        assert db.session.scalar(select(User)) is None
        assert db.session.scalar(select(EmailToken)).used_at is None  # the link still works
    assert browserish.submit(link, details()).status_code == 302


def test_pregnancy_registers(browserish, smtp):
    register(browserish, smtp, child_birth_date="", child_due_date=(TODAY + dt.timedelta(days=100)).isoformat())
    assert "有効" in browserish.get("/passport").get_data(as_text=True)


def test_forms_refuse_missing_or_stale_csrf(browserish, site):
    c = browserish.client
    assert c.post("/signup", data={"email": "a@example.jp", "agree": "y"}).status_code == 400
    assert c.post("/signup", data={"email": "a@example.jp", "agree": "y", "csrf_token": "forged"}).status_code == 400
    assert c.post("/login", data={"email": "a@example.jp", "password": "x"}).status_code == 400


def test_oversized_post_is_refused(browserish):
    r = browserish.client.post("/signup", data={"email": "x" * (3 * 1024 * 1024)})
    assert r.status_code == 413


def login(b, email="hanako@example.jp", password=PASSWORD, remember=False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return b.submit("/login", data)


def test_login_logout_and_replayed_cookie(browserish, smtp, site):
    register(browserish, smtp)
    fresh = type(browserish)(site.test_client())
    r = login(fresh, password="wrong password!")
    assert "正しくありません" in r.get_data(as_text=True)
    r = login(fresh, email="nobody@example.jp")
    assert "正しくありません" in r.get_data(as_text=True)  # same answer for an unknown address
    assert login(fresh).status_code == 302
    cookie = fresh.client.get_cookie("session").value
    assert fresh.get("/passport").status_code == 200
    page = fresh.get("/account").get_data(as_text=True)
    fresh.client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)})
    assert fresh.get("/passport").status_code == 302
    fresh.client.set_cookie("session", cookie)  # replay the old cookie
    assert fresh.get("/passport").status_code == 302
    assert browserish.get("/passport").status_code == 302  # logout ended the other session too


def test_password_reset_by_mail_only(browserish, smtp, site):
    register(browserish, smtp)
    anon = type(browserish)(site.test_client())
    r = anon.submit("/password/forgot", {"email": "nobody@example.jp"})
    unknown_page = r.get_data(as_text=True)
    r = anon.submit("/password/forgot", {"email": "hanako@example.jp"})
    assert r.get_data(as_text=True) == unknown_page  # no hint whether the address exists
    assert not [m for m in smtp.messages if "nobody@example.jp" in m["to"]]
    link = smtp.link("hanako@example.jp", "/password/reset/")
    assert anon.submit(link, {"password": "123456789"}).status_code == 200  # common password refused
    r = anon.submit(link, {"password": "あたらしい合言葉はさくら"})
    assert r.status_code == 302
    assert anon.get(link).status_code == 400  # single use
    assert login(anon).status_code == 200  # old password no longer works
    assert login(anon, password="あたらしい合言葉はさくら").status_code == 302
    assert browserish.get("/passport").status_code == 302  # other sessions ended


def test_reset_link_expires_after_30_minutes(browserish, smtp, site):
    register(browserish, smtp)
    browserish.submit("/password/forgot", {"email": "hanako@example.jp"})
    link = smtp.link("hanako@example.jp", "/password/reset/")
    with site.app_context():
        token = db.session.scalar(select(EmailToken).where(EmailToken.purpose == "reset"))
        assert dt.timedelta(minutes=29) < token.expires_at - token.created_at <= dt.timedelta(minutes=30)
        token.expires_at = dt.datetime.utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
    assert browserish.get(link).status_code == 400


def test_children_added_changed_removed_and_validity_follows(browserish, smtp, site):
    register(browserish, smtp, child_birth_date="2015-06-01")
    assert "2028" in browserish.get("/passport").get_data(as_text=True)
    r = browserish.submit("/account/children/new", {"name": "じろう", "birth_date": TODAY.isoformat()})
    assert r.status_code == 302
    assert str(TODAY.year + (13 if (TODAY.month, TODAY.day) > (4, 1) else 12)) in \
        browserish.get("/passport").get_data(as_text=True)
    with site.app_context():
        kids = db.session.scalars(select(Child).order_by(Child.id)).all()
        assert len(kids) == 2
        second = kids[1].id
    r = browserish.submit(f"/account/children/{second}", {"name": "じろう", "birth_date": "2099-01-01"})
    assert "未来" in r.get_data(as_text=True)
    page = browserish.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert browserish.client.post(f"/account/children/{second}/delete", data={"csrf_token": token}).status_code == 302
    assert "2028" in browserish.get("/passport").get_data(as_text=True)


def test_cannot_touch_another_familys_child(browserish, smtp, site):
    register(browserish, smtp)
    other = type(browserish)(site.test_client())
    register(other, smtp, email="jiro@example.jp")
    with site.app_context():
        hanako_child = db.session.scalar(select(Child).join(User).where(User.email == "hanako@example.jp")).id
    assert other.get(f"/account/children/{hanako_child}").status_code == 404


def test_email_change_is_reverified(browserish, smtp, site):
    register(browserish, smtp)
    r = browserish.submit("/account/email", {"email": "new@example.jp", "current_password": "wrong"})
    assert "正しくありません" in r.get_data(as_text=True)
    browserish.submit("/account/email", {"email": "new@example.jp", "current_password": PASSWORD})
    link = smtp.link("new@example.jp", "/account/email/confirm/")
    with site.app_context():
        assert db.session.scalar(select(User)).email == "hanako@example.jp"  # not before confirmation
    assert browserish.submit(link, {}, page_url=link).status_code == 302
    with site.app_context():
        assert db.session.scalar(select(User)).email == "new@example.jp"
    assert smtp.last_to("hanako@example.jp")["subject"]  # the old address is told


def test_password_change_keeps_this_device_and_ends_others(browserish, smtp, site):
    register(browserish, smtp)
    other = type(browserish)(site.test_client())
    assert login(other).status_code == 302
    r = browserish.submit("/account/password", {"current_password": PASSWORD, "password": "ながい新しいパスワード"})
    assert r.status_code == 302
    assert browserish.get("/passport").status_code == 200
    assert other.get("/passport").status_code == 302


def test_remember_me_session_is_not_fresh_for_sensitive_pages(browserish, smtp, site):
    register(browserish, smtp)
    phone = type(browserish)(site.test_client())
    login(phone, remember=True)
    remember = phone.client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    phone.client.delete_cookie("session")  # the browser was closed
    assert phone.get("/passport").status_code == 200  # remembered
    r = phone.get("/account/password")
    assert r.status_code == 302 and "/login" in r.headers["Location"]  # sensitive: log in again


def test_delete_account_erases_data(browserish, smtp, site):
    register(browserish, smtp)
    page = browserish.get("/account/delete").get_data(as_text=True)
    assert "監査" in page  # what is kept is explained
    r = browserish.submit("/account/delete", {"current_password": PASSWORD})
    assert "チェック" in r.get_data(as_text=True)
    r = browserish.submit("/account/delete", {"current_password": PASSWORD, "confirm": "y"})
    assert r.status_code == 200
    with site.app_context():
        assert db.session.scalar(select(User)) is None and db.session.scalar(select(Child)) is None
        assert db.session.scalar(select(Consent)).user_id is None
    assert browserish.get("/passport").status_code == 302


def test_login_is_rate_limited(browserish, smtp):
    codes = [login(browserish, password=f"wrong-{i}-password").status_code for i in range(7)]
    assert codes[:5] == [200] * 5 and 429 in codes[5:]


def test_passport_is_for_families_only(site, browserish, smtp):
    assert browserish.get("/passport").status_code == 302  # anonymous → login
    from webapp.accounts.models import User
    from webapp.accounts.passwords import hash_password
    with site.app_context():
        db.session.add(User(email="agent@example.jp", password_hash=hash_password(PASSWORD), role="agent"))
        db.session.commit()
    login(browserish, email="agent@example.jp")
    assert browserish.get("/passport").status_code == 403


def test_phone_number_is_optional_normalised_and_changeable(browserish, smtp, site):
    register(browserish, smtp, phone="０９０（１２３４）５６７８")
    with site.app_context():
        assert db.session.scalar(select(User.phone)) == "090-1234-5678"
    page = browserish.get("/account").get_data(as_text=True)
    assert "090-1234-5678" in page and "/account/profile" in page
    r = browserish.submit("/account/profile", {"name": "山田 花子", "name_kana": "やまだ はなこ",
                                               "municipality": "142077", "phone": "0466-12"})
    assert r.status_code == 200 and "電話番号を 0466-12-3456" in r.get_data(as_text=True)
    with site.app_context():  # nothing changed by the refused form
        user = db.session.scalar(select(User))
        assert (user.phone, user.municipality_code) == ("090-1234-5678", "142051")
    r = browserish.submit("/account/profile", {"name": "川崎 花子", "name_kana": "かわさき はなこ",
                                               "municipality": "142077", "phone": ""})
    assert r.status_code == 302 and r.headers["Location"].endswith("/account")
    with site.app_context():
        user = db.session.scalar(select(User))
        assert (user.name, user.name_kana, user.municipality_code, user.phone) == (
            "川崎 花子", "カワサキ ハナコ", "142077", None)
    assert "（未登録）" in browserish.get("/account").get_data(as_text=True)


def test_profile_needs_login_and_a_family_account(browserish, site):
    r = browserish.get("/account/profile")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    with site.app_context():
        from webapp.accounts.passwords import hash_password
        db.session.add(User(email="agent@example.jp", password_hash=hash_password(PASSWORD), role="agent"))
        db.session.commit()
    login(browserish, "agent@example.jp")
    assert browserish.get("/account/profile").status_code == 404
