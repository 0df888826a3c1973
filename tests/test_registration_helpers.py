"""Helpers for the partner-registration and admin tests: a valid application, the form → confirm → send
flow through the real pages, staff accounts and login."""
from __future__ import annotations

import html
import itertools
import re

from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password
from webapp.extensions import db

PASSWORD = "事務局のテスト用パスワード 2026"
_n = itertools.count(1)


def application(**changes) -> dict:
    """A complete, valid application as the browser posts it (one benefit row, no branches)."""
    data = {
        "name": "カフェ ひなた 藤沢店", "name_kana": "かふぇ ひなた ふじさわてん", "category": "restaurant",
        "municipality": "142051", "address": "鵠沼石上1-2-3", "building": "ひなたビル1階", "phone": "0466-55-1234",
        "url": "https://example.jp/hinata", "open_days": ["1", "2", "3", "4", "5"], "opens": "10:00",
        "closes": "18:00", "hours_note": "", "description": "駅から3分のカフェです。",
        "benefits-0-kind": "otoku", "benefits-0-text": "お会計から10%引き", "benefits-0-days": "weekdays",
        "benefits-0-passport": "required", "benefits-0-age_from": "", "benefits-0-age_to": "6",
        "benefits-0-note": "1グループ1回まで",
        "amenities": ["nursing_room", "kids_chair"], "contact_name": "日向 太郎", "email": "owner@example.jp",
        "agree": "y", "action": "confirm",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def payload_of(page: str) -> str:
    m = re.search(r'name="payload" value="([^"]+)"', page)
    assert m, "no payload on the confirmation page:\n" + page[page.find("<main"):][:3000]
    return html.unescape(m.group(1))


def confirm(b, data, url="/partners/apply"):
    """Post the form; returns the response (the confirmation page when valid)."""
    return b.submit(url, data)


def confirm_ok(b, data, url="/partners/apply") -> str:
    r = confirm(b, data, url)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'name="payload"' in page, errors_in(page)
    return payload_of(page)


def send(b, payload, page_url="/partners/apply"):
    return b.submit("/partners/apply/send", {"payload": payload}, page_url=page_url)


def apply(b, data=None, url="/partners/apply"):
    """The whole flow; returns the status page path it redirects to."""
    r = send(b, confirm_ok(b, data or application(), url), page_url=url)
    assert r.status_code == 302 and "/partners/status/" in r.headers["Location"], r.get_data(as_text=True)[:2000]
    return r.headers["Location"]


def errors_in(page: str) -> list[str]:
    return [html.unescape(e) for e in re.findall(r'<p class="error"[^>]*>(.*?)</p>', page, re.S)] + \
        [html.unescape(e) for e in re.findall(r'<div class="error-summary" role="alert">(.*?)</div>', page, re.S)]


def make_user(role: str, email: str | None = None) -> User:
    user = User(email=email or f"{role}{next(_n)}@example.jp", password_hash=hash_password(PASSWORD), role=role,
                name=f"{role} user")
    db.session.add(user)
    db.session.commit()
    return user


def login(b, email: str) -> None:
    r = b.submit("/login", {"email": email, "password": PASSWORD})
    assert r.status_code == 302, r.get_data(as_text=True)[:1000]


def staff(site, b, role="admin") -> int:
    """Create a user with ``role`` and log ``b`` in; returns the user id."""
    with site.app_context():
        user = make_user(role)
        uid, email = user.id, user.email
    login(b, email)
    return uid
