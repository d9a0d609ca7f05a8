"""Reporting periods: financial quarters and halves, years, months and any dates, in England's time."""

from datetime import date, datetime

import pytest

from qaf.reports.periods import (
    PeriodError,
    custom,
    parse_date,
    parse_period,
    period_containing,
    period_for_dates,
    recent_periods,
)


@pytest.mark.parametrize(
    ("name", "first", "last", "kind"),
    [
        ("2026-27 Q1", date(2026, 4, 1), date(2026, 6, 30), "quarter"),
        ("2026-27 Q3", date(2026, 10, 1), date(2026, 12, 31), "quarter"),
        ("2026-27 Q4", date(2027, 1, 1), date(2027, 3, 31), "quarter"),
        ("2026-27 H1", date(2026, 4, 1), date(2026, 9, 30), "half"),
        ("2026-27 H2", date(2026, 10, 1), date(2027, 3, 31), "half"),
        ("2026-27", date(2026, 4, 1), date(2027, 3, 31), "year"),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "month"),
        ("2027-02", date(2027, 2, 1), date(2027, 2, 28), "month"),
    ],
)
def test_period_names_mean_financial_year_dates(name, first, last, kind):
    period = parse_period(name)
    assert (period.first_day, period.last_day, period.kind, period.name) == (first, last, kind, name)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("  2026/27 q3 ", "2026-27 Q3"),
        ("2026-27 h2", "2026-27 H2"),
        ("November 2026", "2026-11"),
        ("2026-1", "2026-01"),
    ],
)
def test_period_names_are_read_forgivingly(typed, name):
    assert parse_period(typed).name == name


@pytest.mark.parametrize(
    ("name", "previous"),
    [
        ("2026-27 Q1", "2025-26 Q4"),
        ("2026-27 Q3", "2026-27 Q2"),
        ("2026-27 H1", "2025-26 H2"),
        ("2026-27", "2025-26"),
        ("2026-01", "2025-12"),
    ],
)
def test_the_previous_period_is_the_one_just_before_of_the_same_kind(name, previous):
    assert parse_period(name).previous().name == previous


def test_custom_dates_compare_with_as_many_days_just_before():
    period = custom(date(2026, 10, 1), date(2026, 10, 15))
    assert period.name == "1 October to 15 October 2026"
    before = period.previous()
    assert (before.first_day, before.last_day) == (date(2026, 9, 16), date(2026, 9, 30))


def test_dates_that_make_a_named_period_are_named_as_it():
    assert period_for_dates(date(2026, 10, 1), date(2026, 12, 31)).name == "2026-27 Q3"
    assert period_for_dates(date(2026, 11, 1), date(2026, 11, 30)).name == "2026-11"
    assert period_for_dates(date(2026, 11, 1), date(2026, 12, 31)).kind == "custom"


def test_a_year_starting_in_january_names_calendar_years():
    period = parse_period("2026 Q2", start_month=1)
    assert (period.first_day, period.last_day) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_containing(date(2026, 2, 3), start_month=1).name == "2026 Q1"
    assert parse_period("2026", start_month=1).last_day == date(2026, 12, 31)


def test_a_year_starting_in_september_moves_the_quarters():
    period = period_containing(date(2026, 11, 23), start_month=9)
    assert (period.name, period.first_day, period.last_day) == ("2026-27 Q1", date(2026, 9, 1), date(2026, 11, 30))


def test_bounds_are_midnight_in_england_as_stored_utc_times():
    """Summer time: the quarter starting 1 April starts at 23:00 UTC on 31 March."""
    assert parse_period("2026-27 Q1").utc_bounds() == (datetime(2026, 3, 31, 23), datetime(2026, 6, 30, 23))
    assert parse_period("2026-27 Q3").utc_bounds() == (datetime(2026, 9, 30, 23), datetime(2027, 1, 1, 0))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a period, like 2026-27 Q3, 2026-27 H1, 2026-27 or 2026-11"),
        ("2026-27 Q5", "‘2026-27 Q5’ has no Q5: a year has Q1 to Q4"),
        ("2026-27 H3", "‘2026-27 H3’ has no H3: a year has H1 to H2"),
        ("2026-28", "‘2026-28’ is not a period QAF knows: write it like 2026-27 Q3, 2026-27 H1, 2026-27 or 2026-11"),
        ("2026-13", "‘2026-13’ is not a period QAF knows: write it like 2026-27 Q3, 2026-27 H1, 2026-27 or 2026-11"),
        ("1999-00", "‘1999-00’ is not a year QAF reports on: use a year from 2000 to 2100"),
        (
            "last quarter",
            "‘last quarter’ is not a period QAF knows: write it like 2026-27 Q3, 2026-27 H1, 2026-27 or 2026-11",
        ),
    ],
)
def test_periods_that_cannot_be_read_say_what_to_write(typed, message):
    with pytest.raises(PeriodError) as error:
        parse_period(typed)
    assert str(error.value) == message


def test_dates_must_be_real_and_in_order():
    with pytest.raises(PeriodError, match="Enter the start date as YYYY-MM-DD"):
        parse_date("31/12/2026", "start date")
    with pytest.raises(PeriodError, match="The end date must be the same as or after the start date"):
        custom(date(2026, 12, 31), date(2026, 10, 1))


def test_the_period_picker_offers_recent_quarters_halves_years_and_months():
    names = [period.name for period in recent_periods(date(2026, 11, 23))]
    assert names[:3] == ["2026-27 Q3", "2026-27 Q2", "2026-27 Q1"]
    assert "2026-27 H2" in names
    assert "2025-26" in names
    assert "2026-11" in names
