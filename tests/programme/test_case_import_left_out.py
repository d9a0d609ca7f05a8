"""Open cases a later case list leaves out: counted among the teams the file covers, listed, and closed together."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent, Case, CaseImport, SampleCase
from tests.conftest import ClientRequest, error_summary
from tests.programme.conftest import add_cases, case_csv, signed_in
from tests.programme.test_allocation import draw, make_activity

OPENED = (date.today() - timedelta(days=30)).isoformat()
CLOSED = (date.today() - timedelta(days=10)).isoformat()


def row(reference: str, team: str = "ashford-ehu", closed: str = "") -> str:
    return f"{reference},{team},,,,{OPENED},,,{closed},,,,"


FIRST = case_csv(
    *(row(f"EH-{n}") for n in range(1, 6)),
    row("EH-6", closed=CLOSED),
    row("EH-T1", "thanet-youth"),
    row("EH-T2", "thanet-youth"),
)
# A file for Ashford alone that no longer lists EH-3, EH-4 and EH-5 (nor the closed EH-6).
LATER = case_csv(row("EH-1"), row("EH-2"))


@pytest.fixture
def app(app, tmp_path):
    app.config["CASE_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    return app


def upload(client: ClientRequest, data: bytes, filename: str = "cases.csv") -> str:
    response = client.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), filename)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


@pytest.fixture
def later(admin) -> str:
    """The later import's page, after the first file brought every case in."""
    upload(admin, FIRST, "first.csv")
    return upload(admin, LATER, "ashford.csv")


def closed_on(app) -> dict[str, date | None]:
    with app.app_context():
        return {case.reference: case.closed_on for case in db.session.scalars(select(Case))}


def listed(page) -> list[list[str]]:
    table = page.select_one("#left-out ~ .qaf-table-container table")
    return [[cell.get_text(strip=True) for cell in line.select("td")] for line in table.select("tbody tr")]


def test_an_import_that_leaves_out_three_open_cases_says_so_and_lists_them(app, staff, admin, later):
    page = admin.get(later)
    assert page.select_one("#left-out").get_text() == "3 open cases were not in this file"
    compared = " ".join(page.select_one("#left-out-compared").get_text().split())
    assert compared.startswith("The file had cases for 1 team: Ashford Early Help Unit. Only the open cases of")
    assert "the cases of other teams are not counted" in compared
    rows = listed(page)
    assert [line[:2] for line in rows] == [[f"EH-{n}", "Ashford Early Help Unit"] for n in (3, 4, 5)]
    assert all(re.fullmatch(r"\d+ \w+ \d{4}, \d+:\d\d[ap]m", line[2]) for line in rows)
    assert page.find("a", string=re.compile("Close these 3 cases"))["href"].endswith("/close-left-out")


def test_closing_them_closes_only_those_on_the_day_of_the_import_and_logs_it(app, staff, admin, later):
    close_page = f"{later}/close-left-out"
    page = admin.get(close_page)
    assert page.h1.get_text() == "Close the 3 cases not in this file"
    form = page.select_one("form[action$='/close-left-out']")
    assert form.select_one("input[name=csrf_token]") is not None
    admin.post(close_page, {"close": "yes"}, _expected_redirect=later)
    today = date.today()
    assert closed_on(app) == {
        "EH-1": None,
        "EH-2": None,
        "EH-3": today,
        "EH-4": today,
        "EH-5": today,
        "EH-6": date.fromisoformat(CLOSED),
        "EH-T1": None,
        "EH-T2": None,
    }
    page = admin.get(later)
    assert "3 cases closed on" in page.get_text()
    assert page.select_one("#left-out") is None
    assert "3 cases were closed on" in page.select_one("#left-out-closed").get_text()
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "left_out_cases_closed")).one()
        import_id = db.session.scalar(select(CaseImport.id).where(CaseImport.filename == "ashford.csv"))
        assert event.description == (
            f"ashford.csv (import {import_id}): 3 open cases not in the file closed on {today.isoformat()}"
        )
        assert event.actor_email == staff["qa_admin"]["email"]
    # Nothing is left to close: the page says so rather than closing anything else.
    admin.post(close_page, {"close": "yes"}, _expected_redirect=later)
    assert closed_on(app)["EH-1"] is None


