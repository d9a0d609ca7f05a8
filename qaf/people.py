"""Staff accounts: adding, changing, deactivating people and sending set-password links.

The admin pages, the CLI and the demo data all use these, inside a write transaction.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from qaf.audit_log import record_event
from qaf.auth.local_passwords import password_allowed
from qaf.auth.sessions import end_every_session
from qaf.auth.tokens import issue_password_link
from qaf.extensions import db
from qaf.links import public_url
from qaf.mail import send_email
from qaf.models import Service, Team, User, utc_now
from qaf.policy import Role


class PersonError(ValueError):
    """Input that cannot be stored, with the field it is about and a message for the person."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _check(
    email: str,
    role: str,
    team_id: int | None,
    line_manager_id: int | None,
    user_id: int | None,
    home_service_id: int | None = None,
) -> None:
    taken = db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower()))
    if taken is not None and taken != user_id:
        raise PersonError("email", "There is already an account with that email address")
    if role not in {role.value for role in Role}:
        raise PersonError("role", "Select a role from the list")
    if team_id is not None and db.session.get(Team, team_id) is None:
        raise PersonError("team", "Select a team from the list")
    if home_service_id is not None and db.session.get(Service, home_service_id) is None:
        raise PersonError("service", "Select a service from the list")
    if role == Role.SERVICE_MANAGER and team_id is None and home_service_id is None:
        raise PersonError("service", "Select the service they manage, or a team")
    if line_manager_id is not None and (line_manager_id == user_id or db.session.get(User, line_manager_id) is None):
        raise PersonError("line_manager", "Select a line manager from the list")


def create_person(
    *,
    email: str,
    name: str,
    role: str,
    team_id: int | None = None,
    line_manager_id: int | None = None,
    password_hash: str | None = None,
    home_service_id: int | None = None,
) -> User:
    _check(email, role, team_id, line_manager_id, None, home_service_id)
    user = User(
        email=email.lower(),
        name=name,
        role=role,
        team_id=team_id,
        home_service_id=None if team_id is not None else home_service_id,
        line_manager_id=line_manager_id,
        password_hash=password_hash,
        password_changed_at=utc_now() if password_hash else None,
    )
    db.session.add(user)
    db.session.flush()
    record_event("user_created", f"{user.email} as {Role(role).label}")
    return user


def change_person(
    user: User,
    *,
    email: str,
    name: str,
    role: str,
    team_id: int | None,
    line_manager_id: int | None,
    home_service_id: int | None = None,
) -> None:
    _check(email, role, team_id, line_manager_id, user.id, home_service_id)
    changes = []
    for attribute, value in (
        ("email", email.lower()),
        ("name", name),
        ("role", role),
        ("team_id", team_id),
        ("home_service_id", None if team_id is not None else home_service_id),
        ("line_manager_id", line_manager_id),
    ):
        if getattr(user, attribute) != value:
            changes.append(attribute.replace("_id", "").replace("home_", ""))
            setattr(user, attribute, value)
    if changes:
        if "role" in changes or "email" in changes:
            # A new role or address takes effect at the next sign-in, not in an old session.
            end_every_session(user.id)
        record_event("user_changed", f"{user.email}: {', '.join(changes)} changed")


def deactivate_person(user: User) -> None:
    user.active = False
    end_every_session(user.id)
    record_event("user_deactivated", user.email)


def reactivate_person(user: User) -> None:
    user.active = True
    record_event("user_reactivated", user.email)


def send_sign_in_details(user: User) -> str:
    """Tell a new person how to get in: a link to set their password, or where passwords are off, the sign-in page."""
    if password_allowed(user.email):
        return send_set_password_link(user)
    link = public_url("auth.sign_in")
    send_email(
        user.email,
        "You have an account on QAF",
        f"Hello {user.name},\n\nYou have an account on QAF, the early help quality assurance service.\n\n"
        f"Sign in with your council account, the one you use for the council's computers:\n{link}\n",
    )
    record_event("sign_in_details_sent", user.email)
    return link


def send_set_password_link(user: User) -> str:
    days = current_app.config["SET_PASSWORD_DAYS"]
    link = issue_password_link(user, lifetime=timedelta(days=days))
    send_email(
        user.email,
        "Set your password for QAF",
        f"Hello {user.name},\n\nYou have an account on QAF, the early help quality assurance service.\n\n"
        f"Choose your password with this link within {days} days. It works once:\n{link}\n",
    )
    record_event("set_password_link_sent", user.email)
    return link
