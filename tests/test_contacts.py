"""The contact directory, the support center's opening hours in Japan time, and routing to whom to call."""
import json
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import contacts
from contacts import ContactsError, UnknownContact, is_open, load_directory, next_open, route

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "contacts", "data", "matsumoto.json")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = timezone.utc


def jst(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


# ------------------------------------------------------------------ directory

def test_directory_loads_the_seed():
    d = load_directory()
    assert len(d.services) == 8 and len(d.places) == 19
    sc = d.support_center
    assert sc.id == "support_center" and sc.phone == "026-262-1378" and sc.tel == "tel:0262621378"
    assert "南千歳" in sc.address
    assert [c.phone for c in d.contacts_for("family_support")] == ["0263-34-3261", "0263-34-3308"]
    assert d.contact("mat-kenko-zukuri").name == "健康づくり課"
    assert {"support_center", "temporary_care", "mat-hoiku"} <= d.contact_ids()
    for c in d.all_contacts():
        assert contacts.PHONE_RE.match(c.phone) and c.tel == "tel:" + c.phone.replace("-", "")


def test_designated_nurseries_for_temporary_care():
    d = load_directory()
    people = d.contacts_for("temporary_care")
    assert people[0].name == "保育課" and people[0].kind == "department"
    assert len(people) == 13 and all(p.kind == "provider" for p in people[1:])
    assert people[1].name == "小宮保育園" and people[-1].name == "認定こども園聖十字幼稚園"


def test_directory_keeps_the_file_intact():
    with open(SEED, encoding="utf-8") as f:
        raw = json.load(f)
    assert raw["support_center"]["hours"] == {
        "weekdays": [0, 1, 2, 3, 4], "periods": [["10:00", "12:00"], ["13:00", "17:00"]],
        "closed_on_holidays": True}


def _broken(tmp_path, change) -> str:
    with open(SEED, encoding="utf-8") as f:
        data = json.load(f)
    change(data)
    path = tmp_path / "matsumoto.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["places"][0].update(phone="0263343261"), "does not look like"),
    (lambda d: d["places"][0].update(phone="0263-34-32611"), "does not look like"),
    (lambda d: d["support_center"].update(phone="26-262-1378"), "does not look like"),
    (lambda d: d["services"][0]["contacts"].append("mat-nowhere"), "not a known place id"),
    (lambda d: d["places"][0]["services"].append("karaoke"), "not a known service code"),
    (lambda d: d["places"].append(dict(d["places"][0])), "duplicate place id"),
    (lambda d: d["support_center"]["hours"].update(periods=[["10:00", "12:00"], ["11:00", "17:00"]]),
     "overlap"),
    (lambda d: d["support_center"]["hours"].update(periods=[["10:00", "25:00"]]), "not a time of day"),
    (lambda d: d["support_center"]["hours"].update(periods=[["13:00", "12:00"]]), "ends before it starts"),
    (lambda d: d["support_center"]["hours"].update(weekdays=[0, 7]), "weekdays"),
    (lambda d: d["support_center"]["hours"].update(weekdays=[]), "weekdays"),
    (lambda d: d.update(version=9), "version"),
])
def test_broken_directory_is_refused(tmp_path, change, message):
    with pytest.raises(ContactsError) as e:
        load_directory(_broken(tmp_path, change))
    assert message in str(e.value)
    assert e.value.problems


def test_unreadable_directory(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ContactsError, match="cannot read"):
        load_directory(str(path))


# ------------------------------------------------------------------ opening hours

@pytest.mark.parametrize("hh, mm, expected", [
    (9, 59, False), (10, 0, True), (11, 59, True), (12, 0, False), (12, 30, False), (12, 59, False),
    (13, 0, True), (16, 59, True), (17, 0, False), (23, 0, False), (0, 0, False),
])
def test_weekday_hours_and_lunch_break(hh, mm, expected):
    assert is_open(jst(2026, 11, 25, hh, mm)) is expected  # a plain Wednesday


def test_edges_are_half_open():
    assert is_open(jst(2026, 11, 25, 11, 59, 59, 999999)) is True
    assert is_open(jst(2026, 11, 25, 16, 59, 59)) is True
    assert is_open(jst(2026, 11, 25, 17, 0, 0)) is False


@pytest.mark.parametrize("day, why", [
    (date(2026, 11, 23), "勤労感謝の日 (a Monday)"),
    (date(2025, 11, 24), "振替休日 for 勤労感謝の日 on a Sunday"),
    (date(2026, 5, 6), "振替休日 in Golden Week"),
    (date(2026, 4, 29), "昭和の日"),
    (date(2026, 5, 4), "みどりの日"),
    (date(2026, 5, 5), "こどもの日"),
    (date(2026, 9, 22), "国民の休日 between two holidays"),
    (date(2027, 1, 1), "元日"),
    (date(2026, 11, 21), "a Saturday"),
    (date(2026, 11, 22), "a Sunday"),
])
def test_closed_all_day(day, why):
    for hh in (10, 11, 13, 16):
        assert is_open(datetime.combine(day, datetime.min.time()).replace(hour=hh)) is False, why


