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
from qaf.auth.held_answers import (
    HELD_KEY,
    TOKEN_FIELD,
    carry_over,
    hold,
    posted_to_keeping_page,
    signed_out_message,
    token_state,
)
from qaf.database import run_write_transaction
from qaf.extensions import db, login_manager
from qaf.models import User

# Who a session was, and why it ended, after it ran out (until someone signs in).
SIGNED_OUT_KEY = "signed_out"


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
    """A fresh session for ``user``: nothing from before sign-in carries over but answers held for them."""
    held = carry_over(user)
    session.clear()
    login_user(user)
    now = int(time.time())
    session["signed_in_at"] = now
    session["last_seen"] = now
    if held:
        session[HELD_KEY] = held


def seconds_left() -> int:
    """How long this session lasts if nothing more is done: the idle timeout, or sooner the absolute limit."""
    config = current_app.config
    now = int(time.time())
    idle_ends = int(session.get("last_seen", now)) + int(config["SESSION_IDLE_MINUTES"]) * 60
    limit_ends = int(session.get("signed_in_at", now)) + int(config["SESSION_ABSOLUTE_HOURS"]) * 3600
    return max(0, min(idle_ends, limit_ends) - now)


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


def _why_ended(now: int) -> str | None:
    config = current_app.config
    if now - session.get("signed_in_at", 0) > config["SESSION_ABSOLUTE_HOURS"] * 3600:
        return "absolute limit"
    if now - session.get("last_seen", 0) > config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    return None


def _end_ended_session(user: User, reason: str) -> None:
    """Sign out a session that has run out, remembering who it was and its CSRF secret for a post still to come."""
    run_write_transaction(lambda: record_event("session_expired", reason, actor=user))
    csrf_secret = session.get(TOKEN_FIELD)
    logout_user()
    session.clear()
    if csrf_secret:
        session[TOKEN_FIELD] = csrf_secret
    session[SIGNED_OUT_KEY] = {"user_id": user.id, "reason": reason}


def _expire_old_sessions() -> Any:
    """Before every request, and before its CSRF check: end sessions that have run out, holding what they posted.

    A post to a page that keeps answers is held (qaf.auth.held_answers) when the session ends
    with it, when it comes after the session ended, or when its page's token has grown too old.
    """
    if request.endpoint == "static":
        return None
    now = int(time.time())
    ended = None
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        ended = _why_ended(now)
        if ended is None:
            session["last_seen"] = now
            if posted_to_keeping_page() and token_state() == "old":
                hold(user.id, "page")
                return redirect(request.path)
            return None
        _end_ended_session(user, ended)
    signed_out = session.get(SIGNED_OUT_KEY)
    if signed_out and posted_to_keeping_page() and token_state() != "bad":
        hold(signed_out["user_id"], signed_out["reason"])
        session.pop("_flashes", None)  # this message says it all
        flash(signed_out_message(signed_out["reason"]))
        return redirect(url_for("auth.sign_in", next=request.path))
    if ended:
        flash("You were signed out because you had not done anything for a while. Sign in again.")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    return None


def init_sessions(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.session_protection = None  # the session version does this job, and survives a moved IP
    # First of all, before the CSRF check: a post from a session that has ended is held, not refused.
    app.before_request_funcs.setdefault(None, []).insert(0, _expire_old_sessions)
    app.jinja_env.globals["session_seconds_left"] = seconds_left
