"""Programme administration for coupons (admin role): serial-code batches and providers."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, NumberRange

from ..accounts.forms import FlaskForm
from ..extensions import db
from ..models import Facility
from ..roles import role_required
from ..validators import MaxLength, WholeNumberField
from . import domain as d
from . import operations as ops
from .models import CouponProgramme, ProviderPoint, SerialBatch, SerialCode

bp = Blueprint("coupons_admin", __name__, url_prefix="/admin/coupons")
admin_only = role_required("admin")
MAX_BATCH = 10_000


class BatchForm(FlaskForm):
    programme = SelectField(_l("Programme"), coerce=int, validators=[DataRequired()])
    size = WholeNumberField(_l("How many serial codes"), validators=[
        DataRequired(_l("Enter a number from 1 to 10,000.")),
        NumberRange(min=1, max=MAX_BATCH, message=_l("Enter a number from 1 to 10,000."))])
    note = StringField(_l("Note (e.g. where the codes go)"), validators=[MaxLength(200)])


class ConfirmForm(FlaskForm):
    pass


@bp.route("/batches", methods=["GET", "POST"])
@admin_only
def batches():
    """Serial-code batches: generate N for a programme; each row shows how many are used."""
    form = BatchForm()
    programmes = db.session.scalars(select(CouponProgramme).order_by(CouponProgramme.fiscal_year.desc())).all()
    form.programme.choices = [(p.id, p.name) for p in programmes]
    if form.validate_on_submit():
        programme = db.session.get(CouponProgramme, form.programme.data)
        batch = ops.create_batch(db.session, programme, form.size.data, form.note.data or "", current_user.id)
        db.session.commit()
        flash(_("%(num)d serial codes generated.", num=batch.size))
        return redirect(url_for("coupons_admin.batches"))
    used = dict(db.session.execute(select(SerialCode.batch_id, func.count()).where(SerialCode.claimed_at.isnot(None))
                                   .group_by(SerialCode.batch_id)).all())
    rows = db.session.scalars(select(SerialBatch).order_by(SerialBatch.id.desc())).all()
    return render_template("coupons/admin_batches.html", form=form, rows=rows, used=used,
                           programmes={p.id: p for p in programmes})


@bp.route("/batches/<int:batch_id>.csv")
@admin_only
def batch_csv(batch_id: int):
    """The codes of a batch for printing: grouped code, used or not, when (UTF-8 with BOM)."""
    batch = db.session.get(SerialBatch, batch_id) or abort(404)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["シリアルコード", "使用済み", "使用日時(UTC)"])
    for code in db.session.scalars(select(SerialCode).where(SerialCode.batch_id == batch.id).order_by(SerialCode.code)):
        writer.writerow([d.format_serial(code.code), "1" if code.claimed_at else "0",
                         code.claimed_at.isoformat(timespec="seconds") if code.claimed_at else ""])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=serials-{batch.id}.csv"})


@bp.route("/providers")
@admin_only
def providers():
    """Coupon providers with their passcodes, rotation state, posters."""
    rows = db.session.scalars(select(Facility).where(Facility.programme == "coupon").order_by(Facility.id)).all()
    points = {p.facility_id: p for p in db.session.scalars(select(ProviderPoint))}
    return render_template("coupons/admin_providers.html", rows=rows, points=points, form=ConfirmForm())


@bp.route("/providers/<int:facility_id>/rotate", methods=["POST"])
@admin_only
def rotate(facility_id: int):
    facility = db.session.get(Facility, facility_id)
    if facility is None or facility.programme != "coupon":
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    ops.rotate_passcode(db.session, ops.ensure_point(db.session, facility))
    db.session.commit()
    flash(_("A new passcode and QR code were issued for %(name)s. Send the provider the new poster.", name=facility.name))
    return redirect(url_for("coupons_admin.providers"))


@bp.route("/providers/<int:facility_id>/poster.svg")
@admin_only
def poster(facility_id: int):
    from ..provider.poster import poster_svg
    facility = db.session.get(Facility, facility_id)
    if facility is None or facility.programme != "coupon":
        abort(404)
    point = ops.ensure_point(db.session, facility)
    db.session.commit()
    return Response(poster_svg(facility, point), mimetype="image/svg+xml")


def init_app(app) -> None:
    app.register_blueprint(bp)
    try:
        from ..admin.hooks import register_admin_link
    except ImportError:
        return
    register_admin_link("coupons_admin.batches", _l("Serial codes"))
    register_admin_link("coupons_admin.providers", _l("Coupon providers"))
