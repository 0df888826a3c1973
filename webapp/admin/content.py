"""Notices (お知らせ) and users and roles."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import ROLES, User
from ..extensions import db
from ..timeutil import jst_wall_to_utc, to_jst, utcnow
from . import notices as nops
from . import operations as ops
from .forms import ActiveForm, ConfirmForm, NoticeForm, RoleForm
from .models import Notice
from ..web.pagination import page_arg
from .blueprint import admin_only, bp, role_label

log = logging.getLogger(__name__)
USERS_PER_PAGE = 50


# -- notices -------------------------------------------------------------------------------------------------------
@bp.route("/notices")
@admin_only
def notices():
    rows = db.session.scalars(db.select(Notice).order_by(Notice.publish_from.desc(), Notice.id.desc())).all()
    return render_template("admin/notices.html", rows=rows, now=utcnow(), confirm=ConfirmForm())



def _wall(stored):
    """A stored time as the Japan wall-clock value a datetime-local field shows."""
    local = to_jst(stored)
    return local.replace(tzinfo=None) if local else None


@bp.route("/notices/new", methods=["GET", "POST"])
@bp.route("/notices/<int:notice_id>", methods=["GET", "POST"])
@admin_only
def notice(notice_id: int | None = None):
    """Write or change a notice; times are entered in Japan time."""
    existing = db.session.get(Notice, notice_id) if notice_id else None
    if notice_id and existing is None:
        abort(404)
    if request.method == "GET" and existing is not None:
        form = NoticeForm(data={"title": existing.title, "title_en": existing.title_en, "body": existing.body,
                                "body_en": existing.body_en, "audience": existing.audience,
                                "publish_from": _wall(existing.publish_from),
                                "publish_until": _wall(existing.publish_until)})
    else:
        form = NoticeForm(data={"publish_from": _wall(utcnow()).replace(second=0, microsecond=0)}
                          if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {k: form[k].data for k in ("title", "title_en", "body", "body_en", "audience")}
        values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        values.update(publish_from=jst_wall_to_utc(form.publish_from.data),
                      publish_until=jst_wall_to_utc(form.publish_until.data))
        errors = nops.check_notice(values)
        for field, message in errors:
            form[field].errors = list(form[field].errors) + [_(message)]
        if not errors:
            nops.save_notice(db.session, existing, values, current_user.id)
            db.session.commit()
            flash(_("The notice was saved."))
            return redirect(url_for(".notices"))
    return render_template("admin/notice.html", form=form, notice=existing), 422 if form.errors else 200


@bp.route("/notices/<int:notice_id>/delete", methods=["POST"])
@admin_only
def delete_notice(notice_id: int):
    existing = db.session.get(Notice, notice_id) or abort(404)
    nops.delete_notice(db.session, existing)
    db.session.commit()
    flash(_("The notice was deleted."))
    return redirect(url_for(".notices"))


# -- users and roles -------------------------------------------------------------------------------------------------
@bp.route("/users")
@admin_only
def users():
    """Accounts by e-mail address (part of it) and role."""
    email = (request.args.get("email") or "").strip()[:254]
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    page = page_arg()
    rows, total = ops.find_users(db.session, email, role, page, USERS_PER_PAGE)
    forms = {u.id: RoleForm(formdata=None, data={"role": u.role}, prefix=f"u{u.id}") for u in rows}
    return render_template("admin/users.html", rows=rows, total=total, email=email, role=role, roles=ROLES,
                           forms=forms, page=page, per_page=USERS_PER_PAGE)


def _back_to_users() -> str:
    """The users page the form was sent from (its search and page kept), never anywhere else."""
    back = request.form.get("back") or ""
    return back if back.startswith("/admin/users") else url_for(".users")


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_only
def set_active(user_id: int):
    """Suspend or restore an account (``active`` = "0" or "1")."""
    user = db.session.get(User, user_id) or abort(404)
    form = ActiveForm()
    back = _back_to_users()
    if not form.validate_on_submit():
        flash(_("The form expired. Please send it again."))
        return redirect(back)
    try:
        ops.set_active(db.session, current_user.id, user, form.active.data == "1")
        db.session.commit()
        flash(_("%(email)s can log in again.", email=user.email) if form.active.data == "1"
              else _("%(email)s is suspended and logged out everywhere.", email=user.email))
    except ops.AdminError as e:
        db.session.rollback()
        flash(_(e.errors[0][1]))
    return redirect(back)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_only
def change_role(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm(prefix=f"u{user_id}")
    back = _back_to_users()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."))
        return redirect(back)
    try:
        ops.change_role(db.session, current_user.id, user, form.role.data)
        db.session.commit()
        flash(_("%(email)s is now: %(role)s.", email=user.email, role=role_label(form.role.data)))
    except ops.AdminError as e:
        db.session.rollback()
        flash(_(e.errors[0][1]))
    return redirect(back)
