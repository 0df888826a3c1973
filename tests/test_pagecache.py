"""The micro-cache of anonymous search responses: the same request again is answered from memory, but never
across a change the index applied, a session or a language; a search that found nothing is still counted."""
import time
from urllib.parse import quote

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.pagecache import PageCache
from webapp.search_log import ZeroResultSearch

PLAZA = "/search?q=" + quote("こどもプラザ")
API = "/api/v1/facilities?q=" + quote("こどもプラザ")


def test_an_anonymous_search_is_answered_again_from_the_cache(client):
    first = client.get(PLAZA, headers={"Accept-Encoding": "br"})
    second = client.get(PLAZA, headers={"Accept-Encoding": "br"})
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert second.data == first.data and second.headers["Content-Encoding"] == "br"
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]  # each answer is its own request
    assert "nosniff" in second.headers["X-Content-Type-Options"]
    # Another encoding, another URL: computed anew.
    assert client.get(PLAZA, headers={"Accept-Encoding": "gzip"}).headers["X-Page-Cache"] == "miss"
    assert client.get(API).headers["X-Page-Cache"] == "miss"
    assert client.get(API).headers["X-Page-Cache"] == "hit"


def test_a_change_the_index_applied_is_seen_at_once(ref_app):
    from webapp.facilities.importing import load_records
    client = ref_app.test_client()
    url = "/api/v1/facilities?q=" + quote("ぽかぽか")
    assert client.get(url).json["total"] == 0  # found nothing yet (and that answer is kept)
    row = {"external_id": "PC-1", "name": "ぽかぽか食堂", "name_kana": "ぽかぽかしょくどう", "category": "restaurant",
           "municipality": "142051", "address": "藤沢市辻堂1-1", "benefits": {"otoku": "ジュース1杯無料"}}
    with ref_app.app_context():
        load_records(db.session, [row])
        db.session.commit()  # applied to the index at once (inline), which moves its checkpoint
    assert client.get(url).headers["X-Page-Cache"] == "miss"
    assert client.get(url).json["total"] == 1
    with ref_app.app_context():
        load_records(db.session, [dict(row, name="ぽかぽか食堂 本店")])
        db.session.commit()
    fresh = client.get(url)
    assert fresh.headers["X-Page-Cache"] == "miss" and fresh.json["items"][0]["name"] == "ぽかぽか食堂 本店"


def test_sessions_and_languages_are_never_mixed(client):
    ja = client.get(PLAZA)
    client.get("/language/en?next=/")  # sets the language cookie
    en = client.get(PLAZA)
    assert en.headers["X-Page-Cache"] == "miss" and en.data != ja.data and b'lang="en"' in en.data
    assert client.get(PLAZA).headers["X-Page-Cache"] == "hit"
    client.set_cookie("session", "someone")  # any session (a login, a form in progress): always the view
    assert "X-Page-Cache" not in client.get(PLAZA).headers


def test_a_search_that_finds_nothing_is_counted_even_from_the_cache(ref_app):
    client = ref_app.test_client()
    url = "/search?q=" + quote("ゐゑゐゑ qxqxqz")
    assert [client.get(url).headers["X-Page-Cache"] for _ in range(3)] == ["miss", "hit", "hit"]
    with ref_app.app_context():
        assert db.session.scalar(select(func.sum(ZeroResultSearch.count))) == 3


def test_entries_expire_and_the_oldest_go_first():
    cache = PageCache(seconds=0.05, entries=2)
    cache.put(("a",), 200, [], b"a")
    cache.put(("b",), 200, [], b"b")
    assert cache.get(("a",))[3] == b"a"  # a is now the most recent
    cache.put(("c",), 200, [], b"c")
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None
    time.sleep(0.06)
    assert cache.get(("a",)) is None and cache.get(("c",)) is None
