"""The review queue: approve, reject with a reason, or ask for changes; each outcome mails the applicant."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db
from ..indexing import facility_record
from ..models import Municipality
from ..web.labels import benefit_name, days_label
from ..reference import reference
from ..registration import mails
from ..registration import operations as rops
from ..registration.models import STATUSES, SUBMITTED, PartnerApplication
from ..registration.records import location_raws
from ..timeutil import today_jst
from .forms import ApproveForm, ChangesForm, RejectForm
from ..web.pagination import page_arg
from .blueprint import admin_only, bp

log = logging.getLogger(__name__)
PER_PAGE = 50


def _get(app_id: int) -> PartnerApplication:
    app = db.session.get(PartnerApplication, app_id)
    if app is None:
        abort(404)
    return app


@bp.route("/applications")
@admin_only
def applications():
    """Applications by status; waiting ones oldest first."""
    status = request.args.get("status", SUBMITTED)
    if status not in STATUSES:
        status = SUBMITTED
    order = PartnerApplication.submitted_at.asc() if status == SUBMITTED else PartnerApplication.submitted_at.desc()
    page = page_arg()
    rows = db.session.scalars(select(PartnerApplication).where(PartnerApplication.status == status)
                              .order_by(order, PartnerApplication.id).offset((page - 1) * PER_PAGE)
                              .limit(PER_PAGE)).all()
    counts = dict(db.session.execute(select(PartnerApplication.status, func.count(PartnerApplication.id))
                                     .group_by(PartnerApplication.status)).all())
    return render_template("admin/applications.html", rows=rows, status=status, statuses=STATUSES, counts=counts,
                           page=page, per_page=PER_PAGE)


COMPARED = ("name", "name_kana", "category", "municipality", "address", "building", "phone", "url", "open_days",
            "opens", "closes", "hours_note", "description", "benefits", "amenities")


def _changes(app: PartnerApplication, preview: dict) -> list[tuple[str, object, object]]:
    """For a change request: (field, listed now, asked for) where they differ."""
    f = app.target_facility
    if app.kind != "change" or f is None:
        return []
    now = facility_record(f)
    current = {k: getattr(now, k) for k in COMPARED if k not in ("category", "municipality")}
    current.update(category=now.category, municipality=now.municipality)
    asked = dict(preview, open_days="".join(sorted(preview.get("open_days") or "")))
    return [(k, _shown(k, current.get(k)), _shown(k, asked.get(k))) for k in COMPARED
            if (current.get(k) or None) != (asked.get(k) or None)]


def _shown(field: str, value):
    """A compared value as staff read it."""
    if not value:
        return None
    ref = reference()
    if field == "benefits":
        return "\n".join(f"{benefit_name(kind)}: {text}" for kind, text in value.items())
    if field == "amenities":
        return "、".join(ref.amenities.get(a, a) for a in value)
    if field == "category":
        return ref.categories.get(value, value)
    if field == "municipality":
        return ref.municipalities.get(value, {}).get("name", value)
    if field == "open_days":
        return days_label(value)
    return value


def _detail(app: PartnerApplication, approve_form=None, reject_form=None, changes_form=None, status_code=200):
    munis = {m.code: m for m in db.session.scalars(select(Municipality))}
    previews = location_raws(app.data, {code: m.name for code, m in munis.items()})
    return render_template(
        "admin/application.html", app=app, previews=previews, munis=munis, ref=reference(),
        changes=_changes(app, previews[0]), approve_form=approve_form or ApproveForm(),
        reject_form=reject_form or RejectForm(), changes_form=changes_form or ChangesForm()), status_code


@bp.route("/applications/<int:app_id>")
@admin_only
def application(app_id: int):
    """One application: every location as it would be listed, possible duplicates, the three outcomes."""
    return _detail(_get(app_id))


def _flash_errors(errors) -> None:
    for field, message in errors:
        flash(_("Not approved: %(field)s: %(message)s", field=field, message=_(message)))


@bp.route("/applications/<int:app_id>/approve", methods=["POST"])
@admin_only
def approve(app_id: int):
    app = _get(app_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    if app.duplicates and app.status == SUBMITTED and not form.checked_duplicates.data:
        form.checked_duplicates.errors = [_("Check the possible duplicates first, then tick the box.")]
        return _detail(app, approve_form=form, status_code=422)
    try:
        rops.approve(db.session, app, current_user.id, reference(), today_jst())
        db.session.commit()
    except rops.RegistrationError as e:
        db.session.rollback()
        _flash_errors(e.errors)
        return redirect(url_for(".application", app_id=app_id))
    sent = mails.approved(app, app.registrations)
    flash(_("Approved: %(ref)s. The facilities are listed now.", ref=app.reference))
    if not sent:
        flash(_("The mail to %(email)s could not be sent. Contact the applicant.", email=app.email))
    return redirect(url_for(".applications"))


@bp.route("/applications/<int:app_id>/reject", methods=["POST"])
@admin_only
def reject(app_id: int):
    app = _get(app_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _detail(app, reject_form=form, status_code=422)
    return _decide(app, lambda: rops.reject(db.session, app, current_user.id, form.reason.data), mails.rejected,
                   _("Rejected: %(ref)s. The applicant was told why.", ref=app.reference))


@bp.route("/applications/<int:app_id>/changes", methods=["POST"])
@admin_only
def ask_changes(app_id: int):
    app = _get(app_id)
    form = ChangesForm()
    if not form.validate_on_submit():
        return _detail(app, changes_form=form, status_code=422)
    return _decide(app, lambda: rops.request_changes(db.session, app, current_user.id, form.message.data),
                   mails.changes_requested, _("Changes requested: %(ref)s.", ref=app.reference))


def _decide(app, action, mail, done_message):
    try:
        action()
        db.session.commit()
    except rops.RegistrationError as e:
        db.session.rollback()
        flash(_(e.errors[0][1]))
        return redirect(url_for(".application", app_id=app.id))
    flash(done_message)
    if not mail(app):
        flash(_("The mail to %(email)s could not be sent. Contact the applicant.", email=app.email))
    return redirect(url_for(".applications"))
