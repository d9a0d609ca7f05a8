"""Cheap checks on a feedback post that no family notices: a submission token and an empty trap field.

Each rendered form carries a signed token holding a random submission id and the time the
page was made. The id makes a resend of the same page store once; the time refuses posts
sent sooner than any person could fill the form (scripts post at once). The trap is a text
box people never see or reach (hidden, out of the tab order, labelled "leave this empty"
for a screen reader that still finds it): scripts that fill every box fill it.

Nothing here asks the person to prove anything, so nothing gets harder for anyone.
"""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from flask import current_app
from werkzeug.datastructures import MultiDict

TOKEN_FIELD = "submission"  # noqa: S105  (a field name, not a secret)
TRAP_FIELD = "contact_website"

TOO_FAST_MESSAGE = (
    "Your answers were sent very quickly after the page opened, so we have not saved them yet. "
    "Check your answers, then send them again."
)
TRAP_MESSAGE = "Leave the box labelled 'Leave this box empty' empty, then send your answers again."
UNSIGNED_MESSAGE = "We could not send your answers from this page. Check your answers, then send them again."


@dataclass(frozen=True)
class Submission:
    """What a post's token says: the id its page was rendered with, and how long ago that was."""

    id: str
    token: str
    age_seconds: float


def _signature(text: str) -> str:
    # A plain HMAC: a tenth of what itsdangerous takes, and this runs for every page shown.
    key: bytes = current_app.extensions.get("qaf_submission_key") or current_app.extensions.setdefault(
        "qaf_submission_key",
        hashlib.sha256(b"qaf-feedback-submission:" + str(current_app.config["SECRET_KEY"]).encode()).digest(),
    )
    digest = hmac.new(key, text.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def new_token() -> str:
    """A token for one rendered form: a new random submission id and the time, signed."""
    signed = f"{secrets.token_urlsafe(16)}.{time.time_ns() // 1_000_000}"
    return f"{signed}.{_signature(signed)}"


def read_submission(form: MultiDict[str, str]) -> Submission | None:
    """The post's submission, or None when the token is missing or was not made by us."""
    token = form.get(TOKEN_FIELD, "")
    signed, _, signature = token.rpartition(".")
    submission_id, _, milliseconds = signed.partition(".")
    if len(token) > 100 or not submission_id or not milliseconds.isdigit():
        return None
    if not hmac.compare_digest(signature, _signature(signed)):
        return None
    return Submission(submission_id, token, max(0.0, time.time() - int(milliseconds) / 1000))


def refusal(submission: Submission | None, form: MultiDict[str, str]) -> str | None:
    """Why a post that passed validation is not stored (a message for the form), or None to store it."""
    if form.get(TRAP_FIELD):
        return TRAP_MESSAGE
    if submission is None:
        return UNSIGNED_MESSAGE if current_app.config["PUBLIC_SUBMISSION_TOKEN_REQUIRED"] else None
    if submission.age_seconds < current_app.config["PUBLIC_MIN_FILL_SECONDS"]:
        return TOO_FAST_MESSAGE
    return None
