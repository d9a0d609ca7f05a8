"""Reporting periods: financial-year quarters by default, also half-years, years, months and any dates.

Periods are dates in England (Europe/London). Stored times are naive UTC, so a period's
bounds are converted: it runs from local midnight at the start of its first day to local
midnight after its last day. A response sent at 23:59:59 on 31 December is in the October
to December quarter; one sent at 00:00 on 1 January is not. In summer (BST) that midnight
is 23:00 UTC the day before, which is why the conversion matters.

Names follow English councils' habit: the financial year that starts in April 2026 is
"2026-27"; its third quarter (October to December) is "2026-27 Q3", its first half
"2026-27 H1"; a month is "2026-11". ``FINANCIAL_YEAR_START_MONTH`` moves the year's start;
with 1 (January) years are named "2026".
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
MONTHS = "January February March April May June July August September October November December".split()


class PeriodError(ValueError):
    """A period that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Period:
    """A run of whole days in England, named, with the rule for the period before it."""

    kind: str
    first_day: date
    last_day: date
    name: str
    start_month: int = 4

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def dates_text(self) -> str:
        """``1 October to 31 December 2026`` (years shown only where needed)."""
        return dates_text(self.first_day, self.last_day)

    @property
    def slug(self) -> str:
        """The name as a file name part: ``2026-27-q3``."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Naive UTC [start, end): compare stored times with ``start <= at < end``."""
        return local_midnight_utc(self.first_day), local_midnight_utc(self.last_day + timedelta(days=1))

    def previous(self) -> "Period":
        """The period just before, of the same kind; for custom dates, as many days just before."""
        if self.kind == "month":
            before = self.first_day - timedelta(days=1)
            return month(before.year, before.month, self.start_month)
        if self.kind in ("quarter", "half", "year"):
            return period_containing(self.first_day - timedelta(days=1), self.start_month, self.kind)
        last = self.first_day - timedelta(days=1)
        return custom(last - timedelta(days=self.days - 1), last, self.start_month)


def local_midnight_utc(day: date) -> datetime:
    """The naive UTC time at which ``day`` starts in England."""
    return datetime(day.year, day.month, day.day, tzinfo=UK).astimezone(UTC).replace(tzinfo=None)


