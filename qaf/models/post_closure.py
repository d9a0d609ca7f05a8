"""Post-closure feedback (Cumbria): the QA team's setting, and the newly closed cases left for their workers."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.common import utc_now
from qaf.models.organisation import Team


class PostClosureSetting(db.Model):  # type: ignore[name-defined,misc]
    """Whether an imported case list's newly closed cases are invited to give feedback: one row, the QA team's.

    No row is the default: off, every case, the closure form, cases closed in the last 28 days.
    """

    __tablename__ = "post_closure_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    # The percentage of newly closed cases invited (each case drawn with this chance): 100 is every one.
    percent: Mapped[int] = mapped_column(default=100)
    form_key: Mapped[str] = mapped_column(String(60), default="closure")
    # A case counts only if it closed within this many days of the import (an old list's closures do not).
    within_days: Mapped[int] = mapped_column(default=28)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_by: Mapped[User | None] = relationship()


class PostClosureDue(db.Model):  # type: ignore[name-defined,misc]
    """A newly closed case chosen for post-closure feedback whose file gave no contact: its worker makes the link.

    Deleted as the link is made: the invitation is then the record, and it forgets the case once
    answered (unless its form keeps the case reference), which a row kept here would undo.
    """

    __tablename__ = "post_closure_due"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_import_id: Mapped[int | None] = mapped_column(ForeignKey("qa_case_import.id"), index=True)
    case_reference: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    team: Mapped[Team] = relationship()
    closed_on: Mapped[date] = mapped_column()
    form_key: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
