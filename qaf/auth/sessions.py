"""Signed-in sessions that really end: a session version, an idle timeout and an absolute limit.

Flask's session is a signed cookie, so a copy taken before sign-out would still work on
its own. Each cookie names the user's session version; signing out, deactivation and a
password change raise it, which makes every earlier cookie useless.
"""

import time
from typing import Any

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import update

from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.extensions import db, login_manager
from qaf.models import User


def load_user(user_id: str) -> User | None:
    try:
        id_text, version_text = user_id.split(":")
        user = db.session.get(User, int(id_text))
    except ValueError:
        return None
    if user is None or not user.active or str(user.session_version) != version_text:
        return None
    return user


def start_session(user: User) -> None:
    """A fresh session for ``user``: nothing from before sign-in carries over."""
    session.clear()
    login_user(user)
    now = int(time.time())
    session["signed_in_at"] = now
    session["last_seen"] = now


def end_every_session(user_id: int) -> None:
    """Make every session cookie ``user`` holds useless (in the caller's transaction)."""
    db.session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def sign_out() -> None:
    user = current_user._get_current_object()

    def work() -> None:
        end_every_session(user.id)
        record_event("signed_out", actor=user)

    run_write_transaction(work)
    logout_user()
    session.clear()


def _expire_old_sessions() -> Any:
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    config = current_app.config
    idle = now - session.get("last_seen", 0) > config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - session.get("signed_in_at", 0) > config["SESSION_ABSOLUTE_HOURS"] * 3600
    if idle or too_old:
        user = current_user._get_current_object()
        run_write_transaction(lambda: record_event("session_expired", "idle" if idle else "absolute limit", actor=user))
        logout_user()
        session.clear()
        flash("You were signed out because you had not done anything for a while. Sign in again.")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    session["last_seen"] = now
    return None


def init_sessions(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.session_protection = None  # the session version does this job, and survives a moved IP
    app.before_request(_expire_old_sessions)
