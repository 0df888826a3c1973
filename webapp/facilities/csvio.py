"""The facility CSV (import and export) and the GeoJSON export.

The CSV uses the column names of the municipal standard open-data facility list (自治体標準オープンデータセット
「公共施設一覧」) plus our own columns (施設ID, 業種, 特典_*, 設備, ...). The export writes exactly the import
format, so an exported file imports again unchanged. No Flask here: every function takes a SQLAlchemy session.

Errors are ``(line, field, message)`` with ``line`` the physical line in the file (header = line 1; a quoted
cell spanning several lines counts them all); file-level problems use line 0 (encoding, size) or 1
(header)."""
from __future__ import annotations

import csv
import io
import json
import logging
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.facility_record import N_, format_days
from ..models import Facility
from .importing import LoadReport, load_records

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000

CODE_COL, PREF_COL, MUNI_COL = "都道府県コード又は市区町村コード", "都道府県名", "市区町村名"
ID_COL, NAME_COL = "施設ID", "名称"
STANDARD_COLUMNS = (
    CODE_COL, "NO", PREF_COL, MUNI_COL, NAME_COL, "名称_カナ", "名称_英字", "POIコード", "住所", "方書", "緯度",
    "経度", "電話番号", "内線番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間",
    "利用可能日時特記事項", "説明", "バリアフリー情報", "URL", "備考",
)
BENEFIT_COLUMNS = {"特典_お得": "otoku", "特典_こころ配り": "kokorokubari", "特典_設備": "setsubi"}
AMENITIES_COL, SERVICES_COL = "設備", "クーポンサービス"
# 全国共通展開: 1 when the facility also accepts other prefectures' passports, else 0 (はい/いいえ, 可/不可 read too).
NATIONWIDE_COL = "他都道府県パスポート"
OUR_COLUMNS = (ID_COL, "業種", *BENEFIT_COLUMNS, AMENITIES_COL, "登録日", "プログラム", SERVICES_COL, "状態",
               NATIONWIDE_COL)
COLUMNS = STANDARD_COLUMNS + OUR_COLUMNS

# Column -> key of the raw record that validate_record reads (values passed through as text).
TEXT_FIELDS = {
    ID_COL: "external_id", NAME_COL: "name", "名称_カナ": "name_kana", "名称_英字": "name_en", "業種": "category",
    "住所": "address", "方書": "building", "電話番号": "phone", "URL": "url", "利用可能曜日": "open_days",
    "開始時間": "opens", "終了時間": "closes", "利用可能日時特記事項": "hours_note", "説明": "description",
    "備考": "notes", "緯度": "lat", "経度": "lon", "登録日": "registered_on", "プログラム": "programme",
    "状態": "status", NATIONWIDE_COL: "accepts_other_prefectures",
}
_LIST_SPLIT = re.compile(r"[|｜、]")
# Cells Excel would run as a formula get a leading apostrophe on export; the import takes it off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Rejected(Exception):
    """The whole file is refused: one (line, field, message) error."""

    def __init__(self, line: int, field: str, message: str):
        super().__init__(message)
        self.error = (line, field, message)


# -- import ---------------------------------------------------------------------------------------------
def import_csv(session: Session, data: bytes) -> LoadReport:
    """Validate and save the facilities in a CSV file; bad rows are reported with their line and not saved.

    Re-importing updates facilities by 施設ID. The caller commits (or rolls back)."""
    try:
        header, rows = _parse(_decode(data))
    except _Rejected as exc:
        log.warning("facility CSV rejected: %s", exc.error)
        return LoadReport(errors=[exc.error])
    raws, lines, errors = _records(header, rows)
    report = load_records(session, raws, lines=lines)
    report.errors.extend(errors)
    report.errors.sort(key=lambda e: e[0])
    log.info("facility CSV: %d created, %d updated, %d rows rejected", report.created, report.updated,
             len(report.error_lines))
    return report


def _decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else CP932 as Excel saves it."""
    if len(data) > MAX_BYTES:
        raise _Rejected(0, "file", N_("The file is larger than 20 MB; split it into smaller files."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
    header = data.split(b"\n", 1)[0]
    if ID_COL.encode() in header or NAME_COL.encode() in header:  # UTF-8 but damaged: do not read it as CP932
        raise _Rejected(bad_line, "file", f"The file is not valid UTF-8 (line {bad_line}); save it again as "
                                          "UTF-8 or Shift_JIS (CP932).")
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise _Rejected(0, "file", N_("Unsupported encoding: save the file as UTF-8 or Shift_JIS (CP932).")) from None


def _header_name(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell.replace("\ufeff", "")).strip()


def _parse(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Header (column name -> index) and the non-blank data rows as (first physical line, cells)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_cells = next(reader, [])
        header: dict[str, int] = {}
        for i, cell in enumerate(header_cells):
            header.setdefault(_header_name(cell), i)
        missing = [c for c in (NAME_COL, ID_COL) if c not in header]
        if missing:
            raise _Rejected(1, "file", N_("The header row (line 1) lacks the required columns: ")
                            + ", ".join(missing) + ".")
        rows, line = [], reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((line, cells))
                if len(rows) > MAX_ROWS:
                    raise _Rejected(0, "file", N_("The file has more than 100,000 rows; split it into "
                                                  "smaller files."))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _Rejected(reader.line_num, "file", N_("The file is not valid CSV: ") + str(exc)) from exc
    return header, rows


def _records(header: dict[str, int], rows) -> tuple[list[dict], list[int], list[tuple[int, str, str]]]:
    """Raw records for validate_record with their line numbers, and the duplicate-ID errors."""
    raws, lines, errors = [], [], []
    first_seen: dict[str, int] = {}
    for line, cells in rows:
        cell = _cell_getter(header, cells)
        external_id = unicodedata.normalize("NFKC", cell(ID_COL) or "").strip()
        if external_id and external_id in first_seen:
            errors.append((line, "external_id",
                           f"Duplicate facility ID in this file, first on line {first_seen[external_id]}."))
            continue
        if external_id:
            first_seen[external_id] = line
        raws.append(_raw_record(cell))
        lines.append(line)
    return raws, lines, errors


def _cell_getter(header: dict[str, int], cells: list[str]):
    """A function giving one row's cell by column name (None when the column is absent)."""
    def cell(col: str) -> str | None:
        i = header.get(col)
        return _unescape(cells[i]) if i is not None and i < len(cells) else None
    return cell


