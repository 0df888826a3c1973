"""Public partner-facility pages (blueprint ``registration``, URLs under /partners): the programme, the
application form with its confirmation page, the status page (signed link from the mail), and a registered
facility's own page for changes and withdrawal (signed link, no login)."""
from __future__ import annotations

import logging
import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..extensions import db, limiter
from ..i18n import current_locale
from ..models import Amenity, Category, Municipality
from ..reference import reference
from ..web.labels import localized
from ..timeutil import today_jst
from . import mails
from . import operations as ops
from .forms import BRANCH_ROWS, DAY_CHOICES, MAX_BENEFITS, MAX_BRANCHES, ApplicationForm, WithdrawForm
from .links import form_payload, read_form_payload, read_manage_token, read_status_token, status_token
from .models import CHANGES_REQUESTED, PartnerRegistration
from .prefill import application_initial, facility_initial

log = logging.getLogger(__name__)
bp = Blueprint("registration", __name__, url_prefix="/partners", static_folder="static",
               static_url_path="/static")
MAX_POST_BYTES = 256 * 1024
MAX_FORM_KEYS = 800
_INDEXED = re.compile(r"^(benefits|branches)-(\d+)-")
YOKOHAMA = "141003"  # its facilities join ハマハグ: the form explains where to go


@bp.url_value_preprocessor
def _limits(endpoint, values):
    """A smaller request limit than the site's (an application is text only), set before the CSRF check
    reads the form."""
    request.max_content_length = MAX_POST_BYTES
    request.max_form_memory_size = MAX_POST_BYTES


@bp.after_request
def _private(response):
    response.headers.setdefault("Cache-Control", "private, no-store")
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


def _choices() -> dict:
    """Select options in the page language: Kanagawa's municipalities (Yokohama included, so that choosing it
    gets the friendly pointer), categories, amenities."""
    munis = db.session.scalars(select(Municipality).where(Municipality.prefecture == "神奈川県")
                               .order_by(Municipality.sort_order))
    categories = db.session.scalars(select(Category).order_by(Category.sort_order))
    amenities = db.session.scalars(select(Amenity).order_by(Amenity.sort_order))
    return {"municipalities": [(m.code, localized(m)) for m in munis],
            "categories": [(c.code, localized(c)) for c in categories],
            "amenities": [(a.code, localized(a)) for a in amenities]}


def _check_shape(formdata) -> None:
    """Refuse a malformed post (400) before anything is read: too many fields or list rows."""
    keys = list(formdata.keys())
    if len(keys) > MAX_FORM_KEYS:
        abort(400)
    rows: dict[str, set[int]] = {"benefits": set(), "branches": set()}
    for k in keys:
        m = _INDEXED.match(k)
        if m:
            rows[m.group(1)].add(int(m.group(2)))
    if len(rows["benefits"]) > MAX_BENEFITS or len(rows["branches"]) > MAX_BRANCHES \
            or any(i >= 1000 for r in rows.values() for i in r):
        abort(400)


def _make_form(formdata=None, data=None) -> ApplicationForm:
    if formdata is not None:
        _check_shape(formdata)
        return ApplicationForm(formdata=formdata, choices=_choices())
    form = ApplicationForm(formdata=None, data=data or {}, choices=_choices())
    if not form.branches.entries:
        form.add_branch_rows(BRANCH_ROWS)
    return form


def _items(formdata, key: str) -> list[list[str]]:
    """The posted values to carry to the sending step, with the form's idempotency key."""
    items = [[k, v] for k, v in formdata.items(multi=True)
             if k not in ("csrf_token", "action", "payload", "submission_key")]
    return items + [["submission_key", key]]


def _payload_formdata(payload: dict) -> MultiDict:
    """The signed form values, with this request's CSRF token (already checked by CSRFProtect)."""
    return MultiDict(payload["f"] + [["csrf_token", request.form.get("csrf_token", "")]])


def _yokohama(form) -> bool:
    codes = [form.municipality.data] + [e.form.municipality.data for e in form.branches]
    return YOKOHAMA in codes


def _form_url(target: dict) -> str:
    if target.get("kind") == "revise":
        return url_for(".revise", token=status_token(target["app"]))
    if target.get("kind") == "change":
        return url_for(".change", token=target["token"])
    return url_for(".apply")


def _render_form(form, target: dict, **context):
    return render_template("registration/apply.html", form=form, target=target, form_url=_form_url(target),
                           yokohama=_yokohama(form), max_branches=MAX_BRANCHES, max_benefits=MAX_BENEFITS,
                           **context)


def _form_page(target: dict, initial: dict | None = None, **context):
    """The form for a new application, a revision or a change: add rows, go back from the confirmation page,
    or check everything and show the confirmation page (the data signed in a hidden field)."""
    if request.method == "GET":
        return _render_form(_make_form(data=initial), target, **context)
    action = request.form.get("action")
    if action == "edit":  # back from the confirmation page, with the signed data
        payload = read_form_payload(request.form.get("payload"))
        if payload is None or payload["t"] != target:
            abort(400)
        return _render_form(_make_form(_payload_formdata(payload)), target, **context)
    form = _make_form(request.form)
    if action == "add_branch":
        form.add_branch_rows()
        return _render_form(form, target, open_branches=True, **context)
    if action == "add_benefit":
        form.add_benefit_row()
        return _render_form(form, target, **context)
    if form.validate_application(reference(), today_jst()):
        payload = form_payload(_items(request.form, form.submission_key.data), target)
        return render_template("registration/confirm.html", data=form.data_dict(), form=form, target=target,
                               payload=payload, form_url=_form_url(target), names=_names(), **context)
    return _render_form(form, target, open_branches=bool(form.used_branches()), **context)


