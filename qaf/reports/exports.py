"""Exports for the command line and the download buttons: the workbook and the CSV files.

Every export is written to the audit log: who, when, which period, how many rows.
"""

import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from qaf.reports.collect import collect_forms, collect_report, record_export
from qaf.reports.csv_export import write_form_csv
from qaf.reports.periods import Period, PeriodError, parse_date, parse_period, period_for_dates
from qaf.reports.report import ReportData
from qaf.reports.workbook import build_workbook


def period_from(name: str, start: str, end: str, start_month: int) -> Period:
    """A period from a name (``2026-27 Q3``) or from first and last dates; PeriodError if neither works."""
    if name.strip() and (start.strip() or end.strip()):
        raise PeriodError("Give a period name or start and end dates, not both")
    if start.strip() or end.strip():
        if not (start.strip() and end.strip()):
            raise PeriodError("Give both a start date and an end date, as YYYY-MM-DD")
        return period_for_dates(parse_date(start, "start date"), parse_date(end, "end date"), start_month)
    return parse_period(name, start_month)


@dataclass(frozen=True)
class Exported:
    data: ReportData
    description: str


def _describe(data: ReportData, where: str) -> str:
    responses = sum(form.count for form in data.forms if not form.is_audit)
    audits = sum(form.count for form in data.forms if form.is_audit)
    counted = ", ".join(_many(number, noun) for number, noun in ((responses, "response"), (audits, "audit")))
    actions = _many(len(data.actions.rows), "action")
    return f"Workbook for {data.period.name} ({data.period.dates_text}): {counted}, {actions}; {where}"


def _many(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def export_workbook_file(
    period: Period, out: Path, *, made_by: str, actor_email: str = "", today: date | None = None
) -> Exported:
    """Write the workbook to ``out`` (whole or not at all: a temporary file is renamed) and log it."""
    data = collect_report(period, made_by=made_by, today=today)
    folder = out.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=".qaf-export-", suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        build_workbook(period, data, Path(temporary))
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    description = _describe(data, f"written to {out} by {made_by} on the command line")
    record_export(description, actor_email=actor_email)
    return Exported(data, description)


def export_workbook_bytes(period: Period, *, user: Any, today: date | None = None) -> bytes:
    """The workbook as bytes for a download, logged as the signed-in user's export."""
    data = collect_report(period, made_by=f"{user.name} ({user.email})", today=today)
    content = build_workbook(period, data)
    assert content is not None
    record_export(_describe(data, "downloaded"), actor=user)
    return content


def export_csv_files(period: Period, folder: Path, *, made_by: str, actor_email: str = "") -> list[tuple[Path, int]]:
    """One CSV file per form answered in the period, into ``folder``; logged once."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for form in collect_forms(period):
        path = folder / f"{form.key}-{period.slug}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            written.append((path, write_form_csv(form, stream)))
    files = ", ".join(f"{path.name} ({rows:,} rows)" for path, rows in written) or "no files: nothing was answered"
    record_export(f"CSV files for {period.name} ({period.dates_text}): {files}; by {made_by}", actor_email=actor_email)
    return written


def export_csv_bytes(period: Period, form_key: str, *, user: Any) -> bytes | None:
    """One form's CSV for a download (None if nothing was given against it in the period)."""
    form = next((form for form in collect_forms(period) if form.key == form_key), None)
    if form is None:
        return None
    stream = io.StringIO()
    rows = write_form_csv(form, stream)
    record_export(f"CSV of {form_key} for {period.name} ({period.dates_text}): {rows:,} rows; downloaded", actor=user)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")
