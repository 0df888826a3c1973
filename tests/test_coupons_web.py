"""The family's coupon pages: claim, wallet, redemption by QR or passcode, receipt and history."""
import datetime as dt
import re
import unicodedata

from sqlalchemy import select

from webapp.coupons import domain as d
from webapp.coupons import operations as ops
from webapp.coupons.models import CouponSet, LedgerEntry
from webapp.extensions import db

from . import coupon_factory as cf
from .conftest import Browserish, csrf_from


def logged_in_family(site, birth=dt.date(2024, 5, 10)):
    with site.app_context():
        user = cf.family(birth=birth)
        code = cf.serials(1)[0]
        facility = cf.provider("temporary_care")
        point = ops.ensure_point(db.session, facility)
        db.session.commit()
        info = {"email": user.email, "child_id": user.children[0].id, "code": code, "token": point.qr_token,
                "passcode": point.passcode, "facility": facility.name}
    b = Browserish(site.test_client())
    r = b.submit("/login", {"email": info["email"], "password": cf.PASSWORD})
    assert r.status_code == 302
    return b, info


def claim(b, info, serial=None):
    page = b.get("/coupons/claim?serial=" + (serial or info["code"]))
    html = page.get_data(as_text=True)
    assert "受け取る" in html, html[:3000]
    return b.client.post("/coupons/claim/receive", data={
        "csrf_token": csrf_from(html), "serial": info["code"], "child": info["child_id"], "birth_date": "2024-05-10"})


def test_claim_with_forgiving_serial_input(site):
    b, info = logged_in_family(site)
    messy = unicodedata.normalize("NFKC", d.format_serial(info["code"])).lower()
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in messy)  # full width
    r = b.submit("/coupons/claim", {"serial": wide})
    assert "受け取る" in r.get_data(as_text=True)
    r = claim(b, info)
    assert r.status_code == 200 and "受け取りました" in r.get_data(as_text=True)
    assert "<span>10</span> / 10" in b.get("/coupons").get_data(as_text=True)


def test_claim_errors_are_shown_and_nothing_is_stored(site):
    b, info = logged_in_family(site)
    html = b.submit("/coupons/claim", {"serial": "ABCD"}).get_data(as_text=True)
    assert "桁数が足りません" in html
    bad = info["code"][:-1] + ("2" if info["code"][-1] != "2" else "3")
    assert "入力まちがい" in b.submit("/coupons/claim", {"serial": bad}).get_data(as_text=True)
    page = b.get("/coupons/claim?serial=" + info["code"]).get_data(as_text=True)
    r = b.client.post("/coupons/claim/receive", data={"csrf_token": csrf_from(page), "serial": info["code"],
                                                      "child": info["child_id"], "birth_date": "2024-05-11"})
    assert r.status_code == 400 and "一致しません" in r.get_data(as_text=True)
    with site.app_context():
        assert db.session.scalar(select(CouponSet)) is None
    assert claim(b, info).status_code == 200
    again = b.submit("/coupons/claim", {"serial": info["code"]}).get_data(as_text=True)
    assert "すでに使われています" in again


def test_deep_link_after_login_keeps_the_serial(site):
    with site.app_context():
        user = cf.family()
        code = cf.serials(1)[0]
        db.session.commit()
        email = user.email
    b = Browserish(site.test_client())
    r = b.get("/coupons/claim?serial=" + code)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    next_url = re.search(r"next=([^&]+)", r.headers["Location"]).group(1)
    from urllib.parse import unquote
    r = b.submit("/login?next=" + next_url, {"email": email, "password": cf.PASSWORD}, page_url="/login")
    assert r.status_code == 302 and code in unquote(r.headers["Location"])


