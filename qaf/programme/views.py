"""The schedule: activities and their due work, completion on time, and the work assigned to each person."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.forms_registry import template_title
from qaf.formspec import SpecForm, build_form_class
from qaf.models import ALLOCATION_STATUSES, Activity, ActivityWork, Allocation, Audit, Sample
from qaf.models.programme import work_assignee
from qaf.organisation import people_options, service_options, team_options
from qaf.policy import Action, requires
from qaf.programme import bp
from qaf.programme.activities import checked_values, form_data, record_work, save_activity, work_without_anyone
from qaf.programme.allocation_messages import flash_result
from qaf.programme.forms import ACTIVITY, ALLOCATION_LINES, RECORD_WORK
from qaf.programme.lookups import get_or_404, template_choices
from qaf.programme.samples import sample_progress
from qaf.programme.sampling import describe
from qaf.programme.schedule import (
    current_and_previous_quarter,
    next_due_by_activity,
    overdue_work,
    year_start_month,
)
from qaf.programme.targets import target_year, work_for_audit


def _activity_form(activity: Activity | None = None) -> SpecForm:
    data = form_data(activity) if activity is not None and request.method == "GET" else None
    if activity is None and request.method == "GET":
        data = {
            "each_team": "no",
            "each_person": "no",
            "allocation_line": "any",
            "starts_on": date.today().replace(day=1).isoformat(),
        }
    form = build_form_class(ACTIVITY)(data=data)
    form.set_options("services", service_options())
    form.set_options("team", team_options())
    form.set_options("people", people_options())
    form.set_options("form_key", template_choices())
    return form


def _flash_saved(summary: str, activity_id: int) -> None:
    problem = work_without_anyone(get_or_404(Activity, activity_id), date.today())
    flash_result(summary, [problem] if problem else [])


@bp.get("")
@requires(Action.VIEW_PROGRAMME)
def schedule() -> str:
    today = date.today()
    activities = db.session.scalars(
        select(Activity)
        .options(selectinload(Activity.people), selectinload(Activity.team), selectinload(Activity.services))
        .order_by(Activity.name)
    ).all()
    overdue, overdue_count = overdue_work(today)
    return render_template(
        "programme/schedule.html",
        activities=activities,
        next_due=next_due_by_activity(today),
        quarters=current_and_previous_quarter(today),
        overdue=overdue,
        overdue_count=overdue_count,
        describe=describe,
        today=today,
    )


@bp.route("/activities/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def new_activity():  # type: ignore[no-untyped-def]
    form = _activity_form()
    if form.validate_on_submit() and (values := checked_values(form)) is not None:
        activity_id = run_write_transaction(lambda: save_activity(None, values, date.today()).id)
        _flash_saved("Activity added, with its due work for the year ahead.", activity_id)
        return redirect(url_for("programme.activity", activity_id=activity_id))
    return render_template("programme/activity-form.html", form=form, activity=None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def edit_activity(activity_id: int):  # type: ignore[no-untyped-def]
    activity = get_or_404(Activity, activity_id)
    form = _activity_form(activity)
    if form.validate_on_submit() and (values := checked_values(form)) is not None:
        run_write_transaction(lambda: save_activity(get_or_404(Activity, activity_id), values, date.today()))
        _flash_saved("The changes have been saved. Future work not yet done follows the new schedule.", activity_id)
        return redirect(url_for("programme.activity", activity_id=activity_id))
    return render_template("programme/activity-form.html", form=form, activity=activity)


@bp.get("/activities/<int:activity_id>")
@requires(Action.VIEW_PROGRAMME)
def activity(activity_id: int) -> str:
    found = get_or_404(Activity, activity_id)
    today = date.today()
    work = db.session.scalars(
        select(ActivityWork)
        .where(ActivityWork.activity_id == activity_id, ActivityWork.period_start <= today)
        .options(selectinload(ActivityWork.team), selectinload(ActivityWork.assignees))
        .order_by(ActivityWork.due_date.desc(), ActivityWork.team_id)
        .limit(60)
    ).all()
    upcoming = db.session.scalars(
        select(ActivityWork)
        .where(ActivityWork.activity_id == activity_id, ActivityWork.period_start > today)
        .options(selectinload(ActivityWork.team), selectinload(ActivityWork.assignees))
        .order_by(ActivityWork.due_date, ActivityWork.team_id)
        .limit(12)
    ).all()
    samples = db.session.scalars(
        select(Sample).where(Sample.activity_id == activity_id).order_by(Sample.drawn_at.desc()).limit(24)
    ).all()
    return render_template(
        "programme/activity.html",
        activity=found,
        work=work,
        upcoming=upcoming,
        samples=samples,
        progress=sample_progress([sample.id for sample in samples]),
        describe=describe,
        lines=ALLOCATION_LINES,
        template_title=template_title,
        targets=target_year(found, today, year_start_month()) if found.each_person else None,
        today=today,
    )


@bp.route("/work/<int:work_id>", methods=["GET", "POST"])
@requires(Action.RECORD_WORK)
@keeps_answers
def work(work_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(ActivityWork, work_id, Action.RECORD_WORK)
    data = None
    if request.method == "GET":
        data = {
            "completed_on": found.completed_on.isoformat() if found.completed_on else "",
            "reviewed_on": found.reviewed_on.isoformat() if found.reviewed_on else "",
            "next_steps": found.next_steps,
        }
    form = form_keeping_answers(build_form_class(RECORD_WORK), data=data)
    if form.validate_on_submit():
        completed_on, reviewed_on = form.completed_on.data, form.reviewed_on.data
        today = date.today()
        if completed_on is not None and completed_on > today:
            form.add_error("completed_on", "The date completed must be today or in the past")
        elif reviewed_on is not None and completed_on is None:
            form.add_error("completed_on", "Enter the date it was completed before the date it was reviewed")
        elif reviewed_on is not None and completed_on is not None and reviewed_on < completed_on:
            form.add_error("reviewed_on", "The date reviewed must be on or after the date completed")
        else:
            next_steps = form.next_steps.data

            def save() -> None:
                record_work(
                    get_or_404(ActivityWork, work_id, Action.RECORD_WORK),
                    completed_on=completed_on,
                    reviewed_on=reviewed_on,
                    next_steps=next_steps,
                )

            run_write_transaction(save)
            flash("The work has been recorded.")
            return redirect(url_for("programme.work", work_id=work_id))
    samples = db.session.scalars(select(Sample).where(Sample.work_id == work_id).order_by(Sample.id)).all()
    return render_template(
        "programme/work.html",
        form=form,
        work=found,
        samples=samples,
        progress=sample_progress([sample.id for sample in samples]),
        starts_audits=work_for_audit(current_user, work_id) is not None,
        today=date.today(),
    )


@bp.get("/assigned")
@requires(Action.VIEW_ASSIGNED_WORK)
def assigned() -> str:
    today = date.today()
    allocations = db.session.scalars(
        select(Allocation)
        .outerjoin(Audit, Allocation.audit_id == Audit.id)
        .where(Allocation.auditor_id == current_user.id, Allocation.cancelled_at.is_(None))
        .options(selectinload(Allocation.audit), selectinload(Allocation.team))
        .order_by(Allocation.due_date, Allocation.id)
    ).all()
    work = db.session.scalars(
        select(ActivityWork)
        .join(work_assignee, work_assignee.c.work_id == ActivityWork.id)
        .where(
            work_assignee.c.user_id == current_user.id,
            ActivityWork.completed_on.is_(None),
            ActivityWork.period_start <= today,
        )
        .options(selectinload(ActivityWork.activity), selectinload(ActivityWork.team))
        .order_by(ActivityWork.due_date)
        .limit(100)
    ).all()
    return render_template(
        "programme/assigned.html",
        to_do=[allocation for allocation in allocations if allocation.status != "submitted"],
        done=[allocation for allocation in allocations if allocation.status == "submitted"][-20:],
        work=work,
        template_title=template_title,
        statuses=ALLOCATION_STATUSES,
        today=today,
    )
