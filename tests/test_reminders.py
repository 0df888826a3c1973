"""Expiry reminders, the new-partner digest, stop links and the family's mail choices — with mail over a real
SMTP server (the sink in conftest) and the day given to the commands as a parameter."""
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.reminders import domain as d
from webapp.reminders import operations as ops
from webapp.reminders.models import FAILED, SENT, FollowedMunicipality, MailChoice, MailSettings, ReminderLog

from . import coupon_factory as cf
from .conftest import csrf_from

BASE = "http://portal.test"
END = dt.date(2027, 3, 31)  # the test programme's end: the coupons' last day for most services


def run(app, command, day):
    result = app.test_cli_runner().invoke(args=[command, "--today", day, "--base-url", BASE])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def family_with_coupons(app, email="kazoku@example.jp", lang=None):
    with app.app_context():
        user = cf.family(email=email)
        cf.claimed_set(user)
        if lang:
            db.session.add(MailSettings(user_id=user.id, lang=lang))
        db.session.commit()
        return user.id


def mails_to(smtp, address):
    return [m for m in smtp.messages if address in m["to"]]


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# -- domain ---------------------------------------------------------------------------------------------------------
def test_due_threshold_catches_up_and_stops_at_expiry():
    end = dt.date(2027, 3, 31)
    assert d.due_threshold(end, dt.date(2027, 2, 28), (30, 7)) is None   # 31 days before
    assert d.due_threshold(end, dt.date(2027, 3, 1), (30, 7)) == 30      # 30 days before
    assert d.due_threshold(end, dt.date(2027, 3, 20), (30, 7)) == 30     # missed days: still due
    assert d.due_threshold(end, dt.date(2027, 3, 24), (30, 7)) == 7
    assert d.due_threshold(end, dt.date(2027, 3, 31), (30, 7)) == 7      # the last valid day
    assert d.due_threshold(end, dt.date(2027, 4, 1), (30, 7)) is None    # expired: nothing more
    assert d.due_threshold(None, dt.date(2027, 3, 1), (30, 7)) is None


def test_coupon_reminders_group_services_by_expiry_and_skip_empty_sets():
    today = dt.date(2027, 3, 1)
    v = [d.CouponValidity(1, "はな", "temporary_care", 4, END), d.CouponValidity(1, "はな", "holiday_care", 4, END),
         d.CouponValidity(2, "そら", "temporary_care", 0, END),
         d.CouponValidity(1, "はな", "mama_help", 4, None)]
    [r] = d.coupon_reminders(v, today)
    assert (r.kind, r.subject, r.threshold, r.days_left) == (d.KIND_COUPON, "coupons:2027-03-31", 30, 30)
    assert r.items == (("はな", 4, ("holiday_care", "temporary_care")),)


def test_followed_municipalities_rules():
    known = {"142051", "142069", "142077", "142085"}
    assert d.check_followed(["142051", "142069", ""], known) == []
    assert d.check_followed(["142051", "142069", "142077", "142085"], known)[0][0] == "municipalities"
    assert d.check_followed(["142051", "142051"], known)
    assert d.check_followed(["999999"], known)


