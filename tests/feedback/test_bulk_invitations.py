"""Invitations from a CSV of case references: all made, or none and every problem by line."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Invitation
from tests.conftest import ClientRequest

GOOD_CSV = "case_reference,stage,team\nEH-1,assessment,ashford-ehu\nEH-2,Review,ashford-ehu\nEH-3,closure,ashford-ehu\n"


def upload(client: ClientRequest, text: str, expected=200, form="family"):
    return client.client.post(
        "/invitations/bulk",
        data={"form": form, "file": (io.BytesIO(text.encode()), "cases.csv")},
        content_type="multipart/form-data",
    ), expected


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Invitation))


@pytest.fixture
def worker(app, staff) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff["auditor"]["email"])


def test_a_good_file_makes_one_slip_a_case(app, worker):
    response, _ = upload(worker, GOOD_CSV)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 invitations made" in html
    assert len(set(re.findall(r"/i/([\w-]{43})", html))) == 3
    assert count(app) == 3


def test_a_byte_order_mark_and_a_form_column_are_understood(app, worker):
    text = "\ufeffcase_reference,stage,team,form\nEH-1,closure,ashford-ehu,child\n"
    response, _ = upload(worker, text)
    assert "Invitation made" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Invitation)).one().form_key == "child"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "case_reference,stage,team\nEH-1,assessment,ashford-ehu\nJane Smith,halfway,nowhere\n,closure,dover-ehu\n",
            [
                "Line 3: the case reference 'Jane Smith' must be letters, numbers, - / _",
                "Line 3: the stage 'halfway' must be assessment, review or closure",
                "Line 3: there is no team 'nowhere'",
                "Line 4: the case reference '' must be letters, numbers, - / _",
            ],
        ),
        ("reference,stage\nEH-1,closure\n", ["Line 1: the column ‘team’ is missing"]),
        (
            "ref,stage\nEH-1,closure\n",
            [
                "Line 1: the column ‘case_reference’ is missing; the file's other columns are ‘ref’",
                "Line 1: the column ‘team’ is missing; the file's other columns are ‘ref’",
            ],
        ),
        ("case_reference,stage,team\n", ["The file has no rows under its header"]),
        ("case_reference,stage,team,form\nEH-1,closure,ashford-ehu,partner\n", ["Line 2: there is no family form"]),
    ],
)
def test_a_bad_file_makes_nothing_and_says_what_is_wrong_by_line(app, worker, text, problems):
    response, _ = upload(worker, text)
    html = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert "There is a problem" in html
    for problem in problems:
        assert problem in html
    assert count(app) == 0


def test_a_file_that_is_not_text_is_refused(app, worker):
    response = worker.client.post(
        "/invitations/bulk",
        data={"form": "family", "file": (io.BytesIO(b"case_reference,stage,team\n\x81\x8d"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert "The file cannot be read as text: save it from your spreadsheet as ‘CSV UTF-8’" in response.get_data(
        as_text=True
    )
    assert count(app) == 0


def test_a_file_as_excel_and_case_systems_write_it_is_read(app, worker):
    """Excel's plain CSV encoding, its trailing empty rows and columns, headings as people write them, team names."""
    text = (
        "Case Reference,Stage,Team,Worker notes,,\r\n"
        "EH-1,Assessment,Ashford Early Help Unit,Café visit,,\r\n"
        "EH-2,review,ashford-ehu,,,\r\n"
        ",,,,,\r\n"
        ",,,,,\r\n"
    )
    response = worker.client.post(
        "/invitations/bulk",
        data={"form": "family", "file": (io.BytesIO(text.encode("cp1252")), "cases.csv")},
        content_type="multipart/form-data",
    )
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert "2 invitations made" in page
    assert "Columns not read (QAF has no column for them): ‘Worker notes’" in page
    with app.app_context():
        assert sorted(i.case_reference for i in db.session.scalars(select(Invitation))) == ["EH-1", "EH-2"]


def test_no_file_at_all_is_an_error(app, worker):
    response = worker.client.post("/invitations/bulk", data={"form": "family"}, content_type="multipart/form-data")
    assert "Choose a CSV file of case references" in response.get_data(as_text=True)


def test_a_file_larger_than_a_form_post_is_accepted_up_to_its_own_limit(app, worker):
    """The global 100 KB limit refuses big posts; this page allows 1 MB, and still checks every row."""
    rows = "".join(f"EH-{number},closure,ashford-ehu\n" for number in range(6000))
    text = "case_reference,stage,team\n" + rows
    assert len(text) > 100 * 1024
    response, _ = upload(worker, text)
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text()
    assert "The file has more than 500 rows: split it into smaller files" in page
    assert count(app) == 0


def test_a_line_that_is_not_csv_is_a_problem_not_a_crash(app, worker):
    response, _ = upload(worker, "case_reference,stage,team\n" + "x" * 200_000 + ",closure,ashford-ehu\n")
    assert "Line 2: this line cannot be read as CSV" in response.get_data(as_text=True)
    assert count(app) == 0


def test_the_upload_page_still_needs_a_csrf_token(tmp_path):
    from tests.conftest import add_teams, empty_database, make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    add_teams(app)
    from qaf.auth.passwords import hash_password
    from qaf.models import User
    from tests.conftest import PASSWORD

    with app.app_context():
        db.session.add(User(email="w@example.gov.uk", name="W", role="auditor", password_hash=hash_password(PASSWORD)))
        db.session.commit()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"email": "w@example.gov.uk", "password": PASSWORD, "csrf_token": token})
    response = client.post(
        "/invitations/bulk",
        data={"form": "family", "file": (io.BytesIO(GOOD_CSV.encode()), "cases.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert count(app) == 0
    empty_database(app)
