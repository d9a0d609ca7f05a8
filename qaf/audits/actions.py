"""Actions raised by audits: raising, my actions, updating to completion, the QA team's tracker."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from qaf.audits import bp
from qaf.audits.forms import RAISE_ACTION, UPDATE_ACTION
from qaf.audits.lookups import action_for, audit_for
from qaf.audits.workflow import raise_action, update_action
from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import build_form_class
from qaf.models import ACTION_STATUSES, Audit, AuditAction, User
from qaf.organisation import people_options, team_options
from qaf.policy import Action, requires
from qaf.query_args import id_arg, text_arg


@bp.route("/audits/<int:audit_id>/actions/new", methods=["GET", "POST"])
@requires(Action.RAISE_ACTION)
@keeps_answers
def new_action(audit_id: int):  # type: ignore[no-untyped-def]
    audit = audit_for(Action.RAISE_ACTION, audit_id)
    form = form_keeping_answers(build_form_class(RAISE_ACTION))
    form.set_options("owner", people_options())
    if form.validate_on_submit():
        due = form.due_date.data
        if due < date.today():
            form.add_error("due_date", "The due date must be today or in the future")
        else:
            description, owner_id = form.description.data, int(form.owner.data)

            def work() -> None:
                raise_action(
                    audit_for(Action.RAISE_ACTION, audit_id),
                    description=description,
                    owner_id=owner_id,
                    due_date=due,
                    by=current_user,
                )

            run_write_transaction(work)
            flash("Action raised. Its owner will see it in their actions.")
            return redirect(url_for("audits.view_audit", audit_id=audit_id))
    return render_template("audits/new-action.html", form=form, audit=audit)


@bp.get("/actions")
@requires(Action.VIEW_AUDITS)
def my_actions() -> str:
    actions = db.session.scalars(
        select(AuditAction).where(AuditAction.owner_id == current_user.id).order_by(AuditAction.due_date)
    ).all()
    return render_template(
        "audits/my-actions.html",
        open_actions=[action for action in actions if action.status != "done"],
        done_actions=[action for action in actions if action.status == "done"],
        today=date.today(),
    )


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@requires(Action.UPDATE_ACTION)
@keeps_answers
def action(action_id: int):  # type: ignore[no-untyped-def]
    found = action_for(Action.UPDATE_ACTION, action_id)
    form = form_keeping_answers(
        build_form_class(UPDATE_ACTION), data={"status": found.status} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        if form.status.data == "done" and not form.note.data:
            form.add_error("note", "Enter a note saying what was done")
        else:
            status, note = form.status.data, form.note.data

            def work() -> None:
                update_action(action_for(Action.UPDATE_ACTION, action_id), status=status, note=note, by=current_user)

            run_write_transaction(work)
            flash("The action has been updated.")
            return redirect(url_for("audits.action", action_id=action_id))
    return render_template("audits/action.html", form=form, action=found, today=date.today())


@bp.get("/actions/tracker")
@requires(Action.TRACK_ACTIONS)
def tracker() -> str:
    team_id, owner_id = id_arg("team"), id_arg("owner")
    filters = {name: text_arg(name, 20) for name in ("status", "overdue")}
    filters |= {"team": str(team_id or ""), "owner": str(owner_id or "")}
    query = select(AuditAction).join(Audit).order_by(AuditAction.due_date)
    if team_id:
        query = query.where(Audit.team_id == team_id)
    if owner_id:
        query = query.where(AuditAction.owner_id == owner_id)
    if filters["status"] in ACTION_STATUSES:
        query = query.where(AuditAction.status == filters["status"])
    today = date.today()
    if filters["overdue"] == "yes":
        query = query.where(AuditAction.status != "done", AuditAction.due_date < today)
    owners = db.session.scalars(select(User).where(User.id.in_(select(AuditAction.owner_id))).order_by(User.name))
    return render_template(
        "audits/tracker.html",
        actions=db.session.scalars(query.limit(500)).all(),
        filters=filters,
        teams=team_options(),
        owners=[(str(owner.id), owner.name) for owner in owners],
        statuses=ACTION_STATUSES,
        today=today,
    )
