"""The dashboard, the downloads and the team summaries, as staff see them."""

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent
from qaf.reports.display import number_text
from qaf.reports.periods import uk_today
from qaf.reports.report import SUPPRESSED
from tests.conftest import ClientRequest, error_summary
from tests.reports.conftest import (
    FAMILY_ANSWERS,
    IN_Q2,
    IN_Q3,
    action,
    audit,
    headline,
    respond,
    table_rows,
    team_id,
    workbook_for,
)
from tests.reports.test_workbook import EHAT, STAFF_ANSWERS

Q3 = "period=2026-27+Q3"


@pytest.fixture
def records(app, staff):
    """A quarter's feedback, staff survey, audits and actions across two services, and a quarter before."""
    for answers, team in [
        (FAMILY_ANSWERS, "ashford-ehu"),
        (FAMILY_ANSWERS | {"help_helped": "worse"}, "ashford-ehu"),
        (FAMILY_ANSWERS, "dover-ehu"),
        (FAMILY_ANSWERS | {"help_helped": "not_sure"}, "thanet-youth"),
    ]:
        respond(app, answers, team=team)
    respond(app, FAMILY_ANSWERS | {"help_helped": "no_change"}, at=IN_Q2)
    for _ in range(5):
        respond(app, STAFF_ANSWERS, form="staff-survey", team="ashford-ehu")
    respond(app, STAFF_ANSWERS, form="staff-survey", team="thanet-youth")
    first = audit(app, staff, EHAT)
    audit(app, staff, EHAT | {"judgement": "inadequate"}, team="thanet-youth")
    action(app, staff, first, raised=IN_Q3, due=date(2026, 11, 30), description="Update the <b>chronology</b>")


def shown_measures(page) -> dict[str, list[str]]:
    table = page.select_one("table.qaf-measures")
    return {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in table.select("tbody tr")
    }


def as_page_text(row: dict, unit_of: str) -> str:
    value = row["This period"]
    return value if value == SUPPRESSED else number_text(value, unit_of)


UNITS = {
    "Feedback responses": "count",
    "Audits submitted": "count",
    "Families saying the help helped": "share",
    "Partner satisfaction": "share",
    "Audits graded Good or better": "share",
    "Mean audit scaling": "mean",
    "Actions raised": "count",
    "Actions completed": "count",
    "Actions overdue": "count",
}


def unit(name: str) -> str:
    return UNITS.get(name, "share")


def test_the_dashboard_numbers_agree_exactly_with_the_workbook_summary(app, staff, client_request, records):
    book = workbook_for(app, today=uk_today())  # the dashboard counts overdue actions as at today
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.get(f"/reports?{Q3}")
    shown = shown_measures(page)
    expected = headline(book)
    assert list(shown) == list(expected)
    for name, row in expected.items():
        assert shown[name][0] == (as_page_text(row, unit(name)) if row["This period"] is not None else "No data"), name
    assert shown["Families saying the help helped"][:2] == ["50.0%", "0.0%"]

    youth = [row for row in table_rows(book["Summary"], "T_ByService") if row["Service"] == "Youth Hubs"]
    shown = shown_measures(client_request.get(f"/reports?{Q3}&service=2"))
    assert youth
    for row in youth:
        expected_text = "No data" if row["This period"] is None else as_page_text(row, unit(row["Measure"]))
        assert shown[row["Measure"]][0] == expected_text, row["Measure"]

    ashford = team_id(app, "ashford-ehu")
    page = client_request.get(f"/reports?{Q3}&team={ashford}")
    shown = shown_measures(page)
    for row in table_rows(book["Summary"], "T_ByTeam"):
        if row["Team"] == "Ashford Early Help Unit" and row["This period"] is not None:
            assert shown[row["Measure"]][0] == as_page_text(row, unit(row["Measure"])), row["Measure"]


def test_staff_survey_figures_from_fewer_than_five_are_hidden_on_the_dashboard(app, staff, client_request, records):
    client_request.login(staff["qa_admin"]["email"])
    thanet = team_id(app, "thanet-youth")
    shown = shown_measures(client_request.get(f"/reports?{Q3}&team={thanet}"))
    staff_rows = {name: values for name, values in shown.items() if name.startswith("Staff survey index")}
    assert staff_rows
    assert all(values[0] == SUPPRESSED for values in staff_rows.values())


def test_a_period_that_cannot_be_read_shows_an_error_and_this_quarter(app, staff, client_request):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.get("/reports?period=2026-27+Q9")
    assert error_summary(page) == [("‘2026-27 Q9’ has no Q9: a year has Q1 to Q4", "#period")]
    assert page.title.get_text().startswith("Error: Reports")
    page = client_request.get("/reports?start=2026-10-01&end=2026-10-15")
    assert "1 October to 15 October 2026" in page.select_one(".govuk-body-l").get_text()


