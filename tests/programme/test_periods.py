"""Periods of the schedule on a calendar, financial quarters, and when work becomes overdue."""

from datetime import date

import pytest

from qaf.models import ActivityWork
from qaf.programme.periods import add_months, financial_quarter, period_containing, periods, previous_month

ANCHOR = date(2026, 4, 1)


@pytest.mark.parametrize(
    ("frequency", "day", "expected"),
    [
        ("weekly", date(2026, 11, 18), (date(2026, 11, 16), date(2026, 11, 22))),
        ("monthly", date(2027, 2, 10), (date(2027, 2, 1), date(2027, 2, 28))),
        ("bi_monthly", date(2026, 5, 31), (date(2026, 4, 1), date(2026, 5, 31))),
        ("bi_monthly", date(2027, 3, 1), (date(2027, 2, 1), date(2027, 3, 31))),
        ("quarterly", date(2027, 1, 1), (date(2027, 1, 1), date(2027, 3, 31))),
        ("quarterly", date(2026, 12, 31), (date(2026, 10, 1), date(2026, 12, 31))),
        ("six_monthly", date(2026, 10, 1), (date(2026, 10, 1), date(2027, 3, 31))),
        ("yearly", date(2027, 3, 31), (date(2026, 4, 1), date(2027, 3, 31))),
        ("six_weekly", date(2026, 4, 1), (date(2026, 4, 1), date(2026, 5, 12))),
        ("six_weekly", date(2026, 5, 12), (date(2026, 4, 1), date(2026, 5, 12))),
        ("six_weekly", date(2026, 5, 13), (date(2026, 5, 13), date(2026, 6, 23))),
    ],
)
def test_each_frequency_has_its_periods_on_the_calendar(frequency, day, expected):
    assert period_containing(frequency, day, anchor=ANCHOR) == expected


def test_the_financial_year_can_start_in_another_month():
    assert period_containing("quarterly", date(2026, 2, 14), anchor=ANCHOR, year_start_month=1) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert financial_quarter(date(2026, 2, 14), 1) == ("2026 Q1", date(2026, 1, 1), date(2026, 3, 31))


def test_financial_quarters_are_named_like_the_reports():
    assert financial_quarter(date(2026, 11, 23)) == ("2026-27 Q3", date(2026, 10, 1), date(2026, 12, 31))
    assert financial_quarter(date(2027, 3, 31)) == ("2026-27 Q4", date(2027, 1, 1), date(2027, 3, 31))
    assert financial_quarter(date(2027, 4, 1))[0] == "2027-28 Q1"


def test_a_schedule_runs_from_its_first_period_to_the_horizon_and_stops_at_its_last_day():
    monthly = list(periods("monthly", date(2026, 4, 15), date(2026, 7, 1)))
    assert [start for start, _end in monthly] == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 7, 1),
    ]
    ended = list(periods("monthly", date(2026, 4, 1), date(2027, 1, 1), ends_on=date(2026, 5, 20)))
    assert len(ended) == 2
    assert list(periods("one_off", date(2026, 4, 1), date(2027, 1, 1), ends_on=date(2026, 9, 30))) == [
        (date(2026, 4, 1), date(2026, 9, 30))
    ]


def test_months_are_added_without_running_off_the_end_of_a_month():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert previous_month(date(2027, 1, 5)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_work_becomes_overdue_the_day_after_it_is_due():
    work = ActivityWork(due_date=date(2027, 3, 31), completed_on=None)
    assert not work.is_overdue(date(2027, 3, 31))
    assert work.is_overdue(date(2027, 4, 1))
    work.completed_on = date(2027, 3, 31)
    assert work.done_on_time
    assert not work.is_overdue(date(2027, 4, 1))
    work.completed_on = date(2027, 4, 1)
    assert not work.done_on_time
