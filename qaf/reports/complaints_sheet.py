"""The "Complaints and compliments" sheet: counts by kind, theme, outcome and team, then each one with its learning.

Plain Python like the rest of the workbook. The learning is people's words: written as text,
never a formula, and cut where Excel cannot hold it.
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

from qaf.reports.excel import Facts, Formats, Names, StreamedSheet, fit_text
from qaf.reports.periods import Period
from qaf.reports.report import ComplaintsData

SHEET_NAME = "Complaints and compliments"
COMPLAINT, COMPLIMENT = "Complaint", "Compliment"
ROW_HEADERS = ("ID", "Received", "Kind", "Team", "Service", "Theme", "Outcome", "What was learnt")
WIDTHS = (9, 12, 14, 28, 24, 36, 30, 80)


class _Writer:
    """Rows written down the sheet one after another, as constant-memory mode needs."""

    def __init__(self, sheet: StreamedSheet, formats: Formats, names: Names):
        self.sheet, self.formats, self.names = sheet, formats, names
        self.row = 0

    def text(self, text: str, cell_format: Any = None) -> None:
        self.sheet.write_string(self.row, 0, text, cell_format)
        self.row += 1

    def table(self, name: str, heading: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """A heading, then a header and its rows as an Excel table; strings stay strings."""
        self.row += 1
        self.text(heading, self.formats.heading)
        first = self.row
        self.sheet.write_row(self.row, 0, list(headers), self.formats.header)
        for values in rows:
            self.row += 1
            for column, value in enumerate(values):
                if isinstance(value, str):
                    self.sheet.write_string(self.row, column, value)
                elif value is not None:
                    self.sheet.write(self.row, column, value, self._format(value))
        if rows:
            self.sheet.table_over_rows(self.names.table(name), first, self.row, list(headers))
        self.row += 1

    def _format(self, value: Any) -> Any:
        return self.formats.count if isinstance(value, int) else self.formats.date


def _by_kind(data: ComplaintsData, key: Any, labels: Sequence[str]) -> list[list[Any]]:
    counts = Counter((key(row), row.kind) for row in data.rows)
    return [[label, *_kind_counts(counts, label)] for label in labels]


def _kind_counts(counts: Counter[Any], *key: str) -> list[int]:
    """Complaints, compliments and both, for one theme or team."""
    complaints, compliments = counts[(*key, COMPLAINT)], counts[(*key, COMPLIMENT)]
    return [complaints, compliments, complaints + compliments]


def write_complaints(
    sheet: StreamedSheet, data: ComplaintsData, period: Period, previous: Period, formats: Formats, names: Names
) -> None:
    """Write the sheet for ``period`` (compared, by kind, with ``previous``)."""
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    writer = _Writer(sheet, formats, names)
    writer.text(f"Complaints and compliments received in {period.name} ({period.dates_text})", formats.bold)
    writer.text(
        "Logged by the teams and the QA team as feedback, with what was learnt (Kent SCS section 4; seed 004, 3.6). "
        "Nobody is named.",
        formats.note,
    )
    kinds = Counter(row.kind for row in data.rows)
    writer.table(
        "Complaints_by_kind",
        "By kind",
        ("Kind", period.name, previous.name),
        [[kind, kinds[kind], before] for kind, before in zip(data.kinds, data.previous, strict=True)],
    )
    writer.table(
        "Complaints_by_theme",
        "By theme",
        ("Theme", "Complaints", "Compliments", "Total"),
        _by_kind(data, lambda row: row.theme, data.themes),
    )
    outcomes = Counter(row.outcome for row in data.rows if row.kind == COMPLAINT)
    writer.table(
        "Complaints_by_outcome",
        "Outcomes of complaints",
        ("Outcome", "Complaints"),
        [[outcome, outcomes[outcome]] for outcome in data.outcomes],
    )
    teams = sorted({(row.service, row.team) for row in data.rows})
    by_team = Counter((row.service, row.team, row.kind) for row in data.rows)
    writer.table(
        "Complaints_by_team",
        "By team",
        ("Service", "Team", "Complaints", "Compliments", "Total"),
        [[service, team, *_kind_counts(by_team, service, team)] for service, team in teams],
    )
    facts = Facts()
    writer.table(
        "Complaints_and_compliments",
        "Each complaint and compliment",
        ROW_HEADERS,
        [
            [row.id, row.received_on, row.kind, row.team, row.service, row.theme, row.outcome or None]
            + [fit_text(row.learning, facts) if row.learning else None]
            for row in data.rows
        ],
    )
    if not data.rows:
        writer.text(f"No complaints or compliments were received in {period.name}.", formats.note)
