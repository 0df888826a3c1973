"""What search engines read: /sitemap.xml (the listed facilities' pages), /robots.txt pointing to it, and the
schema.org ``LocalBusiness`` data on each facility page (a template global, safely escaped for a script tag).
"""
from __future__ import annotations

import json
import logging
from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, url_for
from markupsafe import Markup
from sqlalchemy import select

from ..extensions import db
from ..models import STATUS_ACTIVE, Facility
from ..timeutil import to_jst

log = logging.getLogger(__name__)
bp = Blueprint("seo", __name__)

SCHEMA_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # open_days digits: Monday = 0
PREFECTURE_FALLBACK = {"14": "神奈川県", "20": "長野県"}     # by the first two digits of a municipality code
# Private and staff areas; search results stay crawlable so their ``noindex`` is seen.
ROBOTS_DISALLOW = ("/admin/", "/provider", "/support/", "/account", "/coupons", "/passport", "/api/", "/r/")


@bp.route("/sitemap.xml")
def sitemap():
    """The top page and every listed (active) facility's page, with the date it last changed."""
    rows = db.session.execute(select(Facility.external_id, Facility.updated_at)
                              .where(Facility.status == STATUS_ACTIVE).order_by(Facility.id)).all()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             f"<url><loc>{xml_escape(url_for('search.index', _external=True))}</loc></url>"]
    for external_id, updated_at in rows:
        loc = xml_escape(url_for("search.facility", external_id=external_id, _external=True))
        lastmod = f"<lastmod>{to_jst(updated_at).date().isoformat()}</lastmod>" if updated_at else ""
        lines.append(f"<url><loc>{loc}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    body = ["User-agent: *"] + [f"Disallow: {path}" for path in ROBOTS_DISALLOW] + \
        [f"Sitemap: {url_for('.sitemap', _external=True)}"]
    return Response("\n".join(body) + "\n", mimetype="text/plain")


def opening_hours(open_days: str, opens: str | None, closes: str | None) -> list[str]:
    """schema.org ``openingHours`` values, e.g. ``["Mo,Tu,We 10:00-18:00"]``; empty when not known."""
    days = [SCHEMA_DAYS[int(d)] for d in open_days or "" if d.isdigit() and int(d) < 7]
    if not (days and opens and closes):
        return []
    return [f"{','.join(days)} {opens}-{closes}"]


def local_business(f: Facility) -> dict:
    """The facility as a schema.org LocalBusiness: name, address, telephone, geo, opening hours, benefits."""
    m = f.municipality
    region = getattr(m, "prefecture", None) or PREFECTURE_FALLBACK.get(f.municipality_code[:2], "")
    street = " ".join(part for part in (f.address, f.building) if part)
    data: dict = {
        "@context": "https://schema.org", "@type": "LocalBusiness",
        "@id": url_for("search.facility", external_id=f.external_id, _external=True),
        "name": f.name,
        "url": url_for("search.facility", external_id=f.external_id, _external=True),
        "address": {"@type": "PostalAddress", "addressCountry": "JP", "addressRegion": region,
                    "addressLocality": m.name if m else "", "streetAddress": street},
    }
    if f.name_en:
        data["alternateName"] = f.name_en
    if f.phone:
        data["telephone"] = f.phone
    if f.latitude is not None and f.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": f.latitude, "longitude": f.longitude}
    hours = opening_hours(f.open_days, f.opens, f.closes)
    if hours:
        data["openingHours"] = hours
    benefits = [b.text for b in f.benefits if b.text]
    description = " / ".join(benefits + ([f.description] if f.description else []))
    if description:
        data["description"] = description
    if f.url:
        data["sameAs"] = f.url
    return data


def json_for_script(data) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or HTML-significant characters survive raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


@bp.app_template_global()
def facility_jsonld(f: Facility) -> Markup:
    """The LocalBusiness data of a facility page, ready for ``<script type="application/ld+json">``."""
    return json_for_script(local_business(f))
