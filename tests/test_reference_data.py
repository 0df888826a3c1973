"""Checks on the data files: reference code lists, Matsumoto coupon contacts, demo facilities, synthesiser.

Plain JSON checks, no app or database needed."""
from __future__ import annotations

import collections
import importlib.util
import json
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "webapp", "reference")
DEMO = os.path.join(ROOT, "webapp", "demo")
MATSUMOTO = os.path.join(ROOT, "contacts", "data", "matsumoto.json")

YOKOHAMA, MATSUMOTO_CODE = "141003", "202029"
PHONE = re.compile(r"^0\d{1,4}-\d{1,4}-\d{4}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
WEEK = "月火水木金土日"
KATAKANA_READING = re.compile(r"^[\u30A0-\u30FF\s0-9A-Za-z・ー（）()&＆.\-]+$")


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def municipalities():
    return _load(os.path.join(REFERENCE, "municipalities.json"))


@pytest.fixture(scope="module")
def categories():
    return _load(os.path.join(REFERENCE, "categories.json"))


@pytest.fixture(scope="module")
def amenities():
    return _load(os.path.join(REFERENCE, "amenities.json"))


@pytest.fixture(scope="module")
def benefit_kinds():
    return _load(os.path.join(REFERENCE, "benefit_kinds.json"))


@pytest.fixture(scope="module")
def matsumoto():
    return _load(MATSUMOTO)


@pytest.fixture(scope="module")
def facilities():
    return _load(os.path.join(DEMO, "facilities.json"))


@pytest.fixture(scope="module")
def synth():
    """webapp/demo/synth.py loaded from its file, so the test does not need the Flask package."""
    spec = importlib.util.spec_from_file_location("_synth_under_test", os.path.join(DEMO, "synth.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_digit(code5: str) -> int:
    """JIS X 0401/0402 check digit of a five-digit local government code."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


# ------------------------------------------------------------------ the check-digit rule itself

@pytest.mark.parametrize("code", ["011002", "131016", "131041", "141003", "141500", "142131", "202029", "271004"])
def test_check_digit_rule_matches_known_codes(code):
    # Sapporo, Chiyoda, Shinjuku (remainder 0), Yokohama, Sagamihara (remainder 1), Yamato (remainder 10),
    # Matsumoto, Osaka.
    assert check_digit(code[:5]) == int(code[5])


# ------------------------------------------------------------------ municipalities

def test_municipalities(municipalities):
    assert len(municipalities) == 34
    codes = [m["code"] for m in municipalities]
    assert len(set(codes)) == 34
    for m in municipalities:
        assert re.fullmatch(r"\d{6}", m["code"]), m
        assert check_digit(m["code"][:5]) == int(m["code"][5]), m["name"]
        assert re.fullmatch(r"[\u3041-\u3096ー]+", m["kana"]), m["kana"]
        assert m["name_en"] and m["name_en"].isascii()
        assert 4 <= len(m["towns"]) <= 8 or m["code"] in ("143839", "144029"), m["name"]
        assert len(set(m["towns"])) == len(m["towns"])
        assert 35.0 < m["lat"] < 36.5 and 137.5 < m["lon"] < 140.0
    kanagawa = [m for m in municipalities if m["prefecture"] == "神奈川県"]
    assert len(kanagawa) == 33
    assert [m["code"] for m in kanagawa] == sorted(m["code"] for m in kanagawa)
    assert municipalities[-1]["code"] == MATSUMOTO_CODE and municipalities[-1]["prefecture"] == "長野県"


def test_only_yokohama_and_matsumoto_are_not_eligible(municipalities):
    by_code = {m["code"]: m for m in municipalities}
    assert by_code[YOKOHAMA]["name"] == "横浜市" and by_code[YOKOHAMA]["facility_eligible"] is False
    assert by_code[MATSUMOTO_CODE]["name"] == "松本市" and by_code[MATSUMOTO_CODE]["facility_eligible"] is False
    assert sum(1 for m in municipalities if m["facility_eligible"] is True) == 32
    assert by_code["142077"]["name"] == "茅ヶ崎市"


# ------------------------------------------------------------------ code lists

def test_categories(categories):
    assert [c["code"] for c in categories] == [
        "restaurant", "retail", "leisure", "education", "medical", "beauty", "lodging", "public", "finance",
        "transport", "services", "childcare", "other"]
    for c in categories:
        assert c["name"] and c["name_en"] and c["kana"]


def test_amenities(amenities):
    assert len(amenities) == 8
    assert len({a["code"] for a in amenities}) == 8
    all_names = [a["name"] for a in amenities] + [x for a in amenities for x in a["aliases"]]
    assert len(all_names) == len(set(all_names)), "an alias may point at one amenity only"
    for a in amenities:
        assert a["name"] and a["name_en"] and a["kana"] and a["aliases"]


def test_benefit_kinds(benefit_kinds):
    assert [b["code"] for b in benefit_kinds] == ["otoku", "kokorokubari", "setsubi"]
    for b in benefit_kinds:
        assert b["name"] and b["name_en"] and b["description"] and b["description_en"]


# ------------------------------------------------------------------ Matsumoto coupon contacts

def test_matsumoto_services_and_places(matsumoto):
    assert matsumoto["version"] == 1
    services = matsumoto["services"]
    places = {p["id"]: p for p in matsumoto["places"]}
    assert len(services) == 8
    assert len(places) == len(matsumoto["places"]), "place ids are unique"
    codes = {s["code"] for s in services}
    for s in services:
        assert s["name"] and s["name_en"] and s["kana"] and s["description"] and s["description_en"]
        assert s["contacts"], s["code"]
        for pid in s["contacts"]:
            assert pid in places, pid
            assert s["code"] in places[pid]["services"]
    for p in places.values():
        assert PHONE.match(p["phone"]), p
        assert p["kind"] in ("department", "provider")
        assert set(p["services"]) <= codes
        assert "address" not in p, "the seed gives no address for the city's own places"


def test_matsumoto_contacts_follow_the_seed(matsumoto):
    services = {s["code"]: s for s in matsumoto["services"]}
    places = {p["id"]: p for p in matsumoto["places"]}
    temporary = services["temporary_care"]["contacts"]
    assert places[temporary[0]]["name"] == "保育課"
    assert len(temporary) == 13
    assert all(places[p]["kind"] == "provider" for p in temporary[1:])
    assert places[services["mama_help"]["contacts"][0]]["phone"] == "0263-34-3217"
    assert [places[p]["phone"] for p in services["convalescent_care"]["contacts"]] == [
        "0263-34-3261", "0263-29-3400", "0263-32-6315"]


def test_matsumoto_support_center(matsumoto):
    sc = matsumoto["support_center"]
    assert sc["phone"] == "026-262-1378" and PHONE.match(sc["phone"])
    assert "南千歳" in sc["address"]
    assert sc["hours"] == {"weekdays": [0, 1, 2, 3, 4], "periods": [["10:00", "12:00"], ["13:00", "17:00"]],
                           "closed_on_holidays": True}


# ------------------------------------------------------------------ demo facilities

def _check_facility(r, munis, categories, amenities, kinds):
    assert r["category"] in categories, r["external_id"]
    assert r["municipality"] in munis, r["external_id"]
    m = munis[r["municipality"]]
    assert m["facility_eligible"], r["external_id"]
    assert set(r["amenities"]) <= amenities, r["external_id"]
    assert len(set(r["amenities"])) == len(r["amenities"])
    assert r["benefits"] and set(r["benefits"]) <= kinds, r["external_id"]
    assert all(isinstance(v, str) and v for v in r["benefits"].values())
    assert abs(r["lat"] - m["lat"]) <= 0.08 and abs(r["lon"] - m["lon"]) <= 0.08, r["external_id"]
    assert r["open_days"] and all(d in WEEK for d in r["open_days"]), r["external_id"]
    assert "".join(sorted(r["open_days"], key=WEEK.index)) == r["open_days"], "weekdays in order"
    assert len(set(r["open_days"])) == len(r["open_days"])
    assert HHMM.match(r["opens"]) and HHMM.match(r["closes"]), r["external_id"]
    assert PHONE.match(r["phone"]), r["external_id"]
    assert r["address"].startswith(m["name"]), r["external_id"]
    assert r["name"] and r["description"]


def test_demo_facilities(facilities, municipalities, categories, amenities, benefit_kinds):
    munis = {m["code"]: m for m in municipalities}
    cats = {c["code"] for c in categories}
    amens = {a["code"] for a in amenities}
    kinds = {b["code"] for b in benefit_kinds}
    assert 320 <= len(facilities) <= 400
    ids = [r["external_id"] for r in facilities]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"KP-\d{6}", i) for i in ids)
    for r in facilities:
        _check_facility(r, munis, cats, amens, kinds)
        assert KATAKANA_READING.match(r["name_kana"]), r["name_kana"]
        assert r["url"] is None or re.match(r"^https://example\.(jp|com)/", r["url"]), r["url"]
        assert "2008-01-01" <= r["registered_on"] <= "2026-10-31"
        m = munis[r["municipality"]]
        assert any(r["address"][len(m["name"]):].startswith(t) for t in m["towns"]), r["address"]
    assert not any(r["municipality"] == YOKOHAMA for r in facilities)


def test_demo_spread(facilities, municipalities, categories):
    per_muni = collections.Counter(r["municipality"] for r in facilities)
    per_cat = collections.Counter(r["category"] for r in facilities)
    for m in municipalities:
        if m["facility_eligible"]:
            assert per_muni[m["code"]] >= 3, m["name"]
    for c in categories:
        assert per_cat[c["code"]] >= 8, c["code"]


AMENITY_WORDS = {
    "nursing_room": ("授乳", "ベビールーム"),
    "hot_water": ("お湯", "給湯"),
    "diaper_changing": ("おむつ",),
    "kids_space": ("キッズスペース", "キッズコーナー", "プレイルーム", "遊び場"),
    "kids_toilet": ("子ども用トイレ", "キッズトイレ", "補助便座"),
    "stroller_rental": ("ベビーカー",),
    "kids_chair": ("いす", "チェア"),
    "priority_parking": ("駐車場",),
}


def test_demo_amenities_match_the_benefit_texts(facilities):
    for r in facilities:
        text = "".join(r["benefits"].values())
        setsubi = r["benefits"].get("setsubi", "")
        for code in r["amenities"]:
            assert any(w in text for w in AMENITY_WORDS[code]), (r["external_id"], code)
        if "お湯" in text:
            assert "hot_water" in r["amenities"], r["external_id"]
        for code in ("nursing_room", "diaper_changing", "kids_space", "kids_toilet", "priority_parking"):
            if any(w in setsubi for w in AMENITY_WORDS[code]):
                assert code in r["amenities"], (r["external_id"], code, setsubi)


# ------------------------------------------------------------------ synthesiser

def test_synth_generates_demo_shaped_records(synth, facilities, municipalities, categories, amenities,
                                             benefit_kinds):
    rows = list(synth.generate(1000))
    assert len(rows) == 1000
    assert len({r["external_id"] for r in rows}) == 1000
    keys = list(facilities[0].keys())
    munis = {m["code"]: m for m in municipalities}
    cats = {c["code"] for c in categories}
    amens = {a["code"] for a in amenities}
    kinds = {b["code"] for b in benefit_kinds}
    for r in rows:
        assert list(r.keys()) == keys
        _check_facility(r, munis, cats, amens, kinds)
        assert 30 <= len(r["description"]) <= 120
        assert all(30 <= len(v) <= 120 for v in r["benefits"].values())


def test_synth_is_deterministic(synth):
    assert list(synth.generate(50, seed=7)) == list(synth.generate(50, seed=7))
    assert list(synth.generate(50, seed=7)) != list(synth.generate(50, seed=8))
    assert [r["external_id"] for r in synth.generate(3)] == ["SYN-0000001", "SYN-0000002", "SYN-0000003"]
