"""Usage at a glance: the dashboard's series come from the ledger net of corrections (checked against the
ledger's own rows), the CSV says the same as the chart, the provider's daily chart, the log of searches that
found nothing, and the SVG charts themselves."""
import csv
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select, text

from webapp.accounts.models import User
from webapp.admin import usage
from webapp.coupons import dashboard as cd
from webapp.coupons import operations as ops
from webapp.coupons.models import KIND_ISSUE, KIND_REDEEM, KIND_REVERSAL, LedgerEntry, ProviderStaff
from webapp.extensions import db
from webapp.search_log import ZeroResultSearch, normalize_query, record_zero_result, top_zero_result
from webapp.timeutil import utcnow
from webapp.web import charts

from . import coupon_factory as cf
from .conftest import Browserish
from .test_registration_helpers import make_user, staff

SVG = "{http://www.w3.org/2000/svg}"
JST = dt.timedelta(hours=9)


def use(coupon_set, facility, count, at, service="temporary_care"):
    user = db.session.get(User, coupon_set.user_id)
    return ops.redeem(db.session, user=user, set_id=coupon_set.id, provider=ops.provider_of(facility), service_code=service,
                      count=count, idempotency_key=uuid.uuid4().hex, now=at)


def give_back(entry_id, facility, count, at):
    user = db.session.get(User, db.session.get(LedgerEntry, entry_id).actor_user_id)
    return ops.reverse(db.session, original_id=entry_id, facility=facility, count=count, reason="数え間違い",
                       actor=user, now=at)


def ledger_net_by_day(provider_id=None) -> dict[dt.date, int]:
    """The ledger read directly, row by row: each use's count on its day in Japan, less its correction."""
    rows = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
    uses = {e.id: e for e in rows if e.kind == KIND_REDEEM}
    out: dict[dt.date, int] = {}
    for e in rows:
        original = uses.get(e.reverses_id) if e.kind == KIND_REVERSAL else uses.get(e.id)
        if original is None or provider_id is not None and original.provider_id != provider_id:
            continue
        day = (original.created_at + JST).date()
        out[day] = out.get(day, 0) + (e.count if e.kind == KIND_REDEEM else -e.count)
    return out


# -- series from the ledger ----------------------------------------------------------------------------------
@pytest.fixture
def ledger(ref_app):
    """Uses at two providers around Japan midnight, a partial and a full correction, one use outside."""
    with ref_app.app_context():
        s = cf.claimed_set()
        care, sick = cf.provider("temporary_care"), cf.provider("sick_child_care")
        a = use(s, care, 4, dt.datetime(2026, 10, 31, 16, 0))          # 1 Nov 01:00 in Japan
        give_back(a, care, 1, dt.datetime(2026, 11, 1, 0, 0))           # counts on the day of the use
        use(s, care, 2, dt.datetime(2026, 11, 2, 14, 59))               # 2 Nov 23:59 in Japan
        b = use(s, sick, 3, dt.datetime(2026, 11, 2, 15, 0), "sick_child_care")  # 3 Nov 00:00 in Japan
        give_back(b, sick, 3, dt.datetime(2026, 11, 3, 1, 0))           # all given back
        use(s, sick, 1, dt.datetime(2026, 11, 3, 2, 0), "sick_child_care")
        use(s, care, 1, dt.datetime(2026, 10, 15, 3, 0))                # before the period
        db.session.commit()
        yield {"set": s.id, "care": care.id, "sick": sick.id}


