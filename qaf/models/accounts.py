"""Staff accounts and their one-time password links."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.common import utc_now
from qaf.models.organisation import Service, Team


class User(db.Model):  # type: ignore[name-defined,misc]
    """A member of staff who signs in: practitioner, auditor, service manager or QA administrator."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_user_account_oidc_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(30))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team | None] = relationship()
    # The service of someone who works across a service without a team (a service manager).
    home_service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    home_service: Mapped[Service | None] = relationship()
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    line_manager: Mapped["User | None"] = relationship(remote_side="User.id")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session cookie: raising it ends every session the user has.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    password_changed_at: Mapped[datetime | None] = mapped_column()
    # Who they are at the council's identity provider, kept from their first sign-in there (matched by email):
    # later sign-ins find them by it, so a changed address in the directory still opens the same account.
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))

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
        """The service they work in: their team's, else the one they were given without a team."""
        return self.team.service_id if self.team else self.home_service_id


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
