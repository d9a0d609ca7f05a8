"""Email: every message is recorded in the outbox in the caller's transaction and sent afterwards.

Nothing is sent while a transaction that stores data is open, so a mail server that does not
answer can never hold up an audit, a feedback form or SQLite's write lock. A message recorded
during a web request is sent after the response has gone (``response.call_on_close``); one
recorded by a command, once the command has finished; anything left over, by ``flask qaf
send-outbox`` run from cron.

Until messages get a status column, a message's state is its ``error`` text:
``""`` queued, never tried; ``"sending: attempt N"`` claimed by one worker, which is sending it;
``"attempt N failed: why"`` not sent, tried again by send-outbox while N < MAX_ATTEMPTS.
``sent_at`` is set once it has gone.
"""

import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import click
from flask import Flask, Response, after_this_request, current_app, g, has_request_context
from sqlalchemy import select, update

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import OutboxMessage, utc_now

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# send-outbox leaves older messages alone: a days-old reset link or reminder is worse than none.
RETRY_WITHIN = timedelta(days=2)
SENDING = "sending: attempt "
_FAILED = re.compile(r"attempt (\d+) failed: ")
# The server refused this one message; the connection is still good for the next.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def send_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Record the message in the caller's transaction; it is sent once that has committed.

    Sending never happens here: a slow or broken mail server cannot fail or delay the work
    that wanted the email (an alert, a reset link), which is stored first.
    """
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    log.info("email to %s: %s", recipient, subject)
    _deliver_later(message.id)
    return message


def _deliver_later(message_id: int) -> None:
    """Send what this request or command records after its response has gone, or it has finished."""
    recorded: list[int] | None = g.get("outbox_recorded")
    if recorded is not None:
        recorded.append(message_id)
        return
    recorded = g.outbox_recorded = [message_id]
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            deliver_outbox(recorded)

    if has_request_context():

        @after_this_request
        def _after_response(response: Response) -> Response:
            response.call_on_close(deliver)
            return response

    elif (command := click.get_current_context(silent=True)) is not None:
        command.call_on_close(deliver)


@dataclass
class Delivery:
    """What one delivery did; its text is send-outbox's one-line summary."""

    mail_server: bool
    to_send: int = 0
    sent: int = 0
    failed: int = 0
    left: int = 0

    def __str__(self) -> str:
        if not self.mail_server:
            return f"MAIL_SERVER is not set: nothing sent, {self.to_send} message(s) kept in the outbox"
        summary = f"{self.sent} sent, {self.failed} failed of {self.to_send} to send"
        if self.left:
            summary += f"; {self.left} left for the next run (the mail server stopped answering)"
        return summary


def deliver_outbox(message_ids: Sequence[int] | None = None) -> Delivery:
    """Send committed messages not yet sent, each at most once however many workers try; never raises.

    With ``message_ids``: those of them never tried (what a request or command recorded).
    Without: every message of the last RETRY_WITHIN that is queued, or failed fewer than
    MAX_ATTEMPTS times (send-outbox). Each message is claimed by a conditional UPDATE in its
    own transaction before it is sent, and its result recorded in another, so call it with
    no transaction of your own open. The first time the server stops answering, the rest
    are left for send-outbox rather than each costing a timeout.
    """
    config = current_app.config
    delivery = Delivery(mail_server=bool(config["MAIL_SERVER"]))
    if not delivery.mail_server and message_ids is not None:
        return delivery
    try:
        candidates = _candidates(message_ids)
        delivery.to_send = len(candidates)
        if delivery.mail_server:
            _send(candidates, delivery, config)
    except Exception:
        log.exception("delivering the outbox stopped")
    return delivery


def _attempts(error: str) -> int:
    if not error:
        return 0
    found = _FAILED.match(error) or re.match(re.escape(SENDING) + r"(\d+)", error)
    # An error written before attempts were counted is one attempt.
    return int(found.group(1)) if found else 1


def _candidates(message_ids: Sequence[int] | None) -> list[tuple[int, str]]:
    query = select(OutboxMessage.id, OutboxMessage.error).where(OutboxMessage.sent_at.is_(None))
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(message_ids), OutboxMessage.error == "")
    else:
        query = query.where(
            OutboxMessage.created_at >= utc_now() - RETRY_WITHIN, ~OutboxMessage.error.startswith(SENDING)
        )
    rows = db.session.execute(query.order_by(OutboxMessage.id)).all()
    db.session.rollback()
    return [(message_id, error) for message_id, error in rows if _attempts(error) < MAX_ATTEMPTS]


def _send(candidates: list[tuple[int, str]], delivery: Delivery, config: Any) -> None:
    smtp: smtplib.SMTP | None = None
    try:
        for index, (message_id, seen) in enumerate(candidates):
            attempt = _attempts(seen) + 1
            claimed = _claim(message_id, seen, attempt)
            if claimed is None:
                continue
            try:
                if smtp is None:
                    smtp = _connect(config)
                smtp.send_message(_email(*claimed, sender=config["MAIL_SENDER"]))
            except (OSError, smtplib.SMTPException) as error:
                log.warning("email %s to %s not sent: %s", message_id, claimed[0], error)
                _record(message_id, error=f"attempt {attempt} failed: {error}")
                delivery.failed += 1
                if not isinstance(error, _MESSAGE_REFUSED):
                    delivery.left = len(candidates) - index - 1
                    return
            else:
                _record(message_id, sent=True)
                delivery.sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _claim(message_id: int, seen: str, attempt: int) -> tuple[str, str, str] | None:
    """Take the message for this worker, if no other has; answers its recipient, subject and body."""

    def work() -> tuple[str, str, str] | None:
        row = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None), OutboxMessage.error == seen)
            .values(error=f"{SENDING}{attempt}")
            .returning(OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body)
        ).first()
        return None if row is None else (row.recipient, row.subject, row.body)

    return run_write_transaction(work)


def _record(message_id: int, *, error: str = "", sent: bool = False) -> None:
    def work() -> None:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(sent_at=utc_now() if sent else None, error=error[:500])
        )

    run_write_transaction(work)


def _connect(config: Any) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"])
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def _email(recipient: str, subject: str, body: str, *, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    return email


def delivery_state(message: OutboxMessage) -> tuple[str, str]:
    """What the outbox page says of a message: its state, and what went wrong or happens next."""
    if message.sent_at is not None:
        return "Sent", ""
    if not message.error:
        return ("Queued", "") if current_app.config["MAIL_SERVER"] else ("Kept", "")
    attempts = _attempts(message.error)
    if message.error.startswith(SENDING):
        return "Sending", f"attempt {attempts}"
    reason = _FAILED.sub("", message.error, count=1)
    then = "send-outbox will try again" if attempts < MAX_ATTEMPTS else "no more attempts will be made"
    return "Failed", f"{reason} (attempt {attempts} of {MAX_ATTEMPTS}; {then})"
