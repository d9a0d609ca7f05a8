"""The Summary sheet: headline measures with charts, the same by service and team, then each form.

Written top to bottom, one row at a time (the workbook streams every sheet to disk).
"""

from collections.abc import Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from qaf.reports.excel import Formats, Names, StreamedSheet, unique_headers
from qaf.reports.report import (
    FAMILIES_NOT_SURE,
    NOT_SHOWN_SUMMARY,
    SUPPRESSED,
    FormSummary,
    MeasureValue,
    ReportData,
    ScopeMeasures,
)

CHART_GROUPS = ("Feedback", "Staff", "Audits")
NOT_CHARTED = frozenset({FAMILIES_NOT_SURE})  # the chart is of positive answers; "not sure" is neither
CHART_COLUMN = 9  # J: the chart's own copy of the shares it draws, beside the headline table
# Charts are placed by rows of the default height (20 pixels); a taller row only makes a chart cover
# fewer rows, so the second chart, anchored below the first's last row, never overlaps it.
ROW_PIXELS = 20
CHART_GAP_ROWS = 2
ACTIONS_CHART_SIZE = (720, 288)


class Cursor:
    """Writes rows in order, each cell with its own format; None is left blank."""

    def __init__(self, sheet: StreamedSheet, formats: Formats, names: Names):
        self.sheet, self.formats, self.names = sheet, formats, names
        self.row = 0

    def line(self, cells: Sequence[Any], cell_formats: Sequence[Format | None] = (), first: int = 0) -> int:
        for offset, value in enumerate(cells):
            if value is None:
                continue
            cell_format = cell_formats[offset] if offset < len(cell_formats) else None
            if isinstance(value, str):
                self.sheet.write_string(self.row, first + offset, value, cell_format)
            else:
                self.sheet.write_number(self.row, first + offset, value, cell_format)
        self.row += 1
        return self.row - 1

    def text(self, value: str, cell_format: Format | None = None) -> None:
        self.line([value], [cell_format])

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def header(self, headers: Sequence[str]) -> tuple[int, list[str]]:
        names = unique_headers(headers)
        self.sheet.set_row(self.row, 30)
        return self.line(names, [self.formats.header] * len(names)), names

    def table(self, name: str, first: int, headers: list[str]) -> None:
        self.sheet.table_over_rows(self.names.table(name), first, self.row - 1, headers)


def value_cell(value: MeasureValue, current: bool, formats: Formats) -> tuple[Any, Format | None]:
    suppressed = value.current_suppressed if current else value.previous_suppressed
    number = value.current if current else value.previous
    if suppressed:
        return SUPPRESSED, None
    return number, {"share": formats.share, "mean": formats.mean, "count": formats.count, "kappa": formats.kappa}[
        value.unit
    ]


def change_cell(value: MeasureValue, formats: Formats) -> tuple[Any, Format | None]:
    cell_format = {
        "share": formats.points,
        "mean": formats.change,
        "count": formats.count_change,
        "kappa": formats.kappa_change,
    }[value.unit]
    return value.change, cell_format


def measure_cells(value: MeasureValue, formats: Formats) -> tuple[list[Any], list[Format | None]]:
    current, current_format = value_cell(value, True, formats)
    previous, previous_format = value_cell(value, False, formats)
    change, change_format = change_cell(value, formats)
    bases = [value.current_base, value.previous_base] if value.unit != "count" else [None, None]
    note = value.note or ("No data in this period" if value.current is None and not value.current_suppressed else "")
    return (
        [current, previous, change, *bases, note or None],
        [current_format, previous_format, change_format, formats.count, formats.count, None],
    )


def write_summary(book: Workbook, sheet: StreamedSheet, data: ReportData, formats: Formats, names: Names) -> None:
    cursor = Cursor(sheet, formats, names)
    for column, width in enumerate((58, 26, 28, 14, 14, 14, 30, 4, 4, 40, 12, 12)):
        sheet.set_column(column, column, width)
    cursor.text(f"Summary: {data.period.name}", formats.title)
    cursor.text(
        f"{data.period.dates_text}, compared with {data.previous.name} ({data.previous.dates_text}). "
        "Every service and team.",
        formats.note,
    )
    cursor.skip()
    if not data.total:
        cursor.text(f"There are no responses or audits in {data.period.name}.", formats.heading)
        cursor.skip()
    _headline(book, cursor, data.headline)
    _by_scope(cursor, "Headline measures by service", "ByService", data.by_service, with_team=False)
    _by_scope(cursor, "Headline measures by team", "ByTeam", data.by_team, with_team=True)
    for summary in data.summaries:
        _form(cursor, summary)


