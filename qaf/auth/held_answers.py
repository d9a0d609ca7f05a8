"""Answers posted to a staff page as the session ended, given back when the same person signs in again.

A post to a page marked ``@keeps_answers`` is not acted on when the session has ended (idle,
or at its absolute limit) or when the page's CSRF token has grown too old while the session
lived on. Its fields are held instead, in the held_answers table, under a random token whose
hash alone is stored; the token goes in that browser's session. When the person the session
was signs in again in that browser and the page opens, its form shows what they posted, to
check and send again. Someone else signing in drops them. They are deleted when the page is
posted again, and after HELD_ANSWERS_MINUTES in any case.

A post is held only if it carries a CSRF token this browser's session was given, of any age
within the absolute session limit, and no browser header says it came from another site:
what is held was typed on our page by the person the session was. Nothing held is ever
saved until that person sends it again.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import current_app, flash, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import ValidationError

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import HeldAnswers, User, utc_now
from qaf.security import check_same_origin

F = TypeVar("F", bound=Callable[..., Any])
FormT = TypeVar("FormT", bound=Form)

HELD_KEY = "held_answers"
# Flask-WTF's name for the token in a form, and for the CSRF secret in the session (WTF_CSRF_FIELD_NAME).
TOKEN_FIELD = "csrf_token"  # noqa: S105 (a field name, not a password)
KEPT = "Your answers have been kept: check them and save again."


def keeps_answers(view: F) -> F:
    """Mark a page (GET and POST) whose posts are held when the session ends; its form uses form_keeping_answers."""
    view.keeps_answers = True  # type: ignore[attr-defined]
    return view


def posted_to_keeping_page() -> bool:
    if request.method != "POST" or request.url_rule is None or "GET" not in (request.url_rule.methods or ()):
        return False
    return bool(getattr(current_app.view_functions.get(request.endpoint or ""), "keeps_answers", False))


def token_state() -> str:
    """ "good" (the post will pass the CSRF check), "old" (this session's own token, grown too old) or "bad"."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return "good"
    try:
        check_same_origin()
    except CSRFError:
        return "bad"
    token = request.form.get(TOKEN_FIELD)
    try:
        validate_csrf(token)
        return "good"
    except ValidationError:
        pass
    try:
        validate_csrf(token, time_limit=config["SESSION_ABSOLUTE_HOURS"] * 3600)
        return "old"
    except ValidationError:
        return "bad"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_kept() -> Any:
    return utc_now() - timedelta(minutes=current_app.config["HELD_ANSWERS_MINUTES"])


def _purge_expired() -> None:
    db.session.execute(delete(HeldAnswers).where(HeldAnswers.created_at < _oldest_kept()))


def _drop(token: str | None) -> None:
    if token:
        db.session.execute(delete(HeldAnswers).where(HeldAnswers.token_hash == _hash(token)))


def hold(user_id: int, reason: str) -> None:
    """Hold this post's fields for ``user_id`` (in a transaction of its own); this browser's session gets the token."""
    token = secrets.token_urlsafe(32)
    fields = [[name, value] for name, value in request.form.items(multi=True) if name != TOKEN_FIELD]
    earlier = session.get(HELD_KEY)

    def work() -> None:
        _purge_expired()
        _drop(earlier)
        held = HeldAnswers(token_hash=_hash(token), user_id=user_id, path=request.path, reason=reason, fields=fields)
        db.session.add(held)

    run_write_transaction(work)
    session[HELD_KEY] = token


def _held() -> HeldAnswers | None:
    token = session.get(HELD_KEY)
    if not isinstance(token, str):
        return None
    query = select(HeldAnswers).where(HeldAnswers.token_hash == _hash(token), HeldAnswers.created_at >= _oldest_kept())
    return db.session.scalar(query)


def carry_over(user: User) -> str | None:
    """On signing in: the held token to keep in the new session if the answers are ``user``'s; others' are dropped."""
    held = _held()
    token = session.get(HELD_KEY) if held is not None and held.user_id == user.id else None

    def work() -> None:
        _purge_expired()
        if token is None:
            _drop(session.get(HELD_KEY))

    run_write_transaction(work)
    return token


def held_page() -> str | None:
    """The page the signed-in person's held answers go back to, if they have some in this browser."""
    held = _held()
    return held.path if held is not None and held.user_id == current_user.id else None


def _notice(reason: str) -> str:
    config = current_app.config
    if reason == "idle":
        return f"You were signed out after {_count(config['SESSION_IDLE_MINUTES'], 'minute')} without activity. {KEPT}"
    if reason == "absolute limit":
        return f"You were signed out after {_count(config['SESSION_ABSOLUTE_HOURS'], 'hour')} signed in. {KEPT}"
    return f"This page timed out before you saved it. {KEPT}"


def signed_out_message(reason: str) -> str:
    """What the sign-in page says when answers were held as the session ended."""
    config = current_app.config
    if reason == "absolute limit":
        why = f"after {_count(config['SESSION_ABSOLUTE_HOURS'], 'hour')} signed in"
    else:
        why = f"after {_count(config['SESSION_IDLE_MINUTES'], 'minute')} without activity"
    return f"You were signed out {why}. Sign in again to go back to your answers: they have been kept."


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def form_keeping_answers(form_class: type[FormT], **kwargs: Any) -> FormT:
    """The page's form: on opening it after signing in again, filled with the answers held for this person."""
    held = _held()
    if held is not None and held.user_id == current_user.id and held.path == request.path:
        if request.method == "POST":
            # Sent again: the held copy is no longer needed.
            token = session.pop(HELD_KEY)
            run_write_transaction(lambda: _drop(token))
        else:
            flash(_notice(held.reason))
            kwargs.pop("data", None)
            kwargs["formdata"] = MultiDict([tuple(pair) for pair in held.fields])
    form: FormT = form_class(**kwargs)
    return form
