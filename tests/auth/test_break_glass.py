"""Passwords turned off: everyone signs in with the council's account but the break-glass administrators.

With ``PASSWORD_SIGN_IN=off`` the sign-in page has only the council's button; the password
form is at /sign-in/break-glass for the addresses in ``BREAK_GLASS_EMAILS``, and password
links (reset, set, sign in once) work for them alone.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from qaf import create_app
from qaf.auth.tokens import LinkKind, issue_link
from qaf.deployment import DeploymentError
from qaf.extensions import db
from qaf.models import AuditEvent, OutboxMessage, User
from tests.auth.oidc import Provider, council_settings
from tests.auth.test_council_sign_in import callback_for
from tests.conftest import PASSWORD, ClientRequest, empty_database, error_summary, make_app

BREAK_GLASS = "qa@example.gov.uk"


@pytest.fixture
def app(tmp_path: Path, oidc_provider: Provider) -> Iterator[Flask]:
    app = make_app(
        tmp_path, **council_settings(oidc_provider), PASSWORD_SIGN_IN=False, BREAK_GLASS_EMAILS=(BREAK_GLASS,)
    )
    yield app
    empty_database(app)


def sent(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage)))


def as_break_glass_administrator(app: Flask) -> ClientRequest:
    client = ClientRequest(app.test_client())
    client.post("/sign-in/break-glass", {"email": BREAK_GLASS, "password": PASSWORD}, _expected_redirect="/staff")
    return client


def test_the_sign_in_page_offers_only_the_council_account(app, client_request, staff):
    page = client_request.get("/sign-in")
    assert page.select_one("a.govuk-button").get_text(strip=True) == "Sign in with your council account"
    assert page.select_one("#password") is None
    assert page.find("form", action="/sign-in") is None


def test_a_password_posted_to_the_sign_in_page_is_not_looked_at(app, client_request, staff):
    client_request.post("/sign-in", {"email": "worker@example.gov.uk", "password": PASSWORD}, _expected_status=200)
    assert client_request.client.get("/staff").status_code == 302


def test_a_break_glass_administrator_signs_in_with_a_password(app, client_request, staff):
    client_request.post(
        "/sign-in/break-glass", {"email": BREAK_GLASS, "password": PASSWORD}, _expected_redirect="/staff"
    )
    assert client_request.get("/staff").h1.get_text() == "Your work"


def test_anyone_else_is_told_what_a_wrong_password_is_told(app, client_request, staff):
    page = client_request.post(
        "/sign-in/break-glass", {"email": "worker@example.gov.uk", "password": PASSWORD}, _expected_status=200
    )
    assert error_summary(page) == [("Enter a correct email address and password", "#password")]
    assert client_request.client.get("/staff").status_code == 302
    with app.app_context():
        [failed] = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "sign_in_failed"))
        assert failed.actor_email == "worker@example.gov.uk"


def test_everyone_still_signs_in_with_the_council_account(app, staff, oidc_provider):
    client = app.test_client()
    assert client.get(callback_for(client, oidc_provider, "priya")).headers["Location"] == "/staff"


@pytest.mark.parametrize(("url", "subject"), [("/forgot-password", "Reset"), ("/sign-in-link", "sign in")])
def test_emailed_links_go_only_to_break_glass_administrators(app, client_request, staff, url, subject):
    page = client_request.post(url, {"email": "worker@example.gov.uk"}, _expected_status=200)
    assert page.h1.get_text() == "Check your email"
    assert sent(app) == []
    client_request.post(url, {"email": BREAK_GLASS}, _expected_status=200)
    [message] = sent(app)
    assert (message.recipient, subject in message.subject) == (BREAK_GLASS, True)


@pytest.mark.parametrize(
    ("kind", "path"), [(LinkKind.SET_PASSWORD, "/set-password/"), (LinkKind.SIGN_IN, "/sign-in-link/")]
)
def test_links_sent_before_passwords_were_turned_off_no_longer_work(app, client_request, staff, kind, path):
    with app.app_context(), app.test_request_context():
        worker, admin = (
            db.session.scalar(select(User).where(User.email == email))
            for email in ("worker@example.gov.uk", BREAK_GLASS)
        )
        links = [issue_link(person, kind, lifetime=timedelta(days=1)) for person in (worker, admin)]
        db.session.commit()
    worker_link, admin_link = (link.split("localhost", 1)[1] for link in links)
    assert worker_link.startswith(path)
    page = client_request.get(worker_link, _expected_status=404)
    assert page.h1.get_text() == "This link has expired"
    client_request.get(admin_link)


def test_a_new_person_is_emailed_to_sign_in_with_their_council_account(app, staff):
    client = as_break_glass_administrator(app)
    client.client.post(
        "/admin/people/new",
        data={"email": "new.starter@example.gov.uk", "name": "New Starter", "role": "practitioner", "team": "1"},
    )
    [message] = [message for message in sent(app) if message.recipient == "new.starter@example.gov.uk"]
    assert message.subject == "You have an account on QAF"
    assert "http://localhost/sign-in\n" in message.body
    assert "set-password" not in message.body


def test_the_qa_team_cannot_send_anyone_else_a_set_password_link(app, staff):
    client = as_break_glass_administrator(app)
    person = f"/admin/people/{staff['practitioner']['id']}"
    page = client.get(person)
    assert "Send a set-password link" not in page.get_text()
    client.post(f"{person}/send-set-password-link", {}, _expected_redirect=person)
    assert sent(app) == []
    assert "Send a set-password link" in client.get(f"/admin/people/{staff['qa_admin']['id']}").get_text()


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"PASSWORD_SIGN_IN": False}, "OIDC_ISSUER is not set"),
        ({"OIDC_ISSUER": "https://login.example.test/tenant/v2.0", "OIDC_CLIENT_ID": "qaf"}, "OIDC_CLIENT_SECRET"),
    ],
)
def test_settings_that_would_lock_everyone_out_stop_the_app(tmp_path, settings, problem):
    with pytest.raises(DeploymentError, match=problem):
        create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"} | settings)
