"""Forgotten passwords and set-password links: emailed, single use, expiring, unguessable."""

import re
from datetime import timedelta

from sqlalchemy import select, update

from qaf.extensions import db
from qaf.models import OutboxMessage, PasswordToken, utc_now
from tests.conftest import ClientRequest

NEW_PASSWORD = "marmalade bicycle harbour"


def last_link(app) -> str:
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        return re.search(r"http://[^/]+(/set-password/\S+)", message.body).group(1)


def set_password(client_request, link, password=NEW_PASSWORD, expected=302):
    return client_request.post(
        link, {"new_password": password, "confirm_password": password}, _expected_status=expected
    )


def test_a_forgotten_password_is_reset_through_an_emailed_link(app, client_request, staff):
    page = client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    assert page.h1.get_text() == "Check your email"
    link = last_link(app)
    assert "Set your password" in client_request.get(link).get_text()
    set_password(client_request, link)
    ClientRequest(app.test_client()).login("auditor@example.gov.uk", NEW_PASSWORD)


def test_an_unknown_email_gets_the_same_page_and_no_email(app, client_request, staff):
    page = client_request.post("/forgot-password", {"email": "nobody@example.gov.uk"}, _expected_status=200)
    assert page.h1.get_text() == "Check your email"
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_link_works_once(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    link = last_link(app)
    set_password(client_request, link)
    page = client_request.get(link, _expected_status=404)
    assert page.h1.get_text() == "This link has expired"
    set_password(client_request, link, "another fine passphrase", expected=404)


def test_an_expired_link_is_refused(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    with app.app_context():
        db.session.execute(update(PasswordToken).values(expires_at=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    client_request.get(last_link(app), _expected_status=404)


def test_a_new_link_cancels_the_earlier_one(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    first = last_link(app)
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    client_request.get(first, _expected_status=404)
    client_request.get(last_link(app))


def test_tampered_and_unknown_tokens_are_refused(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    link = last_link(app)
    client_request.get(link[:-2] + "xx", _expected_status=404)
    client_request.get("/set-password/" + "a" * 300, _expected_status=404)


def test_only_a_hash_of_the_token_is_stored(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    token = last_link(app).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasswordToken)).one()
    assert token not in stored.token_hash
    assert len(token) >= 43  # 32 random bytes


def test_a_new_password_must_follow_the_rules_and_match(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    link = last_link(app)
    page = set_password(client_request, link, "password1234", expected=200)
    assert "Password is too easy to guess" in page.get_text()
    page = client_request.post(
        link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"}, _expected_status=200
    )
    assert "Passwords do not match" in page.get_text()
    set_password(client_request, link)
