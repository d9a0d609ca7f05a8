"""Whether a person may use a QAF password (and emailed links) at all, or only the council's sign-in.

A council that signs its staff in with its own identity provider turns passwords off
(``PASSWORD_SIGN_IN=off``): a leaver then loses QAF with their council account. Only the
break-glass administrators (``BREAK_GLASS_EMAILS``) keep a password, for the day the
provider is down or misconfigured, on a page of their own (/sign-in/break-glass).
"""

from flask import current_app


def passwords_on() -> bool:
    """Whether everyone signs in with a password (the default), not only the break-glass administrators."""
    return bool(current_app.config["PASSWORD_SIGN_IN"])


def password_allowed(email: str) -> bool:
    """Whether the person with this address may sign in with a password, set one, or use an emailed link."""
    return passwords_on() or email.lower() in current_app.config["BREAK_GLASS_EMAILS"]
