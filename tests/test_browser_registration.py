"""In real Chromium: a shop applies on a phone (with a second branch), staff approve on a desktop-sized screen,
and a family finds the shop by its name."""
import os

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from .test_registration_helpers import PASSWORD, apply, make_user

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "ja-JP"}


def _watch(page, errors):
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)


def test_apply_on_a_phone_approve_on_a_desktop_find_as_a_family(site, smtp):
    with site.app_context():
        admin_email = make_user("admin").email
    errors: list[str] = []
    with LiveServer(site) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        # -- the shop owner, on a phone -----------------------------------------------------------------------
        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        _watch(page, errors)
        page.goto(server.url + "/")
        page.click("footer >> text=協力施設の登録")
        page.wait_for_url("**/partners/")
        page.click("text=申請する")
        page.wait_for_url("**/partners/apply")
        page.fill("#name", "おやこ食堂 ぽかぽか")
        page.fill("#name_kana", "おやこしょくどう ぽかぽか")
        page.select_option("#category", "restaurant")
        page.select_option("#municipality", "142123")  # 厚木市
        page.fill("#address", "中町2-3-4")
        page.fill("#phone", "046-221-9876")
        for day in range(0, 6):
            page.check(f"#open_days-{day}")
        page.fill("#opens", "11:00")
        page.fill("#closes", "21:00")
        page.select_option("#benefits-0-kind", "kokorokubari")
        page.fill("#benefits-0-text", "離乳食の持ち込みOK、お湯をご用意します")
        page.fill("#benefits-0-age_to", "3")
        page.check("#amenities-0")
        page.check("#other_prefectures")
        page.fill("#contact_name", "厚木 花子")
        page.fill("#email", "pokapoka@example.jp")
        page.click("details.branches > summary")
        page.fill("#branches-0-name", "おやこ食堂 ぽかぽか 本厚木駅前店")
        page.fill("#branches-0-name_kana", "おやこしょくどう ぽかぽか ほんあつぎえきまえてん")
        page.select_option("#branches-0-municipality", "142123")
        page.fill("#branches-0-address", "泉町1-1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        page.check("#agree")
        page.click("button.primary")
        page.wait_for_selector("text=申請内容の確認")
        assert "本厚木駅前店" in page.inner_text("main") and "離乳食の持ち込みOK" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("#send")
        page.wait_for_url("**/partners/status/**")
        assert "審査待ち" in page.inner_text("main")
        status_link = smtp.link("pokapoka@example.jp", "/partners/status/")

        # -- programme staff, on a desktop ---------------------------------------------------------------------
        desk = browser.new_context(**DESKTOP)
        office = desk.new_page()
        _watch(office, errors)
        office.goto(server.url + "/login")
        office.fill("#email", admin_email)
        office.fill("#password", PASSWORD)
        office.click("button.primary")
        office.goto(server.url + "/admin/")
        assert "件の申請が審査待ち" in office.inner_text("main")
        office.click(".admin-nav >> text=申請")
        office.click("table.data a")
        office.wait_for_selector("#approve")
        assert "本厚木駅前店" in office.inner_text("main")
        assert office.evaluate("document.documentElement.scrollWidth") <= 1280
        office.click("#approve")
        office.wait_for_selector(".flash >> text=承認しました")
        assert "承認しました" in smtp.last_to("pokapoka@example.jp")["subject"]

        # -- a family, on a phone, finds it by its name ----------------------------------------------------------
        family = browser.new_context(**PHONE).new_page()
        _watch(family, errors)
        family.goto(server.url + "/")
        family.fill("#q", "ぽかぽか")
        family.press("#q", "Enter")
        family.wait_for_url("**/search?q=*")
        results = family.inner_text("ol.results")
        assert "おやこ食堂 ぽかぽか" in results and "本厚木駅前店" in results
        family.click("ol.results a >> text=本厚木駅前店")
        family.wait_for_url("**/facilities/**")
        body = family.inner_text("main")
        assert "離乳食の持ち込みOK" in body and "他の都道府県の子育て支援パスポート" in body

        # the applicant's status link now says approved
        page.goto(server.url + status_link)
        assert "承認済み" in page.inner_text("main")
        browser.close()
    assert not errors, errors


AXE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core",
                   "axe.min.js")


def test_registration_and_admin_pages_pass_the_accessibility_audit(site, smtp, browserish):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    status = apply(type(browserish)(site.test_client()))
    with site.app_context():
        admin_email = make_user("admin").email
    found = {}
    with LiveServer(site) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(**PHONE, bypass_csp=True).new_page()  # bypass_csp only to inject axe

        def audit(name):
            page.add_script_tag(path=AXE)
            violations = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
                return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.html)}));
            }""")
            for v in violations:
                found.setdefault(name, []).append((v["id"], v["nodes"][:3]))

        for path in ("/partners/", status, "/partners/status/nonsense"):
            page.goto(server.url + path)
            audit(path)
        page.goto(server.url + "/partners/apply")
        page.click("details.branches > summary")
        audit("form")
        page.fill("#branches-0-name", "支店")
        page.click("button.primary")
        audit("form with errors")
        from .test_registration_helpers import application
        page.goto(server.url + "/partners/apply")
        for key, value in application().items():
            if key in ("action", "open_days", "amenities", "agree") or "-" in key:
                continue
            selector = f"#{key}"
            if page.locator(f"select{selector}").count():
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        page.check("#open_days-0")
        page.select_option("#benefits-0-kind", "otoku")
        page.fill("#benefits-0-text", "割引")
        page.check("#agree")
        page.click("button.primary")
        page.wait_for_selector("#send")
        audit("confirmation")

        desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP", bypass_csp=True)
        page = desk.new_page()
        page.goto(server.url + "/login")
        page.fill("#email", admin_email)
        page.fill("#password", PASSWORD)
        page.click("button.primary")
        page.wait_for_load_state()
        for path in ("/admin/", "/admin/applications", "/admin/applications/1", "/admin/facilities?q=松本",
                     "/admin/notices", "/admin/notices/new", "/admin/users", "/admin/facilities/import"):
            page.goto(server.url + path)
            audit(path)
        browser.close()
    assert found == {}, found
