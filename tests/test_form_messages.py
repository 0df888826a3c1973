"""Form messages say what to do: a length error gives the limit (「N文字以内で入力してください」), a rule is said
once (the ふりがな rule is not repeated by its hint), and the coupon count box starts at 1 with a message
worded for a number typed, not chosen."""
from __future__ import annotations

import html as htmllib
import importlib
import re

import pytest
from wtforms.validators import Length

from webapp.coupons import operations as ops
from webapp.extensions import db

from . import coupon_factory as cf
from .conftest import Browserish, csrf_from
from .test_registration_helpers import application

FORM_MODULES = ("webapp.accounts.forms", "webapp.admin.forms", "webapp.coupons.forms", "webapp.coupons.admin",
                "webapp.registration.forms", "webapp.provider.forms", "webapp.support.forms",
                "webapp.reminders.forms")


def main_text(response) -> str:
    body = response.get_data(as_text=True)
    main = re.search(r"<main.*?</main>", body, re.S).group(0)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", main))


def all_form_classes():
    from wtforms import Form
    for name in FORM_MODULES:
        importlib.import_module(name)
    seen, todo = [], [Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("webapp."):
                seen.append(sub)
    return seen


def test_every_length_limit_is_stated_in_the_message(app):
    """Each visible text field with a maximum length says that maximum when it is exceeded, in both languages."""
    problems = []
    for lang, expected in (("ja", "{n}文字以内で入力してください。"), ("en", "Please enter at most {n} characters.")):
        with app.test_request_context(f"/?lang={lang}"):
            for cls in all_form_classes():
                try:
                    form = cls(meta={"csrf": False}) if hasattr(cls, "Meta") else cls()
                except TypeError:
                    continue
                for field in form:
                    if field.type in ("HiddenField", "CSRFTokenField"):
                        continue
                    for v in field.validators:
                        if isinstance(v, Length) and v.max > 0:
                            field.data = "あ" * (v.max + 1)
                            try:
                                v(form, field)
                            except Exception as e:  # noqa: BLE001 - ValidationError, read its text
                                if str(e) != expected.format(n=v.max):
                                    problems.append(f"{cls.__name__}.{field.name} ({lang}): {e}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def family(site):
    site.config["RATELIMIT_ENABLED"] = False
    with site.app_context():
        user = cf.family()
        s = cf.claimed_set(user)
        point = ops.ensure_point(db.session, cf.provider("temporary_care"))
        db.session.commit()
        out = {"email": user.email, "set": s.id, "p": point.qr_token}
    b = Browserish(site.test_client())
    r = b.submit("/login", {"email": out["email"], "password": cf.PASSWORD})
    assert r.status_code == 302
    out["b"] = b
    return out


def test_profile_length_error_states_the_limit(family):
    b = family["b"]
    r = b.submit("/account/profile", {"name": "山" * 101, "name_kana": "やまだ", "municipality": "141305"})
    assert main_text(r).count("100文字以内で入力してください。") == 1
    assert "長すぎ" not in main_text(r)


def test_kana_rule_is_said_once_on_the_profile(family):
    r = family["b"].submit("/account/profile", {"name": "山田", "name_kana": "yamada", "municipality": "141305"})
    text = main_text(r)
    assert text.count("ひらがなかカタカナ") == 1, text
    assert "aria-invalid" in r.get_data(as_text=True)


def test_kana_rule_is_said_once_on_the_partner_application(site):
    b = Browserish(site.test_client())
    page = b.get("/partners/apply").get_data(as_text=True)
    data = application(name_kana="hinata")
    data["csrf_token"] = csrf_from(page)
    text = main_text(b.client.post("/partners/apply", data=data))
    assert text.count("ひらがなかカタカナ") == 1, text


def test_coupon_count_starts_at_one_and_speaks_of_typing(family):
    b, url = family["b"], f"/coupons/use?set={family['set']}&p={family['p']}"
    page = b.get(url).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="count"[^>]*value="1"', page), page[page.find('id="count"') - 200:][:400]
    for typed in ("", "abc", "0", "-2"):
        text = main_text(b.submit(url, {"count": typed, "service": "temporary_care", "key": "k" * 20}))
        assert text.count("使う枚数を1以上の数字で入力してください。") == 1, (typed, text)
        assert "選んで" not in text and "整数" not in text, typed


def test_batch_size_typed_wrongly_gets_one_message(site):
    from .test_support import login, make_user
    make_user(site, "admin@example.jp", "admin")
    b = Browserish(site.test_client())
    login(b, "admin@example.jp")
    with site.app_context():
        cf.programme()
        db.session.commit()
    page = b.get("/admin/coupons/batches").get_data(as_text=True)
    programme = re.search(r'<option[^>]*value="(\d+)"', page).group(1)
    r = b.submit("/admin/coupons/batches", {"programme": programme, "size": "abc", "note": ""})
    text = main_text(r)
    assert "整数" not in text and text.count("1〜10,000") + text.count("1 to 10,000") == 1, text

