"""How feedback reaches people: one-time invitation links, and rounds or waves of a form."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.common import utc_now
from qaf.models.organisation import Team


class Invitation(db.Model):  # type: ignore[name-defined,misc]
    """A one-time link for a family, for one case at one stage. Only a hash of its token is kept.

    Once answered it records only that it was (``answered``), never when or by which response.
    On a form that does not keep the case reference the case reference and the worker are
    cleared as it is answered, leaving the team, stage, form and the date it was made.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    form_key: Mapped[str] = mapped_column(String(60))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team] = relationship()
    stage: Mapped[str] = mapped_column(String(20))
    case_reference: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_by: Mapped[User | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime] = mapped_column()
    answered: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column()

    def state(self, now: datetime) -> str:
        if self.answered:
            return "answered"
        if self.cancelled_at is not None:
            return "cancelled"
        return "expired" if self.expires_at < now else "waiting"


class FeedbackRound(db.Model):  # type: ignore[name-defined,misc]
    """A named period for collecting one form: a partner feedback round or a staff survey wave."""

    __tablename__ = "feedback_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[str] = mapped_column(String(120))
    opens_on: Mapped[date] = mapped_column()
    closes_on: Mapped[date] = mapped_column()
    # A staff survey wave: how many staff were asked to answer, for its response rate.
    staff_count: Mapped[int | None] = mapped_column()
    # How many staff addresses a wave's link was emailed to: the addresses themselves are not kept.
    staff_emailed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on
