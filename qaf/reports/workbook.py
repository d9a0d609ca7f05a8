"""The collated workbook: About, Summary, a sheet per form, Comments, Audits, Standards, Actions,
Complaints and compliments, Unmatched.

Plain Python, no Flask and no database: ``build_workbook`` writes what ``ReportData``
holds, so the command line, the download button and the benchmark make the same file.
Rows are streamed from ``FormData.rows`` straight to disk (constant memory).
"""

import json
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from xlsxwriter.workbook import Workbook

from qaf.formspec.conditions import can_be_hidden
from qaf.reports.breakdown_sheet import add_sheets, write_breakdown_sheets
from qaf.reports.columns import (
    CHOICE,
    TEXT,
    CellPlan,
    QuestionColumn,
    cell_plan,
    cell_value,
    mark_not_shown,
    merge_columns,
)
from qaf.reports.complaints_sheet import write_complaints
from qaf.reports.excel import (
    EXCEL_MAX_ROWS,
    WORKBOOK_OPTIONS,
    Facts,
    Formats,
    Names,
    RowSheet,
    StreamedSheet,
    fit_text,
)
from qaf.reports.periods import Period
from qaf.reports.report import (
    COMMON_CONTEXT,
    NOT_SHOWN_TEXT,
    STANDARDS_NOT_APPLICABLE_TEXT,
    SUPPRESSED,
    FormData,
    ReportData,
    Table,
)
from qaf.reports.response_rates_sheet import RATES_ABOUT, RATES_SHEET, write_response_rates
from qaf.reports.summary_sheet import write_summary
from qaf.suppression import SMALLEST_GROUP

COMMENT_HEADERS = ("Form", "Question", "Comment", "Team", "Service", "Submitted", "ID", "Theme")
COMMENT_WIDTHS = (30, 40, 70, 28, 24, 17, 9, 20)
UNMATCHED_HEADERS = ("Form", "Version", "ID", "Submitted", "Question key", "Answer", "Why it is here")
UNMATCHED_WIDTHS = (24, 10, 9, 17, 24, 50, 50)


def build_workbook(
    period: Period, data: ReportData, out: BinaryIO | str | Path | None = None, *, max_rows: int = EXCEL_MAX_ROWS
) -> bytes | None:
    """Write the workbook for ``period`` to ``out`` (a path or binary stream), or return its bytes.

    ``data`` must have been gathered for the same period. ``max_rows`` is Excel's row limit,
    lowered only by tests of what happens past it.
    """
    if data.period != period:
        raise ValueError(f"the data is for {data.period.name}, not {period.name}")
    target: BinaryIO | str = BytesIO() if out is None else (str(out) if isinstance(out, Path) else out)
    book = Workbook(target, WORKBOOK_OPTIONS)
    book.set_properties(
        {
            "title": f"Quality assurance report, {period.name}",
            "subject": period.dates_text,
            "author": data.made_by,
            "comments": "Made by QAF",
        }
    )
    formats, names, facts = Formats(book), Names(), Facts()
    about = book.add_worksheet(names.sheet("About"), worksheet_class=StreamedSheet)
    summary = book.add_worksheet(names.sheet("Summary"), worksheet_class=StreamedSheet)
    breakdown_sheets = add_sheets(book, names)
    form_sheets = [_form_sheet(book, names, formats, facts, form, period, max_rows) for form in data.forms]
    comments = RowSheet(
        book,
        names,
        formats,
        facts,
        "Comments",
        COMMENT_HEADERS,
        COMMENT_WIDTHS,
        title=f"Every free-text answer in {period.name}, for theming",
        date_columns=(COMMENT_HEADERS.index("Submitted"),),  # staff comments carry a date only
        max_rows=max_rows,
    )
    tables = [
        (table, book.add_worksheet(names.sheet(table.name), worksheet_class=StreamedSheet))
        for table in (
            data.audits,
            data.standards,
            data.actions,
        )
    ]
    complaints = book.add_worksheet(names.sheet("Complaints and compliments"), worksheet_class=StreamedSheet)
    rates = (
        None
        if data.response_rates is None
        else book.add_worksheet(names.sheet(RATES_SHEET), worksheet_class=StreamedSheet)
    )
    unmatched = RowSheet(
        book,
        names,
        formats,
        facts,
        "Unmatched",
        UNMATCHED_HEADERS,
        UNMATCHED_WIDTHS,
        title="Responses and answers that do not match their form version: kept here, never dropped",
        date_columns=(UNMATCHED_HEADERS.index("Submitted"),),
        max_rows=max_rows,
    )

    for form, (sheet, columns, plans) in zip(data.forms, form_sheets, strict=True):
        _write_form_rows(form, sheet, columns, plans, comments, unmatched, facts)
        sheet.finish(_held_back_text(form) if form.held_back == form.count else f"No {form.noun} in this period.")
    comments.finish("There are no free-text answers in this period.")
    unmatched.finish("Nothing unmatched: every response and answer matched its form version.")
    facts.unmatched = unmatched.written
    for table, sheet in tables:
        write_table(sheet, table, formats, names)
    write_complaints(complaints, data.complaints, period, data.previous, formats, names)
    if rates is not None and data.response_rates is not None:
        write_response_rates(rates, data.response_rates, formats, names)
    write_summary(book, summary, data, formats, names)
    write_breakdown_sheets(breakdown_sheets, period, data.breakdowns, data.equality, formats, names)
    summary.activate()
    write_about(about, data, formats, names, facts, [sheet.sheets[0].name for sheet, _c, _p in form_sheets])
    book.close()
    return target.getvalue() if isinstance(target, BytesIO) else None


