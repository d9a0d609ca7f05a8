"""What the system keeps about itself: emails written and the audit log."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.common import utc_now


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    """Every email and text message QAF writes, kept whether or not SMTP or GOV.UK Notify sent it.

    A message to a family (``invitation_id`` set) holds the family's number or address and its
    link only until it is sent or will never be (the link used, cancelled or expired): then
    ``recipient`` is emptied and ``link`` cleared. Its ``body`` never holds the link, only the
    mark ``((link))`` the link is put in place of as it is sent. A staff survey wave's message
    (``forget_recipient``) forgets its address in the same way; a staff member's own messages
    (a reset link, a reminder of work) keep theirs for the outbox page.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str] = mapped_column(String(500), default="")
    # When the claim in ``error`` was taken: a claim older than the send timeout is a worker that died.
    claimed_at: Mapped[datetime | None] = mapped_column()
    # A reminder waits for its day.
    send_after: Mapped[datetime | None] = mapped_column(index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), index=True)
    link: Mapped[str | None] = mapped_column(String(300))
    # A round's or wave's link: withdrawn, unsent, once the round closes or is deleted.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    # The address is forgotten once the message is sent or never will be (a staff survey wave's).
    forget_recipient: Mapped[bool] = mapped_column(default=False)
    # GOV.UK Notify's id for the message and the delivery status it last reported.
    notify_id: Mapped[str | None] = mapped_column(String(40))
    delivery: Mapped[str] = mapped_column(String(30), default="")


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    """Who did what, when and from where: sign-ins, changes to people and teams, exports."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[User | None] = relationship()
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    event: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
