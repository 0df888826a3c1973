"""From an application's cleaned data to raw facility records for ``validate_record`` (plain Python, no Flask).

An application describes one facility and, for chains, further branches that share its benefits, hours,
amenities and contact. Each location becomes its own facility. Benefit conditions (days, showing the passport,
ages) are written into the benefit text in Japanese, the language of the facility data families read."""
from __future__ import annotations

DAYS_TEXT = {"all": "", "weekdays": "平日のみ", "weekends": "土日祝のみ", "other": ""}
# Showing the passport is the rule (the facility page says so); only the exception is written out.
PASSPORT_TEXT = {"required": "", "not_required": "パスポートの提示は不要"}
OTHER_PREFECTURES_NOTE = "他の都道府県の子育て支援パスポートもご利用いただけます。"
LOCATION_FIELDS = ("name", "name_kana", "municipality", "address", "building", "phone")
SHARED_FIELDS = ("category", "url", "open_days", "opens", "closes", "hours_note", "description")


def age_text(age_from: int | None, age_to: int | None) -> str:
    """"0〜6歳のお子さま連れ", "6歳までのお子さま連れ", "3歳からのお子さま連れ" or ""."""
    if age_from is not None and age_to is not None:
        return f"{age_from}〜{age_to}歳のお子さま連れ"
    if age_to is not None:
        return f"{age_to}歳までのお子さま連れ"
    if age_from is not None:
        return f"{age_from}歳からのお子さま連れ"
    return ""


def benefit_line(b: dict) -> str:
    """One benefit with its conditions: お会計から10%引き（土日祝のみ・0〜6歳のお子さま連れ・妊娠中の方も対象）."""
    conditions = [DAYS_TEXT.get(b.get("days") or "all", ""), PASSPORT_TEXT.get(b.get("passport") or "required", ""),
                  age_text(b.get("age_from"), b.get("age_to")), "妊娠中の方も対象" if b.get("pregnant") else "",
                  (b.get("note") or "").strip()]
    conditions = [c for c in conditions if c]
    text = (b.get("text") or "").strip()
    return text + ("（" + "・".join(conditions) + "）" if conditions else "")


def benefits_by_kind(benefits: list[dict]) -> dict[str, str]:
    """The facility's benefit texts per kind (several benefits of one kind on separate lines)."""
    out: dict[str, list[str]] = {}
    for b in benefits:
        if b.get("kind") and (b.get("text") or "").strip():
            out.setdefault(b["kind"], []).append(benefit_line(b))
    return {kind: "\n".join(lines) for kind, lines in out.items()}


def ja_names(ref) -> dict[str, str]:
    """Municipality code -> Japanese name, from the reference lists (addresses are written in Japanese)."""
    return {code: m["name"] for code, m in ref.municipalities.items()}


def locations(data: dict) -> list[dict]:
    """The application's locations: the facility itself, then each branch."""
    first = {k: data.get(k) for k in LOCATION_FIELDS}
    return [first] + [{k: br.get(k) for k in LOCATION_FIELDS} for br in data.get("branches") or []]


def full_address(municipality_name: str | None, address: str | None) -> str:
    """The address as the facility list writes it, from the city name on (藤沢市鵠沼石上1-1-1)."""
    address = (address or "").strip()
    if municipality_name and address and not address.startswith(municipality_name):
        return municipality_name + address
    return address


def location_raws(data: dict, municipality_names: dict[str, str] | None = None,
                  external_ids: list[str] | None = None) -> list[dict]:
    """Raw records (validate_record's input) for every location of an application."""
    names = municipality_names or {}
    benefits = benefits_by_kind(data.get("benefits") or [])
    # Kept in a column of its own (shown on the facility page, a search filter); OTHER_PREFECTURES_NOTE is what
    # older approvals wrote into the notes instead.
    accepts = bool(data.get("other_prefectures"))
    raws = []
    for i, loc in enumerate(locations(data)):
        raw = {k: data.get(k) for k in SHARED_FIELDS}
        raw.update(loc)
        raw["address"] = full_address(names.get(loc.get("municipality") or ""), loc.get("address"))
        raw.update(external_id=external_ids[i] if external_ids else f"KP-NEW-{i + 1}", programme="passport",
                   benefits=dict(benefits), amenities=list(data.get("amenities") or []), notes=None,
                   status="active", accepts_other_prefectures=accepts)
        raws.append(raw)
    return raws
