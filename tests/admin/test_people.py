"""The QA team manages people: add with a set-password link, change, deactivate, reactivate."""

import re

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent, OutboxMessage, User
from tests.conftest import ClientRequest, error_summary


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
