"""Search quality benchmark: a query set by kind, judged against the demo facilities, for our index and for a
SQLite FTS5 trigram baseline over the same rows (bench/search.py's peer).

    .venv/bin/python bench/search_quality.py [--distractors 20000] [--show]

Kinds: ``exact`` (names and labels typed as they are: today's precision), ``typo`` (one wrong, missing, extra
or swapped character in a name), ``sentence`` (questions typed as sentences, Japanese and English),
``romaji`` (Hepburn, kunrei, long vowels as ou/oo/ō/nothing, a half-converted IME word) and ``english``
(English words for names, categories, amenities, areas).

Each query comes with a rule saying which facilities answer it (on the facility's own fields: name, category,
area, amenities, text), so the judgements are explicit and checkable. Metrics over the first 10 results:
recall@10 (relevant found / min(relevant, 10)), MRR (1 / rank of the first relevant result) and nDCG@10
(binary gains). ``--distractors N`` adds N synthetic facilities (judged by the same rules) to make the
ranking harder; ``--show`` prints each query's scores.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.search import build_docs, build_fts, fts_query, labels  # noqa: E402
from search_index import SearchIndex, SearchQuery, normalize  # noqa: E402
from webapp.domain.facility_record import validate_record  # noqa: E402
from webapp.reference import load_all, reference  # noqa: E402

K = 10
KINDS = ("exact", "typo", "sentence", "romaji", "english")
AREA = {m["name"].rstrip("市町"): m["code"] for m in load_all()["municipalities"]}


def names(d) -> str:
    return normalize(" ".join(x for x in (d["name"], d.get("name_kana"), d.get("name_en")) if x))


def text(d) -> str:
    return normalize(" ".join(x for x in (d["name"], d.get("name_kana"), d.get("name_en"), d["address"], d["body"])
                              if x))


# -- relevance rules ----------------------------------------------------------------------------------------
def name_has(*parts):
    folded = [normalize(p) for p in parts]
    return lambda d: any(p in names(d).replace(" ", "") for p in folded)


def text_has(*parts):
    folded = [normalize(p) for p in parts]
    return lambda d: any(p in text(d).replace(" ", "") for p in folded)


def where(area=None, category=None, amenity=(), also=None):
    def rule(d):
        return ((area is None or d["area"] == AREA[area]) and (category is None or d["category"] == category)
                and all(a in d["amenities"] for a in ((amenity,) if isinstance(amenity, str) else amenity))
                and (also is None or also(d)))
    return rule


QUERIES: list[tuple[str, str, object]] = [
    # exact: names and labels as they are written
    ("exact", "スイミングスクール ドルフィン", name_has("ドルフィン")),
    ("exact", "まんぷく丸", name_has("まんぷく丸")),
    ("exact", "藤沢市子育て支援センター", name_has("藤沢市子育て支援センター")),
    ("exact", "かもめ銀行", name_has("かもめ銀行")),
    ("exact", "回転寿司 海鮮丸", name_has("海鮮丸")),
    ("exact", "ハナミズキ", name_has("ハナミズキ")),
    ("exact", "授乳室", where(amenity="nursing_room")),
    ("exact", "水族館", name_has("水族館")),
    ("exact", "居酒屋 ほたる", name_has("ほたる")),
    ("exact", "図書館", name_has("図書館")),
    # typo: one wrong, missing, extra or swapped character
    ("typo", "ドルファン", name_has("ドルフィン")),
    ("typo", "まんぷく馬", name_has("まんぷく丸")),
    ("typo", "かもめ銀項", name_has("かもめ銀行")),
    ("typo", "ハナミズギ", name_has("ハナミズキ")),
    ("typo", "トランポリソ", name_has("トランポリン")),
    ("typo", "ポラリズ", name_has("ポラリス")),
    ("typo", "スイミンスクール", name_has("スイミングスクール")),
    ("typo", "ドルフィンン", name_has("ドルフィン")),
    ("typo", "カイセンルマ", name_has("海鮮丸")),
    ("typo", "kamome bnak", name_has("かもめ銀行")),
    ("typo", "dolphn", name_has("ドルフィン")),
    ("typo", "ロボラブ", name_has("ロボラボ")),
    # sentence: questions typed as sentences
    ("sentence", "ベビーカーで入れるレストラン", where(category="restaurant", also=text_has("ベビーカー"))),
    ("sentence", "雨の日に子どもと遊べる場所 藤沢", where(area="藤沢", amenity="kids_space")),
    ("sentence", "where can I change a diaper near Kamakura Station", where(area="鎌倉", amenity="diaper_changing")),
    ("sentence", "藤沢で授乳室があるところ", where(area="藤沢", amenity="nursing_room")),
    ("sentence", "おむつ替えができるカフェ", where(amenity="diaper_changing", also=name_has("カフェ", "cafe"))),
    ("sentence", "小田原でキッズスペースのあるお店", where(area="小田原", amenity="kids_space")),
    ("sentence", "子どもと泊まれる宿 箱根", where(area="箱根", category="lodging")),
    ("sentence", "restaurants with a kids chair in Kawasaki", where(area="川崎", category="restaurant",
                                                                     amenity="kids_chair")),
    ("sentence", "茅ヶ崎で子ども用トイレがある施設", where(area="茅ヶ崎", amenity="kids_toilet")),
    ("sentence", "平塚で授乳室とおむつ替えがある場所", where(area="平塚", amenity=("nursing_room", "diaper_changing"))),
    # romaji and IME leftovers
    ("romaji", "shonan", name_has("湘南", "ショウナン")),
    ("romaji", "shounan", name_has("湘南", "ショウナン")),
    ("romaji", "shōnan", name_has("湘南", "ショウナン")),
    ("romaji", "tuzidou", text_has("辻堂")),
    ("romaji", "tsujido", text_has("辻堂")),
    ("romaji", "oofuna", text_has("大船")),
    ("romaji", "ofuna", text_has("大船")),
    ("romaji", "tigasaki", where(area="茅ヶ崎")),
    ("romaji", "huzisawa", where(area="藤沢")),
    ("romaji", "manpukumaru", name_has("まんぷく丸")),
    ("romaji", "かふぇe", name_has("カフェ", "cafe")),
    ("romaji", "すいみんぐ", name_has("スイミング")),
    # english
    ("english", "cafe", name_has("カフェ", "cafe")),
    ("english", "bakery", name_has("ベーカリー", "bakery", "boulangerie", "パン")),
    ("english", "nursing room", where(amenity="nursing_room")),
    ("english", "diaper changing Kamakura", where(area="鎌倉", amenity="diaper_changing")),
    ("english", "swimming school", name_has("スイミング", "swimming")),
    ("english", "bank", where(category="finance")),
    ("english", "aquarium", name_has("水族館", "aquarium")),
    ("english", "kids space Fujisawa", where(area="藤沢", amenity="kids_space")),
    ("english", "hot spring", name_has("温泉")),
    ("english", "dentist", name_has("歯科", "dental")),
]


def demo_docs() -> list[dict]:
    from webapp.indexing import record_doc
    ref = reference()
    prefectures = {m["code"]: m["prefecture"] for m in load_all()["municipalities"]}
    with open(os.path.join(ROOT, "webapp", "demo", "facilities.json"), encoding="utf-8") as f:
        rows = json.load(f)
    docs = []
    for raw in rows:
        rec, errors = validate_record(raw, ref, today=dt.date(2026, 11, 1))
        if errors:
            raise SystemExit(f"demo record rejected: {errors}")
        docs.append(record_doc(rec, prefectures[rec.municipality]))
    return docs


def scores(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    top = ranked[:K]
    ideal = min(len(relevant), K)
    recall = sum(1 for i in top if i in relevant) / ideal
    mrr = next((1 / (r + 1) for r, i in enumerate(top) if i in relevant), 0.0)
    dcg = sum(1 / math.log2(r + 2) for r, i in enumerate(top) if i in relevant)
    idcg = sum(1 / math.log2(r + 2) for r in range(ideal))
    return recall, mrr, dcg / idcg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--distractors", type=int, default=0, help="synthetic facilities added to the demo ones")
    ap.add_argument("--show", action="store_true", help="print every query's scores")
    args = ap.parse_args()

    docs = demo_docs()
    if args.distractors:
        extra = build_docs(args.distractors, seed=1)
        for i, d in enumerate(extra):
            d["id"] = f"SYN-{i:06d}"
        docs += extra
    print(f"facilities: {len(docs)} (demo {len(docs) - args.distractors}, synthetic {args.distractors})")
    work = tempfile.mkdtemp(prefix="kosodate-quality-")
    try:
        index = SearchIndex(os.path.join(work, "index"))
        index.rebuild(docs, labels=labels(), procs=min(os.cpu_count() or 1, 4))
        con = build_fts(docs, os.path.join(work, "fts.sqlite3"))
        per_kind: dict[str, dict[str, list[tuple[float, float, float]]]] = {
            k: {"ours": [], "fts5": []} for k in KINDS}
        latencies = []
        for kind, q, rule in QUERIES:
            relevant = {d["id"] for d in docs if rule(d)}
            if not relevant:
                raise SystemExit(f"no relevant facility for {q!r}: fix the rule")
            t = time.perf_counter()
            ours = [h.id for h in index.search(SearchQuery(text=q, per_page=K)).hits]
            latencies.append((time.perf_counter() - t) * 1000)
            peer = fts_query(con, q, {}, per_page=K)[1]
            s_ours, s_peer = scores(ours, relevant), scores(peer, relevant)
            per_kind[kind]["ours"].append(s_ours)
            per_kind[kind]["fts5"].append(s_peer)
            if args.show:
                print(f"  {kind:8} {q[:40]:40} rel {len(relevant):4}  ours R {s_ours[0]:.2f} MRR {s_ours[1]:.2f} "
                      f"nDCG {s_ours[2]:.2f}   fts5 R {s_peer[0]:.2f} MRR {s_peer[1]:.2f} nDCG {s_peer[2]:.2f}")
        print(f"{'kind':9}{'n':>3}   {'recall@10':>17}   {'MRR':>17}   {'nDCG@10':>17}")
        print(f"{'':12}   {'ours':>8} {'fts5':>8}   {'ours':>8} {'fts5':>8}   {'ours':>8} {'fts5':>8}")
        rows = list(per_kind.items()) + [("all", {side: [s for k in KINDS for s in per_kind[k][side]]
                                                  for side in ("ours", "fts5")})]
        for kind, sides in rows:
            means = {side: [statistics.fmean(s[i] for s in sides[side]) for i in range(3)] for side in sides}
            print(f"{kind:9}{len(sides['ours']):>3}   " + "   ".join(
                f"{means['ours'][i]:8.3f} {means['fts5'][i]:8.3f}" for i in range(3)))
        latencies.sort()
        print(f"ours latency over this set: p50 {statistics.median(latencies):.2f} ms, "
              f"p95 {latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))]:.2f} ms, "
              f"max {latencies[-1]:.1f} ms (first query opens the index)")
        index.close()
        con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
