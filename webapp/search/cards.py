"""Result cards: the parts of a facility's card that depend on the facility and the page's language alone (its
link, English name, category and area, benefit kinds, first benefit), rendered once per process copy of the
facility (webapp/search/rowcache.py) and language instead of once per card shown. A results page shows
twenty cards, and these parts were most of its rendering."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from markupsafe import Markup

from ..i18n import current_language
from .rowcache import per_row

CARD_TEMPLATE = "search/_card.html"


@dataclass(frozen=True)
class CardParts:
    url: str
    name_en: Markup
    meta: Markup
    kinds: Markup
    snippet: Markup


def card_parts(f) -> CardParts:
    """The facility-only parts of ``f``'s card in the current language (see search/_card.html)."""
    return per_row(f, ("card", current_language(), request.script_root), lambda: _render(f))


def _render(f) -> CardParts:
    macros = current_app.jinja_env.get_template(CARD_TEMPLATE).module
    return CardParts(url=url_for("search.facility", external_id=f.external_id),
                     name_en=Markup(macros.card_name_en(f)), meta=Markup(macros.card_meta(f)),
                     kinds=Markup(macros.card_kinds(f)), snippet=Markup(macros.card_snippet(f)))
