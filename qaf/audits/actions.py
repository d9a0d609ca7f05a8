"""Action plans: raising an action (from an audit; thematic_views raises them from an evaluation),
your actions, updating to completion, the QA team's tracker."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from qaf.audits import bp
from qaf.audits.forms import RAISE_ACTION, UPDATE_ACTION
from qaf.audits.lookups import action_for, audit_for
from qaf.audits.workflow import ActionPlan, raise_action, update_action
from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import SpecForm, build_form_class
from qaf.models import ACTION_STATUSES, Audit, AuditAction, Team, User
from qaf.models.audits import action_worker
from qaf.organisation import people_options, team_options
from qaf.policy import Action, requires
from qaf.query_args import id_arg, text_arg

SOURCES = {"audit": "An audit", "thematic": "A thematic evaluation"}


def plan_form(service_id: int | None = None, data: dict[str, str] | None = None) -> SpecForm:
    """The raise-an-action form; the workers offered are the service's staff, or everyone's."""
    form = form_keeping_answers(build_form_class(RAISE_ACTION), data=data)
    form.set_options("owner", people_options())
    teams = (
        None if service_id is None else list(db.session.scalars(select(Team.id).where(Team.service_id == service_id)))
    )
    form.set_options("workers", people_options(teams=teams))
    return form


def submitted_plan(form: SpecForm) -> ActionPlan | None:
    """The action plan entry a valid submission holds; None (with the errors on the form) otherwise."""
    if not form.validate_on_submit():
        return None
    if form.due_date.data < date.today():
        form.add_error("due_date", "The due date must be today or in the future")
        return None
    owner_id = int(form.owner.data)
    return ActionPlan(
        target=form.target.data,
        action=form.action.data,
        owner_id=owner_id,
        worker_ids=[int(value) for value in form.workers.data if int(value) != owner_id],
        due_date=form.due_date.data,
    )


RAISED = "Action raised. Its owner and the workers involved have been told in writing."


@bp.route("/audits/<int:audit_id>/actions/new", methods=["GET", "POST"])
@requires(Action.RAISE_ACTION)
@keeps_answers
def new_action(audit_id: int):  # type: ignore[no-untyped-def]
    audit = audit_for(Action.RAISE_ACTION, audit_id)
    form = plan_form(audit.team.service_id)
    if (plan := submitted_plan(form)) is not None:
        run_write_transaction(
            lambda: raise_action(plan, by=current_user, audit=audit_for(Action.RAISE_ACTION, audit_id))
        )
        flash(RAISED)
        return redirect(url_for("audits.view_audit", audit_id=audit_id))
    return render_template("audits/new-action.html", form=form, audit=audit)


@bp.get("/actions")
@requires(Action.VIEW_AUDITS)
def my_actions() -> str:
    involved = select(action_worker.c.action_id).where(action_worker.c.user_id == current_user.id)
    actions = db.session.scalars(
        select(AuditAction)
        .where(or_(AuditAction.owner_id == current_user.id, AuditAction.id.in_(involved)))
        .order_by(AuditAction.due_date)
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
    data = {"status": found.status, "outcome": found.outcome} if request.method == "GET" else None
    form = form_keeping_answers(build_form_class(UPDATE_ACTION), data=data)
    if form.validate_on_submit():
        if form.status.data == "done" and not form.outcome.data:
            form.add_error("outcome", "Enter the outcome to mark the action done")
        else:
            status, note, outcome = form.status.data, form.note.data or "", form.outcome.data or ""

            def work() -> None:
                changed = action_for(Action.UPDATE_ACTION, action_id)
                update_action(changed, status=status, note=note, outcome=outcome, by=current_user)

            run_write_transaction(work)
            flash("The action has been updated.")
            return redirect(url_for("audits.action", action_id=action_id))
    return render_template("audits/action.html", form=form, action=found, today=date.today())


@bp.get("/actions/tracker")
@requires(Action.TRACK_ACTIONS)
def tracker() -> str:
    team_id, owner_id = id_arg("team"), id_arg("owner")
    filters = {name: text_arg(name, 20) for name in ("status", "overdue", "source")}
    filters |= {"team": str(team_id or ""), "owner": str(owner_id or "")}
    query = (
        select(AuditAction)
        .outerjoin(Audit, AuditAction.audit_id == Audit.id)
        .options(selectinload(AuditAction.workers), selectinload(AuditAction.thematic))
        .order_by(AuditAction.due_date, AuditAction.id)
    )
    if team_id:
        query = query.where(Audit.team_id == team_id)
    if owner_id:
        query = query.where(AuditAction.owner_id == owner_id)
    if filters["status"] in ACTION_STATUSES:
        query = query.where(AuditAction.status == filters["status"])
    if filters["source"] == "audit":
        query = query.where(AuditAction.audit_id.is_not(None))
    if filters["source"] == "thematic":
        query = query.where(AuditAction.thematic_id.is_not(None))
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
        sources=SOURCES,
        today=today,
    )
