"""Email: kept in the outbox always; sent through SMTP when a server is configured, never inside
the work that wrote it: after the page has gone, after the command, or by send-outbox."""

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.mail import MAX_ATTEMPTS, deliver_outbox, send_email
from qaf.models import OutboxMessage, utc_now
from tests.smtp import receiving_mail_server, use_mail_server


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    with receiving_mail_server() as server:
        yield server


def messages(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(found)


def test_without_a_mail_server_messages_are_kept_and_not_sent(app):
    with app.app_context():
        send_email("someone@example.gov.uk", "Hello", "Body")
        db.session.commit()
        assert str(deliver_outbox()) == "MAIL_SERVER is not set: nothing sent, 1 message(s) kept in the outbox"
        message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.recipient, message.sent_at, message.error) == ("someone@example.gov.uk", None, "")


def test_with_a_mail_server_messages_are_sent_and_marked(app, smtp_server):
    use_mail_server(app, smtp_server)
    with app.app_context():
        send_email("someone@example.gov.uk", "Reset your QAF password", "Open this link")
        db.session.commit()
        assert smtp_server.received == [], "nothing is sent by the work that writes the message"
        deliver_outbox()
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is not None
    [received] = smtp_server.received
    assert "Subject: Reset your QAF password" in received
    assert "To: someone@example.gov.uk" in received


def test_a_mail_server_that_is_down_is_recorded_not_raised(app):
    app.config |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9, "MAIL_USE_TLS": False}
    with app.app_context():
        send_email("someone@example.gov.uk", "Hello", "Body")
        db.session.commit()
        deliver_outbox()
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None
    assert message.error


def test_a_message_whose_work_was_rolled_back_is_never_sent(app, smtp_server):
    use_mail_server(app, smtp_server)
    with app.app_context():
        message_id = send_email("someone@example.gov.uk", "Hello", "Body").id
        db.session.rollback()
        deliver_outbox([message_id])
    assert smtp_server.received == []
    assert messages(app) == []


def test_an_email_written_by_a_page_is_sent_once_the_page_has_gone(app, client_request, staff, smtp_server):
    use_mail_server(app, smtp_server)
    client_request.login(staff["qa_admin"]["email"])
    response = client_request.client.post(
        "/admin/people/new",
        data={"name": "Nia New", "email": "nia.new@example.gov.uk", "role": "auditor", "team": "1"},
    )
    assert response.status_code == 302
    [message] = messages(app)
    assert (message.sent_at, message.error, smtp_server.received) == (None, "", [])
    response.close()
    [message] = messages(app)
    assert message.sent_at is not None
    [received] = smtp_server.received
    assert "Subject: Set your password for QAF" in received


def test_send_outbox_retries_failed_messages_a_bounded_number_of_times(app, smtp_server):
    app.config |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9, "MAIL_USE_TLS": False}
    with app.app_context():
        send_email("someone@example.gov.uk", "Hello", "Body")
        db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(MAX_ATTEMPTS):
        result = runner.invoke(args=["qaf", "send-outbox"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("0 sent, 1 failed of 1 to send")
    [message] = messages(app)
    assert message.error.startswith(f"attempt {MAX_ATTEMPTS} failed: ")
    use_mail_server(app, smtp_server)
    result = runner.invoke(args=["qaf", "send-outbox"])
    assert result.output == "0 sent, 0 failed of 0 to send\n"
    assert smtp_server.received == []


def test_send_outbox_sends_what_failed_or_was_never_sent_but_not_days_old_mail(app, smtp_server):
    app.config |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9, "MAIL_USE_TLS": False}
    with app.app_context():
        send_email("failed@example.gov.uk", "Failed once", "Body")
        db.session.commit()
        deliver_outbox()
        send_email("queued@example.gov.uk", "Never tried", "Body")
        old = send_email("old@example.gov.uk", "Last week", "Body")
        old.created_at = utc_now() - timedelta(days=7)
        db.session.commit()
    use_mail_server(app, smtp_server)
    result = app.test_cli_runner().invoke(args=["qaf", "send-outbox"])
    assert result.output == "2 sent, 0 failed of 2 to send\n"
    sent = {message.recipient for message in messages(app) if message.sent_at}
    assert sent == {"failed@example.gov.uk", "queued@example.gov.uk"}


def test_several_workers_sending_at_once_send_each_message_once(app, smtp_server):
    use_mail_server(app, smtp_server)
    with app.app_context():
        for number in range(20):
            send_email("someone@example.gov.uk", f"Message {number}", "Body")
        db.session.commit()

    def worker() -> None:
        with app.app_context():
            deliver_outbox()

    workers = [threading.Thread(target=worker) for _ in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    subjects = sorted(line for text in smtp_server.received for line in text.splitlines() if line.startswith("Subj"))
    assert subjects == sorted(f"Subject: Message {number}" for number in range(20))
    assert all(message.sent_at for message in messages(app))


def test_the_outbox_page_shows_which_messages_are_queued_sent_and_failed(app, client_request, staff, smtp_server):
    use_mail_server(app, smtp_server)
    with app.app_context():
        send_email("sent@example.gov.uk", "Will be sent", "Body")
        db.session.commit()
        deliver_outbox()
        send_email("queued@example.gov.uk", "Not tried yet", "Body")
        db.session.commit()
        failed = send_email("failed@example.gov.uk", "Refused", "Body")
        failed.error = "attempt 2 failed: (550, b'No such mailbox')"
        db.session.commit()
    page = client_request.login(staff["qa_admin"]["email"]).get("/admin/outbox")
    states = {
        heading.get_text(strip=True): " ".join(heading.find_next("p").get_text().split())
        for heading in page.select("h2")
    }
    assert states["Will be sent"].startswith("Sent To sent@example.gov.uk")
    assert states["Not tried yet"].startswith("Queued To queued@example.gov.uk")
    assert states["Refused"].startswith("Failed To failed@example.gov.uk")
    assert states["Refused"].endswith(
        f"(550, b'No such mailbox') (attempt 2 of {MAX_ATTEMPTS}; send-outbox will try again)"
    )


def test_an_email_written_by_a_command_is_sent_once_the_command_has_stored_it(app, staff, smtp_server):
    use_mail_server(app, smtp_server)
    result = app.test_cli_runner().invoke(
        args=["qaf", "create-user", "--email", "nia.new@example.gov.uk", "--name", "Nia New"]
        + ["--role", "auditor", "--team", "ashford-ehu", "--link"]
    )
    assert result.exit_code == 0, result.output
    [message] = messages(app)
    assert message.sent_at is not None
    [received] = smtp_server.received
    assert "To: nia.new@example.gov.uk" in received
    assert "Subject: Set your password for QAF" in received
