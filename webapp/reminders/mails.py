"""The reminder and digest mails: plain text and HTML in the family's language, with the stop link of their
kind in the body and in the List-Unsubscribe headers (RFC 2369, one-click per RFC 8058)."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from ..domain.facility_record import N_
from ..extensions import db
from ..mail import send_mail
from ..models import CouponService
from . import domain as d
from .links import one_click_url, stop_url


def _send(user, lang: str, kind: str, template: str, subject: str, **context) -> None:
    with force_locale(lang):
        context.update(user=user, lang=lang, stop_url=stop_url(user.id, kind),
                       account_url=url_for("reminders.settings", _external=True),
                       notices_url=url_for("reminders.notices", _external=True))
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
        subject = _(subject, **context.get("subject_args", {}))
    headers = {"List-Unsubscribe": f"<{one_click_url(user.id, kind)}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    send_mail(user.email, subject, text, html=html, headers=headers)


def service_names(lang: str) -> dict[str, str]:
    rows = db.session.scalars(select(CouponService)).all()
    return {s.code: (s.name_en if lang == "en" and s.name_en else s.name) for s in rows}


def reminder(user, lang: str, r: d.Reminder) -> None:
    """A coupon or passport expiry reminder."""
    if r.kind == d.KIND_COUPON:
        names = service_names(lang)
        items = [{"child": child, "remaining": remaining, "services": [names.get(c, c) for c in codes]}
                 for child, remaining, codes in r.items]
        _send(user, lang, r.kind, "reminder_coupons", N_("[Kosodate Portal] Coupons expire on %(date)s"),
              reminder=r, items=items, wallet_url=url_for("coupons.wallet", _external=True),
              subject_args={"date": r.expires_on.isoformat()})
    else:
        _send(user, lang, r.kind, "reminder_passport", N_("[Kosodate Portal] Your passport ends on %(date)s"),
              reminder=r, passport_url=url_for("passport.card", _external=True),
              subject_args={"date": r.expires_on.isoformat()})


def digest(user, lang: str, facilities) -> None:
    """The weekly list of new partner facilities in the municipalities the family follows."""
    places = [{"name": (f.name_en if lang == "en" and f.name_en else f.name),
               "municipality": (f.municipality.name_en if lang == "en" else f.municipality.name),
               "category": (f.category.name_en if lang == "en" else f.category.name),
               "url": url_for("search.facility", external_id=f.external_id, _external=True)} for f in facilities]
    _send(user, lang, d.KIND_DIGEST, "partner_digest", N_("[Kosodate Portal] New partner facilities (%(n)s)"),
          places=places, subject_args={"n": len(places)})
