"""Japanese first, English complete: the .po catalogs cover every message in the code, correctly."""
import os
import shutil

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from webapp import catalogs


def test_the_catalogs_cover_every_message_of_the_code():
    wanted = catalogs.template_ids(catalogs.extract())
    assert len(wanted) > 500  # the extraction really found the code's and the templates' messages
    assert "Search" in wanted and "Log in" in wanted
    assert catalogs.languages() == ["en", "ja"]
    problems = catalogs.check_all()
    assert not problems, "fix webapp/translations/*/messages.po (flask translate update):\n" + "\n".join(
        map(str, problems))


def _catalog(language, *entries, fuzzy=()):
    catalog = Catalog(locale=language, fuzzy=False)
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    return catalog


def test_check_finds_missing_untranslated_fuzzy_and_placeholder_mismatch():
    ja = _catalog("ja", ("Save", "保存"), ("Open", ""), ("Close", "閉じる"),
                  ("%(num)d left", "残り%(count)d枚"), ("Hello %(name)s", "%(name)sさん、こんにちは"),
                  fuzzy=("Close",))
    problems = {(p.msgid, p.what.split(":")[0]) for p in catalogs.check_catalog(
        ja, "ja", {"Save", "Open", "Close", "%(num)d left", "Hello %(name)s", "Gone"})}
    assert problems == {("Open", "missing translation"), ("Close", "fuzzy (needs review)"),
                        ("%(num)d left", "placeholders differ"),
                        ("Gone", "not in the catalog (run `flask translate update`)")}


def test_the_source_language_may_leave_msgstr_empty_but_not_miss_entries():
    en = _catalog("en", ("Save", ""), ("Open", ""))
    assert catalogs.check_catalog(en, "en", {"Save", "Open"}) == []
    assert [p.msgid for p in catalogs.check_catalog(en, "en", {"Save", "Open", "New"})] == ["New"]


def test_plural_forms_are_checked_for_each_form():
    ja = Catalog(locale="ja", fuzzy=False)
    ja.add(("%(num)d place", "%(num)d places"), ("%(num)d件",))
    assert catalogs.check_catalog(ja, "ja", {"%(num)d place"}) == []
    ja_bad = Catalog(locale="ja", fuzzy=False)
    ja_bad.add(("%(num)d place", "%(num)d places"), ("%(n)d件",))
    assert [p.what.split(":")[0] for p in catalogs.check_catalog(ja_bad, "ja", {"%(num)d place"})] == [
        "placeholders differ"]


def test_check_finds_a_msgid_the_code_no_longer_asks_for():
    """A subject passed in a variable is not extracted: `update` would silently drop its translation."""
    ja = _catalog("ja", ("Save", "保存"), ("Built at run time", "実行時"))
    assert [(p.msgid, p.what.split(" (")[0]) for p in catalogs.check_catalog(ja, "ja", {"Save"})] == [
        ("Built at run time", "not used by the code")]


@pytest.mark.parametrize("text, expected", [
    ("%(name)s has %(num)d", ["%(name)", "%(num)"]),
    ("100%% sure, %s", ["%s"]),
    ("{name} at {0}", ["{0}", "{name}"]),
    ("no placeholders {{literal}}", []),
])
def test_placeholders(text, expected):
    assert catalogs.placeholders(text) == expected


@pytest.fixture
def translations_copy(tmp_path):
    directory = tmp_path / "translations"
    for language in catalogs.languages():
        os.makedirs(directory / language / "LC_MESSAGES")
        shutil.copy(catalogs.po_path(language), catalogs.po_path(language, str(directory)))
    return str(directory)


def test_update_adds_new_messages_keeps_translations_and_drops_unused(translations_copy, tmp_path):
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "views.py").write_text('from flask_babel import _, lazy_gettext as _l\n'
                                      'A = _("Search")\nB = _l("A brand-new message")\n')
    catalogs.update(translations_copy, str(package))
    ja = catalogs.read_catalog(catalogs.po_path("ja", translations_copy), "ja")
    assert ja.get("Search").string == "検索"
    assert ja.get("A brand-new message").string == ""
    assert ja.get("Log in") is None  # not used by this package any more
    problems = catalogs.check_catalog(ja, "ja", {"Search", "A brand-new message"})
    assert [(p.msgid, p.what) for p in problems] == [("A brand-new message", "missing translation")]


def test_init_starts_a_new_language_and_compile_writes_mo(translations_copy):
    path = catalogs.init_language("ko", translations_copy)
    korean = catalogs.read_catalog(path, "ko")
    assert "Search" in catalogs.template_ids(korean) and korean.get("Search").string == ""
    with pytest.raises(FileExistsError):
        catalogs.init_language("ko", translations_copy)
    assert catalogs.compile_catalogs(translations_copy) == ["en", "ja", "ko"]
    with open(os.path.join(translations_copy, "ja", "LC_MESSAGES", "messages.mo"), "rb") as f:
        assert read_mo(f).get("Search").string == "検索"


def test_flask_translate_check_fails_on_a_broken_catalog(runner, translations_copy):
    assert runner.invoke(args=["translate", "check", "-d", translations_copy]).exit_code == 0
    ja_path = catalogs.po_path("ja", translations_copy)
    ja = catalogs.read_catalog(ja_path, "ja")
    ja.get("Search").string = ""
    catalogs.write_catalog(ja_path, ja)
    result = runner.invoke(args=["translate", "check", "-d", translations_copy])
    assert result.exit_code == 1
    assert "missing translation: 'Search'" in result.output


def test_the_app_speaks_japanese_by_default_and_english_on_request(client):
    assert "検索" in client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Search" in english and "検索する" not in english


def test_templates_follow_a_forced_locale_within_one_request(app):
    """The templates' messages are looked up once a request (webapp/i18n.py), yet a mail rendered in its
    recipient's language inside a Japanese page gets English, and the page Japanese again after it."""
    from flask import render_template_string
    from flask_babel import force_locale

    from webapp.web.labels import is_english
    page = "{{ _('Open now') }} {{ ngettext('%(num)d result', '%(num)d results', 2) }}"
    with app.test_request_context("/search"):
        before = render_template_string(page)
        with force_locale("en"):
            forced = render_template_string(page), is_english()
        after = render_template_string(page), is_english()
    assert before.startswith("営業中") and forced == ("Open now 2 results", True)
    assert after == (before, False)
    with app.test_request_context("/search?lang=en"):
        assert render_template_string(page) == "Open now 2 results" and is_english()


def test_template_messages_escape_their_values_and_macros_imported_without_context_translate(app):
    """The templates' ``_`` bound for one render (webapp/i18n.py) escapes what it formats in, formats always
    (as Jinja's newstyle gettext), and a macro imported without the page's context still speaks its language."""
    from flask import render_template_string

    with app.test_request_context("/search?lang=en"):
        assert render_template_string("{{ _('%(km)s km', km='<b>1</b>') }}") == "&lt;b&gt;1&lt;/b&gt; km"
        assert render_template_string("{{ ngettext('%(num)d place', '%(num)d places', 1) }}") == "1 place"
        card = render_template_string('{% from "search/_card.html" import card_kinds %}{{ card_kinds(f) }}',
                                      f=type("F", (), {"benefits": [type("B", (), {"kind_code": "otoku"})]}))
        assert 'aria-label="Benefits"' in card and ">Savings</li>" in card
    with app.test_request_context("/search"):
        assert render_template_string("{{ ngettext('%(num)d place', '%(num)d places', 3) }}") == "3件"
