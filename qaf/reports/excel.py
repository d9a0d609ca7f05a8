"""Excel mechanics for the workbook: limits, formats, tables on rows streamed to disk, sheet names.

The workbook is written in xlsxwriter's constant-memory mode: each row goes to a temporary
file as soon as the next one starts, so a county's year of responses never sits in memory.
Every string stays a string: with ``strings_to_formulas`` off, an answer ``=1+1`` is text,
not a formula; ``strings_to_urls`` and ``strings_to_numbers`` off keep links and numbers
typed as words as text too.
"""

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CHARS = 32_767
CUT_MARK = " [cut here: Excel holds 32,767 characters in a cell; the CSV export has the full answer]"
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "d mmm yyyy hh:mm",
}
DATE_FORMAT = "d mmm yyyy"
SHARE_FORMAT = "0.0%"
MEAN_FORMAT = "0.0"
KAPPA_FORMAT = "0.00"
KAPPA_CHANGE_FORMAT = "+0.00;-0.00;0.00"
COUNT_FORMAT = "#,##0"
POINTS_FORMAT = '+0.0" pts";-0.0" pts";0.0" pts"'
CHANGE_FORMAT = "+0.0;-0.0;0.0"
COUNT_CHANGE_FORMAT = "+#,##0;-#,##0;0"
TABLE_STYLE = "Table Style Light 9"
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def fit_text(value: str, facts: "Facts") -> str:
    """Text Excel can hold: longer answers are cut and marked, and counted on the About sheet."""
    if len(value) <= EXCEL_MAX_CHARS // 2:
        return value
    if len(value.encode("utf-16-le")) // 2 <= EXCEL_MAX_CHARS:
        return value
    facts.cut += 1
    keep = EXCEL_MAX_CHARS - len(CUT_MARK)
    while len(value[:keep].encode("utf-16-le")) // 2 > keep:
        keep -= 1
    return value[:keep] + CUT_MARK


class Facts:
    """What happened while writing, reported on the About sheet."""

    def __init__(self) -> None:
        self.cut = 0
        self.continued: list[tuple[str, list[str]]] = []
        self.unmatched = 0


class Formats:
    def __init__(self, book: Workbook):
        add = book.add_format
        self.title = add({"bold": True, "font_size": 16})
        self.heading = add({"bold": True, "font_size": 13})
        self.bold = add({"bold": True})
        self.note = add({"italic": True, "font_color": "#505a5f"})
        self.header = add({"bold": True, "text_wrap": True, "valign": "top"})
        self.date = add({"num_format": DATE_FORMAT})
        self.datetime = add({"num_format": WORKBOOK_OPTIONS["default_date_format"]})
        self.share = add({"num_format": SHARE_FORMAT})
        self.mean = add({"num_format": MEAN_FORMAT})
        self.kappa = add({"num_format": KAPPA_FORMAT})
        self.kappa_change = add({"num_format": KAPPA_CHANGE_FORMAT})
        self.count = add({"num_format": COUNT_FORMAT})
        self.points = add({"num_format": POINTS_FORMAT})
        self.change = add({"num_format": CHANGE_FORMAT})
        self.count_change = add({"num_format": COUNT_CHANGE_FORMAT})
        self.wrap = add({"text_wrap": True, "valign": "top"})

    def for_kind(self, kind: str) -> Format | None:
        return {
            "date": self.date,
            "datetime": self.datetime,
            "share": self.share,
            "mean": self.mean,
            "int": self.count,
            "float": self.mean,
        }.get(kind)


class StreamedSheet(Worksheet):  # type: ignore[misc]
    """A worksheet written row by row to disk that can still end as an Excel table.

    xlsxwriter refuses ``add_table`` in constant-memory mode because a table writes its own
    header cells, and rows already on disk cannot change. Here the header row is written
    first with exactly the table's column names, so the table is declared once the rows are
    written: over two rows (so xlsxwriter's overlap check touches few cells, not millions),
    then widened to the rows written.
    """

    def table_over_rows(self, name: str, first_row: int, last_row: int, headers: Sequence[str]) -> None:
        if last_row <= first_row:
            return
        last_col = len(headers) - 1
        options = {"name": name, "style": TABLE_STYLE, "columns": [{"header": header} for header in headers]}
        self.constant_memory = False
        self._write_string = _written_already
        try:
            result = super().add_table(first_row, 0, first_row + 1, last_col, options)
        finally:
            del self._write_string
            self.constant_memory = True
        if result != 0:
            raise ValueError(f"xlsxwriter could not add the table {name!r} (code {result})")
        table = self.tables[-1]
        full = xl_range(first_row, 0, last_row, last_col)
        table["range"] = table["a_range"] = full
        if table.get("autofilter"):
            table["autofilter"] = full


