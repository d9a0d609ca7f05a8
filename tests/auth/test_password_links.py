"""Forgotten passwords and set-password links: emailed, single use, expiring, unguessable."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from qaf.extensions import db
from qaf.models import AuditEvent, OutboxMessage, PasswordToken, utc_now
from tests.conftest import PASSWORD, ClientRequest

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
        [requested] = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "password_reset_requested"))
        assert (requested.actor_id, requested.actor_email) == (None, "nobody@example.gov.uk")


def statements_while(app, client, email) -> tuple[str, list[str]]:
    """The page and the SQL run (text only, without values) while asking for a reset for ``email``."""
    with app.app_context():
        engine = db.engine
    run: list[str] = []

    def record(_connection, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        run.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.post("/forgot-password", data={"email": email})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    page = re.sub(r'nonce="[^"]*"', "", response.get_data(as_text=True))  # a fresh nonce on every page
    return page.replace(email, "EMAIL"), run


def stores_the_link_or_its_email(statement: str) -> bool:
    return statement.startswith(("INSERT INTO password_token ", "INSERT INTO outbox"))


@pytest.mark.parametrize("case", ["auditor@example.gov.uk", "Auditor@Example.gov.uk"])
def test_a_known_and_an_unknown_email_get_the_same_page_and_the_same_work(app, staff, case):
    client = app.test_client()
    statements_while(app, client, "warm-up@example.gov.uk")  # caches filled, connections opened
    known_page, known = statements_while(app, client, case)
    unknown_page, unknown = statements_while(app, client, "nobody@example.gov.uk")
    assert known_page.replace("auditor@example.gov.uk", "EMAIL") == unknown_page
    # One write transaction each: the same lookup, the same cancelling of earlier links, the same
    # audit entry. Only a real account's link and its email are stored on top.
    assert [statement for statement in known if not stores_the_link_or_its_email(statement)] == unknown
    assert len([statement for statement in known if stores_the_link_or_its_email(statement)]) == 2
    assert any(statement.startswith("UPDATE password_token SET used_at") for statement in unknown)
    assert any(statement.startswith("INSERT INTO audit_event") for statement in unknown)


def test_the_same_token_work_is_done_for_an_unknown_email(app, staff):
    from qaf.auth.tokens import LinkKind, issue_link

    with app.test_request_context():
        link = issue_link(None, LinkKind.SET_PASSWORD, lifetime=timedelta(hours=2))
        assert re.fullmatch(r"http://[^/]+/set-password/[\w-]{43}", link)
        assert not db.session.new


def test_changing_the_password_cancels_every_outstanding_link(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    link = last_link(app)
    client_request.login("auditor@example.gov.uk").post(
        "/account/change-password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        _expected_redirect="/staff",
    )
    other = ClientRequest(app.test_client())
    page = other.get(link, _expected_status=404)
    assert page.h1.get_text() == "This link has expired"
    set_password(other, link, "another fine passphrase", expected=404)
    other.login("auditor@example.gov.uk", NEW_PASSWORD)


def test_setting_a_password_from_a_link_cancels_the_sign_in_link_too(app, client_request, staff):
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    reset = last_link(app)
    # A sign-in link asked for later cancels the reset link; a reset from a new one cancels the sign-in link.
    client_request.post("/sign-in-link", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        sign_in_link = re.search(r"http://[^/]+(/sign-in-link/\S+)", message.body).group(1)
    client_request.get(reset, _expected_status=404)
    client_request.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    set_password(client_request, last_link(app))
    client_request.get(sign_in_link, _expected_status=404)


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
