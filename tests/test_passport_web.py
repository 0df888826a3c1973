"""The passport card and the verification page a facility opens from the QR code."""
import datetime as dt

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from webapp.accounts.models import Child, User
from webapp.extensions import db

from .test_accounts import register


def _token(site, user_id, number):
    return URLSafeTimedSerializer(site.config["SECRET_KEY"], salt="passport-verify").dumps({"u": user_id, "n": number})


def _user(site):
    with site.app_context():
        u = db.session.scalar(select(User))
        return u.id, u.passport_number


def test_card_shows_number_children_validity_and_a_qr(browserish, smtp, site):
    register(browserish, smtp)
    html = browserish.get("/passport").get_data(as_text=True)
    uid, number = _user(site)
    assert f"{number[:4]} {number[4:8]} {number[8:]}" in html and "1人" in html and "<svg" in html
    assert browserish.get("/passport").headers["Cache-Control"] == "private, no-store"


def test_verification_shows_initials_and_validity_only(browserish, smtp, site):
    register(browserish, smtp)
    uid, number = _user(site)
    anon = site.test_client()
    html = anon.get(f"/passport/verify/{_token(site, uid, number)}").get_data(as_text=True)
    assert "有効" in html and "ヤ・ハ" in html
    assert "山田" not in html and "花子" not in html and number not in html and "hanako@" not in html


def test_verification_of_an_expired_passport(browserish, smtp, site):
    register(browserish, smtp, child_birth_date="2015-06-01")
    uid, number = _user(site)
    with site.app_context():
        db.session.scalar(select(Child)).birth_date = dt.date(2013, 6, 1)  # finished elementary school
        db.session.commit()
    html = site.test_client().get(f"/passport/verify/{_token(site, uid, number)}").get_data(as_text=True)
    assert "有効期限切れ" in html
    card = browserish.get("/passport").get_data(as_text=True)
    assert "有効期限切れ" in card and "お子さま（または妊娠）を追加" in card


def test_stale_forged_and_foreign_codes_are_refused(browserish, smtp, site):
    register(browserish, smtp)
    uid, number = _user(site)
    client = site.test_client()
    assert client.get("/passport/verify/garbage").status_code == 404
    assert client.get(f"/passport/verify/{_token(site, uid, '0000000000')}").status_code == 404
    forged = URLSafeTimedSerializer("another-key", salt="passport-verify").dumps({"u": uid, "n": number})
    assert client.get(f"/passport/verify/{forged}").status_code == 404
    site.config["PASSPORT_QR_MAX_AGE"] = -1
    assert client.get(f"/passport/verify/{_token(site, uid, number)}").status_code == 410


def test_manifest_and_service_worker(site):
    client = site.test_client()
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json" and manifest.get_json()["start_url"] == "/passport"
    sw = client.get("/sw.js")
    assert sw.mimetype == "text/javascript" and sw.headers["Service-Worker-Allowed"] == "/"
    assert "/passport" in sw.get_data(as_text=True)
