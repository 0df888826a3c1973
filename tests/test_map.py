"""The map view's server side: pins come from the same search as the list and the API, the view stays in the
URL, the tile host is allowed by the CSP, and the local test tile exists only in tests."""
from __future__ import annotations

from webapp import create_app
from webapp.security import CSP, csp_for

FILTERED = {"category": "restaurant", "amenity": "nursing_room"}


def test_pins_are_the_same_search_as_the_api(demo_client):
    pins = demo_client.get("/search/pins.json", query_string=FILTERED).get_json()
    api = demo_client.get("/api/v1/facilities", query_string=dict(FILTERED, per_page=100)).get_json()
    assert pins["total"] == api["total"] > 0
    with_location = [i["id"] for i in api["items"] if i["location"]]
    assert [p["id"] for p in pins["pins"]] == with_location[:len(pins["pins"])]
    assert pins["shown"] == len(pins["pins"]) and pins["truncated"] is False
    pin = pins["pins"][0]
    assert set(pin) == {"id", "name", "lat", "lon", "approximate", "meta", "url"}
    assert pin["url"] == f"/facilities/{pin['id']}"


def test_pins_follow_the_query_text(demo_client):
    api = demo_client.get("/api/v1/facilities", query_string={"q": "カフェ"}).get_json()
    pins = demo_client.get("/search/pins.json", query_string={"q": "カフェ", "view": "map", "page": "3"}).get_json()
    assert pins["total"] == api["total"]


def test_pins_are_capped(demo_app, demo_client):
    demo_app.config["MAP_MAX_PINS"] = 3
    try:
        pins = demo_client.get("/search/pins.json").get_json()
    finally:
        demo_app.config["MAP_MAX_PINS"] = 1000
    assert pins["shown"] <= 3 and pins["truncated"] is True and pins["total"] > 3


def test_map_view_keeps_the_search_in_every_link(demo_client):
    page = demo_client.get("/search", query_string=dict(FILTERED, view="map")).get_data(as_text=True)
    assert 'id="results-map"' in page and "/static/vendor/leaflet/leaflet.js" in page
    assert 'data-pins-url="/search/pins.json?category=restaurant&amp;amenity=nursing_room"' in page
    assert 'data-tile-url="/_test/tiles/{z}/{x}/{y}.png"' in page
    assert page.count('<input type="hidden" name="view" value="map">') == 3  # search box, sort, filters
    assert 'view=map" aria-current="page">地図</a>' in page
    assert 'href="/search?category=restaurant&amp;amenity=nursing_room">リスト</a>' in page
    assert '<ol class="results"' in page  # the list stays, as the map's text alternative
    plain = demo_client.get("/search", query_string=FILTERED).get_data(as_text=True)
    assert 'id="results-map"' not in plain and "leaflet.js" not in plain
    assert 'view=map' in plain


def test_facility_page_shows_its_location(demo_client):
    page = demo_client.get("/facilities/KP-000001").get_data(as_text=True)
    assert 'id="facility-map"' in page and "data-lat=" in page and "/static/js/map.js" in page


def test_vendor_files_are_served_with_their_licences(demo_client):
    for path in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/LICENSE",
                 "vendor/leaflet/images/marker-icon.png", "vendor/leaflet.markercluster/leaflet.markercluster.js",
                 "vendor/leaflet.markercluster/MIT-LICENCE.txt", "js/map.js", "css/map.css"):
        r = demo_client.get("/static/" + path)
        assert r.status_code == 200, path
        r.close()


def test_csp_allows_the_configured_tile_host_only():
    gsi = csp_for("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://cyberjapandata.gsi.go.jp;" in gsi
    assert csp_for("/_test/tiles/{z}/{x}/{y}.png") == CSP
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in csp_for(
        "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "script-src 'self';" in gsi and "connect-src 'self';" in gsi


def test_default_tiles_are_gsi_with_attribution(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40})
    assert app.config["MAP_TILE_URL"].startswith("https://cyberjapandata.gsi.go.jp/xyz/std/")
    assert "地理院タイル" in app.config["MAP_TILE_ATTRIBUTION"]
    r = app.test_client().get("/static/js/map.js")
    assert "cyberjapandata.gsi.go.jp" in r.headers["Content-Security-Policy"]
    r.close()
    assert app.test_client().get("/_test/tiles/1/1/1.png").status_code == 404  # test tile: tests only


def test_local_test_tile_is_a_png(demo_client):
    r = demo_client.get("/_test/tiles/10/908/403.png")
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data.startswith(b"\x89PNG")
