"""Synthetic partner facilities for load tests and benchmarks.

``generate(n, seed)`` yields ``n`` facility dicts with exactly the keys of the records in
``facilities.json`` beside this module (external_id, name, name_kana, name_en, category,
municipality, address, building, phone, url, open_days, opens, closes, hours_note, description,
notes, benefits, amenities, lat, lon, registered_on). The records are recombined from the small
vocabularies below: name stems, category-specific kinds and suffixes, real town names and
approximate town-hall coordinates from ``../reference/municipalities.json``, benefit sentences and
amenities whose wording matches the amenity codes. Every description and benefit text is between
30 and 120 characters long, like the hand-written demo data.

The output depends only on ``n`` and ``seed``; IDs run ``SYN-0000001``, ``SYN-0000002``, ...
Only Kanagawa municipalities that may register passport facilities are used (no Yokohama, no
Matsumoto). Everything is fictional: phone numbers use the right area code but are made up, and
web addresses point at example.jp / example.com.

This module is plain Python (no Flask) so a benchmark script can import it on its own::

    from webapp.demo.synth import generate
    rows = list(generate(50_000, seed=1))
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import random
from functools import lru_cache
from typing import Iterator

__all__ = ["generate", "KEYS"]

KEYS = ("external_id", "name", "name_kana", "name_en", "category", "municipality", "address", "building",
        "phone", "url", "open_days", "opens", "closes", "hours_note", "description", "notes", "benefits",
        "amenities", "lat", "lon", "registered_on")

_MUNICIPALITIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "reference",
                               "municipalities.json")

# Area code and a few local exchanges per municipality (fictional subscriber numbers are added).
_PHONE = {
    "141305": ("044", ("211", "222", "244", "276", "333", "522", "541", "722", "733", "777")),
    "141500": ("042", ("700", "750", "752", "754", "756", "758", "770", "772", "776", "786")),
    "142018": ("046", ("822", "823", "825", "827", "834", "836", "841", "850", "852", "865")),
    "142034": ("0463", ("21", "22", "23", "31", "32", "34", "35", "53", "55")),
    "142042": ("0467", ("22", "23", "24", "25", "31", "32", "43", "44", "46")),
    "142051": ("0466", ("22", "23", "25", "26", "27", "28", "33", "36", "43", "45", "81", "82", "86", "88")),
    "142069": ("0465", ("22", "23", "24", "32", "34", "35", "36", "37", "47", "48")),
    "142077": ("0467", ("51", "52", "53", "57", "58", "82", "83", "85", "86", "87", "88")),
    "142085": ("046", ("870", "871", "872", "873")),
    "142107": ("046", ("881", "882", "888", "889")),
    "142115": ("0463", ("75", "77", "78", "81", "82", "83", "84", "85", "87", "88")),
    "142123": ("046", ("221", "222", "223", "224", "225", "228", "241", "242", "247", "248")),
    "142131": ("046", ("260", "261", "262", "263", "264", "267", "272", "274", "276")),
    "142140": ("0463", ("91", "92", "93", "94", "95", "96", "97")),
    "142158": ("046", ("231", "232", "233", "234", "235", "236", "238")),
    "142166": ("046", ("251", "252", "253", "254", "255", "256")),
    "142174": ("0465", ("71", "72", "73", "74", "76", "77")),
    "142182": ("0467", ("70", "71", "76", "77", "78")),
    "143014": ("046", ("875", "876", "877", "878")),
    "143219": ("0467", ("72", "73", "74", "75")),
    "143413": ("0463", ("60", "61", "62", "71")),
    "143421": ("0463", ("70", "71", "72", "73")),
    "143618": ("0465", ("80", "81", "82")),
    "143626": ("0465", ("82", "83", "84", "85")),
    "143634": ("0465", ("82", "83", "84", "85")),
    "143642": ("0465", ("75", "76", "77", "78")),
    "143669": ("0465", ("82", "83", "84", "85")),
    "143821": ("0460", ("82", "83", "84", "85", "86", "87")),
    "143839": ("0465", ("68",)),
    "143847": ("0465", ("60", "62", "63", "64")),
    "144011": ("046", ("280", "281", "284", "285", "286")),
    "144029": ("046", ("288",)),
}

# Rough relative size, so big cities get more facilities.
_WEIGHT = {"141305": 40, "141500": 33, "142051": 26, "142018": 20, "142034": 13, "142123": 12, "142131": 12,
           "142069": 10, "142077": 12, "142042": 9, "142115": 8, "142158": 7, "142166": 6, "142140": 5,
           "142182": 4, "142085": 3, "142107": 2, "142174": 2, "143821": 3, "143847": 2}

# Coastal municipalities: pull the centre inland (dlat, dlon) and keep the scatter small.
_INLAND = {"142018": (-0.004, -0.010), "142034": (0.008, 0.0), "142042": (0.006, 0.0), "142051": (0.008, -0.004),
           "142069": (0.006, -0.004), "142077": (0.006, -0.004), "142085": (0.004, 0.008), "142107": (0.030, 0.010),
           "143014": (0.004, 0.010), "143413": (0.006, 0.0), "143421": (0.008, 0.0), "143839": (0.004, -0.003),
           "143847": (0.002, -0.006)}

# (category, weight, kinds); a kind is (prefix, prefix kana, suffix, suffix kana, english word or None,
# description phrases).  Names are "<prefix> <stem><suffix>" plus an optional branch.
_CATEGORIES = (
    ("restaurant", 20, (
        ("カフェ", "カフェ", "", "", "Cafe", ("手作りのケーキと日替わりランチが人気のカフェです", "ソファ席が多く、赤ちゃん連れでもくつろげるカフェです")),
        ("ごはん処", "ゴハンドコロ", "", "", None, ("地元の野菜をたっぷり使った定食のお店です", "座敷席があり、家族でゆっくり食事ができる定食屋です")),
        ("そば処", "ソバドコロ", "庵", "アン", None, ("毎朝打つ手打ちそばと季節の天ぷらが自慢のお店です", "昔ながらのつゆで長く愛されているそば店です")),
        ("キッチン", "キッチン", "亭", "テイ", "Kitchen", ("ハンバーグとオムライスが人気の洋食のお店です", "お子さまプレートが充実した家族向けのレストランです")),
        ("居酒屋", "イザカヤ", "", "", None, ("個室があり、家族の集まりにも使える居酒屋です", "炭火焼きと季節の一品料理がそろう居酒屋です")),
    )),
    ("retail", 19, (
        ("スーパー", "スーパー", "", "", None, ("朝どれ野菜と手作りのお惣菜が並ぶ食品スーパーです", "生鮮食品から日用品までそろうスーパーマーケットです")),
        ("ベーカリー", "ベーカリー", "", "", "Bakery", ("国産小麦で焼くパンと、お子さまに人気の動物パンのお店です", "焼きたてのパンが朝から並ぶ町のパン屋さんです")),
        ("ドラッグ", "ドラッグ", "薬局", "ヤッキョク", None, ("医薬品からベビー用品までそろうドラッグストアです", "薬剤師が常駐し、子どもの薬の相談にも応じる店舗です")),
        ("書店", "ショテン", "堂", "ドウ", None, ("絵本と児童書の棚が広い町の本屋さんです", "学習参考書と絵本の品ぞろえが自慢の書店です")),
        ("おもちゃの", "オモチャノ", "屋", "ヤ", None, ("知育玩具と木のおもちゃを手に取って選べるお店です", "誕生日プレゼントの相談にも乗ってくれるおもちゃ屋です")),
    )),
    ("leisure", 6, (
        ("キッズパーク", "キッズパーク", "ランド", "ランド", "Kids Park", ("ボールプールや大型遊具のある屋内の遊び場です", "雨の日でも親子で体を動かして遊べる施設です")),
        ("観光農園", "カンコウノウエン", "ファーム", "ファーム", "Farm", ("季節の果物狩りが楽しめる観光農園です", "通路が広く、ベビーカーでも回れる観光農園です")),
    )),
    ("education", 10, (
        ("ピアノ教室", "ピアノキョウシツ", "", "", None, ("3歳から通える個人レッスンのピアノ教室です", "発表会を年に1回開いている音楽教室です")),
        ("英会話", "エイカイワ", "スクール", "スクール", "English School", ("歌やゲームを交えて学ぶ子ども向けの英会話教室です", "2歳から通える英語教室で、英検の対策もしています")),
        ("スイミング", "スイミング", "クラブ", "クラブ", "Swimming Club", ("ベビースイミングから通える水泳教室です", "幼児から小学生まで、進級テストのある水泳教室です")),
        ("学習塾", "ガクシュウジュク", "ゼミ", "ゼミ", None, ("一人ひとりの進み方に合わせて教える個別指導の塾です", "小学生の算数と国語に力を入れている学習塾です")),
    )),
    ("medical", 8, (
        ("歯科", "シカ", "デンタル", "デンタル", "Dental Clinic", ("小児歯科に力を入れ、待合室にキッズスペースのある歯科医院です", "むし歯予防のフッ素塗布に力を入れている歯科です")),
        ("こどもクリニック", "コドモクリニック", "", "", "Kids Clinic", ("予防接種と乳幼児健診を一般診察と分けて行う小児科です", "感染症の疑いがあるお子さまは別室へ案内する小児科です")),
        ("整骨院", "セイコツイン", "", "", None, ("産後の骨盤ケアに力を入れている整骨院です", "施術中はベビーベッドでお子さまが待てる整骨院です")),
    )),
    ("beauty", 8, (
        ("ヘアサロン", "ヘアサロン", "", "", "Hair Salon", ("キッズスペースがあり、子連れでもカットできる美容室です", "完全予約制で、ほかのお客さまと重ならない小さなサロンです")),
        ("理容", "リヨウ", "", "", None, ("お子さまのカットも得意な町の理容室です", "ファーストカットの記念品が人気の理容室です")),
    )),
    ("lodging", 1, (
        ("温泉宿", "オンセンヤド", "荘", "ソウ", None, ("露天風呂と貸切の家族風呂がある温泉宿です", "全室和室で、赤ちゃん連れにも配慮してくれる宿です")),
        ("ホテル", "ホテル", "", "", "Hotel", ("和室タイプの部屋があり、家族で泊まれるホテルです", "ベビーベッドの貸出があるホテルです")),
    )),
    ("public", 6, (
        ("図書館", "トショカン", "分館", "ブンカン", None, ("絵本コーナーで毎週おはなし会を開いている図書館です", "赤ちゃん向けの布絵本もそろう地域の図書館です")),
        ("コミュニティセンター", "コミュニティセンター", "", "", None, ("親子サークルの活動にも使われる地域の集会施設です", "子育てイベントの情報が集まる地域の施設です")),
    )),
    ("finance", 3, (
        ("信用金庫", "シンヨウキンコ", "支店", "シテン", "Shinkin Bank", ("ロビーにキッズコーナーのある信用金庫の支店です", "教育資金の相談窓口がある信用金庫の店舗です")),
    )),
    ("transport", 2, (
        ("タクシー", "タクシー", "交通", "コウツウ", None, ("子育てタクシーの研修を受けた乗務員がいるタクシー会社です", "陣痛時の送迎の事前登録ができるタクシー会社です")),
    )),
    ("services", 6, (
        ("クリーニング", "クリーニング", "", "", None, ("子ども服のシミ抜きも受け付けるクリーニング店です", "ランドセルカバーの洗いも頼めるクリーニング店です")),
        ("フォトスタジオ", "フォトスタジオ", "", "", "Photo Studio", ("七五三やお宮参りの記念撮影ができる写真スタジオです", "衣装をたくさんそろえた子ども写真のスタジオです")),
    )),
    ("childcare", 4, (
        ("子育てひろば", "コソダテヒロバ", "", "", None, ("0〜3歳の親子が自由に遊べる子育てひろばです", "保育士に育児の相談ができる親子の交流の場です")),
        ("児童館", "ジドウカン", "", "", None, ("乳幼児の親子タイムを開いている児童館です", "小学生の放課後の遊び場にもなっている児童館です")),
    )),
    ("other", 3, (
        ("住宅展示場", "ジュウタクテンジジョウ", "パーク", "パーク", None, ("週末に子ども向けイベントを開く住宅展示場です", "キッズコーナー付きの休憩所がある住宅展示場です")),
        ("ペットショップ", "ペットショップ", "", "", None, ("小動物とのふれあいコーナーがあるペットショップです", "子どもにも人気のふれあいコーナーがあるお店です")),
    )),
)

_STEMS = (("さくら", "サクラ", "Sakura"), ("ひまわり", "ヒマワリ", "Himawari"), ("こもれび", "コモレビ", "Komorebi"),
          ("みなと", "ミナト", "Minato"), ("あおば", "アオバ", "Aoba"), ("つばめ", "ツバメ", "Tsubame"),
          ("はるかぜ", "ハルカゼ", "Harukaze"), ("やまびこ", "ヤマビコ", "Yamabiko"), ("しおさい", "シオサイ", "Shiosai"),
          ("かもめ", "カモメ", "Kamome"), ("ことり", "コトリ", "Kotori"), ("こむぎ", "コムギ", "Komugi"),
          ("どんぐり", "ドングリ", "Donguri"), ("ひなた", "ヒナタ", "Hinata"), ("すずらん", "スズラン", "Suzuran"),
          ("もみじ", "モミジ", "Momiji"), ("みどり", "ミドリ", "Midori"), ("若葉", "ワカバ", "Wakaba"),
          ("春日", "カスガ", "Kasuga"), ("松風", "マツカゼ", "Matsukaze"), ("たんぽぽ", "タンポポ", "Tampopo"),
          ("ミント", "ミント", "Mint"), ("ポプラ", "ポプラ", "Popura"), ("オリーブ", "オリーブ", "Olive"),
          ("レモン", "レモン", "Lemon"), ("ソレイユ", "ソレイユ", "Soleil"), ("虹", "ニジ", "Niji"),
          ("星の子", "ホシノコ", "Hoshinoko"), ("青空", "アオゾラ", "Aozora"), ("海風", "ウミカゼ", "Umikaze"))

_LOC = ("{town}の住宅街にある、", "{town}の通り沿いにある、", "{town}のバス停から歩いてすぐの、",
        "{town}の商店街にある、", "{city}{town}で長く親しまれている、")
_DESC_TAIL = ("", "お子さま連れのお客さまも多く来店します。", "駐車場も用意しています。", "週末は家族連れでにぎわいます。",
              "ベビーカーのままでも入りやすいつくりです。")

_OTOKU = {
    "restaurant": ("小学生以下のお子さまにソフトドリンクを1杯サービスします（ご注文時にパスポートをご提示ください）。",
                   "お会計から5%割引します。土日祝日と他の割引券との併用は対象外です。",
                   "お子さまメニューをご注文の方に、ミニデザートをひとつプレゼントします。"),
    "retail": ("毎週火曜日はお会計から3%割引します（酒類・たばこ・商品券は除きます）。",
               "1,000円以上お買上げのお子さま連れのお客さまに、お菓子をひとつプレゼントします。",
               "紙おむつ・粉ミルクなどのベビー用品を5%割引します（セール品は除きます）。"),
    "leisure": ("入場料を小学生以下のお子さま1名につき100円引きにします（同伴の保護者は2名まで）。",
                "お子さまに記念の缶バッジをプレゼントします。受付でパスポートをご提示ください。"),
    "education": ("入会金を無料にします（通常11,000円）。体験レッスンのお申し込みもお気軽にどうぞ。",
                  "ごきょうだいで入会された場合、2人目の月謝を10%割引します。"),
    "medical": ("お子さまに歯ブラシかシールをプレゼントします（保険診療は割引の対象外です）。",
                "自費の産後ケアの初回料金を1,000円引きにします。予約の際にお伝えください。"),
    "beauty": ("小学生以下のお子さまのカット料金を300円引きにします（平日のみ）。",
               "保護者と一緒にご来店の場合、お子さまのカット料金を半額にします。"),
    "lodging": ("小学生以下のお子さまの宿泊料金を10%割引します（直接予約に限ります）。",
                "貸切の家族風呂を通常料金より500円引きでご利用いただけます。"),
    "public": ("特別展の観覧料を2割引にします。受付でパスポートをご提示ください。",),
    "finance": ("お子さま名義の普通預金口座を新しく開設された方に、貯金箱をプレゼントします。",
                "教育ローンの店頭金利から年0.3%引き下げます（審査があります）。"),
    "transport": ("運賃を1割引にします（迎車料金は除きます）。ご乗車の際にパスポートをご提示ください。",),
    "services": ("クリーニング代金を毎週水曜日に5%割引します（一部商品は除きます）。",
                 "記念撮影の撮影料を1,000円引きにします（平日の撮影に限ります）。"),
    "childcare": ("一時預かりの初回利用料のうち30分ぶんを無料にします（要予約）。",),
    "other": ("来場されたご家族に、お子さま向けのお菓子の詰め合わせをプレゼントします。",
              "トリミング料金を5%割引します。受付でパスポートをご提示ください。"),
}
_KOKORO = (
    ("ミルク用のお湯をご用意します。お気軽にスタッフへお声がけください。", "hot_water"),
    ("調乳用のお湯を提供しています。水筒へのお湯の補充も承ります。", "hot_water"),
    ("ベビーカーを無料で貸し出しています。受付でお申し付けください。", "stroller_rental"),
    ("お子さま用のいすと食器をご用意しています。離乳食の持ち込みもできます。", "kids_chair"),
    ("ベビーカーのままご入店いただけます。通路も広めにとっています。", None),
    ("お買い物やお手続きの間、手荷物をお預かりします。お気軽にどうぞ。", None),
    ("お子さま連れのお客さまには、空いている席や窓口を優先してご案内します。", None),
)
_SETSUBI_WORDS = {
    "nursing_room": ("授乳室", "授乳スペース", "個室の授乳室"),
    "diaper_changing": ("おむつ替え台", "おむつ替えシート", "おむつ交換台"),
    "kids_space": ("キッズスペース", "キッズコーナー", "プレイルーム"),
    "kids_toilet": ("子ども用トイレ", "補助便座付きのトイレ"),
    "priority_parking": ("子育て優先駐車場", "おもいやり駐車場"),
    "kids_chair": ("子ども用いす", "ベビーチェア"),
}
_SETSUBI_PLACE = ("店内に", "館内に", "1階に", "施設内に")
_SETSUBI_END = ("があります。", "を設けています。", "を備えています。")
_SETSUBI_TAIL = ("どなたでもお気軽にご利用ください。", "ご利用の際はスタッフにお声がけください。",
                 "小さなお子さま連れでも安心してお過ごしいただけます。")
_ALL = "月火水木金土日"
_HOURS = {
    "restaurant": ((_ALL, "11:00", "22:00"), ("月火木金土日", "11:00", "21:00"), (_ALL, "17:00", "01:00")),
    "retail": ((_ALL, "09:00", "21:00"), (_ALL, "10:00", "20:00"), (_ALL, "00:00", "24:00")),
    "leisure": ((_ALL, "10:00", "18:00"), ("火水木金土日", "09:00", "17:00")),
    "education": (("月火水木金土", "10:00", "20:00"), ("月火水木金", "14:00", "21:00")),
    "medical": (("月火水金土", "09:00", "18:30"), ("月火木金土", "09:00", "18:00")),
    "beauty": (("火水木金土日", "09:00", "19:00"), ("月水木金土日", "10:00", "20:00")),
    "lodging": ((_ALL, "07:00", "22:00"), (_ALL, "00:00", "24:00")),
    "public": (("火水木金土日", "09:00", "17:00"), (_ALL, "08:30", "21:00")),
    "finance": (("月火水木金", "09:00", "15:00"),),
    "transport": ((_ALL, "00:00", "24:00"),),
    "services": (("月火水木金土", "09:00", "19:00"), ("月火木金土日", "10:00", "18:00")),
    "childcare": (("月火水木金土", "09:00", "16:00"),),
    "other": (("月火木金土日", "10:00", "18:00"),),
}
_HOURS_NOTE = (None, None, "祝日は営業", "年末年始休業", "不定休あり", "祝日の場合は翌日休み")
_NOTES = (None, None, "パスポートは会計前にご提示ください。", "他の割引サービスとの併用はできません。", "予約制です。お電話でご予約ください。")
_BUILDINGS = ("{town}ビル 2階", "駅前プラザ 1階", "サンハイツ{town} 101", "ショッピングプラザ 3階", "第2松本ビル 4階")
_AMENITY_ORDER = ("nursing_room", "hot_water", "diaper_changing", "kids_space", "kids_toilet", "stroller_rental",
                  "kids_chair", "priority_parking")
_DATE0 = _dt.date(2008, 4, 1)
_DATE_SPAN = (_dt.date(2026, 9, 30) - _DATE0).days


@lru_cache(maxsize=1)
def _municipalities() -> tuple:
    with open(_MUNICIPALITIES, encoding="utf-8") as f:
        rows = json.load(f)
    out = []
    for m in rows:
        if not m.get("facility_eligible") or m["code"] not in _PHONE:
            continue
        name, kana = m["name"], m["kana"]
        for suf, ks in (("市", "し"), ("町", "まち"), ("村", "むら")):
            if name.endswith(suf) and kana.endswith(ks):
                short, short_kana = name[:-1], kana[:-len(ks)]
                break
        else:
            short, short_kana = name, kana
        dlat, dlon = _INLAND.get(m["code"], (0.0, 0.0))
        out.append({
            "code": m["code"], "name": name, "short": short,
            "short_kana": "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in short_kana),
            "name_en": m["name_en"], "lat": m["lat"] + dlat, "lon": m["lon"] + dlon,
            "scatter": 0.006 if m["code"] in _INLAND else 0.02,
            "towns": tuple(m["towns"]), "weight": _WEIGHT.get(m["code"], 1),
        })
    return tuple(out)


def _pad(text: str, tails: tuple, rng: random.Random) -> str:
    """Lengthen a short text with a tail sentence so it lands in 30-120 characters."""
    extra = [t for t in tails if t] + ["詳しくはお気軽にお問い合わせください。"]
    while len(text) < 30:
        tail = rng.choice(extra)
        extra.remove(tail)
        text += tail
    return text[:120]


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """Yield ``n`` synthetic facility dicts (same keys as demo/facilities.json), deterministic per seed."""
    rng = random.Random(seed)
    munis = _municipalities()
    m_weights = [m["weight"] for m in munis]
    c_weights = [c[1] for c in _CATEGORIES]
    choice, random_ = rng.choice, rng.random
    for i in range(1, n + 1):
        m = rng.choices(munis, weights=m_weights)[0]
        cat, _w, kinds = rng.choices(_CATEGORIES, weights=c_weights)[0]
        prefix, prefix_kana, suffix, suffix_kana, word_en, phrases = choice(kinds)
        stem, stem_kana, stem_en = choice(_STEMS)
        town = choice(m["towns"])
        short_town = town.split("区", 1)[1] if m["code"] in ("141305", "141500") and "区" in town else town
        name = f"{prefix} {stem}{suffix}"
        kana = f"{prefix_kana} {stem_kana}{suffix_kana}"
        if random_() < 0.45:
            name += f" {m['short']}店" if cat not in ("finance", "public", "education") else f" {m['short']}"
            kana += f" {m['short_kana']}テン" if cat not in ("finance", "public", "education") else f" {m['short_kana']}"
        name_en = f"{stem_en} {word_en}" if word_en and random_() < 0.5 else None

        desc = choice(_LOC).format(town=short_town, city=m["name"]) + choice(phrases) + "。" + choice(_DESC_TAIL)
        desc = _pad(desc, _DESC_TAIL, rng)

        benefits: dict[str, str] = {}
        amenities: set[str] = set()
        kinds_on = [k for k in ("otoku", "kokorokubari", "setsubi") if random_() < 0.6] or [choice(("otoku", "setsubi"))]
        if "otoku" in kinds_on:
            benefits["otoku"] = _pad(choice(_OTOKU[cat]), _SETSUBI_TAIL[:1], rng)
        if "kokorokubari" in kinds_on:
            text, amen = choice(_KOKORO)
            benefits["kokorokubari"] = _pad(text, _SETSUBI_TAIL[2:], rng)
            if amen:
                amenities.add(amen)
        if "setsubi" in kinds_on:
            codes = rng.sample(tuple(_SETSUBI_WORDS), rng.randint(1, 3))
            indoor = [c for c in codes if c != "priority_parking"]
            text = ""
            if indoor:
                text = choice(_SETSUBI_PLACE) + "・".join(choice(_SETSUBI_WORDS[c]) for c in indoor) + choice(_SETSUBI_END)
            if "priority_parking" in codes:
                text += f"駐車場には{choice(_SETSUBI_WORDS['priority_parking'])}（{rng.randint(2, 6)}台）があります。"
            benefits["setsubi"] = _pad(text, _SETSUBI_TAIL, rng)
            amenities.update(codes)

        days, opens, closes = choice(_HOURS[cat])
        area, exchanges = _PHONE[m["code"]]
        r, a = m["scatter"] * random_() ** 0.5, rng.uniform(-math.pi, math.pi)
        rng_addr = rng.randint
        if random_() < 0.6:
            number = f"{rng_addr(1, 6)}-{rng_addr(1, 28)}-{rng_addr(1, 24)}"
        else:
            number = f"{rng_addr(1, 3500)}-{rng_addr(1, 12)}"
        slug = f"{stem_en.lower()}-{i:07d}"
        yield {
            "external_id": f"SYN-{i:07d}",
            "name": name,
            "name_kana": kana,
            "name_en": name_en,
            "category": cat,
            "municipality": m["code"],
            "address": f"{m['name']}{town}{number}",
            "building": choice(_BUILDINGS).format(town=short_town) if random_() < 0.2 else None,
            "phone": f"{area}-{choice(exchanges)}-{rng_addr(0, 9999):04d}",
            "url": f"https://{choice(('example.jp', 'example.com'))}/{slug}/" if random_() < 0.3 else None,
            "open_days": days,
            "opens": opens,
            "closes": closes,
            "hours_note": choice(_HOURS_NOTE),
            "description": desc,
            "notes": choice(_NOTES),
            "benefits": benefits,
            "amenities": [a for a in _AMENITY_ORDER if a in amenities],
            "lat": round(m["lat"] + r * math.sin(a), 5),
            "lon": round(m["lon"] + r * 1.2 * math.cos(a), 5),
            "registered_on": (_DATE0 + _dt.timedelta(days=rng.randint(0, _DATE_SPAN))).isoformat(),
        }
