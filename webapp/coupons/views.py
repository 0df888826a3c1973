"""Family side of the coupons: claim with a serial code, the wallet, redemption at a provider, history."""
from __future__ import annotations

import datetime as dt
import logging
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import ROLE_FAMILY
from ..extensions import db, limiter
from ..models import CouponService
from ..roles import role_required
from ..timeutil import today_jst, utcnow
from . import domain as d
from . import operations as ops
from .forms import ClaimForm, ConfirmForm, PasscodeForm, SerialForm, UseForm
from .models import KIND_REDEEM, KIND_REVERSAL, CouponSet, LedgerEntry
from .wallet import SORTS, wallet_items

log = logging.getLogger(__name__)
bp = Blueprint("coupons", __name__)
family_only = role_required(ROLE_FAMILY)


def error_text(err: d.CouponError) -> str:
    return _(err.message) % (err.params or {}) if err.params else _(err.message)


def set_id_arg(value) -> int:
    """A coupon set id from the URL: plain digits that fit the database's integer, else 404."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        abort(404)
    return int(text)


def my_set(set_id) -> CouponSet:
    coupon_set = db.session.get(CouponSet, set_id_arg(set_id))
    if coupon_set is None or coupon_set.user_id != current_user.id:
        abort(404)
    return coupon_set


def services_by_code() -> dict[str, CouponService]:
    return {s.code: s for s in db.session.scalars(select(CouponService).order_by(CouponService.sort_order))}


# -- wallet ------------------------------------------------------------------------------------------------------
@bp.route("/coupons")
@family_only
def wallet():
    """The family's coupons: remaining counts on top, the eight coupon designs, filters and sort in the URL."""
    sets = db.session.scalars(select(CouponSet).where(CouponSet.user_id == current_user.id)
                              .order_by(CouponSet.id)).all()
    services = services_by_code()
    today = today_jst()
    filters = {
        "service": [s for s in request.args.getlist("service") if s in services],
        "set": [int(s) for s in request.args.getlist("set") if s.isdigit() and int(s) in {x.id for x in sets}],
        "usable": request.args.get("usable") == "1",
        "expiring": request.args.get("expiring") == "1",
    }
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "expiry"
    ledger = ops.entries_by_set(db.session, [s.id for s in sets])
    remaining = {s.id: ops.balance_from(ledger[s.id]) for s in sets}
    items = wallet_items(sets, services, ledger, remaining, today, filters, sort)
    from .notices import notices_for
    notices, unread = notices_for(current_user.id)
    return render_template("coupons/wallet.html", sets=sets, items=items, remaining=remaining, services=services,
                           filters=filters, sort=sort, sorts=SORTS, notices=notices, unread=unread, today=today)


@bp.route("/coupons/notices/<int:notice_id>", methods=["POST"])
@family_only
def read_notice(notice_id: int):
    from .notices import mark_read
    mark_read(current_user.id, notice_id)
    db.session.commit()
    return redirect(url_for("coupons.wallet") + "#notices")


# -- claim -------------------------------------------------------------------------------------------------------
@bp.route("/coupons/claim", methods=["GET", "POST"])
@family_only
@limiter.limit("20/minute;100/hour", methods=["POST"])
def claim():
    """「電子チケットを探す」: a serial code (a deep link may carry it) → the coupon → which child → 受け取る."""
    form = SerialForm(serial=request.args.get("serial", ""))
    serial_text = form.serial.data if form.validate_on_submit() else (request.args.get("serial") or "")
    preview = None
    if serial_text and (request.method == "POST" or "serial" in request.args):
        try:
            preview = ops.find_serial(db.session, serial_text)
        except d.CouponError as e:
            form.serial.errors = list(form.serial.errors) + [error_text(e)]
    if preview is None:
        return render_template("coupons/claim.html", form=form)
    children = [c for c in current_user.children if c.birth_date]
    claim_form = ClaimForm(serial=preview.serial.code)
    claim_form.child.choices = [(c.id, c.name or _("(no name)")) for c in children]
    return render_template("coupons/claim_preview.html", preview=preview, form=claim_form,
                           serial=d.format_serial(preview.serial.code), services=services_by_code())