# -- the daily command -------------------------------------------------------------------------------------------------
def test_coupon_reminder_arrives_once_on_the_right_days(site, smtp):
    uid = family_with_coupons(site)
    to = "kazoku@example.jp"
    run(site, "send-reminders", "2027-02-28")
    assert mails_to(smtp, to) == []                       # 31 days before: too early
    run(site, "send-reminders", "2027-03-01")
    [mail] = mails_to(smtp, to)
    assert "2027-03-31" in mail["subject"] and "有効期限" in mail["subject"]
    assert "残り30日" in mail["body"] and "10枚" in mail["body"] and "一時預かり" in mail["body"]
    raw = mail["raw"]
    assert raw.get_body(("html",)).get_content().count("<li>") == 1
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/one-click/coupon_expiry/" in raw["List-Unsubscribe"]
    run(site, "send-reminders", "2027-03-01")             # the same day again
    run(site, "send-reminders", "2027-03-02")             # and the day after
    assert len(mails_to(smtp, to)) == 1
    run(site, "send-reminders", "2027-03-24")             # 7 days before
    assert len(mails_to(smtp, to)) == 2 and "残り7日" in mails_to(smtp, to)[-1]["body"]
    run(site, "send-reminders", "2027-03-25")
    run(site, "send-reminders", "2027-04-01")             # expired: nothing
    assert len(mails_to(smtp, to)) == 2
    with site.app_context():
        rows = db.session.scalars(select(ReminderLog).where(ReminderLog.user_id == uid)).all()
        assert sorted((r.threshold, r.status, r.attempts) for r in rows) == [(7, SENT, 1), (30, SENT, 1)]


def test_a_missed_run_catches_up_with_one_mail(site, smtp):
    family_with_coupons(site)
    run(site, "send-reminders", "2027-03-26")  # the runs of 1 and 24 March never happened
    [mail] = smtp.messages
    assert "残り5日" in mail["body"]
    run(site, "send-reminders", "2027-03-27")
    assert len(smtp.messages) == 1


def test_english_family_gets_english_mail(site, smtp):
    family_with_coupons(site, "english@example.jp", lang="en")
    run(site, "send-reminders", "2027-03-01")
    mail = smtp.last_to("english@example.jp")
    assert mail["subject"] == "[Kosodate Portal] Coupons expire on 2027-03-31"
    assert "30 days left" in mail["body"] and "Temporary" in mail["body"]
    assert 'lang="en"' in mail["raw"].get_body(("html",)).get_content()


def test_passport_reminder_30_days_before_the_youngest_leaves_elementary_school(site, smtp):
    with site.app_context():
        cf.family(birth=dt.date(2014, 5, 10), email="older@example.jp")  # finishes elementary school 2027-03
        db.session.commit()
    run(site, "send-reminders", "2027-02-28")
    assert smtp.messages == []
    run(site, "send-reminders", "2027-03-01")
    run(site, "send-reminders", "2027-03-02")
    [mail] = smtp.messages
    assert "パスポート" in mail["subject"] and "2027-03-31" in mail["subject"]
    assert "/reminders/stop/passport_expiry/" in mail["body"]


def test_stop_link_stops_that_kind_only_and_tampered_links_are_refused(site, smtp):
    uid = family_with_coupons(site)
    run(site, "send-reminders", "2027-03-01")
    link = smtp.link("kazoku@example.jp", "/reminders/stop/coupon_expiry/")
    client = site.test_client()
    token = link.rsplit("/", 1)[1]
    # altered, or used for another kind of mail: refused with a clear page, nothing recorded
    for bad in (link[:-2] + ("AA" if not link.endswith("AA") else "BB"),
                f"/reminders/stop/passport_expiry/{token}", f"/reminders/stop/unknown/{token}"):
        r = client.get(bad)
        assert r.status_code == 400 and "このリンクは使えません" in r.get_data(as_text=True), bad
        assert client.post(bad, data={"csrf_token": "x"}).status_code == 400
    page = client.get(link)
    assert page.status_code == 200 and "配信を停止する" in page.get_data(as_text=True)
    assert client.post(link, data={}).status_code == 400           # no CSRF token: not stopped
    r = client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert r.status_code == 200 and "停止しました" in r.get_data(as_text=True)
    with site.app_context():
        assert ops.choices_of(db.session, uid) == {d.KIND_COUPON: False, d.KIND_PASSPORT: True,
                                                   d.KIND_DIGEST: True}
        [choice] = db.session.scalars(select(MailChoice)).all()
        assert (choice.via, choice.enabled) == ("stop_link", False) and choice.chosen_at
    run(site, "send-reminders", "2027-03-24")
    assert len(smtp.messages) == 1                                  # the 7-day reminder is not sent


