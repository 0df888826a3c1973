"""A family redeems coupons on a phone by scanning the provider's QR code with the (fake) camera."""
import datetime as dt

import pytest

from webapp.coupons import domain as d
from webapp.coupons import operations as ops
from webapp.extensions import db

from . import coupon_factory as cf
from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from .fake_camera import qr_y4m

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


def test_claim_scan_count_confirm_receipt(site, tmp_path):
    with site.app_context():
        user = cf.family(birth=dt.date(2024, 5, 10))
        code = cf.serials(1)[0]
        facility = cf.provider("temporary_care")
        token = ops.ensure_point(db.session, facility).qr_token
        db.session.commit()
        email, name = user.email, facility.name
    with LiveServer(site) as server, playwright_api.sync_playwright() as p:
        video = qr_y4m(str(tmp_path / "qr.y4m"), f"{server.url}/r/{token}")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        context = browser.new_context(**PHONE, permissions=["camera"])
        page = context.new_page()
        page.goto(server.url + "/login")
        page.fill("#email", email)
        page.fill("#password", cf.PASSWORD)
        page.click("button.primary")
        page.wait_for_load_state()

        # claim with the serial typed in lower case with hyphens
        page.goto(server.url + "/coupons/claim")
        page.fill("#serial", d.format_serial(code).lower())
        page.click("button.primary")
        page.fill("#birth_date", "2024-05-10")
        page.click("button.primary")
        page.wait_for_selector("text=受け取りました")

        # open the coupons, scan with the camera
        page.goto(server.url + "/coupons")
        page.click("text=チケットを開く")
        page.click("text=コード読み取り")
        page.wait_for_url("**/coupons/use?**", timeout=20000)
        assert name in page.locator(".provider-name").inner_text()
        page.fill("#count", "2")
        page.click("button.primary")
        page.wait_for_selector("text=スタッフと確認してください")
        assert name in page.locator(".confirm-list").inner_text()
        page.click("button[data-once]")
        page.wait_for_url("**/coupons/receipts/**")
        clock = page.locator("#now").inner_text()
        page.wait_for_timeout(1100)
        assert page.locator("#now").inner_text() != clock  # the clock is live
        assert "残り: 8枚" in page.locator("body").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        browser.close()
