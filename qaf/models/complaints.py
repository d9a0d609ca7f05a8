"""Complaints and compliments, logged as feedback about a team's work with what was learnt from them."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.common import utc_now
from qaf.models.organisation import Team

COMPLAINT_KINDS = {"complaint": "Complaint", "compliment": "Compliment"}
# What complaints and compliments are about, in the words of the seeds' feedback questions
# (listened to, involved, respected, help at the right time, has the help helped) and their
# partner and recording standards.
COMPLAINT_THEMES = {
    "communication": "Communication and keeping in touch",
    "listening": "Listening to the child and family",
    "involvement": "Involving the family in the plan",
    "respect": "Respect and the worker's manner",
    "timeliness": "Timeliness: help at the right time",
    "quality_of_help": "Quality of the help and whether it helped",
    "decisions": "Decisions and assessments",
    "partners": "Working with partner agencies",
    "information": "Information sharing and records",
    "access": "Access to services and support",
    "other": "Other",
}
# For complaints only: where the council's complaints procedure has got to.
COMPLAINT_OUTCOMES = {
    "in_progress": "In progress",
    "resolved_early": "Resolved early, without investigation",
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "withdrawn": "Withdrawn",
}


class ComplaintOrCompliment(db.Model):  # type: ignore[name-defined,misc]
    """One complaint or compliment received about a team (Kent SCS section 4, seed 004 section 3.6).

    Nobody is named: there is no name to give, and the learning is checked for case references,
    dates of birth and the like before it is stored.
    """

    __tablename__ = "complaint_or_compliment"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    team: Mapped[Team] = relationship()
    kind: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str | None] = mapped_column(String(30))
    learning: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    logged_by: Mapped[User | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    @property
    def kind_label(self) -> str:
        return COMPLAINT_KINDS.get(self.kind, self.kind)

    @property
    def theme_label(self) -> str:
        return COMPLAINT_THEMES.get(self.theme, self.theme)

    @property
    def outcome_label(self) -> str:
        return COMPLAINT_OUTCOMES.get(self.outcome, self.outcome) if self.outcome else ""