def test_holidays_come_from_the_library():
    assert contacts.holiday_name(date(2026, 11, 23)) == "勤労感謝の日"
    assert contacts.holiday_name(date(2025, 11, 24)) == "振替休日"
    assert contacts.holiday_name(date(2026, 11, 23), "en") == "Labor Thanksgiving Day"
    assert contacts.holiday_name(date(2026, 11, 25)) is None


def test_ordinary_days_around_holidays_are_open():
    assert is_open(jst(2026, 11, 24, 10, 0))  # Tuesday after 勤労感謝の日
    assert is_open(jst(2026, 5, 7, 10, 0))  # Thursday after Golden Week
    assert is_open(jst(2026, 4, 30, 13, 0))  # the working day inside Golden Week
    # The seed names no year-end closure, so none is invented: 28 Dec and 4 Jan are ordinary weekdays.
    assert is_open(jst(2026, 12, 28, 10, 0)) and is_open(jst(2027, 1, 4, 10, 0))


@pytest.mark.parametrize("at, expected", [
    (jst(2026, 11, 27, 17, 0), jst(2026, 11, 30, 10, 0)),   # Friday 17:00 -> Monday 10:00
    (jst(2026, 11, 20, 17, 0), jst(2026, 11, 24, 10, 0)),   # Monday is 勤労感謝の日 -> Tuesday
    (jst(2026, 11, 25, 12, 0), jst(2026, 11, 25, 13, 0)),   # lunch break
    (jst(2026, 11, 25, 12, 59, 59), jst(2026, 11, 25, 13, 0)),
    (jst(2026, 11, 25, 7, 30), jst(2026, 11, 25, 10, 0)),   # before opening
    (jst(2026, 11, 21, 11, 0), jst(2026, 11, 24, 10, 0)),   # Saturday before the holiday Monday
    (jst(2026, 5, 1, 17, 0), jst(2026, 5, 7, 10, 0)),       # Golden Week
    (jst(2026, 9, 18, 17, 0), jst(2026, 9, 24, 10, 0)),     # Silver Week: Mon-Wed all holidays
    (jst(2026, 12, 31, 17, 0), jst(2027, 1, 4, 10, 0)),     # 元日 on a Friday, then the weekend
])
def test_next_open(at, expected):
    got = next_open(at)
    assert got == expected
    assert got.utcoffset() == timedelta(hours=9) and is_open(got)
    assert not is_open(got - timedelta(seconds=1)) or got == at


def test_next_open_when_open_is_now():
    at = jst(2026, 11, 25, 14, 15)
    assert next_open(at) == at


def test_naive_means_japan_time():
    assert is_open(datetime(2026, 11, 25, 10, 0)) is True
    assert is_open(datetime(2026, 11, 25, 12, 0)) is False
    assert next_open(datetime(2026, 11, 27, 17, 0)) == jst(2026, 11, 30, 10, 0)


def test_aware_input_in_other_zones_is_converted():
    assert is_open(datetime(2026, 11, 25, 1, 0, tzinfo=UTC)) is True      # 10:00 JST
    assert is_open(datetime(2026, 11, 25, 0, 59, tzinfo=UTC)) is False    # 09:59 JST
    assert is_open(datetime(2026, 11, 25, 3, 0, tzinfo=UTC)) is False     # 12:00 JST
    assert is_open(datetime(2026, 11, 27, 7, 59, tzinfo=UTC)) is True     # Friday 16:59 JST
    # Friday 16:00 UTC is already Saturday 01:00 in Japan.
    assert is_open(datetime(2026, 11, 27, 16, 0, tzinfo=UTC)) is False
    # Sunday 23:30 UTC is Monday 08:30 JST: opens at 10:00 JST that Monday.
    assert next_open(datetime(2026, 11, 29, 23, 30, tzinfo=UTC)) == jst(2026, 11, 30, 10, 0)
    ny = ZoneInfo("America/New_York")
    assert is_open(datetime(2026, 11, 24, 20, 30, tzinfo=ny)) is True     # Wednesday 10:30 JST
    assert next_open(datetime(2026, 11, 25, 3, 0, tzinfo=UTC)) == datetime(2026, 11, 25, 4, 0, tzinfo=UTC)