def _form_sheet(
    book: Workbook, names: Names, formats: Formats, facts: Facts, form: FormData, period: Period, max_rows: int
) -> tuple[RowSheet, list[QuestionColumn], dict[int, CellPlan]]:
    columns = merge_columns(form.versions)
    context = [*COMMON_CONTEXT, *(column.header for column in form.extra_context)]
    first = len(context)
    plans = {version.id: cell_plan(version, columns, first) for version in form.versions}
    widths = [9, 17, 28, 24, *(column.width for column in form.extra_context), *(column.width for column in columns)]
    versions = ", ".join(version.label for version in reversed(form.versions))
    noun = form.noun if form.count != 1 else form.noun[:-1]
    title = f"{form.title}: {form.count:,} {noun}, {period.dates_text} (version {versions})"
    if form.held_back:
        title += f"; {form.held_back:,} not shown: in groups under {SMALLEST_GROUP} (see About)"
    sheet = RowSheet(
        book,
        names,
        formats,
        facts,
        form.key,
        [*context, *(column.header for column in columns)],
        widths,
        title=title,
        above_header=["", *[""] * (first - 1), *(column.asked_in_text for column in columns)],
        date_columns=[
            *((COMMON_CONTEXT.index("Submitted"),) if form.is_staff else ()),
            *(first + number for number, column in enumerate(columns) if column.type == "date"),
        ],
        max_rows=max_rows,
    )
    return sheet, columns, plans


def _write_form_rows(
    form: FormData,
    sheet: RowSheet,
    columns: list[QuestionColumn],
    plans: dict[int, CellPlan],
    comments: RowSheet,
    unmatched: RowSheet,
    facts: Facts,
) -> None:
    # The hot loop of the export: one pass a response, so it keeps to plain lookups.
    blank: list[Any] = [None] * len(columns)
    labels = {version.id: version.label for version in form.versions}
    add_row, add_comment = sheet.add, comments.add
    for source in form.rows():
        version_id, answers, context = source[0], source[1] or {}, source[2:]
        response_id, submitted, team, service = context[0], context[1], context[2], context[3]
        plan = plans.get(version_id)
        if plan is None:
            unmatched.add(
                [
                    form.key,
                    context[-1],
                    response_id,
                    submitted,
                    "",
                    fit_text(json.dumps(answers, ensure_ascii=False), facts),
                    "The stored definition of this form version could not be read, so its answers are shown as stored.",
                ]
            )
            continue
        cells = [*context, *blank]
        matched = 0
        for column, question_id, kind, option_labels in plan.positions:
            value = answers.get(question_id)
            if value is None:
                continue
            matched += 1
            if kind == CHOICE and value.__class__ is str:
                cells[column] = option_labels.get(value, value)
                continue
            cell = cell_value(kind, option_labels, value)
            if kind == TEXT and cell is not None:
                cell = fit_text(cell, facts)
                add_comment([form.title, plan.labels[question_id], cell, team, service, submitted, response_id])
            cells[column] = cell
        if plan.spec is None:
            add_row(cells)
        else:
            add_row(cells, mark_not_shown(plan, answers, form.stage_of(source), cells))
        if len(answers) == matched:
            continue
        for key in answers.keys() - plan.known_ids:
            unmatched.add(
                [
                    form.key,
                    labels.get(version_id, ""),
                    response_id,
                    submitted,
                    key,
                    fit_text(_as_text(answers[key]), facts),
                    f"Not a question in version {labels.get(version_id, '')} of this form.",
                ]
            )


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def write_table(sheet: StreamedSheet, table: Table, formats: Formats, names: Names) -> None:
    """A plain table sheet (Audits, Standards, Actions): a title, a header, rows, an Excel table."""
    for column, spec in enumerate(table.columns):
        sheet.set_column(column, column, spec.width)
    sheet.write_string(0, 0, table.title, formats.bold)
    if table.intro:
        sheet.write_string(0, 4, table.intro, formats.note)
    sheet.freeze_panes(2, 0)
    headers = [column.header for column in table.columns]
    sheet.set_row(1, 45)
    sheet.write_row(1, 0, headers, formats.header)
    if not table.rows:
        sheet.write_string(2, 0, table.empty_text, formats.note)
        return
    cell_formats = [formats.for_kind(column.kind) for column in table.columns]
    free_text = [index for index, column in enumerate(table.columns) if column.kind == "free_text"]
    facts = Facts()
    for number, row in enumerate(table.rows, start=2):
        values = list(row)
        for index in free_text:
            if isinstance(values[index], str):
                values[index] = fit_text(values[index], facts)
        _write_cells(sheet, number, values, cell_formats)
    sheet.table_over_rows(names.table(table.name), 1, len(table.rows) + 1, headers)