def test_a_closed_case_is_not_drawn_into_a_sample_until_a_file_lists_it_again(app, staff, admin, later):
    admin.post(f"{later}/close-left-out", {"close": "yes"}, _expected_redirect=later)
    make_activity(admin)

    def sampled() -> set[str]:
        sample_id = draw(admin)
        with app.app_context():
            cases = db.session.scalars(select(SampleCase).where(SampleCase.sample_id == sample_id))
            return {picked.case.reference for picked in cases}

    assert sampled() == {"EH-1", "EH-2", "EH-6", "EH-T1", "EH-T2"}
    back = upload(admin, case_csv(row("EH-1"), row("EH-2"), row("EH-3")))
    assert closed_on(app)["EH-3"] is None
    assert "EH-3" in sampled()
    page = admin.get(back)
    assert page.select_one("#left-out") is None  # EH-4 and EH-5 are closed: nothing open is left out
    assert "Every open case of the team in this file was in it" in page.get_text()


@pytest.mark.parametrize(
    ("posted", "expected_status"),
    [({"close": "no"}, 302), ({}, 200), ({"close": "perhaps"}, 200)],
)
def test_leaving_them_open_or_no_clear_answer_stores_nothing(app, staff, admin, later, posted, expected_status):
    before = closed_on(app)
    page = admin.post(f"{later}/close-left-out", posted, _expected_status=expected_status)
    if expected_status == 200:
        assert page.title.get_text().startswith("Error: ")
        assert error_summary(page)[0][1] == "#close"
    assert closed_on(app) == before
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.event == "left_out_cases_closed")).all() == []
    assert admin.get(later).select_one("#left-out").get_text() == "3 open cases were not in this file"


def test_closing_without_the_csrf_token_stores_nothing(app, staff, admin, later):
    app.config["WTF_CSRF_ENABLED"] = True  # after the fixtures' posts, which send no token
    before = closed_on(app)
    response = admin.client.post(f"{later}/close-left-out", data={"close": "yes"})
    assert response.status_code == 400
    assert closed_on(app) == before


@pytest.mark.parametrize("who", ["service_manager", "auditor", "practitioner"])
def test_only_the_qa_team_may_see_or_close_them(app, staff, admin, later, who):
    other = signed_in(app, staff, who)
    other.get(later, _expected_status=403)
    other.get(f"{later}/close-left-out", _expected_status=403)
    other.post(f"{later}/close-left-out", {"close": "yes"}, _expected_status=403)
    assert closed_on(app)["EH-3"] is None


def test_a_long_list_is_shown_a_hundred_at_a_time_and_closed_all_together(app, staff, admin):
    upload(admin, case_csv(*(row(f"EH-{n:04d}") for n in range(1, 252))))
    later = upload(admin, LATER.replace(b"EH-1,", b"EH-0001,").replace(b"EH-2,", b"EH-0002,"))
    page = admin.get(later)
    assert page.select_one("#left-out").get_text() == "249 open cases were not in this file"
    assert page.select_one("table caption").get_text() == "Cases 1 to 100 of 249"
    assert listed(page)[0][0] == "EH-0003"
    assert page.select_one(".govuk-pagination__next a")["href"] == f"{later}?page=2#left-out"
    last = admin.get(f"{later}?page=3")
    assert last.select_one("table caption").get_text() == "Cases 201 to 249 of 249"
    assert [line[0] for line in listed(last)][-1] == "EH-0251"
    assert last.select_one(".govuk-pagination__next") is None
    assert admin.get(f"{later}?page=99").select_one("table caption").get_text() == "Cases 201 to 249 of 249"
    admin.get(f"{later}?page=x", _expected_status=400)
    admin.post(f"{later}/close-left-out", {"close": "yes"}, _expected_redirect=later)
    assert sum(day is not None for day in closed_on(app).values()) == 249


def test_cases_from_before_imports_were_kept_are_compared_too(app, staff, admin):
    add_cases(app, {"reference": "EH-OLD"}, {"reference": "EH-1"})
    page = admin.get(upload(admin, LATER))
    assert listed(page)[0][0] == "EH-OLD"
    assert listed(page)[0][2].startswith("Not recorded (last changed ")


def test_an_import_that_failed_leaves_nothing_out(app, staff, admin):
    upload(admin, FIRST)
    page = admin.get(upload(admin, case_csv("EH-1,nowhere,,,,2026-01-10,,,,,,,")))
    assert page.h1.get_text() == "Case list not imported"
    assert page.select_one("#left-out") is None