def _headline(book: Workbook, cursor: Cursor, scope: ScopeMeasures) -> None:
    formats = cursor.formats
    cursor.text("Headline measures", formats.heading)
    headers = ["Measure", "This period", "Previous period", "Change", "Based on", "Based on (previous)", "Notes"]
    first, names = cursor.header(headers)
    chart_rows: list[int] = []
    action_rows: list[int] = []
    # The chart draws the shares from its own copy beside the table, where a hidden figure is a gap, not 0.
    charted = [
        value
        for value in scope.measures
        if value.unit == "share" and value.group in CHART_GROUPS and value.key not in NOT_CHARTED
    ]
    if charted:
        cursor.sheet.write_row(first, CHART_COLUMN, ["Chart: shares", "This period", "Previous"], formats.header)
    for index, value in enumerate(scope.measures):
        cells, cell_formats = measure_cells(value, formats)
        row = cursor.line([value.name, *cells], [None, *cell_formats])
        if value.group == "Actions":
            action_rows.append(row)
        if index < len(charted):
            shown = charted[index]
            cursor.sheet.write_string(row, CHART_COLUMN, shown.name)
            for offset, (number, hidden) in enumerate(
                ((shown.current, shown.current_suppressed), (shown.previous, shown.previous_suppressed)), start=1
            ):
                if number is not None and not hidden:
                    cursor.sheet.write_number(row, CHART_COLUMN + offset, number, formats.share)
            chart_rows.append(row)
    cursor.table("Headline", first, names)
    _charts(book, cursor, chart_rows, action_rows, first)
    cursor.skip()


