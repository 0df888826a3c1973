"""Coupon forms (CSRF through Flask-WTF; messages localised)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..accounts.forms import FlaskForm
from ..validators import MaxLength, WholeNumberField


class SerialForm(FlaskForm):
    serial = StringField(_l("Serial code"), validators=[DataRequired(_l("Enter the serial code.")),
                                                       MaxLength(40)])


class ClaimForm(FlaskForm):
    serial = HiddenField(validators=[DataRequired(), Length(max=40)])
    child = SelectField(_l("Which child are the coupons for?"), coerce=int,
                        validators=[DataRequired(_l("Choose one of your children."))])
    birth_date = DateField(_l("The child's birth date (to confirm)"),
                           validators=[DataRequired(_l("Enter the birth date."))])
    multiple_birth = BooleanField(_l("Twins, triplets or more (multiple birth)"))


class PasscodeForm(FlaskForm):
    passcode = StringField(_l("Passcode (6 digits)"), validators=[
        DataRequired(_l("Enter the 6-digit passcode.")), MaxLength(20)])


COUNT_MESSAGE = _l("Enter the number of coupons to use: 1 or more.")


class UseForm(FlaskForm):
    key = HiddenField(validators=[DataRequired(), Length(min=16, max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    service = SelectField(_l("Service"), validators=[DataRequired(_l("Choose the service."))])
    count = WholeNumberField(_l("How many coupons?"), default=1, validators=[
        DataRequired(COUNT_MESSAGE), NumberRange(min=1, max=999, message=COUNT_MESSAGE)])


class ConfirmForm(FlaskForm):
    key = HiddenField(validators=[DataRequired(), Length(min=16, max=64), Regexp(r"^[A-Za-z0-9_-]+$")])
    service = HiddenField(validators=[DataRequired(), Length(max=30)])
    count = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=999)])
    confirmed = HiddenField(validators=[Optional()])
