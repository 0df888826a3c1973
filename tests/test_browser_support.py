"""The support desk in real headless Chromium: an agent on a desktop answers "the QR code won't read" by keyboard
alone (search, Tab to the flow, number keys to the passcode step); a family walks the same flow on a phone by
tapping links; the help pages pass the accessibility audit."""
import os

import pytest

from .browser import PHONE, LiveServer
from .test_accounts import PASSWORD
from .test_support import make_user

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "ja-JP"}
AXE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core",
                   "axe.min.js")


@pytest.fixture
def live(ref_app):
    ref_app.config["RATELIMIT_ENABLED"] = False
    with LiveServer(ref_app) as server:
        yield server


def new_page(browser, errors, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page


def wait_step(page, step_id):
    """Wait for a flow step with support.js running (it marks <html class="js"> as it binds the keys)."""
    page.wait_for_selector(f'html.js [data-step="{step_id}"]')


def test_agent_walks_the_qr_flow_to_the_passcode_by_keyboard(live, browser, ref_app):
    make_user(ref_app, "agent@example.jp", "agent")
    errors = []
    context, page = new_page(browser, errors, **DESKTOP)
    page.goto(live.url + "/login?next=/support/")
    page.fill("#email", "agent@example.jp")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/support/") and "/login" not in url)

    # the search box has the focus: type the caller's words and search
    assert page.evaluate("document.activeElement.id") == "support-q"
    page.keyboard.type("QRコードが読み取れない")
    page.keyboard.press("Enter")
    page.wait_for_url("**/support/?q=*")
    assert page.evaluate("document.activeElement.id") == "support-q"

    # Tab past the search button to the first result: the QR flow
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/support/flows/qr_not_reading"
    page.keyboard.press("Enter")
    wait_step(page, "device")

    # 3 = tablet / computer / other phone, 2 = no other phone → the passcode step
    page.keyboard.press("3")
    wait_step(page, "unsupported")
    page.keyboard.press("2")
    wait_step(page, "passcode")
    step = page.locator("#step").inner_text()
    assert "パスコード" in step and "6桁" in step
    assert "path=other%2Cno_other" in page.url or "path=other,no_other" in page.url

    # 0 goes back one step, "/" returns to the search box
    page.keyboard.press("0")
    wait_step(page, "unsupported")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "support-q"
    context.close()
    assert not errors, errors


def test_arrow_keys_move_through_results(live, browser, ref_app):
    make_user(ref_app, "agent@example.jp", "agent")
    errors = []
    context, page = new_page(browser, errors, **DESKTOP)
    page.goto(live.url + "/login?next=/support/%3Fq%3DQR")
    page.fill("#email", "agent@example.jp")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/support/?q=QR") and "/login" not in url)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.getAttribute('href')")
    assert first == "/support/flows/qr_not_reading" and second and second != first
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "support-q"
    context.close()
    assert not errors, errors


def test_family_walks_a_flow_on_a_phone(live, browser):
    errors = []
    context, page = new_page(browser, errors, **PHONE)
    page.goto(live.url + "/")
    page.click("footer >> text=ヘルプ")
    page.wait_for_url("**/help/")
    page.fill("#help-q", "ｑｒ")
    page.press("#help-q", "Enter")
    page.wait_for_url("**/help/?q=*")
    page.click('a[href="/help/flows/qr_not_reading"]')
    page.click("text=タブレット・パソコン・ガラケー")
    page.click("a.choice >> text=ない")
    assert "6桁のパスコード" in page.locator("#step").inner_text()
    page.click("a.choice >> text=使えなかった")
    assert page.locator("a.tel").first.get_attribute("href") == "tel:0262621378"
    page.click("text=ひとつ前に戻る")
    assert "6桁のパスコード" in page.locator("#step").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("path", ["/help/", "/help/?q=%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89",
                                  "/help/faq/coupon-qr-not-reading", "/help/flows/qr_not_reading?path=other",
                                  "/help/flows/qr_not_reading?path=other,no_other,failed",
                                  "/help/flows/qr_not_reading?path=bogus", "/help/contact?topic=temporary_care",
                                  "/help/contact?topic=passport&lang=en"])
def test_help_pages_have_no_accessibility_violations(live, browser, path):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    context = browser.new_context(**PHONE, bypass_csp=True)  # only so the test can inject axe
    page = context.new_page()
    page.goto(live.url + path)
    page.add_script_tag(path=AXE)
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    context.close()
    assert violations == [], violations


def _agent_on_phone(live, browser, ref_app, errors, path):
    make_user(ref_app, "agent@example.jp", "agent")
    context, page = new_page(browser, errors, **PHONE)
    page.goto(live.url + "/login?next=" + path)
    page.fill("#email", "agent@example.jp")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/support/" in url and "/login" not in url)
    return context, page


def test_agent_on_a_phone_finds_the_department_and_calls_it(live, browser, ref_app):
    errors = []
    context, page = _agent_on_phone(live, browser, ref_app, errors, "/support/")
    page.fill("#support-q", "病児保育")
    page.press("#support-q", "Enter")
    page.wait_for_url("**/support/?q=*")
    first = page.locator(".console-results a[data-result]").first
    assert first.get_attribute("href") == "tel:0263343261"
    assert "こども育成課" in first.inner_text() and first.is_visible()
    row = page.locator('.console-results li:has(> a[data-result][href="tel:0263343261"])')
    assert row.locator(".status").first.is_visible()  # open now, closed, or check when calling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # what a caller says about the QR code: the flow first, with the support center's number, state and hours
    page.fill("#support-q", "QRが読めない")
    page.press("#support-q", "Enter")
    page.wait_for_url("**/support/?q=QR*")
    first = page.locator(".console-results a[data-result]").first
    assert first.get_attribute("href") == "/support/flows/qr_not_reading"
    calls = page.locator('.console-results li:has(> a[data-result][href="/support/flows/qr_not_reading"]) .calls')
    tel = calls.locator('a.tel[href="tel:0262621378"]')
    assert tel.is_visible() and "026-262-1378" in tel.inner_text()
    assert "10:00" in calls.locator(".call-hours").first.inner_text()
    assert calls.locator(".status").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("query", ["病児保育", "QRが読めない", "枚数を間違えた"])
def test_console_results_have_no_accessibility_violations(live, browser, ref_app, query):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    make_user(ref_app, "agent@example.jp", "agent")
    context = browser.new_context(**PHONE, bypass_csp=True)  # only so the test can inject axe
    page = context.new_page()
    page.goto(live.url + "/login?next=/support/")
    page.fill("#email", "agent@example.jp")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/support/"))
    page.fill("#support-q", query)
    page.press("#support-q", "Enter")
    page.wait_for_url("**/support/?q=*")
    page.add_script_tag(path=AXE)
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert violations == [], violations
