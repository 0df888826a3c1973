"""The search pages, the language switch and the index following the database."""

import jaconv
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Facility


def _some(app, **where):
    with app.app_context():
        stmt = select(Facility).where(Facility.status == "active").order_by(Facility.external_id)
        for k, v in where.items():
            stmt = stmt.where(getattr(Facility, k) == v)
        f = db.session.scalars(stmt).first()
        return f.external_id, f.name, f.name_kana, f.category_code, f.municipality_code


def test_top_page_in_japanese_by_default(demo_client):
    r = demo_client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<html lang="ja">' in html and "子どもと行けるお店・施設をさがす" in html
    assert "飲食店" in html and "藤沢市" in html and "横浜市" not in html.split('id="area"')[1].split("</select>")[0]


def test_language_switch_to_english_and_back(demo_client):
    r = demo_client.get("/language/en?next=/search?q=%E6%8E%88%E4%B9%B3")
    assert r.status_code == 302 and r.headers["Location"].endswith("/search?q=%E6%8E%88%E4%B9%B3")
    html = demo_client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Find child-friendly places" in html and "Restaurants" in html
    demo_client.get("/language/ja")
    assert '<html lang="ja">' in demo_client.get("/").get_data(as_text=True)


def test_language_switch_refuses_offsite_redirect(demo_client):
    r = demo_client.get("/language/en?next=https://evil.example/")
    assert r.headers["Location"] == "/"


def test_hiragana_reading_finds_katakana_name(demo_app, demo_client):
    ext_id, name, kana, *_ = _some(demo_app)
    hira = jaconv.kata2hira(kana)
    html = demo_client.get("/search", query_string={"q": hira}).get_data(as_text=True)
    assert f"/facilities/{ext_id}" in html


def test_results_highlight_and_link_to_detail(demo_app, demo_client):
    ext_id, name, *_ = _some(demo_app)
    word = name.split()[0][:3]
    html = demo_client.get("/search", query_string={"q": word}).get_data(as_text=True)
    assert "<mark>" in html and "件" in html


def test_filters_combine_and_show_counts(demo_app, demo_client):
    _, _, _, category, area = _some(demo_app)
    html = demo_client.get("/search", query_string={"category": category, "area": area}).get_data(as_text=True)
    assert 'name="category" value="%s" checked' % category in html
    assert "条件を外す" in html  # active filters can be removed one by one


def test_empty_result_offers_loosened_search(demo_app, demo_client):
    _, name, _, category, _ = _some(demo_app)
    other = "lodging" if category != "lodging" else "finance"
    word = name.split()[0][:3]
    html = demo_client.get("/search", query_string={"q": word, "category": other, "amenity": "priority_parking"}
                           ).get_data(as_text=True)
    if "該当する施設がありません" in html:
        assert "の条件を外す" in html


def test_nothing_found_page(demo_client):
    html = demo_client.get("/search", query_string={"q": "ゾゾゾゾ存在しない"}).get_data(as_text=True)
    assert "該当する施設がありません" in html and "ハマハグ" in html


