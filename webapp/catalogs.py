"""Message catalogs: the ``.po`` files under ``webapp/translations`` are the source of truth.

Translators edit ``webapp/translations/<lang>/LC_MESSAGES/messages.po`` directly (by hand, Poedit, Weblate, …).
The code is written with English msgids (see README, "Translations"), so English needs no translation of its own:
its catalog carries every msgid with an empty msgstr, and gettext falls back to the msgid.

These functions import no Flask; ``flask translate …`` (``webapp/i18n.py``) and the tests call them.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

log = logging.getLogger(__name__)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "webapp")
TRANSLATIONS = os.path.join(PACKAGE, "translations")
MAPPING = os.path.join(ROOT, "babel.cfg")
DOMAIN = "messages"
#: The language the msgids are written in: its catalog may leave every msgstr empty.
SOURCE_LANGUAGE = "en"
#: gettext functions the extractor looks for, besides the standard ones (``_``, ``gettext``, ``ngettext`` …).
KEYWORDS = ("_l", "N_", "lazy_gettext")
#: Line width of the written catalogs (wide, so that long Japanese strings stay on one line and diffs stay small).
WIDTH = 120
PROJECT = "kosodate-portal"

# %(name)s, %s, %d …, but not a literal %% ; and {name} / {0} for str.format strings.
_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<conv>[diouxXeEfFgGcrsa%])")
_BRACES = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:[!:][^{}]*)?\}(?!\})")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, e.g. ``Problem("ja", "Save", "missing translation")``."""
    language: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return "%s: %s: %r" % (self.language, self.what, self.msgid)


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, (tuple, list)) else message_id


def placeholders(text: str) -> list[str]:
    """The format placeholders of a message, in a comparable form (sorted; ``%%`` is not one)."""
    found = []
    for m in _PERCENT.finditer(text):
        if m.group("conv") == "%":
            continue
        name = m.group("name")
        # Named placeholders may move; positional ones keep their conversion.
        found.append("%%(%s)" % name if name is not None else "%" + m.group("conv"))
    found += ["{%s}" % m.group("name") for m in _BRACES.finditer(text)]
    return sorted(found)


def languages(directory: str = TRANSLATIONS) -> list[str]:
    """The languages that have a catalog, e.g. ``['en', 'ja']``."""
    return sorted(d for d in os.listdir(directory)
                  if os.path.isfile(os.path.join(directory, d, "LC_MESSAGES", DOMAIN + ".po")))


def po_path(language: str, directory: str = TRANSLATIONS) -> str:
    return os.path.join(directory, language, "LC_MESSAGES", DOMAIN + ".po")


def read_catalog(path: str, language: str | None = None) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f, locale=language)


def write_catalog(path: str, catalog: Catalog) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buffer = BytesIO()
    write_po(buffer, catalog, width=WIDTH, no_location=True, omit_header=False, ignore_obsolete=True)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def extract(package: str = PACKAGE, mapping: str = MAPPING) -> Catalog:
    """Every message the code and templates ask for, as a template catalog (what ``pybabel extract`` writes)."""
    with open(mapping) as f:
        method_map, options_map = parse_mapping_cfg(f, filename=mapping)
    keywords = dict(_default_keywords())
    keywords.update({k: None for k in KEYWORDS})
    template = Catalog(project=PROJECT, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            package, method_map, options_map, keywords=keywords, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _default_keywords():
    from babel.messages.extract import DEFAULT_KEYWORDS
    return DEFAULT_KEYWORDS.items()


def template_ids(template: Catalog) -> set[str]:
    return {_key(m.id) for m in template if m.id}


def check_catalog(catalog: Catalog, language: str, wanted: set[str]) -> list[Problem]:
    """What is wrong with one language's catalog against the msgids the code wants.

    Every wanted msgid must be present and every entry wanted, no entry may be fuzzy, a language other than the source language must
    translate every entry (every plural form), and a translation must use exactly the msgid's placeholders."""
    problems: list[Problem] = []
    present = {}
    for message in catalog:
        if not message.id:
            continue
        key = _key(message.id)
        present[key] = message
        if message.fuzzy:
            problems.append(Problem(language, key, "fuzzy (needs review)"))
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        translated = [s for s in strings if s]
        if language != SOURCE_LANGUAGE and len(translated) < len(strings):
            problems.append(Problem(language, key, "missing translation"))
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        expected = placeholders(ids[-1] if message.pluralizable else ids[0])
        for s in translated:
            # A plural form may omit the count (一つ / one); it may not add or rename placeholders.
            got = placeholders(s)
            if got != expected and not (message.pluralizable and set(got) <= set(expected)):
                problems.append(Problem(language, key, "placeholders differ: %s vs %s" % (got, expected)))
    for key in sorted(wanted - present.keys()):
        problems.append(Problem(language, key, "not in the catalog (run `flask translate update`)"))
    for key in sorted(present.keys() - wanted):
        # `update` would drop it: a msgid built at run time must be marked where it is written (N_ / _l).
        problems.append(Problem(language, key, "not used by the code (mark it with N_() where it is written)"))
    return problems


def check_all(directory: str = TRANSLATIONS, package: str = PACKAGE) -> list[Problem]:
    """Check every language's catalog against what the code asks for; an empty list means all is well."""
    wanted = template_ids(extract(package))
    problems = []
    for language in languages(directory):
        problems += check_catalog(read_catalog(po_path(language, directory), language), language, wanted)
    return problems


def update(directory: str = TRANSLATIONS, package: str = PACKAGE) -> dict[str, int]:
    """Bring every catalog in step with the code: add new msgids (untranslated), drop ones no longer used.

    Existing translations are kept; nothing is fuzzy-matched (a guessed translation is worse than none).
    Returns the number of untranslated entries per language."""
    template = extract(package)
    untranslated = {}
    for language in languages(directory):
        path = po_path(language, directory)
        catalog = read_catalog(path, language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.project = PROJECT
        write_catalog(path, catalog)
        untranslated[language] = sum(1 for p in check_catalog(catalog, language, template_ids(template))
                                     if p.what == "missing translation")
        log.info("%s: %d untranslated", language, untranslated[language])
    return untranslated


def init_language(language: str, directory: str = TRANSLATIONS, package: str = PACKAGE) -> str:
    """Start a catalog for a new language with every msgid untranslated; returns its path."""
    path = po_path(language, directory)
    if os.path.exists(path):
        raise FileExistsError(path)
    template = extract(package)
    catalog = Catalog(locale=language, project=PROJECT, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    write_catalog(path, catalog)
    return path


def compile_catalogs(directory: str = TRANSLATIONS) -> list[str]:
    """Write ``messages.mo`` beside every ``messages.po``; returns the languages compiled."""
    done = []
    for language in languages(directory):
        catalog = read_catalog(po_path(language, directory), language)
        with open(os.path.join(directory, language, "LC_MESSAGES", DOMAIN + ".mo"), "wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        done.append(language)
    return done
