"""Case audits, their moderation, the actions they raise and the alerts they send."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.common import ANSWERS_JSON, utc_now
from qaf.models.organisation import Team
from qaf.models.responses import FormVersion

if TYPE_CHECKING:
    from qaf.models.group_moderation import GroupModeration
    from qaf.models.programme import ThematicEvaluation

AUDIT_STATUSES = ("draft", "submitted")
ACTION_STATUSES = {"open": "Not started", "in_progress": "In progress", "done": "Done"}


class Audit(db.Model):  # type: ignore[name-defined,misc]
    """One audit of one case (or team, or person: the template's subject) by one auditor, against one
    version of a template. An audit of a team or a person has an empty case reference.

    A draft may be incomplete and changed; once submitted it is read-only, and only its
    moderation (an agreed or moderated grade, with a comment) is added.
    """

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(60), index=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"))
    form_version: Mapped[FormVersion] = relationship()
    case_reference: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team] = relationship()
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    practitioner: Mapped[User | None] = relationship(foreign_keys=[practitioner_id])
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id])
    status: Mapped[str] = mapped_column(String(20), default="draft")
    answers: Mapped[dict[str, Any]] = mapped_column(ANSWERS_JSON, default=dict)
    grade: Mapped[str | None] = mapped_column(String(40))
    scaling: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    moderated_grade: Mapped[str | None] = mapped_column(String(40))
    moderation_comment: Mapped[str] = mapped_column(Text, default="")
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    moderated_at: Mapped[datetime | None] = mapped_column()

    actions: Mapped[list["AuditAction"]] = relationship(back_populates="audit", order_by="AuditAction.id")
    alerts: Mapped[list["Alert"]] = relationship(back_populates="audit", order_by="Alert.id")
    comments: Mapped[list["AuditComment"]] = relationship(back_populates="audit", order_by="AuditComment.id")
    # Set when the audit is drawn for its service's monthly group moderation (seed 004, 4.6).
    group_moderation: Mapped["GroupModeration | None"] = relationship(back_populates="audit")

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def about(self) -> str:
        """What the audit is about, as pages name it: "case EH-1", or (for an audit of a team or of a
        person, which has no case reference) the person observed or the team."""
        if self.case_reference:
            return f"case {self.case_reference}"
        return self.practitioner.name if self.practitioner else self.team.name

    @property
    def final_grade(self) -> str | None:
        return self.moderated_grade or self.grade


action_worker = Table(
    "audit_action_worker",
    db.metadata,
    Column("action_id", ForeignKey("audit_action.id"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
)


class AuditAction(db.Model):  # type: ignore[name-defined,misc]
    """An entry in an action plan (Camden 4.4): a target, the action to meet it, a timescale, the
    workers involved and, once it is closed, its outcome. Raised from an audit or from a thematic
    evaluation's recommendations (seed 004, 6.12 and 6.13), never both; followed until it is done.
    """

    __tablename__ = "audit_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"), index=True)
    audit: Mapped[Audit | None] = relationship(back_populates="actions")
    thematic_id: Mapped[int | None] = mapped_column(ForeignKey("qa_thematic.id"), index=True)
    thematic: Mapped["ThematicEvaluation | None"] = relationship(back_populates="actions")
    # What should be better: the outcome sought. Actions raised before action plans have none.
    target: Mapped[str] = mapped_column(Text, default="")
    # What will be done.
    action: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    workers: Mapped[list[User]] = relationship(secondary=action_worker, order_by=User.name)
    due_date: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="open")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    completed_at: Mapped[datetime | None] = mapped_column()
    history: Mapped[list["ActionChange"]] = relationship(back_populates="action", order_by="ActionChange.id")

    __table_args__ = (
        CheckConstraint("(audit_id IS NULL) <> (thematic_id IS NULL)", name="ck_audit_action_one_source"),
    )

    def is_overdue(self, today: date) -> bool:
        return self.status != "done" and self.due_date < today

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)

    @property
    def involves(self) -> list[User]:
        """The owner, then the workers involved: the people told about it and who may update it."""
        return [self.owner, *(worker for worker in self.workers if worker.id != self.owner_id)]


class ActionChange(db.Model):  # type: ignore[name-defined,misc]
    """One change to an action, kept for ever: nothing about an action is deleted."""

    __tablename__ = "action_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("audit_action.id"), index=True)
    action: Mapped[AuditAction] = relationship(back_populates="history")
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    by: Mapped[User] = relationship()
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class AuditComment(db.Model):  # type: ignore[name-defined,misc]
    """A comment the practitioner (or the auditor, answering) adds to an audit of their work: the
    practitioner's side of a collaborative practice evaluation (seed 004, 4.1), kept with the audit."""

    __tablename__ = "audit_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    audit: Mapped[Audit] = relationship(back_populates="comments")
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    author: Mapped[User] = relationship()
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Alert(db.Model):  # type: ignore[name-defined,misc]
    """A written alert about a submitted audit (an Inadequate grade, a safeguarding concern).

    If none of its recipients marks it as seen within 2 working days, the service managers are
    told, and 2 working days after that the Director (qaf.audits.alert_escalation).
    """

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    audit: Mapped[Audit] = relationship(back_populates="alerts")
    reasons: Mapped[str] = mapped_column(Text)
    # The kinds of concern, one a line ("Safeguarding concern", "Inadequate practice"): what messages name.
    concerns: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    escalated_to_service_at: Mapped[datetime | None] = mapped_column()
    escalated_to_director_at: Mapped[datetime | None] = mapped_column()
    recipients: Mapped[list["AlertRecipient"]] = relationship(back_populates="alert", order_by="AlertRecipient.id")

    @property
    def seen_by(self) -> list["AlertRecipient"]:
        """The recipients who have marked it as seen, first first."""
        seen = [recipient for recipient in self.recipients if recipient.acknowledged_at is not None]
        return sorted(seen, key=lambda recipient: recipient.acknowledged_at or self.created_at)


class AlertRecipient(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "alert_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id"), index=True)
    alert: Mapped[Alert] = relationship(back_populates="recipients")
    # A person with an account, or an address from configuration (the Director's).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    user: Mapped[User | None] = relationship()
    email: Mapped[str] = mapped_column(String(254), default="")
    why: Mapped[str] = mapped_column(String(60))

    @property
    def name(self) -> str:
        return self.user.name if self.user else self.email

    @property
    def was_told(self) -> bool:
        """False for someone the template names whom QAF has no address for (the Director, unset)."""
        return bool(self.email)

    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    # When this recipient marked the alert as seen on the audit's page.
    acknowledged_at: Mapped[datetime | None] = mapped_column()
