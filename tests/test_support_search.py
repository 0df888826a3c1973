"""The console's one search (faq.desk): what callers say finds the entry an agent needs first, with the facility
search's folding and synonyms plus the caller phrasings of faq/data/caller_phrasings.json."""
import json
import os

import pytest

import contacts
from faq import load_faq, load_flows
from faq.desk import CALLER_FILE, DeskIndex, load_caller_groups
from search_index.synonyms import SynonymDataError

PHRASINGS = os.path.join(os.path.dirname(__file__), "data", "caller_phrasings.tsv")


def _phrasings():
    with open(PHRASINGS, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    return [(row[0], row[1], row[2] if len(row) > 2 else "ja") for row in rows]


@pytest.fixture(scope="module")
def desk():
    return DeskIndex(load_faq(), load_flows(), contacts.directory())


def test_the_phrasing_set_is_large_and_names_real_items(desk):
    rows = _phrasings()
    assert len(rows) >= 30
    keys = {f"{d.kind}:{d.id}" for d in desk.docs()}
    assert len([r for r in rows if r[2] == "ja"]) >= 30
    assert {want for _q, want, _lang in rows} <= keys
    kinds = {want.split(":")[0] for _q, want, _lang in rows}
    assert kinds == {"flow", "faq", "contact"}


@pytest.mark.parametrize("query,want,lang", _phrasings())
def test_caller_phrasing_finds_its_entry_first(desk, query, want, lang):
    found = desk.search(query, lang=lang)
    assert found, f"{query!r} found nothing"
    assert found[0].key == want, (query, [(m.key, m.score) for m in found[:4]])


def test_qr_cannot_be_read_as_the_issue_reported(desk):
    keys = [m.key for m in desk.search("QRが読めない")]
    assert keys[:2] == ["flow:qr_not_reading", "faq:coupon-qr-not-reading"]
    assert "faq:coupon-camera-permission" in keys  # the camera FAQ is still offered


def test_terms_keep_what_the_caller_said(desk):
    assert [t.text for t in desk.terms("QRが読めない")] == ["qr", "読メ"]
    assert [t.text for t in desk.terms("カメラが起動しない")] == ["カメラ", "起動"]
    assert [t.text for t in desk.terms("保育課の電話番号")] == ["保育課"]  # the number is what the page shows
    assert [t.text for t in desk.terms("問い合わせ先")] == ["問イ合ワセ先"]  # asked alone, it is searched for
    assert "読ミ取" in desk.terms("よめない")[0].forms


def test_facility_synonyms_and_folding_apply(desk):
    assert desk.search("ﾊﾟｽﾜｰﾄﾞ")[0].key == "flow:forgot_password"  # half-width kana
    assert desk.search("pasuwado")[0].key == "flow:forgot_password"  # romaji reading
    assert desk.search("ファミサポ")[0].key == "contact:mat-kodomo-ikusei"  # a facility-search synonym


def test_english_queries(desk):
    assert desk.search("password", lang="en")[0].key == "flow:forgot_password"
    assert desk.search("QR code", lang="en")[0].key == "flow:qr_not_reading"


def test_results_name_the_contacts_to_call(desk):
    by_key = {m.key: m for m in desk.search("QRが読めない")}
    assert "support_center" in by_key["flow:qr_not_reading"].names  # its route step
    assert by_key["faq:coupon-qr-not-reading"].names == ("support_center",)
    wrong = desk.search("枚数を間違えた")[0]
    assert wrong.key == "flow:wrong_coupon_count"
    assert {"mat-kodomo-ikusei", "mat-hoiku", "mat-kodomo-fukushi", "mat-kenko-zukuri"} <= set(wrong.names)
    assert desk.search("保育課")[0].names == ("mat-hoiku",)


def test_nothing_for_nothing(desk):
    assert desk.search("") == [] and desk.search("   ") == []
    assert desk.search("ゾウの鼻") == []


def test_caller_phrasings_are_validated_like_synonyms(tmp_path):
    assert len(load_caller_groups()) >= 30
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "groups": [["読めない"]]}), encoding="utf-8")
    with pytest.raises(SynonymDataError):
        load_caller_groups(str(bad))
    assert os.path.exists(CALLER_FILE)
