"""Search benchmark: our index (Whoosh + NumPy query engine) against SQLite FTS5 (trigram) on the same rows.

    .venv/bin/python bench/search.py --facilities 50000

Prints build time, index size, p50/p95 query latency over a mixed query set with and without filters
(cold: first run of each query in a fresh process view; warm: later runs), the same for FTS5, and the
ratio. Both sides get the same folded text (search_index.normalize) so they answer the same question."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from types import SimpleNamespace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from search_index import SearchIndex, SearchQuery, normalize  # noqa: E402
from search_index.analysis import words as fold_words  # noqa: E402
from webapp.demo.synth import generate  # noqa: E402
from webapp.domain.facility_record import validate_record  # noqa: E402
from webapp.indexing import build_labels, record_doc  # noqa: E402
from webapp.reference import load_all, reference  # noqa: E402

QUERIES = [
    "カフェ", "かふぇ", "ｶﾌｪ", "cafe", "ベーカリー", "べーかりー", "授乳", "授乳室", "じゅにゅう", "おむつ",
    "キッズスペース", "きっずすぺーす", "駅", "春", "湯", "露天風呂", "風呂", "茅ヶ崎", "茅ケ崎", "茅が崎",
    "藤沢", "ふじさわ", "fujisawa", "相模原", "箱根 旅館", "小田原 カフェ", "歯科", "スイミング", "英会話",
    "ＡＢＣ", "図書館", "割引", "5%", "ジュース", "ミルク お湯", "ベビーカー", "駐車場", "本厚木駅前",
    "さくら", "ひまわり", "美容室", "ヘアサロン", "子育て支援センター", "書店", "薬局", "レストラン 駅",
    "ラーメン", "寿司", "パン", "ケーキ", "温泉", "水族館", "公園", "病院", "小児科", "写真", "クリーニング",
    "タクシー", "銀行", "ホテル",
]
FILTERS = [
    {}, {"category": ("restaurant",)}, {"area": ("142051",)}, {"amenity": ("nursing_room",)},
    {"benefit": ("otoku",), "category": ("retail", "restaurant")},
    {"open_at": dt.datetime(2026, 11, 21, 14, 0)},
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def build_docs(n: int, seed: int):
    ref = reference()
    prefectures = {m["code"]: m["prefecture"] for m in load_all()["municipalities"]}
    docs = []
    for raw in generate(n, seed=seed):
        rec, errors = validate_record(raw, ref, today=dt.date(2026, 11, 1))
        if errors:
            raise SystemExit(f"synthetic record rejected: {errors}")
        docs.append(record_doc(rec, prefectures[rec.municipality]))
    return docs


def labels():
    d = load_all()
    ns = lambda rows, **extra: [SimpleNamespace(**{**extra, **r}) for r in rows]  # noqa: E731
    amen = [SimpleNamespace(**{**a, "aliases": "|".join(a.get("aliases", []))}) for a in d["amenities"]]
    return build_labels(ns(d["categories"]), ns(d["municipalities"]), amen, ns(d["benefit_kinds"]),
                        ns(d["matsumoto"]["services"]))


# -- SQLite FTS5 peer -------------------------------------------------------------------------------------
def build_fts(docs, path):
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(name, body, tokenize='trigram')")
    con.execute("CREATE TABLE f (rowid INTEGER PRIMARY KEY, id TEXT, category TEXT, area TEXT, benefits TEXT, "
                "amenities TEXT, days INT, opens INT, closes INT)")
    con.execute("CREATE INDEX f_cat ON f(category)")
    con.execute("CREATE INDEX f_area ON f(area)")
    from search_index.hours import days_mask, parse_hhmm
    with con:
        for i, d in enumerate(docs, 1):
            name = normalize(" ".join(x for x in (d["name"], d["name_kana"], d["name_en"]) if x))
            con.execute("INSERT INTO fts(rowid, name, body) VALUES (?,?,?)",
                        (i, name, normalize(d["address"] + " " + d["body"])))
            con.execute("INSERT INTO f VALUES (?,?,?,?,?,?,?,?,?)",
                        (i, d["id"], d["category"], d["area"], "," + ",".join(d["benefits"]) + ",",
                         "," + ",".join(d["amenities"]) + ",", days_mask(d["open_days"]),
                         parse_hhmm(d["opens"]), parse_hhmm(d["closes"])))
    return con


def fts_query(con, text, filters, per_page=20):
    """Count and first page, ranked by bm25 (name weighted), with the same filters (no facet counts)."""
    where, params = [], []
    ws = fold_words(text)
    match_terms = [w for w in ws if len(w) >= 3]
    short = [w for w in ws if len(w) < 3]
    sql_from = "fts JOIN f ON f.rowid = fts.rowid"
    if match_terms:
        where.append("fts MATCH ?")
        params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in match_terms))
    for w in short:  # trigram cannot index one- and two-character words: LIKE scans
        where.append("(fts.name LIKE ? OR fts.body LIKE ?)")
        params += [f"%{w}%", f"%{w}%"]
    for key in ("category", "area"):
        if key in filters:
            where.append(f"f.{key} IN ({','.join('?' * len(filters[key]))})")
            params += list(filters[key])
    if "benefit" in filters:
        where.append("(" + " OR ".join("f.benefits LIKE ?" for _ in filters["benefit"]) + ")")
        params += [f"%,{b},%" for b in filters["benefit"]]
    if "amenity" in filters:
        for a in filters["amenity"]:
            where.append("f.amenities LIKE ?")
            params.append(f"%,{a},%")
    if "open_at" in filters:
        t = filters["open_at"]
        m = t.hour * 60 + t.minute
        where.append("(f.days & ?) != 0 AND f.opens <= ? AND ? < f.closes")
        params += [1 << t.weekday(), m, m]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = con.execute(f"SELECT count(*) FROM {sql_from}{clause}", params).fetchone()[0]
    order = " ORDER BY bm25(fts, 4.0, 1.0)" if match_terms else " ORDER BY f.rowid"
    rows = con.execute(f"SELECT f.id FROM {sql_from}{clause}{order} LIMIT ?", params + [per_page]).fetchall()
    return total, [r[0] for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facilities", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=3, help="warm rounds over the query set")
    ap.add_argument("--keep", help="directory to keep the built index in")
    args = ap.parse_args()

    t0 = time.perf_counter()
    docs = build_docs(args.facilities, args.seed)
    print(f"facilities: {len(docs)} (generated and validated in {time.perf_counter() - t0:.1f}s)")
    work = args.keep or tempfile.mkdtemp(prefix="kosodate-bench-")
    try:
        index = SearchIndex(os.path.join(work, "index"))
        stats = index.rebuild(docs, labels=labels(), procs=min(os.cpu_count() or 1, 4))
        print(f"ours  build: {stats.seconds:.1f}s, index size {stats.size_bytes / 1e6:.1f} MB")
        t0 = time.perf_counter()
        con = build_fts(docs, os.path.join(work, "fts.sqlite3"))
        fts_build = time.perf_counter() - t0
        fts_size = os.path.getsize(os.path.join(work, "fts.sqlite3"))
        print(f"fts5  build: {fts_build:.1f}s, database size {fts_size / 1e6:.1f} MB")

        cases = [(q, f) for q in QUERIES for f in FILTERS]
        now = dt.datetime(2026, 11, 21, 14, 0)
        t0 = time.perf_counter()
        index.search(SearchQuery(per_page=1, now=now))  # opens the searcher and loads the per-generation arrays
        print(f"ours  first search (open + arrays): {(time.perf_counter() - t0) * 1000:.0f} ms")

        def ours(q, f):
            return index.search(SearchQuery(text=q, now=now, **f)).total

        def peer(q, f):
            return fts_query(con, q, f)[0]

        # The subset FTS5's trigram index answers without scanning: every word at least 3 characters.
        indexed = [(q, f) for q, f in cases if all(len(w) >= 3 for w in fold_words(q))]
        for title, subset in (("all queries", cases), ("FTS5-indexable queries only (every word >= 3 chars)", indexed)):
            print(f"-- {title}: {len(subset)} query/filter combinations")
            results = {}
            for name, fn in (("ours", ours), ("fts5", peer)):
                cold, warm = [], []
                for rnd in range(args.rounds + 1):
                    random.Random(rnd).shuffle(subset)
                    for q, f in subset:
                        t = time.perf_counter()
                        fn(q, f)
                        (cold if rnd == 0 else warm).append((time.perf_counter() - t) * 1000)
                results[name] = (cold, warm)
                print(f"{name:5} cold p50 {percentile(cold, 50):6.2f} ms  p95 {percentile(cold, 95):6.2f} ms   "
                      f"warm p50 {percentile(warm, 50):6.2f} ms  p95 {percentile(warm, 95):6.2f} ms  "
                      f"max {max(cold + warm):6.1f} ms")
            for label, i in (("cold", 0), ("warm", 1)):
                ours_p95 = percentile(results["ours"][i], 95)
                peer_p95 = percentile(results["fts5"][i], 95)
                print(f"ratio {label} ours/fts5: p95 {ours_p95 / peer_p95:.2f}, "
                      f"p50 {statistics.median(results['ours'][i]) / statistics.median(results['fts5'][i]):.2f}")
        agree = sum(1 for q, f in cases if ours(q, f) >= peer(q, f))
        print(f"recall check: ours finds at least FTS5's count in {agree}/{len(cases)} cases "
              f"(ours also matches labels: category/area/amenity names)")
        index.close()
        con.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
