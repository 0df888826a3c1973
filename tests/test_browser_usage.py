"""The usage dashboard and the provider's settlement chart in Chromium on a phone (390×844): the charts are
drawn, nothing scrolls sideways, and axe-core finds no serious or critical violation."""
import datetime as dt
import os
import uuid

import pytest

from webapp.accounts.models import User
from webapp.coupons import operations as ops
from webapp.coupons.models import ProviderStaff
from webapp.extensions import db
from webapp.search_log import record_zero_result
from webapp.timeutil import utcnow

from . import coupon_factory as cf
from .browser import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveServer
from .test_browser_a11y import AXE
from .test_registration_helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

AXE_RUN = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
    return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.fixture
def accounts(ref_app):
    now = utcnow()
    with ref_app.app_context():
        s = cf.claimed_set()
        care = cf.provider("temporary_care")
        user = db.session.get(User, s.user_id)
        for days, count in ((1, 2), (3, 1), (12, 4)):
            ops.redeem(db.session, user=user, set_id=s.id, provider=ops.provider_of(care), service_code="temporary_care",
                       count=count, idempotency_key=uuid.uuid4().hex, now=now - dt.timedelta(days=days))
        admin, provider = make_user("admin"), make_user("provider")
        db.session.add(ProviderStaff(user_id=provider.id, facility_id=care.id))
        db.session.commit()
        emails = admin.email, provider.email
        assert record_zero_result("とても長い検索語がここに入ります 授乳室のあるカフェ", 0, "web")
        assert record_zero_result("ぞぞぞ", 0, "api")
    return emails


def test_dashboard_and_settlement_charts_on_a_phone(ref_app, accounts):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    with LiveServer(ref_app) as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = ((accounts[0], "/admin/", 6), (accounts[1], "/provider/settlement", 1))
            for email, path, n_charts in pages:
                context = browser.new_context(**PHONE, bypass_csp=True)
                page = context.new_page()
                page.goto(server.url + "/login")
                page.fill("#email", email)
                page.fill("#password", PASSWORD)
                page.click("button.primary")
                page.wait_for_load_state()
                page.goto(server.url + path)
                assert page.url.endswith(path), page.url
                charts = page.locator("svg.chart[role=img]")
                assert charts.count() == n_charts
                for i in range(n_charts):
                    box = charts.nth(i).bounding_box()
                    assert box["width"] > 200 and box["height"] > 40 and box["x"] + box["width"] <= 390
                assert page.evaluate("document.documentElement.scrollWidth") <= 390
                page.locator("details.chart-data summary").first.click()   # the table opens in place
                assert page.evaluate("document.documentElement.scrollWidth") <= 390
                page.add_script_tag(path=AXE)
                violations = page.evaluate(AXE_RUN)
                assert violations == [], (path, violations)
                context.close()
        finally:
            browser.close()
