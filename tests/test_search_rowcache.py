"""The per-process copies of reference rows and result-card facilities (webapp/search/rowcache.py): a search
repeated on an unchanged index reads no reference or facility rows, any change the index applies or a reference
row committed in this process is seen on the next page, and the copies are usable outside any session."""
import contextlib
import time
from urllib.parse import quote

import pytest
from sqlalchemy import event

from webapp.extensions import db
from webapp.facilities.importing import load_records
from webapp.models import Category
from webapp.search.rowcache import SearchRows

ROW = {"external_id": "RC-1", "name": "ぽかぽか食堂", "name_kana": "ぽかぽかしょくどう", "category": "restaurant",
       "municipality": "142051", "address": "藤沢市辻堂1-1", "benefits": {"otoku": "ジュース1杯無料"},
       "amenities": ["nursing_room"]}
PAGE = "/search?q=" + quote("ぽかぽか")
API = "/api/v1/facilities?q=" + quote("ぽかぽか")


@contextlib.contextmanager
def tables_read(app):
    """The tables named in the FROM clauses of the statements run meanwhile (as one lower-case string each)."""
    seen: list[str] = []

    def note(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement.lower())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def reads(statements: list[str], table: str) -> int:
    return sum(f"from {table}" in s or f'from "{table}"' in s for s in statements)


def facility_loads(statements: list[str]) -> int:
    """Statements that load facilities by external id (not the relationships loaded with them)."""
    return sum("facilities.external_id in" in s for s in statements)


@pytest.fixture
def shop_app(ref_app):
    with ref_app.app_context():
        load_records(db.session, [ROW])
        db.session.commit()  # indexed at once (inline)
    return ref_app


def no_page_cache(client):
    client.set_cookie("session", "someone")  # any cookie but the language one: the page cache stays out


def test_a_repeated_search_reads_no_reference_or_facility_rows(shop_app):
    client = shop_app.test_client()
    no_page_cache(client)
    assert "/facilities/RC-1" in client.get(PAGE).get_data(as_text=True)
    with tables_read(shop_app) as seen:
        page = client.get(PAGE).get_data(as_text=True)
        api = client.get(API).json
    assert "<mark>ぽかぽか</mark>食堂</a>" in page and "<span>飲食店</span>" in page  # the card: name, category
    assert api["items"][0]["amenities"] == ["nursing_room"] and api["items"][0]["benefits"]["otoku"]
    for table in ("facilities", "categories", "municipalities", "amenities", "benefit_kinds", "coupon_services",
                  "facility_benefits"):
        assert reads(seen, table) == 0, (table, seen)


def test_an_edit_the_index_applied_is_on_the_next_card(shop_app):
    client = shop_app.test_client()
    no_page_cache(client)
    assert client.get(API).json["items"][0]["name"] == "ぽかぽか食堂"
    with shop_app.app_context():
        load_records(db.session, [dict(ROW, name="ぽかぽか食堂 本店", benefits={"setsubi": "授乳室あり"})])
        db.session.commit()
    item = client.get(API).json["items"][0]
    assert item["name"] == "ぽかぽか食堂 本店" and item["benefits"] == {"setsubi": "授乳室あり"}
    assert "食堂 本店</a>" in client.get(PAGE).get_data(as_text=True)


def test_a_reference_row_committed_here_is_seen_at_once(shop_app):
    client = shop_app.test_client()
    no_page_cache(client)
    assert client.get(API).json["items"][0]["category"]["name"] == "飲食店"
    with shop_app.app_context():
        state = shop_app.extensions["search_index"].state()
        db.session.get(Category, "restaurant").name = "レストラン・カフェ"
        db.session.commit()  # no facility changed: the index is where it was
        assert shop_app.extensions["search_index"].state() == state
    assert client.get(API).json["items"][0]["category"]["name"] == "レストラン・カフェ"
    assert "<span>レストラン・カフェ</span>" in client.get(PAGE).get_data(as_text=True)


def test_switched_off_every_page_reads(tmp_path):
    from tests.conftest import _drop_pg_schema, _make_app
    from webapp.cli import init_db
    from webapp.indexing import get_index, rebuild_index
    app = _make_app(tmp_path, SEARCH_ROW_CACHE_SECONDS=0)
    try:
        with app.app_context():
            init_db()
            load_records(db.session, [ROW])
            db.session.commit()
            rebuild_index(db.session, get_index())
        client = app.test_client()
        no_page_cache(client)
        client.get(API)
        with tables_read(app) as seen:
            assert client.get(API).json["total"] == 1
        assert reads(seen, "categories") == 1 and reads(seen, "facilities") >= 1
    finally:
        with app.app_context():
            db.session.remove()
            app.extensions["search_index"].close()
            db.engine.dispose()
        _drop_pg_schema(app)


