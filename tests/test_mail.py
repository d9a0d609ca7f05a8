"""Email: kept in the outbox always; sent through SMTP when a server is configured."""

import socketserver
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.mail import send_email
from qaf.models import OutboxMessage


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of SMTP (RFC 5321) to receive one message at a time."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                self.server.received.append(b"".join(lines).decode())  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server() -> Iterator[socketserver.TCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_without_a_mail_server_messages_are_kept_and_not_sent(app):
    with app.app_context():
        send_email("someone@example.gov.uk", "Hello", "Body")
        db.session.commit()
        message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.recipient, message.sent_at, message.error) == ("someone@example.gov.uk", None, "")


def test_with_a_mail_server_messages_are_sent_and_marked(app, smtp_server):
    app.config |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.server_address[1], "MAIL_USE_TLS": False}
    with app.app_context():
        send_email("someone@example.gov.uk", "Reset your QAF password", "Open this link")
        db.session.commit()
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
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None
    assert message.error
