"""One CSV file a form, for people who load the data elsewhere: the form sheet's rows, in full.

Spreadsheet programs run a CSV cell that starts with = + - @ (or a tab or carriage return)
as a formula (OWASP "CSV injection"), so such text cells start with an apostrophe. Some also
read the full-width forms (＝ ＋ － ＠, typed on Japanese and Chinese keyboards) as the
ASCII ones, and skip spaces before them, so those count too. Answers
are never cut here; anything that does not match its form version goes, as JSON, in the
last column rather than being dropped.
"""

import csv
import json
from datetime import date, datetime
from typing import Any, TextIO

from qaf.reports.columns import cell_plan, cell_value, mark_not_shown, merge_columns
from qaf.reports.report import COMMON_CONTEXT, FormData

# The ASCII characters a formula starts with, and their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20).
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
UNMATCHED_HEADER = "Answers not matching the form version (JSON)"


def safe_cell(value: Any) -> Any:
    """A value as CSV text: numbers as they are, times in ISO form, text defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return value


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet might run ``text`` as a formula: a formula start, maybe after spaces, or a tab or CR."""
    return text.startswith(("\t", "\r")) or text.lstrip().startswith(FORMULA_STARTS)


def write_form_csv(form: FormData, stream: TextIO) -> int:
    """Write the form's rows as CSV to ``stream``; returns the number of rows."""
    columns = merge_columns(form.versions)
    context = [*COMMON_CONTEXT, *(column.header for column in form.extra_context)]
    plans = {version.id: cell_plan(version, columns, len(context)) for version in form.versions}
    writer = csv.writer(stream)
    writer.writerow([safe_cell(header) for header in [*context, *(c.header for c in columns), UNMATCHED_HEADER]])
    rows = 0
    for source in form.rows():
        version_id, answers, context_values = source[0], source[1] or {}, source[2:]
        cells: list[Any] = [*context_values, *[None] * len(columns), None]
        plan = plans.get(version_id)
        if plan is None:
            cells[-1] = json.dumps(answers, ensure_ascii=False)
        else:
            for column, question_id, kind, labels in plan.positions:
                value = answers.get(question_id)
                if value is not None:
                    cells[column] = cell_value(kind, labels, value)
            mark_not_shown(plan, answers, form.stage_of(source), cells)
            unmatched = {key: answers[key] for key in answers.keys() - plan.known_ids}
            if unmatched:
                cells[-1] = json.dumps(unmatched, ensure_ascii=False, sort_keys=True)
        writer.writerow([safe_cell(cell) for cell in cells])
        rows += 1
    return rows