def test_uses_per_day_are_net_of_corrections_and_cut_at_japan_midnight(ref_app, ledger):
    with ref_app.app_context():
        start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 4)
        series = cd.redemptions_per_day(db.session, start, end)
        assert series == [(dt.date(2026, 11, 1), 3), (dt.date(2026, 11, 2), 2), (dt.date(2026, 11, 3), 1),
                          (dt.date(2026, 11, 4), 0)]
        from_ledger = ledger_net_by_day()
        assert dict(series) == {d: from_ledger.get(d, 0) for d, _n in series}
        # over all time the uses add up to what left the sets: issued − balance
        issues = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == KIND_ISSUE))
        issued = sum(e.count for e in issues)
        everything = cd.redemptions_per_day(db.session, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
        assert sum(n for _d, n in everything) == issued - ops.balance_of(db.session, ledger["set"]) == 7
        one = cd.redemptions_per_day(db.session, start, end, provider_id=ledger["sick"])
        assert [n for _d, n in one] == [0, 0, 1, 0]


def test_uses_per_service_list_every_service(ref_app, ledger):
    with ref_app.app_context():
        by_service = dict(cd.redemptions_by_service(db.session, dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
        assert by_service["temporary_care"] == 5 and by_service["sick_child_care"] == 1
        assert by_service["mama_help"] == 0 and len(by_service) == 8


def test_unused_coupons_by_the_month_they_expire(ref_app, ledger):
    with ref_app.app_context():
        left = ops.balance_of(db.session, ledger["set"])
        # a second child's set first used for 育児ママヘルプ: its coupons last 90 days from that use
        second = cf.claimed_set()
        mama = cf.provider("mama_help")
        use(second, mama, 2, dt.datetime(2027, 3, 20, 3, 0), "mama_help")   # valid through 2027-06-17
        emptied = cf.claimed_set()
        use(emptied, mama, 10, dt.datetime(2026, 11, 5, 3, 0), "mama_help")  # nothing left: not counted
        db.session.commit()
        assert cd.remaining_by_expiry_month(db.session, dt.date(2026, 11, 23)) == [("2027-03", left),
                                                                                  ("2027-06", 8)]
        assert cd.remaining_by_expiry_month(db.session, dt.date(2027, 4, 1)) == [("2027-06", 8)]
        assert cd.remaining_by_expiry_month(db.session, dt.date(2027, 6, 18)) == []


def test_registrations_and_partners_per_month(ref_app):
    with ref_app.app_context():
        for created in (dt.datetime(2026, 10, 31, 15, 0), dt.datetime(2026, 10, 31, 14, 59),
                        dt.datetime(2025, 1, 1)):
            u = make_user("family")
            u.created_at = created
        make_user("agent").created_at = dt.datetime(2026, 11, 2)
        db.session.commit()
        months = dict(usage.family_registrations_per_month(db.session, dt.date(2026, 11, 23)))
        assert list(months)[0] == "2025-12" and list(months)[-1] == "2026-11" and len(months) == 12
        assert months["2026-11"] == 1 and months["2026-10"] == 1 and sum(months.values()) == 2
        from .test_admin import add_facility
        add_facility("KP-800001", registered_on="2026-11-05")
        add_facility("KP-800002")                              # no 登録日: the day it was entered
        partners = dict(usage.partner_facilities_per_month(db.session, (utcnow() + JST).date()))
        this_month = usage.month_key((utcnow() + JST).date())
        assert partners[this_month] >= 1
        nov = dict(usage.partner_facilities_per_month(db.session, dt.date(2026, 11, 30)))
        assert nov["2026-11"] >= 1


# -- the dashboard and its CSV -------------------------------------------------------------------------------
def read_csv(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_dashboard_charts_and_csv_match_the_ledger(site):
    now = utcnow()
    with site.app_context():
        s = cf.claimed_set()
        care = cf.provider("temporary_care")
        a = use(s, care, 4, now - dt.timedelta(days=2))
        give_back(a, care, 1, now - dt.timedelta(days=2) + dt.timedelta(hours=1))
        use(s, care, 2, now - dt.timedelta(days=40))
        db.session.commit()
        from_ledger = ledger_net_by_day()
    b = Browserish(site.test_client())
    staff(site, b)
    page = b.get("/admin/").get_data(as_text=True)
    for name in ("per-day", "by-service", "remaining", "families", "partners", "zero-results"):
        assert f'id="chart-{name}"' in page and f"/admin/usage.csv?chart={name}&amp;days=30" in page
    assert page.count('role="img"') >= 6
    today = (now + JST).date()
    for days, total in ((30, 3), (60, 5)):
        rows = read_csv(b.get(f"/admin/usage.csv?chart=per-day&days={days}"))
        assert rows[0] == ["日付", "クーポン利用枚数"]
        assert len(rows) == 1 + days and rows[-1][0] == today.isoformat()
        assert {dt.date.fromisoformat(d): int(n) for d, n in rows[1:] if int(n)} == {
            d: n for d, n in from_ledger.items() if today - d < dt.timedelta(days=days)}
        assert sum(int(n) for _d, n in rows[1:]) == total
    service_rows = dict(read_csv(b.get("/admin/usage.csv?chart=by-service&days=60"))[1:])
    assert service_rows["一時預かり"] == "5"
    assert read_csv(b.get("/admin/usage.csv?chart=remaining"))[1:] == [["2027-03", "5"]]
    assert b.get("/admin/usage.csv?chart=nothing").status_code == 404
    # the table beside the chart says the same as the CSV
    assert "<td class=\"num\">3</td>" in b.get("/admin/?days=30").get_data(as_text=True)


def test_usage_csv_is_admin_only(site):
    assert site.test_client().get("/admin/usage.csv?chart=per-day").status_code == 302
    b = Browserish(site.test_client())
    staff(site, b, role="agent")
    assert b.get("/admin/usage.csv?chart=per-day").status_code == 403


def test_provider_settlement_shows_the_month_per_day(site):
    with site.app_context():
        s = cf.claimed_set()
        care = cf.provider("temporary_care")
        a = use(s, care, 4, dt.datetime(2026, 10, 31, 16, 0))
        give_back(a, care, 1, dt.datetime(2026, 11, 1, 0, 0))
        use(s, care, 2, dt.datetime(2026, 11, 30, 15, 0))            # 1 Dec in Japan: not November
        user = make_user("provider")
        db.session.add(ProviderStaff(user_id=user.id, facility_id=care.id))
        db.session.commit()
        email = user.email
    b = Browserish(site.test_client())
    from .test_registration_helpers import login
    login(b, email)
    page = b.get("/provider/settlement?month=2026-11").get_data(as_text=True)
    assert 'id="chart-daily"' in page and page.count("<rect") == 30
    table = page[page.index('class="data chart-table"'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 31 and '<th scope="row">1</th><td class="num">3</td>' in table
    assert '<th scope="row">30</th><td class="num">0</td>' in table


# -- searches that found nothing -----------------------------------------------------------------------------
def test_normalize_query_keeps_no_personal_data():
    assert normalize_query("  ＣＡＦＥ　 じゅにゅう ") == "cafe じゅにゅう"
    assert normalize_query("") is None and normalize_query("   ") is None
    assert normalize_query("taro@example.jp") is None
    assert normalize_query("045-123-4567") is None and normalize_query("０９０１２３４５６７８") is None
    assert normalize_query("2026年 12月") == "2026年 12月"
    assert len(normalize_query("あ" * 300)) == 100


def test_searches_that_found_nothing_are_counted_per_day(client, ref_app):
    for _ in range(2):
        assert client.get("/search", query_string={"q": "ぞぞぞぞ"}).status_code == 200
    client.get("/search", query_string={"q": "ぞぞぞぞ", "page": 2})           # later pages: not again
    client.get("/search", query_string={"q": "保育園"})                        # found something: not kept
    client.get("/search", query_string={"q": "someone@example.jp"})          # personal data: not kept
    assert client.get("/api/v1/facilities", query_string={"q": "ＺＺＸＸＹ"}).status_code == 200
    with ref_app.app_context():
        rows = {(r.source, r.query): r.count for r in db.session.scalars(select(ZeroResultSearch))}
        assert rows == {("web", "ぞぞぞぞ"): 2, ("api", "zzxxy"): 1}
        today = (utcnow() + JST).date()
        assert top_zero_result(db.session, today, today) == [("ぞぞぞぞ", 2), ("zzxxy", 1)]
        assert top_zero_result(db.session, today - dt.timedelta(days=9), today - dt.timedelta(days=1)) == []


def test_a_broken_log_never_fails_the_search(client, ref_app):
    with ref_app.app_context():
        db.session.execute(text("DROP TABLE zero_result_searches"))
        db.session.commit()
        assert record_zero_result("ぞぞぞぞ", 0) is False
    assert client.get("/search", query_string={"q": "ぞぞぞぞ"}).status_code == 200
    assert client.get("/api/v1/facilities", query_string={"q": "ぞぞぞぞ"}).status_code == 200


def test_dashboard_lists_the_top_searches_that_found_nothing(site):
    client = site.test_client()
    for q in ("ぞぞぞぞ", "ぞぞぞぞ", "ぬぬぬ"):
        client.get("/search", query_string={"q": q})
    b = Browserish(site.test_client())
    staff(site, b)
    rows = read_csv(b.get("/admin/usage.csv?chart=zero-results"))
    assert rows == [["検索語", "検索回数"], ["ぞぞぞぞ", "2"], ["ぬぬぬ", "1"]]


# -- the SVG -------------------------------------------------------------------------------------------------
def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def test_bar_chart_is_an_accessible_image():
    points = [charts.Point("11月", 3), charts.Point("<b>1</b>", 5, title="2026年12月")]
    root = parse(charts.bar_chart(points, chart_id="c1", title="利用枚数", desc="合計 8 枚"))
    assert root.get("role") == "img" and root.get("aria-label") == "利用枚数"
    assert root.get("aria-describedby") == "c1-desc" and root.get("width") is None
    assert root.find(SVG + "title").text == "利用枚数" and root.find(SVG + "desc").text == "合計 8 枚"
    bars = root.findall(SVG + "rect")
    assert len(bars) == 2 and float(bars[1].get("height")) > float(bars[0].get("height"))
    assert bars[1].find(SVG + "title").text == "2026年12月: 5"
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "<b>1</b>" in texts and "5" in texts          # labels escaped, values written on the bars


def test_horizontal_and_line_charts_and_empty_ones():
    long = "とても長い検索語" * 5
    root = parse(charts.bar_chart([charts.Point(long, 7), charts.Point("b", 0)], chart_id="h", title="t",
                                  desc="d", horizontal=True))
    groups = root.findall(SVG + "g")
    assert len(groups) == 2 and groups[0].find(SVG + "title").text == f"{long}: 7"
    assert groups[0].find(SVG + "text").text.endswith("…")
    line = parse(charts.line_chart([charts.Point(str(i), i % 4) for i in range(60)], chart_id="l", title="t",
                                   desc="d"))
    assert len(line.find(SVG + "polyline").get("points").split()) == 60
    assert len(line.findall(SVG + "circle")) == 60
    empty = parse(charts.bar_chart([], chart_id="e", title="t", desc="d", empty="データなし"))
    assert [t.text for t in empty.iter(SVG + "text")] == ["データなし"]
    with pytest.raises(ValueError):
        charts.bar_chart([], chart_id='x" onload="alert(1)', title="t", desc="d")


def test_axis_scale_and_csv():
    assert [charts.nice_max(v) for v in (0, 1, 3, 7, 12, 22, 240, 999)] == [1, 1, 5, 10, 20, 25, 250, 1000]
    body = charts.to_csv(["語", "回数"], [["=cmd()", 2], ["ok", 1]])
    assert body == "\ufeff語,回数\r\n'=cmd(),2\r\nok,1\r\n"