def _raw_record(cell) -> dict:
    """One CSV row as the loosely typed dict validate_record expects."""
    raw = {key: cell(col) for col, key in TEXT_FIELDS.items()}
    raw["municipality"] = _municipality(cell(CODE_COL), cell(PREF_COL), cell(MUNI_COL))
    raw["benefits"] = {kind: cell(col) for col, kind in BENEFIT_COLUMNS.items() if cell(col)}
    raw["amenities"] = _split(cell(AMENITIES_COL))
    raw["services"] = _split(cell(SERVICES_COL))
    return raw


def _municipality(code: str | None, prefecture: str | None, name: str | None) -> str | None:
    """A municipality code from the code column, else the name (with the prefecture if given)."""
    code = unicodedata.normalize("NFKC", code or "").strip()
    if code.isdigit() and len(code) in (5, 6) and code[2:5] != "000":  # 140007 is Kanagawa itself
        return code
    name = unicodedata.normalize("NFKC", name or "").strip()
    prefecture = unicodedata.normalize("NFKC", prefecture or "").strip()
    if name:
        return name if not prefecture or name.startswith(prefecture) else prefecture + name
    return code or None


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in _LIST_SPLIT.split(value or "") if v.strip()]


def _unescape(value: str) -> str:
    """Undo the export's formula guard ("'=..." -> "=...")."""
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]
    return value


# -- export ---------------------------------------------------------------------------------------------
def _facilities(session: Session):
    stmt = select(Facility).order_by(Facility.external_id).execution_options(yield_per=500)
    return session.scalars(stmt)


def _escape(value) -> str:
    """Text for a cell, with an apostrophe before anything a spreadsheet would run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _csv_row(no: int, f: Facility) -> list[str]:
    m = f.municipality
    values = {
        CODE_COL: f.municipality_code, "NO": no,
        PREF_COL: m.prefecture if m else "", MUNI_COL: m.name if m else "",
        # Estimated coordinates are left out, so that a re-import estimates them again (and keeps them marked).
        "緯度": "" if f.latitude is None or f.location_approximate else repr(f.latitude),
        "経度": "" if f.longitude is None or f.location_approximate else repr(f.longitude),
        "利用可能曜日": format_days(f.open_days or ""), "業種": f.category_code,
        AMENITIES_COL: "|".join(a.code for a in f.amenities),
        SERVICES_COL: "|".join(s.code for s in f.services),
        "登録日": f.registered_on.isoformat() if f.registered_on else "",
        NATIONWIDE_COL: "1" if f.accepts_other_prefectures else "0",
    }
    for col, key in TEXT_FIELDS.items():
        if col not in values:
            values[col] = getattr(f, key)
    for col, kind in BENEFIT_COLUMNS.items():
        values[col] = f.benefit_text(kind)
    return [_escape(values.get(col)) for col in COLUMNS]


def export_csv(session: Session) -> str:
    """All facilities (both programmes, any status) in the import format, ordered by 施設ID, with a UTF-8 BOM
    so that Excel reads it right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for no, f in enumerate(_facilities(session), start=1):
        writer.writerow(_csv_row(no, f))
    return out.getvalue()


def _feature(f: Facility) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [f.longitude, f.latitude]},
        "properties": {
            "id": f.external_id, "name": f.name, "name_kana": f.name_kana, "name_en": f.name_en,
            "category": f.category_code, "municipality": f.municipality_code, "address": f.address,
            "phone": f.phone, "url": f.url, "benefits": {b.kind_code: b.text for b in f.benefits},
            "amenities": [a.code for a in f.amenities], "programme": f.programme, "status": f.status,
            "accepts_other_prefectures": bool(f.accepts_other_prefectures),
        },
    }


def export_geojson(session: Session) -> str:
    """The facilities with their own coordinates as a GeoJSON FeatureCollection (RFC 7946: [longitude,
    latitude]); estimated positions (the municipality's point) are left out, as in the CSV."""
    features = [_feature(f) for f in _facilities(session)
                if f.latitude is not None and f.longitude is not None and not f.location_approximate]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)
