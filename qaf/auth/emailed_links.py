"""Emailing a one-time link to whoever holds an address, with the same work done whether it has an account or not.

The page after asking is the same either way, and so is the work in the request: the
lookup, a token made and hashed, the statement cancelling earlier links, an entry in the
audit log, one write transaction. Only a real account's link and email are stored, and
the email is sent after the response (qaf.mail), so nothing slow happens for one path only.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from qaf.audit_log import record_event
from qaf.auth.local_passwords import password_allowed
from qaf.auth.tokens import LinkKind, issue_link
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.mail import send_email
from qaf.models import User


def _reset_email(email: str, link: str, lifetime: str) -> tuple[str, str]:
    return (
        "Reset your QAF password",
        f"Someone asked to reset the password for {email}.\n\n"
        f"To choose a new password, open this link within {lifetime}:\n{link}\n\n"
        "The link works once. If you did not ask for this, you can ignore this email.",
    )


def _sign_in_email(email: str, link: str, lifetime: str) -> tuple[str, str]:
    return (
        "Your link to sign in to QAF",
        f"Someone asked for a link to sign in to QAF as {email}.\n\n"
        f"To sign in, open this link within {lifetime}:\n{link}\n\n"
        "The link works once. If your account was locked after many wrong passwords, it also unlocks it. "
        "If you did not ask for it, you can ignore this email; if you keep getting them, tell your QA team.",
    )


_EMAILS = {
    LinkKind.SET_PASSWORD: ("password_reset_requested", _reset_email),
    LinkKind.SIGN_IN: ("sign_in_link_requested", _sign_in_email),
}


def link_lifetime(kind: LinkKind) -> tuple[timedelta, str]:
    """How long a link of this kind works, and the words for it."""
    config = current_app.config
    if kind is LinkKind.SIGN_IN:
        minutes = int(config["SIGN_IN_LINK_MINUTES"])
        return timedelta(minutes=minutes), f"{minutes} minutes"
    hours = int(config["PASSWORD_RESET_HOURS"])
    return timedelta(hours=hours), f"{hours} hours"


def email_link(email: str, kind: LinkKind) -> None:
    """Email a link of ``kind`` to ``email`` if it is an active account's that may use one; do the same work if not."""
    event, compose = _EMAILS[kind]
    lifetime, lifetime_words = link_lifetime(kind)

    def work() -> None:
        user = db.session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        if user is not None and not password_allowed(user.email):
            user = None  # passwords are off for them: the council's sign-in is their way in
        link = issue_link(user, kind, lifetime=lifetime)
        if user is not None:
            send_email(user.email, *compose(user.email, link, lifetime_words))
        record_event(event, actor=user, actor_email=email)

    run_write_transaction(work)
