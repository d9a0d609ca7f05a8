"""Services and teams, and the audit log that records every change."""

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Service, Team
from tests.conftest import error_summary


def test_adding_a_service_and_a_team(app, client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    client_request.post("/admin/services/new", {"name": "Youth Justice"}, _expected_redirect="/admin/organisation")
    with app.app_context():
        service_id = db.session.scalar(select(Service.id).where(Service.name == "Youth Justice"))
    client_request.post(
        "/admin/teams/new", {"name": "Dover Youth Justice", "service": str(service_id), "district": "Dover"}
    )
    page = client_request.get("/admin/organisation")
    assert "Dover Youth Justice" in page.get_text()
    assert "/feedback/family?team=dover-youth-justice" in page.get_text()


def test_renaming_a_team_keeps_its_links_working(app, client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "dover-ehu"))
        team_id, service_id = team.id, team.service_id
    client_request.post(f"/admin/teams/{team_id}", {"name": "Dover and Deal EHU", "service": str(service_id)})
    with app.app_context():
        assert db.session.get(Team, team_id).slug == "dover-ehu"
        assert db.session.get(Team, team_id).name == "Dover and Deal EHU"


def test_names_must_be_unique(client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.post("/admin/services/new", {"name": "youth hubs"}, _expected_status=200)
    assert error_summary(page) == [("There is already a service with that name", "#name")]
    page = client_request.post("/admin/teams/new", {"name": "", "service": ""}, _expected_status=200)
    assert error_summary(page) == [
        ("Enter the name of the team", "#name"),
        ("Select the service the team is part of", "#service"),
    ]


def test_the_audit_log_shows_changes_and_can_be_filtered(client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    client_request.post("/admin/services/new", {"name": "Youth Justice"})
    page = client_request.get("/admin/audit-log?event=service_created")
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
    assert len(rows) == 1
    assert rows[0][1:4] == ["qa@example.gov.uk", "Service added", "Youth Justice"]
    everything = client_request.get("/admin/audit-log?who=qa@")
    assert "Signed in" in everything.get_text()
    assert client_request.get("/admin/audit-log?from=2999-01-01").select("tbody tr") == []
    client_request.get("/admin/audit-log?from=not-a-date&to=nor-this")
