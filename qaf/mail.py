"""Email: every message is kept in the outbox table and the log; sent by SMTP when a server is set."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from qaf.extensions import db
from qaf.models import OutboxMessage, utc_now

log = logging.getLogger(__name__)


def send_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Record the message in the caller's transaction, then send it if SMTP is configured.

    A failed send is recorded on the message, never raised: the work that wanted the
    email (an alert, a reset link) is already safely stored.
    """
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    log.info("email to %s: %s", recipient, subject)
    config = current_app.config
    if not config["MAIL_SERVER"]:
        return message
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
        message.sent_at = utc_now()
    except (OSError, smtplib.SMTPException) as error:
        message.error = str(error)[:500]
        log.warning("email to %s not sent: %s", recipient, error)
    return message
