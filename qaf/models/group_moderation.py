"""Group moderation (seed 004, 4.6 and 4.7): each month, one collaborative practice evaluation of each
service is moderated together by its service managers, for a shared sense of "what good looks like"."""

from datetime import date, datetime, timedelta

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.audits import Audit
from qaf.models.common import utc_now
from qaf.models.organisation import Service

group_member = Table(
    "qa_group_moderation_member",
    db.metadata,
    Column("group_moderation_id", ForeignKey("qa_group_moderation.id"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
)


class GroupModeration(db.Model):  # type: ignore[name-defined,misc]
    """A service's group moderation for one month: the audit drawn for it at random with ``seed`` (from
    the month's submitted, unmoderated audits of ``form_key``, or the month before's if there were none),
    and once it is held, who was in the group and when. The outcome itself (the agreed or changed grade
    and the comment) is the audit's moderation, recorded by ``recorded_by``."""

    __tablename__ = "qa_group_moderation"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    service: Mapped[Service] = relationship()
    # The first day of the month the moderation is for.
    month: Mapped[date] = mapped_column()
    form_key: Mapped[str] = mapped_column(String(60))
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), unique=True)
    audit: Mapped[Audit] = relationship(back_populates="group_moderation")
    # The first day of the month the audit was submitted in: ``month``, or the one before.
    drawn_from: Mapped[date] = mapped_column()
    seed: Mapped[int] = mapped_column()
    candidates: Mapped[int] = mapped_column()
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    chosen_by: Mapped[User | None] = relationship(foreign_keys=[chosen_by_id])
    chosen_at: Mapped[datetime] = mapped_column(default=utc_now)
    members: Mapped[list[User]] = relationship(secondary=group_member, order_by=User.name)
    held_on: Mapped[date | None] = mapped_column()
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    recorded_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (UniqueConstraint("service_id", "month", name="uq_qa_group_moderation_month"),)

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def due_date(self) -> date:
        """The last day of its month: it is overdue after that."""
        return (self.month + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    def is_overdue(self, today: date) -> bool:
        return not self.is_recorded and self.due_date < today