def test_bad_parameters_are_dropped_with_a_notice(demo_client):
    r = demo_client.get("/search", query_string={"category": "nope", "page": "x", "sort": "weird"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "指定が正しくありません" in html and "整数で指定してください" in html


def test_detail_page(demo_app, demo_client):
    ext_id, name, *_ = _some(demo_app)
    r = demo_client.get(f"/facilities/{ext_id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and name in html and "tel:" in html
    assert demo_client.get("/facilities/NO-SUCH").status_code == 404


def test_coupon_places_are_searchable(demo_client):
    html = demo_client.get("/search", query_string={"q": "病後児保育"}).get_data(as_text=True)
    assert "こどもプラザ" in html
    html = demo_client.get("/search", query_string={"programme": "coupon", "q": "ほいくえん"}).get_data(as_text=True)
    assert "保育園" in html
    assert "ファミリーサポートセンター" in demo_client.get("/services").get_data(as_text=True)


def test_security_headers(demo_client):
    r = demo_client.get("/")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_oversized_query_is_cut_and_reported(demo_client):
    html = demo_client.get("/search", query_string={"q": "あ" * 500}).get_data(as_text=True)
    assert "検索語が長すぎます" in html


# -- the index follows the database ------------------------------------------------------------------------
def _record(**kw):
    raw = {"external_id": "T-1", "name": "テスト こもれび食堂", "name_kana": "こもれびしょくどう",
           "category": "restaurant", "municipality": "142051", "address": "藤沢市辻堂1-1",
           "benefits": {"otoku": "お子さまの食事を10%引き"}, "amenities": ["kids_chair"]}
    raw.update(kw)
    return raw


def _search(app, text):
    from search_index import SearchQuery
    from webapp.indexing import get_index
    with app.app_context():
        return [h.id for h in get_index().search(SearchQuery(text=text)).hits]


def test_created_edited_withdrawn_facility_follows_in_index(ref_app):
    from webapp.facilities.importing import load_records
    from webapp.facilities.operations import withdraw_facility
    with ref_app.app_context():
        load_records(db.session, [_record()])
        assert _search(ref_app, "こもれび") == []  # not before the commit
        db.session.commit()
    assert _search(ref_app, "こもれび") == ["T-1"]
    with ref_app.app_context():
        load_records(db.session, [_record(name="テスト ひだまり食堂", name_kana="ひだまりしょくどう")])
        db.session.commit()
    assert _search(ref_app, "こもれび") == [] and _search(ref_app, "ひだまり") == ["T-1"]
    with ref_app.app_context():
        withdraw_facility(db.session, "T-1")
        db.session.commit()
    assert _search(ref_app, "ひだまり") == []


def test_rolled_back_change_never_reaches_the_index(ref_app):
    from webapp.facilities.importing import load_records
    with ref_app.app_context():
        load_records(db.session, [_record(external_id="T-2", name="まぼろし商店")])
        db.session.rollback()
        db.session.commit()
    assert _search(ref_app, "まぼろし") == []


def test_worker_mode_applies_changes_only_in_the_worker(ref_app):
    from webapp.facilities.importing import load_records
    from webapp.indexing import run_worker
    ref_app.config["SEARCH_INDEX_MODE"] = "worker"
    with ref_app.app_context():
        load_records(db.session, [_record(external_id="T-3", name="よつば文具店", name_kana="よつばぶんぐてん",
                                          category="retail")])
        db.session.commit()
    assert _search(ref_app, "よつば") == []
    with ref_app.app_context():
        run_worker(ref_app, once=True)
    assert _search(ref_app, "よつば") == ["T-3"]


def test_change_committed_late_with_an_earlier_log_id_is_not_skipped(ref_app):
    """Writer A has logged its change but not committed; writer B commits meanwhile and an indexer runs. A's
    change must still reach the index once A commits: change-log ids become visible in order."""
    import threading
    import time

    from sqlalchemy import event, text
    from sqlalchemy.orm import Session

    from webapp.facilities.importing import load_records
    from webapp.indexing import apply_changes, get_index
    from webapp.models import SearchChange
    ref_app.config["SEARCH_INDEX_MODE"] = "worker"  # only the indexer below applies the log
    a_logged, release_a, errors = threading.Event(), threading.Event(), []

    def pause_after_logging(session, flush_context):
        if any(isinstance(o, SearchChange) for o in session.new):
            a_logged.set()
            release_a.wait(10)

    def writer(ext_id, name, kana, pause):
        try:
            with ref_app.app_context():
                if pause:
                    event.listen(db.session(), "after_flush", pause_after_logging)
                load_records(db.session, [_record(external_id=ext_id, name=name, name_kana=kana)])
                db.session.commit()
        except Exception as e:  # reported below
            errors.append(e)

    a = threading.Thread(target=writer, args=("T-A", "テスト あおば食堂", "あおばしょくどう", True))
    b = threading.Thread(target=writer, args=("T-B", "テスト くるみ食堂", "くるみしょくどう", False))
    with ref_app.app_context():
        engine, index = db.engine, get_index()
    a.start()
    assert a_logged.wait(10), "writer A never logged its change"
    b.start()
    b.join(1.0)  # B either waits for A (the log is ordered) or commits ahead of it
    if engine.dialect.name == "postgresql" and b.is_alive():
        with engine.connect() as conn:
            deadline = time.monotonic() + 5
            while not conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                        "AND NOT granted")).scalar() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                     "AND NOT granted")).scalar() == 1
    with Session(engine) as s:
        apply_changes(s, index)  # the indexer runs while A is still open
    release_a.set()
    a.join(10)
    b.join(10)
    assert not errors and not a.is_alive() and not b.is_alive()
    with Session(engine) as s:
        apply_changes(s, index)
    assert _search(ref_app, "あおば食堂") == ["T-A"]
    assert _search(ref_app, "くるみ食堂") == ["T-B"]


