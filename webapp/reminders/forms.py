"""The family's mail and notice settings form (labels via _l; built-in messages in the page language)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from ..accounts.forms import FlaskForm
from ..validators import MaxLength


class MailSettingsForm(FlaskForm):
    """Which mails the family wants, their language, and up to three municipalities to follow."""
    coupon_expiry = BooleanField(_l("Coupon expiry reminders (30 and 7 days before)"))
    passport_expiry = BooleanField(_l("Passport expiry reminder (30 days before)"))
    partner_digest = BooleanField(_l("Weekly mail about new partner facilities in the municipalities I follow"))
    lang = SelectField(_l("Language of the mails"), choices=[SelectChoice("ja", "日本語"), SelectChoice("en", "English")],
                       validators=[DataRequired()])
    follow_1 = SelectField(_l("Municipality 1"), validate_choice=True)
    follow_2 = SelectField(_l("Municipality 2"), validate_choice=True)
    follow_3 = SelectField(_l("Municipality 3"), validate_choice=True)

    FOLLOW_FIELDS = ("follow_1", "follow_2", "follow_3")

    def set_municipalities(self, pairs: list[tuple[str, str]]) -> None:
        choices = [SelectChoice("", _l("(none)"))] + [SelectChoice(v, label) for v, label in pairs]
        for name in self.FOLLOW_FIELDS:
            getattr(self, name).choices = choices

    def followed_codes(self) -> list[str]:
        return [getattr(self, n).data for n in self.FOLLOW_FIELDS if getattr(self, n).data]


class MarkReadForm(FlaskForm):
    """Mark one notice as read: a reminder (its key) or a programme notice (its id)."""
    key = StringField(validators=[DataRequired(), MaxLength(120)])


class StopForm(FlaskForm):
    """The confirm button of a stop link (the CSRF token is the only field)."""