def test_one_click_unsubscribe_rfc8058(site, smtp):
    uid = family_with_coupons(site)
    run(site, "send-reminders", "2027-03-01")
    url = path_of(smtp.messages[0]["raw"]["List-Unsubscribe"].strip("<>"))
    client = site.test_client()
    assert client.post(url, data={}).status_code == 400             # not the RFC 8058 body
    assert client.get(url).status_code == 405
    assert client.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with site.app_context():
        assert ops.choices_of(db.session, uid)[d.KIND_COUPON] is False


def login(b, email):
    r = b.submit("/login", {"email": email, "password": cf.PASSWORD})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]


def settings_data(**kw):
    data = {"coupon_expiry": "y", "passport_expiry": "y", "partner_digest": "y", "lang": "ja",
            "follow_1": "", "follow_2": "", "follow_3": ""}
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def test_account_choice_is_recorded_and_respected(site, smtp, browserish):
    uid = family_with_coupons(site)
    login(browserish, "kazoku@example.jp")
    assert "メールとお知らせ" in browserish.get("/account").get_data(as_text=True)
    page = browserish.get("/account/mails").get_data(as_text=True)
    assert 'id="coupon_expiry"' in page and "checked" in page
    r = browserish.submit("/account/mails", settings_data(coupon_expiry=None, lang="en"))
    assert r.status_code == 302
    with site.app_context():
        assert ops.choices_of(db.session, uid)[d.KIND_COUPON] is False
        assert ops.mail_lang(db.session, uid) == "en"
        assert len(db.session.scalars(select(MailChoice)).all()) == 1   # only what changed is recorded
    page = browserish.get("/account/mails").get_data(as_text=True)
    assert re.search(r'<input id="coupon_expiry"(?![^>]*checked)[^>]*>', page)
    assert re.search(r'<option selected value="en">|<option value="en" selected>', page)
    run(site, "send-reminders", "2027-03-01")
    assert smtp.messages == []
    # turning it on again is a second record; the reminder still due is then sent (catch-up)
    browserish.submit("/account/mails", settings_data())
    with site.app_context():
        assert [c.enabled for c in ops.choice_history(db.session, uid)] == [True, False]
    run(site, "send-reminders", "2027-03-02")
    assert len(smtp.messages) == 1


def test_followed_municipalities_are_validated_and_nothing_half_stored(site, browserish):
    uid = family_with_coupons(site)
    login(browserish, "kazoku@example.jp")
    r = browserish.submit("/account/mails", settings_data(follow_1="142051", follow_2="142051"))
    assert r.status_code == 200 and "同じ市区町村" in r.get_data(as_text=True)
    r = browserish.submit("/account/mails", settings_data(follow_1="999999", coupon_expiry=None))
    assert r.status_code == 200
    with site.app_context():
        assert ops.followed(db.session, uid) == [] and db.session.scalars(select(MailChoice)).all() == []
    r = browserish.submit("/account/mails", settings_data(follow_1="142051", follow_3="142069"))
    assert r.status_code == 302
    with site.app_context():
        assert sorted(ops.followed(db.session, uid)) == ["142051", "142069"]


# -- the weekly digest -----------------------------------------------------------------------------------------------
def approved_partner(name, municipality, approved_at, n=[0]):
    from webapp.models import Category, Facility
    from webapp.registration.models import PartnerRegistration
    n[0] += 1
    f = Facility(external_id=f"KP-T{n[0]:04d}", name=name, name_kana="テスト", municipality_code=municipality,
                 category_code=db.session.scalars(select(Category.code)).first(), address="テスト町1-1")
    db.session.add(f)
    db.session.flush()
    db.session.add(PartnerRegistration(facility_id=f.id, email="shop@example.jp", created_at=approved_at))
    db.session.flush()
    return f


