"""Who can see and moderate which audit: the practitioner, their managers, and nobody from elsewhere."""

import pytest

from qaf.extensions import db
from qaf.models import Audit
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start, stored_audit
from tests.conftest import ClientRequest, error_summary


@pytest.fixture
def submitted(app, staff):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    return audit_id


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("auditor", 200),
        ("practitioner", 200),
        ("service_manager", 200),
        ("qa_admin", 200),
        ("other_auditor", 403),
    ],
)
def test_who_can_read_a_submitted_audit(app, staff, submitted, who, status):
    ClientRequest(app.test_client()).login(staff[who]["email"]).get(f"/audits/{submitted}", _expected_status=status)


def test_a_service_manager_from_another_service_cannot_see_it(app, staff, submitted):
    with app.app_context():
        from qaf.models import Team, User

        manager = db.session.get(User, staff["other_auditor"]["id"])
        manager.role = "service_manager"
        manager.session_version += 1
        db.session.commit()
        assert db.session.get(Team, manager.team_id).service_id != 1
    other = ClientRequest(app.test_client()).login(staff["other_auditor"]["email"])
    other.get(f"/audits/{submitted}", _expected_status=403)
    other.get(f"/audits/{submitted}/moderate", _expected_status=403)


@pytest.mark.parametrize(
    ("who", "status"),
    [("auditor", 200), ("qa_admin", 200), ("practitioner", 403), ("service_manager", 403), ("other_auditor", 403)],
)
def test_a_draft_is_read_only_by_its_auditor_and_the_qa_team_until_it_is_submitted(app, staff, who, status):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"judgement": "inadequate", "intent": "save"})
    reader = ClientRequest(app.test_client()).login(staff[who]["email"])
    page = reader.get(f"/audits/{audit_id}", _expected_status=status)
    if status == 403:
        assert "Inadequate" not in page.get_text()
    reader.get(f"/audits/{audit_id}/moderate", _expected_status=403)
    if status == 403:
        reader.get(f"/audits/{audit_id}/edit", _expected_status=403)
        reader.post(f"/audits/{audit_id}/actions/new", {"description": "x"}, _expected_status=403)


def test_the_service_manager_agrees_the_grade(app, staff, submitted):
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    page = manager.get("/audits")
    assert "Waiting for your moderation" in page.get_text()
    page = manager.get(f"/audits/{submitted}/moderate")
    assert "graded this Good, with scaling 6 out of 10" in page.get_text()
    manager.post(f"/audits/{submitted}/moderate", {"outcome": "agree", "comment": "Well evidenced"})
    audit = stored_audit(app, submitted)
    assert (audit.moderated_grade, audit.moderation_comment) == (None, "Well evidenced")
    assert audit.moderator_id == staff["service_manager"]["id"]
    assert "Grade agreed by Sam Manager" in manager.get(f"/audits/{submitted}").get_text()
    manager.get(f"/audits/{submitted}/moderate", _expected_status=403)


def test_the_service_manager_changes_the_grade_and_it_becomes_the_final_grade(app, staff, submitted):
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    page = manager.post(f"/audits/{submitted}/moderate", {"outcome": "change", "comment": "x"}, _expected_status=200)
    assert error_summary(page) == [("Select the moderated grade", "#moderated_grade")]
    manager.post(
        f"/audits/{submitted}/moderate",
        {"outcome": "change", "moderated_grade": "requires_improvement", "comment": "Plan lacks outcomes"},
    )
    audit = stored_audit(app, submitted)
    assert (audit.grade, audit.moderated_grade, audit.final_grade) == (
        "good",
        "requires_improvement",
        "requires_improvement",
    )
    text = manager.get(f"/audits/{submitted}").get_text()
    assert "Grade changed to Requires improvement by Sam Manager" in text


def test_moderating_down_to_inadequate_sends_the_alert(app, staff, submitted):
    from sqlalchemy import select

    from qaf.models import Alert

    manager = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    manager.post(
        f"/audits/{submitted}/moderate", {"outcome": "change", "moderated_grade": "inadequate", "comment": "c"}
    )
    with app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        assert alert.reasons == "The overall judgement is Inadequate (after moderation)"


@pytest.mark.parametrize("who", ["auditor", "practitioner", "other_auditor"])
def test_only_moderators_in_scope_who_did_not_do_the_audit_may_moderate(app, staff, submitted, who):
    client = ClientRequest(app.test_client()).login(staff[who]["email"])
    client.post(f"/audits/{submitted}/moderate", {"outcome": "agree", "comment": "x"}, _expected_status=403)
    with app.app_context():
        assert db.session.get(Audit, submitted).moderated_at is None


def test_the_practitioner_sees_audits_of_their_work(app, staff, submitted):
    practitioner = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    page = practitioner.get("/audits")
    assert "Audits of your work" in page.get_text()
    assert "Start an audit" not in page.get_text()
    practitioner.get("/audits/new", _expected_status=403)


def test_an_unknown_audit_is_not_found(client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    client_request.get("/audits/999", _expected_status=404)
