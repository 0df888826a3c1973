"""`flask --app webapp link-provider EMAIL FACILITY_EXTERNAL_ID`, and the provider's time and money
helpers."""
import datetime as dt

import pytest
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password
from webapp.coupons.models import ProviderPoint, ProviderStaff
from webapp.extensions import db
from webapp.models import Facility
from webapp.provider import operations as pops
from webapp.provider.poster import name_font_size, svg_instructions


@pytest.fixture
def accounts(ref_app):
    with ref_app.app_context():
        for email, role in [("hoikuen@example.jp", "provider"), ("family@example.jp", "family")]:
            db.session.add(User(email=email, password_hash=hash_password("x" * 12), role=role))
        db.session.commit()
    return ref_app


def run(app, *args):
    return app.test_cli_runner().invoke(args=["link-provider", *args])


def linked(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        link = db.session.get(ProviderStaff, user.id)
        return db.session.get(Facility, link.facility_id).external_id if link else None


def test_link_creates_the_link_and_the_poster_codes(accounts):
    r = run(accounts, "Hoikuen@Example.jp", "mat-komiya-hoikuen")
    assert r.exit_code == 0 and "Linked" in r.output and "小宮保育園" in r.output
    assert linked(accounts, "hoikuen@example.jp") == "mat-komiya-hoikuen"
    with accounts.app_context():
        f = db.session.scalar(select(Facility).where(Facility.external_id == "mat-komiya-hoikuen"))
        point = db.session.scalar(select(ProviderPoint).where(ProviderPoint.facility_id == f.id))
        assert point is not None and len(point.passcode) == 6
    r = run(accounts, "hoikuen@example.jp", "mat-komiya-hoikuen")
    assert r.exit_code == 0 and "Already linked" in r.output


def test_moving_a_link_needs_replace(accounts):
    run(accounts, "hoikuen@example.jp", "mat-komiya-hoikuen")
    r = run(accounts, "hoikuen@example.jp", "mat-agata-hoikuen")
    assert r.exit_code != 0 and "already linked to mat-komiya-hoikuen" in r.output and "--replace" in r.output
    assert linked(accounts, "hoikuen@example.jp") == "mat-komiya-hoikuen"
    r = run(accounts, "hoikuen@example.jp", "mat-agata-hoikuen", "--replace")
    assert r.exit_code == 0 and "Moved" in r.output
    assert linked(accounts, "hoikuen@example.jp") == "mat-agata-hoikuen"


def test_passport_facility_is_refused(accounts):
    with accounts.app_context():
        coupon_place = db.session.scalar(select(Facility).where(Facility.programme == "coupon"))
        db.session.add(Facility(external_id="k-cafe-1", programme="passport", name="カフェ",
                                category_code=coupon_place.category_code, municipality_code="141003"))
        db.session.commit()
    r = run(accounts, "hoikuen@example.jp", "k-cafe-1")
    assert r.exit_code != 0 and "not a coupon provider" in r.output


@pytest.mark.parametrize("email, place, message", [
    ("nobody@example.jp", "mat-komiya-hoikuen", "No account has the e-mail address nobody@example.jp"),
    ("not an address", "mat-komiya-hoikuen", "not a valid e-mail address"),
    ("family@example.jp", "mat-komiya-hoikuen", "has the role 'family'"),
    ("hoikuen@example.jp", "mat-nowhere", "No facility has the ID 'mat-nowhere'"),
    ("hoikuen@example.jp", "mat-hoiku", "city department"),
])
def test_clear_errors_and_nothing_saved(accounts, email, place, message):
    r = run(accounts, email, place)
    assert r.exit_code == 1 and message in r.output, r.output
    with accounts.app_context():
        assert db.session.scalar(select(ProviderStaff)) is None


def test_months_are_cut_at_midnight_in_japan():
    assert pops.month_bounds_utc(2026, 11) == (dt.datetime(2026, 10, 31, 15), dt.datetime(2026, 11, 30, 15))
    assert pops.month_bounds_utc(2026, 12) == (dt.datetime(2026, 11, 30, 15), dt.datetime(2026, 12, 31, 15))
    now = dt.datetime(2026, 11, 30, 15, 0)  # 1 December 00:00 in Japan
    assert pops.parse_month(None, now) == (2026, 12) and pops.parse_month("", now) == (2026, 12)
    assert pops.parse_month("2027-01", now) == (2027, 1)
    for bad in ("2027-1", "2027-13", "27-01", "2027/01", "１９９９-０１"):
        with pytest.raises(ValueError):
            pops.parse_month(bad, now)
    assert pops.shift_month(2026, 1, -1) == (2025, 12) and pops.shift_month(2026, 12, 1) == (2027, 1)


def test_set_reference_is_short_stable_and_anonymous():
    a = pops.set_reference(1, "secret")
    assert a == pops.set_reference(1, "secret") and len(a) == 8
    assert a != pops.set_reference(2, "secret") and a != pops.set_reference(1, "other secret")


def test_poster_layout_fits_a4():
    assert name_font_size("小宮保育園") == 13.0
    assert name_font_size("認定こども園聖十字幼稚園" * 2) * 24 <= 180
    lines = svg_instructions()
    assert lines[-1]["y"] < 268 and all(line["text"] for line in lines)
