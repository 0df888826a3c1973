"""Pages: the family's notices, its mail settings (part of /account), and the stop links from the mails."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import csrf, db
from . import domain as d
from . import operations as ops
from .forms import MailSettingsForm, MarkReadForm, StopForm
from .links import read_stop_token

log = logging.getLogger(__name__)
bp = Blueprint("reminders", __name__)

KIND_LABELS = {d.KIND_COUPON: "Coupon expiry reminders", d.KIND_PASSPORT: "Passport expiry reminder",
               d.KIND_DIGEST: "New partner facilities digest"}


def _today():
    from ..timeutil import today_jst
    return today_jst()


def _family():
    if not current_user.is_family:
        abort(404)
    return current_user._get_current_object()


def _programme_notices(user_id: int):
    from ..coupons.notices import notices_for
    return notices_for(user_id)


@bp.route("/notices")
@login_required
def notices():
    """Reminders due now and the programme's notices, unread first."""
    user = _family()
    reminders, _unread = ops.notices_of(db.session, user, _today())
    programme, _p_unread = _programme_notices(user.id)
    return render_template("reminders/notices.html", reminders=reminders, programme=programme,
                           names=_service_names(), form=MarkReadForm())


def _service_names() -> dict[str, str]:
    from .mails import service_names
    return service_names(str(get_locale() or "ja"))


@bp.route("/notices/read", methods=["POST"])
@login_required
def read_notice():
    user = _family()
    form = MarkReadForm()
    if form.validate_on_submit():
        key = form.key.data
        if key.startswith("notice:") and key[7:].isdigit():
            from ..coupons.notices import mark_read
            mark_read(user.id, int(key[7:]))
        else:
            ops.mark_notice_read(db.session, user, key, _today())
        db.session.commit()
    return redirect(url_for("reminders.notices"))


def unread_count() -> int:
    """The header badge: unread reminders and programme notices of the logged-in family."""
    if not current_user.is_authenticated or not current_user.is_family:
        return 0
    try:
        _r, unread = ops.notices_of(db.session, current_user, _today())
        _p, p_unread = _programme_notices(current_user.id)
    except SQLAlchemyError:  # e.g. while rendering the error page of a failed request: no badge, the page shows
        log.exception("could not count the notices")
        return 0
    return unread + p_unread


@bp.route("/account/mails", methods=["GET", "POST"])
@login_required
def settings():
    """Which mails the family wants (each change recorded with its time), their language, followed places."""
    user = _family()
    wanted = ops.choices_of(db.session, user.id)
    codes = ops.followed(db.session, user.id)
    lang = str(get_locale() or "ja")
    pairs = [(m.code, m.name_en if lang == "en" else m.name) for m in ops.followable(db.session)]
    defaults = dict(wanted, lang=ops.mail_lang(db.session, user.id) if db.session.get(
        ops.MailSettings, user.id) else lang)
    defaults.update({f"follow_{i + 1}": c for i, c in enumerate(codes)})
    form = MailSettingsForm(data=defaults if request.method == "GET" else None)
    form.set_municipalities(pairs)
    if form.validate_on_submit():
        errors = ops.set_followed(db.session, user.id, form.followed_codes())
        if errors:
            db.session.rollback()
            for _field, message in errors:
                form.follow_1.errors = list(form.follow_1.errors) + [_(message)]
        else:
            for kind in d.KINDS:
                ops.record_choice(db.session, user.id, kind, bool(getattr(form, kind).data), "account")
            ops.set_mail_lang(db.session, user.id, form.lang.data)
            db.session.commit()
            flash(_("Your mail settings were saved."))
            return redirect(url_for("reminders.settings"))
    return render_template("reminders/settings.html", form=form, history=ops.choice_history(db.session, user.id),
                           labels=KIND_LABELS)


def _stop_target(kind: str, token: str):
    user_id = read_stop_token(kind, token)
    if user_id is None:
        return None
    from ..accounts.models import User
    return db.session.get(User, user_id)


def _bad_link():
    return render_template("reminders/stop_invalid.html"), 400


@bp.route("/reminders/stop/<kind>/<token>", methods=["GET", "POST"])
def stop(kind: str, token: str):
    """GET shows what the link stops and a confirm button; POST (with the form's CSRF token) stops it."""
    user = _stop_target(kind, token)
    if user is None:
        return _bad_link()
    form = StopForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("reminders/stop.html", form=form, kind=kind, labels=KIND_LABELS,
                                   expired=True), 400
        ops.record_choice(db.session, user.id, kind, False, "stop_link")
        db.session.commit()
        return render_template("reminders/stopped.html", kind=kind, labels=KIND_LABELS)
    return render_template("reminders/stop.html", form=form, kind=kind, labels=KIND_LABELS, expired=False)


@bp.route("/reminders/one-click/<kind>/<token>", methods=["POST"])
@csrf.exempt
def one_click(kind: str, token: str):
    """RFC 8058 one-click unsubscribe: the mail client POSTs List-Unsubscribe=One-Click (no cookie, no CSRF
    token: the signed link is the authority, and it can only stop one kind of mail)."""
    user = _stop_target(kind, token)
    if user is None or request.form.get("List-Unsubscribe") != "One-Click":
        return _bad_link()
    ops.record_choice(db.session, user.id, kind, False, "one_click")
    db.session.commit()
    return render_template("reminders/stopped.html", kind=kind, labels=KIND_LABELS)


def init_app(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def inject_notice_badge():
        return {"notice_badge": unread_count}