def _write_cells(sheet: StreamedSheet, row: int, values: Sequence[Any], cell_formats: Sequence[Any]) -> None:
    for column, (value, cell_format) in enumerate(zip(values, cell_formats, strict=True)):
        if value is None:
            continue
        if isinstance(value, str):
            sheet.write_string(row, column, value)
        else:
            sheet.write(row, column, value, cell_format)


def write_about(
    sheet: StreamedSheet, data: ReportData, formats: Formats, names: Names, facts: Facts, form_sheets: list[str]
) -> None:
    period, previous = data.period, data.previous
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
    sheet.set_column(2, 4, 16)
    rows: list[tuple[str, str]] = [
        ("Period", f"{period.name}: {period.dates_text}"),
        ("Compared with", f"{previous.name}: {previous.dates_text}"),
        (
            "Made",
            f"{data.made_at.day} {data.made_at:%B %Y} at {data.made_at:%H:%M} by {data.made_by}",
        ),
        ("Covers", "Every service and team"),
        ("Responses", f"{sum(form.count for form in data.forms if not form.is_audit):,}"),
        ("Audits", f"{sum(form.count for form in data.forms if form.is_audit):,}"),
        (
            "Dates and times",
            "Periods are dates in England. A response sent at 23:59 on the last day of the period is in it; one "
            "sent at 00:00 the next day is not. Times in this workbook are UK times (GMT or BST).",
        ),
    ]
    row = 0
    sheet.write_string(row, 0, f"Quality assurance report: {period.name}", formats.title)
    row += 2
    if not data.total:
        sheet.write_string(row, 0, f"There are no responses or audits in {period.name}.", formats.heading)
        row += 2
    for label, text in rows:
        sheet.write_string(row, 0, label, formats.bold)
        sheet.write_string(row, 1, text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Sheets", formats.heading)
    row += 1
    sheets = [
        ("About", "This sheet: the period, the forms and versions included, and what every measure means."),
        (
            "Summary",
            "The headline measures with the previous period and the change, by service and team; each "
            "form's responses by team and how each question was answered.",
        ),
        ("Breakdowns", "The headline measures by stage, round or wave, partner agency type, district and respondent."),
        ("Equality", "The headline measures by the answers to the optional equality monitoring questions."),
        *(
            (name, "One row a response (or audit), one column a question, across all the form's versions.")
            for name in form_sheets
        ),
        ("Comments", "Every free-text answer, with its form, question, team and date, for theming."),
        ("Audits", "One row an audit submitted in the period, with grades, moderation and scaling."),
        ("Standards", "For each quality standard, the share met, partly met and not met."),
        ("Actions", "Every action raised in the period or open during it, with days overdue."),
        (
            "Complaints and compliments",
            "Counts by kind, theme, outcome and team, then each one received in the period with what was learnt.",
        ),
        *([(RATES_SHEET, RATES_ABOUT)] if data.response_rates is not None else []),
        ("Unmatched", "Anything that did not match its form version, so nothing is ever dropped."),
    ]
    for name, text in sheets:
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Forms and versions included", formats.heading)
    row += 1
    headers = ["Form", "Title", "Version", "First used", "Responses or audits"]
    sheet.write_row(row, 0, headers, formats.header)
    first = row
    for version in data.versions:
        row += 1
        sheet.write_string(row, 0, version.form_key)
        sheet.write_string(row, 1, version.title + ("" if version.spec else " (stored definition unreadable)"))
        sheet.write_string(row, 2, version.label)
        sheet.write_datetime(row, 3, version.first_seen_at, formats.datetime)
        sheet.write_number(row, 4, data.version_counts.get(version.id, 0), formats.count)
    if data.versions:
        sheet.table_over_rows(names.table("Versions"), first, row, headers)
    else:
        row += 1
        sheet.write_string(row, 0, "No forms were answered in this period.", formats.note)
    row += 2
    sheet.write_string(row, 0, "Measures", formats.heading)
    row += 1
    sheet.write_row(row, 0, ["Measure", "What it means"], formats.header)
    first = row
    for name, text in data.definitions:
        row += 1
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, text, formats.wrap)
    sheet.table_over_rows(names.table("Measures"), first, row, ["Measure", "What it means"])
    row += 2
    sheet.write_string(row, 0, "Notes", formats.heading)
    for note in _notes(data, facts):
        row += 1
        sheet.write_string(row, 0, "•")
        sheet.write_string(row, 1, note, formats.wrap)


