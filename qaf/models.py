"""The stored records: organisation, form versions and responses."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db


def utc_now() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Service(db.Model):  # type: ignore[name-defined,misc]
    """A service area, e.g. Early Help Units, Children's Centres, Youth Hubs."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    teams: Mapped[list["Team"]] = relationship(back_populates="service", order_by="Team.name")


class Team(db.Model):  # type: ignore[name-defined,misc]
    """A team within a service, in a district; responses and audits belong to a team."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(120), default="")
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    service: Mapped[Service] = relationship(back_populates="teams")

    __table_args__ = (UniqueConstraint("service_id", "name"),)


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

    __table_args__ = (UniqueConstraint("form_key", "digest"),)


class Response(db.Model):  # type: ignore[name-defined,misc]
    """One submitted form: written once, in one transaction, never edited."""

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
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_demo: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_response_form_key_submitted_at", "form_key", "submitted_at"),)


class User(db.Model):  # type: ignore[name-defined,misc]
    """A member of staff who signs in: practitioner, auditor, service manager or QA administrator."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(30))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team | None] = relationship()
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    line_manager: Mapped["User | None"] = relationship(remote_side="User.id")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session cookie: raising it ends every session the user has.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    password_changed_at: Mapped[datetime | None] = mapped_column()

    # Flask-Login's interface.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return self.active

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def service_id(self) -> int | None:
        return self.team.service_id if self.team else None


class PasswordToken(db.Model):  # type: ignore[name-defined,misc]
    """A one-time link to set or reset a password; only a hash of the token is kept."""

    __tablename__ = "password_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    user: Mapped[User] = relationship()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    """Every email QAF writes, kept whether or not an SMTP server sent it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str] = mapped_column(String(500), default="")


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
