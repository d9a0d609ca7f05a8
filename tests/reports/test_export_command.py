"""``flask --app app qaf export``: the workbook and CSV files for a period, and every export logged."""

import csv

import openpyxl
import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent
from tests.reports.conftest import FAMILY_ANSWERS, respond


def export(app, *args):
    return app.test_cli_runner().invoke(args=["qaf", "export", *args])


def test_export_writes_the_workbook_for_a_period_and_logs_it(app, teams, tmp_path):
    respond(app, FAMILY_ANSWERS)
    out = tmp_path / "q3.xlsx"
    result = export(app, "--period", "2026-27 Q3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Workbook for 2026-27 Q3 (1 October to 31 December 2026): 1 response, 0 audits, 0 actions" in result.output
    book = openpyxl.load_workbook(out)
    assert "family" in book.sheetnames
    assert not list(tmp_path.glob(".qaf-export-*"))
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export"))
        assert event.ip_address == "cli"
        assert "2026-27 Q3" in event.description
        assert str(out) in event.description


def test_start_and_end_dates_that_make_a_quarter_are_named_as_one(app, teams, tmp_path):
    result = export(app, "--start", "2026-10-01", "--end", "2026-12-31", "--out", str(tmp_path / "q.xlsx"))
    assert result.exit_code == 0, result.output
    assert "Workbook for 2026-27 Q3" in result.output
    result = export(app, "--start", "2026-10-01", "--end", "2026-10-15", "--out", str(tmp_path / "d.xlsx"))
    assert result.exit_code == 0, result.output
    assert "Workbook for 1 October to 15 October 2026" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-27 Q5"], "Error: ‘2026-27 Q5’ has no Q5: a year has Q1 to Q4"),
        (["--period", "last quarter"], "Error: ‘last quarter’ is not a period QAF knows"),
        (["--period", "2026-27 Q3", "--start", "2026-10-01"], "Error: Give a period name or start and end dates"),
        (["--start", "2026-10-01"], "Error: Give both a start date and an end date"),
        (["--start", "1/10/2026", "--end", "2026-12-31"], "Error: Enter the start date as YYYY-MM-DD"),
        (["--start", "2026-12-31", "--end", "2026-10-01"], "Error: The end date must be the same as or after"),
        ([], "Error: Enter a period, like 2026-27 Q3"),
        (["--period", "2026-27 Q3", "--out", "q3.csv"], "Error: --out must be an .xlsx file"),
        (["--period", "2026-27 Q3", "--out", "no/such/folder/q3.xlsx"], "Error: --out must be an .xlsx file"),
    ],
)
def test_bad_input_gets_a_one_line_error_and_a_failing_exit_code(app, teams, args, message):
    result = export(app, *args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(message), lines[0]


def test_csv_files_hold_every_response_with_formula_text_defused(app, teams, tmp_path):
    respond(app, FAMILY_ANSWERS | {"what_helped": "=1+1", "could_be_better": "-ish, fine"})
    respond(app, FAMILY_ANSWERS | {"surprise": "kept"})
    result = export(app, "--period", "2026-27 Q3", "--csv-folder", str(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    path = tmp_path / "csv" / "family-2026-27-q3.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 2
    assert rows[0]["What was helpful?"] == "'=1+1"
    assert rows[0]["What could have been better?"] == "'-ish, fine"
    assert rows[0]["When the help started, how were things for your family?"] == "3"
    assert rows[1]["Answers not matching the form version (JSON)"] == '{"surprise": "kept"}'
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.description).where(AuditEvent.event == "export")).all()
    assert events == [
        f"CSV files for 2026-27 Q3 (1 October to 31 December 2026): family-2026-27-q3.csv (2 rows); by "
        f"{events[0].split('; by ')[1]}"
    ]
