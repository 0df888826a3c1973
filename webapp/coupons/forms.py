"""Coupon forms (CSRF through Flask-WTF; messages localised)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..accounts.forms import FlaskForm


class SerialForm(FlaskForm):
    serial = StringField(_l("Serial code"), validators=[DataRequired(_l("Enter the serial code.")),
                                                       Length(max=40, message=_l("This is too long."))])


class ClaimForm(FlaskForm):
    serial = HiddenField(validators=[DataRequired(), Length(max=40)])
    child = SelectField(_l("Which child are the coupons for?"), coerce=int,
                        validators=[DataRequired(_l("Choose one of your children."))])
    birth_date = DateField(_l("The child's birth date (to confirm)"),
                           validators=[DataRequired(_l("Enter the birth date."))])
    multiple_birth = BooleanField(_l("Twins, triplets or more (multiple birth)"))


class PasscodeForm(FlaskForm):
    passcode = StringField(_l("Passcode (6 digits)"), validators=[
        DataRequired(_l("Enter the 6-digit passcode.")), Length(max=20, message=_l("This is too long."))])


class UseForm(FlaskForm):
    key = HiddenField(validators=[DataRequired(), Length(min=16, max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    service = SelectField(_l("Service"), validators=[DataRequired(_l("Choose the service."))])
    count = IntegerField(_l("How many coupons?"), validators=[
        DataRequired(_l("Choose how many coupons to use: at least one.")),
        NumberRange(min=1, max=999, message=_l("Choose how many coupons to use: at least one."))])


class ConfirmForm(FlaskForm):
    key = HiddenField(validators=[DataRequired(), Length(min=16, max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    service = HiddenField(validators=[DataRequired(), Length(max=30)])
    count = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=999)])
    confirmed = HiddenField(validators=[Optional()])
