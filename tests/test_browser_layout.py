"""No sideways scrolling on a 390 px phone on any admin, provider or support page, each opened by the role it is
for, with real rows in its tables (a long application queue, users, uses, audit rows).

The pages are found by walking ``app.url_map``: a new HTML page in those areas fails this test until it is
added to the walk below (files such as CSV, SVG, JSON and GeoJSON downloads are not pages)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.admin.models import Notice
from webapp.extensions import db
from webapp.models import Facility
from webapp.timeutil import utcnow

from . import coupon_factory as cf
from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from .conftest import Browserish
from .test_registration_helpers import application, apply
from .test_support import PASSWORD, make_family, make_user

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

AREAS = ("admin", "coupons_admin", "provider", "support")
WIDEST = """(() => {  // the outermost element reaching past the right edge, to say what to fix
  const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390.5
                                                                    && !clipped(e));
  const top = over.filter(e => !over.includes(e.parentElement))[0];
  return top ? top.tagName.toLowerCase() + (top.className ? '.' + top.className : '') : '?';
})()"""
NOT_PAGES = re.compile(r"\.(csv|svg|json|geojson)$")


def html_pages(app) -> set[str]:
    """Endpoints of the staff areas that answer GET with a page."""
    return {r.endpoint for r in app.url_map.iter_rules()
            if r.endpoint.split(".", 1)[0] in AREAS and "GET" in r.methods and not NOT_PAGES.search(r.rule)}


@pytest.fixture
def scene(site):
    site.config["RATELIMIT_ENABLED"] = False
    for i in range(3):  # a queue of applications with long names and addresses
        apply(Browserish(site.test_client()), application(
            name=f"子育て応援カフェ ひなたぼっこ 湘南藤沢駅前本店 その{i}", email=f"owner{i}@example.jp"))
    family_id = make_family(site)
    with site.app_context():
        cf.serials(2)
        db.session.add(Notice(title="年末年始の窓口のお知らせ" * 3, body="本文", audience="all",
                              publish_from=utcnow()))
        from webapp.coupons.models import LedgerEntry
        from webapp.registration.models import PartnerApplication
        out = {"family_id": family_id,
               "app_id": db.session.scalar(select(PartnerApplication.id).order_by(PartnerApplication.id)),
               "facility": db.session.scalar(select(Facility.external_id).order_by(Facility.id)),
               "entry_id": db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "redeem")),
               }
        db.session.commit()
        out["notice_id"] = db.session.scalar(select(Notice.id))
    make_user(site, "admin@example.jp", "admin")
    make_user(site, "agent@example.jp", "agent")
    provider_id = make_user(site, "provider@example.jp", "provider")
    with site.app_context():
        from webapp.coupons.models import LedgerEntry, ProviderStaff
        facility_id = db.session.get(LedgerEntry, out["entry_id"]).provider_id
        db.session.add(ProviderStaff(user_id=provider_id, facility_id=facility_id))
        db.session.commit()
    return out


def log_in(context, url, email):
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    return page


def test_no_staff_page_scrolls_sideways_on_a_phone(site, scene):
    s = scene
    admin_pages = {
        "admin.dashboard": ["/admin/"], "admin.applications": ["/admin/applications"],
        "admin.application": [f"/admin/applications/{s['app_id']}"],
        "admin.facilities": ["/admin/facilities"], "admin.facility": [f"/admin/facilities/{s['facility']}"],
        "admin.import_facilities": ["/admin/facilities/import"],
        "admin.notices": ["/admin/notices"], "admin.notice": ["/admin/notices/new", f"/admin/notices/{s['notice_id']}"],
        "admin.users": ["/admin/users"], "coupons_admin.batches": ["/admin/coupons/batches"],
        "coupons_admin.providers": ["/admin/coupons/providers"], "support.audit_log": ["/support/audit"],
    }
    provider_pages = {
        "provider.home": ["/provider"], "provider.poster_page": ["/provider/poster"],
        "provider.correct": [f"/provider/redemptions/{s['entry_id']}/correct"],
        "provider.settlement": ["/provider/settlement"],
    }
    agent_pages = {
        "support.console": ["/support/", "/support/?q=QRコード", "/support/?q=保育課"],
        "support.flow": ["/support/flows/qr_not_reading"], "support.route": ["/support/route"],
        "support.member": [f"/support/members/{s['family_id']}"],
    }
    listed = set(admin_pages) | set(provider_pages) | set(agent_pages) | {"support.entry", "support.lookup_results"}
    assert html_pages(site) <= listed, f"pages not walked: {sorted(html_pages(site) - listed)}"

    too_wide = []
    with LiveServer(site) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def check(page, path):
            if path is not None:
                page.goto(server.url + path)
            assert "/login" not in page.url, f"{path}: sent to the login page"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                culprit = page.evaluate(WIDEST)
                too_wide.append(f"{path or page.url}: {width}px ({culprit})")

        for email, pages in (("admin@example.jp", admin_pages), ("provider@example.jp", provider_pages),
                             ("agent@example.jp", agent_pages)):
            context = browser.new_context(**PHONE)
            page = log_in(context, server.url, email)
            for paths in pages.values():
                for path in paths:
                    check(page, path)
            if email == "agent@example.jp":
                # an FAQ entry found by the console, a member search and the member's record (with a reason)
                page.goto(server.url + "/support/?q=QRコード")
                entry = page.locator("a[href^='/support/faq/']").first.get_attribute("href")
                check(page, entry)
                page.goto(server.url + "/support/")
                page.fill("#query", "山田")
                page.fill("#reason", "本人からの電話")
                page.locator("form[action$='/support/lookup'] button[type=submit]").click()
                page.wait_for_url("**/support/lookups/**")
                check(page, None)
                page.goto(f"{server.url}/support/members/{s['family_id']}")
                page.fill("#reason", "本人からの電話")
                page.locator("form[action$='/open'] button[type=submit]").click()
                page.wait_for_url("**grant=**")
                check(page, None)
            context.close()
        browser.close()
    assert not too_wide, "wider than the 390px phone:\n" + "\n".join(too_wide)
