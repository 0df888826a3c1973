"""Geocoding facilities that come without coordinates: the offline municipality geocoder (approximate, said so
on the page), a configured geocoder by dotted path, and estimates that stay estimates through edits."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.facilities.csvio import export_csv, export_geojson
from webapp.facilities.importing import load_records
from webapp.geocoding import (FallbackGeocoder, Geocoder, Location, MunicipalityGeocoder, import_object,
                              make_geocoder, reference_points)
from webapp.models import Facility
from webapp.reference import load_all

FUJISAWA, CHIGASAKI = "142051", "142077"


def _muni(code):
    return next(m for m in load_all()["municipalities"] if m["code"] == code)


def _raw(**kw):
    raw = {"external_id": "G-1", "name": "テスト ことり食堂", "category": "restaurant", "municipality": FUJISAWA,
           "address": "藤沢市辻堂1-1"}
    raw.update(kw)
    return raw


def _facility(external_id="G-1") -> Facility:
    return db.session.scalar(select(Facility).where(Facility.external_id == external_id))


class ExactGeocoder:
    """A stand-in for a real geocoding service: one known address, exact."""

    def __init__(self, config):
        self.calls = []

    def geocode(self, address, municipality_code):
        self.calls.append(address)
        if address == "藤沢市辻堂1-1":
            return Location(35.3201, 139.4470, approximate=False)
        return None


def exact_factory(config):
    return ExactGeocoder(config)


class Broken:
    def geocode(self, address, municipality_code):
        raise ConnectionError("service down")


def test_every_municipality_has_a_point_in_the_reference_data():
    points = reference_points()
    assert set(points) == {m["code"] for m in load_all()["municipalities"]}
    for lat, lon in points.values():
        assert 35.0 < lat < 36.5 and 137.5 < lon < 140.0


def test_offline_geocoder_gives_the_municipality_point_marked_approximate():
    g = MunicipalityGeocoder(reference_points())
    assert isinstance(g, Geocoder)
    m = _muni(FUJISAWA)
    assert g.geocode("藤沢市辻堂1-1", FUJISAWA) == Location(m["lat"], m["lon"], approximate=True)
    assert g.geocode("どこか", "999999") is None


def test_a_failing_geocoder_falls_back_to_the_municipality():
    g = FallbackGeocoder(Broken(), MunicipalityGeocoder(reference_points()))
    assert g.geocode("藤沢市辻堂1-1", FUJISAWA).approximate is True


def test_dotted_paths():
    assert import_object("tests.test_geocoding:exact_factory") is exact_factory
    assert import_object("tests.test_geocoding.exact_factory") is exact_factory
    with pytest.raises(ValueError):
        import_object("nodots")
    with pytest.raises(TypeError):
        make_geocoder({}, "tests.test_geocoding:_raw")  # returns a dict, not a geocoder


def test_a_facility_without_coordinates_gets_the_approximate_point(ref_app):
    with ref_app.app_context():
        load_records(db.session, [_raw()])
        db.session.commit()
        f = _facility()
        m = _muni(FUJISAWA)
        assert (f.latitude, f.longitude, f.location_approximate) == (m["lat"], m["lon"], True)
    page = ref_app.test_client().get("/facilities/G-1").get_data(as_text=True)
    assert 'id="facility-map"' in page and 'data-approximate="1"' in page
    assert "おおよその位置です" in page and "藤沢市の代表点" in page


def test_given_coordinates_are_exact(ref_app):
    with ref_app.app_context():
        load_records(db.session, [_raw(lat="35.3301", lon="139.4501")])
        db.session.commit()
        f = _facility()
        assert (f.latitude, f.longitude, f.location_approximate) == (35.3301, 139.4501, False)
    page = ref_app.test_client().get("/facilities/G-1").get_data(as_text=True)
    assert 'data-approximate=""' in page and "おおよその位置です" not in page


def test_an_estimate_stays_an_estimate_until_real_coordinates_come(ref_app):
    with ref_app.app_context():
        load_records(db.session, [_raw()])
        f = _facility()
        lat, lon = f.latitude, f.longitude
        # an edit that sends the estimated coordinates back unchanged (the admin form shows them)
        load_records(db.session, [_raw(lat=repr(lat), lon=repr(lon), name="テスト ことり食堂 本店")])
        assert _facility().location_approximate is True
        # moving to another municipality estimates again there
        load_records(db.session, [_raw(lat=repr(lat), lon=repr(lon), municipality=CHIGASAKI,
                                       address="茅ヶ崎市元町1-1")])
        f = _facility()
        m = _muni(CHIGASAKI)
        assert (f.latitude, f.longitude, f.location_approximate) == (m["lat"], m["lon"], True)
        # real coordinates replace the estimate
        load_records(db.session, [_raw(lat="35.3301", lon="139.4501", municipality=CHIGASAKI)])
        assert _facility().location_approximate is False
        db.session.commit()


def test_exports_leave_estimates_out_so_a_reimport_estimates_again(ref_app):
    with ref_app.app_context():
        load_records(db.session, [_raw(), _raw(external_id="G-2", lat="35.3301", lon="139.4501")])
        db.session.commit()
        text = export_csv(db.session)
        line = next(x for x in text.splitlines() if x.startswith("142051") and ",G-1," in x)
        assert "35.339" not in line
        features = {f["properties"]["id"] for f in __import__("json").loads(export_geojson(db.session))["features"]}
        assert "G-2" in features and "G-1" not in features


def test_a_configured_geocoder_is_used(ref_app):
    ref_app.config["GEOCODER"] = "tests.test_geocoding:exact_factory"
    ref_app.extensions.pop("geocoder", None)
    with ref_app.app_context():
        load_records(db.session, [_raw(), _raw(external_id="G-2", address="藤沢市どこか")])
        db.session.commit()
        exact, unknown = _facility("G-1"), _facility("G-2")
        assert (exact.latitude, exact.longitude, exact.location_approximate) == (35.3201, 139.4470, False)
        assert unknown.location_approximate is True  # not found: the municipality's point
    ref_app.extensions.pop("geocoder", None)


def test_an_approved_web_application_gets_a_position(browserish, smtp, site):
    from .test_registration_helpers import apply, staff
    from .test_registration_review import app_row, approve
    apply(type(browserish)(site.test_client()))
    app = app_row(site)
    staff(site, browserish)
    assert approve(browserish, app.id).status_code == 302
    with site.app_context():
        f = db.session.scalar(select(Facility).order_by(Facility.id.desc()))
        assert f.latitude is not None and f.location_approximate is True
