"""The Breakdowns and Equality sheets: one printable table a breakdown, each an Excel table.

Each row is one headline measure for one group: the responses to the forms feeding it, how many
answered its question, and the share positive. Equality answers appear here only, as counts of
groups of 5 or more: never on a row of their own or beside a comment.
"""

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from qaf.reports.excel import Formats, Names, StreamedSheet
from qaf.reports.periods import Period
from qaf.reports.report import SUPPRESSED, Breakdown
from qaf.reports.summary_sheet import Cursor

HEADERS = ("Measure", "Group", "Responses", "Answering", "Positive")
WIDTHS = (44, 36, 12, 12, 12)
BREAKDOWNS_INTRO = (
    "Each headline measure for each group in the period: the responses to the forms that feed it, how many "
    "answered its question, and the share of those answers that were positive. Staff figures from fewer than "
    f"5 responses read ‘{SUPPRESSED}’."
)
EQUALITY_INTRO = (
    "Answers to the optional equality monitoring questions on the family forms (the Public Sector Equality "
    "Duty), with the headline measures for each group. They appear on no other sheet. Groups with fewer than 5 "
    f"responses are counted together as ‘{SUPPRESSED}’."
)


def add_sheets(book: Workbook, names: Names) -> tuple[StreamedSheet, StreamedSheet]:
    """The two sheets, added where the workbook wants them in its order."""
    return (
        book.add_worksheet(names.sheet("Breakdowns"), worksheet_class=StreamedSheet),
        book.add_worksheet(names.sheet("Equality"), worksheet_class=StreamedSheet),
    )


def write_breakdowns(
    sheet: StreamedSheet,
    title: str,
    intro: str,
    tables: Sequence[Breakdown],
    empty_text: str,
    formats: Formats,
    names: Names,
) -> None:
    """A title, a note, then each breakdown under its heading."""
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.fit_to_pages(1, 0)  # printed one page wide, as long as it needs
    cursor = Cursor(sheet, formats, names)
    cursor.text(title, formats.title)
    cursor.text(intro, formats.note)
    cursor.skip()
    if not tables:
        cursor.text(empty_text, formats.note)
        return
    for table in tables:
        cursor.text(table.title, formats.heading)
        cursor.text(table.intro, formats.note)
        first, headers = cursor.header(HEADERS)
        for row in table.rows:
            if row.hidden:
                cursor.line([row.measure, row.group, SUPPRESSED])
                continue
            cursor.line(
                [row.measure, row.group, row.responses, row.answered, row.share],
                [None, None, formats.count, formats.count, formats.share],
            )
        cursor.table(f"{sheet.name} {table.title}", first, headers)
        cursor.skip()


def write_breakdown_sheets(
    sheets: tuple[StreamedSheet, StreamedSheet],
    period: Period,
    tables: Sequence[Breakdown],
    equality: Sequence[Breakdown],
    formats: Formats,
    names: Names,
) -> None:
    write_breakdowns(
        sheets[0],
        f"Breakdowns: {period.name} ({period.dates_text})",
        BREAKDOWNS_INTRO,
        tables,
        "No feedback was given in this period.",
        formats,
        names,
    )
    write_breakdowns(
        sheets[1],
        f"Equality monitoring: {period.name} ({period.dates_text})",
        EQUALITY_INTRO,
        equality,
        "No equality monitoring questions were answered in this period.",
        formats,
        names,
    )
