"""Failed sign-ins are throttled per account from an address, per address, and (after many) per account.

Nobody can lock a real person out from elsewhere: the account-and-address count stops a
guesser without stopping its owner, and the account's own lock, after many more failures,
comes with a way back that only the owner has: a one-time sign-in link emailed to them.
"""

import logging
import os
import re
import socket
import uuid
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, update

from qaf.extensions import db
from qaf.models import OutboxMessage, PasswordToken, utc_now
from tests.conftest import PASSWORD, check_page, empty_database, make_app

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


@pytest.fixture
def strict_app(tmp_path):
    app = make_app(
        tmp_path,
        SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes",
        SIGN_IN_LIMIT_PER_ADDRESS="6 per 15 minutes",
        SIGN_IN_LOCK_PER_ACCOUNT="8 per day",
    )
    add_people(app)
    yield app
    empty_database(app)


def add_people(app):
    from qaf.auth.passwords import hash_password
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


def post(client, url, data, address="127.0.0.1"):
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


def sign_in(client, email, password="wrong password", address="127.0.0.1"):
    return post(client, "/sign-in", {"email": email, "password": password}, address).status_code


def lock_account(app, email, addresses=("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4")):
    """Eight failures (the strict lock), two from each of four addresses: no address is throttled itself."""
    client = app.test_client()
    for address in addresses:
        assert [sign_in(client, email, address=address) for _ in range(2)] == [200, 200]


def last_sign_in_link(app) -> str:
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        return re.search(r"http://[^/]+(/sign-in-link/\S+)", message.body).group(1)


def test_after_too_many_failures_from_one_address_even_the_right_password_waits_there(strict_app):
    client = strict_app.test_client()
    assert [sign_in(client, "person0@example.gov.uk") for _ in range(3)] == [200, 200, 200]
    assert sign_in(client, "person0@example.gov.uk", PASSWORD) == 429
    page = client.post("/sign-in", data={"email": "person0@example.gov.uk", "password": PASSWORD})
    assert "Wait 15 minutes" in page.get_data(as_text=True)


def test_someone_failing_from_another_address_does_not_lock_the_owner_out(app, staff):
    attacker = app.test_client()
    assert [sign_in(attacker, "auditor@example.gov.uk", address=ATTACKER) for _ in range(10)] == [200] * 10
    # The guesser's own attempts at this account now wait...
    assert sign_in(attacker, "auditor@example.gov.uk", PASSWORD, address=ATTACKER) == 429
    # ...but its owner, from their own address, signs in at once.
    assert sign_in(app.test_client(), "auditor@example.gov.uk", PASSWORD, address=OWNER) == 302


@pytest.mark.parametrize(
    "variant",
    [
        "auditor@example.gov.uk\x00",
        "\x00auditor@example.gov.uk",
        "audi\x00tor@example.gov.uk",
        "auditor@exa\x00\x00mple.gov.uk",
        " Auditor@Example.gov.uk\x00 ",
    ],
)
def test_nul_characters_in_the_email_are_counted_as_the_plain_address(app, staff, variant):
    client = app.test_client()
    emails = [variant.replace("\x00", "\x00" * number) for number in range(1, 11)]
    assert [sign_in(client, email) for email in emails] == [200] * 10
    assert sign_in(client, variant, PASSWORD) == 429
    assert sign_in(client, "auditor@example.gov.uk", PASSWORD) == 429


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u00ad", "\x1f", "\t"])
def test_invisible_characters_in_the_email_are_counted_as_the_plain_address(app, staff, invisible):
    client = app.test_client()
    emails = ["auditor@example.gov.uk".replace("@", invisible * number + "@") for number in range(1, 11)]
    assert [sign_in(client, email) for email in emails] == [200] * 10
    assert sign_in(client, "auditor@example.gov.uk", PASSWORD) == 429


def test_an_overlong_email_is_cut_to_the_longest_an_address_can_be():
    from qaf.auth.throttling import normalise_email

    assert normalise_email("A" * 300) == "a" * 254


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