def _names() -> dict:
    """Display names of codes for the confirmation page."""
    choices = _choices()
    return {key: dict(values) for key, values in choices.items()}


STATUS_LABELS = {"submitted": _l("Waiting for review"), "changes_requested": _l("Changes requested"),
                 "approved": _l("Approved"), "rejected": _l("Not approved")}


@bp.app_template_global()
def application_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global()
def benefit_days_label(code: str) -> str:
    """The label of a benefit's "on which days" choice, in the page language."""
    return str(dict(DAY_CHOICES).get(code, code))


# -- pages ---------------------------------------------------------------------------------------------------------
@bp.route("/")
def index():
    """The programme for facilities: what it is, who can join, the terms, and the way to apply."""
    return render_template("registration/index.html")


@bp.route("/apply", methods=["GET", "POST"])
@limiter.limit("60/minute;600/hour", methods=["POST"])
def apply():
    return _form_page({"kind": "new"})


@bp.route("/apply/send", methods=["POST"])
@limiter.limit("10/minute;60/hour")
def send():
    """Store the application (once per form key), acknowledge it by mail and show its status page."""
    payload = read_form_payload(request.form.get("payload"))
    if payload is None:
        abort(400)
    target = payload["t"]
    form = _make_form(_payload_formdata(payload))
    if not form.validate_application(reference(), today_jst()):  # checked again: never trust the page
        return _render_form(form, target, **_target_context(target))
    data, key, ref = form.data_dict(), form.submission_key.data, reference()
    created, revised = False, False
    try:
        if target.get("kind") == "revise":
            app = ops.find_by_public_id(db.session, target.get("app", "")) or abort(400)
            revised = ops.revise_application(db.session, app, data, key, ref)
        elif target.get("kind") == "change":
            reg = _registration(target.get("token", ""))
            app, created = ops.submit_application(db.session, data, key, current_locale(), ref, target=reg.facility)
        else:
            app, created = ops.submit_application(db.session, data, key, current_locale(), ref)
        db.session.commit()
    except IntegrityError:  # the same key committed by a parallel request: that one is the application
        db.session.rollback()
        app = ops.find_by_key(db.session, key, data) or abort(409)
    if (created or revised) and not mails.received(app, revised=revised):
        flash(_("We could not send the confirmation mail. Keep the address of this page to check your "
                "application."))
    return redirect(url_for(".status", token=status_token(app.public_id)))


def _target_context(target: dict) -> dict:
    if target.get("kind") == "change":
        return {"registration": _registration(target.get("token", ""))}
    return {}


@bp.route("/status/<token>")
def status(token: str):
    """The application's status, from the link in the mail."""
    app = _application(token)
    return render_template("registration/status.html", app=app, token=token, names=_names())


@bp.route("/status/<token>/edit", methods=["GET", "POST"])
@limiter.limit("60/minute", methods=["POST"])
def revise(token: str):
    """Change the application after staff asked for changes; it goes back to review."""
    app = _application(token)
    if app.status != CHANGES_REQUESTED:
        return redirect(url_for(".status", token=token))
    return _form_page({"kind": "revise", "app": app.public_id}, application_initial(app), app=app)


@bp.route("/manage/<token>")
def manage(token: str):
    """A registered facility's page: its listing, and the ways to change it or leave the programme."""
    reg = _registration(token)
    return render_template("registration/manage.html", reg=reg, f=reg.facility, token=token)


@bp.route("/manage/<token>/change", methods=["GET", "POST"])
@limiter.limit("60/minute", methods=["POST"])
def change(token: str):
    """Ask for a change of the listing: the same form, prefilled; staff review it like an application."""
    reg = _registration(token)
    return _form_page({"kind": "change", "token": token}, facility_initial(reg), registration=reg)


@bp.route("/manage/<token>/withdraw", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def withdraw(token: str):
    """Leave the programme: confirm, and the facility leaves search at once."""
    reg = _registration(token)
    form = WithdrawForm()
    if form.validate_on_submit():
        ops.withdraw_registration(db.session, reg, form.reason.data)
        db.session.commit()
        sent = mails.withdrawn(reg)
        return render_template("registration/withdrawn.html", reg=reg, sent=sent)
    return render_template("registration/withdraw.html", reg=reg, form=form, token=token)


def _application(token: str):
    public_id = read_status_token(token)
    app = ops.find_by_public_id(db.session, public_id) if public_id else None
    if app is None:
        abort(_link_problem())
    return app


def _registration(token: str) -> PartnerRegistration:
    value = read_manage_token(token)
    reg = db.session.get(PartnerRegistration, value[0]) if value else None
    if reg is None or reg.link_version != value[1] or reg.withdrawn_at is not None:
        abort(_link_problem())
    return reg


def _link_problem():
    return current_app.make_response((render_template("registration/link_problem.html"), 404))


def init_app(app) -> None:
    """Register the blueprint and the ``renew-registrations`` command."""
    from . import cli
    app.register_blueprint(bp)
    cli.init_app(app)
