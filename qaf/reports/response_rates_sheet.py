"""The workbook's Response rates sheet: the three tables of ``rate_tables``, one under another."""

from qaf.reports.excel import Formats, Names, StreamedSheet
from qaf.reports.response_rates import ResponseRates, rate_tables

RATES_SHEET = "Response rates"
RATES_ABOUT = (
    "Invitations made against answered; partner rounds by type of organisation; staff waves against staff asked."
)
ABOUT = (
    "Invitations: of those made in the period, how many were answered (not which response answered them). "
    "Rounds and waves: every response through each one open in the period, even on days outside it. "
    "A wave's rate is its responses out of the staff asked, as a QA administrator entered it."
)


def write_response_rates(sheet: StreamedSheet, rates: ResponseRates, formats: Formats, names: Names) -> None:
    """Write the tables in order, row by row (the sheet is streamed), each an Excel table."""
    tables = rate_tables(rates)
    for column in range(max(len(table.columns) for table in tables)):
        sheet.set_column(column, column, max(t.columns[column].width for t in tables if column < len(t.columns)))
    sheet.write_string(0, 0, f"Response rates: {rates.period.name} ({rates.period.dates_text})", formats.title)
    sheet.write_string(1, 0, ABOUT, formats.note)
    row = 3
    for table in tables:
        sheet.write_string(row, 0, table.title, formats.heading)
        row += 1
        headers = [column.header for column in table.columns]
        sheet.set_row(row, 30)
        sheet.write_row(row, 0, headers, formats.header)
        header_row = row
        if not table.rows:
            row += 1
            sheet.write_string(row, 0, table.empty_text, formats.note)
        cell_formats = [formats.for_kind(column.kind) for column in table.columns]
        for values in table.rows:
            row += 1
            for column, (value, cell_format) in enumerate(zip(values, cell_formats, strict=True)):
                if isinstance(value, str):
                    sheet.write_string(row, column, value)  # names typed by people: text, never a formula
                elif value is not None:
                    sheet.write(row, column, value, cell_format)
        if table.rows:
            sheet.table_over_rows(names.table(table.name), header_row, row, headers)
        row += 3
