"""Validators shared by every form, so a rule is worded the same way everywhere.

``MaxLength(n)`` says the limit: 「n文字以内で入力してください。」 / "Please enter at most n characters."
``WholeNumberField``: a number box whose own validators give the one message (no extra "not an integer").
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import Length

TOO_LONG = _l("Please enter at most %(max)d characters.")


class MaxLength(Length):
    """``Length(max=n)`` whose message gives the limit in the page's language."""

    def __init__(self, max: int, message=None):
        super().__init__(max=max, message=message or TOO_LONG)


class WholeNumberField(IntegerField):
    """An ``IntegerField`` where anything that is not a whole number counts as empty, so the field's
    ``DataRequired`` / ``NumberRange`` message (worded for a number box) is the only one shown."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
