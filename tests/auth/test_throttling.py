"""Failed sign-ins are throttled per account and per address, and only for a while."""

import os

import pytest

from tests.conftest import PASSWORD, empty_database, make_app


@pytest.fixture
def strict_app(tmp_path):
    app = make_app(tmp_path, SIGN_IN_LIMIT_PER_ACCOUNT="3 per 15 minutes", SIGN_IN_LIMIT_PER_ADDRESS="6 per 15 minutes")
    add_people(app)
    yield app
    empty_database(app)


def add_people(app):
    from qaf.auth.passwords import hash_password
    from qaf.extensions import db
    from qaf.models import User

    with app.app_context():
        password_hash = hash_password(PASSWORD)
        db.session.add_all(
            [
                User(
                    email=f"person{number}@example.gov.uk",
                    name=f"Person {number}",
                    role="auditor",
                    password_hash=password_hash,
                )
                for number in range(3)
            ]
        )
        db.session.commit()


def sign_in(client, email, password="wrong password"):
    return client.post("/sign-in", data={"email": email, "password": password}).status_code


def test_after_too_many_failures_even_the_right_password_waits(strict_app):
    client = strict_app.test_client()
    assert [sign_in(client, "person0@example.gov.uk") for _ in range(3)] == [200, 200, 200]
    assert sign_in(client, "person0@example.gov.uk", PASSWORD) == 429
    page = client.post("/sign-in", data={"email": "person0@example.gov.uk", "password": PASSWORD})
    assert "Wait 15 minutes" in page.get_data(as_text=True)


def test_throttling_one_account_does_not_stop_another(strict_app):
    client = strict_app.test_client()
    for _ in range(3):
        sign_in(client, "person0@example.gov.uk")
    assert sign_in(client, "person1@example.gov.uk", PASSWORD) == 302


def test_an_address_that_keeps_failing_is_throttled_across_accounts(strict_app):
    client = strict_app.test_client()
    statuses = [sign_in(client, f"guess{number}@example.gov.uk") for number in range(7)]
    assert statuses[:6] == [200] * 6
    assert statuses[6] == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(strict_app):
    for _ in range(5):
        client = strict_app.test_client()
        assert sign_in(client, "person2@example.gov.uk", PASSWORD) == 302


def test_the_lockout_ends_when_the_window_passes(strict_app):
    from qaf.extensions import limiter

    client = strict_app.test_client()
    for _ in range(3):
        sign_in(client, "person0@example.gov.uk")
    assert sign_in(client, "person0@example.gov.uk", PASSWORD) == 429
    # Waiting out the 15-minute window is the same as the window's counts being gone.
    limiter.reset()
    assert sign_in(client, "person0@example.gov.uk", PASSWORD) == 302


def redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_throttling_works_with_redis_storage_shared_by_every_worker(tmp_path):
    from qaf.extensions import limiter

    app = make_app(
        tmp_path, SIGN_IN_LIMIT_PER_ACCOUNT="2 per 15 minutes", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379"
    )
    add_people(app)
    limiter.reset()
    try:
        first, second = app.test_client(), app.test_client()
        sign_in(first, "person0@example.gov.uk")
        sign_in(second, "person0@example.gov.uk")
        assert sign_in(app.test_client(), "person0@example.gov.uk", PASSWORD) == 429
    finally:
        limiter.reset()
        empty_database(app)
