"""Coupon administration: serial batches, providers, dashboard figures."""
import csv
import datetime as dt
import io
import uuid

from sqlalchemy import select

from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password
from webapp.coupons import operations as ops
from webapp.coupons.dashboard import dashboard_figures
from webapp.coupons.models import SerialCode
from webapp.extensions import db

from . import coupon_factory as cf
from .conftest import Browserish


def admin_client(site):
    with site.app_context():
        db.session.add(User(email="admin@example.jp", password_hash=hash_password(cf.PASSWORD), role="admin"))
        db.session.commit()
    b = Browserish(site.test_client())
    assert b.submit("/login", {"email": "admin@example.jp", "password": cf.PASSWORD}).status_code == 302
    return b


def test_generate_batch_and_download_csv(site):
    b = admin_client(site)
    with site.app_context():
        programme_id = cf.programme().id
        db.session.commit()
    assert "1〜10,000" in b.submit("/admin/coupons/batches", {"programme": programme_id, "size": "0"}).get_data(as_text=True)
    r = b.submit("/admin/coupons/batches", {"programme": programme_id, "size": "5", "note": "保健センター配布分"})
    assert r.status_code == 302
    with site.app_context():
        codes = db.session.scalars(select(SerialCode)).all()
        assert len(codes) == 5
        batch_id = codes[0].batch_id
    text = b.get(f"/admin/coupons/batches/{batch_id}.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "シリアルコード" and len(rows) == 6 and all(r[1] == "0" for r in rows[1:])


def test_provider_rotation_and_poster(site):
    b = admin_client(site)
    with site.app_context():
        f = cf.provider()
        old = ops.ensure_point(db.session, f).passcode
        db.session.commit()
        fid = f.id
    page = b.get("/admin/coupons/providers").get_data(as_text=True)
    assert old in page
    assert b.submit(f"/admin/coupons/providers/{fid}/rotate", {}, page_url="/admin/coupons/providers").status_code == 302
    assert old not in b.get("/admin/coupons/providers").get_data(as_text=True)
    assert b.get(f"/admin/coupons/providers/{fid}/poster.svg").mimetype == "image/svg+xml"


def test_coupon_admin_is_admin_only(site):
    client = site.test_client()
    assert client.get("/admin/coupons/batches").status_code == 302
    with site.app_context():
        db.session.add(User(email="agent@example.jp", password_hash=hash_password(cf.PASSWORD), role="agent"))
        db.session.commit()
    b = Browserish(site.test_client())
    b.submit("/login", {"email": "agent@example.jp", "password": cf.PASSWORD})
    assert b.get("/admin/coupons/batches").status_code == 403


def test_dashboard_figures_net_of_corrections(ref_app):
    with ref_app.app_context():
        s = cf.claimed_set()
        f = cf.provider()
        user = db.session.get(User, s.user_id)
        used = ops.redeem(db.session, user=user, set_id=s.id, provider=ops.provider_of(f), service_code="temporary_care", count=4,
                          idempotency_key=uuid.uuid4().hex, now=dt.datetime(2026, 10, 31, 16, 0))  # Nov 1 in Japan
        ops.reverse(db.session, original_id=used, facility=f, count=1, reason="まちがい", actor=user,
                    now=dt.datetime(2026, 11, 1, 0, 0))
        figures = dashboard_figures(db.session, dt.date(2026, 11, 23))
        assert figures["by_service"]["temporary_care"] == 3
        assert figures["by_month"] == {"2026-11": 3}
        programme = next(p for p in figures["programmes"] if p["code"] == "TEST")
        assert programme["claimed"] == 1 and programme["used_yen"] == 1500 and programme["issued_yen"] == 5000
