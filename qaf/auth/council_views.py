"""Signing in with the council's identity provider: off to it, and back with who signed in."""

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from qaf.audit_log import record_event
from qaf.auth import bp
from qaf.auth.council_accounts import SignInRefused, account_for
from qaf.auth.council_sign_in import (
    CouncilSignInFailed,
    council_sign_in_on,
    identity_from_callback,
    redirect_to_provider,
)
from qaf.auth.held_answers import held_page
from qaf.auth.sessions import start_session
from qaf.auth.views import safe_next
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import User
from qaf.policy import Action, requires

# The page to open after signing in, kept in the session while the person is at the provider.
NEXT_KEY = "council_sign_in_next"
HOW = "with the council's identity provider"


def _failed(reason: str) -> tuple[str, int]:
    reason = " ".join(reason.split())[:300]  # part of it may come from the callback's address
    current_app.logger.warning("Council sign-in failed: %s", reason)
    run_write_transaction(lambda: record_event("sign_in_failed", f"{HOW}: {reason}"))
    return render_template("auth/council-sign-in-failed.html"), 400


def _refused(refused: SignInRefused) -> tuple[str, int]:
    refusal, email = refused.refusal, refused.email
    run_write_transaction(lambda: record_event("sign_in_failed", f"{HOW}: {refusal.name}", actor_email=email))
    return render_template("auth/council-sign-in-refused.html", refusal=refusal, email=email), 403


@bp.get("/sign-in/oidc")
@requires(Action.SIGN_IN)
def council_sign_in():  # type: ignore[no-untyped-def]
    if not council_sign_in_on():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    try:
        response = redirect_to_provider()
    except CouncilSignInFailed as error:
        return _failed(str(error))
    if request.args.get("next"):
        session[NEXT_KEY] = safe_next(request.args.get("next"))
    return response


@bp.get("/sign-in/oidc/callback")
@requires(Action.SIGN_IN)
def council_callback():  # type: ignore[no-untyped-def]
    if not council_sign_in_on():
        abort(404)
    try:
        identity = identity_from_callback()
    except CouncilSignInFailed as error:
        return _failed(str(error))

    def work() -> int:
        user = account_for(identity)
        record_event("signed_in", HOW, actor=user)
        return user.id

    try:
        user_id = run_write_transaction(work)
    except SignInRefused as refused:
        return _refused(refused)
    next_page = session.get(NEXT_KEY)
    start_session(db.session.get_one(User, user_id))
    return redirect(next_page or held_page() or url_for("auth.home"))
