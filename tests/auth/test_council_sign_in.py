"""Signing in with the council's identity provider: a real OpenID Connect provider run by the tests.

Roles and teams stay in QAF: the provider only says who someone is, and an account a QA
administrator made is found by the verified email address, or the person is refused.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent, User
from tests.auth.oidc import Provider, council_settings
from tests.conftest import check_page, empty_database, make_app

HOW = "with the council's identity provider"


@pytest.fixture
def app(tmp_path: Path, oidc_provider: Provider) -> Iterator[Flask]:
    app = make_app(tmp_path, **council_settings(oidc_provider))
    yield app
    empty_database(app)


def callback_for(client: FlaskClient, provider: Provider, login: str, start: str = "/sign-in/oidc") -> str:
    """Start signing in at QAF, sign in at the provider as ``login``: the callback address it sends them to."""
    response = client.get(start)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].startswith(f"{provider.issuer}/auth?")
    return provider.sign_in(response.headers["Location"], login).removeprefix("http://localhost")


def events(app: Flask, name: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)))


def test_staff_sign_in_with_their_council_account(app, staff, oidc_provider):
    client = app.test_client()
    response = client.get(callback_for(client, oidc_provider, "priya"))
    assert response.headers["Location"] == "/staff"
    page = check_page(client.get("/staff").get_data(as_text=True))
    assert "Priya Worker" in page.get_text()
    [signed_in] = events(app, "signed_in")
    assert (signed_in.actor_email, signed_in.description) == ("worker@example.gov.uk", HOW)
    with app.app_context():
        person = db.session.get_one(User, staff["practitioner"]["id"])
        assert (person.oidc_issuer, person.oidc_subject) == (oidc_provider.issuer, "priya")


def test_the_authorization_request_uses_pkce_state_and_nonce(app, staff):
    location = app.test_client().get("/sign-in/oidc").headers["Location"]
    for part in ("code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "response_type=code"):
        assert part in location


def test_the_email_address_is_matched_whatever_its_case(app, staff, oidc_provider):
    client = app.test_client()
    assert client.get(callback_for(client, oidc_provider, "quinn")).headers["Location"] == "/staff"


def test_signing_in_returns_to_the_page_asked_for(app, staff, oidc_provider):
    client = app.test_client()
    assert client.get("/audits").headers["Location"] == "/sign-in?next=/audits"
    page = check_page(client.get("/sign-in?next=/audits").get_data(as_text=True))
    assert page.select_one("a.govuk-button")["href"] == "/sign-in/oidc?next=/audits"
    response = client.get(callback_for(client, oidc_provider, "priya", start="/sign-in/oidc?next=/audits"))
    assert response.headers["Location"] == "/audits"


@pytest.mark.parametrize(
    ("login", "heading"),
    [
        ("stranger", "You do not have a QAF account"),
        ("unverified", "Your council account's email address is not verified"),
        ("no-email", "Your council account did not tell us your email address"),
    ],
)
def test_nobody_is_given_an_account_by_signing_in(app, staff, oidc_provider, login, heading):
    client = app.test_client()
    response = client.get(callback_for(client, oidc_provider, login))
    assert response.status_code == 403
    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text(strip=True) == heading
    assert client.get("/staff").status_code == 302
    assert events(app, "signed_in") == []
    [failed] = events(app, "sign_in_failed")
    assert failed.description.startswith(HOW)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.oidc_subject.is_not(None))) is None


def test_an_unknown_email_is_told_which_address_to_give_the_qa_team(app, staff, oidc_provider):
    client = app.test_client()
    page = check_page(client.get(callback_for(client, oidc_provider, "stranger")).get_data(as_text=True))
    assert "nobody@example.gov.uk" in page.get_text()
    assert [event.actor_email for event in events(app, "sign_in_failed")] == ["nobody@example.gov.uk"]


def deactivate(app: Flask, user_id: int) -> None:
    with app.app_context():
        db.session.get_one(User, user_id).active = False
        db.session.commit()


def test_a_deactivated_account_is_refused_even_with_a_valid_token(app, staff, oidc_provider):
    deactivate(app, staff["auditor"]["id"])
    client = app.test_client()
    response = client.get(callback_for(client, oidc_provider, "alex"))
    assert response.status_code == 403
    assert check_page(response.get_data(as_text=True)).h1.get_text(strip=True) == "Your QAF account has been closed"
    assert client.get("/staff").status_code == 302


def test_an_account_deactivated_after_its_first_council_sign_in_is_refused(app, staff, oidc_provider):
    client = app.test_client()
    client.get(callback_for(client, oidc_provider, "alex"))
    client.post("/sign-out")
    deactivate(app, staff["auditor"]["id"])
    response = client.get(callback_for(client, oidc_provider, "alex"))
    assert response.status_code == 403
    assert client.get("/staff").status_code == 302


def test_later_sign_ins_find_the_account_by_who_they_are_at_the_provider(app, staff, oidc_provider):
    client = app.test_client()
    client.get(callback_for(client, oidc_provider, "olu"))
    client.post("/sign-out")
    # Someone else given the same address at the provider does not get Olu's account.
    response = client.get(callback_for(client, oidc_provider, "new-olu"))
    assert response.status_code == 403
    heading = check_page(response.get_data(as_text=True)).h1.get_text(strip=True)
    assert heading == "Your QAF account is linked to another council account"
    # Olu's address changes in QAF: he still signs in to his own account.
    with app.app_context():
        db.session.get_one(User, staff["other_auditor"]["id"]).email = "olu.other@example.gov.uk"
        db.session.commit()
    assert client.get(callback_for(client, oidc_provider, "olu")).headers["Location"] == "/staff"
    assert "Olu Other" in client.get("/staff").get_data(as_text=True)


def test_a_callback_address_used_a_second_time_is_refused(app, staff, oidc_provider):
    client = app.test_client()
    callback = callback_for(client, oidc_provider, "priya")
    assert client.get(callback).headers["Location"] == "/staff"
    client.post("/sign-out")
    again = client.get(callback)
    assert again.status_code == 400
    assert check_page(again.get_data(as_text=True)).h1.get_text(strip=True) == "Signing in did not work"
    assert client.get("/staff").status_code == 302
    assert len(events(app, "signed_in")) == 1


def test_a_callback_replayed_with_the_cookie_from_before_it_is_refused_by_the_provider(app, staff, oidc_provider):
    client = app.test_client()
    callback = callback_for(client, oidc_provider, "priya")
    cookie = client.get_cookie("qaf-session")
    assert client.get(callback).headers["Location"] == "/staff"
    # Another browser with a copy of the cookie that still holds the state: the code has been spent.
    other = app.test_client()
    other.set_cookie("qaf-session", cookie.value)
    assert other.get(callback).status_code == 400
    assert other.get("/staff").status_code == 302


def test_a_callback_in_a_browser_that_did_not_start_signing_in_is_refused(app, staff, oidc_provider):
    callback = callback_for(app.test_client(), oidc_provider, "priya")
    other = app.test_client()
    assert other.get(callback).status_code == 400
    assert other.get("/staff").status_code == 302


def test_an_error_from_the_provider_is_a_page_saying_signing_in_did_not_work(app, staff):
    client = app.test_client()
    client.get("/sign-in/oidc")
    response = client.get("/sign-in/oidc/callback?error=access_denied&error_description=cancelled")
    assert response.status_code == 400
    assert check_page(response.get_data(as_text=True)).h1.get_text(strip=True) == "Signing in did not work"
    [failed] = events(app, "sign_in_failed")
    assert "access_denied" in failed.description


def test_signing_out_ends_the_qaf_session(app, staff, oidc_provider):
    client = app.test_client()
    client.get(callback_for(client, oidc_provider, "priya"))
    cookie = client.get_cookie("qaf-session")
    assert client.post("/sign-out").headers["Location"] == "/sign-in"
    assert client.get("/staff").status_code == 302
    copy = app.test_client()
    copy.set_cookie("qaf-session", cookie.value)
    assert copy.get("/staff").status_code == 302
    assert len(events(app, "signed_out")) == 1


def test_the_sign_in_page_offers_the_council_account_and_a_password(app, staff):
    page = check_page(app.test_client().get("/sign-in").get_data(as_text=True))
    assert page.select_one("a.govuk-button").get_text(strip=True) == "Sign in with your council account"
    assert page.select_one("#password") is not None


def test_a_discovery_document_naming_another_issuer_is_not_followed(tmp_path, oidc_provider):
    # The same provider, named by another address: its document says it is http://127.0.0.1:..., not this.
    elsewhere = oidc_provider.issuer.replace("127.0.0.1", "localhost")
    other = make_app(tmp_path, **council_settings(oidc_provider) | {"OIDC_ISSUER": elsewhere})
    response = other.test_client().get("/sign-in/oidc")
    assert response.status_code == 400
    assert check_page(response.get_data(as_text=True)).h1.get_text(strip=True) == "Signing in did not work"
    [failed] = events(other, "sign_in_failed")
    assert "names the issuer" in failed.description
    empty_database(other)


def test_only_the_newest_sign_in_started_in_a_browser_can_finish(app, staff, oidc_provider):
    client = app.test_client()
    first = callback_for(client, oidc_provider, "priya")
    newest = callback_for(client, oidc_provider, "priya")
    assert client.get(first).status_code == 400
    assert client.get(newest).headers["Location"] == "/staff"
