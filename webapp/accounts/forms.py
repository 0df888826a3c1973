"""Account forms (WTForms through Flask-WTF: CSRF on every form). Labels and messages via _l."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext, lazy_gettext as _l
from flask_babel import get_locale
from flask_wtf import FlaskForm as _FlaskForm
from wtforms.i18n import get_translations as wtforms_translations
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from ..domain.facility_record import to_katakana
from ..domain.phone import PhoneError, normalize_phone
from ..timeutil import today_jst  # noqa: F401  (re-exported: older imports of accounts.forms.today_jst)
from ..validators import MaxLength
from .emails import EmailError, normalize_email
from .passwords import MAX_LENGTH, password_problems

class FlaskForm(_FlaskForm):
    """Forms whose built-in WTForms messages (invalid choice, bad date, ...) follow the page language."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations([str(get_locale() or "ja")])


KANA_CHARS = set("ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトド"
                 "ナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶー　 ・")


class EmailInput:
    """Validator: a deliverable-looking address, normalised in place (full-width input accepted)."""

    def __call__(self, form, field):
        try:
            field.data = normalize_email(field.data or "",
                                         current_app.config.get("EMAIL_CHECK_DELIVERABILITY", False))
        except EmailError as e:
            if e.suggestion:
                raise ValidationError(gettext(e.message, domain=e.suggestion)) from None
            raise ValidationError(gettext(e.message)) from None


class NewPassword:
    """Validator: NIST SP 800-63B rules (see passwords.password_problems)."""

    def __init__(self, email_field: str | None = None):
        self.email_field = email_field

    def __call__(self, form, field):
        email = getattr(form, self.email_field).data if self.email_field and hasattr(form, self.email_field) else ""
        email = email or getattr(form, "_account_email", "")
        problems = password_problems(field.data or "", email or "")
        if problems:
            raise ValidationError(gettext(problems[0]))


def phone_validator(form, field):
    """A Japanese telephone number, normalised in place (0466-12-3456)."""
    if field.data:
        try:
            field.data = normalize_phone(field.data)
        except PhoneError:
            raise ValidationError(gettext("Enter a Japanese telephone number, for example 0466-12-3456.")) from None


def kana_validator(form, field):
    value = to_katakana(field.data or "")
    if value and not all(ch in KANA_CHARS for ch in value):
        raise ValidationError(gettext("Write the reading in hiragana or katakana."))
    field.data = value


class SignupForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         MaxLength(254), EmailInput()])
    agree = BooleanField(_l("I agree to the terms of use and the handling of personal information"),
                         validators=[DataRequired(_l("Please agree to the terms to continue."))])


class ResendForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         MaxLength(254), EmailInput()])


def municipality_choices():
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Municipality
    from ..web.labels import localized
    rows = db.session.scalars(select(Municipality).where(Municipality.prefecture == "神奈川県")
                              .order_by(Municipality.sort_order)).all()
    return [("", gettext("Choose"))] + [(m.code, localized(m)) for m in rows]


class ProfileForm(FlaskForm):
    """Name, reading, municipality and phone number: given at sign-up, changed from the account page."""
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), MaxLength(100)])
    name_kana = StringField(_l("Reading (kana)"), validators=[DataRequired(_l("Enter the reading.")),
                                                              MaxLength(100), kana_validator])
    municipality = SelectField(_l("Municipality of residence"), validators=[DataRequired(_l("Choose your municipality."))])
    phone = StringField(_l("Phone number (optional)"), validators=[Optional(), MaxLength(30),
                                                                   phone_validator],
                        render_kw={"type": "tel", "inputmode": "tel"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality.choices = municipality_choices()


class DetailsForm(ProfileForm):
    """Sign-up step 2: the profile, a password and the first child (or pregnancy)."""
    password = PasswordField(_l("Password (8 characters or more)"),
                             validators=[DataRequired(_l("Choose a password.")), MaxLength(MAX_LENGTH), NewPassword()])
    child_name = StringField(_l("Child's name (or a nickname)"), validators=[Optional(), MaxLength(100)])
    child_birth_date = DateField(_l("Birth date"), validators=[Optional()])
    child_due_date = DateField(_l("Or, for a pregnancy: expected due date"), validators=[Optional()])


class ChildForm(FlaskForm):
    name = StringField(_l("Child's name (or a nickname)"), validators=[Optional(), MaxLength(100)])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    due_date = DateField(_l("Or, for a pregnancy: expected due date"), validators=[Optional()])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         MaxLength(254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                         MaxLength(MAX_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                         MaxLength(254), EmailInput()])


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password (8 characters or more)"),
                             validators=[DataRequired(_l("Choose a password.")), MaxLength(MAX_LENGTH), NewPassword()])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your password.")),
                                                                         MaxLength(MAX_LENGTH)])
    password = PasswordField(_l("New password (8 characters or more)"),
                             validators=[DataRequired(_l("Choose a password.")), MaxLength(MAX_LENGTH), NewPassword()])


class EmailChangeForm(FlaskForm):
    email = EmailField(_l("New e-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                             MaxLength(254), EmailInput()])
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your password.")),
                                                                         MaxLength(MAX_LENGTH)])


class DeleteForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your password.")),
                                                                         MaxLength(MAX_LENGTH)])
    confirm = BooleanField(_l("I understand that my account and my children's data will be erased"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])