def test_many_failures_from_many_addresses_lock_the_account_and_offer_a_sign_in_link(strict_app):
    lock_account(strict_app, "person0@example.gov.uk")
    owner = strict_app.test_client()
    response = post(owner, "/sign-in", {"email": "person0@example.gov.uk", "password": PASSWORD}, OWNER)
    assert response.status_code == 429
    page = check_page(response.get_data(as_text=True))
    assert page.h1.get_text() == "Your account is locked"
    assert "We can email you a link that signs you in once. It works for 15 minutes." in page.get_text()
    form = page.select_one("form")
    assert form["action"] == "/sign-in-link"
    assert form.select_one("#email")["value"] == "person0@example.gov.uk"
    assert form.select_one("input[name=csrf_token]")["value"]
    # Other accounts are not locked.
    assert sign_in(strict_app.test_client(), "person1@example.gov.uk", PASSWORD, address=OWNER) == 302


def test_the_sign_in_link_signs_the_owner_in_once_and_unlocks_the_account(strict_app):
    lock_account(strict_app, "person0@example.gov.uk")
    owner = strict_app.test_client()
    response = post(owner, "/sign-in-link", {"email": "person0@example.gov.uk"}, OWNER)
    assert check_page(response.get_data(as_text=True)).h1.get_text() == "Check your email"
    link = last_sign_in_link(strict_app)

    # Opening the link (as a mail scanner might) does not use it: the button does.
    for _ in range(2):
        page = check_page(owner.get(link).get_data(as_text=True))
        assert page.h1.get_text() == "Sign in with your link"
    response = post(owner, link, {}, OWNER)
    assert response.headers["Location"] == "/staff"
    assert owner.get("/staff").status_code == 200

    # Used once, it is spent, for everyone.
    assert owner.get(link).status_code == 404
    assert post(strict_app.test_client(), link, {}, ATTACKER).status_code == 404
    # The owner proved they hold the mailbox: the password works again, from anywhere.
    assert sign_in(strict_app.test_client(), "person0@example.gov.uk", PASSWORD, address="192.0.2.99") == 302


def csrf_token_of(client, url) -> str:
    return check_page(client.get(url).get_data(as_text=True)).select_one("input[name=csrf_token]")["value"]


def test_the_sign_in_link_pages_work_with_csrf_protection_and_without_javascript(app_with_csrf):
    add_people(app_with_csrf)
    owner = app_with_csrf.test_client()
    token = csrf_token_of(owner, "/sign-in-link")
    owner.post("/sign-in-link", data={"email": "person0@example.gov.uk", "csrf_token": token})
    link = last_sign_in_link(app_with_csrf)
    assert owner.post(link, data={}).status_code == 400
    response = owner.post(link, data={"csrf_token": csrf_token_of(owner, link)})
    assert response.headers["Location"] == "/staff"


