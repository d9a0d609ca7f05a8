"""Actions raised by audits are followed to completion, with every change kept."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from qaf.extensions import db
from qaf.models import ActionChange, AuditAction
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start
from tests.conftest import ClientRequest, error_summary

TOMORROW = date.today() + timedelta(days=1)


def due(day: date) -> dict[str, str]:
    return {"due_date-day": str(day.day), "due_date-month": str(day.month), "due_date-year": str(day.year)}


@pytest.fixture
def action_id(app, staff):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    auditor.post(
        f"/audits/{audit_id}/actions/new",
        {"description": "Update the chronology", "owner": str(staff["practitioner"]["id"])} | due(TOMORROW),
    )
    with app.app_context():
        return db.session.scalar(select(AuditAction.id))


def test_the_owner_sees_the_action_and_completes_it_with_a_note(app, staff, action_id):
    owner = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    page = owner.get("/actions")
    assert "Update the chronology" in page.get_text()
    owner.post(f"/actions/{action_id}", {"status": "in_progress", "note": "Started"})
    page = owner.post(f"/actions/{action_id}", {"status": "done", "note": ""}, _expected_status=200)
    assert error_summary(page) == [("Enter a note saying what was done", "#note")]
    owner.post(f"/actions/{action_id}", {"status": "done", "note": "Chronology updated to May"})
    with app.app_context():
        action = db.session.get(AuditAction, action_id)
        assert (action.status, action.completion_note) == ("done", "Chronology updated to May")
        history = [(change.status, change.note) for change in db.session.scalars(select(ActionChange))]
    assert history == [
        ("open", "Action raised"),
        ("in_progress", "Started"),
        ("done", "Chronology updated to May"),
    ]
    page = owner.get(f"/actions/{action_id}")
    assert "Chronology updated to May" in page.get_text()


def test_overdue_actions_stand_out(app, staff, action_id):
    with app.app_context():
        db.session.execute(update(AuditAction).values(due_date=date.today() - timedelta(days=3)))
        db.session.commit()
    owner = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    assert "Overdue" in owner.get("/actions").get_text()
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    rows = admin.get("/actions/tracker?overdue=yes").select("tbody tr")
    assert len(rows) == 1


def test_the_tracker_filters_by_team_owner_and_status(app, staff, action_id):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    assert len(admin.get("/actions/tracker").select("tbody tr")) == 1
    assert len(admin.get(f"/actions/tracker?owner={staff['practitioner']['id']}").select("tbody tr")) == 1
    assert admin.get("/actions/tracker?status=done").select("tbody tr") == []
    assert admin.get("/actions/tracker?team=3").select("tbody tr") == []
    assert admin.get("/actions/tracker?overdue=yes").select("tbody tr") == []


def test_an_action_due_in_the_past_cannot_be_raised(app, staff, action_id):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    with app.app_context():
        audit_id = db.session.get(AuditAction, action_id).audit_id
    page = auditor.post(
        f"/audits/{audit_id}/actions/new",
        {"description": "Late", "owner": str(staff["practitioner"]["id"])} | due(date.today() - timedelta(days=1)),
        _expected_status=200,
    )
    assert error_summary(page) == [("The due date must be today or in the future", "#due_date-day")]


@pytest.mark.parametrize(("who", "status"), [("other_auditor", 403), ("service_manager", 200), ("qa_admin", 200)])
def test_who_else_may_update_an_action(app, staff, action_id, who, status):
    client = ClientRequest(app.test_client()).login(staff[who]["email"])
    client.get(f"/actions/{action_id}", _expected_status=status)


def test_only_the_qa_team_sees_the_tracker(app, staff):
    ClientRequest(app.test_client()).login(staff["auditor"]["email"]).get("/actions/tracker", _expected_status=403)


def test_the_action_page_links_to_its_audit_rather_than_showing_markup(app, staff, action_id):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    page = auditor.get(f"/actions/{action_id}")
    link = page.find("a", string=lambda text: text and text.startswith("Audit "))
    assert link is not None
    assert link["href"].startswith("/audits/")
    assert "<a" not in page.get_text()