@bp.route("/coupons/claim/receive", methods=["POST"])
@family_only
@limiter.limit("20/minute;100/hour")
def claim_receive():
    form = ClaimForm()
    form.child.choices = [(c.id, c.name) for c in current_user.children if c.birth_date]
    preview = None
    try:
        preview = ops.find_serial(db.session, form.serial.data or "")
    except d.CouponError as e:
        flash(error_text(e))
        return redirect(url_for("coupons.claim"))
    if form.validate_on_submit():
        try:
            coupon_set = ops.claim(db.session, current_user._get_current_object(), form.serial.data,
                                   form.child.data, form.birth_date.data, form.multiple_birth.data,
                                   today_jst())
        except d.CouponError as e:
            db.session.rollback()
            field = getattr(form, e.field, None) or form.child
            field.errors = list(field.errors) + [error_text(e)]
        else:
            db.session.commit()
            return render_template("coupons/claim_done.html", coupon_set=coupon_set,
                                   remaining=ops.balance_of(db.session, coupon_set.id))
    return render_template("coupons/claim_preview.html", preview=preview, form=form,
                           serial=d.format_serial(preview.serial.code), services=services_by_code()), 400


# -- reaching the provider: QR code, camera or passcode ----------------------------------------------------------------
@bp.route("/coupons/sets/<int:set_id>")
@family_only
def coupon_set(set_id: int):
    """One child's coupons: remaining count, per-service validity, and the two ways to start a redemption."""
    s = my_set(set_id)
    entries = ops.entries_of(db.session, s.id)
    services = services_by_code()
    validity = ops.validities(s, services, entries)
    return render_template("coupons/set.html", s=s, remaining=ops.balance_from(entries), services=services,
                           validity=validity, today=today_jst(), focus=request.args.get("service"))


@bp.route("/coupons/scan")
@family_only
def scan():
    """「コード読み取り」: the camera in the page (BarcodeDetector, or the bundled jsQR)."""
    s = my_set(request.args.get("set"))
    return render_template("coupons/scan.html", s=s)


@bp.route("/coupons/passcode", methods=["GET", "POST"])
@family_only
@limiter.limit("10/minute", methods=["POST"])
def passcode():
    """「パスコードを入力する」: the 6 digits printed under the provider's QR code."""
    s = my_set(request.args.get("set"))
    form = PasscodeForm()
    if form.validate_on_submit():
        code = "".join(ch for ch in _to_ascii_digits(form.passcode.data) if ch.isdigit())
        try:
            point = ops.resolve_passcode(db.session, code, current_user.id, request.remote_addr or "?")
        except ops.PasscodeLocked:
            db.session.commit()
            return render_template("coupons/passcode.html", form=form, s=s, locked=True), 429
        db.session.commit()
        if point is None:
            form.passcode.errors = [_("This passcode does not match any provider. Check the digits with the staff.")]
        else:
            return redirect(url_for("coupons.use", set=s.id, p=point.qr_token))
    return render_template("coupons/passcode.html", form=form, s=s, locked=False)


