"""The agents' console: search, flows with numbered choices, routing, audited read-only member lookup (reason
required, audit row committed before any data is shown), masked birth dates, call notes, the admin's audit list,
and CSRF on every POST."""
import datetime as dt
import re

import pytest

import contacts
from sqlalchemy import func, select, text

from webapp.accounts.models import Child, User
from webapp.accounts.passwords import hash_password
from webapp.coupons import operations as coupon_ops
from webapp.extensions import db
from webapp.support import audit, lookup
from webapp.support.models import AuditLog, CallNote

from . import coupon_factory
from .conftest import csrf_from
from .test_accounts import PASSWORD

BIRTH = dt.date(2024, 5, 10)


# ------------------------------------------------------------------ helpers shared with the other support tests

def make_user(app, email, role, **kw) -> int:
    """A user created directly in the database; returns its id."""
    with app.app_context():
        user = User(email=email, password_hash=hash_password(PASSWORD), role=role, **kw)
        db.session.add(user)
        db.session.commit()
        return user.id


def login(b, email):
    r = b.submit("/login", {"email": email, "password": PASSWORD})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r


def make_family(app, email="hanako@example.jp") -> int:
    """A family with one child, a claimed coupon set and one use of two coupons at a temporary-care provider."""
    with app.app_context():
        user = coupon_factory.family(birth=BIRTH, email=email)
        user.name, user.name_kana, user.passport_number = "山田 花子", "ヤマダ ハナコ", "1234567897"
        user.children.append(Child(name="じろう", due_date=dt.date.today() + dt.timedelta(days=100)))
        coupon_set = coupon_factory.claimed_set(user)
        facility = coupon_factory.provider("temporary_care")
        coupon_ops.redeem(db.session, user=user, set_id=coupon_set.id, provider=coupon_ops.provider_of(facility),
                          service_code="temporary_care", count=2, idempotency_key="test-use-1")
        db.session.commit()
        return user.id


def audit_rows(app):
    with app.app_context():
        return db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()


def post(b, url, data, page="/support/"):
    """POST like the browser: with the CSRF token of a console page."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_from(b.get(page).get_data(as_text=True)))
    return b.client.post(url, data=data)


def open_member(b, member_id, reason="お電話での問い合わせ"):
    r = post(b, f"/support/members/{member_id}/open", {"reason": reason})
    assert r.status_code == 302 and "grant=" in r.headers["Location"], r.status_code
    return r.headers["Location"]


@pytest.fixture
def agent(site, browserish):
    make_user(site, "agent@example.jp", "agent")
    login(browserish, "agent@example.jp")
    return browserish


@pytest.fixture
def family_id(site):
    return make_family(site)


# ------------------------------------------------------------------ search, flows, routing

def test_console_search_across_faq_flows_contacts_and_facilities(agent):
    r = agent.get("/support/?q=QR")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'href="/support/flows/qr_not_reading"' in html
    assert 'href="/support/faq/coupon-qr-not-reading"' in html
    assert 'href="tel:0262621378"' in html  # the support center is a contact for QR questions
    assert "autofocus" in html and 'src="/static/js/support.js?v=' in html
    html = agent.get("/support/?q=ほいくか").get_data(as_text=True)  # 保育課 by its reading
    assert "保育課" in html and 'href="tel:0263339856"' in html
    html = agent.get("/support/?q=小宮保育園").get_data(as_text=True)
    assert 'href="/facilities/mat-komiya-hoikuen"' in html and "<mark>" in html


def test_console_results_are_links_in_dom_order(agent):
    html = agent.get("/support/?q=QR").get_data(as_text=True)
    results = re.findall(r'<a data-result[^>]*href="([^"]+)"', html)
    assert results[0] == "/support/flows/qr_not_reading"  # flows first: what an agent walks on a call
    assert len(results) >= 3


def test_console_flow_has_numbered_choices_and_same_paths(agent):
    html = agent.get("/support/flows/qr_not_reading").get_data(as_text=True)
    assert 'data-choice="1" href="/support/flows/qr_not_reading?path=iphone"' in html
    assert 'data-choice="3" href="/support/flows/qr_not_reading?path=other"' in html
    html = agent.get("/support/flows/qr_not_reading?path=other,no_other").get_data(as_text=True)
    assert "パスコード" in html and 'data-back href="/support/flows/qr_not_reading?path=other"' in html
    assert 'href="/help/flows/qr_not_reading?path=other%2Cno_other"' in html \
        or 'href="/help/flows/qr_not_reading?path=other,no_other"' in html  # to share with the caller
    bad = agent.get("/support/flows/qr_not_reading?path=nope")
    assert bad.status_code == 200 and "「nope」" in bad.get_data(as_text=True)
    assert agent.get("/support/flows/nope").status_code == 404


def test_console_routing(agent):
    html = agent.get("/support/route?topic=sick_child_care").get_data(as_text=True)
    assert "こども育成課" in html and 'href="tel:0263343261"' in html
    assert agent.get("/support/route?topic=nope").status_code == 404
    assert agent.get("/support/faq/coupon-passcode").status_code == 200
    assert agent.get("/support/faq/nope").status_code == 404


def _results(html):
    """The console's results in page order: (href of the result link, its HTML up to the next result)."""
    section = html.split('class="console-results"', 1)[1].split('class="console-grid"', 1)[0]
    parts = section.split("<a data-result")[1:]
    return [(re.search(r'href="([^"]+)"', p).group(1), p) for p in parts]


