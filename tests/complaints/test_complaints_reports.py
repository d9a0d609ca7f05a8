"""Complaints and compliments collated by quarter: the workbook's sheet, the CSV file and the dashboard."""

import csv
import io
from datetime import date

import pytest

from tests.complaints.conftest import add_entry, team_id
from tests.reports.conftest import table_rows, workbook_for

IN_Q3 = date(2026, 11, 10)


def some_entries(app) -> None:
    """Q3: two complaints and a compliment in Ashford, a complaint in Thanet; Q2: one compliment."""
    add_entry(app, received_on=IN_Q3, theme="timeliness", outcome="upheld", learning="Allocate within a week.")
    add_entry(app, received_on=IN_Q3, theme="communication", outcome="in_progress", learning="")
    add_entry(app, received_on=date(2026, 12, 31), kind="compliment", theme="listening", outcome=None, learning="Kind")
    add_entry(app, team="thanet-youth", received_on=date(2026, 10, 1), theme="timeliness", outcome="not_upheld")
    add_entry(app, received_on=date(2026, 9, 30), kind="compliment", theme="respect", outcome=None)


def test_the_workbook_counts_the_quarter_by_kind_theme_outcome_and_team(app, staff):
    some_entries(app)
    book = workbook_for(app)
    assert book.sheetnames.index("Complaints and compliments") == book.sheetnames.index("Actions") + 1
    sheet = book["Complaints and compliments"]
    assert sheet["A1"].value == "Complaints and compliments received in 2026-27 Q3 (1 October to 31 December 2026)"
    assert table_rows(sheet, "T_Complaints_by_kind") == [
        {"Kind": "Complaint", "2026-27 Q3": 3, "2026-27 Q2": 0},
        {"Kind": "Compliment", "2026-27 Q3": 1, "2026-27 Q2": 1},
    ]
    themes = {row["Theme"]: row for row in table_rows(sheet, "T_Complaints_by_theme")}
    assert themes["Timeliness: help at the right time"] == {
        "Theme": "Timeliness: help at the right time",
        "Complaints": 2,
        "Compliments": 0,
        "Total": 2,
    }
    assert themes["Listening to the child and family"]["Compliments"] == 1
    assert themes["Other"]["Total"] == 0
    outcomes = {row["Outcome"]: row["Complaints"] for row in table_rows(sheet, "T_Complaints_by_outcome")}
    assert outcomes == {
        "In progress": 1,
        "Resolved early, without investigation": 0,
        "Upheld": 1,
        "Partly upheld": 0,
        "Not upheld": 1,
        "Withdrawn": 0,
    }
    assert table_rows(sheet, "T_Complaints_by_team") == [
        {
            "Service": "Early Help Units",
            "Team": "Ashford Early Help Unit",
            "Complaints": 2,
            "Compliments": 1,
            "Total": 3,
        },
        {"Service": "Youth Hubs", "Team": "Thanet Youth Hub", "Complaints": 1, "Compliments": 0, "Total": 1},
    ]
    rows = table_rows(sheet, "T_Complaints_and_compliments")
    assert [(row["Received"].date(), row["Kind"], row["Outcome"]) for row in rows] == [
        (date(2026, 10, 1), "Complaint", "Not upheld"),
        (IN_Q3, "Complaint", "Upheld"),
        (IN_Q3, "Complaint", "In progress"),
        (date(2026, 12, 31), "Compliment", None),
    ]
    assert rows[1]["What was learnt"] == "Allocate within a week."
    assert rows[1]["Team"] == "Ashford Early Help Unit"
    about = [cell.value for cell in book["About"]["A"]]
    assert "Complaints and compliments" in about


def test_an_empty_quarter_says_so_on_the_sheet(app, staff):
    sheet = workbook_for(app)["Complaints and compliments"]
    assert "No complaints or compliments were received in 2026-27 Q3." in [cell.value for cell in sheet["A"]]
    assert "T_Complaints_and_compliments" not in sheet.tables


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@SUM(A1)", "\uff1d1+1"]


@pytest.mark.parametrize("learning", FORMULAS)
def test_learning_that_looks_like_a_formula_is_text_in_the_workbook(app, staff, learning):
    add_entry(app, received_on=IN_Q3, learning=learning)
    sheet = workbook_for(app)["Complaints and compliments"]
    (row,) = table_rows(sheet, "T_Complaints_and_compliments")
    assert row["What was learnt"] == learning
    cell = next(cell for cell in sheet["H"] if cell.value == learning)
    assert cell.data_type == "s"


def _downloaded(client_request, staff, period: str = "2026-27 Q3") -> list[dict[str, str]]:
    client_request.login(staff["qa_admin"]["email"])
    response = client_request.client.post("/complaints/download", data={"period": period})
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="complaints-and-compliments-{period.lower().replace(" ", "-")}.csv"'
    )
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("learning", FORMULAS)
def test_learning_a_spreadsheet_could_run_starts_with_an_apostrophe_in_the_csv_file(
    app, staff, client_request, learning
):
    add_entry(app, received_on=IN_Q3, learning=learning)
    (row,) = _downloaded(client_request, staff)
    assert row["What was learnt"] == "'" + learning
    assert row["Received"] == "2026-11-10"
    assert row["Outcome"] == "Upheld"


def test_the_csv_file_holds_the_quarter_for_every_team_and_is_logged(app, staff, client_request):
    from sqlalchemy import select

    from qaf.extensions import db
    from qaf.models import AuditEvent

    some_entries(app)
    rows = _downloaded(client_request, staff)
    assert [row["Team"] for row in rows] == ["Thanet Youth Hub", *["Ashford Early Help Unit"] * 3]
    assert rows[3]["What was learnt"] == "Kind"
    with app.app_context():
        events = [
            event.description for event in db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export"))
        ]
    assert events == ["CSV of complaints and compliments for 2026-27 Q3: 4 rows; downloaded"]


@pytest.mark.parametrize("who", ["practitioner", "auditor", "service_manager"])
def test_only_the_qa_team_downloads_every_team_s_entries(app, staff, client_request, who):
    client_request.login(staff[who]["email"])
    assert client_request.client.post("/complaints/download", data={"period": "2026-27 Q3"}).status_code == 403


def test_the_dashboard_counts_complaints_and_compliments_for_its_scope(app, staff, client_request):
    some_entries(app)
    client_request.login(staff["qa_admin"]["email"])

    def figures(query: str) -> dict[str, list[str]]:
        page = client_request.get(f"/reports?period=2026-27 Q3{query}")
        (table,) = [table for table in page.select("table") if "Complaints and compliments" in table.caption.get_text()]
        return {row.th.get_text(): [cell.get_text() for cell in row.select("td")] for row in table.select("tbody tr")}

    assert figures("") == {
        "Complaints": ["3", "0"],
        "Complaints upheld or partly upheld": ["1", "0"],
        "Compliments": ["1", "1"],
    }
    assert figures(f"&team={team_id(app, 'thanet-youth')}")["Complaints"] == ["1", "0"]