def test_closed_reason_and_description():
    hours = contacts.directory().support_center.hours
    assert hours.closed_reason(jst(2026, 11, 23, 11)) == "holiday"
    assert hours.closed_reason(jst(2026, 11, 21, 11)) == "weekend"
    assert hours.closed_reason(jst(2026, 11, 25, 12, 30)) == "break"
    assert hours.closed_reason(jst(2026, 11, 25, 8)) == "before_hours"
    assert hours.closed_reason(jst(2026, 11, 25, 17)) == "after_hours"
    assert hours.closed_reason(jst(2026, 11, 25, 10)) is None
    assert hours.describe("ja") == "平日 10:00〜12:00 / 13:00〜17:00（土日祝を除く）"
    assert "closed on weekends and national holidays" in hours.describe("en")


# ------------------------------------------------------------------ routing

OPEN = jst(2026, 11, 25, 10, 30)
CLOSED = jst(2026, 11, 23, 10, 30)


def test_route_per_service_follows_the_seed_order():
    d = contacts.directory()
    for code, svc in d.services.items():
        routes = route(service=code, at=OPEN)
        assert [r.contact_id for r in routes] == list(svc.contacts), code
    assert [r.phone for r in route(service="convalescent_care", at=OPEN)] == [
        "0263-34-3261", "0263-29-3400", "0263-32-6315"]
    assert [r.phone for r in route(service="mama_help", at=OPEN)] == ["0263-34-3217"]
    assert [r.phone for r in route(service="short_stay", at=OPEN)] == ["0263-33-4767"]
    temporary = route(service="temporary_care", at=OPEN)
    assert temporary[0].name == "保育課" and len(temporary) == 13


def test_route_fields():
    first = route(service="family_support", at=OPEN)[0]
    assert first.name == "こども育成課" and first.name_en == "Child Development Division"
    assert first.tel == "tel:0263343261" and first.kind == "department"
    assert "ファミリーサポートセンター" in first.why and first.why_en
    assert first.open_now is None and first.next_open is None  # hours unknown: None, never False
    data = first.to_dict()
    assert data["open_now"] is None and data["tel"] == "tel:0263343261"


def test_system_questions_go_to_the_support_center():
    routes = route(topic="system", service="temporary_care", at=OPEN)
    assert [r.contact_id for r in routes] == ["support_center"]
    assert routes[0].phone == "026-262-1378" and routes[0].open_now is True and routes[0].next_open is None
    closed = route(topic="system", at=CLOSED)[0]
    assert closed.open_now is False and closed.next_open == jst(2026, 11, 24, 10, 0)
    assert closed.to_dict()["next_open"] == "2026-11-24T10:00:00+09:00"
    assert closed.hours == "平日 10:00〜12:00 / 13:00〜17:00（土日祝を除く）"
    assert [r.contact_id for r in route(at=OPEN)] == ["support_center"]  # nothing known: the general desk


def test_route_from_a_flow_outcome():
    assert [r.contact_id for r in route(flow_outcome="support_center", at=OPEN)] == ["support_center"]
    assert [r.contact_id for r in route(flow_outcome="holiday_care", at=OPEN)] == [
        "mat-kodomo-ikusei", "mat-kodomo-plaza-tsukama"]

    class Outcome:
        contact = "mama_help"
    assert [r.phone for r in route(flow_outcome=Outcome(), at=OPEN)] == ["0263-34-3217"]


def test_route_from_a_place():
    routes = route(place_id="mat-kodomo-plaza-tsukama", at=OPEN)
    assert [r.contact_id for r in routes] == ["mat-kodomo-plaza-tsukama", "mat-kodomo-ikusei"]
    routes = route(place_id="mat-komiya-hoikuen", at=OPEN)
    assert [r.name for r in routes] == ["小宮保育園", "保育課"]


def test_route_has_no_duplicates():
    routes = route(place_id="mat-family-support-office", service="family_support", at=OPEN)
    ids = [r.contact_id for r in routes]
    assert ids == ["mat-family-support-office", "mat-kodomo-ikusei"] and len(set(ids)) == len(ids)


def test_route_unknown_ids():
    with pytest.raises(UnknownContact):
        route(service="karaoke")
    with pytest.raises(UnknownContact):
        route(place_id="support_center")
    with pytest.raises(UnknownContact):
        route(flow_outcome="nowhere")
    with pytest.raises(ValueError):
        route(topic="gossip")


def test_route_defaults_to_now():
    routes = route(topic="system")
    assert routes[0].open_now in (True, False)


def test_find_contacts():
    d = contacts.directory()
    assert [c.name for c in contacts.find_contacts(d, "ほいくか")] == ["保育課"]
    assert contacts.find_contacts(d, "ｺﾐﾔ")[0].name == "小宮保育園"
    assert contacts.find_contacts(d, "0263-47-2017")[0].id == "mat-komiya-hoikuen"
    assert contacts.find_contacts(d, "サポートセンター")[0].id == "support_center"
    assert contacts.find_contacts(d, "nursery school")[0].kind == "provider"
    assert contacts.find_contacts(d, "") == []