def uk_date(moment: datetime) -> date:
    """The date in England of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(UK).date()


def uk_today() -> date:
    return datetime.now(UK).date()


def dates_text(first: date, last: date) -> str:
    def day(value: date, with_year: bool) -> str:
        return f"{value.day} {MONTHS[value.month - 1]}" + (f" {value.year}" if with_year else "")

    if first == last:
        return day(first, True)
    return f"{day(first, first.year != last.year)} to {day(last, True)}"


def _add_months(year: int, month_number: int, months: int) -> tuple[int, int]:
    index = year * 12 + month_number - 1 + months
    return index // 12, index % 12 + 1


def _last_day_before(year: int, month_number: int) -> date:
    return date(year, month_number, 1) - timedelta(days=1)


def financial_year(day: date, start_month: int = 4) -> int:
    """The calendar year in which the financial year holding ``day`` starts."""
    return day.year if day.month >= start_month else day.year - 1


def year_name(first_year: int, start_month: int = 4) -> str:
    return str(first_year) if start_month == 1 else f"{first_year}-{(first_year + 1) % 100:02d}"


def _part(first_year: int, start_month: int, kind: str, number: int) -> Period:
    length = {"quarter": 3, "half": 6, "year": 12}[kind]
    start = _add_months(first_year, start_month, (number - 1) * length)
    after = _add_months(*start, length)
    label = year_name(first_year, start_month)
    name = label if kind == "year" else f"{label} {'Q' if kind == 'quarter' else 'H'}{number}"
    return Period(kind, date(start[0], start[1], 1), _last_day_before(*after), name, start_month)


def quarter(first_year: int, number: int, start_month: int = 4) -> Period:
    """Quarter ``number`` (1 to 4) of the financial year starting in ``first_year``."""
    return _part(first_year, start_month, "quarter", number)


def half(first_year: int, number: int, start_month: int = 4) -> Period:
    return _part(first_year, start_month, "half", number)


def year(first_year: int, start_month: int = 4) -> Period:
    return _part(first_year, start_month, "year", 1)


def month(year_number: int, month_number: int, start_month: int = 4) -> Period:
    after = _add_months(year_number, month_number, 1)
    first = date(year_number, month_number, 1)
    return Period("month", first, _last_day_before(*after), f"{year_number}-{month_number:02d}", start_month)


def custom(first_day: date, last_day: date, start_month: int = 4) -> Period:
    if last_day < first_day:
        raise PeriodError("The end date must be the same as or after the start date")
    return Period("custom", first_day, last_day, dates_text(first_day, last_day), start_month)


def period_containing(day: date, start_month: int = 4, kind: str = "quarter") -> Period:
    """The quarter (or half, year, month) that ``day`` falls in."""
    if kind == "month":
        return month(day.year, day.month, start_month)
    first_year = financial_year(day, start_month)
    months_in = (day.year - first_year) * 12 + day.month - start_month
    length = {"quarter": 3, "half": 6, "year": 12}[kind]
    return _part(first_year, start_month, kind, months_in // length + 1)


def period_for_dates(first_day: date, last_day: date, start_month: int = 4) -> Period:
    """The named period if the dates are exactly one (a quarter, a month...), otherwise custom dates."""
    for kind in ("month", "quarter", "half", "year"):
        candidate = period_containing(first_day, start_month, kind)
        if (candidate.first_day, candidate.last_day) == (first_day, last_day):
            return candidate
    return custom(first_day, last_day, start_month)


_FINANCIAL = re.compile(r"(\d{4})\s*[-/]\s*(\d{2})(?:\s+([qh])\s*(\d))?")
_CALENDAR = re.compile(r"(\d{4})(?:\s+([qh])\s*(\d))?")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_NAME = re.compile(r"([a-z]+)\s+(\d{4})")
EXAMPLES = "2026-27 Q3, 2026-27 H1, 2026-27 or 2026-11"


def parse_period(text: str, start_month: int = 4) -> Period:
    """Read a period name: ``2026-27 Q3``, ``2026-27 H1``, ``2026-27``, ``2026-11`` or ``November 2026``.

    Raises PeriodError with a message that says what to write instead.
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise PeriodError(f"Enter a period, like {EXAMPLES}")
    if start_month != 1 and (match := _FINANCIAL.fullmatch(cleaned)):
        first_year, second, kind, number = match.groups()
        if (int(first_year) + 1) % 100 == int(second):
            return _named_part(int(first_year), kind, number, start_month, text)
    if start_month == 1 and (match := _CALENDAR.fullmatch(cleaned)):
        first_year, kind, number = match.groups()
        return _named_part(int(first_year), kind, number, start_month, text)
    if match := _MONTH.fullmatch(cleaned):
        year_number, month_number = int(match.group(1)), int(match.group(2))
        if 1 <= month_number <= 12:
            return month(_check_year(year_number, text), month_number, start_month)
    if (match := _MONTH_NAME.fullmatch(cleaned)) and match.group(1).capitalize() in MONTHS:
        return month(_check_year(int(match.group(2)), text), MONTHS.index(match.group(1).capitalize()) + 1, start_month)
    raise PeriodError(f"‘{text.strip()}’ is not a period QAF knows: write it like {EXAMPLES}")


def _check_year(year_number: int, text: str) -> int:
    if not 2000 <= year_number <= 2100:
        raise PeriodError(f"‘{text.strip()}’ is not a year QAF reports on: use a year from 2000 to 2100")
    return year_number


def _named_part(first_year: int, kind: str | None, number: str | None, start_month: int, text: str) -> Period:
    _check_year(first_year, text)
    if kind is None:
        return year(first_year, start_month)
    parts = 4 if kind == "q" else 2
    assert number is not None
    if not 1 <= int(number) <= parts:
        letter = kind.upper()
        raise PeriodError(f"‘{text.strip()}’ has no {letter}{number}: a year has {letter}1 to {letter}{parts}")
    return (quarter if kind == "q" else half)(first_year, int(number), start_month)


def parse_date(text: str, what: str) -> date:
    """A YYYY-MM-DD date, or PeriodError naming ``what`` (e.g. "start date")."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"Enter the {what} as YYYY-MM-DD, like 2026-10-01") from None
    _check_year(value.year, text)
    return value


def recent_periods(today: date, start_month: int = 4) -> list[Period]:
    """What a person usually wants to pick: this and recent quarters, halves, years and months."""
    periods: list[Period] = []
    for kind, count in (("quarter", 8), ("half", 4), ("year", 3), ("month", 13)):
        current = period_containing(today, start_month, kind)
        for _ in range(count):
            periods.append(current)
            current = current.previous()
    return periods
