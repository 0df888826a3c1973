"""Programme administration forms (CSRF on every one). The facility form only collects text:
``validate_record`` decides what a good facility is."""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Optional

from ..accounts.forms import FlaskForm
from ..accounts.models import ROLES
from ..registration.forms import MultiCheckboxField, options
from ..validators import MaxLength
from .models import AUDIENCES

ROLE_LABELS = {"family": _l("Family"), "provider": _l("Provider"), "agent": _l("Support agent"),
               "admin": _l("Administrator")}
AUDIENCE_LABELS = {"passport": _l("Passport families"), "coupon": _l("Coupon families"), "all": _l("Everyone")}


def _text(label, max_length, required=None):
    validators = [DataRequired(required)] if required else [Optional()]
    return StringField(label, validators=validators + [MaxLength(max_length)])


class ApproveForm(FlaskForm):
    checked_duplicates = BooleanField(_l("I have checked the possible duplicates: these are new facilities"))


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the applicant)"),
                           validators=[DataRequired(_l("Write the reason.")), MaxLength(2000)])


class ChangesForm(FlaskForm):
    message = TextAreaField(_l("What should be changed (sent to the applicant)"),
                            validators=[DataRequired(_l("Write what should be changed.")),
                                        MaxLength(2000)])


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (withdraw, reinstate, delete)."""


class FacilityForm(FlaskForm):
    name = _text(_l("Facility name"), 200, _l("The name is required."))
    name_kana = _text(_l("Reading (kana)"), 200)
    name_en = _text(_l("English name"), 200)
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose the category."))])
    municipality = SelectField(_l("Municipality"), validators=[DataRequired(_l("Choose the municipality."))])
    address = _text(_l("Address"), 300)
    building = _text(_l("Building, floor"), 200)
    phone = _text(_l("Phone"), 30)
    url = _text(_l("Website"), 500)
    open_days = _text(_l("Open days (e.g. 月火水木金)"), 40)
    opens = _text(_l("Opens at"), 10)
    closes = _text(_l("Closes at"), 10)
    hours_note = TextAreaField(_l("Notes on the hours"), validators=[MaxLength(1000)])
    description = TextAreaField(_l("Description"), validators=[MaxLength(2000)])
    notes = TextAreaField(_l("Notes"), validators=[MaxLength(2000)])
    benefit_otoku = TextAreaField(_l("Benefit: savings"), validators=[MaxLength(1000)])
    benefit_kokorokubari = TextAreaField(_l("Benefit: care"), validators=[MaxLength(1000)])
    benefit_setsubi = TextAreaField(_l("Benefit: facilities"), validators=[MaxLength(1000)])
    amenities = MultiCheckboxField(_l("Amenities"), invalid_choice_message=_l("Choose from the list."))
    lat = _text(_l("Latitude"), 20)
    lon = _text(_l("Longitude"), 20)
    registered_on = _text(_l("Registered on (YYYY-MM-DD)"), 10)
    accepts_other_prefectures = BooleanField(_l("Accepts the passports of other prefectures (nationwide mutual use)"))

    BENEFIT_FIELDS = {"otoku": "benefit_otoku", "kokorokubari": "benefit_kokorokubari", "setsubi": "benefit_setsubi"}

    def raw(self) -> dict:
        """The values as validate_record's loosely typed input."""
        keys = ("name", "name_kana", "name_en", "category", "municipality", "address", "building", "phone", "url",
                "open_days", "opens", "closes", "hours_note", "description", "notes", "lat", "lon", "registered_on")
        raw = {k: self[k].data for k in keys}
        raw["benefits"] = {kind: self[name].data for kind, name in self.BENEFIT_FIELDS.items() if self[name].data}
        raw["amenities"] = list(self.amenities.data or [])
        raw["accepts_other_prefectures"] = bool(self.accepts_other_prefectures.data)
        return raw

    def attach(self, errors) -> None:
        """Put validate_record's (field, message) errors next to their fields."""
        for field, message in errors:
            target = {"benefits": "benefit_otoku"}.get(field, field)
            if target in self._fields and target != "csrf_token":
                self[target].errors = list(self[target].errors) + [gettext(message)]
            else:
                self.form_errors.append(gettext(message))


class NoticeForm(FlaskForm):
    title = _text(_l("Title (Japanese)"), 200, _l("Write the title."))
    body = TextAreaField(_l("Text (Japanese)"), validators=[DataRequired(_l("Write the text.")),
                                                            MaxLength(5000)])
    title_en = _text(_l("Title (English, optional)"), 200)
    body_en = TextAreaField(_l("Text (English, optional)"), validators=[Optional(), MaxLength(5000)])
    audience = SelectField(_l("Shown to"), choices=options((a, AUDIENCE_LABELS[a]) for a in AUDIENCES), default="all")
    publish_from = DateTimeLocalField(_l("Published from (Japan time)"), format="%Y-%m-%dT%H:%M",
                                      validators=[DataRequired(_l("Enter when the notice appears."))])
    publish_until = DateTimeLocalField(_l("Until (Japan time, optional)"), format="%Y-%m-%dT%H:%M",
                                       validators=[Optional()])


class ActiveForm(FlaskForm):
    """Suspend ("0") or restore ("1") an account."""
    active = HiddenField(validators=[AnyOf(("0", "1"))])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=options((r, ROLE_LABELS[r]) for r in ROLES))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    dry_run = BooleanField(_l("Check only (save nothing)"))