def test_partner_digest_lists_new_partners_once_and_nothing_when_nothing_new(site, smtp):
    with site.app_context():
        user = cf.family(email="follow@example.jp")
        db.session.add(FollowedMunicipality(user_id=user.id, municipality_code="142051"))
        approved_partner("ひよこ食堂", "142051", dt.datetime(2027, 3, 3, 1, 0))
        approved_partner("よその店", "142069", dt.datetime(2027, 3, 3, 1, 0))      # not followed
        approved_partner("古い店", "142051", dt.datetime(2027, 2, 1, 1, 0))        # long before
        db.session.commit()
    run(site, "send-partner-digest", "2027-03-08")
    run(site, "send-partner-digest", "2027-03-08")
    [mail] = smtp.messages
    assert "ひよこ食堂" in mail["body"] and "よその店" not in mail["body"] and "古い店" not in mail["body"]
    assert "/reminders/stop/partner_digest/" in mail["body"]
    run(site, "send-partner-digest", "2027-03-15")         # nothing new since the last digest
    assert len(smtp.messages) == 1
    with site.app_context():
        assert db.session.scalars(select(ReminderLog.subject)).all() == ["week:2027-W10"]
        approved_partner("新しい店", "142051", dt.datetime(2027, 3, 16, 2, 0))
        db.session.commit()
    run(site, "send-partner-digest", "2027-03-22")
    assert len(smtp.messages) == 2
    assert "新しい店" in smtp.messages[-1]["body"] and "ひよこ食堂" not in smtp.messages[-1]["body"]


def test_no_digest_without_news(site, smtp):
    with site.app_context():
        user = cf.family(email="quiet@example.jp")
        db.session.add(FollowedMunicipality(user_id=user.id, municipality_code="142051"))
        db.session.commit()
    result = run(site, "send-partner-digest", "2027-03-08")
    assert smtp.messages == [] and "0 sent" in result.output
    with site.app_context():
        assert db.session.scalars(select(ReminderLog)).all() == []


# -- SMTP failures and concurrency ------------------------------------------------------------------------------------------
class FlakySink:
    """A real SMTP server that answers 451 (try again later) to the first ``failures`` messages."""

    def __init__(self, failures):
        self.failures = failures
        self.tries = 0
        self.delivered = []

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        if self.tries <= self.failures:
            return "451 4.3.0 Temporary failure, try again later"
        self.delivered.append(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def flaky(ref_app):
    import socket
    from aiosmtpd.controller import Controller
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    sinks = []

    def start(failures):
        sink = FlakySink(failures)
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        sinks.append(controller)
        ref_app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                              REMINDER_RETRY_DELAY=0)
        return sink
    yield start
    for c in sinks:
        c.stop()


def test_temporary_smtp_failure_is_retried_with_backoff(ref_app, flaky):
    sink = flaky(2)
    family_with_coupons(ref_app)
    run(ref_app, "send-reminders", "2027-03-01")
    assert sink.tries == 3 and len(sink.delivered) == 1
    with ref_app.app_context():
        row = db.session.scalar(select(ReminderLog))
        assert (row.status, row.attempts) == (SENT, 3)


def test_failure_after_the_retries_is_left_for_the_next_run(ref_app, flaky):
    sink = flaky(5)
    family_with_coupons(ref_app)
    result = run(ref_app, "send-reminders", "2027-03-01")
    assert result.exit_code == 1 and "1 failed" in result.output
    assert sink.tries == ops.RETRIES and sink.delivered == []
    with ref_app.app_context():
        row = db.session.scalar(select(ReminderLog))
        assert (row.status, row.attempts) == (FAILED, 3) and "451" in row.last_error
    run(ref_app, "send-reminders", "2027-03-02")          # the next day's run tries again
    assert len(sink.delivered) == 1
    run(ref_app, "send-reminders", "2027-03-03")
    assert len(sink.delivered) == 1
    with ref_app.app_context():
        row = db.session.scalar(select(ReminderLog))
        assert (row.status, row.attempts) == (SENT, 6)


