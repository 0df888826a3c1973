"""Factories for coupon tests: a programme, serial codes, a family with a child, a provider."""
import datetime as dt
import itertools

from sqlalchemy import select

from webapp.accounts.models import Child, User
from webapp.accounts.passwords import hash_password
from webapp.coupons import operations as ops
from webapp.coupons.models import CouponProgramme
from webapp.extensions import db
from webapp.models import Facility

_n = itertools.count(1)
PASSWORD = "クーポンのテスト用パスワード"


def programme(coupons=10, face_value=500, ends_on=dt.date(2027, 3, 31)):
    p = db.session.scalar(select(CouponProgramme).where(CouponProgramme.code == "TEST"))
    if p is None:
        p = CouponProgramme(code="TEST", name="テスト事業", name_en="Test programme", fiscal_year=2026,
                            face_value=face_value, coupons_per_set=coupons, ends_on=ends_on,
                            child_born_from=dt.date(2022, 4, 1))
        db.session.add(p)
        db.session.flush()
    return p


def serials(n=1, **kw):
    batch = ops.create_batch(db.session, programme(**kw), n)
    from webapp.coupons.models import SerialCode
    return [s.code for s in db.session.scalars(select(SerialCode).where(SerialCode.batch_id == batch.id))]


def family(birth=dt.date(2024, 5, 10), email=None):
    i = next(_n)
    user = User(email=email or f"family{i}@example.jp", password_hash=hash_password(PASSWORD), role="family",
                name=f"家族 {i}", name_kana="カゾク")
    user.children.append(Child(name="こども", birth_date=birth))
    db.session.add(user)
    db.session.flush()
    return user


def provider(service="temporary_care"):
    """A coupon provider offering ``service`` (one of the Matsumoto places)."""
    from webapp.models import CouponService
    f = db.session.scalar(select(Facility).where(Facility.programme == "coupon")
                          .where(Facility.services.any(CouponService.code == service)).order_by(Facility.id))
    ops.ensure_point(db.session, f)
    return f


def claimed_set(user=None, **kw):
    user = user or family()
    code = serials(1, **kw)[0]
    child = user.children[0]
    return ops.claim(db.session, user, code, child.id, child.birth_date, False, dt.date(2026, 11, 1))
