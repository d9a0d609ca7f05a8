"""Measures as people read them on the pages: the same numbers as the workbook, formatted alike."""

from qaf.reports.report import SUPPRESSED, MeasureValue

NO_DATA = "No data"
# Kappa with pairs to count but every grade the same: chance agreement is certain.
NOT_DEFINED = "Not defined"


def number_text(number: float | None, unit: str) -> str:
    if number is None:
        return NO_DATA
    if unit == "share":
        return f"{number * 100:.1f}%"
    if unit == "mean":
        return f"{number:.1f}"
    if unit == "kappa":
        return f"{number:.2f}".replace("-", "−")
    return f"{int(number):,}"


def value_text(value: MeasureValue, current: bool = True) -> str:
    """This period's (or the previous period's) figure: a share, a mean or a count."""
    if value.current_suppressed if current else value.previous_suppressed:
        return SUPPRESSED
    number = value.current if current else value.previous
    if number is None and value.unit == "kappa" and (value.current_base if current else value.previous_base):
        return NOT_DEFINED
    return number_text(number, value.unit)


def change_text(value: MeasureValue) -> str:
    """The change since the previous period: percentage points for shares."""
    change = value.change
    if change is None:
        return ""
    sign = "+" if change > 0 else ("−" if change < 0 else "")
    size = abs(change)
    if value.unit == "share":
        return f"{sign}{size:.1f} percentage points"
    if value.unit == "mean":
        return f"{sign}{size:.1f}"
    if value.unit == "kappa":
        return f"{sign}{size:.2f}"
    return f"{sign}{int(size):,}"


def base_text(value: MeasureValue, current: bool = True) -> str:
    """What a share or mean rests on, e.g. "from 230 answers"."""
    if value.unit == "count":
        return ""
    base = value.current_base if current else value.previous_base
    return f"{base:,}" if base else ""