def _to_ascii_digits(text: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFKC", text or "")


@bp.route("/r/<token>")
@family_only
def qr_landing(token: str):
    """Where a provider's QR code leads (also from the phone's own camera app)."""
    point = ops.resolve_qr(db.session, token)
    if point is None:
        return render_template("coupons/bad_code.html"), 404
    sets = db.session.scalars(select(CouponSet).where(CouponSet.user_id == current_user.id)
                              .order_by(CouponSet.id)).all()
    chosen = request.args.get("set")
    if chosen and chosen.isdigit() and int(chosen) in {s.id for s in sets}:
        return redirect(url_for("coupons.use", set=chosen, p=token))
    if len(sets) == 1:
        return redirect(url_for("coupons.use", set=sets[0].id, p=token))
    return render_template("coupons/choose_set.html", sets=sets, point=point,
                           remaining=ops.balances(db.session, [s.id for s in sets]))


# -- redeem: count → confirm → receipt --------------------------------------------------------------------------------
def _use_context(s: CouponSet, point) -> dict:
    offered = [svc for svc in point.facility.services]
    return {"s": s, "point": point, "offered": offered, "remaining": ops.balance_of(db.session, s.id)}


@bp.route("/coupons/use", methods=["GET", "POST"])
@family_only
def use():
    """Choose the service and how many coupons (1 to the remaining count)."""
    s = my_set(request.args.get("set"))
    point = ops.resolve_qr(db.session, request.args.get("p", ""))
    if point is None:
        return render_template("coupons/bad_code.html"), 404
    ctx = _use_context(s, point)
    form = UseForm(key=request.args.get("key") or uuid.uuid4().hex)
    form.service.choices = [(svc.code, svc.name) for svc in ctx["offered"]]
    if len(ctx["offered"]) == 1 and not form.service.data:
        form.service.data = ctx["offered"][0].code
    if form.validate_on_submit():
        err = d.check_redeem(ctx["remaining"], form.count.data)  # early answer; redeem() checks again under lock
        if err:
            form.count.errors = [error_text(err)]
        else:
            confirm = ConfirmForm(key=form.key.data, service=form.service.data, count=form.count.data)
            return render_template("coupons/confirm.html", form=confirm, now=utcnow(),
                                   service=services_by_code()[form.service.data], **ctx)
    return render_template("coupons/use.html", form=form, **ctx)


@bp.route("/coupons/use/confirm", methods=["POST"])
@family_only
@limiter.limit("30/minute")
def use_confirm():
    """The one write: redeem once per idempotency key, then show the receipt (a replay shows the same one).
    The set is read once, under its lock inside ``redeem`` (which refuses another family's set)."""
    set_id = set_id_arg(request.args.get("set"))
    provider = ops.provider_by_qr(db.session, request.args.get("p", ""))
    if provider is None:
        return render_template("coupons/bad_code.html"), 404
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        entry_id = ops.redeem(db.session, user=current_user._get_current_object(), set_id=set_id,
                              provider=provider, service_code=form.service.data, count=form.count.data,
                              idempotency_key=form.key.data)
    except d.CouponError as e:
        db.session.rollback()
        if e.code == "not_owner":
            abort(404)
        flash(error_text(e))
        return redirect(url_for("coupons.use", set=set_id, p=provider.qr_token))
    db.session.commit()
    return redirect(url_for("coupons.receipt", entry_id=entry_id))


@bp.route("/coupons/receipts/<int:entry_id>")
@family_only
def receipt(entry_id: int):
    """The completion screen, to show the provider's staff (live clock and animation)."""
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None or entry.kind != KIND_REDEEM or entry.coupon_set.user_id != current_user.id:
        abort(404)
    fresh = utcnow() - entry.created_at < dt.timedelta(minutes=30)
    return render_template("coupons/receipt.html", entry=entry, service=services_by_code()[entry.service_code],
                           remaining=ops.balance_of(db.session, entry.set_id), fresh=fresh)


@bp.route("/coupons/history")
@family_only
def history():
    """Uses with date and time, provider, service, count and amount; corrections shown; failures never listed."""
    rows = db.session.scalars(select(LedgerEntry).join(CouponSet).where(
        CouponSet.user_id == current_user.id, LedgerEntry.kind.in_((KIND_REDEEM, KIND_REVERSAL)))
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc()).limit(200)).all()
    return render_template("coupons/history.html", rows=rows, services=services_by_code())
