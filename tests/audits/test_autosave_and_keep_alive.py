"""The edit page's script saves the draft as the auditor types, and can keep the session alive.

Both are POSTs with the page's CSRF token; autosave is the draft's auditor's alone, and only
while it is a draft. The app here checks CSRF tokens, as a deployment does.
"""

import time

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from tests.audits.test_answers_kept_after_timeout import app, every_answer, sign_in, start_audit, stored, token_on

__all__ = ["app"]  # the CSRF-checking app of the test beside this one


@pytest.fixture
def draft(app, staff) -> tuple[FlaskClient, int, str]:
    client = app.test_client()
    sign_in(client, staff["auditor"]["email"])
    audit_id = start_audit(app, client, staff)
    return client, audit_id, token_on(client, f"/audits/{audit_id}/edit")


def test_autosave_saves_an_unfinished_draft_and_stays_on_the_page(app, draft):
    client, audit_id, token = draft
    response = client.post(
        f"/audits/{audit_id}/autosave",
        data={"assessment_1": "met", "assessment_1_evidence": "Seen", "csrf_token": token},
    )
    assert response.status_code == 200
    assert response.json["saved"] is True
    assert response.json["csrf_token"]
    assert stored(app, audit_id).answers == {"assessment_1": "met", "assessment_1_evidence": "Seen"}
    assert stored(app, audit_id).status == "draft"


def test_autosave_needs_the_csrf_token(app, draft):
    client, audit_id, _token = draft
    response = client.post(f"/audits/{audit_id}/autosave", data={"assessment_1": "met"})
    assert response.status_code == 400
    assert stored(app, audit_id).answers == {}


def test_autosave_refuses_an_answer_that_is_not_allowed_and_saves_nothing(app, draft):
    client, audit_id, token = draft
    response = client.post(f"/audits/{audit_id}/autosave", data={"impact": "11", "csrf_token": token})
    assert response.status_code == 422
    assert response.json["saved"] is False
    assert stored(app, audit_id).answers == {}


@pytest.mark.parametrize("who", ["service_manager", "qa_admin", "other_auditor"])
def test_only_the_drafts_auditor_autosaves_it(app, staff, draft, who):
    _client, audit_id, _token = draft
    other = app.test_client()
    sign_in(other, staff[who]["email"])
    token = token_on(other, "/staff")
    response = other.post(f"/audits/{audit_id}/autosave", data={"assessment_1": "met", "csrf_token": token})
    assert response.status_code == 403
    assert stored(app, audit_id).answers == {}


def test_a_submitted_audit_is_not_autosaved(app, draft):
    client, audit_id, token = draft
    answers = {"csrf_token": token, "intent": "submit"}
    page = client.post(f"/audits/{audit_id}/edit", data=answers)
    assert page.status_code == 200  # not complete: nothing submitted yet
    client.post(f"/audits/{audit_id}/edit", data=MultiDict([*every_answer(app), *answers.items()]))
    assert stored(app, audit_id).status == "submitted"
    response = client.post(f"/audits/{audit_id}/autosave", data={"assessment_1": "not_met", "csrf_token": token})
    assert response.status_code == 403
    assert stored(app, audit_id).answers["assessment_1"] != "not_met"


def test_autosave_after_the_idle_timeout_sends_the_browser_to_sign_in_and_saves_nothing(app, draft):
    client, audit_id, token = draft
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    response = client.post(f"/audits/{audit_id}/autosave", data={"assessment_1": "met", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert stored(app, audit_id).answers == {}


def test_staying_signed_in_restarts_the_idle_timeout(app, draft):
    client, _audit_id, token = draft
    nearly = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 + 60
    with client.session_transaction() as session:
        session["last_seen"] = nearly
    response = client.post("/session/keep-alive", data={"csrf_token": token})
    assert response.status_code == 200
    assert response.json["seconds_left"] > app.config["SESSION_IDLE_MINUTES"] * 60 - 30
    assert response.json["csrf_token"]
    with client.session_transaction() as session:
        assert session["last_seen"] > nearly


def test_staying_signed_in_needs_the_csrf_token_and_a_session(app, draft):
    client, _audit_id, _token = draft
    assert client.post("/session/keep-alive", data={}).status_code == 400
    assert app.test_client().post("/session/keep-alive", data={}).status_code == 400