def chart_rows_needed(height: int) -> int:
    """How many rows of the default height a chart of ``height`` pixels covers, at most."""
    return -(-height // ROW_PIXELS)


def _charts(book: Workbook, cursor: Cursor, chart_rows: list[int], action_rows: list[int], top: int) -> None:
    sheet = cursor.sheet
    next_top = top
    if chart_rows:
        chart = book.add_chart({"type": "bar"})
        first, last = chart_rows[0], chart_rows[-1]
        for column, name in ((CHART_COLUMN + 1, "This period"), (CHART_COLUMN + 2, "Previous period")):
            chart.add_series(
                {
                    "name": name,
                    "categories": [sheet.name, first, CHART_COLUMN, last, CHART_COLUMN],
                    "values": [sheet.name, first, column, last, column],
                    "data_labels": {"value": True, "num_format": "0%"},
                }
            )
        chart.set_title({"name": "Positive answers and good audits: this period and the previous one"})
        chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        height = 120 + 40 * len(chart_rows)
        chart.set_size({"width": 720, "height": height})
        sheet.insert_chart(top, CHART_COLUMN + 4, chart)
        next_top = top + chart_rows_needed(height) + CHART_GAP_ROWS
    if action_rows:
        chart = book.add_chart({"type": "column"})
        first, last = action_rows[0], action_rows[-1]
        for column, name in ((1, "This period"), (2, "Previous period")):
            chart.add_series(
                {
                    "name": name,
                    "categories": [sheet.name, first, 0, last, 0],
                    "values": [sheet.name, first, column, last, column],
                    "data_labels": {"value": True},
                }
            )
        chart.set_title({"name": "Actions"})
        chart.set_legend({"position": "bottom"})
        width, height = ACTIONS_CHART_SIZE
        chart.set_size({"width": width, "height": height})
        sheet.insert_chart(next_top, CHART_COLUMN + 4, chart)


def _by_scope(cursor: Cursor, title: str, name: str, scopes: list[ScopeMeasures], *, with_team: bool) -> None:
    formats = cursor.formats
    cursor.text(title, formats.heading)
    if not scopes:
        cursor.text("Nothing to show for this period.", formats.note)
        cursor.skip()
        return
    lead = ["Service", "Team"] if with_team else ["Service"]
    # The measure first: the sheet's widest column holds the longest words.
    first, names = cursor.header(["Measure", *lead, "This period", "Previous period", "Change", "Based on"])
    for scope in scopes:
        for value in scope.measures:
            if value.group == "Standards":
                continue
            current, current_format = value_cell(value, True, formats)
            previous, previous_format = value_cell(value, False, formats)
            change, change_format = change_cell(value, formats)
            lead_cells = [scope.service, scope.team] if with_team else [scope.service]
            base = value.current_base if value.unit != "count" else None
            cursor.line(
                [value.name, *lead_cells, current, previous, change, base],
                [None, *([None] * len(lead_cells)), current_format, previous_format, change_format, formats.count],
            )
    cursor.table(name, first, names)
    cursor.skip()


def _form(cursor: Cursor, summary: FormSummary) -> None:
    formats = cursor.formats
    cursor.text(f"{summary.title} ({summary.key})", formats.heading)
    cursor.text(
        f"{summary.current:,} {summary.noun} this period; {summary.previous:,} in the previous period.", formats.note
    )
    shares = list(summary.positive_questions)
    first, names = cursor.header(
        ["Service", "Team", "This period", "Previous period", "Change", *(f"Positive: {label}" for label in shares)]
    )
    for team in summary.by_team:
        change = team.current - team.previous if team.current is not None and team.previous is not None else None
        cursor.line(
            [
                team.service or None,
                team.team,
                SUPPRESSED if team.current is None else team.current,
                SUPPRESSED if team.previous is None else team.previous,
                change,
                *(team.shares if team.current is not None else [SUPPRESSED] * len(team.shares)),
            ],
            [None, None, formats.count, formats.count, formats.count_change, *[formats.share] * len(shares)],
        )
    cursor.table(f"Teams_{summary.key}", first, names)
    cursor.skip()
    if not summary.questions:
        if summary.suppressed and summary.current:
            cursor.text("Fewer than 5 responses this period: the answers are not shown.", formats.note)
            cursor.skip()
        return
    first, names = cursor.header(["Question", "Answer", "This period", "Share", "Previous period", "Previous share"])
    count_formats = [None, None, formats.count, formats.share, formats.count, formats.share]
    for question in summary.questions:
        for option in question.options:
            cursor.line(
                [
                    question.label,
                    option.label,
                    option.current,
                    option.current_share,
                    option.previous,
                    option.previous_share,
                ],
                count_formats,
            )
        if question.positive_labels:
            cursor.line(
                [
                    question.label,
                    "Positive: " + "; ".join(question.positive_labels),
                    None,
                    question.positive,
                    None,
                    question.previous_positive,
                ],
                count_formats,
            )
        if question.mean is not None or question.previous_mean is not None:
            cursor.line(
                [question.label, "Mean", question.mean, None, question.previous_mean, None],
                [None, None, formats.mean, None, formats.mean, None],
            )
        cursor.line(
            [question.label, "Answered", question.answered, None, question.previous_answered, None], count_formats
        )
        if question.can_be_hidden:
            # Apart: shown the question and gave no answer, and not shown it at all (and why).
            cursor.line(
                [question.label, "Not answered", question.not_answered, None, question.previous_not_answered, None],
                count_formats,
            )
            for reason, current, previous in question.not_shown:
                cursor.line([question.label, reason, current, None, previous, None], count_formats)
    cursor.table(f"Answers_{summary.key}", first, names)
    if any(question.can_be_hidden for question in summary.questions):
        for note in NOT_SHOWN_SUMMARY:
            cursor.text(note, formats.note)
    cursor.skip()
    if summary.changes:
        first, names = cursor.header(["Change from start to now", "This period", "Previous period"])
        for scale in summary.changes:
            cursor.line([scale.label, scale.current, scale.previous], [None, formats.change, formats.change])
        cursor.table(f"Changes_{summary.key}", first, names)
        cursor.skip()
