"""A real export passes: Excel's files, the council's own headings, extra columns and whole columns of bad dates."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Case, CaseImport
from tests.conftest import error_summary
from tests.programme.test_case_import import problems_of, run_import, stored


@pytest.fixture
def app(app, tmp_path):
    app.config["CASE_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    return app


def upload(admin, data: bytes):
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "export.csv")})
    assert response.status_code == 302
    return admin.get(response.headers["Location"])


def test_excel_trailing_empty_rows_and_columns_are_skipped(app, staff):
    data = b"reference,team,opened,,\r\nEH-1,ashford-ehu,2026-01-10,,\r\n,,,,\r\n,,,,\r\n"
    assert run_import(app, data).added == 1


def test_headings_as_a_case_system_writes_them(app, staff):
    data = b"Case Reference,Team Name,Date Opened,Date Closed\nEH-1,Ashford Early Help Unit,2026-01-10,2026-03-01\n"
    assert run_import(app, data).added == 1
    assert stored(app)["EH-1"]["team"] == "ashford-ehu"
    assert stored(app)["EH-1"]["closed_on"] == date(2026, 3, 1)


def test_excel_dates_with_a_time_and_day_first_dates(app, staff):
    data = (
        b"reference,team,opened,closed\n"
        b"EH-1,ashford-ehu,2026-10-10 00:00:00,\n"
        b"EH-2,ashford-ehu,10/10/2026 00:00,11-10-2026\n"
        b"EH-3,ashford-ehu,1/2/2026,\n"
    )
    assert run_import(app, data).added == 3
    cases = stored(app)
    assert cases["EH-1"]["opened_on"] == cases["EH-2"]["opened_on"] == date(2026, 10, 10)
    assert cases["EH-2"]["closed_on"] == date(2026, 10, 11)
    assert cases["EH-3"]["opened_on"] == date(2026, 2, 1)


def test_a_file_saved_as_excels_plain_csv_is_read(app, staff):
    data = "reference,team,opened,agency_type\nEH-1,ashford-ehu,2026-01-10,Café hub\n".encode("cp1252")
    assert run_import(app, data).added == 1
    assert stored(app)["EH-1"]["agency_type"] == "Café hub"


def test_extra_columns_are_ignored_and_the_result_says_which(app, staff, admin):
    data = b"reference,Child name,team,opened,Ethnicity\nEH-1,Jane Smith,ashford-ehu,2026-01-10,x\n"
    result = run_import(app, data)
    assert (result.added, result.ignored) == (1, ("Child name", "Ethnicity"))
    page = upload(admin, data.replace(b"EH-1", b"EH-2"))
    assert page.h1.get_text() == "Case list imported"
    assert (
        "not read (QAF has no column for them): ‘Child name’, ‘Ethnicity’"
        in page.select_one("#ignored-columns").get_text()
    )
    assert "Jane" not in page.get_text()
    with app.app_context():
        assert db.session.scalars(select(CaseImport)).one().ignored_columns == ["Child name", "Ethnicity"]


def test_the_command_names_the_columns_it_did_not_read(app, staff, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"reference,team,opened,Ethnicity\nEH-1,ashford-ehu,2026-01-10,x\n")
    result = app.test_cli_runner().invoke(args=["qaf", "import-cases", str(path)])
    assert result.exit_code == 0, result.output
    assert "Columns not read (QAF has no column for them): Ethnicity" in result.output


def test_the_qa_team_maps_its_systems_headings_once_for_every_import(app, staff, admin):
    export = b"Case ID,Team,Episode Start\nEH-1,ashford-ehu,2026-01-10\n"
    assert problems_of(app, export) == [
        "Line 1: the column ‘reference’ is missing; the file's other columns are ‘Case ID’, ‘Episode Start’",
        "Line 1: the column ‘opened’ is missing; the file's other columns are ‘Case ID’, ‘Episode Start’",
    ]
    page = admin.get("/programme/cases/import")
    assert page.select_one("a[href='/programme/cases/headings']")
    admin.post("/programme/cases/headings", {"reference": "Case ID", "opened": "episode start"})
    page = admin.get("/programme/cases/headings")
    assert page.select_one("#reference")["value"] == "Case ID"
    assert "Case ID (your system's)" in admin.get("/programme/cases/import").get_text()
    page = upload(admin, export)
    assert page.h1.get_text() == "Case list imported"
    assert stored(app)["EH-1"]["opened_on"] == date(2026, 1, 10)
    # Emptied, the heading is forgotten.
    admin.post("/programme/cases/headings", {"reference": "", "opened": "episode start"})
    assert problems_of(app, export.replace(b"EH-1", b"EH-2"))[0].startswith("Line 1: the column ‘reference’ is missing")


def test_a_heading_cannot_be_another_columns_or_given_twice(app, staff, admin):
    page = admin.post(
        "/programme/cases/headings", {"reference": "Team", "opened": "Start", "closed": "start"}, _expected_status=200
    )
    assert error_summary(page) == [
        ("‘Team’ is already a heading for the column team", "#reference"),
        ("‘start’ is also the heading for the column opened", "#closed"),
    ]


def test_only_a_qa_administrator_maps_headings(app, staff):
    from tests.programme.conftest import signed_in

    manager = signed_in(app, staff, "service_manager")
    assert manager.client.get("/programme/cases/headings").status_code == 403


def test_a_whole_column_of_bad_dates_is_one_problem(app, staff, admin):
    rows = "".join(f"EH-{n},ashford-ehu,31/31/2026,2026-12-01\n" for n in range(2000))
    data = ("reference,team,opened,closed\n" + rows + "EH-X,nowhere,2026-01-01,\n").encode()
    assert problems_of(app, data) == [
        "Column ‘opened’: 2,000 rows are not real dates; use YYYY-MM-DD or DD/MM/YYYY, e.g. line 2 ‘31/31/2026’",
        "Line 2002: team: there is no team ‘nowhere’ in Services and teams",
    ]
    page = upload(admin, data)
    assert "2 problems in the file: nothing was imported" in page.get_text()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_few_bad_dates_are_told_by_line(app, staff):
    data = b"reference,team,opened\nEH-1,ashford-ehu,2026-02-30\nEH-2,ashford-ehu,2026-01-01\nEH-3,ashford-ehu,soon\n"
    assert problems_of(app, data) == [
        "Line 2: opened: ‘2026-02-30’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY",
        "Line 4: opened: ‘soon’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY",
    ]