def test_reindex_command_rebuilds_from_database(ref_app):
    from webapp.facilities.importing import load_records
    ref_app.config["SEARCH_INDEX_MODE"] = "worker"  # the change log is not applied: only a rebuild shows it
    with ref_app.app_context():
        load_records(db.session, [_record(external_id="T-4", name="みなと模型店", category="retail")])
        db.session.commit()
    assert _search(ref_app, "みなと模型") == []
    result = ref_app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0 and "Indexed" in result.output
    assert _search(ref_app, "みなと模型") == ["T-4"]


def test_production_refuses_the_development_secret(tmp_path):
    from webapp import create_app
    with pytest.raises(RuntimeError):
        create_app({"ENV_PRODUCTION": True, "SECRET_KEY": "dev-only-insecure-secret-key",
                    "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "x.db")})


def test_a_phrase_query_is_retried_and_the_page_says_so(demo_client):
    html = demo_client.get("/search?q=藤沢で授乳室があるところ").get_data(as_text=True)
    assert "そのままでは見つからなかったため" in html and "「藤沢」、「授乳室」" in html
    data = demo_client.get("/api/v1/facilities?q=藤沢で授乳室があるところ&per_page=50").get_json()
    assert data["relaxed_from"] == "藤沢で授乳室があるところ" and data["total"] > 0
    assert "藤沢市子育て支援センター" in [i["name"] for i in data["items"]]
    assert demo_client.get("/api/v1/facilities?q=藤沢").get_json()["relaxed_from"] is None


def test_search_page_accepts_an_area_name(demo_client):
    html = demo_client.get("/search", query_string={"area": "鎌倉市"}).get_data(as_text=True)
    assert 'name="area" value="142042" checked' in html and "指定が正しくありません" not in html


def test_a_typo_in_a_name_offers_the_corrected_search(demo_client):
    html = demo_client.get("/search", query_string={"q": "ドルファン"}).get_data(as_text=True)
    assert "もしかして:" in html and "<mark>ドルフィン</mark>" in html
    link = html.split('class="notice did-you-mean"')[1].split('href="')[1].split('"')[0]
    assert link.startswith("/search?") and "q=%E3%83%89%E3%83%AB%E3%83%95%E3%82%A3%E3%83%B3" in link  # ドルフィン
    corrected = demo_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "もしかして" not in corrected and "<mark>ドルフィン</mark>" in corrected
    demo_client.get("/language/en")
    try:
        html = demo_client.get("/search", query_string={"q": "ドルファン"}).get_data(as_text=True)
        assert "Did you mean:" in html
    finally:
        demo_client.get("/language/ja")


def test_a_sentence_shows_the_filters_it_was_read_into(demo_client):
    html = demo_client.get("/search", query_string={"q": "雨の日に子どもと遊べる場所 藤沢"}).get_data(as_text=True)
    assert "入力された言葉から、次の条件で絞り込みました" in html
    understood = html.split('class="active-filters understood"')[1].split("</ul>")[0]
    assert "地域: 藤沢市" in understood and "設備: キッズスペース" in understood
    assert "「雨」、「日」、「子ども」" in html  # said to be left out
    remove = [a.split('"')[0].replace("&amp;", "&") for a in understood.split('href="')[1:]]
    assert len(remove) == 2
    without_area = next(u for u in remove if "area=" not in u)
    assert "amenity=kids_space" in without_area and "q=" not in without_area
    page = demo_client.get(without_area).get_data(as_text=True)
    assert 'name="amenity" value="kids_space" checked' in page and "絞り込みました" not in page


def test_the_api_reports_corrections_and_understood_filters(demo_client):
    data = demo_client.get("/api/v1/facilities", query_string={"q": "ドルファン"}).get_json()
    assert data["did_you_mean"]["text"] == "ドルフィン" and data["did_you_mean"]["exact_total"] == 0
    assert data["did_you_mean"]["url"].startswith("http://localhost/api/v1/facilities?")
    assert data["total"] > 0 and all("ドルフィン" in i["name"] for i in data["items"])
    assert demo_client.get("/api/v1/facilities", query_string={"q": "ドルフィン"}).get_json()["did_you_mean"] is None

    data = demo_client.get("/api/v1/facilities",
                           query_string={"q": "where can I change a diaper near Kamakura Station"}).get_json()
    assert data["total"] > 0
    assert all(i["municipality"]["code"] == "142042" and "diaper_changing" in i["amenities"] for i in data["items"])
    filters = {f["parameter"]: f for f in data["understood"]["filters"]}
    assert filters["area"]["value"] == "142042" and filters["amenity"]["value"] == "diaper_changing"
    wider = demo_client.get(filters["area"]["remove_url"]).get_json()
    assert wider["total"] >= data["total"] and wider["understood"] is None

    data = demo_client.get("/api/v1/facilities", query_string={"q": "ベビーカーで入れるレストラン"}).get_json()
    assert data["understood"]["filters"][0]["parameter"] == "category" and data["understood"]["text"] == "ベビーカー"
    assert data["total"] > 0 and all(i["category"]["code"] == "restaurant" for i in data["items"])


def test_cards_show_the_english_name_on_english_pages(ref_app):
    from urllib.parse import quote

    from webapp.facilities.importing import load_records
    with ref_app.app_context():
        load_records(db.session, [{"external_id": "EN-1", "name": "ぽかぽか食堂", "name_kana": "ぽかぽかしょくどう",
                                   "name_en": "Pokapoka Diner", "category": "restaurant", "municipality": "142051",
                                   "address": "藤沢市辻堂1-1", "benefits": {"otoku": "ジュース1杯無料"}}])
        db.session.commit()
    client = ref_app.test_client()
    url = "/search?q=" + quote("ぽかぽか")
    assert "Pokapoka Diner" not in client.get(url).get_data(as_text=True)
    english = client.get(url + "&lang=en").get_data(as_text=True)
    assert '<p class="name-en" lang="en">Pokapoka Diner</p>' in english


def test_a_filter_group_lists_the_values_that_find_something_or_are_chosen_in_display_order():
    from webapp.search.views import facet_rows
    labels = {"restaurant": "飲食店", "shop": "物販", "lodging": "宿泊", "public": "公共施設"}
    counts = {"public": 4, "restaurant": 2, "lodging": 0, "unknown": 9}
    assert facet_rows(labels, counts, ("shop",)) == [("restaurant", "飲食店", 2, False), ("shop", "物販", 0, True),
                                                      ("public", "公共施設", 4, False)]
    assert facet_rows(labels, {}, ()) == []


def test_cards_say_open_now_from_the_hours_at_the_time_of_the_search(ref_app):
    """The card's 営業中 comes from the index's hours at the search's time: a place open around the clock says
    it, one never open (no open day) does not."""
    from urllib.parse import quote

    from webapp.facilities.importing import load_records
    common = {"name_kana": "ぽかぽか", "category": "restaurant", "municipality": "142051", "address": "藤沢市辻堂1-1",
              "benefits": {"otoku": "ジュース1杯無料"}}
    with ref_app.app_context():
        load_records(db.session, [
            {**common, "external_id": "OP-1", "name": "ぽかぽか終日店", "open_days": "月火水木金土日",
             "opens": "00:00", "closes": "24:00"},
            {**common, "external_id": "OP-2", "name": "ぽかぽか休業店", "open_days": "", "opens": "10:00",
             "closes": "11:00"}])
        db.session.commit()
    page = ref_app.test_client().get("/search?q=" + quote("ぽかぽか")).get_data(as_text=True)
    cards = {c.split('href="/facilities/')[1][:4]: c for c in page.split('<article class="card">')[1:]}
    assert set(cards) == {"OP-1", "OP-2"}
    assert '<span class="open">営業中</span>' in cards["OP-1"] and 'class="open"' not in cards["OP-2"]
