"""Language choice: Japanese by default, English on request (remembered in a cookie)."""
from __future__ import annotations

import os
from urllib.parse import urlparse

import click
from flask import Blueprint, current_app, g, redirect, request
from jinja2 import pass_eval_context
from markupsafe import Markup

from . import catalogs

LANG_COOKIE = "lang"
bp = Blueprint("i18n", __name__)


def current_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    explicit = request.args.get("lang")
    if explicit in langs:
        return explicit
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in langs:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _babel_state():
    """Flask-Babel's per-request state (where it keeps the locale it chose), or None outside an app context."""
    return g.get("_flask_babel") if g else None


def current_translations():
    """Flask-Babel's translations for the current locale, looked up once per locale and request.

    Flask-Babel finds the domain, the locale and the catalogue again for every message, and a results page
    asks for hundreds. The lookup is kept beside the locale Flask-Babel chose, so ``force_locale`` (a mail in
    its recipient's language) is followed: another locale object, another lookup."""
    from flask_babel import get_translations
    state = _babel_state()
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()  # chooses the locale (and keeps it) on first use
    memo = getattr(state, "kosodate_translations", None)
    if memo is None or memo[0] is not locale:
        memo = (locale, get_translations())
        state.kosodate_translations = memo
    return memo[1]


def current_language() -> str:
    """The current locale's language ("ja", "en"), read from where Flask-Babel keeps it; "" outside a request."""
    from flask_babel import get_locale
    locale = getattr(_babel_state(), "babel_locale", None) or get_locale()
    return locale.language if locale is not None else ""


def template_gettext(translations) -> dict:
    """The templates' ``_``/``gettext`` and ``ngettext`` for one render, bound to ``translations``: they behave
    as Jinja's newstyle ones (escaped when autoescaping, always %-formatted) without finding the locale and
    its catalogue again for each of a page's hundred messages."""
    ugettext, ungettext = translations.ugettext, translations.ungettext

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        rv = ugettext(string)
        return (Markup(rv) if eval_ctx.autoescape else rv) % variables

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        rv = ungettext(singular, plural, num)
        return (Markup(rv) if eval_ctx.autoescape else rv) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _safe_next(target: str | None) -> str:
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.route("/language/<code>")
def set_language(code: str):
    """Switch the interface language and go back to the page the user was on."""
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(_safe_next(request.args.get("next")))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@click.group("translate")
def translate_cli():
    """Message catalogs (webapp/translations/<lang>/LC_MESSAGES/messages.po, the source of truth)."""


@translate_cli.command("extract")
@click.option("-o", "--output", default=os.path.join(catalogs.TRANSLATIONS, "messages.pot"), show_default=True)
def translate_extract(output: str) -> None:
    """Write the template of every message the code asks for."""
    template = catalogs.extract()
    catalogs.write_catalog(output, template)
    click.echo("%d messages -> %s" % (len(catalogs.template_ids(template)), output))


@translate_cli.command("update")
@click.option("-d", "--directory", default=catalogs.TRANSLATIONS, show_default=True, help="translations directory")
def translate_update(directory: str) -> None:
    """Add new messages to every catalog and drop unused ones; lists what still needs translating."""
    for language, count in catalogs.update(directory).items():
        click.echo("%s: %d untranslated" % (language, count))
    problems = [p for p in catalogs.check_all(directory) if p.what == "missing translation"]
    for problem in problems:
        click.echo(str(problem))


@translate_cli.command("compile")
@click.option("-d", "--directory", default=catalogs.TRANSLATIONS, show_default=True, help="translations directory")
def translate_compile(directory: str) -> None:
    """Compile the catalogs into the .mo files the app reads."""
    click.echo("compiled: %s" % ", ".join(catalogs.compile_catalogs(directory)))


@translate_cli.command("check")
@click.option("-d", "--directory", default=catalogs.TRANSLATIONS, show_default=True, help="translations directory")
def translate_check(directory: str) -> None:
    """Fail on a missing, untranslated or fuzzy message, or on placeholders that differ."""
    problems = catalogs.check_all(directory)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException("%d problem(s) in the catalogs" % len(problems))
    click.echo("catalogs complete: %s" % ", ".join(catalogs.languages(directory)))


@translate_cli.command("init")
@click.argument("language")
def translate_init(language: str) -> None:
    """Start the catalog of a new language (then translate it, and add it to LANGUAGES)."""
    try:
        click.echo("created %s" % catalogs.init_language(language))
    except FileExistsError as e:
        raise click.ClickException("%s already exists: use `flask translate update`" % e) from None


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(translate_cli)
    # The templates' _() and ngettext() as Flask-Babel installs them, with one lookup a request; a template
    # rendered by render_template has them bound to its locale (inject_locale), which is faster still.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True)

    @app.context_processor
    def inject_locale():
        from flask_babel import get_locale
        return {"current_lang": str(get_locale() or "ja"), **template_gettext(current_translations())}
