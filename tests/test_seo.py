"""Search engines can list facility pages: /sitemap.xml (active facilities only, with lastmod), /robots.txt
pointing to it, and schema.org LocalBusiness data on each facility page, escaped so no text can end the script."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from sqlalchemy import select

from webapp.extensions import db
from webapp.facilities.seo import json_for_script, opening_hours
from webapp.models import STATUS_WITHDRAWN, Facility

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locs(client) -> dict[str, str | None]:
    r = client.get("/sitemap.xml")
    assert r.status_code == 200 and r.mimetype == "application/xml"
    root = ET.fromstring(r.data)
    return {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}


def jsonld(html: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "no JSON-LD on the page"
    return json.loads(m.group(1))


def test_sitemap_lists_active_facility_pages_with_lastmod(client, ref_app):
    with ref_app.app_context():
        active = db.session.scalars(select(Facility).order_by(Facility.id)).all()
        gone = active[0]
        gone.status = STATUS_WITHDRAWN
        db.session.commit()
        gone_id = gone.external_id
        ids = [f.external_id for f in active if f.external_id != gone_id]
    locs = sitemap_locs(client)
    pages = {loc.split("/facilities/", 1)[1]: lastmod for loc, lastmod in locs.items() if "/facilities/" in loc}
    assert set(pages) == set(ids) and gone_id not in pages
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in pages.values())
    assert all(loc.startswith("http://localhost/") for loc in locs)  # absolute addresses
    assert client.get(f"/facilities/{ids[0]}").status_code == 200   # every listed page exists


def test_robots_txt_points_to_the_sitemap_and_keeps_staff_areas_out(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    lines = r.get_data(as_text=True).splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /support/", "Disallow: /provider"} <= set(lines)
    assert not any(line in ("Disallow: /", "Disallow: /facilities/") for line in lines)


def test_facility_page_has_local_business_data(client, ref_app):
    with ref_app.app_context():
        f = db.session.scalar(select(Facility).where(Facility.phone.is_not(None), Facility.latitude.is_not(None))
                              .order_by(Facility.id))
        f.open_days, f.opens, f.closes = "01234", "09:00", "17:00"
        db.session.commit()
        expected = {"name": f.name, "telephone": f.phone, "lat": f.latitude, "lon": f.longitude,
                    "id": f.external_id, "city": f.municipality.name}
    data = jsonld(client.get(f"/facilities/{expected['id']}").get_data(as_text=True))
    assert data["@context"] == "https://schema.org" and data["@type"] == "LocalBusiness"
    assert data["name"] == expected["name"] and data["telephone"] == expected["telephone"]
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": expected["lat"], "longitude": expected["lon"]}
    assert data["address"]["addressLocality"] == expected["city"] and data["address"]["addressCountry"] == "JP"
    assert data["openingHours"] == ["Mo,Tu,We,Th,Fr 09:00-17:00"]
    assert data["url"] == f"http://localhost/facilities/{expected['id']}"


def test_json_ld_cannot_end_the_script_tag(client, ref_app):
    hostile = '</script><script>alert(1)</script> & <!-- "quoted" \u2028'
    with ref_app.app_context():
        f = db.session.scalar(select(Facility).order_by(Facility.id))
        f.name = "ひなた" + hostile
        db.session.commit()
        fid = f.external_id
    html = client.get(f"/facilities/{fid}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert jsonld(html)["name"] == "ひなた" + hostile
    assert "<script>alert(1)" not in html


def test_opening_hours_only_when_known():
    assert opening_hours("", "09:00", "17:00") == []
    assert opening_hours("56", None, None) == []
    assert opening_hours("0123456", "10:00", "24:00") == ["Mo,Tu,We,Th,Fr,Sa,Su 10:00-24:00"]
    assert str(json_for_script({"a": "<b>"})) == '{"a":"\\u003cb\\u003e"}'