@pytest.mark.parametrize("query,first", [
    ("QRが読めない", "/support/flows/qr_not_reading"),        # issue 9: found nothing before
    ("QRコードが読み込めない", "/support/flows/qr_not_reading"),
    ("スキャンできない", "/support/flows/qr_not_reading"),
    ("カメラが真っ黒", "/support/faq/coupon-camera-permission"),
    ("メールが来ない", "/support/flows/mail_not_arriving"),
])
def test_console_search_folds_what_callers_say(agent, query, first):
    results = _results(agent.get(f"/support/?q={query}").get_data(as_text=True))
    assert results and results[0][0] == first, [h for h, _ in results]


@pytest.mark.parametrize("query,tel", [
    ("病児保育", "tel:0263343261"), ("一時預かり", "tel:0263339856"), ("ショートステイ", "tel:0263334767"),
    ("育児ママヘルプサービス", "tel:0263343217"), ("こども育成課", "tel:0263343261"), ("保育課の電話番号", "tel:0263339856"),
])
def test_a_service_or_department_finds_the_department_first(agent, query, tel):
    results = _results(agent.get(f"/support/?q={query}").get_data(as_text=True))
    assert results and results[0][0] == tel, [h for h, _ in results]
    assert 'class="status' in results[0][1]  # whether it takes calls now (or to check when calling)


def test_every_result_naming_a_department_shows_its_number_hours_and_state(agent, monkeypatch):
    from webapp.help import content
    from webapp.support.search import desk
    monkeypatch.setattr(content, "now_japan", lambda: dt.datetime(2026, 6, 2, 11, 0, tzinfo=contacts.JST))
    d = contacts.directory()
    for query in ("QRが読めない", "枚数を間違えた", "問い合わせ先", "病児保育", "サポートセンター"):
        html = agent.get(f"/support/?q={query}").get_data(as_text=True)
        items = dict(_results(html))
        named = 0
        for m in desk().search(query):
            href = d.contact(m.id).tel if m.kind == "contact" else f"/support/{m.kind}s/{m.id}" \
                if m.kind == "flow" else f"/support/faq/{m.id}"
            if href not in items:
                continue  # beyond the section's limit
            for cid in m.names:
                c = d.contact(cid)
                item = items[href]
                assert f'href="{c.tel}"' in item and c.phone in item, (query, m.key, cid)
                assert 'class="status' in item, (query, m.key)
                if c.hours:
                    assert "受付時間" in item and c.hours.describe("ja") in item, (query, m.key)
                named += 1
        assert named, query
    # the support center on a Tuesday at 11:00 Japan time: open, with its hours
    item = dict(_results(agent.get("/support/?q=QRが読めない").get_data(as_text=True)))["/support/flows/qr_not_reading"]
    assert "受付中" in item and 'href="tel:0262621378"' in item


