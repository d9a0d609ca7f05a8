"""Sign in, sign out, change, reset and set a password."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response as HTTPResponse

from qaf.audit_log import record_event
from qaf.auth import bp
from qaf.auth.forms import CHANGE_PASSWORD, FORGOT_PASSWORD, SET_PASSWORD, SIGN_IN
from qaf.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from qaf.auth.sessions import end_every_session, sign_out, start_session
from qaf.auth.tokens import find_usable_token, issue_password_link, use_token
from qaf.database import run_write_transaction
from qaf.extensions import db, limiter
from qaf.formspec import SpecForm, build_form_class
from qaf.mail import send_email
from qaf.models import User, utc_now
from qaf.policy import Action, requires

WRONG_SIGN_IN = "Enter a correct email address and password"


def _failed(response: HTTPResponse) -> bool:
    return response.status_code != 302


def _account_key() -> str:
    return "sign-in:" + request.form.get("email", "").strip().lower()[:254]


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never somewhere else after signing in."""
    # Browsers read "/\\host" as "//host", another site: refuse backslashes outright.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("auth.home")


def _render(template: str, form: SpecForm, **context: Any) -> str:
    return render_template(template, form=form, **context)


def _check_new_password(form: SpecForm, user: User) -> bool:
    problem = password_problem(form.new_password.data, email=user.email, name=user.name)
    if problem:
        form.add_error("new_password", problem)
    elif form.new_password.data != form.confirm_password.data:
        form.add_error("confirm_password", "Passwords do not match: enter the same password twice")
    return problem is None and not form.confirm_password.errors


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
@requires(Action.SIGN_IN)
def sign_in():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = build_form_class(SIGN_IN)()
    if form.validate_on_submit():
        email = form.email.data
        user = db.session.scalar(select(User).where(User.email == email))
        if verify_password(user.password_hash if user else None, form.password.data) and user and user.active:
            password = form.password.data

            def record_sign_in() -> None:
                if needs_rehash(user.password_hash or ""):
                    user.password_hash = hash_password(password)
                record_event("signed_in", actor=user)

            run_write_transaction(record_sign_in)
            start_session(db.session.get_one(User, user.id))
            return redirect(_safe_next(request.args.get("next")))
        run_write_transaction(lambda: record_event("sign_in_failed", actor_email=email))
        form.add_error("password", WRONG_SIGN_IN)
    return _render("auth/sign-in.html", form)


@bp.post("/sign-out")
@requires(Action.USE_OWN_ACCOUNT)
def sign_out_view() -> HTTPResponse:
    sign_out()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))


@bp.get("/staff")
@requires(Action.USE_OWN_ACCOUNT)
def home() -> str:
    return render_template("auth/home.html")


@bp.route("/account/change-password", methods=["GET", "POST"])
@requires(Action.USE_OWN_ACCOUNT)
def change_password():  # type: ignore[no-untyped-def]
    form = build_form_class(CHANGE_PASSWORD)()
    user: User = current_user._get_current_object()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.add_error("current_password", "Your current password is not right")
        elif _check_new_password(form, user):
            new_hash = hash_password(form.new_password.data)

            def work() -> None:
                user.password_hash = new_hash
                user.password_changed_at = utc_now()
                end_every_session(user.id)
                record_event("password_changed", actor=user)

            run_write_transaction(work)
            # Every other session has ended; this one starts again.
            start_session(db.session.get_one(User, user.id))
            flash("Your password has been changed. You have been signed out everywhere else.")
            return redirect(url_for("auth.home"))
    return _render("auth/change-password.html", form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"])
@requires(Action.SIGN_IN)
def forgot_password():  # type: ignore[no-untyped-def]
    form = build_form_class(FORGOT_PASSWORD)()
    if form.validate_on_submit():
        email = form.email.data
        user = db.session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        if user is not None:
            hours = current_app.config["PASSWORD_RESET_HOURS"]

            def work() -> None:
                link = issue_password_link(user, lifetime=timedelta(hours=hours))
                send_email(
                    user.email,
                    "Reset your QAF password",
                    f"Someone asked to reset the password for {user.email}.\n\n"
                    f"To choose a new password, open this link within {hours} hours:\n{link}\n\n"
                    "The link works once. If you did not ask for this, you can ignore this email.",
                )
                record_event("password_reset_requested", actor=user)

            run_write_transaction(work)
        return render_template("auth/check-your-email.html", email=email)
    return _render("auth/forgot-password.html", form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@requires(Action.SIGN_IN)
def set_password(token: str):  # type: ignore[no-untyped-def]
    found = find_usable_token(token)
    if found is None:
        return render_template("auth/link-expired.html"), 404
    form = build_form_class(SET_PASSWORD)()
    user = found.user
    if form.validate_on_submit() and _check_new_password(form, user):
        new_hash = hash_password(form.new_password.data)
        token_id, user_id = found.id, user.id

        def work() -> bool:
            token_row = db.session.get(type(found), token_id)
            if token_row is None or not use_token(token_row):
                return False
            person = db.session.get(User, user_id)
            assert person is not None
            person.password_hash = new_hash
            person.password_changed_at = utc_now()
            end_every_session(user_id)
            record_event("password_set", actor=person)
            return True

        if not run_write_transaction(work):
            return render_template("auth/link-expired.html"), 404
        flash("Your password has been set. Sign in with it now.")
        return redirect(url_for("auth.sign_in"))
    return _render("auth/set-password.html", form, user=user)
