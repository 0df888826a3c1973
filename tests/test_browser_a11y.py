"""Accessibility audit (axe-core, WCAG 2.1 A/AA) of every public page, in Chromium on a phone viewport."""
import os

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
AXE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core",
                   "axe.min.js")


@pytest.fixture(scope="module")
def audit(demo_app):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    with LiveServer(demo_app) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # bypass_csp only so the test can inject axe; the site itself allows no inline script.
        context = browser.new_context(**PHONE, bypass_csp=True)
        page = context.new_page()

        def run(path):
            page.goto(server.url + path)
            page.add_script_tag(path=AXE)
            return page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""")
        run.page, run.base = page, server.url
        yield run
        browser.close()


@pytest.mark.parametrize("path", [
    "/", "/search?q=%E3%81%98%E3%82%85%E3%81%AB%E3%82%85%E3%81%86", "/search?category=restaurant&amenity=nursing_room",
    "/search?q=%E3%81%9E%E3%81%9E%E3%81%9E%E3%81%9E", "/facilities/KP-000001", "/services", "/no-such-page",
    "/search?q=cafe&lang=en",
])
def test_no_accessibility_violations(audit, path):
    violations = audit(path)
    assert violations == [], violations


def test_family_pages_have_no_accessibility_violations(audit, demo_app):
    """Logged in as a family: the pages used every day, and the forms to change one's details."""
    import datetime as dt

    from webapp.accounts.models import Child, User
    from webapp.accounts.passwords import hash_password
    from webapp.extensions import db
    password = "a11y の確認用パスワード"
    with demo_app.app_context():
        user = User(email="a11y-family@example.jp", password_hash=hash_password(password), role="family",
                    name="松本 さくら", name_kana="マツモト サクラ", municipality_code="142051",
                    passport_number="9990000017", phone="045-123-4567")
        user.children.append(Child(name="そら", birth_date=dt.date(2024, 5, 10)))
        db.session.add(user)
        db.session.commit()
    page = audit.page
    page.goto(audit.base + "/login")
    page.fill("#email", "a11y-family@example.jp")
    page.fill("#password", password)
    page.click("button.primary")
    page.wait_for_load_state()
    for path in ("/account", "/account/profile", "/passport", "/coupons", "/coupons/history", "/coupons/claim"):
        violations = audit(path)
        assert page.url.endswith(path), page.url  # really logged in, not sent to the login page
        assert violations == [], (path, violations)
