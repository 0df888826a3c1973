"""Facilities: search (the search index), edit (validate_record), withdraw and reinstate, CSV import/export."""
from __future__ import annotations

import logging

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..facilities import csvio
from ..facilities.operations import find_facility
from ..indexing import get_index
from ..models import STATUS_WITHDRAWN, Amenity, Category, Municipality
from ..reference import reference
from ..registration.forms import options
from ..registration.models import PartnerRegistration
from ..timeutil import today_jst
from ..web.labels import localized
from . import operations as ops
from .forms import ConfirmForm, FacilityForm, ImportForm
from ..web.pagination import page_arg
from .blueprint import IMPORT_MAX_BYTES, admin_only, bp

log = logging.getLogger(__name__)
PER_PAGE = 30
# validate_record's field names as the CSV's columns, for the import report
CSV_COLUMN = {key: col for col, key in csvio.TEXT_FIELDS.items()} | {
    "municipality": csvio.MUNI_COL, "benefits": "特典_*", "amenities": csvio.AMENITIES_COL,
    "services": csvio.SERVICES_COL}


@bp.route("/facilities")
@admin_only
def facilities():
    """Find facilities the way families do (the search index), or list the withdrawn ones."""
    q = (request.args.get("q") or "").strip()[:200]
    status = STATUS_WITHDRAWN if request.args.get("status") == STATUS_WITHDRAWN else "active"
    page = page_arg()
    try:
        rows, total = ops.search_facilities(db.session, get_index(), q, status, page, PER_PAGE)
    except ops.AdminError as e:
        flash(_(e.errors[0][1]))
        rows, total = [], 0
    return render_template("admin/facilities.html", rows=rows, total=total, q=q, status=status, page=page,
                           per_page=PER_PAGE)


def _get(external_id: str):
    facility = find_facility(db.session, external_id)
    if facility is None:
        abort(404)
    return facility


def _facility_form(facility, formdata=None) -> FacilityForm:
    data = None if formdata else ops.facility_form_data(facility)
    form = FacilityForm(data=data) if data is not None else FacilityForm()
    form.category.choices = options((c.code, localized(c)) for c in
                                    db.session.scalars(select(Category).order_by(Category.sort_order)))
    form.municipality.choices = options((m.code, f"{m.prefecture} {localized(m)}") for m in
                                        db.session.scalars(select(Municipality).order_by(Municipality.sort_order)))
    form.amenities.choices = options((a.code, localized(a)) for a in
                                     db.session.scalars(select(Amenity).order_by(Amenity.sort_order)))
    return form


@bp.route("/facilities/<external_id>", methods=["GET", "POST"])
@admin_only
def facility(external_id: str):
    """Edit a facility; the same rules as the CSV import and the application form."""
    f = _get(external_id)
    form = _facility_form(f, formdata=request.method == "POST")
    status = 200
    if form.validate_on_submit():
        try:
            ops.save_facility(db.session, f, form.raw(), reference(), today_jst())
            db.session.commit()
            flash(_("Saved. Search shows the change now."))
            return redirect(url_for(".facility", external_id=external_id))
        except ops.AdminError as e:
            db.session.rollback()
            form.attach(e.errors)
            status = 422
    elif request.method == "POST":
        status = 422
    reg = db.session.scalar(select(PartnerRegistration).where(PartnerRegistration.facility_id == f.id))
    return render_template("admin/facility.html", f=f, form=form, reg=reg, confirm=ConfirmForm()), status


@bp.route("/facilities/<external_id>/withdraw", methods=["POST"])
@admin_only
def withdraw_facility(external_id: str):
    f = _get(external_id)
    ops.withdraw(db.session, f)
    db.session.commit()
    flash(_("%(name)s was withdrawn: it no longer appears in search.", name=f.name))
    return redirect(url_for(".facility", external_id=external_id))


@bp.route("/facilities/<external_id>/reinstate", methods=["POST"])
@admin_only
def reinstate_facility(external_id: str):
    f = _get(external_id)
    try:
        ops.reinstate(db.session, f, reference(), today_jst())
        db.session.commit()
        flash(_("%(name)s is listed again.", name=f.name))
    except ops.AdminError as e:
        db.session.rollback()
        for field, message in e.errors:
            flash(f"{field}: {_(message)}")
    return redirect(url_for(".facility", external_id=external_id))


@bp.route("/facilities/import", methods=["GET", "POST"])
@admin_only
def import_facilities():
    """Upload the facility CSV (the CLI's format): good rows are saved, bad rows reported by line."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(IMPORT_MAX_BYTES + 1)
        report = csvio.import_csv(db.session, data)
        if form.dry_run.data:
            db.session.rollback()
        else:
            db.session.commit()
        log.info("facility CSV uploaded: %d created, %d updated, %d rows rejected%s", report.created,
                 report.updated, len(report.error_lines), " (dry run)" if form.dry_run.data else "")
        # shown with the CSV's column names and translated messages
        report.errors = [(line, CSV_COLUMN.get(field, field), _(message)) for line, field, message in report.errors]
    return render_template("admin/import.html", form=form, report=report, dry_run=bool(form.dry_run.data),
                           max_mb=IMPORT_MAX_BYTES // (1024 * 1024))


@bp.route("/facilities/export.csv")
@admin_only
def export_csv():
    body = csvio.export_csv(db.session)
    return Response(body.encode("utf-8"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=facilities-{today_jst():%Y%m%d}.csv"})


@bp.route("/facilities/export.geojson")
@admin_only
def export_geojson():
    body = csvio.export_geojson(db.session)
    return Response(body, mimetype="application/geo+json",
                    headers={"Content-Disposition":
                             f"attachment; filename=facilities-{today_jst():%Y%m%d}.geojson"})
