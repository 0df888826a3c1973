"""Every page that shows a time shows Japan time, converted once, whatever the phone's time zone.

A family redeems coupons, the provider's staff, an administrator and a support agent look at what happened, in
Chromium with the browser's time zone set to Asia/Tokyo and to UTC. Each time on the page must be the Japan
time of the server's "now" (within a minute): the coupon confirm screen's 利用日時 and the passport card's
最終確認 were once nine hours ahead (a Japan time converted to Japan time again), and the live clocks followed
the phone's zone.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from webapp.coupons import operations as ops
from webapp.extensions import db
from webapp.timeutil import JST, jst_wall_to_utc, to_jst, utcnow

from . import coupon_factory as cf
from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from .test_support import PASSWORD, make_user

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

DATETIME_RE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?")
CLOCK_RE = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})")


# -- pure checks (no browser) ---------------------------------------------------------------------------------
def test_one_conversion_from_stored_utc():
    stored = dt.datetime(2026, 6, 30, 21, 14)          # naive UTC, as in the database
    assert to_jst(stored).replace(tzinfo=None) == dt.datetime(2026, 7, 1, 6, 14)
    assert to_jst(stored.replace(tzinfo=dt.timezone.utc)) == to_jst(stored)
    assert jst_wall_to_utc(dt.datetime(2026, 7, 1, 6, 14)) == stored
    assert to_jst(None) is None


def test_the_filter_shows_stored_utc_in_japan_time(app):
    with app.test_request_context("/", headers={"Accept-Language": "ja"}):
        from flask import render_template_string
        out = render_template_string("{{ t|datetimeformat('yyyy-MM-dd HH:mm') }}",
                                     t=dt.datetime(2026, 6, 30, 21, 14))
        assert out == "2026-07-01 06:14"
        aware = dt.datetime(2026, 7, 1, 6, 14, tzinfo=JST)
        assert render_template_string("{{ t|datetimeformat('HH:mm') }}", t=aware) == "06:14"


# -- in the browser -------------------------------------------------------------------------------------------
def japan_now() -> dt.datetime:
    return dt.datetime.now(JST).replace(tzinfo=None)


def assert_japan_now(text: str, where: str) -> None:
    """Every date-time in ``text`` is the Japan time of now, within a minute; there is at least one."""
    found = DATETIME_RE.findall(text)
    assert found, f"{where}: no date and time in {text!r}"
    now = japan_now()
    for y, mo, d, h, mi, _s in found:
        shown = dt.datetime(int(y), int(mo), int(d), int(h), int(mi))
        assert abs(shown - now.replace(second=0, microsecond=0)) <= dt.timedelta(minutes=1), \
            f"{where}: shows {shown:%Y-%m-%d %H:%M}, Japan time is {now:%Y-%m-%d %H:%M} ({text!r})"


def assert_clock_japan(text: str, where: str) -> None:
    m = CLOCK_RE.search(text)
    assert m, f"{where}: no clock in {text!r}"
    now = japan_now()
    shown = now.replace(hour=int(m.group(1)), minute=int(m.group(2)), second=int(m.group(3)), microsecond=0)
    diff = abs((shown - now).total_seconds()) % 86400
    assert min(diff, 86400 - diff) <= 60, f"{where}: clock shows {m.group(0)}, Japan time is {now:%H:%M:%S}"


@pytest.fixture
def scene(site):
    """A family with a set, one use made now at a provider, and staff accounts for each role."""
    site.config["RATELIMIT_ENABLED"] = False
    with site.app_context():
        user = cf.family()
        s = cf.claimed_set(user)
        facility = cf.provider("temporary_care")
        point = ops.ensure_point(db.session, facility)
        entry = ops.redeem(db.session, user=user, set_id=s.id, provider=ops.provider_of(facility), service_code="temporary_care",
                           count=1, idempotency_key="time-display-test-0001")
        db.session.commit()
        out = {"family": user.email, "set_id": s.id, "token": point.qr_token, "entry_id": entry,
               "user_id": user.id, "facility_id": facility.id}
    make_user(site, "admin@example.jp", "admin")
    make_user(site, "agent@example.jp", "agent")
    provider_id = make_user(site, "provider@example.jp", "provider")
    link_to(site, provider_id, out["facility_id"])
    return out


def link_to(app, user_id, facility_id):
    from webapp.coupons.models import ProviderStaff
    with app.app_context():
        db.session.add(ProviderStaff(user_id=user_id, facility_id=facility_id))
        db.session.commit()


def log_in(page, url, email, password):
    page.goto(url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button.primary")
    page.wait_for_load_state()


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC"])
def test_every_page_with_a_time_shows_japan_time(site, scene, zone):
    with LiveServer(site) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        url = server.url

        def new_page(email, password=PASSWORD):
            context = browser.new_context(**PHONE, timezone_id=zone)
            page = context.new_page()
            log_in(page, url, email, password)
            return page

        # the family: confirm screen, receipt (static time and live clock), history, passport card and verify
        page = new_page(scene["family"], cf.PASSWORD)
        page.goto(f"{url}/coupons/use?set={scene['set_id']}&p={scene['token']}")
        page.fill("#count", "1")
        page.click("button.primary")
        page.wait_for_selector(".confirm-list")
        assert_japan_now(page.locator(".confirm-list").inner_text(), "coupon confirm (利用日時)")
        page.goto(f"{url}/coupons/receipts/{scene['entry_id']}")
        assert_japan_now(page.locator(".confirm-list").inner_text(), "receipt")
        page.wait_for_timeout(300)
        assert_clock_japan(page.locator("#now").inner_text(), "receipt clock")
        page.goto(f"{url}/coupons/history")
        assert_japan_now(page.locator("main").inner_text(), "coupon history")
        page.goto(f"{url}/passport")
        page.wait_for_timeout(300)
        assert_japan_now(page.locator("p.note", has_text="最終確認").inner_text(), "passport card (最終確認)")
        assert_clock_japan(page.locator("#now").inner_text(), "passport clock")
        with site.test_request_context():
            from webapp.accounts.models import User
            from webapp.passport.views import _serializer
            user = db.session.get(User, scene["user_id"])
            verify = "/passport/verify/" + _serializer().dumps({"u": user.id, "n": user.passport_number})
        page.goto(url + verify)
        assert_japan_now(page.locator("main").inner_text(), "passport verify")

        # the provider's staff: the live list, the correction page
        page = new_page("provider@example.jp")
        page.goto(url + "/provider")
        page.wait_for_selector("time")
        assert_japan_now(page.locator("time").first.inner_text(), "provider live list")
        page.goto(f"{url}/provider/redemptions/{scene['entry_id']}/correct")
        assert_japan_now(page.locator("main dl").first.inner_text(), "provider correction")

        # the administrator: users (last login of the family, just now)
        page = new_page("admin@example.jp")
        page.goto(url + "/admin/users?email=" + scene["family"])
        row = page.locator("tr", has_text=scene["family"])
        assert_japan_now(row.inner_text(), "admin users (last login)")
        browser.close()
    with site.app_context():
        from webapp.accounts.models import User
        last = db.session.scalar(select(User.last_login_at).where(User.email == scene["family"]))
        assert abs(last - utcnow()) < dt.timedelta(minutes=5)  # stored in UTC, not in Japan time