def _held_back_text(form: FormData) -> str:
    return (
        f"The {form.count:,} {form.noun} of this period are not shown: they are in groups under {SMALLEST_GROUP} "
        "(see About)."
    )


def staff_notes(data: ReportData) -> list[str]:
    """What the About sheet says was held back of staff answers, and why: counts only, never which."""
    notes = [
        f"Staff answers (supervision, training, the staff survey) are never shown for a group under {SMALLEST_GROUP}. "
        "A group is the responses to one staff form in the period from the same team, giving the same role and "
        f"in the same wave; a form with fewer than {SMALLEST_GROUP} responses in the period is one small group. "
        "A small group's answers and comments are left off its form's sheet, the Comments sheet and the CSV "
        f"file; figures from fewer than {SMALLEST_GROUP} responses read ‘{SUPPRESSED}’. Where fewer than "
        f"{SMALLEST_GROUP} would be held back within a team, a service, a role, a wave or the whole form (so "
        "its total less the rows shown would give them away), the next smallest groups are held back too. "
        "Staff answers carry the date they were sent, not the time."
    ]
    held = [form for form in data.forms if form.held_back]
    if held:
        counts = "; ".join(f"{form.title}: {form.held_back:,} of {form.count:,}" for form in held)
        notes.append(f"Staff responses held back this period, for those reasons: {counts}.")
    return notes


def _notes(data: ReportData, facts: Facts) -> list[str]:
    notes = [
        *staff_notes(data),
        "Columns follow the newest version of each form; questions only older versions asked come after, marked "
        "above their heading. Each answer shows the option wording of the version it was given against.",
        "Free text is written as text: an answer starting with = + - or @ is never a formula or a link.",
        "Answers to the optional equality monitoring questions are on the Equality sheet only, as counts of groups "
        f"of 5 or more (smaller groups together, as ‘{SUPPRESSED}’): never on a form's sheet, beside a comment or "
        "in a CSV file.",
    ]
    specs = [version.spec for version in data.versions if version.spec is not None]
    if any(can_be_hidden(spec) for spec in specs):
        notes.append(NOT_SHOWN_TEXT)
    if any(section.may_not_apply for spec in specs for section in spec.sections):
        notes.append(STANDARDS_NOT_APPLICABLE_TEXT)
    if facts.cut:
        notes.append(
            f"{facts.cut} answer(s) longer than Excel's 32,767 characters a cell were cut and marked; the CSV "
            "export has them in full."
        )
    for first, more in facts.continued:
        notes.append(f"‘{first}’ has more rows than Excel allows on one sheet: it continues on {', '.join(more)}.")
    if facts.unmatched:
        notes.append(f"{facts.unmatched} row(s) are on the Unmatched sheet: see why there.")
    for version in data.unreadable_versions:
        notes.append(
            f"The stored definition of {version.form_key} version {version.label} could not be read: its responses "
            "are on the Unmatched sheet with their answers as stored."
        )
    return notes + data.notes
