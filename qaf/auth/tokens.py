"""One-time links in emails: to set or reset a password, or to sign in once. Only a SHA-256 of each token is kept.

Both kinds live in the password_token table. The kind is part of what is hashed, so a
sign-in link's token is never found when looking for a set-password link and the other
way round. A new link of either kind cancels the person's earlier unused ones: only the
newest email works.
"""

import hashlib
import secrets
from datetime import timedelta
from enum import Enum

from sqlalchemy import select, update

from qaf.auth.local_passwords import password_allowed
from qaf.extensions import db
from qaf.links import public_url
from qaf.models import PasswordToken, User, utc_now

MAX_TOKEN_LENGTH = 100
# No account has id 0: cancelling its links runs the same statement and changes nothing.
NOBODY = 0


class LinkKind(Enum):
    """What a link does, named by the page it opens."""

    SET_PASSWORD = "auth.set_password"  # noqa: S105 (an endpoint name, not a password)
    SIGN_IN = "auth.sign_in_with_link"


_HASH_PREFIX = {LinkKind.SET_PASSWORD: "", LinkKind.SIGN_IN: "sign-in:"}


def _hash(token: str, kind: LinkKind) -> str:
    return hashlib.sha256((_HASH_PREFIX[kind] + token).encode()).hexdigest()


def cancel_links(user_id: int) -> None:
    """Every unused link the person holds stops working (in the caller's transaction)."""
    db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user_id, PasswordToken.used_at.is_(None))
        .values(used_at=utc_now())
    )


def issue_link(user: User | None, kind: LinkKind, *, lifetime: timedelta) -> str:
    """A new link (in the caller's transaction); earlier unused links stop working.

    With no user the same work is done (a token made and hashed, the same cancelling
    statement) and nothing is stored, so a request for an unknown email address does what
    a request for a real one does, short of storing the link and the email.
    """
    cancel_links(user.id if user is not None else NOBODY)
    token = secrets.token_urlsafe(32)
    token_hash = _hash(token, kind)
    if user is not None:
        db.session.add(PasswordToken(user_id=user.id, token_hash=token_hash, expires_at=utc_now() + lifetime))
    return public_url(kind.value, token=token)


def issue_password_link(user: User, *, lifetime: timedelta) -> str:
    """A new set-password link for ``user`` (in the caller's transaction); earlier unused links stop working."""
    return issue_link(user, LinkKind.SET_PASSWORD, lifetime=lifetime)


def find_usable_token(token: str, kind: LinkKind = LinkKind.SET_PASSWORD) -> PasswordToken | None:
    """The unexpired, unused token of this kind for a link, or None."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    found: PasswordToken | None = db.session.scalar(
        select(PasswordToken).where(PasswordToken.token_hash == _hash(token, kind))
    )
    if found is None or found.used_at is not None or found.expires_at < utc_now() or not found.user.active:
        return None
    # Where passwords are off, a link sent before they were turned off no longer works either.
    return found if password_allowed(found.user.email) else None


def use_token(token: PasswordToken) -> bool:
    """Mark the token used; False if another request used it first (so only one use ever wins)."""
    result = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == token.id, PasswordToken.used_at.is_(None))
        .values(used_at=utc_now())
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
