"""Form versions and the responses given against them."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db

if TYPE_CHECKING:
    from qaf.formspec import FormSpec
from qaf.models.common import ANSWERS_JSON, utc_now
from qaf.models.organisation import Team


class FormVersion(db.Model):  # type: ignore[name-defined,misc]
    """A snapshot of a form definition exactly as responses were given against it.

    One row per distinct definition (by digest), so editing a YAML file later makes
    a new version and never changes what an old response meant.
    """

    __tablename__ = "form_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(default=utc_now)

    def as_spec(self) -> "FormSpec":
        from qaf.formspec import FormSpec

        return FormSpec.from_snapshot(self.spec, self.digest)

    __table_args__ = (UniqueConstraint("form_key", "digest"),)


class ResponseVoid(db.Model):  # type: ignore[name-defined,misc]
    """Responses the QA team took out of every figure together (a burst of fake ones), and why.

    The responses are kept, never deleted; undoing the void puts them back in the figures.
    """

    __tablename__ = "response_void"

    id: Mapped[int] = mapped_column(primary_key=True)
    voided_at: Mapped[datetime] = mapped_column(default=utc_now)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(String(500))
    responses: Mapped[int] = mapped_column(default=0)
    undone_at: Mapped[datetime | None] = mapped_column()
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Response(db.Model):  # type: ignore[name-defined,misc]
    """One submitted form: written once, in one transaction; its answers are never edited."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(60))
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"))
    form_version: Mapped[FormVersion] = relationship()
    submitted_at: Mapped[datetime] = mapped_column(default=utc_now)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team | None] = relationship()
    stage: Mapped[str | None] = mapped_column(String(20))
    respondent_type: Mapped[str | None] = mapped_column(String(40))
    answers: Mapped[dict[str, Any]] = mapped_column(ANSWERS_JSON)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # How it arrived: in a round or wave; and, only where the form says so, the pseudonymous case
    # reference of the invitation it came through. Nothing else links a response to its invitation.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_round.id"), index=True)
    case_reference: Mapped[str | None] = mapped_column(String(40))
    # The id its page was rendered with: a resend of the same page is stored only once.
    submission_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Set while the response is voided: it then counts in no figure.
    void_id: Mapped[int | None] = mapped_column(ForeignKey("response_void.id"), index=True)

    __table_args__ = (Index("ix_response_form_key_submitted_at", "form_key", "submitted_at"),)
