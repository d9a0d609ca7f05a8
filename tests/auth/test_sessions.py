"""Sessions really end: a copied cookie is useless after sign-out, deactivation or a password change."""

import time

from qaf.extensions import db
from qaf.models import User
from tests.conftest import PASSWORD, ClientRequest

NEW_PASSWORD = "a much longer new passphrase"


def cookie_of(client) -> str:
    return client.get_cookie("qaf-session").value


def replay(app, cookie: str, url: str = "/staff") -> int:
    other = app.test_client()
    other.set_cookie("qaf-session", cookie)
    return other.get(url).status_code


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, client_request, staff):
    client_request.login("auditor@example.gov.uk")
    copied = cookie_of(client_request.client)
    assert replay(app, copied) == 200
    client_request.post("/sign-out", {})
    assert replay(app, copied) == 302


def test_deactivating_someone_ends_their_sessions_at_once(app, staff):
    worker = ClientRequest(app.test_client()).login("worker@example.gov.uk")
    admin = ClientRequest(app.test_client()).login("qa@example.gov.uk")
    assert worker.client.get("/staff").status_code == 200
    admin.post(f"/admin/people/{staff['practitioner']['id']}/deactivate", {})
    assert worker.client.get("/staff").status_code == 302


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app, staff):
    laptop = ClientRequest(app.test_client()).login("auditor@example.gov.uk")
    phone = ClientRequest(app.test_client()).login("auditor@example.gov.uk")
    laptop.post(
        "/account/change-password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        _expected_redirect="/staff",
    )
    assert laptop.client.get("/staff").status_code == 200
    assert phone.client.get("/staff").status_code == 302
    ClientRequest(app.test_client()).login("auditor@example.gov.uk", NEW_PASSWORD)


def test_changing_password_needs_the_current_one(client_request, staff):
    client_request.login("auditor@example.gov.uk")
    page = client_request.post(
        "/account/change-password",
        {"current_password": "wrong", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        _expected_status=200,
    )
    assert "Your current password is not right" in page.get_text()


def test_an_idle_session_ends(app, client_request, staff):
    client_request.login("auditor@example.gov.uk")
    with client_request.client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    response = client_request.client.get("/staff")
    assert response.headers["Location"] == "/sign-in?next=/staff"
    page = client_request.get("/sign-in")
    assert "You were signed out because you had not done anything for a while" in page.get_text()


def test_a_session_ends_at_the_absolute_limit_even_when_busy(app, client_request, staff):
    client_request.login("auditor@example.gov.uk")
    with client_request.client.session_transaction() as session:
        session["signed_in_at"] = int(time.time()) - app.config["SESSION_ABSOLUTE_HOURS"] * 3600 - 5
    assert client_request.client.get("/staff").status_code == 302


def test_activity_keeps_a_session_alive(app, client_request, staff):
    client_request.login("auditor@example.gov.uk")
    with client_request.client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 + 30
    assert client_request.client.get("/staff").status_code == 200
    assert client_request.client.get("/staff").status_code == 200


def test_session_cookies_are_http_only_and_same_site_lax(app, staff):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "qa@example.gov.uk", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_changed_role_takes_effect_by_ending_sessions(app, staff):
    worker = ClientRequest(app.test_client()).login("worker@example.gov.uk")
    with app.app_context():
        from qaf.people import change_person

        user = db.session.get(User, staff["practitioner"]["id"])
        change_person(
            user, email=user.email, name=user.name, role="auditor", team_id=user.team_id, line_manager_id=None
        )
        db.session.commit()
    assert worker.client.get("/staff").status_code == 302


def test_a_password_reset_from_a_link_ends_every_session(app, staff):
    import re

    from sqlalchemy import select

    from qaf.models import OutboxMessage

    laptop = ClientRequest(app.test_client()).login("auditor@example.gov.uk")
    copied = cookie_of(laptop.client)
    stranger = ClientRequest(app.test_client())
    stranger.post("/forgot-password", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body
    link = re.search(r"http://[^/]+(/set-password/\S+)", body).group(1)
    stranger.post(link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert laptop.client.get("/staff").status_code == 302
    assert replay(app, copied) == 302


def test_signing_in_with_an_emailed_link_starts_a_session_that_sign_out_ends(app, staff):
    import re

    from sqlalchemy import select

    from qaf.models import OutboxMessage

    owner = ClientRequest(app.test_client())
    with owner.client.session_transaction() as session:
        session["planted"] = "by someone else"
    owner.post("/sign-in-link", {"email": "auditor@example.gov.uk"}, _expected_status=200)
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body
    link = re.search(r"http://[^/]+(/sign-in-link/\S+)", body).group(1)
    owner.post(link, {}, _expected_redirect="/staff")
    with owner.client.session_transaction() as session:
        assert "planted" not in session
    copied = cookie_of(owner.client)
    assert replay(app, copied) == 200
    owner.post("/sign-out", {})
    assert replay(app, copied) == 302
