"""The facility CSV import/export and the GeoJSON export (webapp.facilities.csvio)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

import search_index
from webapp.extensions import db
from webapp.facilities import csvio
from webapp.facilities.csvio import COLUMNS, export_csv, export_geojson, import_csv
from webapp.models import Facility, SearchChange
from webapp.reference import load_all

FUJISAWA, YOKOHAMA = "142051", "141003"


def _ref():
    """A category and two amenities from the reference data (so the tests do not hard-code the lists)."""
    data = load_all()
    return data["categories"][0], data["amenities"][0], data["amenities"][1]


def _csv(rows: list[dict], header: list[str] | None = None) -> str:
    """CSV text with the given header (default: every column) and rows given as {column: value}."""
    header = header or list(COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(col, "") for col in header])
    return out.getvalue()


def _row(fid: str, name: str, **extra) -> dict:
    row = {"施設ID": fid, "名称": name, "都道府県コード又は市区町村コード": FUJISAWA, "都道府県名": "神奈川県",
           "市区町村名": "藤沢市", "住所": "藤沢市鵠沼1-2-3", "緯度": "35.3387", "経度": "139.4875"}
    row.update(extra)
    return row


def _good_rows() -> list[dict]:
    category, a1, a2 = _ref()
    return [
        _row("F-001", "ふじさわキッズカフェ", 名称_カナ="ふじさわきっずかふぇ", 名称_英字="Fujisawa Kids Cafe",
             業種=category["name"], 電話番号="0466123456", URL="https://example.jp/cafe",
             利用可能曜日="月火水木金", 開始時間="9:00", 終了時間="17:30", 特典_お得="ドリンク1杯無料",
             特典_こころ配り="ミルク用のお湯をご用意します", 特典_設備="ベビーチェアあり",
             設備=f"{a1['code']}|{a2['name']}", 登録日="2026/04/10", 説明="親子でくつろげるカフェです。"),
        _row("F-002", "鵠沼こども図書室", 業種=category["code"], 電話番号="０４６６－２２－３３３３"),
    ]


_COLUMNS = ("programme", "name", "name_kana", "name_en", "category_code", "municipality_code", "address",
            "building", "phone", "url", "open_days", "opens", "closes", "hours_note", "description", "notes",
            "latitude", "longitude", "registered_on", "valid_until", "status")


def _snapshot(session) -> dict:
    """Every facility as plain values (no surrogate ids or timestamps), keyed by 施設ID."""
    out = {}
    for f in session.scalars(select(Facility).order_by(Facility.external_id)):
        out[f.external_id] = {
            **{c: getattr(f, c) for c in _COLUMNS},
            "benefits": {b.kind_code: b.text for b in f.benefits},
            "amenities": sorted(a.code for a in f.amenities),
            "services": sorted(s.code for s in f.services),
        }
    return out


def _count(session, model=Facility) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_valid_file_imports(ref_app):
    category, a1, a2 = _ref()
    with ref_app.app_context():
        report = import_csv(db.session, _csv(_good_rows()).encode("utf-8"))
        db.session.commit()
        assert report.errors == []
        assert (report.created, report.updated) == (2, 0)
        f = db.session.scalar(select(Facility).where(Facility.external_id == "F-001"))
        assert f.name == "ふじさわキッズカフェ"
        assert f.name_kana == "フジサワキッズカフェ"  # hiragana reading stored as katakana
        assert f.municipality_code == FUJISAWA and f.category_code == category["code"]
        assert f.phone == "0466-12-3456"
        assert f.benefit_text("otoku") == "ドリンク1杯無料"
        assert f.benefit_text("kokorokubari") == "ミルク用のお湯をご用意します"
        assert f.benefit_text("setsubi") == "ベビーチェアあり"
        assert sorted(a.code for a in f.amenities) == sorted([a1["code"], a2["code"]])
        assert (f.open_days, f.opens, f.closes) == ("01234", "09:00", "17:30")
        assert (f.latitude, f.longitude) == (35.3387, 139.4875)
        assert f.registered_on.isoformat() == "2026-04-10" and f.programme == "passport"
        g = db.session.scalar(select(Facility).where(Facility.external_id == "F-002"))
        assert g.phone == "0466-22-3333" and g.benefits == [] and g.amenities == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_bom_and_cp932_give_the_same_result(ref_app, encoding):
    text = _csv(_good_rows())
    with ref_app.app_context():
        assert import_csv(db.session, text.encode("utf-8")).errors == []
        plain = _snapshot(db.session)
        db.session.rollback()
        assert _count(db.session) == len(load_all()["matsumoto"]["places"])
        report = import_csv(db.session, text.encode(encoding))
        assert report.errors == [] and report.created == 2
        assert _snapshot(db.session) == plain


def test_header_with_spaces_and_bom_and_few_columns(ref_app):
    text = "\ufeff 施設ID ,\ufeff名称 , 市区町村名,未知の列\nX-1,小さな公園,茅ヶ崎市,ignored\n"
    with ref_app.app_context():
        report = import_csv(db.session, text.encode("utf-8-sig"))
        assert report.errors == [] and report.created == 1
        f = db.session.scalar(select(Facility).where(Facility.external_id == "X-1"))
        assert f.name == "小さな公園" and f.municipality.name == "茅ヶ崎市"


def test_missing_required_column_is_one_error_on_line_1(ref_app):
    text = "名称,市区町村名\n公園,藤沢市\n"
    with ref_app.app_context():
        report = import_csv(db.session, text.encode("utf-8"))
        assert len(report.errors) == 1
        line, field, message = report.errors[0]
        assert line == 1 and "施設ID" in message and report.created == 0


def test_unsupported_encoding_is_one_error(ref_app):
    data = _csv(_good_rows()).encode("utf-16")
    with ref_app.app_context():
        report = import_csv(db.session, data)
        assert len(report.errors) == 1 and report.errors[0][0] in (0, 1)
        assert "encoding" in report.errors[0][2].lower()


def test_damaged_utf8_is_not_read_as_cp932(ref_app):
    data = _csv(_good_rows()).encode("utf-8")
    data = data.replace("鵠沼こども".encode("utf-8"), b"\xff" + "鵠沼こども".encode("utf-8")[1:])
    with ref_app.app_context():
        report = import_csv(db.session, data)
        assert [(e[0], e[1]) for e in report.errors] == [(3, "file")] and "UTF-8" in report.errors[0][2]
        assert report.created == 0


def test_too_large_or_too_many_rows_is_refused(ref_app, monkeypatch):
    with ref_app.app_context():
        before = _count(db.session)
        report = import_csv(db.session, b"a" * (20 * 1024 * 1024 + 1))
        assert len(report.errors) == 1 and "20 MB" in report.errors[0][2]
        monkeypatch.setattr(csvio, "MAX_ROWS", 1)
        report = import_csv(db.session, _csv(_good_rows()).encode("utf-8"))
        assert len(report.errors) == 1 and "rows" in report.errors[0][2]
        assert _count(db.session) == before


def _mixed_rows() -> list[dict]:
    return [
        _row("M-1", "よい施設その一"),                                                   # line 2
        _row("M-2", "東京の施設", **{"都道府県コード又は市区町村コード": "131016", "都道府県名": "東京都",
                                     "市区町村名": "千代田区"}),                          # line 3
        _row("M-3", "横浜の施設", **{"都道府県コード又は市区町村コード": YOKOHAMA, "市区町村名": "横浜市"}),  # 4
        _row("M-4", ""),                                                               # line 5
        _row("M-5", "座標の悪い施設", 緯度="abc"),                                        # line 6
        _row("M-6", "電話の悪い施設", 電話番号="12345"),                                   # line 7
        _row("M-7", "よい施設その二", 電話番号="0466-11-2222"),                            # line 8
    ]


def test_mixed_file_reports_bad_rows_by_line_and_saves_good_ones(ref_app):
    with ref_app.app_context():
        report = import_csv(db.session, _csv(_mixed_rows()).encode("utf-8"))
        db.session.commit()
        assert [(line, field) for line, field, _ in report.errors] == [
            (3, "municipality"), (4, "municipality"), (5, "name"), (6, "lat"), (7, "phone")]
        messages = {line: message for line, _, message in report.errors}
        assert messages[3] == "Unknown municipality."
        assert "Hamahug" in messages[4]
        assert "name is required" in messages[5]
        assert "latitude" in messages[6]
        assert "telephone" in messages[7]
        assert (report.created, report.updated) == (2, 0)
        saved = set(db.session.scalars(select(Facility.external_id).where(Facility.external_id.like("M-%"))))
        assert saved == {"M-1", "M-7"}


def test_quoted_multiline_cell_shifts_line_numbers(ref_app):
    rows = [_row("L-1", "複数行の説明の施設", 説明="一行目\n二行目\n三行目"),  # lines 2-4
            _row("L-2", "悪い施設", 電話番号="12345", 説明="a\nb"),            # lines 5-6
            _row("L-3", "", )]                                                # line 7
    text = _csv(rows)
    assert text.count("\n") == 7
    with ref_app.app_context():
        report = import_csv(db.session, text.encode("utf-8"))
        assert [(line, field) for line, field, _ in report.errors] == [(5, "phone"), (7, "name")]
        f = db.session.scalar(select(Facility).where(Facility.external_id == "L-1"))
        assert f.description == "一行目\n二行目\n三行目"


def test_crlf_file_counts_lines_the_same(ref_app):
    text = _csv(_mixed_rows()).replace("\n", "\r\n")
    with ref_app.app_context():
        report = import_csv(db.session, text.encode("cp932"))
        assert sorted(report.error_lines) == [3, 4, 5, 6, 7]


def test_duplicate_id_in_one_file_is_an_error_on_the_later_row(ref_app):
    rows = [_row("D-1", "最初の施設"), _row("D-2", "別の施設"), _row("D-1", "二度目の施設")]
    with ref_app.app_context():
        report = import_csv(db.session, _csv(rows).encode("utf-8"))
        assert report.errors == [(4, "external_id", "Duplicate facility ID in this file, first on line 2.")]
        assert report.created == 2
        assert db.session.scalar(select(Facility.name).where(Facility.external_id == "D-1")) == "最初の施設"


def test_municipality_from_code_or_name(ref_app):
    rows = [
        _row("C-1", "コードだけ", **{"都道府県名": "", "市区町村名": ""}),
        _row("C-2", "県コードと名前", **{"都道府県コード又は市区町村コード": "140007", "都道府県名": "神奈川県",
                                         "市区町村名": "鎌倉市"}),
        _row("C-3", "県名つきの名前", **{"都道府県コード又は市区町村コード": "", "都道府県名": "",
                                         "市区町村名": "神奈川県小田原市"}),
        _row("C-4", "県コードだけ", **{"都道府県コード又は市区町村コード": "140007", "都道府県名": "",
                                       "市区町村名": ""}),
    ]
    with ref_app.app_context():
        report = import_csv(db.session, _csv(rows).encode("utf-8"))
        assert [(e[0], e[1]) for e in report.errors] == [(5, "municipality")]
        names = dict(db.session.execute(select(Facility.external_id, Facility.municipality_code)
                                        .where(Facility.external_id.like("C-%"))).all())
        assert names["C-1"] == FUJISAWA
        assert names["C-2"] == "142042"  # 鎌倉市
        assert names["C-3"] == "142069"  # 小田原市


def test_reimport_updates_by_facility_id(ref_app):
    rows = _good_rows()
    with ref_app.app_context():
        import_csv(db.session, _csv(rows).encode("utf-8"))
        db.session.commit()
        count = _count(db.session)
        rows[1]["名称"] = "鵠沼こども図書館"
        report = import_csv(db.session, _csv(rows).encode("utf-8"))
        db.session.commit()
        assert (report.created, report.updated, report.errors) == (0, 2, [])
        assert _count(db.session) == count
        assert db.session.scalar(select(Facility.name).where(Facility.external_id == "F-002")) == "鵠沼こども図書館"


def test_all_rows_bad_writes_nothing(ref_app):
    rows = [_row("B-1", ""), _row("B-2", "横浜", **{"都道府県コード又は市区町村コード": YOKOHAMA}),
            _row("B-3", "悪い座標", 経度="999")]
    with ref_app.app_context():
        before = (_count(db.session), _count(db.session, SearchChange))
        report = import_csv(db.session, _csv(rows).encode("utf-8"))
        db.session.commit()
        assert (report.created, report.updated) == (0, 0)
        assert report.error_lines == {2, 3, 4}
        assert (_count(db.session), _count(db.session, SearchChange)) == before


def test_export_then_import_round_trip(ref_app):
    rows = _good_rows() + [
        _row("R-1", "=HYPERLINK(\"x\")", 説明="- 箇条書き\n- 二行目", 備考="@注意", 状態="withdrawn"),
        _row("R-2", "座標なし", 緯度="", 経度="", 住所=""),
    ]
    with ref_app.app_context():
        assert import_csv(db.session, _csv(rows).encode("utf-8")).errors == []
        db.session.commit()
        before = _snapshot(db.session)
        exported = export_csv(db.session)
        assert exported.startswith("\ufeff" + COLUMNS[0] + ",")
        ids = [r[COLUMNS.index("施設ID")] for r in csv.reader(io.StringIO(exported.lstrip("\ufeff")))][1:]
        by_id = list(db.session.scalars(select(Facility.external_id).order_by(Facility.external_id)))
        assert ids == by_id and set(ids) == set(before)  # every facility (coupon places too), by 施設ID
        assert "'=HYPERLINK" in exported  # no live formula for Excel

        report = import_csv(db.session, exported.encode("utf-8"))  # over the same rows: nothing changes
        db.session.commit()
        assert report.errors == [] and (report.created, report.updated) == (0, len(before))
        assert _snapshot(db.session) == before
        assert export_csv(db.session) == exported

        from webapp.coupons.models import ProviderPoint
        for point in db.session.scalars(select(ProviderPoint)).all():  # coupon providers' QR codes point at rows
            db.session.delete(point)
        for f in db.session.scalars(select(Facility)).all():  # into an empty table: the same rows again
            db.session.delete(f)
        db.session.commit()
        report = import_csv(db.session, exported.encode("utf-8"))
        db.session.commit()
        assert report.errors == [] and report.created == len(before)
        assert _snapshot(db.session) == before
        f = db.session.scalar(select(Facility).where(Facility.external_id == "R-1"))
        assert (f.name, f.description, f.notes, f.status) == ("=HYPERLINK(\"x\")", "- 箇条書き\n- 二行目",
                                                              "@注意", "withdrawn")


def test_export_csv_columns(ref_app):
    with ref_app.app_context():
        import_csv(db.session, _csv(_good_rows()).encode("utf-8"))
        rows = list(csv.DictReader(io.StringIO(export_csv(db.session).lstrip("\ufeff"))))
        row = next(r for r in rows if r["施設ID"] == "F-001")
        assert row["都道府県コード又は市区町村コード"] == FUJISAWA
        assert (row["都道府県名"], row["市区町村名"]) == ("神奈川県", "藤沢市")
        assert (row["利用可能曜日"], row["開始時間"], row["終了時間"]) == ("月火水木金", "09:00", "17:30")
        assert row["登録日"] == "2026-04-10" and row["電話番号"] == "0466-12-3456"
        assert row["特典_お得"] == "ドリンク1杯無料" and row["プログラム"] == "passport"
        assert [r["NO"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]


def test_geojson_export(ref_app):
    with ref_app.app_context():
        rows = _good_rows() + [_row("G-0", "座標なし", 緯度="", 経度="")]
        import_csv(db.session, _csv(rows).encode("utf-8"))
        data = json.loads(export_geojson(db.session))
        assert data["type"] == "FeatureCollection"
        features = {f["properties"]["id"]: f for f in data["features"]}
        assert "G-0" not in features
        f = features["F-001"]
        assert f["type"] == "Feature"
        assert f["geometry"] == {"type": "Point", "coordinates": [139.4875, 35.3387]}
        props = f["properties"]
        assert props["name"] == "ふじさわキッズカフェ" and props["municipality"] == FUJISAWA
        assert props["benefits"]["otoku"] == "ドリンク1杯無料" and len(props["amenities"]) == 2
        assert props["programme"] == "passport" and props["phone"] == "0466-12-3456"
        for feat in data["features"]:
            lon, lat = feat["geometry"]["coordinates"]
            assert 122 <= lon <= 154 and 20 <= lat <= 46


def test_cli_reports_bad_rows_by_line(ref_app, tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_bytes(_csv(_mixed_rows()).encode("cp932"))
    result = ref_app.test_cli_runner().invoke(args=["import-facilities", str(path)])
    assert result.exit_code == 0, result.output
    for line in (3, 4, 5, 6, 7):
        assert f"line {line}:" in result.output
    assert "2 created, 0 updated, 5 rows rejected" in result.output
    with ref_app.app_context():
        assert db.session.scalar(select(Facility.name).where(Facility.external_id == "M-7")) == "よい施設その二"


def test_cli_export_writes_files_that_import_again(ref_app, tmp_path):
    with ref_app.app_context():
        import_csv(db.session, _csv(_good_rows()).encode("utf-8"))
        db.session.commit()
    runner = ref_app.test_cli_runner()
    assert runner.invoke(args=["export-facilities", str(tmp_path / "out.csv")]).exit_code == 0
    assert runner.invoke(args=["export-facilities", str(tmp_path / "out.geojson")]).exit_code == 0
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    result = runner.invoke(args=["import-facilities", "--dry-run", str(tmp_path / "out.csv")])
    assert result.exit_code == 0 and "0 created" in result.output, result.output


def test_imported_facility_is_found_by_search_after_commit(ref_app):
    from webapp.indexing import get_index
    with ref_app.app_context():
        import_csv(db.session, _csv(_good_rows()).encode("utf-8"))
        db.session.commit()
        result = get_index().search(search_index.SearchQuery(text="キッズカフェ"))
        assert "F-001" in [h.id for h in result.hits]


def test_demo_data_round_trips(ref_app):
    from webapp.cli import load_demo
    with ref_app.app_context():
        load_demo()
        before = _snapshot(db.session)
        exported = export_csv(db.session)
        report = import_csv(db.session, exported.encode("utf-8"))
        db.session.commit()
        assert report.errors == [] and (report.created, report.updated) == (0, len(before))
        assert _snapshot(db.session) == before
        assert export_csv(db.session) == exported
