"""What the form shows first when an applicant revises an application or a facility asks for a change."""
from __future__ import annotations

from ..models import Facility
from .records import OTHER_PREFECTURES_NOTE, benefits_by_kind


def application_initial(app) -> dict:
    """The form's values from an application's stored data (the agreement is asked again)."""
    data = dict(app.data)
    data["open_days"] = list(data.get("open_days") or "")
    data["benefits"] = list(data.get("benefits") or [])
    data["branches"] = list(data.get("branches") or [])
    data["agree"] = False
    return data


def _benefit_rows(reg, facility: Facility) -> list[dict]:
    """The structured benefits of the approved application when they still produce the facility's texts
    (nobody edited them since); else one row per kind with the text as it stands."""
    current = {b.kind_code: b.text for b in facility.benefits}
    stored = (reg.application.data.get("benefits") or []) if reg.application is not None else []
    if stored and benefits_by_kind(stored) == current:
        return list(stored)
    return [{"kind": kind, "text": text, "days": "all", "passport": "required"} for kind, text in current.items()]


def facility_initial(reg) -> dict:
    """The form's values for a change of one registered facility, from its current listing."""
    f = reg.facility
    return {
        "name": f.name, "name_kana": f.name_kana, "category": f.category_code, "municipality": f.municipality_code,
        "address": f.address, "building": f.building, "phone": f.phone, "url": f.url,
        "open_days": list(f.open_days or ""), "opens": f.opens, "closes": f.closes, "hours_note": f.hours_note,
        "description": f.description, "benefits": _benefit_rows(reg, f), "amenities": [a.code for a in f.amenities],
        "other_prefectures": reg.accepts_other_prefectures or OTHER_PREFECTURES_NOTE in (f.notes or ""),
        "contact_name": reg.contact_name, "email": reg.email, "branches": [], "agree": False,
    }