def test_a_locked_account_that_does_not_exist_looks_the_same(strict_app):
    lock_account(strict_app, "nobody@example.gov.uk")
    response = post(strict_app.test_client(), "/sign-in", {"email": "nobody@example.gov.uk", "password": "x"}, OWNER)
    assert response.status_code == 429
    assert BeautifulSoup(response.get_data(as_text=True), "html.parser").h1.get_text() == "Your account is locked"
    page = post(strict_app.test_client(), "/sign-in-link", {"email": "nobody@example.gov.uk"}, OWNER)
    assert check_page(page.get_data(as_text=True)).h1.get_text() == "Check your email"
    with strict_app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_sign_in_link_stops_working_after_its_time(strict_app):
    post(strict_app.test_client(), "/sign-in-link", {"email": "person0@example.gov.uk"})
    with strict_app.app_context():
        db.session.execute(update(PasswordToken).values(expires_at=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    assert strict_app.test_client().get(last_sign_in_link(strict_app)).status_code == 404


def test_a_sign_in_link_cannot_set_a_password(strict_app):
    post(strict_app.test_client(), "/sign-in-link", {"email": "person0@example.gov.uk"})
    token = last_sign_in_link(strict_app).rsplit("/", 1)[1]
    client = strict_app.test_client()
    assert client.get(f"/set-password/{token}").status_code == 404
    with strict_app.app_context():
        stored = db.session.scalars(select(PasswordToken)).one()
    assert token not in stored.token_hash


def test_sign_in_links_asked_for_one_address_are_limited(strict_app):
    statuses = [
        post(strict_app.test_client(), "/sign-in-link", {"email": "person0@example.gov.uk"}, f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app_with_redis_down(tmp_path):
    app = make_app(
        tmp_path,
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes",
    )
    add_people(app)
    yield app
    empty_database(app)


def test_with_redis_down_staff_still_sign_in_and_reset_passwords(app_with_redis_down, caplog):
    client = app_with_redis_down.test_client()
    with caplog.at_level(logging.WARNING):
        assert sign_in(client, "person0@example.gov.uk", PASSWORD) == 302
    assert "Rate limit storage unreachable - falling back to in-memory storage" in caplog.text
    other = app_with_redis_down.test_client()
    response = other.post("/forgot-password", data={"email": "person1@example.gov.uk"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert other.post("/sign-in-link", data={"email": "person1@example.gov.uk"}).status_code == 200


def test_with_redis_down_failed_sign_ins_are_still_counted_in_memory(app_with_redis_down):
    client = app_with_redis_down.test_client()
    assert [sign_in(client, "person0@example.gov.uk") for _ in range(3)] == [200, 200, 200]
    assert sign_in(client, "person0@example.gov.uk", PASSWORD) == 429


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def app_with_redis(tmp_path):
    import redis

    prefix = f"qaf-test-{uuid.uuid4().hex}"
    app = make_app(
        tmp_path,
        SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS="2 per 15 minutes",
        SIGN_IN_LOCK_PER_ACCOUNT="4 per day",
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        RATELIMIT_KEY_PREFIX=prefix,
    )
    add_people(app)
    yield app
    client = redis.Redis(host="127.0.0.1", port=6379)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()
    empty_database(app)


@pytest.mark.skipif(not redis_reachable() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_throttling_works_with_redis_storage_shared_by_every_worker(app_with_redis):
    first, second = app_with_redis.test_client(), app_with_redis.test_client()
    sign_in(first, "person0@example.gov.uk")
    sign_in(second, "person0@example.gov.uk")
    assert sign_in(app_with_redis.test_client(), "person0@example.gov.uk", PASSWORD) == 429


@pytest.mark.skipif(not redis_reachable() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_the_account_lock_and_its_sign_in_link_work_with_redis(app_with_redis):
    lock_account(app_with_redis, "person0@example.gov.uk", addresses=("192.0.2.1", "192.0.2.2"))
    assert sign_in(app_with_redis.test_client(), "person0@example.gov.uk", PASSWORD, address=OWNER) == 429
    owner = app_with_redis.test_client()
    post(owner, "/sign-in-link", {"email": "person0@example.gov.uk"}, OWNER)
    assert post(owner, last_sign_in_link(app_with_redis), {}, OWNER).status_code == 302
    assert sign_in(app_with_redis.test_client(), "person0@example.gov.uk", PASSWORD, address=OWNER) == 302


def test_resetting_the_password_from_its_emailed_link_also_unlocks_the_account(strict_app):
    new_password = "marmalade bicycle harbour"
    lock_account(strict_app, "person0@example.gov.uk")
    owner = strict_app.test_client()
    post(owner, "/forgot-password", {"email": "person0@example.gov.uk"}, OWNER)
    with strict_app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body
    link = re.search(r"http://[^/]+(/set-password/\S+)", body).group(1)
    post(owner, link, {"new_password": new_password, "confirm_password": new_password}, OWNER)
    assert sign_in(strict_app.test_client(), "person0@example.gov.uk", new_password, address="192.0.2.99") == 302


def test_a_sign_in_link_asked_for_an_account_that_is_not_locked_does_not_say_it_is(strict_app):
    post(strict_app.test_client(), "/sign-in-link", {"email": "person0@example.gov.uk"}, OWNER)
    with strict_app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body
    assert "paused" not in body
    assert "If your account was locked after many wrong passwords, it also unlocks it." in body
