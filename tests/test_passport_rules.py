"""Passport validity and eligibility on their boundaries."""
import datetime as dt

from webapp.domain.passport import (ChildInfo, check_child_dates, elementary_school_end, is_eligible,
                                    passport_status, passport_valid_until, school_entry_year)

TODAY = dt.date(2026, 11, 23)


def test_april_first_joins_the_earlier_grade():
    assert school_entry_year(dt.date(2020, 4, 1)) == 2026
    assert school_entry_year(dt.date(2020, 4, 2)) == 2027
    assert elementary_school_end(dt.date(2020, 4, 1)) == dt.date(2032, 3, 31)
    assert elementary_school_end(dt.date(2020, 4, 2)) == dt.date(2033, 3, 31)
    assert elementary_school_end(dt.date(2019, 12, 31)) == dt.date(2032, 3, 31)
    assert elementary_school_end(dt.date(2020, 1, 1)) == dt.date(2032, 3, 31)


def test_leap_day_birth():
    assert elementary_school_end(dt.date(2020, 2, 29)) == dt.date(2032, 3, 31)
    assert elementary_school_end(dt.date(2024, 2, 29)) == dt.date(2036, 3, 31)


def test_youngest_child_decides_and_a_new_child_extends():
    older = ChildInfo(birth_date=dt.date(2015, 6, 1))
    assert passport_valid_until([older], TODAY) == dt.date(2028, 3, 31)
    baby = ChildInfo(birth_date=dt.date(2026, 10, 1))
    assert passport_valid_until([older, baby], TODAY) == dt.date(2039, 3, 31)


def test_pregnancy_counts_from_registration():
    due = ChildInfo(due_date=dt.date(2027, 4, 2))
    assert passport_valid_until([due], TODAY) == dt.date(2040, 3, 31)
    assert is_eligible([due], TODAY)
    long_past = ChildInfo(due_date=TODAY - dt.timedelta(days=61))
    assert not is_eligible([long_past], TODAY)


def test_graduated_children_are_not_eligible():
    # born 2014-04-01: entered April 2020, finished March 2026
    assert passport_valid_until([ChildInfo(birth_date=dt.date(2014, 4, 1))], TODAY) == dt.date(2026, 3, 31)
    assert not is_eligible([ChildInfo(birth_date=dt.date(2014, 4, 1))], TODAY)
    # born 2014-04-02: sixth grade now, until 2027-03-31
    assert is_eligible([ChildInfo(birth_date=dt.date(2014, 4, 2))], TODAY)
    # on the last day itself
    assert is_eligible([ChildInfo(birth_date=dt.date(2014, 4, 1))], dt.date(2026, 3, 31))
    assert not is_eligible([], TODAY)


def test_child_dates_checked():
    assert check_child_dates(None, None, TODAY)[0][0] == "birth_date"
    assert check_child_dates(dt.date(2020, 1, 1), dt.date(2027, 1, 1), TODAY)[0][0] == "birth_date"
    assert check_child_dates(TODAY + dt.timedelta(days=1), None, TODAY)[0][0] == "birth_date"
    assert check_child_dates(None, TODAY + dt.timedelta(days=400), TODAY)[0][0] == "due_date"
    assert check_child_dates(TODAY, None, TODAY) == []


def test_status_on_the_last_day_and_after():
    child = [ChildInfo(birth_date=dt.date(2014, 4, 1))]
    assert passport_status(child, dt.date(2026, 3, 31)) == (dt.date(2026, 3, 31), "valid")
    assert passport_status(child, dt.date(2026, 4, 1)) == (dt.date(2026, 3, 31), "expired")
    assert passport_status([], TODAY) == (None, "none")
