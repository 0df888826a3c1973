"""Provider pages (blueprint ``provider``, URLs under /provider): redemptions live, corrections, the poster,
passcode rotation and the monthly settlement. Every route is for provider accounts only (``role_required``)
and shows only the provider the account is linked to (``ProviderStaff``)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from babel.dates import format_skeleton
from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import contacts
from ..accounts.models import ROLE_PROVIDER
from ..coupons import dashboard as coupon_dashboard
from ..coupons import domain as d
from ..coupons import operations as coupon_ops
from ..coupons.models import KIND_REVERSAL, LedgerEntry
from ..extensions import db
from ..models import CouponService, Facility
from ..roles import role_required
from ..web.labels import localized
from ..timeutil import to_jst, utcnow
from ..web.timefmt import format_local, format_local_time
from ..web.chart_card import make_chart
from . import operations as ops
from . import poster
from .forms import CorrectionForm, RotateForm

log = logging.getLogger(__name__)
bp = Blueprint("provider", __name__)
provider_only = role_required(ROLE_PROVIDER)
POLL_SECONDS = 10
NEAR_MISS_PERIOD = dt.timedelta(hours=24)


# -- helpers -------------------------------------------------------------------------------------------------
def yen(amount: int) -> str:
    """An amount of money in the page's language (1,500円 / 1,500 yen)."""
    return _("%(amount)s yen", amount=format_decimal(amount))


@bp.context_processor
def _helpers():
    return {"provider_yen": yen}


@bp.after_request
def _no_store(response):
    """Provider pages carry the passcode and live figures: never cached."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


def my_facility() -> Facility:
    """The provider this account works for; a clear 403 page (or JSON) when the account is not linked."""
    facility = ops.staff_facility(db.session, current_user)
    if facility is None:
        log.warning("provider account %s is not linked to a provider", current_user.id)
        if request.path.endswith(".json"):
            abort(make_response(jsonify(error={"code": "not_linked", "message": "Account not linked"}), 403))
        abort(make_response(render_template("provider/not_linked.html"), 403))
    return facility


def error_text(err: d.CouponError) -> str:
    """A coupon rule's message in the page's language."""
    return _(err.message) % err.params if err.params else _(err.message)


def service_names() -> dict[str, str]:
    return {s.code: localized(s) for s in db.session.scalars(select(CouponService))}


def department_routes(service_code: str) -> list:
    """The city department(s) in charge of a service, to call when a correction is refused."""
    try:
        routes = contacts.route(service=service_code)
    except contacts.UnknownContact:
        routes = contacts.route()
    return [r for r in routes if r.kind == "department"] or routes


# -- home and live list --------------------------------------------------------------------------------------
@bp.route("/provider")
@provider_only
def home():
    """Today's and recent redemptions, each with its correction next to it; refreshed every 10 seconds."""
    facility = my_facility()
    point = ops.point_for(db.session, facility)
    return render_template("provider/home.html", facility=facility, point=point,
                           live=_payload(facility, point), poll=POLL_SECONDS)


def _row(r: ops.Redemption, names: dict, now) -> dict:
    """One redemption for the live list, with display texts in the page's language."""
    out = {"id": r.id, "at": to_jst(r.at).isoformat(timespec="seconds"),
           "time": format_local(r.at, "short"),
           "service": r.service_code, "service_name": names.get(r.service_code, r.service_code),
           "count": r.count, "amount": r.amount, "amount_text": yen(r.amount),
           "net_count": r.net_count, "net_amount": r.net_amount,
           "set_ref": ops.set_reference(r.set_id, current_app.config["SECRET_KEY"]),
           "reversal": None, "correctable": r.correctable(now),
           "correct_url": url_for("provider.correct", entry_id=r.id) if not r.reversed else None}
    if r.reversed:
        out["reversal"] = {"id": r.reversal_id, "count": r.reversed_count, "reason": r.reversal_reason,
                           "at": to_jst(r.reversal_at).isoformat(timespec="seconds"),
                           "text": _("Corrected: %(num)d coupons given back (%(time)s). Reason: %(reason)s",
                                     num=r.reversed_count, time=format_local(r.reversal_at, "short"),
                                     reason=r.reversal_reason or "")}
        out["action"] = ""
    else:
        out["action"] = _("Correct this use") if r.correctable(now) else _("Contact the city")
    return out


