"""Provider forms (CSRF on every one). The correction's count and reason are checked by the coupon rules
(``coupons.domain.check_reversal``), whose errors the view puts next to the field."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..accounts.forms import FlaskForm
from ..coupons.domain import CouponError
from ..validators import WholeNumberField


class CorrectionForm(FlaskForm):
    """Give back 1..n coupons of one redemption, with a reason (required, checked by the domain rules)."""
    count = WholeNumberField(_l("Coupons to give back"), validators=[Optional()])
    reason = TextAreaField(_l("Reason for the correction"), validators=[Optional()],
                           render_kw={"rows": 3, "maxlength": 500, "required": True})

    def set_max(self, maximum: int) -> None:
        self.count.render_kw = {"min": 1, "max": maximum, "required": True, "inputmode": "numeric"}

    def add_error(self, err: CouponError) -> None:
        """Show a coupon rule's refusal next to its field (or above the form), in the page's language."""
        text = _(err.message) % err.params if err.params else _(err.message)
        target = getattr(self, err.field, None) if err.field in ("count", "reason") else None
        if target is not None:
            target.errors = list(target.errors) + [text]
        else:
            self.form_errors.append(text)


class RotateForm(FlaskForm):
    """Issue a new passcode and QR code; the confirmation box is required."""
    confirm = BooleanField(
        _l("I understand that the current poster, QR code and passcode stop working at once"),
        validators=[DataRequired(_l("Tick the box to confirm."))])
