"""Sign in (with a password, or once with an emailed link), sign out, change, reset and set a password."""

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter import RateLimitExceeded, RequestLimit
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from werkzeug import Response as HTTPResponse

from qaf.audit_log import record_event
from qaf.auth import bp
from qaf.auth.due_work import due_sections
from qaf.auth.emailed_links import email_link, link_lifetime
from qaf.auth.forms import CHANGE_PASSWORD, FORGOT_PASSWORD, SET_PASSWORD, SIGN_IN, SIGN_IN_LINK, SIGN_IN_WITH_LINK
from qaf.auth.held_answers import held_page
from qaf.auth.local_passwords import password_allowed, passwords_on
from qaf.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from qaf.auth.sessions import end_every_session, seconds_left, sign_out, start_session
from qaf.auth.throttling import (
    ACCOUNT_LOCK_SCOPE,
    account_and_address_key,
    account_key,
    clear_account_lock,
    emailed_link_key,
    typed_email,
)
from qaf.auth.tokens import LinkKind, cancel_links, find_usable_token, use_token
from qaf.database import run_write_transaction
from qaf.errors import PAGES
from qaf.extensions import db, limiter
from qaf.formspec import SpecForm, build_form_class
from qaf.models import PasswordToken, User, utc_now
from qaf.policy import Action, requires

WRONG_SIGN_IN = "Enter a correct email address and password"


def _failed(response: HTTPResponse) -> bool:
    return response.status_code != 302


def _account_locked(_limit: RequestLimit) -> Response:
    form = build_form_class(SIGN_IN_LINK)()
    form.email.data = typed_email()
    page = render_template("auth/account-locked.html", form=form, lifetime=link_lifetime(LinkKind.SIGN_IN)[1])
    return make_response(page, 429)


@bp.errorhandler(RateLimitExceeded)
def _too_many_attempts(error: RateLimitExceeded) -> Response | tuple[str, int]:
    if isinstance(error.response, Response):
        return error.response
    title, message = PAGES[429]
    return render_template("errors/error.html", title=title, message=message), 429


def safe_next(target: str | None) -> str:
    """Only a path on this site: never somewhere else after signing in."""
    # Browsers read "/\\host" as "//host", another site: refuse backslashes outright.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()  # CR, LF or NUL in a Location header is a 500
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


def _password_sign_in_limits(view: Any) -> Any:
    """Failed password sign-ins: per account from one address, per address, and the lock per account from anywhere."""
    view = limiter.shared_limit(
        lambda: current_app.config["SIGN_IN_LOCK_PER_ACCOUNT"],
        scope=ACCOUNT_LOCK_SCOPE,
        key_func=account_key,
        methods=["POST"],
        deduct_when=_failed,
        on_breach=_account_locked,
    )(view)
    view = limiter.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed
    )(view)
    return limiter.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS"],
        key_func=account_and_address_key,
        methods=["POST"],
        deduct_when=_failed,
    )(view)


@bp.route("/sign-in", methods=["GET", "POST"])
@_password_sign_in_limits
@requires(Action.SIGN_IN)
def sign_in():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    if not passwords_on():
        # Only the council's sign-in: a password posted here is not even looked at.
        return render_template("auth/sign-in.html", next_page=request.args.get("next"))
    return _sign_in_with_password("auth/sign-in.html")


@bp.route("/sign-in/break-glass", methods=["GET", "POST"])
@_password_sign_in_limits
@requires(Action.SIGN_IN)
def break_glass_sign_in():  # type: ignore[no-untyped-def]
    """Passwords off: the password form for the break-glass administrators, for when the council's sign-in fails."""
    if passwords_on():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    return _sign_in_with_password("auth/break-glass-sign-in.html")


def _sign_in_with_password(template: str):  # type: ignore[no-untyped-def]
    form = build_form_class(SIGN_IN)()
    if form.validate_on_submit():
        # The form of the address the throttling counted against, so the two can never differ.
        email = typed_email()
        user = db.session.scalar(select(User).where(User.email == email))
        right = verify_password(user.password_hash if user else None, form.password.data)
        # Someone whose password is turned off is told what a wrong password is told: nothing about who may.
        if right and user and user.active and password_allowed(user.email):
            password = form.password.data

            def record_sign_in() -> None:
                if needs_rehash(user.password_hash or ""):
                    user.password_hash = hash_password(password)
                record_event("signed_in", actor=user)

            run_write_transaction(record_sign_in)
            start_session(db.session.get_one(User, user.id))
            return redirect(safe_next(request.args.get("next")))
        run_write_transaction(lambda: record_event("sign_in_failed", actor_email=email))
        form.add_error("password", WRONG_SIGN_IN)
    return _render(template, form)