def test_department_hours_are_shown_when_the_directory_has_them(agent, monkeypatch):
    import dataclasses
    from contacts import WeeklyHours
    from webapp.help import content
    d = contacts.directory()
    hours = WeeklyHours.from_dict({"weekdays": [0, 1, 2, 3, 4], "periods": [["08:30", "17:15"]],
                                   "closed_on_holidays": True})
    places = dict(d.places, **{"mat-hoiku": dataclasses.replace(d.places["mat-hoiku"], hours=hours)})
    monkeypatch.setattr(contacts, "directory", lambda: dataclasses.replace(d, places=places))
    monkeypatch.setattr(content, "now_japan", lambda: dt.datetime(2026, 6, 6, 11, 0, tzinfo=contacts.JST))  # Sat
    first = _results(agent.get("/support/?q=一時預かり").get_data(as_text=True))[0][1]
    assert 'href="tel:0263339856"' in first and hours.describe("ja") in first and "受付時間外" in first
    monkeypatch.setattr(content, "now_japan", lambda: dt.datetime(2026, 6, 8, 9, 0, tzinfo=contacts.JST))  # Mon
    first = _results(agent.get("/support/?q=一時預かり").get_data(as_text=True))[0][1]
    assert "受付中" in first


# ------------------------------------------------------------------ member lookup

