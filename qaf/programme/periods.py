"""The periods of the QA schedule: what "monthly" or "every six weeks" means on a calendar.

Month-based frequencies follow the financial year (April by default), so a quarterly
activity's periods are the reporting quarters. Weekly periods run Monday to Sunday; six-weekly
ones run in blocks of six weeks from the day the activity starts. The work for a
period is due on its last day. Plain Python: no Flask, no database.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from qaf.reports.periods import period_containing as report_period_containing

MONTHS_IN = {"monthly": 1, "bi_monthly": 2, "quarterly": 3, "six_monthly": 6, "yearly": 12}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), kept within the month: 31 March - 1 month is 28 or 29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def month_start(day: date) -> date:
    return day.replace(day=1)


def _block_start(day: date, months: int, year_start_month: int) -> date:
    """The first day of the ``months``-long block, counted from the financial year's start, that holds ``day``."""
    offset = (day.month - year_start_month) % 12
    return add_months(month_start(day), -(offset % months))


def period_containing(frequency: str, day: date, *, anchor: date, year_start_month: int = 4) -> tuple[date, date]:
    """The first and last day of the period of ``frequency`` that holds ``day``."""
    if frequency == "weekly":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if frequency == "six_weekly":
        start = anchor + timedelta(days=((day - anchor).days // 42) * 42)
        return start, start + timedelta(days=41)
    months = MONTHS_IN[frequency]
    start = _block_start(day, months, year_start_month)
    return start, add_months(start, months) - timedelta(days=1)


def periods(
    frequency: str, starts_on: date, until: date, *, ends_on: date | None = None, year_start_month: int = 4
) -> Iterator[tuple[date, date]]:
    """Every period of the schedule from the one holding ``starts_on`` to the one holding ``until``.

    A one-off activity has one period, from ``starts_on`` to ``ends_on`` (its due date).
    """
    last = min(until, ends_on) if ends_on else until
    if frequency == "one_off":
        if ends_on is not None and starts_on <= until:
            yield starts_on, ends_on
        return
    day = starts_on
    while day <= last:
        start, end = period_containing(frequency, day, anchor=starts_on, year_start_month=year_start_month)
        yield start, end
        day = end + timedelta(days=1)


def financial_quarter(day: date, year_start_month: int = 4) -> tuple[str, date, date]:
    """The reporting quarter holding ``day``: its name, like ``2026-27 Q3``, and its first and last day."""
    quarter = report_period_containing(day, year_start_month, "quarter")
    return quarter.name, quarter.first_day, quarter.last_day


def previous_month(day: date) -> tuple[date, date]:
    """The calendar month before the one holding ``day``."""
    first = month_start(day)
    return add_months(first, -1), first - timedelta(days=1)