def test_a_qa_administrator_downloads_the_workbook_and_the_download_is_logged(app, staff, client_request, records):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.get(f"/reports?{Q3}")
    form = page.select_one("form[action='/reports/download']")
    assert form.select_one("input[name=period]")["value"] == "2026-27 Q3"
    response = client_request.client.post("/reports/download", data={"period": "2026-27 Q3"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="qaf-2026-27-q3.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert headline(book)["Feedback responses"]["This period"] == 10
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export"))
        assert event.actor_id == staff["qa_admin"]["id"]
        assert event.description.startswith("Workbook for 2026-27 Q3")


def test_a_form_csv_downloads_with_formula_text_defused(app, staff, client_request, records):
    respond(app, FAMILY_ANSWERS | {"what_helped": "@SUM(A1)"})
    client_request.login(staff["qa_admin"]["email"])
    response = client_request.client.post("/reports/download/family", data={"period": "2026-27 Q3"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="family-2026-27-q3.csv"'
    text = response.data.decode("utf-8-sig")
    assert "'@SUM(A1)" in text
    assert len(text.strip().splitlines()) == 6
    response = client_request.client.post("/reports/download/partner", data={"period": "2026-27 Q3"})
    assert response.status_code == 302
    page = client_request.get(response.headers["Location"])
    assert "Nothing was given against ‘partner’ in 2026-27 Q3" in page.get_text()
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.description).where(AuditEvent.event == "export")).startswith(
            "CSV of family for 2026-27 Q3"
        )


def test_a_team_manager_goes_straight_to_their_team_summary(app, staff, client_request, records):
    client_request.login(staff["auditor"]["email"])
    response = client_request.client.get("/reports/teams")
    ashford = team_id(app, "ashford-ehu")
    assert response.headers["Location"] == f"/reports/teams/{ashford}"
    page = client_request.get(f"/reports/teams/{ashford}?{Q3}")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "Ashford Early Help Unit: team summary"
    assert "Update the <b>chronology</b>" in text  # escaped, shown as typed
    assert not page.select("b")
    shown = shown_measures(page)
    assert shown["Families saying the help helped"][0] == "50.0%"
    strengths = page.find("h2", string="Strengths").find_next("ul").get_text(" ", strip=True)
    assert "The assessment is holistic" in strengths
    development = page.find("h2", string="Areas for development").find_next("ul").get_text(" ", strip=True)
    assert "The assessment is factual" in development


def test_a_service_manager_sees_the_teams_of_their_service_only(app, staff, client_request, records):
    client_request.login(staff["service_manager"]["email"])
    page = client_request.get("/reports/teams")
    names = [link.get_text(strip=True) for link in page.select("tbody a")]
    assert names == ["Ashford Early Help Unit", "Dover Early Help Unit"]
    client_request.get(f"/reports/teams/{team_id(app, 'thanet-youth')}", _expected_status=403)
    client_request.get("/reports/teams/9999", _expected_status=404)


def test_the_navigation_offers_reports_to_the_qa_team_and_team_summaries_to_managers(app, staff, client_request):
    client_request.login(staff["auditor"]["email"])
    links = {link.get_text(strip=True) for link in client_request.get("/staff").select("nav a")}
    assert "Team summaries" in links
    assert "Reports" not in links
    client_request.post("/sign-out", {})
    client_request.login(staff["qa_admin"]["email"])
    links = {link.get_text(strip=True) for link in client_request.get("/staff").select("nav a")}
    assert {"Team summaries", "Reports"} <= links


def test_only_qa_administrators_download(app, staff):
    client = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    assert client.client.post("/reports/download", data={"period": "2026-27 Q3"}).status_code == 403
    assert client.client.get("/reports").status_code == 403


def test_the_dashboard_shows_new_responses_moderation_and_actions_at_once(app, staff, client_request, records):
    """The pages keep their counts between requests only while nothing they count has changed."""
    from qaf.audits.workflow import update_action
    from qaf.database import run_write_transaction
    from qaf.models import Audit, AuditAction, User

    client_request.login(staff["qa_admin"]["email"])
    before = shown_measures(client_request.get(f"/reports?{Q3}"))
    assert before["Feedback responses"][0] == "10"
    respond(app, FAMILY_ANSWERS)
    assert shown_measures(client_request.get(f"/reports?{Q3}"))["Feedback responses"][0] == "11"
    with app.app_context():
        inadequate = db.session.scalar(select(Audit).where(Audit.grade == "inadequate"))
        inadequate.moderated_grade, inadequate.moderated_at = "good", IN_Q3
        db.session.commit()
    assert shown_measures(client_request.get(f"/reports?{Q3}"))["Audits graded Good or better"][0] == "100.0%"
    completed_now = int(shown_measures(client_request.get("/reports"))["Actions completed"][0])  # this quarter
    with app.app_context():

        def work() -> None:
            action = db.session.scalar(select(AuditAction))
            by = db.session.get(User, staff["auditor"]["id"])
            update_action(action, status="done", note="", outcome="Done", by=by)

        run_write_transaction(work)
    assert shown_measures(client_request.get("/reports"))["Actions completed"][0] == str(completed_now + 1)


def test_a_download_for_a_period_that_cannot_be_read_goes_back_to_say_why(app, staff, client_request):
    client_request.login(staff["qa_admin"]["email"])
    client_request.post("/reports/download", {"period": "2026-27 Q7"}, _expected_redirect="/reports?period=2026-27+Q7")
    page = client_request.get("/reports?period=2026-27+Q7")
    assert error_summary(page) == [("‘2026-27 Q7’ has no Q7: a year has Q1 to Q4", "#period")]


@pytest.fixture
def counted(monkeypatch):
    """The windows the reports count with: a full count, or only responses after a kept count."""
    from qaf.reports import data

    windows = []
    count_everything = data.count_everything

    def spy(window, *args, **kwargs):
        windows.append(window)
        return count_everything(window, *args, **kwargs)

    monkeypatch.setattr(data, "count_everything", spy)
    return windows


def dashboard_agrees_with_the_workbook(app, client_request) -> dict[str, list[str]]:
    shown = shown_measures(client_request.get(f"/reports?{Q3}"))
    for name, row in headline(workbook_for(app, today=uk_today())).items():
        expected = "No data" if row["This period"] is None else as_page_text(row, unit(name))
        assert shown[name][0] == expected, name
    return shown


def test_new_responses_are_added_to_the_kept_counts_without_counting_everything_again(
    app, staff, client_request, records, counted
):
    client_request.login(staff["qa_admin"]["email"])
    ashford = team_id(app, "ashford-ehu")
    dashboard_agrees_with_the_workbook(app, client_request)
    assert shown_measures(client_request.get(f"/reports?{Q3}&team={ashford}"))["Feedback responses"][0] == "7"
    respond(app, FAMILY_ANSWERS | {"help_helped": "worse"})
    respond(app, FAMILY_ANSWERS, team="thanet-youth")
    respond(app, STAFF_ANSWERS, form="staff-survey", team="ashford-ehu")
    counted.clear()
    shown = dashboard_agrees_with_the_workbook(app, client_request)
    assert shown["Feedback responses"][0] == "13"
    page_windows = [window for window in counted if not window.by_team]  # the workbook counts by team
    assert [window.responses_after is not None for window in page_windows] == [True]
    counted.clear()
    shown = shown_measures(client_request.get(f"/reports?{Q3}&team={ashford}"))
    assert [window.responses_after is not None for window in counted] == [True]
    assert shown["Feedback responses"][0] == "9"  # 5 staff and 2 family before, 1 of each since


def test_anything_else_changed_counts_everything_again(app, staff, client_request, records, counted):
    client_request.login(staff["qa_admin"]["email"])
    dashboard_agrees_with_the_workbook(app, client_request)
    respond(app, FAMILY_ANSWERS)
    audit(app, staff, EHAT | {"judgement": "requires_improvement"})
    counted.clear()
    dashboard_agrees_with_the_workbook(app, client_request)
    assert [window.responses_after for window in counted if not window.by_team] == [None]


def test_a_response_stored_after_a_later_one_is_not_missed(app, staff, client_request, records, counted):
    """An id is taken before a response is stored: one can appear after a response with a later id."""
    from qaf.models import Response

    late = respond(app, FAMILY_ANSWERS | {"help_helped": "worse"})
    respond(app, FAMILY_ANSWERS)
    with app.app_context():
        row = db.session.get(Response, late)
        kept = {column.name: getattr(row, column.name) for column in Response.__table__.columns}
        db.session.delete(row)  # not stored yet when the dashboard is first counted
        db.session.commit()
    client_request.login(staff["qa_admin"]["email"])
    assert dashboard_agrees_with_the_workbook(app, client_request)["Feedback responses"][0] == "11"
    with app.app_context():
        db.session.execute(Response.__table__.insert().values(**kept))
        db.session.commit()
    respond(app, FAMILY_ANSWERS)
    counted.clear()
    assert dashboard_agrees_with_the_workbook(app, client_request)["Feedback responses"][0] == "13"
    assert [window.responses_after for window in counted if not window.by_team] == [None]


def test_a_response_stored_while_the_dashboard_counts_is_counted_once(app, staff, client_request, records, monkeypatch):
    from qaf.reports import data

    count_everything = data.count_everything
    arrivals = [FAMILY_ANSWERS]

    def with_one_arriving(window, *args, **kwargs):
        if arrivals:
            respond(app, arrivals.pop())  # after the stamp was read, before the counting
        return count_everything(window, *args, **kwargs)

    monkeypatch.setattr(data, "count_everything", with_one_arriving)
    client_request.login(staff["qa_admin"]["email"])
    client_request.get(f"/reports?{Q3}")
    assert dashboard_agrees_with_the_workbook(app, client_request)["Feedback responses"][0] == "11"
