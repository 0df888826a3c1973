"""A family signs up on a phone, reads the mail from the SMTP server, and shows the passport — also offline."""
import datetime as dt

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer, wait_until

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


def test_sign_up_see_passport_then_offline(site, smtp):
    with LiveServer(site) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.goto(server.url + "/signup")
        page.fill("#email", "mama@example.jp")
        page.check("#agree")
        page.click("button.primary")
        page.wait_for_url("**/signup/sent")
        link = smtp.link("mama@example.jp", "/signup/confirm/")
        page.goto(server.url + link)
        page.fill("#name", "川崎 みどり")
        page.fill("#name_kana", "かわさき みどり")
        page.select_option("#municipality", "141305")
        page.fill("#password", "うみとやまの あいことば")
        page.fill("#child_name", "そら")
        page.fill("#child_birth_date", (dt.date.today() - dt.timedelta(days=200)).isoformat())
        page.click("button.primary")
        page.wait_for_url("**/passport")
        assert page.locator("h1.holder").inner_text() == "川崎 みどり"
        assert page.locator(".state-valid").count() == 1
        assert page.locator(".qr svg").count() == 1
        valid_until = page.locator(".valid-until").inner_text()
        assert "2039" in valid_until or "2040" in valid_until
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # the service worker takes over and keeps the card
        wait_until(page, "navigator.serviceWorker.controller !== null")
        wait_until(page, "async () => !!(await caches.match('/passport'))")
        context.set_offline(True)
        page.reload()
        assert page.locator("h1.holder").inner_text() == "川崎 みどり"
        assert page.locator("#offline-banner").is_visible()
        assert "最終確認" in page.locator("body").inner_text()
        context.set_offline(False)

        # logging out forgets the offline copy on this device
        page.goto(server.url + "/account")
        page.click("text=ログアウト")
        wait_until(page, "async () => (await caches.keys()).length === 0")
        browser.close()
