"""The JSON API."""
import jaconv
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Facility


def _first(app):
    with app.app_context():
        f = db.session.scalars(select(Facility).where(Facility.programme == "passport")
                               .order_by(Facility.external_id)).first()
        return f.external_id, f.name_kana, f.category_code, f.municipality_code


def test_search_shape_and_facets(demo_app, demo_client):
    ext_id, kana, category, area = _first(demo_app)
    r = demo_client.get("/api/v1/facilities", query_string={"q": jaconv.kata2hira(kana), "per_page": 5})
    data = r.get_json()
    assert r.status_code == 200
    assert set(data) >= {"total", "page", "per_page", "items", "facets"}
    assert data["page"] == 1 and data["per_page"] == 5 and data["total"] >= 1
    assert ext_id in [i["id"] for i in data["items"]]
    item = data["items"][0]
    assert {"id", "name", "name_kana", "category", "municipality", "address"} <= set(item)
    assert set(data["facets"]) >= {"programme", "category", "benefit", "amenity", "area"}


def test_repeatable_filters_and_paging(demo_app, demo_client):
    _, _, category, area = _first(demo_app)
    all_in_cat = demo_client.get("/api/v1/facilities", query_string={"category": category, "per_page": 100}).get_json()
    assert all_in_cat["total"] > 0 and all(i["category"]["code"] == category for i in all_in_cat["items"])
    two = demo_client.get("/api/v1/facilities?category=%s&category=retail&per_page=100" % category).get_json()
    assert two["total"] >= all_in_cat["total"]
    p1 = demo_client.get("/api/v1/facilities", query_string={"per_page": 3, "page": 1, "sort": "kana"}).get_json()
    p2 = demo_client.get("/api/v1/facilities", query_string={"per_page": 3, "page": 2, "sort": "kana"}).get_json()
    assert not {i["id"] for i in p1["items"]} & {i["id"] for i in p2["items"]}


def test_nearest_sort(demo_client):
    data = demo_client.get("/api/v1/facilities", query_string={"sort": "nearest", "lat": 35.3387, "lon": 139.4875,
                                                                 "per_page": 10}).get_json()
    distances = [i["distance_km"] for i in data["items"]]
    assert distances == sorted(distances) and distances[0] < 5
    by_area = demo_client.get("/api/v1/facilities", query_string={"sort": "nearest", "near": "143821"}).get_json()
    assert by_area["items"][0]["municipality"]["code"] in ("143821", "143847", "142069")


def test_bad_parameters_give_400_naming_the_parameter(demo_client):
    for qs, param in [({"category": "nope"}, "category"), ({"page": "0"}, "page"), ({"per_page": "1000"}, "per_page"),
                      ({"lat": "91", "lon": "139"}, "lat"), ({"lat": "35"}, "lon"), ({"sort": "best"}, "sort"),
                      ({"sort": "nearest"}, "sort"), ({"bogus": "1"}, "bogus"), ({"q": "x" * 300}, "q"),
                      ({"area": "141003x"}, "area"), ({"open_now": "maybe"}, "open_now")]:
        r = demo_client.get("/api/v1/facilities", query_string=qs)
        assert r.status_code == 400, qs
        assert r.get_json()["error"]["parameter"] == param, qs


def test_detail_and_404(demo_app, demo_client):
    ext_id, *_ = _first(demo_app)
    data = demo_client.get(f"/api/v1/facilities/{ext_id}").get_json()
    assert data["id"] == ext_id and "benefits" in data and "valid_until" in data
    r = demo_client.get("/api/v1/facilities/NOPE")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


def test_openapi_document_lists_parameters(demo_client):
    doc = demo_client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    names = {p["name"] for p in doc["paths"]["/api/v1/facilities"]["get"]["parameters"]}
    assert {"q", "category", "benefit", "amenity", "area", "programme", "sort", "lat", "lon", "page",
            "per_page"} <= names


def test_filters_accept_names_and_english_names(demo_client):
    """Issue 9.8: area=鎌倉市 (or 鎌倉, Kamakura, かまくらし), category and amenity names work like codes."""
    def ids(**qs):
        r = demo_client.get("/api/v1/facilities", query_string={"per_page": 100, **qs})
        assert r.status_code == 200, (qs, r.get_json())
        return sorted(i["id"] for i in r.get_json()["items"])

    by_code = ids(area="142042")
    assert by_code
    for name in ("鎌倉市", "鎌倉", "Kamakura", "kamakura", "かまくらし", "ＫＡＭＡＫＵＲＡ"):
        assert ids(area=name) == by_code, name
    assert ids(category="飲食店") == ids(category="restaurant") == ids(category="Restaurants & cafés")
    assert ids(amenity="授乳室") == ids(amenity="nursing_room") == ids(amenity="Nursing room")
    assert ids(amenity="授乳室,おむつ替え") == ids(amenity=["nursing_room", "diaper_changing"])
    assert ids(benefit="Savings") == ids(benefit="otoku")
    near = demo_client.get("/api/v1/facilities", query_string={"sort": "nearest", "near": "箱根町"}).get_json()
    assert near["items"][0]["municipality"]["code"] in ("143821", "143847", "142069")


def test_unknown_filter_value_lists_the_allowed_values(demo_client):
    r = demo_client.get("/api/v1/facilities", query_string={"area": "鎌倉駅"})
    err = r.get_json()["error"]
    assert r.status_code == 400 and err["parameter"] == "area"
    assert "142042" in err["allowed"] and "142042" in err["message"] and "Kamakura" in err["message"]
    r = demo_client.get("/api/v1/facilities", query_string={"amenity": "pool"})
    err = r.get_json()["error"]
    assert err["parameter"] == "amenity" and "nursing_room" in err["allowed"] and "nursing_room" in err["message"]
    assert set(err["allowed"]) >= {"nursing_room", "diaper_changing", "kids_space"}