def test_backoff_doubles_and_permanent_failures_are_not_retried():
    import smtplib
    waits, calls = [], []

    def temporary():
        calls.append(1)
        raise smtplib.SMTPDataError(451, b"later")
    assert ops.send_with_retry(temporary, retries=3, delay=1.5, sleep=waits.append)[0] == FAILED
    assert waits == [1.5, 3.0] and len(calls) == 3

    def permanent():
        raise smtplib.SMTPRecipientsRefused({"x@example.jp": (550, b"no such user")})
    status, _err, tries = ops.send_with_retry(permanent, sleep=waits.append)
    assert (status, tries) == ("rejected", 1)


def test_two_concurrent_runs_send_each_reminder_once(ref_app):
    for i in range(3):
        family_with_coupons(ref_app, f"c{i}@example.jp")
    delivered, lock = [], threading.Lock()
    barrier = threading.Barrier(2)

    def deliver(user, lang, reminder):
        with lock:
            delivered.append((user.email, reminder.key))

    def worker():
        with ref_app.app_context():
            barrier.wait()
            ops.send_reminders(db.session, dt.date(2027, 3, 1), deliver, delay=0)
            db.session.remove()
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(delivered) == sorted(set(delivered)) and len(delivered) == 3


# -- in-app notices ------------------------------------------------------------------------------------------------------
def test_notices_badge_and_mark_as_read(site, browserish):
    from webapp.accounts.forms import today_jst
    today = today_jst()
    with site.app_context():
        user = cf.family(email="notice@example.jp")
        cf.claimed_set(user, ends_on=today + dt.timedelta(days=20))
        db.session.commit()
    login(browserish, "notice@example.jp")
    html = browserish.get("/account").get_data(as_text=True)
    assert re.search(r'class="account-link notices-link"[^>]*>お知らせ <span class="badge warn"[^>]*>1</span>', html)
    page = browserish.get("/notices").get_data(as_text=True)
    assert "残り20日" in page and "クーポンの有効期限" in page
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    r = browserish.submit("/notices/read", {"key": key}, page_url="/notices")
    assert r.status_code == 302
    html = browserish.get("/account").get_data(as_text=True)
    assert 'notices-link' in html and 'badge warn' not in html.split("</header>")[0]
    browserish.client.post("/logout", data={"csrf_token": csrf_from(html)})
    assert "notices-link" not in browserish.get("/").get_data(as_text=True)
    assert browserish.get("/notices").status_code == 302           # log in first


def test_deleting_the_account_removes_its_reminder_data(site, smtp):
    from webapp.accounts import operations as account_ops
    from webapp.accounts.models import User
    from webapp.reminders.models import NoticeSeen
    uid = family_with_coupons(site, lang="en")
    with site.app_context():
        ops.record_choice(db.session, uid, d.KIND_DIGEST, False, "account")
        db.session.add(FollowedMunicipality(user_id=uid, municipality_code="142051"))
        db.session.add(NoticeSeen(user_id=uid, notice_key="x"))
        db.session.commit()
    run(site, "send-reminders", "2027-03-01")
    with site.app_context():
        account_ops.delete_account(db.session, db.session.get(User, uid))
        db.session.commit()
        for model in (ReminderLog, MailChoice, MailSettings, FollowedMunicipality, NoticeSeen):
            assert db.session.scalars(select(model)).all() == [], model


def test_commands_need_the_site_address_for_the_links(site, smtp):
    family_with_coupons(site)
    result = site.test_cli_runner().invoke(args=["send-reminders", "--today", "2027-03-01"],
                                           env={"PUBLIC_BASE_URL": ""})
    assert result.exit_code == 2 and "--base-url" in result.output
    with site.app_context():
        assert db.session.scalars(select(ReminderLog)).all() == [] and smtp.messages == []