def _payload(facility: Facility, point) -> dict:
    now = utcnow()
    data = ops.recent(db.session, facility, now)
    names = service_names()
    payload = {"provider": localized(facility), "needs_rotation": bool(point.needs_rotation),
               "today": {"count": data.today_count, "amount": data.today_amount,
                         "total_text": _("%(num)d coupons, %(amount)s", num=data.today_count,
                                         amount=yen(data.today_amount)),
                         "items": [_row(r, names, now) for r in data.today]},
               "recent": {"items": [_row(r, names, now) for r in data.earlier]}}
    # A fingerprint of what is shown: the page redraws only when something changed.
    payload["version"] = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    payload["generated_at"] = to_jst(now).isoformat(timespec="seconds")
    payload["updated_text"] = _("Updated at %(time)s", time=format_local_time(now, "medium"))
    return payload


@bp.route("/provider/redemptions.json")
@provider_only
def live():
    """The live list as JSON (polled by static/js/provider.js)."""
    facility = my_facility()
    return jsonify(_payload(facility, ops.point_for(db.session, facility)))


# -- corrections ---------------------------------------------------------------------------------------------
def _state_error(r: ops.Redemption, now) -> d.CouponError | None:
    """Why this redemption cannot be corrected any more (already corrected, 24 hours passed), or None.

    Asks the domain rule itself with a valid count and reason, so only the state checks can fail."""
    original = d.Redeem(r.set_id, r.count, 0, r.service_code, r.at, "-", entry_id=r.id)
    reversals = ([d.Reversal(r.id, r.reversed_count, r.reversal_reason or "", r.reversal_at)]
                 if r.reversed else [])
    return d.check_reversal(original, reversals, now, count=r.count, reason="state check")


@bp.route("/provider/redemptions/<int:entry_id>/correct", methods=["GET", "POST"])
@provider_only
def correct(entry_id: int):
    """Correct a wrong count within 24 hours (full or partial, reason required): a reversal entry."""
    facility = my_facility()
    r = ops.redemption(db.session, facility, entry_id)
    if r is None:
        abort(404)
    now = utcnow()
    form = CorrectionForm()
    form.set_max(r.count)
    if request.method == "GET":
        form.count.data = r.count
    refused = _state_error(r, now)
    if form.validate_on_submit():
        if refused is not None:
            if _is_replay(r, form):  # a double tap: the same answer as the first time
                flash(_("The correction was saved: %(num)d coupons went back to the family's coupons.",
                        num=r.reversed_count))
                return redirect(url_for("provider.home"))
        else:
            try:
                coupon_ops.reverse(db.session, original_id=r.id, facility=facility, count=form.count.data,
                                   reason=form.reason.data or "", actor=current_user, now=now)
                db.session.commit()
            except d.CouponError as err:
                db.session.rollback()
                if err.field == "original":
                    refused = err
                else:
                    form.add_error(err)
            except IntegrityError:  # a concurrent correction of the same redemption won
                db.session.rollback()
                refused = _state_error(ops.redemption(db.session, facility, entry_id), now)
            else:
                log.info("correction of redemption %s at %s: %s coupons back by user %s", r.id,
                         facility.external_id, form.count.data, current_user.id)
                flash(_("The correction was saved: %(num)d coupons went back to the family's coupons.",
                        num=form.count.data))
                return redirect(url_for("provider.home"))
    status = 409 if refused is not None and request.method == "POST" else 200
    refusal = error_text(refused) if refused is not None else None
    closed = refused is not None and refused.code == "reversal_window_closed"
    routes = department_routes(r.service_code) if closed else []
    return render_template("provider/correct.html", facility=facility, r=r, form=form, refusal=refusal,
                           routes=routes, names=service_names(),
                           set_ref=ops.set_reference(r.set_id, current_app.config["SECRET_KEY"])), status


def _is_replay(r: ops.Redemption, form: CorrectionForm) -> bool:
    """A double tap: the same account sending the same correction again gets the same answer, not an error."""
    if not r.reversed or form.count.data != r.reversed_count:
        return False
    entry = db.session.get(LedgerEntry, r.reversal_id)
    return (entry is not None and entry.kind == KIND_REVERSAL and entry.actor_user_id == current_user.id
            and (form.reason.data or "").strip() == (entry.reason or ""))


