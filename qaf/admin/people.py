"""People: list, add, change, deactivate and reactivate staff, and send set-password links."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response as HTTPResponse

from qaf.admin import bp
from qaf.admin.forms import PERSON
from qaf.admin.lookups import optional_id
from qaf.admin.staff_import import COLUMNS as STAFF_COLUMNS
from qaf.admin.staff_import import StaffFileProblems, add_staff, read_staff_csv
from qaf.auth.local_passwords import password_allowed
from qaf.auth.throttling import normalise_email
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import SpecForm, build_form_class
from qaf.models import User
from qaf.objects import get_or_404
from qaf.organisation import people_options, service_options, team_options
from qaf.people import (
    PersonError,
    change_person,
    create_person,
    deactivate_person,
    reactivate_person,
    send_set_password_link,
    send_sign_in_details,
)
from qaf.policy import ROLE_LABELS, Action, Role, requires
from qaf.query_args import text_arg
from qaf.uploads import accepts_upload, posted_file, problems_as_errors

STAFF_FILE_MOST_BYTES = 1024 * 1024


def _person_form(user: User | None = None) -> SpecForm:
    data = None
    if user is not None and request.method == "GET":
        data = {
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "team": str(user.team_id or ""),
            "service": str(user.home_service_id or ""),
            "line_manager": str(user.line_manager_id or ""),
        }
    form = build_form_class(PERSON)(data=data)
    form.set_options("team", team_options())
    form.set_options("service", service_options())
    form.set_options("line_manager", people_options(excluding=user.id if user else None))
    return form


def _details(form: SpecForm) -> dict[str, object]:
    return {
        "email": form.email.data,
        "name": form.name.data,
        "role": form.role.data,
        "team_id": optional_id(form.team.data),
        "home_service_id": optional_id(form.service.data),
        "line_manager_id": optional_id(form.line_manager.data),
    }


@bp.get("/people")
@requires(Action.MANAGE_PEOPLE)
def people() -> str:
    query = select(User).order_by(User.active.desc(), User.name)
    role = text_arg("role", 40)
    if role in {role.value for role in Role}:
        query = query.where(User.role == role)
    return render_template("admin/people.html", people=db.session.scalars(query).all(), role=role, roles=ROLE_LABELS)


@bp.route("/people/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PEOPLE)
def add_person():  # type: ignore[no-untyped-def]
    form = _person_form()
    if form.validate_on_submit():
        try:
            user_id = run_write_transaction(lambda: _create_and_invite(form))
        except PersonError as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"{form.name.data} has been added. {_told_how(normalise_email(form.email.data or ''))}")
            return redirect(url_for("admin.person", user_id=user_id))
    return render_template("admin/person-form.html", form=form, user=None)


def _create_and_invite(form: SpecForm) -> int:
    user = create_person(**_details(form))  # type: ignore[arg-type]
    send_sign_in_details(user)
    return user.id


def _told_how(email: str) -> str:
    if password_allowed(email):
        return "We have emailed them a link to set their password."
    return "We have emailed them to sign in with their council account."


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_PEOPLE)
def person(user_id: int):  # type: ignore[no-untyped-def]
    user = get_or_404(User, user_id)
    form = _person_form(user)
    if form.validate_on_submit():
        try:
            run_write_transaction(lambda: change_person(get_or_404(User, user_id), **_details(form)))  # type: ignore[arg-type]
        except PersonError as error:
            form.add_error(error.field, str(error))
        else:
            flash("The changes have been saved.")
            return redirect(url_for("admin.person", user_id=user_id))
    return render_template("admin/person-form.html", form=form, user=user)


@bp.post("/people/<int:user_id>/deactivate")
@requires(Action.MANAGE_PEOPLE)
def deactivate(user_id: int) -> HTTPResponse:
    user = get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account. Ask another QA administrator.")
    else:
        run_write_transaction(lambda: deactivate_person(get_or_404(User, user_id)))
        flash(f"{user.name} has been deactivated and signed out everywhere.")
    return redirect(url_for("admin.person", user_id=user_id))


@bp.post("/people/<int:user_id>/reactivate")
@requires(Action.MANAGE_PEOPLE)
def reactivate(user_id: int) -> HTTPResponse:
    get_or_404(User, user_id)
    run_write_transaction(lambda: reactivate_person(get_or_404(User, user_id)))
    flash("The account is active again.")
    return redirect(url_for("admin.person", user_id=user_id))


@bp.post("/people/<int:user_id>/send-set-password-link")
@requires(Action.MANAGE_PEOPLE)
def send_link(user_id: int) -> HTTPResponse:
    user = get_or_404(User, user_id)
    if not password_allowed(user.email):
        flash(f"Passwords are turned off: {user.name} signs in with their council account.", "important")
        return redirect(url_for("admin.person", user_id=user_id))
    run_write_transaction(lambda: send_set_password_link(get_or_404(User, user_id)))
    flash(f"We have emailed {user.email} a link to set a password. Earlier links no longer work.")
    return redirect(url_for("admin.person", user_id=user_id))


@bp.route("/people/import", methods=["GET", "POST"])
@requires(Action.MANAGE_PEOPLE)
@accepts_upload(STAFF_FILE_MOST_BYTES + 64 * 1024)
def import_people():  # type: ignore[no-untyped-def]
    problems: list[str] = []
    if request.method == "POST":
        data, problems = posted_file(STAFF_FILE_MOST_BYTES, "Choose a CSV file of staff")
        if not problems:
            try:
                file = read_staff_csv(data)
            except StaffFileProblems as error:
                problems = error.problems
            else:
                added = run_write_transaction(lambda: [(user.name, user.email) for user in add_staff(file)])
                return render_template("admin/people-imported.html", added=added, file=file)
    return render_template(
        "admin/people-import.html",
        problems=problems,
        page_errors=problems_as_errors(problems, "file"),
        columns=STAFF_COLUMNS,
    )
