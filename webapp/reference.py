"""Reference data (municipalities, categories, amenities, benefit kinds, coupon services) from versioned
JSON files: validated when loaded, written to the database by ``flask init-db``."""
from __future__ import annotations

import json
import logging
import os
import re
from functools import lru_cache

from .domain.facility_record import Reference

log = logging.getLogger(__name__)

HERE = os.path.dirname(__file__)
REFERENCE_DIR = os.path.join(HERE, "reference")
MATSUMOTO_FILE = os.path.join(os.path.dirname(HERE), "contacts", "data", "matsumoto.json")


class ReferenceDataError(ValueError):
    pass


def _load(name: str) -> list[dict]:
    with open(os.path.join(REFERENCE_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def _require(rows: list[dict], keys: tuple[str, ...], what: str) -> None:
    seen = set()
    for i, row in enumerate(rows):
        missing = [k for k in keys if not row.get(k) and row.get(k) is not False]
        if missing:
            raise ReferenceDataError(f"{what}[{i}] lacks {missing}")
        if row[keys[0]] in seen:
            raise ReferenceDataError(f"{what}: duplicate {row[keys[0]]}")
        seen.add(row[keys[0]])


@lru_cache(maxsize=1)
def load_all() -> dict:
    """All reference data, validated. Raises ReferenceDataError on a bad file."""
    data = {
        "municipalities": _load("municipalities.json"),
        "categories": _load("categories.json"),
        "amenities": _load("amenities.json"),
        "benefit_kinds": _load("benefit_kinds.json"),
    }
    _require(data["municipalities"], ("code", "name", "kana", "name_en", "prefecture", "lat", "lon"), "municipality")
    for m in data["municipalities"]:
        if not re.fullmatch(r"\d{6}", m["code"]):
            raise ReferenceDataError(f"municipality code {m['code']!r}")
    _require(data["categories"], ("code", "name", "name_en", "kana"), "category")
    _require(data["amenities"], ("code", "name", "name_en", "kana"), "amenity")
    _require(data["benefit_kinds"], ("code", "name", "name_en"), "benefit kind")
    with open(MATSUMOTO_FILE, encoding="utf-8") as f:
        matsumoto = json.load(f)
    _require(matsumoto["services"], ("code", "name", "name_en", "kana"), "coupon service")
    _require(matsumoto["places"], ("id", "name", "kana", "phone", "services"), "coupon place")
    services = {s["code"] for s in matsumoto["services"]}
    for p in matsumoto["places"]:
        if set(p["services"]) - services:
            raise ReferenceDataError(f"place {p['id']} names unknown services")
    data["matsumoto"] = matsumoto
    return data


def reference() -> Reference:
    """The code lists that facility records are validated against."""
    d = load_all()
    return Reference(
        categories={c["code"]: c["name"] for c in d["categories"]},
        municipalities={m["code"]: m for m in d["municipalities"]},
        amenities={a["code"]: a["name"] for a in d["amenities"]},
        benefit_kinds={b["code"]: b["name"] for b in d["benefit_kinds"]},
        services=frozenset(s["code"] for s in d["matsumoto"]["services"]),
    )


MATSUMOTO_CODE = "202029"
MATSUMOTO_CATEGORY = "childcare"


def coupon_place_records() -> list[dict]:
    """The Matsumoto coupon services' contact points and providers, as raw facility records."""
    d = load_all()
    m = next(x for x in d["municipalities"] if x["code"] == MATSUMOTO_CODE)
    services = {s["code"]: s for s in d["matsumoto"]["services"]}
    rows = []
    for p in d["matsumoto"]["places"]:
        names = "、".join(services[s]["name"] for s in p["services"])
        kind = p.get("kind", "provider")
        description = (f"松本市子育て支援クーポンの{names}の" + ("お問い合わせ先です。" if kind == "department"
                                                              else "利用・お問い合わせ先です。"))
        rows.append({
            "external_id": p["id"], "programme": "coupon", "name": p["name"], "name_kana": p["kana"],
            "name_en": p.get("name_en"), "category": p.get("category", MATSUMOTO_CATEGORY),
            "municipality": MATSUMOTO_CODE, "address": p.get("address") or "松本市", "phone": p["phone"],
            "description": description, "services": p["services"],
            "lat": p.get("lat", m["lat"]), "lon": p.get("lon", m["lon"]),
        })
    return rows