# -- poster and passcode -------------------------------------------------------------------------------------
@bp.route("/provider/poster")
@provider_only
def poster_page():
    """The poster to print (print CSS), with the passcode rotation below it (not printed)."""
    facility = my_facility()
    point = ops.point_for(db.session, facility)
    return render_template("provider/poster.html", form=RotateForm(), near_misses=_near_misses(facility),
                           **poster.context(facility, point))


def _near_misses(facility: Facility) -> int:
    return ops.near_misses(db.session, facility, utcnow() - NEAR_MISS_PERIOD)


@bp.route("/provider/poster.svg")
@provider_only
def poster_svg():
    """The poster as a standalone A4 SVG (to print or hand to a print shop)."""
    facility = my_facility()
    point = ops.point_for(db.session, facility)
    response = make_response(poster.poster_svg(facility, point))
    response.mimetype = "image/svg+xml"
    response.headers["Content-Disposition"] = f'inline; filename="coupon-poster-{facility.external_id}.svg"'
    return response


@bp.route("/provider/passcode/rotate", methods=["POST"])
@provider_only
def rotate():
    """A new passcode and QR code; the old ones stop working at once."""
    facility = my_facility()
    point = ops.point_for(db.session, facility)
    form = RotateForm()
    if not form.validate_on_submit():
        return render_template("provider/poster.html", form=form, near_misses=_near_misses(facility),
                               **poster.context(facility, point))
    coupon_ops.rotate_passcode(db.session, point)
    db.session.commit()
    log.info("passcode rotated for %s by user %s", facility.external_id, current_user.id)
    flash(_("A new passcode and QR code were issued. Print the new poster and replace the old one: "
            "the old QR code and passcode no longer work."))
    return redirect(url_for("provider.poster_page"))


# -- settlement ----------------------------------------------------------------------------------------------
def _month_or_400(facility: Facility):
    try:
        return ops.parse_month(request.args.get("month"), utcnow())
    except ValueError:
        message = _("The month must be written as YYYY-MM, for example 2026-11.")
        page = render_template("provider/bad_month.html", facility=facility, message=message)
        abort(make_response(page, 400))


@bp.route("/provider/settlement")
@provider_only
def settlement():
    """The monthly settlement statement: count and amount per service, net of corrections."""
    facility = my_facility()
    year, month = _month_or_400(facility)
    s = ops.settlement(db.session, facility, year, month)
    prev_month, next_month = ops.shift_month(year, month, -1), ops.shift_month(year, month, 1)
    label = month_label(year, month)
    return render_template("provider/settlement.html", facility=facility, s=s, now=utcnow(),
                           month_label=label, daily_chart=daily_chart(facility, year, month, label),
                           prev_month="%04d-%02d" % prev_month, next_month="%04d-%02d" % next_month)


def daily_chart(facility: Facility, year: int, month: int, label: str):
    """The month's coupons used here per day (net of corrections, from the ledger) as a small chart."""
    first = dt.date(year, month, 1)
    last = dt.date(*ops.shift_month(year, month, 1), 1) - dt.timedelta(days=1)
    days = coupon_dashboard.redemptions_per_day(db.session, first, last, provider_id=facility.id)
    return make_chart("daily", _("Coupons used per day in %(month)s", month=label),
                      _("Net of corrections, Japan time."), (_("Date"), _("Net coupons used")),
                      [(str(day.day), n) for day, n in days], [(day.isoformat(), n) for day, n in days])


def month_label(year: int, month: int) -> str:
    """2026年11月 / November 2026."""
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=get_locale() or "ja")


@bp.route("/provider/settlement.csv")
@provider_only
def settlement_csv():
    """The statement as CSV (UTF-8 with BOM) for the city to pay the provider back."""
    facility = my_facility()
    year, month = _month_or_400(facility)
    s = ops.settlement(db.session, facility, year, month)
    response = make_response(ops.settlement_csv(s))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = (f'attachment; filename="settlement-{facility.external_id}-'
                                               f'{s.label}.csv"')
    log.info("settlement CSV %s %s downloaded by user %s", facility.external_id, s.label, current_user.id)
    return response
