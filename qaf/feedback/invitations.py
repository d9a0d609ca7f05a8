"""Invitations: a worker invites a family to give feedback for a case at a stage, singly or from a CSV."""

from flask import flash, render_template, request
from flask_login import current_user
from sqlalchemy import select

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.feedback import bp
from qaf.feedback.forms import BULK_INVITATIONS, INVITATION
from qaf.feedback.qr import qr_svg
from qaf.forms_registry import all_forms
from qaf.formspec import SpecForm, build_form_class
from qaf.formspec.widgets import error_summary_items
from qaf.invitations import (
    CSV_COLUMNS,
    CSVProblems,
    NewInvitation,
    create_invitation,
    read_invitation_csv,
)
from qaf.models import Invitation, utc_now
from qaf.organisation import TeamChoice, team_choices
from qaf.policy import Action, Role, requires, works_in
from qaf.uploads import accepts_upload, problems_as_errors

MOST_BYTES = 1024 * 1024


def _teams() -> list[TeamChoice]:
    """The teams the worker may invite families for: their own, their service's for a service manager."""
    return [team for team in team_choices() if works_in(current_user, team)]


def _family_forms() -> list[tuple[str, str]]:
    return [(key, spec.title) for key, spec in all_forms().items() if spec.audience in ("family", "child")]


def _slips(created: list[NewInvitation]) -> str:
    slips = [
        (new, qr_svg(new.link, f"QR code for the feedback link for case {new.invitation.case_reference}"))
        for new in created
    ]
    forms = all_forms()
    return render_template("feedback/invitations-created.html", slips=slips, forms=forms)


@bp.get("/invitations")
@requires(Action.INVITE_FAMILIES)
def invitations() -> str:
    query = select(Invitation).order_by(Invitation.created_at.desc()).limit(200)
    if current_user.role != Role.QA_ADMIN:
        query = query.where(Invitation.created_by_id == current_user.id)
    return render_template(
        "feedback/invitations.html", invitations=db.session.scalars(query).all(), now=utc_now(), forms=all_forms()
    )


@bp.route("/invitations/new", methods=["GET", "POST"])
@requires(Action.INVITE_FAMILIES)
def new_invitation():  # type: ignore[no-untyped-def]
    data = {"team": str(current_user.team_id or ""), "form": "family"} if request.method == "GET" else None
    form = build_form_class(INVITATION)(data=data)
    form.set_options("form", _family_forms())
    form.set_options("team", [(str(team.id), team.label) for team in _teams()])
    if form.validate_on_submit():
        return _slips([run_write_transaction(lambda: _create(form))])
    return render_template("feedback/new-invitation.html", form=form)


def _create(form: SpecForm) -> NewInvitation:
    return create_invitation(
        form_key=form.form.data,
        team_id=int(form.team.data),
        stage=form.stage.data,
        case_reference=form.case_reference.data,
        by=current_user,
    )


@bp.route("/invitations/bulk", methods=["GET", "POST"])
@requires(Action.INVITE_FAMILIES)
@accepts_upload(MOST_BYTES + 64 * 1024)
def bulk_invitations():  # type: ignore[no-untyped-def]
    form = build_form_class(BULK_INVITATIONS)(data={"form": "family"} if request.method == "GET" else None)
    form.set_options("form", _family_forms())
    problems: list[str] = []
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(MOST_BYTES + 1) if upload else b""
        if not data:
            problems = ["Choose a CSV file of case references"]
        elif len(data) > MOST_BYTES:
            problems = ["The file must be smaller than 1 MB"]
        else:
            try:
                file = read_invitation_csv(
                    data,
                    forms={key for key, _title in _family_forms()},
                    default_form=form.form.data,
                    teams_allowed={team.id for team in _teams()},
                )
            except CSVProblems as error:
                problems = error.problems
            else:
                if file.ignored:
                    names = ", ".join(f"‘{name[:40]}’" for name in file.ignored[:10])
                    flash(f"Columns not read (QAF has no column for them): {names}")

                def work() -> list[NewInvitation]:
                    return [
                        create_invitation(
                            form_key=row.form_key,
                            team_id=row.team_id,
                            stage=row.stage,
                            case_reference=row.case_reference,
                            by=current_user,
                        )
                        for row in file.rows
                    ]

                return _slips(run_write_transaction(work))
    page_errors = problems_as_errors(problems, "file")
    if not page_errors:
        page_errors = error_summary_items(form.question_fields())
    return render_template(
        "feedback/bulk-invitations.html",
        form=form,
        problems=problems,
        page_errors=page_errors,
        columns=CSV_COLUMNS,
        teams=_teams(),
    )
