"""Passwords: argon2id hashes, and the NCSC's rules: long, not common, no composition rules."""

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 12
MAX_LENGTH = 256

_HASHERS = {
    # argon2-cffi's defaults (RFC 9106's low-memory profile): above OWASP's minimum.
    "standard": PasswordHasher(),
    # Only for the test suite, where hundreds of sign-ins would otherwise take minutes.
    "cheapest-for-tests": PasswordHasher.from_parameters(profiles.CHEAPEST),
}
# Verified against when the email matches nobody, so a wrong email takes as long as a wrong password.
_DUMMY_HASHES = {name: hasher.hash("not a real password, only for timing") for name, hasher in _HASHERS.items()}


def _profile() -> str:
    return str(current_app.config["PASSWORD_HASHING"]) if has_app_context() else "standard"


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parents[1] / "data" / "common-passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def hash_password(password: str) -> str:
    return _HASHERS[_profile()].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; always does the work of one verification."""
    profile = _profile()
    try:
        return _HASHERS[profile].verify(password_hash or _DUMMY_HASHES[profile], password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHERS[_profile()].check_needs_rehash(password_hash)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The reason a new password is not allowed, in GOV.UK wording, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    core = re.sub(r"[\d\W_]+$", "", re.sub(r"^[\d\W_]+", "", lowered))
    if lowered in _common_passwords() or core in _common_passwords() or len(set(lowered)) < 5:
        return "Password is too easy to guess: try three random words"
    personal = [email.split("@")[0].lower(), *name.lower().split()]
    if any(len(part) >= 4 and part in lowered for part in personal):
        return "Password must not contain your name or email address"
    return None
