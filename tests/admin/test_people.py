"""The QA team manages people: add with a set-password link, change, deactivate, reactivate."""

import io
import re

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import AuditEvent, OutboxMessage, User
from tests.conftest import ClientRequest, check_page, error_summary


def admin(client_request, staff) -> ClientRequest:
    return client_request.login(staff["qa_admin"]["email"])


def test_adding_a_person_emails_them_a_link_to_set_a_password(app, client_request, staff):
    admin(client_request, staff)
    page = client_request.get("/admin/people/new")
    team_options = [option.get_text() for option in page.select("#team option")]
    assert "Ashford Early Help Unit (Early Help Units)" in team_options
    client_request.post(
        "/admin/people/new",
        {"name": "Nia New", "email": "Nia.New@example.gov.uk", "role": "auditor", "team": "1", "line_manager": ""},
    )
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == "nia.new@example.gov.uk"))
        assert person.role == "auditor"
        assert person.password_hash is None
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.recipient == "nia.new@example.gov.uk"
        link = re.search(r"http://[^/]+(/set-password/\S+)", message.body).group(1)
        events = [event.event for event in db.session.scalars(select(AuditEvent))]
    assert {"user_created", "set_password_link_sent"} <= set(events)
    fresh = ClientRequest(app.test_client())
    fresh.post(link, {"new_password": "pebble mountain violin", "confirm_password": "pebble mountain violin"})
    ClientRequest(app.test_client()).login("nia.new@example.gov.uk", "pebble mountain violin")


def test_a_person_needs_a_unique_real_email_address_and_a_role(client_request, staff):
    admin(client_request, staff)
    page = client_request.post(
        "/admin/people/new", {"name": "", "email": "not-an-email", "role": "wizard"}, _expected_status=200
    )
    assert error_summary(page) == [
        ("Enter their full name", "#name"),
        ("Enter their email address in the correct format, like name@example.gov.uk", "#email"),
        ("Select a role from the list", "#role"),
    ]
    page = client_request.post(
        "/admin/people/new",
        {"name": "Copy", "email": "AUDITOR@example.gov.uk", "role": "auditor"},
        _expected_status=200,
    )
    assert error_summary(page) == [("There is already an account with that email address", "#email")]


def test_changing_a_person_is_recorded(app, client_request, staff):
    admin(client_request, staff)
    person_id = staff["practitioner"]["id"]
    page = client_request.get(f"/admin/people/{person_id}")
    assert page.select_one("#name")["value"] == "Priya Worker"
    client_request.post(
        f"/admin/people/{person_id}",
        {
            "name": "Priya Worker",
            "email": "worker@example.gov.uk",
            "role": "auditor",
            "team": "2",
            "line_manager": str(staff["auditor"]["id"]),
        },
    )
    with app.app_context():
        person = db.session.get(User, person_id)
        assert (person.role, person.team_id, person.line_manager_id) == ("auditor", 2, staff["auditor"]["id"])
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "user_changed")).one()
    assert event.description == "worker@example.gov.uk: role, team changed"


def test_someone_cannot_be_their_own_line_manager(client_request, staff):
    admin(client_request, staff)
    person_id = staff["practitioner"]["id"]
    page = client_request.post(
        f"/admin/people/{person_id}",
        {"name": "Priya Worker", "email": "worker@example.gov.uk", "role": "auditor", "line_manager": str(person_id)},
        _expected_status=200,
    )
    assert ("Select a line manager from the list", "#line_manager") in error_summary(page)


def test_deactivating_and_reactivating_a_person(app, client_request, staff):
    admin(client_request, staff)
    person_id = staff["practitioner"]["id"]
    client_request.post(f"/admin/people/{person_id}/deactivate", {})
    assert "Deactivated" in client_request.get("/admin/people").get_text()
    client_request.post(f"/admin/people/{person_id}/reactivate", {})
    with app.app_context():
        assert db.session.get(User, person_id).active


def test_an_administrator_cannot_deactivate_themselves(app, client_request, staff):
    admin(client_request, staff)
    client_request.post(f"/admin/people/{staff['qa_admin']['id']}/deactivate", {})
    with app.app_context():
        assert db.session.get(User, staff["qa_admin"]["id"]).active


def test_people_can_be_filtered_by_role(client_request, staff):
    admin(client_request, staff)
    page = client_request.get("/admin/people?role=auditor")
    names = [link.get_text() for link in page.select("table a")]
    assert names == ["Alex Auditor", "Olu Other"]


