"""Who a failed sign-in counts against: the account from this address, the address, and the account.

Three counts, so that an attacker cannot lock a real person out from elsewhere:
- the account *from this address* (10 per 15 minutes): slows guessing, and only the guesser waits;
- the address (30 per 15 minutes): slows one address trying many accounts;
- the account from anywhere (100 a day): the lock. Passwords stop working for it until the day
  is over or its owner signs in with a one-time link emailed to them (NCSC's advice: lock only
  after many tries, and give the real person a way back that the attacker does not have).

Every count is keyed by the email address in one normal form, made once per request, and the
same form is used to look the person up: a key that keeps characters the lookup ignores
(a NUL, a zero-width space) would start a fresh count for the same account.
"""

import unicodedata

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from limits import parse

from qaf.extensions import limiter

MAX_EMAIL_LENGTH = 254
ACCOUNT_LOCK_SCOPE = "sign-in-account-lock"


def normalise_email(text: str) -> str:
    """The one form of a typed email address: no control or invisible characters, trimmed, lower case."""
    # Unicode category C: controls (NUL, tab, newline), format characters (zero-width space, BOM), unassigned.
    visible = "".join(character for character in text if not unicodedata.category(character).startswith("C"))
    return visible.strip().lower()[:MAX_EMAIL_LENGTH]


def typed_email() -> str:
    """The email address sent with this request, normalised once."""
    if "typed_email" not in g:
        g.typed_email = normalise_email(request.form.get("email", ""))
    return str(g.typed_email)


def account_and_address_key() -> str:
    return f"sign-in:{typed_email()}:from:{get_remote_address()}"


def _account_key_for(email: str) -> str:
    return f"sign-in:{email}"


def account_key() -> str:
    return _account_key_for(typed_email())


def emailed_link_key() -> str:
    return f"emailed-link:{typed_email()}"


def clear_account_lock(email: str) -> None:
    """Passwords work again for ``email``: its owner has just proved they hold the mailbox."""
    identifiers = [_account_key_for(normalise_email(email)), ACCOUNT_LOCK_SCOPE]
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    if prefix:
        identifiers.insert(0, prefix)
    try:
        limiter.limiter.clear(parse(current_app.config["SIGN_IN_LOCK_PER_ACCOUNT"]), *identifiers)
    except Exception:  # noqa: BLE001 (storage down: the lock ends with its day instead)
        current_app.logger.warning("Could not clear the sign-in lock: rate-limit storage unreachable", exc_info=True)