def test_lookup_requires_a_reason_and_shows_nothing_without_one(agent, site, family_id):
    r = post(agent, "/support/lookup", {"query": "hanako@example.jp", "reason": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "照会の理由を入力してください" in html
    assert "山田" not in html
    r = post(agent, "/support/lookup", {"query": "hanako@example.jp", "reason": "   "})
    assert r.status_code == 400
    assert audit_rows(site) == []


def test_lookup_writes_the_audit_row_before_the_list(agent, site, family_id, monkeypatch):
    committed = []
    real = lookup.find_members

    def spy(session, text_, **kw):
        with db.engine.connect() as other:  # what another connection sees: committed rows only
            committed.append(other.execute(text("SELECT count(*) FROM support_audit_log")).scalar())
        return real(session, text_, **kw)

    monkeypatch.setattr(lookup, "find_members", spy)
    r = post(agent, "/support/lookup", {"query": "HANAKO@example.jp", "reason": "メールが届かない件"})
    assert r.status_code == 302 and committed == []  # nothing searched before the redirect
    page = agent.get(r.headers["Location"])
    assert page.status_code == 200 and "山田 花子" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert committed == [1]
    row = audit_rows(site)[0]
    with site.app_context():
        agent_id = db.session.scalar(select(User.id).where(User.email == "agent@example.jp"))
    assert (row.agent_id, row.action, row.query, row.reason, row.client) == \
        (agent_id, "member_search", "HANAKO@example.jp", "メールが届かない件", "127.0.0.1")
    assert row.target_user_id is None and row.created_at is not None


def test_opening_a_record_is_audited_first(agent, site, family_id, monkeypatch):
    seen = []
    real = lookup.summarise

    def spy(session, user, *a, **kw):
        with db.engine.connect() as other:
            seen.append(other.execute(text("SELECT action, target_user_id, reason FROM support_audit_log")).all())
        return real(session, user, *a, **kw)

    monkeypatch.setattr(lookup, "summarise", spy)
    url = open_member(agent, family_id, reason="クーポン枚数の確認")
    assert seen == []
    html = agent.get(url).get_data(as_text=True)
    assert seen == [[("member_view", family_id, "クーポン枚数の確認")]]
    assert "山田 花子" in html and "hanako@example.jp" in html


def test_member_record_masks_birth_dates_and_shows_state(agent, site, family_id):
    html = agent.get(open_member(agent, family_id)).get_data(as_text=True)
    assert "2024-**-**" in html and BIRTH.isoformat() not in html and "05-10" not in html
    years, months = lookup.age_on(BIRTH, dt.date.today())
    assert f"{years}歳{months}か月" in html
    assert "妊娠中" in html and re.search(r"\d{4}-\*\*-\*\*", html.split("妊娠中")[0][-400:])  # due date masked
    assert "1234567897" in html and re.search(r"\d{4}-03-31まで有効", html)
    # coupons: balance per set and the recent use (provider, service, count, time)
    assert re.search(r'<td class="num">8</td>', html)  # 10 issued, 2 used
    assert "一時預かり" in html and re.search(r'<td class="num">2</td>', html)
    with site.app_context():
        provider = coupon_factory.provider("temporary_care").name
    assert provider in html
    assert "登録済み" in html  # never logged in


def test_member_record_without_a_grant_shows_only_the_reason_form(agent, site, family_id):
    r = agent.get(f"/support/members/{family_id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "開く理由" in html and "山田" not in html and "hanako@" not in html
    # a grant of another agent, a search grant, or an old grant do not open it either
    url = open_member(agent, family_id)
    grant = int(url.split("grant=")[1])
    assert "山田" not in agent.get(f"/support/members/{family_id}?grant={grant + 100}").get_data(as_text=True)
    other = type(agent)(site.test_client())
    make_user(site, "agent2@example.jp", "agent")
    login(other, "agent2@example.jp")
    assert "山田" not in other.get(url).get_data(as_text=True)
    with site.app_context():
        row = db.session.get(AuditLog, grant)
        later = row.created_at + dt.timedelta(minutes=audit.GRANT_MINUTES + 1)
        assert audit.view_grant(db.session, grant, row.agent_id, family_id, now=later) is None
        assert audit.view_grant(db.session, grant, row.agent_id, family_id) is not None


@pytest.mark.parametrize("query", ["hanako@example.jp", "ＨＡＮＡＫＯ＠ＥＸＡＭＰＬＥ．ＪＰ", "1234 5678 97",
                                   "１２３４５６７８９７", "やまだ", "ﾔﾏﾀﾞ ﾊﾅｺ", "山田", "山田花子", "花子"])
def test_lookup_by_email_passport_name_and_kana(site, family_id, query):
    with site.app_context():
        found = lookup.find_members(db.session, query)
        assert [u.id for u in found] == [family_id], query


@pytest.mark.parametrize("query", ["045-123-4567", "0451234567", "０４５（１２３）４５６７", "+81 45 123 4567"])
def test_lookup_by_phone_number(site, family_id, query):
    with site.app_context():
        db.session.get(User, family_id).phone = "045-123-4567"
        db.session.commit()
        assert [u.id for u in lookup.find_members(db.session, query)] == [family_id], query
        assert lookup.find_members(db.session, "045-123-4568") == []


def test_lookup_never_lists_staff_and_explains_phone_numbers(agent, site, family_id):
    make_user(site, "admin@example.jp", "admin", name="山田 管理")
    with site.app_context():
        assert [u.id for u in lookup.find_members(db.session, "山田")] == [family_id]
        assert lookup.find_members(db.session, "admin@example.jp") == []
        assert lookup.find_members(db.session, "%") == [] and lookup.find_members(db.session, "") == []
    r = post(agent, "/support/lookup", {"query": "090-1234-5678", "reason": "電話番号で照会"})
    html = agent.get(r.headers["Location"]).get_data(as_text=True)
    assert "この電話番号を登録している会員はいません" in html
    with site.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.email == "admin@example.jp"))
    assert post(agent, f"/support/members/{admin_id}/open", {"reason": "x"}).status_code == 404
    assert agent.get(f"/support/members/{admin_id}").status_code == 404


def test_search_results_need_a_fresh_own_grant(agent, site, family_id):
    r = post(agent, "/support/lookup", {"query": "山田", "reason": "本人からの電話"})
    url = r.headers["Location"]
    assert "山田 花子" in agent.get(url).get_data(as_text=True)
    other = type(agent)(site.test_client())
    make_user(site, "agent2@example.jp", "agent")
    login(other, "agent2@example.jp")
    r = other.get(url)
    assert r.status_code == 302 and "山田" not in r.get_data(as_text=True)


# ------------------------------------------------------------------ call notes

def test_call_notes_are_appended_and_audited(agent, site, family_id):
    url = open_member(agent, family_id)
    grant = url.split("grant=")[1]
    r = post(agent, f"/support/members/{family_id}/notes", {"text": "QRが読めずパスコードで解決", "grant": grant},
             page=url)
    assert r.status_code == 302
    html = agent.get(url).get_data(as_text=True)
    assert "QRが読めずパスコードで解決" in html and "agent@example.jp" in html
    post(agent, f"/support/members/{family_id}/notes", {"text": "二件目", "grant": grant}, page=url)
    with site.app_context():
        notes = db.session.scalars(select(CallNote).order_by(CallNote.id)).all()
        assert [n.text for n in notes] == ["QRが読めずパスコードで解決", "二件目"]
        assert all(n.member_id == family_id and n.author.email == "agent@example.jp" for n in notes)
    assert [r.action for r in audit_rows(site)] == ["member_view", "call_note", "call_note"]
    # no way to change or remove a note
    rules = [r for r in site.url_map.iter_rules() if r.endpoint.startswith("support.") and "note" in r.rule]
    assert [sorted(r.methods - {"OPTIONS", "HEAD"}) for r in rules] == [["POST"]]


def test_call_notes_need_an_open_record_and_text(agent, site, family_id):
    url = open_member(agent, family_id)
    grant = url.split("grant=")[1]
    r = post(agent, f"/support/members/{family_id}/notes", {"text": "見ないで書く"}, page=url)
    assert r.status_code == 302 and "grant=" not in r.headers["Location"]
    post(agent, f"/support/members/{family_id}/notes", {"text": "  ", "grant": grant}, page=url)
    post(agent, f"/support/members/{family_id}/notes", {"text": "x" * 2001, "grant": grant}, page=url)
    with site.app_context():
        assert db.session.scalar(select(func.count()).select_from(CallNote)) == 0


def test_deleting_an_account_keeps_the_audit_log_and_drops_the_notes(agent, site, family_id):
    url = open_member(agent, family_id)
    post(agent, f"/support/members/{family_id}/notes", {"text": "メモ", "grant": url.split("grant=")[1]}, page=url)
    with site.app_context():
        db.session.delete(db.session.get(User, family_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(CallNote)) == 0
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 2


def test_audit_log_is_append_only(agent, site, family_id):
    open_member(agent, family_id)
    with site.app_context():
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("UPDATE support_audit_log SET reason = 'changed'"))
        db.session.rollback()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("DELETE FROM support_audit_log"))
        db.session.rollback()


