"""Importing the case list: every problem by line, nothing half-imported, re-import changes nothing."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import AuditEvent, Case, CaseImport
from qaf.programme.cases import CaseFileError, import_cases
from tests.conftest import ClientRequest, empty_database, error_summary, make_app
from tests.programme.conftest import HEADER, case_csv

GOOD = case_csv(
    "EH-1001,ashford-ehu,Early Help Units,worker@example.gov.uk,,2026-01-10,2026-02-01,2026-06-01,,no,yes,no,"
    "Early Help Unit",
    "eh-1002,Dover Early Help Unit,,,,05/03/2026,,,30/09/2026,yes,no,no,",
    "EH-1003,thanet-youth,youth-hubs,,boss@example.gov.uk,2025-11-30,,,,,,yes,Youth hub",
)


@pytest.fixture
def app(app, tmp_path):
    """The programme's app, keeping uploads in the test's own folder (jobs run at once, as in every test app)."""
    app.config["CASE_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    return app


@pytest.fixture
def app_with_csrf(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, CASE_IMPORT_FOLDER=str(tmp_path / "uploads"))
    yield app
    empty_database(app)


def stored(app) -> dict[str, dict]:
    with app.app_context():
        return {
            case.reference: {
                "team": case.team.slug,
                "worker_id": case.worker_id,
                "opened_on": case.opened_on,
                "closed_on": case.closed_on,
                "step_down": case.step_down,
                "returning": case.returning,
                "agency_type": case.agency_type,
                "updated_at": case.updated_at,
            }
            for case in db.session.scalars(select(Case))
        }


def run_import(app, data: bytes):
    with app.test_request_context():
        return import_cases(data, "cases.csv")


def problems_of(app, data: bytes) -> list[str]:
    with app.test_request_context():
        try:
            import_cases(data, "cases.csv")
        except CaseFileError as error:
            return error.problems
    raise AssertionError("the file was accepted")


def test_a_good_file_is_imported_with_its_teams_workers_dates_and_flags(app, staff):
    result = run_import(app, GOOD)
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    cases = stored(app)
    assert set(cases) == {"EH-1001", "EH-1002", "EH-1003"}
    assert cases["EH-1001"]["worker_id"] == staff["practitioner"]["id"]
    assert cases["EH-1001"]["step_down"] is True
    assert cases["EH-1002"]["team"] == "dover-ehu"
    assert cases["EH-1002"]["opened_on"] == date(2026, 3, 5)
    assert cases["EH-1002"]["closed_on"] == date(2026, 9, 30)
    assert cases["EH-1003"]["returning"] is True


def test_importing_the_same_file_again_changes_nothing(app, staff):
    run_import(app, GOOD)
    before = stored(app)
    result = run_import(app, GOOD)
    assert (result.added, result.updated, result.unchanged) == (0, 0, 3)
    assert stored(app) == before


def test_a_later_file_updates_cases_by_reference_and_keeps_those_it_leaves_out(app, staff):
    run_import(app, GOOD)
    before = stored(app)
    later = case_csv(
        "EH-1001,ashford-ehu,,worker@example.gov.uk,,2026-01-10,2026-02-01,2026-10-01,2026-11-01,no,yes,no,"
        "Early Help Unit",
        "EH-2000,ashford-ehu,,,,2026-11-02,,,,,,,",
    )
    result = run_import(app, later)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 0)
    after = stored(app)
    assert after["EH-1001"]["closed_on"] == date(2026, 11, 1)
    assert after["EH-1001"]["updated_at"] > before["EH-1001"]["updated_at"]
    assert after["EH-1002"] == before["EH-1002"]
    assert "EH-2000" in after


def test_every_problem_is_reported_by_line_and_nothing_is_imported(app, staff):
    bad = case_csv(
        "EH-1,ashford-ehu,,,,2026-01-10,,,,no,no,no,",
        "EH 2,nowhere,,not-an-email,,2026-13-01,,,,maybe,,,",
        "EH-3,ashford-ehu,Youth Hubs,,,2026-05-01,,,2026-04-01,,,,",
        "EH-1,dover-ehu,,,,2026-01-10,,,,,,,",
        "EH-5,ashford-ehu,,,,,,,,,,,",
        "EH-6,ashford-ehu",
    )
    assert problems_of(app, bad) == [
        "Line 3: reference: this is not a case reference "
        "(letters, numbers, hyphens, slashes and underscores, up to 40)",
        "Line 3: team: there is no team ‘nowhere’ in Services and teams",
        "Line 3: worker: ‘not-an-email’ is not an email address",
        "Line 3: opened: ‘2026-13-01’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY",
        "Line 3: step_up: ‘maybe’ is not yes or no",
        "Line 4: service: ‘Youth Hubs’ is not the service of team ‘ashford-ehu’",
        "Line 4: closed: the case is closed before it was opened",
        "Line 5: the case reference EH-1 is also on line 2",
        "Line 6: opened: enter the date the case was opened",
        "Line 7: has 2 values but the first line names 13 columns",
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_problem_on_the_last_line_leaves_earlier_good_lines_unimported(app, staff):
    rows = [f"EH-{n},ashford-ehu,,,,2026-01-10,,,,,,," for n in range(1, 200)]
    problems = problems_of(app, case_csv(*rows, "EH-999,ashford-ehu,,,,yesterday,,,,,,,"))
    assert problems == ["Line 201: opened: ‘yesterday’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_line_numbers_count_lines_inside_quoted_values(app, staff):
    data = case_csv('EH-1,ashford-ehu,,,,2026-01-10,,,,,,,"Health\nvisiting"', "EH-2,ashford-ehu,,,,never,,,,,,,")
    assert problems_of(app, data) == ["Line 4: opened: ‘never’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY"]


def test_columns_are_checked_first(app, staff):
    data = case_csv("EH-1,ashford-ehu,Jo Bloggs", header="Reference,Team,child_name")
    assert problems_of(app, data) == [
        "Line 1: the column ‘opened’ is missing; the file's other columns are ‘child_name’"
    ]
    data = case_csv("EH-1,ashford-ehu,EH-2,2026-01-01", header="Reference,Team,Case Reference,opened")
    assert problems_of(app, data) == ["Line 1: the columns ‘Reference’ and ‘Case Reference’ are both reference"]


def test_empty_and_non_utf8_files_are_refused(app, staff):
    assert problems_of(app, b"") == ["The file is empty: the first line must name the columns"]
    assert problems_of(app, (HEADER + "\n").encode()) == ["The file has no cases: only the line naming the columns"]
    assert problems_of(app, b"reference,team,opened\nEH-1,ashford-ehu,2026-01-01\x81\n") == [
        "The file cannot be read as text: save it from your spreadsheet as ‘CSV UTF-8’"
    ]


def test_headers_may_use_spaces_and_capitals_and_a_byte_order_mark(app, staff):
    data = "\ufeffReference,Team,Opened,Last reviewed,Step-down\nEH-7,ashford-ehu,2026-02-02,2026-03-03,Yes\n".encode()
    assert run_import(app, data).added == 1
    assert stored(app)["EH-7"]["step_down"] is True


def test_the_upload_page_imports_a_file_bigger_than_a_form_and_logs_it(app, staff, admin):
    rows = [f"EH-{n:05d},ashford-ehu,,,,2026-01-10,2026-02-01,,,no,no,no,Early Help Unit" for n in range(3000)]
    data = case_csv(*rows)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv")})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/programme/cases/imports/\d+", location)
    page = admin.get(location)
    assert page.h1.get_text() == "Case list imported"
    assert "3,000 cases in the file: 3,000 cases added, 0 updated, 0 unchanged." in page.get_text()
    assert "3,000 cases imported" in admin.get("/programme/cases").get_text()
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "cases_imported")).one()
        assert event.description == "cases.csv: 3,000 cases added, 0 updated, 0 unchanged"
        assert event.actor_email == staff["qa_admin"]["email"]


def test_the_uploaded_file_is_deleted_once_imported_and_the_record_keeps_counts_and_problems(app, staff, admin):
    folder = Path(app.config["CASE_IMPORT_FOLDER"])
    for data in (GOOD, case_csv("EH-1,nowhere,,,,2026-01-10,,,,,,,")):
        admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv")})
    assert list(folder.iterdir()) == []
    with app.app_context():
        imports = db.session.scalars(select(CaseImport).order_by(CaseImport.id)).all()
        assert [(i.status, i.added, i.problem_count, i.finished_at is not None) for i in imports] == [
            ("done", 3, 0, True),
            ("refused", 0, 1, True),
        ]


def test_the_upload_page_lists_the_problems_and_imports_nothing(app, staff, admin):
    data = case_csv("EH-1,nowhere,,,,2026-01-10,,,,,,,")
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv")})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"])
    assert error_summary(page) == [("Line 2: team: there is no team ‘nowhere’ in Services and teams", "#case_file")]
    assert page.title.get_text().startswith("Error: Case list not imported")
    assert "1 problem in the file: nothing was imported" in page.get_text()
    page = admin.post("/programme/cases/import", {}, _expected_status=200)
    assert error_summary(page) == [("Select the CSV file of cases", "#case_file")]
    page = admin.post("/programme/cases/import", {"case_file": (io.BytesIO(b""), "empty.csv")}, _expected_status=200)
    assert error_summary(page) == [("Select the CSV file of cases", "#case_file")]


def test_the_first_hundred_problems_are_kept_with_the_count_of_them_all(app, staff, admin):
    data = case_csv(*(f"EH-{n},nowhere,,,,2026-01-10,,,,,,," for n in range(250)))
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv")})
    page = admin.get(response.headers["Location"])
    items = error_summary(page)
    assert len(items) == 101
    assert items[0] == ("Line 2: team: there is no team ‘nowhere’ in Services and teams", "#case_file")
    assert items[-1] == ("and 150 more problems", "#case_file")
    assert "250 problems in the file: nothing was imported" in page.get_text()


def test_the_upload_page_still_checks_the_csrf_token(app_with_csrf, staff):
    client = ClientRequest(app_with_csrf.test_client())
    page = client.client.get("/sign-in").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.client.post(
        "/sign-in",
        data={"email": staff["qa_admin"]["email"], "password": "correct horse battery staple", "csrf_token": token},
    )
    data = case_csv("EH-1,ashford-ehu,,,,2026-01-10,,,,,,,")
    refused = client.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv")})
    assert refused.status_code == 400
    page = client.client.get("/programme/cases/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.client.post(
        "/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv"), "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert accepted.headers["Location"].startswith("/programme/cases/imports/")


def test_the_command_imports_a_file_or_lists_every_problem(app, staff, tmp_path):
    good = tmp_path / "cases.csv"
    good.write_bytes(GOOD)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qaf", "import-cases", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 cases added, 0 updated, 0 unchanged" in result.output
    again = runner.invoke(args=["qaf", "import-cases", str(good)])
    assert "0 cases added, 0 updated, 3 unchanged" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(case_csv("EH-9,nowhere,,,,2026-01-10,,,,,,,", "EH-10,ashford-ehu,,,,soon,,,,,,,"))
    refused = runner.invoke(args=["qaf", "import-cases", str(bad)])
    assert refused.exit_code == 1
    assert f"{bad}: Line 2: team: there is no team ‘nowhere’ in Services and teams" in refused.output
    assert f"{bad}: Line 3: opened:" in refused.output
    assert "2 problem(s): nothing was imported" in refused.output


def test_a_name_in_the_reference_column_is_neither_shown_nor_kept(app, staff, admin):
    bad = case_csv("Jane Smith,ashford-ehu,,,,2026-01-10,,,,no,no,no,")
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(bad), "cases.csv")})
    page = admin.get(response.headers["Location"])
    assert "Line 2: reference: this is not a case reference" in page.get_text()
    assert "Jane" not in page.get_text()
    with app.app_context():
        (record,) = db.session.scalars(select(CaseImport))
        assert "Jane" not in repr(record.problems)
        assert record.rows_checked == 2  # the header and the one case: every line was checked
