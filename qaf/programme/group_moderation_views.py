"""Group moderation: the list by month and service, choosing the month's evaluation, recording the group's result."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.database import run_write_transaction
from qaf.forms_registry import template_title
from qaf.formspec import SpecForm, build_form_class
from qaf.models import GroupModeration, Service
from qaf.policy import Action, can, requires
from qaf.programme import bp
from qaf.programme.forms import CHOOSE_GROUP_EVALUATION, CHOOSE_GROUP_EVALUATION_AS_MANAGER, RECORD_GROUP_MODERATION
from qaf.programme.group_moderation import (
    GROUP_TEMPLATE,
    candidate_audits,
    choose_evaluation,
    group_moderation_for,
    held_on_problem,
    moderation_rows,
    month_name,
    possible_members,
    record_group_moderation,
)
from qaf.programme.lookups import audit_template_choices, get_or_404
from qaf.programme.periods import add_months, month_start
from qaf.programme.sampling import new_seed


@bp.get("/group-moderation")
@requires(Action.VIEW_PROGRAMME)
def group_moderations() -> str:
    today = date.today()
    return render_template(
        "programme/group-moderations.html",
        months=moderation_rows(current_user, today),
        this_month=month_start(today),
        month_name=month_name,
        template_title=template_title,
        today=today,
    )


def _choose_form() -> SpecForm:
    """The QA team picks the template; a service manager draws from the collaborative practice evaluation."""
    if can(current_user, Action.MANAGE_PROGRAMME):
        data = {"form_key": GROUP_TEMPLATE} if request.method == "GET" else None
        form = build_form_class(CHOOSE_GROUP_EVALUATION)(data=data)
        form.set_options("form_key", audit_template_choices())
        return form
    return build_form_class(CHOOSE_GROUP_EVALUATION_AS_MANAGER)()


@bp.route("/group-moderation/<int:service_id>/choose", methods=["GET", "POST"])
@requires(Action.RUN_GROUP_MODERATION)
def choose_group_evaluation(service_id: int):  # type: ignore[no-untyped-def]
    service = get_or_404(Service, service_id, Action.RUN_GROUP_MODERATION)
    month = month_start(date.today())
    chosen = group_moderation_for(service.id, month)
    if chosen is not None:
        flash(f"The evaluation for {service.name}, {month_name(month)}, has already been chosen.")
        return redirect(url_for("programme.group_moderation", moderation_id=chosen.id))
    form = _choose_form()
    page_errors = None
    if form.validate_on_submit():
        form_key = form.form_key.data if "form_key" in form else GROUP_TEMPLATE
        seed = new_seed()

        def work() -> int | None:
            moderation = choose_evaluation(
                get_or_404(Service, service_id, Action.RUN_GROUP_MODERATION),
                month,
                form_key=form_key,
                seed=seed,
                by=current_user,
            )
            return moderation.id if moderation else None

        moderation_id = run_write_transaction(work)
        if moderation_id is not None:
            flash(f"Evaluation chosen at random with seed {seed}. The service's managers see it in their work.")
            return redirect(url_for("programme.group_moderation", moderation_id=moderation_id))
        message = (
            f"There is no submitted {template_title(form_key).lower()} from {service.name} waiting for moderation, "
            f"in {month_name(month)} or {month_name(add_months(month, -1))}: choose once one is submitted"
        )
        if "form_key" in form:
            form.add_error("form_key", message)
        else:
            page_errors = [{"text": message}]
    counts = {when: len(candidate_audits(service.id, GROUP_TEMPLATE, when)) for when in (month, add_months(month, -1))}
    return render_template(
        "programme/choose-group-evaluation.html",
        form=form,
        service=service,
        month=month,
        counts=counts,
        month_name=month_name,
        template_title=template_title,
        default_template=GROUP_TEMPLATE,
        **({"page_errors": page_errors} if page_errors else {}),
    )


def _record_form(moderation: GroupModeration) -> SpecForm:
    form = form_keeping_answers(build_form_class(RECORD_GROUP_MODERATION))
    form.set_options("members", [(str(person.id), person.name) for person in possible_members(moderation)])
    grade = moderation.audit.form_version.as_spec().grade
    form.set_options("grade", [(option.value, option.label) for option in grade.options] if grade else [])
    return form


@bp.route("/group-moderation/<int:moderation_id>", methods=["GET", "POST"])
@requires(Action.RUN_GROUP_MODERATION)
@keeps_answers
def group_moderation(moderation_id: int):  # type: ignore[no-untyped-def]
    moderation = get_or_404(GroupModeration, moderation_id, Action.RUN_GROUP_MODERATION)
    records = can(current_user, Action.RECORD_GROUP_MODERATION, moderation)
    if request.method == "POST" and not records:
        abort(403)
    form = _record_form(moderation) if records else None
    if form is not None and form.validate_on_submit():
        members = [int(value) for value in form.members.data]
        if len(members) < 2:
            form.add_error("members", "Select at least two people: a group moderation is done together")
        if (problem := held_on_problem(moderation, form.held_on.data, date.today())) is not None:
            form.add_error("held_on", problem)
        if not form.errors:
            held_on, grade, comment = form.held_on.data, form.grade.data, form.comment.data

            def work() -> None:
                record_group_moderation(
                    get_or_404(GroupModeration, moderation_id, Action.RECORD_GROUP_MODERATION),
                    current_user,
                    member_ids=members,
                    held_on=held_on,
                    grade=grade,
                    comment=comment,
                )

            run_write_transaction(work)
            flash("The group's moderation has been recorded on the evaluation.")
            return redirect(url_for("programme.group_moderation", moderation_id=moderation_id))
    return render_template(
        "programme/group-moderation.html",
        moderation=moderation,
        audit=moderation.audit,
        spec=moderation.audit.form_version.as_spec(),
        form=form,
        month_name=month_name,
        template_title=template_title,
    )
