"""Account pages: sign-up in two steps, login/logout, password reset, the family's account page."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, fresh_login_required, login_required, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from ..extensions import db, limiter, login_manager
from ..mail import send_mail
from ..timeutil import today_jst
from . import operations as ops
from .forms import (ChildForm, DeleteForm, DetailsForm, EmailChangeForm, ForgotForm, LoginForm, PasswordChangeForm,
                    ProfileForm, ResendForm, ResetForm, SignupForm)
from .models import Child, User
from .tokens import TokenError, issue_token, peek_token, revoke_tokens, use_token

log = logging.getLogger(__name__)
bp = Blueprint("accounts", __name__)


# The signed-in user, read on every request: built once (SQLAlchemy then reuses its cache key); children and
# municipality are loaded when a page asks for them, not on every request (the redemption POST never does).
_USER_BY_ID = select(User).where(User.id == bindparam("user_id")).options(lazyload(User.children),
                                                                          lazyload(User.municipality))


@login_manager.user_loader
def load_user(key: str):
    """Session key "id:version": a bumped version (logout elsewhere, password change) ends the session."""
    try:
        user_id, version = (int(x) for x in key.split(":"))
    except (ValueError, AttributeError):
        return None
    user = db.session.scalars(_USER_BY_ID, {"user_id": user_id}).first()
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def _mail(to: str, template: str, subject: str, **context) -> None:
    body = render_template(f"mail/{template}.txt", **context)
    send_mail(to, subject, body)


def _field_error(form, error: ops.AccountError) -> None:
    field = getattr(form, error.field, None) or getattr(form, "child_" + error.field, None)
    message = _(error.message)
    if field is not None:
        field.errors = list(field.errors) + [message]
    else:
        form.form_errors.append(message)


def _email_key() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


# -- sign-up ------------------------------------------------------------------------------------------------
@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10/minute;30/hour", methods=["POST"])
def signup():
    """Step 1: e-mail address and agreement to the terms; a confirmation link follows by mail."""
    form = SignupForm()
    if form.validate_on_submit():
        _start_signup(form.email.data)
        db.session.commit()
        session["signup_email"] = form.email.data
        return redirect(url_for("accounts.signup_sent"))
    return render_template("accounts/signup.html", form=form)


def _start_signup(email: str) -> None:
    """The same answer whether or not the address is registered; the mail says which case it is."""
    if ops.find_user(db.session, email):
        _mail(email, "already_registered", _("[Kosodate Portal] You already have an account"),
              login_url=url_for("accounts.login", _external=True),
              reset_url=url_for("accounts.forgot_password", _external=True))
        return
    ops.record_consent(db.session, email)
    token = issue_token(db.session, "signup", email)
    _mail(email, "signup", _("[Kosodate Portal] Confirm your e-mail address"),
          url=url_for("accounts.signup_confirm", token=token, _external=True))


@bp.route("/signup/sent", methods=["GET", "POST"])
@limiter.limit("5/minute;20/hour", methods=["POST"])
def signup_sent():
    """'Check your mail', with a form to send the mail again."""
    form = ResendForm(email=session.get("signup_email"))
    if form.validate_on_submit():
        _start_signup(form.email.data)
        db.session.commit()
        flash(_("We sent the mail again. It may take a few minutes to arrive."))
        return redirect(url_for("accounts.signup_sent"))
    return render_template("accounts/signup_sent.html", form=form, email=session.get("signup_email"))


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def signup_confirm(token: str):
    """Step 2: the link from the mail opens the details form; the account is created when it is sent."""
    try:
        pending = peek_token(db.session, "signup", token)
    except TokenError as e:
        return render_template("accounts/link_problem.html", kind=e.kind, purpose="signup"), 400
    form = DetailsForm()
    if form.validate_on_submit():
        try:
            use_token(db.session, "signup", token)
            user = ops.create_family(
                db.session, pending.email, form.password.data, form.name.data.strip(), form.name_kana.data,
                form.municipality.data,
                {"name": form.child_name.data, "birth_date": form.child_birth_date.data,
                 "due_date": form.child_due_date.data}, today_jst(), phone=form.phone.data)
        except TokenError as e:
            db.session.rollback()
            return render_template("accounts/link_problem.html", kind=e.kind, purpose="signup"), 400
        except ops.AccountError as e:
            db.session.rollback()
            _field_error(form, e)
        else:
            db.session.commit()
            session.clear()
            login_user(user, fresh=True)
            flash(_("Registration complete. This is your passport."))
            return redirect(url_for("passport.card"))
    return render_template("accounts/details.html", form=form, email=pending.email)


# -- login / logout -------------------------------------------------------------------------------------------
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute;60/hour", methods=["POST"])
@limiter.limit("5/minute;20/hour", methods=["POST"], key_func=_email_key)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        from .emails import EmailError, normalize_email
        try:
            email = normalize_email(form.email.data)
        except EmailError:
            email = ""
        user = ops.authenticate(db.session, email, form.password.data) if email else None
        if user is None:
            form.form_errors.append(_("The e-mail address or the password is not correct."))
        elif not user.is_active:
            db.session.rollback()
            form.form_errors.append(_("This account has been suspended. Please contact the programme office."))
        else:
            db.session.commit()
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a new session on login
            login_user(user, remember=form.remember.data, fresh=True)
            return redirect(next_url or _home_for(user))
    return render_template("accounts/login.html", form=form)


HOME_ENDPOINTS = {"family": "passport.card", "provider": "provider.home", "agent": "support.console",
                  "admin": "admin.dashboard"}


def _home_for(user) -> str:
    """Where each role starts after logging in (the account page if that area is not installed)."""
    try:
        return url_for(HOME_ENDPOINTS.get(user.role, "accounts.account"))
    except Exception:  # noqa: BLE001 - werkzeug.routing.BuildError when the area is absent
        return url_for("accounts.account")


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/logout", methods=["POST"])
def logout():
    """Ends this session and every other one of the account (the session version changes)."""
    if current_user.is_authenticated:
        ops.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    return render_template("accounts/logged_out.html")


# -- password reset --------------------------------------------------------------------------------------------
@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5/minute;20/hour", methods=["POST"])
@limiter.limit("3/hour", methods=["POST"], key_func=_email_key)
def forgot_password():
    """Ask for a reset link; it goes only to the stored address, and the answer is the same either way."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = ops.find_user(db.session, form.email.data)
        if user is not None:
            revoke_tokens(db.session, "reset", user.email)
            token = issue_token(db.session, "reset", user.email, user.id)
            _mail(user.email, "reset", _("[Kosodate Portal] Reset your password"),
                  url=url_for("accounts.reset_password", token=token, _external=True))
            db.session.commit()
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def reset_password(token: str):
    try:
        pending = peek_token(db.session, "reset", token)
    except TokenError as e:
        return render_template("accounts/link_problem.html", kind=e.kind, purpose="reset"), 400
    user = db.session.get(User, pending.user_id)
    if user is None:
        return render_template("accounts/link_problem.html", kind="invalid", purpose="reset"), 400
    form = ResetForm()
    form._account_email = user.email
    if form.validate_on_submit():
        try:
            use_token(db.session, "reset", token)
        except TokenError as e:
            return render_template("accounts/link_problem.html", kind=e.kind, purpose="reset"), 400
        ops.set_password(user, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Log in with the new password."))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


# -- the account page ---------------------------------------------------------------------------------------------
@bp.route("/account")
@login_required
def account():
    return render_template("accounts/account.html")


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Name, reading, municipality of residence and phone number."""
    if not current_user.is_family:
        abort(404)
    form = ProfileForm(obj=current_user, municipality=current_user.municipality_code)
    if form.validate_on_submit():
        ops.update_profile(db.session, current_user, form.name.data, form.name_kana.data, form.municipality.data,
                           form.phone.data)
        db.session.commit()
        flash(_("Your details were saved."))
        return redirect(url_for("accounts.account"))
    return render_template("accounts/profile.html", form=form)


def _own_child(child_id: int) -> Child:
    child = db.session.get(Child, child_id)
    if child is None or child.user_id != current_user.id:
        abort(404)
    return child


@bp.route("/account/children/new", methods=["GET", "POST"])
@bp.route("/account/children/<int:child_id>", methods=["GET", "POST"])
@login_required
def child(child_id: int | None = None):
    """Add a child (a new baby extends the passport at once) or change one."""
    existing = _own_child(child_id) if child_id else None
    form = ChildForm(obj=existing)
    if form.validate_on_submit():
        try:
            ops.save_child(db.session, current_user._get_current_object(), existing, form.name.data,
                           form.birth_date.data, form.due_date.data, today_jst())
        except ops.AccountError as e:
            db.session.rollback()
            _field_error(form, e)
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("accounts.account"))
    return render_template("accounts/child.html", form=form, child=existing)


@bp.route("/account/children/<int:child_id>/delete", methods=["POST"])
@login_required
def child_delete(child_id: int):
    ops.remove_child(db.session, current_user._get_current_object(), _own_child(child_id))
    db.session.commit()
    flash(_("Removed."))
    return redirect(url_for("accounts.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@fresh_login_required
def change_password():
    form = PasswordChangeForm()
    form._account_email = current_user.email
    if form.validate_on_submit():
        if not ops.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The password is not correct."))
        else:
            ops.set_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user, fresh=True)  # this device stays logged in with the new session version
            flash(_("Your password has been changed. Other devices have been logged out."))
            return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@fresh_login_required
@limiter.limit("5/hour", methods=["POST"])
def change_email():
    """A new address takes effect only after its owner opens the link sent to it."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        if not ops.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The password is not correct."))
        elif ops.find_user(db.session, form.email.data):
            form.email.errors.append(_("This e-mail address is already registered."))
        else:
            token = issue_token(db.session, "email_change", form.email.data, current_user.id)
            _mail(form.email.data, "email_change", _("[Kosodate Portal] Confirm your new e-mail address"),
                  url=url_for("accounts.confirm_email_change", token=token, _external=True))
            db.session.commit()
            return render_template("accounts/email_sent.html", email=form.email.data)
    return render_template("accounts/email.html", form=form)


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    try:
        pending = peek_token(db.session, "email_change", token)
    except TokenError as e:
        return render_template("accounts/link_problem.html", kind=e.kind, purpose="email_change"), 400
    if request.method == "POST":
        try:
            use_token(db.session, "email_change", token)
        except TokenError as e:
            return render_template("accounts/link_problem.html", kind=e.kind, purpose="email_change"), 400
        user = db.session.get(User, pending.user_id)
        if user is None or ops.find_user(db.session, pending.email):
            return render_template("accounts/link_problem.html", kind="invalid", purpose="email_change"), 400
        old = user.email
        user.email = pending.email
        db.session.commit()
        _mail(old, "email_changed", _("[Kosodate Portal] Your e-mail address was changed"), new=pending.email)
        flash(_("Your e-mail address has been changed."))
        return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.login"))
    return render_template("accounts/email_confirm.html", email=pending.email)


@bp.route("/account/delete", methods=["GET", "POST"])
@fresh_login_required
def delete():
    form = DeleteForm()
    if form.validate_on_submit():
        if not ops.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The password is not correct."))
        else:
            email = current_user.email
            ops.delete_account(db.session, current_user._get_current_object())
            db.session.commit()
            logout_user()
            session.clear()
            _mail(email, "deleted", _("[Kosodate Portal] Your account has been deleted"))
            return render_template("accounts/deleted.html")
    return render_template("accounts/delete.html", form=form)


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.refresh_view = "accounts.login"
    login_manager.session_protection = "basic"
    from flask_babel import lazy_gettext
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.needs_refresh_message = lazy_gettext("For your security, please log in again.")
    limiter.init_app(app)
    app.register_blueprint(bp)

    @app.context_processor
    def inject_lang_for_mail():
        return {"lang": str(get_locale() or "ja")}
