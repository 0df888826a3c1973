"""Search on a phone-sized screen in real headless Chromium."""
import pytest

from .browser import PHONE, LiveServer

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live(demo_app):
    with LiveServer(demo_app) as server:
        yield server


@pytest.fixture
def page(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors


def test_search_filter_sort_open_and_switch_language(live, page):
    page.goto(live.url + "/")
    assert page.locator("h1").inner_text() == "子どもと行けるお店・施設をさがす"
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#q", "じゅにゅう")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    total = page.locator(".total").inner_text()
    assert "件" in total
    first_count = int(total.replace("件", "").replace(",", ""))
    assert first_count > 0
    assert page.locator("ol.results mark").count() > 0 or page.locator(".snippet").count() > 0

    # filter by the first category offered, with its count
    page.click("details.filters > summary")
    box = page.locator('fieldset.facet input[name="category"]').first
    box.check()
    page.click("button.primary")
    page.wait_for_load_state()
    filtered = int(page.locator(".total").inner_text().replace("件", "").replace(",", ""))
    assert 0 < filtered <= first_count
    assert page.locator(".active-filters .chip").count() == 1

    # sort: the select submits on change (JavaScript enhancement)
    page.select_option("#sort", "kana")
    page.wait_for_url("**sort=kana**")
    assert page.locator("#sort").input_value() == "kana"

    # open the first result
    page.locator("ol.results .card-title a").first.click()
    page.wait_for_url("**/facilities/**")
    assert page.locator("h1").count() == 1
    tel = page.locator("a.tel")
    assert tel.count() == 1 and tel.get_attribute("href").startswith("tel:0")  # demo facilities all have phones

    # switch to English and back
    page.click("nav.lang a")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#h-info").inner_text() == "Information"
    page.click("nav.lang a")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"


def test_half_width_and_place_name_variants(live, page):
    page.goto(live.url + "/search?q=" + "茅が崎")
    assert int(page.locator(".total").inner_text().replace("件", "")) > 0
    page.goto(live.url + "/search?q=" + "ｶﾌｪ")
    assert page.locator("ol.results li").count() > 0


def test_nearest_uses_the_phones_location(live, browser):
    context = browser.new_context(**PHONE, geolocation={"latitude": 35.2324, "longitude": 139.1069},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.goto(live.url + "/search?q=")
    page.click("#locate")
    page.wait_for_url("**sort=nearest**")
    meta = page.locator("ol.results .meta").first.inner_text()
    assert "箱根町" in meta or "km" in meta
    context.close()


def test_typo_and_sentence_help_on_a_phone(live, page):
    page.goto(live.url + "/")
    page.fill("#q", "ドルファン")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    notice = page.locator(".did-you-mean")
    assert "もしかして:" in notice.inner_text() and "ドルフィン" in notice.inner_text()
    notice.locator("a").click()
    page.wait_for_load_state()
    assert page.locator(".did-you-mean").count() == 0 and page.locator("ol.results li").count() > 0

    page.fill("#q", "雨の日に子どもと遊べる場所 藤沢")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    chips = page.locator(".understood .chip")
    assert chips.count() == 2 and "藤沢市" in chips.first.inner_text() + chips.last.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    total = int(page.locator(".total").inner_text().replace("件", "").replace(",", ""))
    page.locator(".understood .chip", has_text="藤沢市").click()
    page.wait_for_load_state()
    wider = int(page.locator(".total").inner_text().replace("件", "").replace(",", ""))
    assert wider > total and page.locator(".understood").count() == 0
    assert page.locator(".active-filters .chip").count() == 1  # キッズスペース, now an ordinary filter