def _written_already(*_args: Any, **_kwargs: Any) -> int:
    return 0


class Names:
    """Distinct sheet and table names, made safe for Excel."""

    def __init__(self) -> None:
        self.sheets: set[str] = set()
        self.tables: set[str] = set()

    def sheet(self, wanted: str) -> str:
        base = _BAD_SHEET_CHARACTERS.sub("-", wanted).strip("'")[:31] or "Sheet"
        name, number = base, 1
        while name.lower() in self.sheets or name.lower() == "history":
            number += 1
            suffix = f" ({number})"
            name = base[: 31 - len(suffix)] + suffix
        self.sheets.add(name.lower())
        return name

    def table(self, wanted: str) -> str:
        base = "T_" + re.sub(r"[^A-Za-z0-9_]", "_", wanted)[:200]
        name, number = base, 1
        while name.lower() in self.tables:
            number += 1
            name = f"{base}_{number}"
        self.tables.add(name.lower())
        return name


def unique_headers(headers: Sequence[str]) -> list[str]:
    """Excel tables need distinct, non-empty column names, whatever the case."""
    seen: set[str] = set()
    result = []
    for header in headers:
        name = " ".join(header.split()) or "Column"
        candidate, number = name, 1
        while candidate.lower() in seen:
            number += 1
            candidate = f"{name} ({number})"
        seen.add(candidate.lower())
        result.append(candidate)
    return result


class RowSheet:
    """A sheet of rows under a header: an Excel table with filters and a frozen header.

    Row 0 says what the sheet holds (and, for form sheets, which versions asked a question);
    row 1 is the header; rows follow. Past Excel's row limit the rows continue on a new sheet
    named like the first with " (2)", noted on the About sheet.
    """

    def __init__(
        self,
        book: Workbook,
        names: Names,
        formats: Formats,
        facts: Facts,
        sheet_name: str,
        headers: Sequence[str],
        widths: Sequence[float],
        *,
        title: str,
        above_header: Sequence[str] = (),
        date_columns: Sequence[int] = (),
        max_rows: int = EXCEL_MAX_ROWS,
    ):
        self.book, self.names, self.formats, self.facts = book, names, formats, facts
        self.base_name = sheet_name
        self.headers = unique_headers(headers)
        self.widths = widths
        self.title = title
        self.above_header = above_header
        self.date_columns = tuple(date_columns)
        self.rows_per_sheet = max_rows - 2
        self.sheets: list[StreamedSheet] = []
        self.row = 0
        self.written = 0
        self._start_sheet(names.sheet(sheet_name))
        self._write_row = self.sheet.write_row

    @property
    def sheet(self) -> StreamedSheet:
        return self.sheets[-1]

    def _start_sheet(self, name: str) -> None:
        sheet = self.book.add_worksheet(name, worksheet_class=StreamedSheet)
        for column, width in enumerate(self.widths):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(2, 0)
        sheet.write_string(0, 0, self.title, self.formats.bold)
        for column, text in enumerate(self.above_header):
            if text and column:
                sheet.write_string(0, column, text, self.formats.note)
        sheet.set_row(1, 45)
        sheet.write_row(1, 0, self.headers, self.formats.header)
        self.sheets.append(sheet)
        self.row = 2

    def add(self, cells: list[Any], notes: Sequence[int] = ()) -> None:
        """Write a row; the cells in ``notes`` (why a question was not shown) look like the sheet's notes."""
        if self.row - 2 >= self.rows_per_sheet:
            self._end_sheet()
            self._start_sheet(self.names.sheet(f"{self.base_name} ({len(self.sheets) + 1})"))
            self._write_row = self.sheet.write_row
        self._write_row(self.row, 0, cells)
        for column in self.date_columns:
            value = cells[column]
            if isinstance(value, date) and not isinstance(value, datetime):
                self.sheet.write_datetime(self.row, column, value, self.formats.date)
        for column in notes:
            self.sheet.write_string(self.row, column, cells[column], self.formats.note)
        self.row += 1
        self.written += 1

    def _end_sheet(self) -> None:
        self.sheet.table_over_rows(self.names.table(self.sheet.name), 1, self.row - 1, self.headers)

    def finish(self, empty_text: str) -> None:
        if self.written == 0:
            self.sheet.write_string(2, 0, empty_text, self.formats.note)
            return
        self._end_sheet()
        if len(self.sheets) > 1:
            self.facts.continued.append((self.sheets[0].name, [sheet.name for sheet in self.sheets[1:]]))
