"""Console forms. Every POST form carries a CSRF token (Flask-WTF); the audit filter is a GET form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from ..accounts.forms import FlaskForm
from ..validators import MaxLength
from .models import ACTION_NOTE, ACTION_SEARCH, ACTION_VIEW

REASON_MAX = 200
NOTE_MAX = 2000


def _reason_field():
    return StringField(_l("Reason for the lookup"),
                       validators=[DataRequired(_l("Say why you are looking this member up.")),
                                   MaxLength(REASON_MAX)])


class LookupForm(FlaskForm):
    """Find a member: what to search for and why (the reason is recorded in the audit log)."""
    query = StringField(_l("Name, kana, e-mail address or passport number"),
                        validators=[DataRequired(_l("Enter what to search for.")),
                                    MaxLength(200)])
    reason = _reason_field()


class OpenForm(FlaskForm):
    """Open one member's record (a new audit row, with the reason)."""
    reason = _reason_field()
    search = HiddenField()


class NoteForm(FlaskForm):
    """Add a call note to the member (notes cannot be edited or removed)."""
    text = TextAreaField(_l("Call note"), validators=[DataRequired(_l("Write the note.")),
                                                      MaxLength(NOTE_MAX)])
    grant = HiddenField()


class AuditFilterForm(FlaskForm):
    """Filters of the audit list (read from the query string, no CSRF: it changes nothing)."""

    class Meta(FlaskForm.Meta):
        csrf = False

    agent = StringField(_l("Agent (e-mail address or id)"), validators=[Optional(), MaxLength(254)])
    member = IntegerField(_l("Member id"), validators=[Optional(), NumberRange(min=1)])
    action = SelectField(_l("Action"), choices=[
        SelectChoice("", _l("All")), SelectChoice(ACTION_SEARCH, _l("Member search")),
        SelectChoice(ACTION_VIEW, _l("Member record opened")), SelectChoice(ACTION_NOTE, _l("Call note added"))],
        validators=[Optional()])
    date_from = DateField(_l("From (Japan date)"), validators=[Optional()])
    date_to = DateField(_l("To (Japan date)"), validators=[Optional()])
