"""The map view in real headless Chromium on a phone (390×844): pins for a filtered search on the local test
tile (any request off this machine fails the test), keyboard use, the user's position, the facility map, and an
axe-core audit of the map view."""
import os

import pytest

from .browser import PHONE, LiveServer, wait_until

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
AXE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core",
                   "axe.min.js")
FILTERED = "/search?category=restaurant&amenity=nursing_room&view=map"


@pytest.fixture
def live(demo_app):
    with LiveServer(demo_app) as server:
        yield server


@pytest.fixture
def phone(browser, live):
    context = browser.new_context(**PHONE, geolocation={"latitude": 35.339, "longitude": 139.49},
                                  permissions=["geolocation"])
    page = context.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def only_local(route):
        if route.request.url.startswith(live.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    page.route("**/*", only_local)
    yield page
    context.close()
    assert not errors, errors
    assert not outside, outside  # no test needs the internet


def test_filtered_search_shows_clustered_pins_on_the_local_tiles(demo_app, live, phone):
    expected = demo_app.test_client().get(
        "/search/pins.json?category=restaurant&amenity=nursing_room").get_json()
    assert expected["shown"] > 0
    demo_app.config["MAP_TEST_TILE_REQUESTS"] = []
    phone.goto(live.url + FILTERED)
    shown = wait_until(phone, "document.getElementById('results-map').dataset.pins")
    assert shown == str(expected["shown"])
    # pins (or clusters of them) are drawn, and the tiles came from the test server
    wait_until(phone, "document.querySelectorAll('#results-map .leaflet-marker-icon').length > 0")
    wait_until(phone, "document.querySelectorAll('#results-map img.leaflet-tile-loaded').length > 0")
    assert demo_app.config["MAP_TEST_TILE_REQUESTS"]
    summary = phone.inner_text("#map-summary")
    assert f"{expected['total']} 件のうち {expected['shown']} 件" in summary
    # the list is still there below the map, and nothing overflows the phone's width
    assert phone.locator("ol.results > li").count() > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    box = phone.locator("#results-map").bounding_box()
    assert box["width"] <= 390 and box["height"] >= 300


MARKERS = "#results-map .leaflet-marker-icon"
NOT_MOVING = "!document.querySelector('#results-map .leaflet-zoom-anim')"


def _open_pin_card(phone, activate):
    """Split clusters until single pins show, then open a pin's card (each step waits for the map to settle)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    for _ in range(8):
        if phone.locator(MARKERS + ":not(.marker-cluster)").count():
            break
        activate(phone.locator(MARKERS).first)
        wait_until(phone, NOT_MOVING, timeout=10)
    for _ in range(3):
        wait_until(phone, NOT_MOVING, timeout=10)
        activate(phone.locator(MARKERS + ":not(.marker-cluster)").first)
        try:
            phone.locator(".leaflet-popup .map-card-title a").wait_for(timeout=5000)
            return phone.locator(".leaflet-popup .map-card-title a")
        except PlaywrightTimeout:
            continue
    raise AssertionError("no pin's card opened")


def _press_enter(phone):
    def activate(element):
        element.focus()
        phone.keyboard.press("Enter")
    return activate


def test_pins_are_reachable_by_keyboard_and_open_a_card(live, phone):
    phone.goto(live.url + FILTERED)
    wait_until(phone, "document.getElementById('results-map').dataset.pins")
    wait_until(phone, f"document.querySelectorAll('{MARKERS}').length > 0")
    assert phone.locator(MARKERS).first.get_attribute("tabindex") == "0"
    link = _open_pin_card(phone, _press_enter(phone))
    href = link.get_attribute("href")
    assert href.startswith("/facilities/")
    with phone.expect_navigation():
        link.press("Enter")
    assert phone.url == live.url + href
    # and by tap/click
    phone.goto(live.url + FILTERED)
    wait_until(phone, "document.getElementById('results-map').dataset.pins")
    wait_until(phone, f"document.querySelectorAll('{MARKERS}').length > 0")
    link = _open_pin_card(phone, lambda element: element.click())
    href = link.get_attribute("href")
    link.click()
    phone.wait_for_url("**" + href, timeout=5000)


def test_the_users_position_when_allowed(live, phone):
    phone.goto(live.url + FILTERED)
    wait_until(phone, "document.getElementById('results-map').dataset.pins")
    phone.click("#map-locate")
    wait_until(phone, "document.querySelector('#results-map path.map-you') !== null")


def test_facility_page_map(live, phone):
    phone.goto(live.url + "/facilities/KP-000001")
    wait_until(phone, "document.getElementById('facility-map').dataset.pins === '1'")
    assert phone.locator("#facility-map .leaflet-marker-icon").count() == 1


def test_map_view_has_no_accessibility_violations(demo_app, browser, live):
    if not os.path.exists(AXE):
        pytest.fail("axe-core is missing: run `make test` (it runs npm ci)")
    context = browser.new_context(**PHONE, bypass_csp=True)  # only so the test can inject axe
    page = context.new_page()
    try:
        for path in (FILTERED, "/facilities/KP-000001", "/help/nationwide", "/help/nationwide/kanagawa"):
            page.goto(live.url + path)
            if "view=map" in path:
                wait_until(page, "document.querySelectorAll('#results-map .leaflet-marker-icon').length > 0")
            page.add_script_tag(path=AXE)
            violations = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""")
            assert violations == [], (path, violations)
    finally:
        context.close()
