"""Signing in and out: one message for any wrong detail, a fresh session, a safe next page."""

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent
from tests.conftest import PASSWORD, error_summary


def events(app, name):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)).all()


def test_staff_sign_in_and_see_their_account(app, client_request, staff):
    client_request.login("auditor@example.gov.uk")
    page = client_request.get("/staff")
    assert "Alex Auditor" in page.get_text()
    assert "Auditor (team manager)" in page.get_text()
    [signed_in] = events(app, "signed_in")
    assert signed_in.actor_email == "auditor@example.gov.uk"
    assert signed_in.ip_address == "127.0.0.1"


def test_the_email_address_is_not_case_sensitive(client_request, staff):
    client_request.login("Auditor@Example.GOV.uk")


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("auditor@example.gov.uk", "not the right password"),
        ("nobody@example.gov.uk", PASSWORD),
    ],
)
def test_a_wrong_email_or_password_gets_the_same_answer(app, client_request, staff, email, password):
    page = client_request.post("/sign-in", {"email": email, "password": password}, _expected_status=200)
    assert error_summary(page) == [("Enter a correct email address and password", "#password")]
    assert page.select_one("#password")["value"] == ""
    assert [event.actor_email for event in events(app, "sign_in_failed")] == [email]


def test_an_empty_sign_in_asks_for_both(client_request, staff):
    page = client_request.post("/sign-in", {}, _expected_status=200)
    assert error_summary(page) == [("Enter your email address", "#email"), ("Enter your password", "#password")]


def test_a_deactivated_person_cannot_sign_in(app, client_request, staff):
    with app.app_context():
        from qaf.models import User

        db.session.get(User, staff["auditor"]["id"]).active = False
        db.session.commit()
    page = client_request.post(
        "/sign-in", {"email": "auditor@example.gov.uk", "password": PASSWORD}, _expected_status=200
    )
    assert error_summary(page)[0][0] == "Enter a correct email address and password"


def test_signing_in_returns_to_the_page_asked_for(app, staff):
    client = app.test_client()
    response = client.get("/admin/people")
    assert response.headers["Location"] == "/sign-in?next=/admin/people"
    response = client.post("/sign-in?next=/admin/people", data={"email": "qa@example.gov.uk", "password": PASSWORD})
    assert response.headers["Location"] == "/admin/people"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_signing_in_never_sends_people_to_another_site(app, staff, target):
    response = app.test_client().post(
        f"/sign-in?next={target}", data={"email": "qa@example.gov.uk", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/staff"


def test_signing_in_starts_a_new_session(app, staff):
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/sign-in", data={"email": "qa@example.gov.uk", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_out_is_a_post_and_records_it(app, client_request, staff):
    client_request.login("qa@example.gov.uk")
    assert client_request.client.get("/sign-out").status_code == 405
    client_request.post("/sign-out", {}, _expected_redirect="/sign-in")
    assert len(events(app, "signed_out")) == 1
    assert client_request.client.get("/staff").status_code == 302


def test_a_signed_in_person_visiting_sign_in_goes_to_their_account(client_request, staff):
    client_request.login("qa@example.gov.uk")
    assert client_request.client.get("/sign-in").headers["Location"] == "/staff"


def test_without_an_identity_provider_there_is_no_council_sign_in(app, client_request, staff):
    assert client_request.client.get("/sign-in/oidc").status_code == 404
    assert client_request.client.get("/sign-in/oidc/callback?code=x&state=y").status_code == 404
    assert client_request.get("/sign-in").select_one("a.govuk-button") is None
