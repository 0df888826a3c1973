"""全国共通展開 (nationwide mutual use): the per-facility flag through every way in (CSV, registration form,
admin edit), on the facility page, as a search and API filter, and the help pages with the prefecture list
(validated when loaded)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from webapp.domain.facility_record import parse_flag
from webapp.extensions import db
from webapp.facilities.csvio import NATIONWIDE_COL, export_csv, import_csv
from webapp.facilities.importing import load_records
from webapp.help.nationwide import (DATA_FILE, NationwideDataError, load_prefecture_list,
                                    parse_prefecture_list, prefecture_list)
from webapp.models import Facility

from .test_csv_io import _csv, _row


def _raw(external_id, name, accepts, **kw):
    raw = {"external_id": external_id, "name": name, "category": "restaurant", "municipality": "142051",
           "address": "藤沢市辻堂1-1", "lat": "35.33", "lon": "139.45", "accepts_other_prefectures": accepts}
    raw.update(kw)
    return raw


@pytest.fixture
def places(ref_app):
    with ref_app.app_context():
        report = load_records(db.session, [_raw("N-1", "ぜんこく食堂", "1"), _raw("N-2", "けんない食堂", "0")])
        assert not report.errors
        db.session.commit()
    return ref_app


def _flag(app, external_id):
    with app.app_context():
        return db.session.scalar(select(Facility.accepts_other_prefectures)
                                 .where(Facility.external_id == external_id))


@pytest.mark.parametrize("value,expected", [("1", True), ("はい", True), ("可", True), ("○", True), ("TRUE", True),
                                            ("0", False), ("", False), (None, False), ("いいえ", False),
                                            ("不可", False), (True, True)])
def test_flag_values(value, expected):
    assert parse_flag(value) is expected


def test_bad_flag_is_refused_with_its_field(ref_app):
    with ref_app.app_context():
        report = load_records(db.session, [_raw("N-9", "ななし", "たぶん")])
        assert report.errors == [(1, "accepts_other_prefectures", "Write yes or no (1 or 0).")]
        assert db.session.scalar(select(Facility).where(Facility.external_id == "N-9")) is None


def test_csv_column_imports_and_exports(ref_app):
    with ref_app.app_context():
        rows = [_row("C-1", "ぜんこくカフェ", **{NATIONWIDE_COL: "はい"}), _row("C-2", "けんないカフェ")]
        report = import_csv(db.session, _csv(rows).encode("utf-8"))
        assert not report.errors
        db.session.commit()
        text = export_csv(db.session)
    assert _flag(ref_app, "C-1") is True and _flag(ref_app, "C-2") is False
    header, *lines = text.lstrip("\ufeff").splitlines()
    assert header.split(",")[-1] == NATIONWIDE_COL
    by_id = {line.split(",")[header.split(",").index("施設ID")]: line for line in lines}
    assert by_id["C-1"].endswith(",1") and by_id["C-2"].endswith(",0")


def test_search_filter_counts_and_chip(places):
    client = places.test_client()
    page = client.get("/search", query_string={"q": "食堂"}).get_data(as_text=True)
    assert 'name="nationwide" value="1"' in page  # offered, with its count
    page = client.get("/search", query_string={"q": "食堂", "nationwide": "1"}).get_data(as_text=True)
    assert "ぜんこく" in page and "けんない" not in page
    assert "他の都道府県のパスポートも利用可" in page  # the active-filter chip


def test_api_filter(places):
    client = places.test_client()
    data = client.get("/api/v1/facilities", query_string={"q": "食堂", "nationwide": "1"}).get_json()
    assert [i["id"] for i in data["items"]] == ["N-1"]
    assert data["facets"]["nationwide"] == {"1": 1}
    assert client.get("/api/v1/facilities", query_string={"q": "食堂"}).get_json()["total"] == 2
    bad = client.get("/api/v1/facilities", query_string={"nationwide": "yes"})
    assert bad.status_code == 400 and bad.get_json()["error"]["parameter"] == "nationwide"


def test_facility_page_says_it(places):
    client = places.test_client()
    yes = client.get("/facilities/N-1").get_data(as_text=True)
    no = client.get("/facilities/N-2").get_data(as_text=True)
    assert "他の都道府県の子育て支援パスポートもご利用いただけます" in yes and 'href="/help/nationwide"' in yes
    assert "他の都道府県の子育て支援パスポートもご利用いただけます" not in no


def test_admin_edit_sets_and_clears_it(places, browserish):
    from .test_registration_helpers import staff
    staff(places, browserish)
    form = browserish.get("/admin/facilities/N-2").get_data(as_text=True)
    assert 'name="accepts_other_prefectures"' in form
    data = {"name": "けんない食堂", "category": "restaurant", "municipality": "142051", "address": "藤沢市辻堂1-1",
            "lat": "35.33", "lon": "139.45", "accepts_other_prefectures": "y"}
    r = browserish.submit("/admin/facilities/N-2", data)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert _flag(places, "N-2") is True
    data.pop("accepts_other_prefectures")
    assert browserish.submit("/admin/facilities/N-2", data).status_code == 302
    assert _flag(places, "N-2") is False


def test_the_registration_form_answer_reaches_the_facility(browserish, smtp, site):
    from .test_registration_helpers import application, apply, staff
    from .test_registration_review import app_row, approve
    apply(type(browserish)(site.test_client()), application(other_prefectures="y"))
    app = app_row(site)
    staff(site, browserish)
    assert approve(browserish, app.id).status_code == 302
    with site.app_context():
        f = db.session.scalar(select(Facility).order_by(Facility.id.desc()))
        assert f.accepts_other_prefectures is True
        assert not f.notes  # the flag has its own column now, not a sentence in the notes
    hits = browserish.client.get("/api/v1/facilities", query_string={"nationwide": "1"}).get_json()
    assert f.external_id in [i["id"] for i in hits["items"]]


def test_help_pages(ref_app):
    client = ref_app.test_client()
    assert 'href="/help/nationwide"' in client.get("/help/").get_data(as_text=True)
    page = client.get("/help/nationwide").get_data(as_text=True)
    assert "全国共通展開" in page and 'href="/search?nationwide=1"' in page
    assert "県外の方は登録できません" in page  # the passport is for Kanagawa residents (seed FAQ)
    kanagawa = client.get("/help/nationwide/kanagawa").get_data(as_text=True)
    assert "事務局で確認中" in kanagawa  # the shipped list is not confirmed yet: nothing listed as fact
    en = client.get("/help/nationwide/kanagawa?lang=en")
    assert en.status_code == 200


def test_shipped_prefecture_list_is_valid_and_marked_unconfirmed():
    data = load_prefecture_list(DATA_FILE)
    assert data.version == 1 and data.confirmed is False and data.prefectures == ()
    raw = json.load(open(DATA_FILE, encoding="utf-8"))
    assert "TO BE CONFIRMED" in raw["note"]


GOOD = {"version": 1, "updated": "2027-04-01", "status": "confirmed", "source": "programme office",
        "prefectures": [{"code": "13", "name": "東京都", "name_en": "Tokyo", "url": "https://example.jp/tokyo"},
                        {"code": "01", "name": "北海道", "name_en": "Hokkaido", "passport_name": "どさんこ"}]}


def test_a_confirmed_list_is_shown_in_code_order(ref_app, monkeypatch):
    from webapp.help import nationwide
    monkeypatch.setattr(nationwide, "prefecture_list", lambda: parse_prefecture_list(GOOD))
    page = ref_app.test_client().get("/help/nationwide/kanagawa").get_data(as_text=True)
    assert page.index("北海道") < page.index("東京都") and 'href="https://example.jp/tokyo"' in page
    assert "事務局で確認中" not in page and "programme office" in page


@pytest.mark.parametrize("change,message", [
    ({"version": 2}, "version"),
    ({"updated": "soon"}, "updated"),
    ({"status": "maybe"}, "status"),
    ({"source": None}, "source"),
    ({"prefectures": {}}, "list"),
    ({"prefectures": [{"code": "14", "name": "神奈川県", "name_en": "Kanagawa"}]}, "Kanagawa"),
    ({"prefectures": [{"code": "48", "name": "東京都", "name_en": "Tokyo"}]}, "code"),
    ({"prefectures": [{"code": "13", "name": "東京", "name_en": "Tokyo"}]}, "name"),
    ({"prefectures": [{"code": "13", "name": "東京都", "name_en": ""}]}, "name_en"),
    ({"prefectures": [{"code": "13", "name": "東京都", "name_en": "Tokyo", "url": "http://x"}]}, "https"),
    ({"prefectures": [{"code": "13", "name": "東京都", "name_en": "Tokyo", "since": "2016"}]}, "unknown"),
    ({"prefectures": [{"code": "13", "name": "東京都", "name_en": "Tokyo"}] * 2}, "duplicate"),
])
def test_bad_prefecture_lists_are_refused(change, message):
    with pytest.raises(NationwideDataError, match=message):
        parse_prefecture_list(dict(GOOD, **change))


def test_broken_json_is_refused(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text("{", encoding="utf-8")
    with pytest.raises(NationwideDataError, match="not valid JSON"):
        load_prefecture_list(str(p))
    prefecture_list.cache_clear()


def test_api_items_carry_the_flag_and_the_openapi_document_names_the_filter(places):
    client = places.test_client()
    item = client.get("/api/v1/facilities/N-1").get_json()
    assert item["accepts_other_prefectures"] is True and item["location"]["approximate"] is False
    doc = client.get("/api/v1/openapi.json").get_json()
    names = [p["name"] for p in doc["paths"]["/api/v1/facilities"]["get"]["parameters"]]
    assert "nationwide" in names