def redeem_via_pages(b, info, count=2, set_id=None, key=None):
    set_id = set_id or _set_id(b)
    page = b.get(f"/coupons/use?set={set_id}&p={info['token']}").get_data(as_text=True)
    key = key or re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    r = b.client.post(f"/coupons/use?set={set_id}&p={info['token']}",
                      data={"csrf_token": csrf_from(page), "key": key, "service": "temporary_care", "count": count})
    html = r.get_data(as_text=True)
    assert "スタッフと一緒に" in html or "スタッフ" in html, html[:2000]
    return b.client.post(f"/coupons/use/confirm?set={set_id}&p={info['token']}",
                         data={"csrf_token": csrf_from(html), "key": key, "service": "temporary_care",
                               "count": count}), key


def _set_id(b):
    html = b.get("/coupons").get_data(as_text=True)
    return int(re.search(r"/coupons/sets/(\d+)", html).group(1))


def test_redeem_by_qr_link_then_receipt_and_history(site):
    b, info = logged_in_family(site)
    claim(b, info)
    landing = b.get(f"/r/{info['token']}")
    assert landing.status_code == 302 and "/coupons/use" in landing.headers["Location"]
    r, key = redeem_via_pages(b, info, count=3)
    assert r.status_code == 302 and "/coupons/receipts/" in r.headers["Location"]
    receipt = b.get(r.headers["Location"]).get_data(as_text=True)
    assert info["facility"] in receipt and "1,500" in receipt and 'id="now"' in receipt
    assert "残り: 7枚" in receipt  # 10 - 3
    history = b.get("/coupons/history").get_data(as_text=True)
    assert info["facility"] in history and "3枚" in history


def test_double_submit_shows_the_same_receipt(site):
    b, info = logged_in_family(site)
    claim(b, info)
    first, key = redeem_via_pages(b, info, count=2)
    second, _ = redeem_via_pages(b, info, count=2, key=key)
    assert first.headers["Location"] == second.headers["Location"]
    with site.app_context():
        assert len(db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == "redeem")).all()) == 1


def test_more_than_remaining_is_refused_with_advice(site):
    b, info = logged_in_family(site)
    claim(b, info)
    set_id = _set_id(b)
    page = b.get(f"/coupons/use?set={set_id}&p={info['token']}").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', page).group(1)
    html = b.client.post(f"/coupons/use?set={set_id}&p={info['token']}", data={
        "csrf_token": csrf_from(page), "key": key, "service": "temporary_care", "count": 21}).get_data(as_text=True)
    assert "別の方法でお支払いください" in html
    for bad in ("0", "-1", "abc", ""):
        html = b.client.post(f"/coupons/use?set={set_id}&p={info['token']}", data={
            "csrf_token": csrf_from(page), "key": key, "service": "temporary_care", "count": bad}).get_data(as_text=True)
        assert "1以上の数字で入力してください" in html and "Not a valid" not in html and "選んで" not in html


def test_passcode_route_and_lockout(site):
    b, info = logged_in_family(site)
    claim(b, info)
    set_id = _set_id(b)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in info["passcode"])  # typed in full width
    r = b.submit(f"/coupons/passcode?set={set_id}", {"passcode": wide})
    assert r.status_code == 302 and info["token"] in r.headers["Location"]
    wrong = "000000" if info["passcode"] != "000000" else "111111"
    for _ in range(ops.PASSCODE_LIMIT_ACCOUNT):
        html = b.submit(f"/coupons/passcode?set={set_id}", {"passcode": wrong}).get_data(as_text=True)
        assert "一致する提供者がありません" in html
    r = b.submit(f"/coupons/passcode?set={set_id}", {"passcode": info["passcode"]})
    assert r.status_code == 429


def test_wallet_filters_and_sort_are_in_the_url(site):
    b, info = logged_in_family(site)
    claim(b, info)
    html = b.get("/coupons?service=temporary_care&usable=1&sort=remaining").get_data(as_text=True)
    assert 'value="temporary_care" checked' in html and 'value="remaining" selected' in html
    assert html.count('class="coupon svc-') == 1
    everything = b.get("/coupons").get_data(as_text=True)
    assert everything.count('class="coupon svc-') == 8


