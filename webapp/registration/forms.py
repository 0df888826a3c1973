"""The public partner-facility application form (WTForms through Flask-WTF, CSRF on).

WTForms checks each field (required, length, choices, kana, phone, time, e-mail); ``validate_record`` then
decides, for every location, what a good facility is, and its (field, message) errors are put next to the
fields they concern. Benefits and branches are lists of sub-forms; empty rows are ignored."""
from __future__ import annotations

import re
import secrets

from flask_babel import get_locale, gettext, lazy_gettext as _l
from wtforms import (BooleanField, FieldList, Form, FormField, HiddenField, RadioField, SelectChoice,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError
from wtforms.i18n import get_translations as wtforms_translations
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.forms import EmailInput, FlaskForm, kana_validator, phone_validator
from ..domain.facility_record import parse_time, validate_record
from ..validators import MaxLength, WholeNumberField
from .records import ja_names, location_raws

MAX_BENEFITS = 6
MAX_BRANCHES = 50
BRANCH_ROWS = 3  # empty branch rows offered at first (more with the "add rows" button)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
WEEKDAYS = [("0", _l("Mon")), ("1", _l("Tue")), ("2", _l("Wed")), ("3", _l("Thu")), ("4", _l("Fri")),
            ("5", _l("Sat")), ("6", _l("Sun"))]
KIND_CHOICES = [("", _l("Choose")), ("otoku", _l("Savings (discounts, gifts)")),
                ("kokorokubari", _l("Care (hot water, holding bags, ...)")),
                ("setsubi", _l("Facilities (nursing room, kids' toilet, ...)"))]
DAY_CHOICES = [("all", _l("Every day we are open")), ("weekdays", _l("Weekdays only")),
               ("weekends", _l("Weekends and holidays only")), ("other", _l("Other (write it in the conditions)"))]
PASSPORT_CHOICES = [("required", _l("The passport must be shown")), ("not_required", _l("No need to show it"))]


def options(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class SubForm(Form):
    """A sub-form (no CSRF of its own) whose built-in messages follow the page language."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations([str(get_locale() or "ja")])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def time_validator(form, field):
    """HH:MM (9:00, 09:00, ９：００ and 9時 accepted), normalised in place."""
    try:
        field.data = parse_time(field.data)
    except ValueError:
        raise ValidationError(gettext("Write the time as HH:MM, for example 09:30.")) from None


def url_validator(form, field):
    value = (field.data or "").strip()
    if value and not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise ValidationError(gettext("Enter a web address starting with http:// or https://."))
    field.data = value


def _empty(value) -> bool:
    return value in (None, "", [], False)


class BenefitForm(SubForm):
    kind = SelectField(_l("Kind of benefit"), choices=options(KIND_CHOICES),
                       invalid_choice_message=_l("Choose the kind of benefit."))
    text = TextAreaField(_l("What you offer"), validators=[Optional(), MaxLength(200)])
    days = SelectField(_l("On which days"), choices=options(DAY_CHOICES), default="all")
    passport = RadioField(_l("Showing the passport"), choices=options(PASSPORT_CHOICES), default="required",
                          invalid_choice_message=_l("Choose whether the passport must be shown."))
    age_from = WholeNumberField(_l("Children from age"), validators=[Optional(), NumberRange(0, 18, _l("From 0 to 18."))])
    age_to = WholeNumberField(_l("Children up to age"), validators=[Optional(), NumberRange(0, 18, _l("From 0 to 18."))])
    pregnant = BooleanField(_l("Also for expectant mothers"))
    note = StringField(_l("Other conditions"), validators=[Optional(), MaxLength(100)])

    def is_empty(self) -> bool:
        return not self.kind.data and not (self.text.data or "").strip()

    def validate(self, extra_validators=None):
        if self.is_empty():  # an unused row: nothing to check
            for f in self:
                f.errors = []
            return True
        ok = super().validate(extra_validators)
        if not self.kind.data and not self.kind.errors:
            self.kind.errors.append(gettext("Choose the kind of benefit."))
            ok = False
        if not (self.text.data or "").strip():
            self.text.errors.append(gettext("Describe the benefit."))
            ok = False
        if (self.age_from.data is not None and self.age_to.data is not None
                and self.age_from.data > self.age_to.data and not self.age_to.errors):
            self.age_to.errors.append(gettext("The upper age must not be below the lower one."))
            ok = False
        return ok

    def value(self) -> dict:
        return {"kind": self.kind.data, "text": self.text.data.strip(), "days": self.days.data,
                "passport": self.passport.data, "age_from": self.age_from.data, "age_to": self.age_to.data,
                "pregnant": bool(self.pregnant.data), "note": (self.note.data or "").strip()}


class BranchForm(SubForm):
    name = StringField(_l("Branch name"), validators=[Optional(), MaxLength(100)])
    name_kana = StringField(_l("Reading (kana)"), validators=[Optional(), MaxLength(100),
                                                              kana_validator])
    municipality = SelectField(_l("Municipality"), invalid_choice_message=_l("Choose a municipality in Kanagawa."))
    address = StringField(_l("Address"), validators=[Optional(), MaxLength(200)])
    building = StringField(_l("Building, floor"), validators=[Optional(), MaxLength(100)])
    phone = StringField(_l("Phone"), validators=[Optional(), MaxLength(30), phone_validator])

    def is_empty(self) -> bool:
        return all(_empty((f.data or "").strip() if isinstance(f.data, str) else f.data) for f in self)

    def validate(self, extra_validators=None):
        if self.is_empty():
            for f in self:
                f.errors = []
            return True
        ok = super().validate(extra_validators)
        for f, message in ((self.name, _l("Enter the branch name.")), (self.name_kana, _l("Enter the reading.")),
                           (self.municipality, _l("Choose the municipality.")),
                           (self.address, _l("Enter the address."))):
            if not (f.data or "").strip() and not f.errors:
                f.errors.append(str(message))
                ok = False
        return ok

    def value(self) -> dict:
        return {k: (getattr(self, k).data or "").strip() or None for k in
                ("name", "name_kana", "municipality", "address", "building", "phone")}


class ApplicationForm(FlaskForm):
    """The facility, its benefits and conditions, the contact, the chain's other branches, the terms."""
    submission_key = HiddenField()
    name = StringField(_l("Facility name"), validators=[DataRequired(_l("Enter the facility name.")),
                                                        MaxLength(100)])
    name_kana = StringField(_l("Reading of the name (kana)"), validators=[
        DataRequired(_l("Enter the reading.")), MaxLength(100), kana_validator])
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose the category."))],
                           invalid_choice_message=_l("Choose the category."))
    municipality = SelectField(_l("Municipality"), validators=[DataRequired(_l("Choose the municipality."))],
                               invalid_choice_message=_l("Choose a municipality in Kanagawa."))
    address = StringField(_l("Address"), validators=[DataRequired(_l("Enter the address.")),
                                                     MaxLength(200)])
    building = StringField(_l("Building, floor"), validators=[Optional(), MaxLength(100)])
    phone = StringField(_l("Phone"), validators=[DataRequired(_l("Enter the phone number.")),
                                                 MaxLength(30), phone_validator])
    url = StringField(_l("Website"), validators=[Optional(), MaxLength(300), url_validator])
    open_days = MultiCheckboxField(_l("Open days"), choices=options(WEEKDAYS),
                                   validators=[DataRequired(_l("Choose the days you are open."))],
                                   invalid_choice_message=_l("Choose the days you are open."))
    opens = StringField(_l("Opens at"), validators=[DataRequired(_l("Enter the opening time.")), time_validator])
    closes = StringField(_l("Closes at"), validators=[DataRequired(_l("Enter the closing time.")), time_validator])
    hours_note = StringField(_l("Notes on the hours"), validators=[Optional(), MaxLength(200)])
    description = TextAreaField(_l("About the facility"), validators=[Optional(), MaxLength(500)])
    benefits = FieldList(FormField(BenefitForm), min_entries=1, max_entries=MAX_BENEFITS)
    amenities = MultiCheckboxField(_l("Amenities for families"),
                                   invalid_choice_message=_l("Choose from the list."))
    other_prefectures = BooleanField(_l("We also accept the passports of other prefectures"))
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(_l("Enter the contact person.")),
                                                                 MaxLength(100)])
    email = StringField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                                          MaxLength(254), EmailInput()])
    branches = FieldList(FormField(BranchForm), min_entries=0, max_entries=MAX_BRANCHES)
    agree = BooleanField(_l("I agree to the programme terms above"),
                         validators=[DataRequired(_l("Please agree to the terms to apply."))])

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = options([("", gettext("Choose"))] + choices["categories"])
        self.municipality.choices = options([("", gettext("Choose"))] + choices["municipalities"])
        self.amenities.choices = options(choices["amenities"])
        for entry in self.branches:
            entry.form.municipality.choices = self.municipality.choices
        if not KEY_PATTERN.match(self.submission_key.data or ""):
            self.submission_key.data = secrets.token_urlsafe(24)

    def add_branch_rows(self, n: int = BRANCH_ROWS) -> None:
        for _ in range(min(n, MAX_BRANCHES - len(self.branches.entries))):
            entry = self.branches.append_entry()
            entry.form.municipality.choices = self.municipality.choices

    def add_benefit_row(self) -> None:
        if len(self.benefits.entries) < MAX_BENEFITS:
            self.benefits.append_entry()

    def used_benefits(self) -> list[BenefitForm]:
        return [e.form for e in self.benefits if not e.form.is_empty()]

    def used_branches(self) -> list[BranchForm]:
        return [e.form for e in self.branches if not e.form.is_empty()]

    def data_dict(self) -> dict:
        """The cleaned values as plain JSON (what an application stores)."""
        text = lambda f: (f.data or "").strip() if isinstance(f.data, str) else ""  # noqa: E731
        return {
            "name": text(self.name), "name_kana": text(self.name_kana), "category": self.category.data,
            "municipality": self.municipality.data, "address": text(self.address),
            "building": text(self.building) or None, "phone": text(self.phone), "url": text(self.url) or None,
            "open_days": "".join(sorted(d for d in self.open_days.data or [] if d in "0123456")),
            "opens": self.opens.data, "closes": self.closes.data, "hours_note": text(self.hours_note) or None,
            "description": text(self.description) or None,
            "benefits": [b.value() for b in self.used_benefits()], "amenities": list(self.amenities.data or []),
            "other_prefectures": bool(self.other_prefectures.data), "contact_name": text(self.contact_name),
            "email": text(self.email), "branches": [b.value() for b in self.used_branches()],
        }

    def validate_application(self, ref, today) -> bool:
        """Every field, then the facility rules of ``validate_record`` for each location. The record rules run
        even when a field failed, so that (say) the Yokohama rule shows at once; a record error is shown only
        on a field that has no error of its own yet."""
        ok = self.validate()
        if not self.used_benefits() and not any(e.form.errors for e in self.benefits):
            self.benefits.entries[0].form.text.errors.append(gettext("Describe at least one benefit."))
            ok = False
        for i, raw in enumerate(location_raws(self.data_dict(), ja_names(ref))):
            _, errors = validate_record(raw, ref, today)
            for field, message in errors:
                self._attach(i, field, gettext(message))
                ok = False
        for rows in (self.benefits, self.branches):  # errors added after WTForms' own pass
            rows.errors = [e.errors for e in rows.entries] if any(e.errors for e in rows.entries) else []
        return ok

    def _attach(self, location: int, field: str, message: str) -> bool:
        """Put a record error next to its field (a branch's own field for branch rows), unless that field
        already shows an error; returns whether the error was shown."""
        target = None
        if location > 0:
            branch = self.used_branches()[location - 1]
            target = getattr(branch, field, None) if field in branch._fields else None
        if target is None and field in self._fields and field not in ("benefits", "branches"):
            target = self[field]
        if target is None and field == "benefits":
            target = self.used_benefits()[0].text if self.used_benefits() else None
        if target is None:
            if message not in self.form_errors:
                self.form_errors.append(message)
            return True
        if target.errors:
            return False
        target.errors = list(target.errors) + [message]
        return True


class WithdrawForm(FlaskForm):
    """Leaving the programme: a reason (optional) and a confirmation."""
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), MaxLength(500)])
    confirm = BooleanField(_l("I understand that the facility disappears from search at once"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
