"""Which QAF account a council sign-in opens: roles and teams stay in QAF, made by a QA administrator.

The first time, the provider's verified email address finds the account, and the provider's
subject for the person is kept on it; from then on the subject finds it, whatever the
address has become. Nobody is given an account, or a role, by signing in.
"""

from enum import Enum

from sqlalchemy import select

from qaf.auth.council_sign_in import CouncilIdentity
from qaf.extensions import db
from qaf.models import User


class Refusal(Enum):
    """Why a council sign-in opens no account; the value names the refusal page's heading."""

    NO_EMAIL = "Your council account did not tell us your email address"
    EMAIL_NOT_VERIFIED = "Your council account's email address is not verified"
    NO_ACCOUNT = "You do not have a QAF account"
    DEACTIVATED = "Your QAF account has been closed"
    LINKED_TO_SOMEONE_ELSE = "Your QAF account is linked to another council account"


class SignInRefused(Exception):
    def __init__(self, refusal: Refusal, email: str):
        super().__init__(refusal.name)
        self.refusal = refusal
        self.email = email


def account_for(identity: CouncilIdentity) -> User:
    """The active account ``identity`` signs in to, linked to it (in the caller's transaction); or ``SignInRefused``."""
    user = db.session.scalar(
        select(User).where(User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject)
    )
    if user is None:
        user = _first_sign_in(identity)
    if not user.active:
        raise SignInRefused(Refusal.DEACTIVATED, identity.email or user.email)
    return user


def _first_sign_in(identity: CouncilIdentity) -> User:
    if not identity.email:
        raise SignInRefused(Refusal.NO_EMAIL, "")
    if identity.email_verified is False:
        raise SignInRefused(Refusal.EMAIL_NOT_VERIFIED, identity.email)
    user: User | None = db.session.scalar(select(User).where(User.email == identity.email))
    if user is None:
        raise SignInRefused(Refusal.NO_ACCOUNT, identity.email)
    if user.oidc_subject is not None and user.oidc_issuer == identity.issuer:
        # Someone else at the same provider signed in to this account first: an address given to a new person.
        raise SignInRefused(Refusal.LINKED_TO_SOMEONE_ELSE, identity.email)
    user.oidc_issuer, user.oidc_subject = identity.issuer, identity.subject
    return user