def test_other_families_and_other_roles_are_kept_out(site):
    b, info = logged_in_family(site)
    claim(b, info)
    set_id = _set_id(b)
    other, _ = logged_in_family(site)
    assert other.get(f"/coupons/sets/{set_id}").status_code == 404
    assert other.get(f"/coupons/use?set={set_id}&p={info['token']}").status_code == 404
    anon = site.test_client()
    assert anon.get("/coupons").status_code == 302
    assert anon.get(f"/r/{info['token']}").status_code == 302
    assert b.get("/r/not-a-token").status_code == 404


def test_confirming_on_another_familys_set_is_not_found_and_stores_nothing(site):
    b, info = logged_in_family(site)
    claim(b, info)
    set_id = _set_id(b)
    other, _ = logged_in_family(site)
    def form(client):  # any form page of the signed-in family carries a valid CSRF token
        page = client.get("/coupons/claim").get_data(as_text=True)
        return {"csrf_token": csrf_from(page), "key": "k-" + "a" * 30, "service": "temporary_care", "count": 1}

    r = other.client.post(f"/coupons/use/confirm?set={set_id}&p={info['token']}", data=form(other))
    assert r.status_code == 404
    data = form(b)
    for junk in ("", "abc", "-1", "１２", "9" * 30, f"{set_id}x"):
        r = b.client.post(f"/coupons/use/confirm?set={junk}&p={info['token']}", data=data)
        assert r.status_code == 404, junk
        assert b.get(f"/coupons/use?set={junk}&p={info['token']}").status_code == 404, junk
    assert b.get("/coupons/sets/" + "9" * 30).status_code == 404  # beyond the database's integer
    assert b.client.post(f"/coupons/use/confirm?set={set_id}&p=not-a-token", data=data).status_code == 404
    with site.app_context():
        assert db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == "redeem")).all() == []
        assert ops.balance_of(db.session, set_id) == 10


def test_a_confirmation_reads_the_set_once_under_its_lock(site):
    """The redemption POST: the signed-in user, the provider with its services, the set locked and read in one
    statement, its ledger with any earlier use of the key, the new entry; nothing else."""
    from sqlalchemy import event
    b, info = logged_in_family(site)
    claim(b, info)
    set_id = _set_id(b)
    page = b.get(f"/coupons/use?set={set_id}&p={info['token']}").get_data(as_text=True)
    statements = []
    with site.app_context():
        engine = db.engine

    def seen(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        r = b.client.post(f"/coupons/use/confirm?set={set_id}&p={info['token']}", data={
            "csrf_token": csrf_from(page), "key": "k-" + "b" * 30, "service": "temporary_care", "count": 2})
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert r.status_code == 302 and "/coupons/receipts/" in r.headers["Location"]
    reads = [s for s in statements if s.startswith("SELECT") and "FROM users" not in s and s != "SELECT 1"]
    assert len([s for s in reads if "FROM coupon_sets" in s]) == 1
    assert len([s for s in reads if "FROM provider_points" in s]) == 1
    assert len([s for s in reads if "FROM coupon_ledger" in s]) == 1
    assert len(reads) == 3, reads
    assert [s.split(" (")[0] for s in statements if not s.startswith("SELECT")] in (
        ["INSERT INTO coupon_ledger"], ["BEGIN IMMEDIATE", "INSERT INTO coupon_ledger"])
    if engine.dialect.name == "postgresql":
        assert any("FROM coupon_sets" in s and "FOR UPDATE OF coupon_sets" in s for s in reads)
    with site.app_context():
        assert ops.balance_of(db.session, set_id) == 8


def test_the_wallet_sorted_by_recent_use_starts_with_the_service_last_used(site):
    b, info = logged_in_family(site)
    claim(b, info)
    before = b.get("/coupons?sort=recent").get_data(as_text=True)
    r, _ = redeem_via_pages(b, info, count=1)
    assert "/coupons/receipts/" in r.headers["Location"]
    html = b.get("/coupons?sort=recent").get_data(as_text=True)
    first = re.search(r'class="coupon svc-([a-z_]+)', html).group(1)
    assert first == "temporary_care"
    assert re.search(r'class="coupon svc-([a-z_]+)', before).group(1) != "temporary_care"