@bp.post("/sign-out")
@requires(Action.USE_OWN_ACCOUNT)
def sign_out_view() -> HTTPResponse:
    sign_out()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))


@bp.post("/session/keep-alive")
@requires(Action.USE_OWN_ACCOUNT)
def keep_alive() -> HTTPResponse:
    """Stay signed in (the timeout warning's button): the request is activity; the page gets a fresh CSRF token."""
    return jsonify(seconds_left=seconds_left(), csrf_token=generate_csrf())


@bp.get("/staff")
@requires(Action.USE_OWN_ACCOUNT)
def home() -> str:
    return render_template("auth/home.html", sections=due_sections(current_user, date.today()))


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
                cancel_links(user.id)
                record_event("password_changed", actor=user)

            run_write_transaction(work)
            # Every other session has ended; this one starts again.
            start_session(db.session.get_one(User, user.id))
            flash("Your password has been changed. You have been signed out everywhere else.")
            return redirect(url_for("auth.home"))
    return _render("auth/change-password.html", form)


def _emailed_link_limits(view: Any) -> Any:
    """Asking for a link: counted per address and per email address, whatever the answer."""
    view = limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"])(view)
    return limiter.shared_limit(
        lambda: current_app.config["EMAILED_LINK_LIMIT_PER_ACCOUNT"],
        scope="emailed-link",
        key_func=emailed_link_key,
        methods=["POST"],
    )(view)


def _ask_for_link(kind: LinkKind, template: str):  # type: ignore[no-untyped-def]
    form = build_form_class(FORGOT_PASSWORD if kind is LinkKind.SET_PASSWORD else SIGN_IN_LINK)()
    lifetime = link_lifetime(kind)[1]
    if form.validate_on_submit():
        email = typed_email()
        email_link(email, kind)
        return render_template("auth/check-your-email.html", email=email, kind=kind.name, lifetime=lifetime)
    return _render(template, form, lifetime=lifetime)


@bp.route("/forgot-password", methods=["GET", "POST"])
@_emailed_link_limits
@requires(Action.SIGN_IN)
def forgot_password():  # type: ignore[no-untyped-def]
    return _ask_for_link(LinkKind.SET_PASSWORD, "auth/forgot-password.html")


@bp.route("/sign-in-link", methods=["GET", "POST"])
@_emailed_link_limits
@requires(Action.SIGN_IN)
def request_sign_in_link():  # type: ignore[no-untyped-def]
    return _ask_for_link(LinkKind.SIGN_IN, "auth/sign-in-link.html")


@bp.route("/sign-in-link/<token>", methods=["GET", "POST"])
@requires(Action.SIGN_IN)
def sign_in_with_link(token: str):  # type: ignore[no-untyped-def]
    found = find_usable_token(token, LinkKind.SIGN_IN)
    if found is None:
        return render_template("auth/link-expired.html"), 404
    form = build_form_class(SIGN_IN_WITH_LINK)()
    user = found.user
    if form.validate_on_submit():
        token_id, user_id, email = found.id, user.id, user.email

        def work() -> bool:
            token_row = db.session.get(PasswordToken, token_id)
            if token_row is None or not use_token(token_row):
                return False
            record_event("signed_in", "with a one-time link from an email", actor=db.session.get_one(User, user_id))
            return True

        if not run_write_transaction(work):
            return render_template("auth/link-expired.html"), 404
        clear_account_lock(email)
        start_session(db.session.get_one(User, user_id))
        flash("You have signed in with your link.")
        return redirect(held_page() or url_for("auth.home"))
    return _render("auth/sign-in-with-link.html", form, user=user)


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
            token_row = db.session.get(PasswordToken, token_id)
            if token_row is None or not use_token(token_row):
                return False
            person = db.session.get(User, user_id)
            assert person is not None
            person.password_hash = new_hash
            person.password_changed_at = utc_now()
            end_every_session(user_id)
            cancel_links(user_id)
            record_event("password_set", actor=person)
            return True

        if not run_write_transaction(work):
            return render_template("auth/link-expired.html"), 404
        clear_account_lock(user.email)
        flash("Your password has been set. Sign in with it now.")
        return redirect(url_for("auth.sign_in"))
    return _render("auth/set-password.html", form, user=user)