# ------------------------------------------------------------------ the audit list (admin only)

def test_audit_list_is_for_admins_only(agent, site, family_id):
    open_member(agent, family_id, reason="理由A")
    assert agent.get("/support/audit").status_code == 403
    admin = type(agent)(site.test_client())
    make_user(site, "admin@example.jp", "admin")
    login(admin, "admin@example.jp")
    html = admin.get("/support/audit").get_data(as_text=True)
    assert "理由A" in html and "agent@example.jp" in html and "hanako@example.jp" in html and "127.0.0.1" in html
    assert 'href="/support/audit"' in admin.get("/support/").get_data(as_text=True)  # admins use the console
    assert 'href="/support/audit"' not in agent.get("/support/").get_data(as_text=True)


def test_audit_list_filters(agent, site, family_id):
    post(agent, "/support/lookup", {"query": "山田", "reason": "検索の理由"})
    open_member(agent, family_id, reason="閲覧の理由")
    admin = type(agent)(site.test_client())
    make_user(site, "admin@example.jp", "admin")
    login(admin, "admin@example.jp")

    def reasons(**args):
        html = admin.get("/support/audit", query_string=args).get_data(as_text=True)
        return [r for r in ("検索の理由", "閲覧の理由") if r in html]

    assert reasons() == ["検索の理由", "閲覧の理由"]
    assert reasons(action="member_view") == ["閲覧の理由"]
    assert reasons(member=family_id) == ["閲覧の理由"]
    assert reasons(agent="agent@example.jp") == ["検索の理由", "閲覧の理由"]
    assert reasons(agent="nobody@example.jp") == []
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()
    assert reasons(date_from=today.isoformat(), date_to=today.isoformat()) == ["検索の理由", "閲覧の理由"]
    assert reasons(date_to=(today - dt.timedelta(days=1)).isoformat()) == []
    assert admin.get("/support/audit?date_from=garbage").status_code == 200


# ------------------------------------------------------------------ CSRF on every POST

def test_every_support_post_needs_the_csrf_token(agent, site, family_id):
    posts = [r for r in site.url_map.iter_rules() if r.endpoint.startswith(("support.", "help."))
             and "POST" in r.methods]
    assert {r.endpoint for r in posts} == {"support.lookup_search", "support.member_open", "support.add_note"}
    url = open_member(agent, family_id)
    before = len(audit_rows(site))
    for rule in posts:
        path = rule.rule.replace("<int:member_id>", str(family_id))
        r = agent.client.post(path, data={"query": "山田", "reason": "x", "text": "note",
                                          "grant": url.split("grant=")[1]})
        assert r.status_code == 400, path
        assert "山田" not in r.get_data(as_text=True)
    assert len(audit_rows(site)) == before
    with site.app_context():
        assert db.session.scalar(select(func.count()).select_from(CallNote)) == 0


def test_member_found_by_phone_shows_it_in_the_record(agent, site, family_id):
    with site.app_context():
        db.session.get(User, family_id).phone = "090-1234-5678"
        db.session.commit()
    r = post(agent, "/support/lookup", {"query": "09012345678", "reason": "本人からの電話"})
    html = agent.get(r.headers["Location"]).get_data(as_text=True)
    assert "山田 花子" in html and "登録している会員はいません" not in html
    assert "090-1234-5678" in agent.get(open_member(agent, family_id)).get_data(as_text=True)
