"""The notices badge in the header and the mail settings form on a phone (390×844), in real Chromium."""
import datetime as dt

import pytest

from webapp.extensions import db
from webapp.reminders import operations as ops

from . import coupon_factory as cf
from .browser import PHONE, LiveServer

playwright_api = pytest.importorskip("playwright.sync_api")


def test_notices_badge_and_mail_settings_on_a_phone(site, browser):
    from webapp.accounts.forms import today_jst
    with site.app_context():
        user = cf.family(email="phone@example.jp")
        cf.claimed_set(user, ends_on=today_jst() + dt.timedelta(days=6))
        db.session.commit()
        uid = user.id
    with LiveServer(site) as server:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.goto(server.url + "/login")
        page.fill("#email", "phone@example.jp")
        page.fill("#password", cf.PASSWORD)
        page.click("button.primary")
        badge = page.locator("header .notices-link .badge")
        assert badge.inner_text() == "1" and badge.is_visible()
        box = page.locator("header .notices-link").bounding_box()
        assert box["x"] + box["width"] <= 390 and box["height"] >= 24
        page.click("header .notices-link")
        assert "残り6日" in page.locator("main").inner_text()
        page.click("main button:has-text('既読にする')")
        assert page.locator("header .notices-link .badge").count() == 0

        page.goto(server.url + "/account")
        page.click("text=受け取るメールを選ぶ")
        assert page.is_checked("#coupon_expiry") and page.is_checked("#partner_digest")
        page.uncheck("#passport_expiry")
        page.select_option("#follow_1", "142051")
        page.select_option("#follow_2", "142051")
        page.click("button.primary")
        assert "同じ市区町村" in page.locator("#follow_1-error").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.select_option("#follow_2", "142069")
        page.uncheck("#passport_expiry")
        page.click("button.primary")
        assert "保存しました" in page.locator(".flash").inner_text()
        assert not page.is_checked("#passport_expiry")
        assert page.locator(".choice-history li").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        context.close()
    with site.app_context():
        assert ops.choices_of(db.session, uid)["passport_expiry"] is False
        assert sorted(ops.followed(db.session, uid)) == ["142051", "142069"]


def test_reminder_pages_have_no_accessibility_violations(site, browser):
    """axe-core (WCAG 2.1 A/AA and best practice) on the notices, the mail settings and the stop-link pages."""
    import os

    from webapp.accounts.forms import today_jst
    from webapp.reminders.links import stop_token
    axe = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core",
                       "axe.min.js")
    if not os.path.exists(axe):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    with site.app_context():
        user = cf.family(email="axe@example.jp")
        cf.claimed_set(user, ends_on=today_jst() + dt.timedelta(days=20))
        db.session.commit()
        uid = user.id
    with LiveServer(site) as server:
        with site.test_request_context():
            token = stop_token(uid, "coupon_expiry")
        context = browser.new_context(**PHONE, bypass_csp=True)  # only so that axe can be injected
        page = context.new_page()

        def audit(path, click=None):
            page.goto(server.url + path)
            if click:
                page.click(click)
            page.add_script_tag(path=axe)
            return page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""")
        for path in (f"/reminders/stop/coupon_expiry/{token}", "/reminders/stop/coupon_expiry/altered"):
            assert audit(path) == [], path
        assert audit(f"/reminders/stop/coupon_expiry/{token}", click="button.primary") == []  # stopped page
        page.goto(server.url + "/login")
        page.fill("#email", "axe@example.jp")
        page.fill("#password", cf.PASSWORD)
        page.click("button.primary")
        page.wait_for_load_state()
        for path in ("/notices", "/account/mails", "/account"):
            violations = audit(path)
            assert page.url.endswith(path), page.url
            assert violations == [], (path, violations)
        context.close()
