"""Passport eligibility and validity (plain Python, no Flask).

Japanese school years run April 1 to March 31, and a child enters elementary school in the April after
turning six; because age advances the day before a birthday, a child born on April 1 joins the grade of the
year before (born 2020-04-01 -> enters April 2026; born 2020-04-02 -> April 2027). Elementary school lasts six
years, so it ends on March 31 of the entry year + 6.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PREGNANCY_AHEAD_DAYS = 310      # a due date may lie at most this far ahead
PREGNANCY_GRACE_DAYS = 60       # ...and at most this far behind (the family has yet to add the baby)


@dataclass(frozen=True)
class ChildInfo:
    """A child (birth_date) or a pregnancy (due_date)."""
    birth_date: dt.date | None = None
    due_date: dt.date | None = None


def school_entry_year(birth_date: dt.date) -> int:
    """The year in whose April the child enters elementary school."""
    return birth_date.year + (6 if (birth_date.month, birth_date.day) <= (4, 1) else 7)


def elementary_school_end(birth_date: dt.date) -> dt.date:
    """March 31 of the school year in which the child finishes elementary school."""
    return dt.date(school_entry_year(birth_date) + 6, 3, 31)


def pregnancy_counts(due_date: dt.date, today: dt.date) -> bool:
    """A pregnancy counts from registration while its due date is plausible (not long past, not too far)."""
    earliest = today - dt.timedelta(days=PREGNANCY_GRACE_DAYS)
    return earliest <= due_date <= today + dt.timedelta(days=PREGNANCY_AHEAD_DAYS)


def passport_valid_until(children: list[ChildInfo], today: dt.date) -> dt.date | None:
    """Until March 31 of the school year in which the youngest child finishes elementary school.

    A pregnancy counts as a child born on the due date. None when no child or pregnancy qualifies."""
    dates = [c.birth_date for c in children if c.birth_date and c.birth_date <= today]
    dates += [c.due_date for c in children if c.due_date and not c.birth_date and pregnancy_counts(c.due_date, today)]
    if not dates:
        return None
    return elementary_school_end(max(dates))


def passport_status(children: list[ChildInfo], today: dt.date) -> tuple[dt.date | None, str]:
    """(valid until, state): state is "valid", "expired" (a date that has passed) or "none" (no child counts)."""
    until = passport_valid_until(children, today)
    if until is None:
        return None, "none"
    return until, ("valid" if until >= today else "expired")


def is_eligible(children: list[ChildInfo], today: dt.date) -> bool:
    """At least one child up to elementary-school age, or a pregnancy."""
    return passport_status(children, today)[1] == "valid"


def check_child_dates(birth_date: dt.date | None, due_date: dt.date | None, today: dt.date) -> list[tuple[str, str]]:
    """Errors for one child's dates as (field, message): exactly one date, a birth not in the future, a due date
    that is plausible."""
    from .facility_record import N_
    if bool(birth_date) == bool(due_date):
        return [("birth_date", N_("Enter either the birth date or, for a pregnancy, the due date."))]
    if birth_date:
        if birth_date > today:
            return [("birth_date", N_("The birth date cannot be in the future."))]
        if birth_date < dt.date(today.year - 20, 1, 1):
            return [("birth_date", N_("Check the birth date."))]
    if due_date and not pregnancy_counts(due_date, today):
        return [("due_date", N_("Enter the expected due date (within the next ten months)."))]
    return []
