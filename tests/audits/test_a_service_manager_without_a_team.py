"""A service manager who works across a service, in no team, sees and moderates that service's audits."""

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Alert, Service, User
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start
from tests.conftest import ClientRequest, error_summary


def _without_a_team(app, staff) -> None:
    with app.app_context():
        manager = db.session.get(User, staff["service_manager"]["id"])
        service = db.session.scalar(select(Service).where(Service.slug == "early-help-units"))
        manager.team_id, manager.home_service_id = None, service.id
        db.session.commit()


def test_they_read_moderate_and_are_alerted_about_their_services_audits(app, staff):
    _without_a_team(app, staff)
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"judgement": "inadequate", "intent": "submit"})
    with app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        told = {(recipient.email, recipient.why) for recipient in alert.recipients}
    assert ("sm@example.gov.uk", "service manager") in told
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    manager.get(f"/audits/{audit_id}")
    assert "Waiting for your moderation" in manager.get("/audits").get_text()
    manager.post(f"/audits/{audit_id}/moderate", {"outcome": "agree", "comment": "Agreed at panel"})


def test_they_see_nothing_of_another_service(app, staff):
    with app.app_context():
        manager = db.session.get(User, staff["service_manager"]["id"])
        youth = db.session.scalar(select(Service).where(Service.slug == "youth-hubs"))
        manager.team_id, manager.home_service_id = None, youth.id
        db.session.commit()
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    manager.get(f"/audits/{audit_id}", _expected_status=403)


def test_the_qa_team_gives_a_service_manager_a_service_or_a_team(app, client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    details = {"name": "Sol Service", "email": "sol@example.gov.uk", "role": "service_manager"}
    page = client_request.post("/admin/people/new", details, _expected_status=200)
    assert error_summary(page) == [("Select the service they manage, or a team", "#service")]
    with app.app_context():
        service_id = db.session.scalar(select(Service.id).where(Service.slug == "early-help-units"))
    client_request.post("/admin/people/new", details | {"service": str(service_id)})
    with app.app_context():
        sol = db.session.scalar(select(User).where(User.email == "sol@example.gov.uk"))
        assert (sol.team_id, sol.service_id) == (None, service_id)