def test_copies_follow_the_state_expire_and_keep_the_newest(shop_app):
    rows = SearchRows(seconds=600, entries=2)
    with shop_app.app_context():
        extra = [dict(ROW, external_id=f"RC-{n}", name=f"ぽかぽか{n}号店") for n in (2, 3)]
        load_records(db.session, extra)
        db.session.commit()
        with tables_read(shop_app) as seen:
            first = rows.facilities(db.session, ("g", 1), ["RC-1", "RC-2", "RC-404"])
            again = rows.facilities(db.session, ("g", 1), ["RC-2", "RC-1"])
            refs = rows.references(db.session, ("g", 1))
            assert rows.references(db.session, ("g", 1)) is refs
        assert sorted(first) == ["RC-1", "RC-2"]  # an unknown id is left out
        assert again["RC-1"] is first["RC-1"] and facility_loads(seen) == 1 and reads(seen, "categories") == 1
        rows.facilities(db.session, ("g", 1), ["RC-3"])  # two entries at most: RC-2 (least recently used) goes
        with tables_read(shop_app) as seen:
            assert rows.facilities(db.session, ("g", 1), ["RC-1", "RC-3"])["RC-3"].name == "ぽかぽか3号店"
            assert facility_loads(seen) == 0
            rows.facilities(db.session, ("g", 1), ["RC-2"])
            assert facility_loads(seen) == 1
        with tables_read(shop_app) as seen:
            rows.facilities(db.session, ("g", 2), ["RC-2"])  # the index moved on
            assert rows.references(db.session, ("g", 2)) is not refs
            assert facility_loads(seen) == 1
        brief = SearchRows(seconds=0.05)
        with tables_read(shop_app) as seen:
            brief.facilities(db.session, ("g", 2), ["RC-2"])
            time.sleep(0.1)
            brief.facilities(db.session, ("g", 2), ["RC-2"])  # too old: read again
            assert facility_loads(seen) == 2
        db.session.rollback()
        db.session.remove()
    # Detached, and complete: readable with no session, after the one that loaded them is gone.
    f = first["RC-1"]
    assert (f.category.name, f.municipality.name) == ("飲食店", "藤沢市")
    assert [b.text for b in f.benefits] == ["ジュース1杯無料"] and [a.code for a in f.amenities] == ["nursing_room"]
    assert f.services == []
    orders = [c.sort_order for c in refs["categories"]]
    assert len(orders) > 3 and orders == sorted(orders)


def test_values_made_from_the_reference_rows_are_made_once_per_copy():
    from webapp.search.rowcache import per_refs
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    one, other = {"categories": []}, {"categories": []}
    first = per_refs(one, ("test", "ja"), compute)
    assert per_refs(one, ("test", "ja"), compute) is first and len(calls) == 1
    assert per_refs(one, ("test", "en"), compute) == {"n": 2}  # another key (language)
    assert per_refs(other, ("test", "ja"), compute) == {"n": 3}  # new copies: computed again
    assert per_refs(None, ("test", "ja"), compute) == {"n": 4} and per_refs(None, ("test", "ja"), compute) == {"n": 5}


def test_cards_are_read_as_committed_not_as_the_request_began(shop_app):
    """A card is kept under the index state it was read at: it must hold what was committed by then, even when
    the request's transaction began reading before another process's edit (and the index update) landed."""
    from sqlalchemy import select, update
    from sqlalchemy.orm import Session

    from webapp.models import Facility
    rows = SearchRows(seconds=600)
    with shop_app.app_context():
        assert db.session.scalar(select(Facility.name).where(Facility.external_id == "RC-1")) == "ぽかぽか食堂"
        with Session(db.engine) as other:  # meanwhile, another process edits it and the index moves on
            other.execute(update(Facility).where(Facility.external_id == "RC-1").values(name="ぽかぽか食堂 新館"))
            other.commit()
        assert rows.facilities(db.session, ("g", 2), ["RC-1"])["RC-1"].name == "ぽかぽか食堂 新館"
        db.session.rollback()


def test_values_made_from_one_row_are_kept_on_that_row_object():
    from webapp.search.rowcache import per_row
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    class Row:
        pass

    one, other = Row(), Row()
    assert per_row(one, ("card", "ja"), compute) == 1 and per_row(one, ("card", "ja"), compute) == 1
    assert per_row(one, ("card", "en"), compute) == 2  # another language: its own value
    assert per_row(other, ("card", "ja"), compute) == 3  # a row loaded afresh starts without any
    assert per_row(one, ("card", "ja"), compute) == 1 and len(calls) == 3


def test_cards_kept_on_a_copy_follow_the_page_language_and_the_edits(shop_app):
    """The parts of a card kept on a process copy (webapp/search/cards.py) are per language, and an edit the
    index applied reaches the card, not the parts kept on the old copy."""
    client = shop_app.test_client()
    no_page_cache(client)
    for _ in range(2):
        ja = client.get(PAGE).get_data(as_text=True)
        assert "<span>飲食店</span> · <span>藤沢市</span>" in ja and ">お得</li>" in ja and "ジュース1杯無料" in ja
        en = client.get(PAGE + "&lang=en").get_data(as_text=True)
        assert "<span>Restaurants &amp; cafés</span> · <span>Fujisawa</span>" in en and ">Savings</li>" in en
        client.get("/?lang=ja")
    with shop_app.app_context():
        load_records(db.session, [{**ROW, "benefits": {"setsubi": "授乳室あり"}}])
        db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert ">設備</li>" in page and "授乳室あり" in page and "ジュース1杯無料" not in page


def test_one_request_reads_the_index_state_once_and_the_next_one_afresh(shop_app):
    """The page cache, the reference rows and the cards of one answer share one key (read once a request: a
    realpath and a file read); the next request sees the index where it is now."""
    from webapp.indexing import index_state
    index = shop_app.extensions["search_index"]
    with shop_app.test_request_context(PAGE):
        first = index_state()
        assert first == index.state() and first[1] > 0
        load_records(db.session, [dict(ROW, name="ぽかぽか食堂 二号店")])
        db.session.commit()  # indexed at once (inline): the checkpoint moves
        assert index.state() != first
        assert index_state() == first
    with shop_app.test_request_context(PAGE):
        assert index_state() == index.state() != first
    with shop_app.app_context():
        assert index_state() == index.state()  # outside a request: read each time
