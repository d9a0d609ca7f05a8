"""One-time links to set or reset a password. Only a SHA-256 of the token is stored."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from qaf.extensions import db
from qaf.links import public_url
from qaf.models import PasswordToken, User, utc_now


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_password_link(user: User, *, lifetime: timedelta) -> str:
    """A new link for ``user`` (in the caller's transaction); earlier unused links stop working."""
    now = utc_now()
    db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordToken(user_id=user.id, token_hash=_hash(token), expires_at=now + lifetime))
    return public_url("auth.set_password", token=token)


def find_usable_token(token: str) -> PasswordToken | None:
    """The unexpired, unused token for a link, or None."""
    if len(token) > 100:
        return None
    found: PasswordToken | None = db.session.scalar(
        select(PasswordToken).where(PasswordToken.token_hash == _hash(token))
    )
    if found is None or found.used_at is not None or found.expires_at < utc_now() or not found.user.active:
        return None
    return found


def use_token(token: PasswordToken) -> bool:
    """Mark the token used; False if another request used it first (so only one use ever wins)."""
    result = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == token.id, PasswordToken.used_at.is_(None))
        .values(used_at=utc_now())
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
