"""A family's invitation link sent by text message or email, and its one reminder.

The number or address the worker types is used for two messages, the link now and one reminder
INVITATION_REMINDER_DAYS later (only while the link still waits), and is kept nowhere else:
each outbox message forgets it (and the link) once it is sent, refused or withdrawn, and
both are withdrawn as soon as the link is answered, cancelled or expires. Nothing of it is
stored with the answers or exported.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from qaf.extensions import db
from qaf.invitations import NewInvitation
from qaf.mail import (
    LINK_MARK,
    NOT_SENT,
    REFUSED,
    SENDING,
    deliver_outbox,
    send_email,
    send_text_message,
    withdraw_messages,
)
from qaf.models import OutboxMessage, utc_now
from qaf.notify import sends_email, sends_text_messages

# A text message is one message up to 160 characters of GSM's alphabet: with a link of 77 characters
# (https://feedback.example.gov.uk/i/ and the token) these leave 20 for the service name Notify may put first.
TEXT_FIRST = f"How did the help for your family go? Tell us, no name needed: {LINK_MARK}"
TEXT_REMINDER = f"Reminder: tell us how your family's help went, no name needed: {LINK_MARK}"
TEXT_LABELS = {False: "Text message: feedback link", True: "Text message: reminder of the feedback link"}
EMAIL_SUBJECTS = {
    False: "Tell us what you think of the help you have had",
    True: "Reminder: tell us what you think of the help you have had",
}


def channels_available() -> dict[str, bool]:
    """Which ways QAF can send a family their link here: text messages need Notify; email, Notify or SMTP."""
    config = current_app.config
    return {"sms": sends_text_messages(config), "email": sends_email(config) or bool(config["MAIL_SERVER"])}


def _email_body(new: NewInvitation, *, reminder: bool, minutes: int | None) -> str:
    opening = (
        "A few days ago your early help worker asked what you think of the help your family has had."
        if reminder
        else "Your early help worker would like to know what you think of the help your family has had."
    )
    time = f"It takes about {minutes} minutes. " if minutes else ""
    ends = new.invitation.expires_at
    expires = f"{ends.day} {ends:%B %Y}"
    return (
        f"{opening}\n\n{time}You do not need to give your name, and your worker will not see your answers.\n\n"
        f"Open this link to tell us:\n{LINK_MARK}\n\nThe link is just for you. It works once, until {expires}.\n\n"
        f"{current_app.config['COUNCIL_NAME']}"
    )


def send_link(new: NewInvitation, channel: str, address: str, *, minutes: int | None = None) -> None:
    """Record the link's message and its one reminder, in the caller's transaction (the invitation's)."""
    reminder_at = new.invitation.created_at + timedelta(days=current_app.config["INVITATION_REMINDER_DAYS"])
    when: list[tuple[bool, datetime | None]] = [(False, None)]
    if reminder_at < new.invitation.expires_at:
        when.append((True, reminder_at))
    for reminder, send_after in when:
        if channel == "sms":
            text = TEXT_REMINDER if reminder else TEXT_FIRST
            send_text_message(
                address,
                TEXT_LABELS[reminder],
                text,
                invitation=new.invitation,
                link=new.link,
                send_after=send_after,
            )
        else:
            send_email(
                address,
                EMAIL_SUBJECTS[reminder],
                _email_body(new, reminder=reminder, minutes=minutes),
                invitation=new.invitation,
                link=new.link,
                send_after=send_after,
            )


@dataclass
class ReminderRun:
    """What a reminder run did; its text is send-invitation-reminders' one line."""

    due: int = 0
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} reminder(s) sent, {self.failed} failed, of {self.due} due"


def send_due_reminders() -> ReminderRun:
    """Send the reminders whose day has come, for links still waiting; the others are withdrawn, unsent.

    Run hourly by the worker's scheduler, or from cron (``flask qaf send-invitation-reminders``);
    running it twice at once, or again, sends each reminder once.
    """
    run = ReminderRun()
    now = utc_now()
    # Withdrawn first: a reminder of a link answered, cancelled or expired is never sent.
    withdraw_messages()
    due = list(
        db.session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.send_after.is_not(None),
                OutboxMessage.send_after <= now,
                OutboxMessage.sent_at.is_(None),
                ~OutboxMessage.error.startswith(SENDING),
                ~OutboxMessage.error.startswith(REFUSED),
                ~OutboxMessage.error.startswith(NOT_SENT),
            )
        )
    )
    db.session.rollback()
    run.due = len(due)
    if due:
        delivery = deliver_outbox(due, retrying=True)
        run.sent, run.failed = delivery.sent, delivery.failed
    return run