def upload_staff(client_request, text: str, encoding: str = "utf-8"):
    response = client_request.client.post(
        "/admin/people/import",
        data={"file": (io.BytesIO(text.encode(encoding)), "staff.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return check_page(response.get_data(as_text=True))


def test_staff_are_added_from_a_csv_with_set_password_links(app, client_request, staff):
    admin(client_request, staff)
    page = client_request.get("/admin/people")
    assert page.select_one("a[href='/admin/people/import']")
    text = (
        "Name,Email address,Role,Team,Line manager,Payroll number,,\r\n"
        "Nia New,Nia.New@example.gov.uk,Auditor (team manager),Dover Early Help Unit,ben.boss@example.gov.uk,1,,\r\n"
        "Ben Boss,ben.boss@example.gov.uk,service manager,ashford-ehu,sm@example.gov.uk,2,,\r\n"
        "Alex Again,AUDITOR@example.gov.uk,auditor,,,3,,\r\n"
        ",,,,,,,\r\n"
    )
    page = upload_staff(client_request, text, "cp1252")
    assert page.h1.get_text() == "2 people added"
    assert [item.get_text() for item in page.select("#added li")] == [
        "Nia New (nia.new@example.gov.uk)",
        "Ben Boss (ben.boss@example.gov.uk)",
    ]
    assert [item.get_text() for item in page.select("#existing li")] == ["Line 4: auditor@example.gov.uk"]
    assert "‘Payroll number’" in page.select_one("#ignored-columns").get_text()
    with app.app_context():
        nia = db.session.scalar(select(User).where(User.email == "nia.new@example.gov.uk"))
        ben = db.session.scalar(select(User).where(User.email == "ben.boss@example.gov.uk"))
        assert (nia.role, nia.team.slug, nia.line_manager_id, nia.password_hash) == (
            "auditor",
            "dover-ehu",
            ben.id,
            None,
        )
        assert (ben.role, ben.line_manager_id) == ("service_manager", staff["service_manager"]["id"])
        assert (
            db.session.scalar(select(func.count()).select_from(User).where(User.email == "auditor@example.gov.uk")) == 1
        )
        messages = {message.recipient: message.body for message in db.session.scalars(select(OutboxMessage))}
        events = [event.event for event in db.session.scalars(select(AuditEvent))]
    assert set(messages) == {"nia.new@example.gov.uk", "ben.boss@example.gov.uk"}
    assert events.count("set_password_link_sent") == 2
    assert "staff_imported" in events
    link = re.search(r"http://[^/]+(/set-password/\S+)", messages["nia.new@example.gov.uk"]).group(1)
    ClientRequest(app.test_client()).post(
        link, {"new_password": "pebble mountain violin", "confirm_password": "pebble mountain violin"}
    )
    ClientRequest(app.test_client()).login("nia.new@example.gov.uk", "pebble mountain violin")


def test_a_staff_file_with_a_bad_row_adds_nobody_and_lists_every_problem_by_line(app, client_request, staff):
    admin(client_request, staff)
    text = (
        "name,email,role,team,line_manager\n"
        "Good Person,good@example.gov.uk,practitioner,,\n"
        ",not-an-email,wizard,nowhere,\n"
        "Twice,good@example.gov.uk,auditor,,\n"
        "Lost,lost@example.gov.uk,auditor,,nobody@example.gov.uk\n"
    )
    page = upload_staff(client_request, text)
    assert error_summary(page) == [
        ("Line 3: name: enter their full name", "#file"),
        ("Line 3: email: ‘not-an-email’ is not an email address", "#file"),
        (
            "Line 3: role: ‘wizard’ is not a role; the roles are practitioner, auditor, service_manager, qa_admin",
            "#file",
        ),
        ("Line 3: team: there is no team ‘nowhere’ in Services and teams", "#file"),
        ("Line 4: email: good@example.gov.uk is also on line 2", "#file"),
        (
            "Line 5: line_manager: ‘nobody@example.gov.uk’ is not the email address of an account or of a row in "
            "the file",
            "#file",
        ),
    ]
    assert "6 problems in the file: nobody was added" in page.get_text()
    page = upload_staff(client_request, "full name,email\nA,a@example.gov.uk\n")
    assert error_summary(page) == [("Line 1: the column ‘role’ is missing", "#file")]
    with app.app_context():
        assert (
            db.session.scalar(select(User).where(User.email.in_(["good@example.gov.uk", "a@example.gov.uk"]))) is None
        )
        assert db.session.scalars(select(OutboxMessage)).first() is None
    page = client_request.post("/admin/people/import", {}, _expected_status=200)
    assert error_summary(page) == [("Choose a CSV file of staff", "#file")]


def test_only_a_qa_administrator_imports_staff(app, client_request, staff):
    client_request.login(staff["service_manager"]["email"])
    assert client_request.client.get("/admin/people/import").status_code == 403
