"""The partner agencies the QA team emails each round's link to, and who was emailed for which round."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from qaf.extensions import db
from qaf.models.common import utc_now


class PartnerContact(db.Model):  # type: ignore[name-defined,misc]
    """Someone at a partner agency (a work address, not a family's): sent each round's link."""

    __tablename__ = "partner_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(120))
    # One of the options of the partner form's agency-type question, so invitations and answers match.
    agency_type: Mapped[str] = mapped_column(String(40), index=True)
    district: Mapped[str] = mapped_column(String(120), default="")
    # Kept in lower case: one contact an address.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class RoundEmail(db.Model):  # type: ignore[name-defined,misc]
    """A partner contact was emailed a round's link: at most one a contact a round, so a repeat sends nothing.

    The agency type is the contact's when they were emailed, so a round's figures stay as they were
    when a contact changes or is removed (``contact_id`` is then cleared).
    """

    __tablename__ = "round_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("partner_contact.id"), index=True)
    agency_type: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (UniqueConstraint("round_id", "contact_id"),)
