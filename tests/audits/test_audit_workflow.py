"""An auditor starts, drafts and submits an audit; it becomes read-only; alerts go to the right people."""

import re

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Alert, Audit, OutboxMessage
from tests.audits.conftest import COMPLETE
from tests.conftest import ClientRequest, error_summary


def start(client: ClientRequest, staff, case="EH-1001", template="sample-audit") -> int:
    client.post(
        "/audits/new",
        {"template": template, "case_reference": case, "team": "1", "practitioner": str(staff["practitioner"]["id"])},
    )
    location = client.client.get("/audits").get_data(as_text=True)
    return int(re.findall(r"/audits/(\d+)/edit", location)[-1])


def stored_audit(app, audit_id) -> Audit:
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        db.session.expunge(audit)
        return audit


def test_an_auditor_starts_saves_and_submits_an_audit(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    page = client_request.get("/audits/new")
    assert "Sample case audit" in page.get_text()
    audit_id = start(client_request, staff)
    page = client_request.get(f"/audits/{audit_id}/edit")
    assert page.select_one("input[name=a1][value=met]")
    assert page.select_one("textarea#a1_evidence")

    client_request.post(f"/audits/{audit_id}/edit", {"a1": "met", "intent": "draft"})
    assert stored_audit(app, audit_id).answers == {"a1": "met"}
    page = client_request.get(f"/audits/{audit_id}/edit")
    assert page.select_one("input[name=a1][value=met]").has_attr("checked")
    assert "Your drafts" in client_request.get("/audits").get_text()

    client_request.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    audit = stored_audit(app, audit_id)
    assert (audit.status, audit.grade, audit.scaling) == ("submitted", "good", 6)
    assert audit.answers["a1_evidence"] == "Assessment refreshed in March"
    page = client_request.get(f"/audits/{audit_id}")
    assert "Partly met" in page.get_text()
    assert "Evidence: Assessment refreshed in March" in page.get_text()
    assert "Good" in page.get_text()


def test_a_submitted_audit_is_read_only_to_its_auditor(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    audit_id = start(client_request, staff)
    client_request.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    client_request.get(f"/audits/{audit_id}/edit", _expected_status=403)
    client_request.post(
        f"/audits/{audit_id}/edit", COMPLETE | {"judgement": "outstanding", "intent": "submit"}, _expected_status=403
    )
    assert stored_audit(app, audit_id).grade == "good"


def test_submitting_needs_every_required_answer_but_a_draft_does_not(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    audit_id = start(client_request, staff)
    page = client_request.post(f"/audits/{audit_id}/edit", {"a1": "met", "intent": "submit"}, _expected_status=200)
    assert error_summary(page) == [
        ("Select the impact", "#impact"),
        ("Select the overall judgement", "#judgement"),
        ("Select whether there are unresolved safeguarding issues", "#safeguarding"),
    ]
    assert stored_audit(app, audit_id).status == "draft"


def test_a_draft_still_refuses_answers_that_are_not_allowed(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    audit_id = start(client_request, staff)
    page = client_request.post(f"/audits/{audit_id}/edit", {"impact": "11", "intent": "draft"}, _expected_status=200)
    assert error_summary(page) == [("Select the impact from the list", "#impact")]
    assert stored_audit(app, audit_id).answers == {}


def test_a_case_reference_is_a_reference_not_a_name(client_request, staff):
    client_request.login(staff["auditor"]["email"])
    page = client_request.post(
        "/audits/new", {"template": "sample-audit", "case_reference": "Jane Smith", "team": "1"}, _expected_status=200
    )
    assert error_summary(page) == [
        ("Enter the case reference using letters, numbers, hyphens and slashes only", "#case_reference")
    ]


def test_an_inadequate_grade_alerts_the_line_manager_team_manager_and_service_manager(app, client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    audit_id = start(client_request, staff, case="EH-2002")
    client_request.post(f"/audits/{audit_id}/edit", COMPLETE | {"judgement": "inadequate", "intent": "submit"})
    with app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        recipients = sorted((recipient.user.email, recipient.why) for recipient in alert.recipients)
        messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.startswith("QAF alert"))).all()
    assert recipients == [("auditor@example.gov.uk", "line manager"), ("sm@example.gov.uk", "service manager")]
    assert {message.recipient for message in messages} == {"auditor@example.gov.uk", "sm@example.gov.uk"}
    body = messages[0].body
    assert f"Inadequate practice: audit {audit_id} (Sample case audit) in Ashford Early Help Unit" in body
    assert "The overall judgement is Inadequate" in body
    assert f"/audits/{audit_id}" in body
    assert "Priya" not in body, "the message names the audit, not the people in the case"
    assert "EH-2002" not in body + messages[0].subject, "nor the case"
    page = client_request.get(f"/audits/{audit_id}")
    assert "Alex Auditor (line manager)" in page.get_text()
    assert "Sam Manager (service manager)" in page.get_text()


def test_an_unresolved_safeguarding_issue_alerts_too(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    audit_id = start(client_request, staff)
    client_request.post(f"/audits/{audit_id}/edit", COMPLETE | {"safeguarding": "yes", "intent": "submit"})
    with app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        assert alert.reasons == "There are unresolved safeguarding issues"
        # The auditor raised it; their service manager is told.
        assert [recipient.user.email for recipient in alert.recipients] == ["sm@example.gov.uk"]


def test_a_good_audit_sends_no_alert(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    audit_id = start(client_request, staff)
    client_request.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    with app.app_context():
        assert db.session.scalars(select(Alert)).all() == []


def _raise_an_immediate_concern(app, client_request, staff) -> int:
    from qaf.forms_registry import all_forms

    client_request.login(staff["service_manager"]["email"])
    audit_id = start(client_request, staff, template="practice-evaluation")
    with app.app_context():
        spec = all_forms()["practice-evaluation"]
    answers = {"intent": "submit"}
    for question in spec.questions:
        if question.required:
            answers[question.id] = question.options[-1].value if question.options else "Noted"
    answers["immediate_concerns"] = "yes"
    if spec.grade_question:
        answers[spec.grade_question] = "good"
    client_request.post(f"/audits/{audit_id}/edit", answers)
    return audit_id


def test_immediate_concerns_in_a_practice_evaluation_also_reach_the_practitioner_and_the_director(
    app, client_request, staff
):
    """Seed 004: immediate concerns are shared in writing with practitioner, managers and the Director."""
    app.config["DIRECTOR_EMAIL"] = "director@example.gov.uk"
    _raise_an_immediate_concern(app, client_request, staff)
    with app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        told = {(recipient.email, recipient.why) for recipient in alert.recipients}
    assert told == {
        ("auditor@example.gov.uk", "line manager"),
        ("worker@example.gov.uk", "practitioner"),
        ("director@example.gov.uk", "director"),
    }


def test_without_a_director_address_the_audit_page_says_the_director_was_not_told(app, client_request, staff):
    app.config["DIRECTOR_EMAIL"] = ""
    audit_id = _raise_an_immediate_concern(app, client_request, staff)
    with app.app_context():
        sent_to = {message.recipient for message in db.session.scalars(select(OutboxMessage))}
    assert sent_to == {"auditor@example.gov.uk", "worker@example.gov.uk"}
    text = " ".join(client_request.get(f"/audits/{audit_id}").get_text().split())
    assert "Told: Alex Auditor (line manager), Priya Worker (practitioner)." in text
    assert "Not told: the Director, because QAF has no address for them" in text


def test_check_forms_and_start_up_warn_when_a_template_tells_a_director_qaf_cannot_reach(app, tmp_path, caplog):
    from tests.conftest import empty_database, make_app

    (tmp_path / "unset").mkdir()
    unset = make_app(tmp_path / "unset", DIRECTOR_EMAIL="")
    empty_database(unset)
    assert any("DIRECTOR_EMAIL is not set" in record.getMessage() for record in caplog.records)
    app.config["DIRECTOR_EMAIL"] = ""
    result = app.test_cli_runner().invoke(args=["qaf", "check-forms"])
    assert "practice-evaluation.yaml: its alerts tell the Director, but DIRECTOR_EMAIL is not set" in result.stderr
    app.config["DIRECTOR_EMAIL"] = "director@example.gov.uk"
    assert "DIRECTOR_EMAIL" not in app.test_cli_runner().invoke(args=["qaf", "check-forms"]).stderr
