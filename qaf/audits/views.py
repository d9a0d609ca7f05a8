"""Audits: the auditor's list, starting, drafting, submitting, reading and moderating."""

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import or_, select

from qaf.audits import bp
from qaf.audits.forms import COMMENT_ON_AUDIT, MODERATE, START_AUDIT, START_AUDIT_OF
from qaf.audits.lookups import audit_for, audit_templates
from qaf.audits.moderation import moderation_queue
from qaf.audits.scope import (
    audit_practitioner_options,
    audit_teams,
    case_worker,
    start_problems,
    subject_problems,
    work_guidance,
)
from qaf.audits.workflow import moderate_audit, save_draft, start_audit, submit_audit
from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.auth.sessions import seconds_left
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import FormSpec, SpecForm, build_form_class
from qaf.formspec.widgets import error_summary_items
from qaf.models import Audit
from qaf.policy import Action, requires
from qaf.programme.targets import record_work_audit, work_for_audit
from qaf.query_args import id_arg


@bp.get("/audits")
@requires(Action.VIEW_AUDITS)
def audits() -> str:
    mine = db.session.scalars(
        select(Audit)
        .where(or_(Audit.auditor_id == current_user.id, Audit.practitioner_id == current_user.id))
        .order_by(Audit.updated_at.desc())
    ).all()
    return render_template(
        "audits/audits.html",
        drafts=[audit for audit in mine if audit.is_draft and audit.auditor_id == current_user.id],
        submitted=[audit for audit in mine if not audit.is_draft and audit.auditor_id == current_user.id],
        about_me=[audit for audit in mine if not audit.is_draft and audit.practitioner_id == current_user.id],
        # Started by someone else: the practitioner may add their comments before it is submitted.
        about_me_in_progress=[
            audit
            for audit in mine
            if audit.is_draft and audit.practitioner_id == current_user.id and audit.auditor_id != current_user.id
        ],
        to_moderate=moderation_queue(current_user),
        templates=audit_templates(),
    )


def _case_to_audit(form: SpecForm, subject: str) -> dict[str, Any]:
    team_id = int(form.team.data)
    case_reference = (form.case_reference.data or "").strip().upper() if "case_reference" in form else ""
    chosen = int(form.practitioner.data) if "practitioner" in form and form.practitioner.data else None
    # A case audit is about the case's worker unless the auditor names another (the case may have changed hands).
    default = case_worker(team_id, case_reference) if subject == "case" else None
    return {"case_reference": case_reference, "team_id": team_id, "practitioner_id": chosen or default}


def _start_spec(chosen: FormSpec | None) -> FormSpec:
    """The start form for the audit chosen so far (the work's, the one posted, or the link's): what its subject needs.

    A case reference posted for an audit of a team or a person keeps the field on the page, to say to leave it empty.
    """
    if chosen is None or (chosen.subject != "case" and request.form.get("case_reference", "").strip()):
        return START_AUDIT
    return START_AUDIT_OF[chosen.subject]


@bp.route("/audits/new", methods=["GET", "POST"])
@requires(Action.START_AUDIT)
def new_audit():  # type: ignore[no-untyped-def]
    templates = audit_templates()
    # Started from a person's own due work (qaf.programme.targets): the audit is recorded against it.
    work_id = id_arg("work")
    work = work_for_audit(current_user, work_id) if work_id else None
    if work_id and work is None:
        abort(404)
    template = (work.activity.form_key or "") if work else request.args.get("template", "")
    chosen = templates.get(template if work else request.form.get("template", template))
    form = build_form_class(_start_spec(chosen))(data={"template": template} if request.method == "GET" else None)
    offered = {template: templates[template]} if work else templates
    form.set_options("template", [(key, spec.title) for key, spec in offered.items()])
    teams = audit_teams(current_user, work)
    form.set_options("team", [(str(team.id), team.label) for team in teams])
    form.set_options("practitioner", audit_practitioner_options(current_user, teams))
    if form.validate_on_submit():
        subject = templates[form.template.data].subject
        case = _case_to_audit(form, subject)
        for name, message in start_problems(current_user, **case, work_id=work_id):
            form.add_error(name, message)
        for name, message in subject_problems(subject, **case):
            form.add_error(name, message)
        if work is not None and form.template.data != template:
            form.add_error("template", f"Select {templates[template].title}: the audit this work is done with")
        if not form.errors:
            spec = templates[form.template.data]

            def work_() -> int:
                audit = start_audit(spec, **case, auditor=current_user)
                if work_id is not None:
                    found = work_for_audit(current_user, work_id)
                    if found is None:
                        abort(404)
                    record_work_audit(found, audit, current_user)
                return audit.id

            audit_id = run_write_transaction(work_)
            return redirect(url_for("audits.edit_audit", audit_id=audit_id))
    guidance = work_guidance(work, chosen.subject) if work and chosen else ""
    return render_template("audits/new-audit.html", form=form, work=work, guidance=guidance)


def _answers_form(audit: Audit, *, submitting: bool) -> SpecForm:
    """The audit's form: its draft's answers on opening, what was posted (or held for the auditor) otherwise."""
    form_class = build_form_class(audit.form_version.as_spec())
    form = form_keeping_answers(form_class, data=audit.answers if request.method == "GET" else None)
    form.allow_incomplete = not submitting
    return form


@bp.route("/audits/<int:audit_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_AUDIT)
@keeps_answers
def edit_audit(audit_id: int):  # type: ignore[no-untyped-def]
    audit = audit_for(Action.EDIT_AUDIT, audit_id)
    spec = audit.form_version.as_spec()
    submitting = request.form.get("intent") == "submit"
    form = _answers_form(audit, submitting=submitting)
    if form.validate_on_submit():
        answers = form.answers()
        if submitting:
            reasons = run_write_transaction(lambda: submit_audit(audit_for(Action.EDIT_AUDIT, audit_id), spec, answers))
            flash("Audit submitted." + (" An alert has been sent to the practitioner's managers." if reasons else ""))
            return redirect(url_for("audits.view_audit", audit_id=audit_id))
        run_write_transaction(lambda: save_draft(audit_for(Action.EDIT_AUDIT, audit_id), answers))
        flash("Draft saved. You can come back to it from your audits.")
        return redirect(url_for("audits.edit_audit", audit_id=audit_id))
    return render_template("audits/edit-audit.html", form=form, audit=audit, spec=spec)


@bp.post("/audits/<int:audit_id>/autosave")
@requires(Action.EDIT_AUDIT)
def autosave_audit(audit_id: int) -> tuple[Response, int]:
    """The edit page's answers saved as the draft from its script, as Save draft does, without leaving the page."""
    audit = audit_for(Action.EDIT_AUDIT, audit_id)
    form = _answers_form(audit, submitting=False)
    if not form.validate_on_submit():
        return jsonify(saved=False, problems=len(error_summary_items(form.question_fields()))), 422
    answers = form.answers()
    run_write_transaction(lambda: save_draft(audit_for(Action.EDIT_AUDIT, audit_id), answers))
    return jsonify(saved=True, seconds_left=seconds_left(), csrf_token=generate_csrf()), 200


@bp.get("/audits/<int:audit_id>")
@requires(Action.VIEW_AUDIT)
def view_audit(audit_id: int) -> str:
    audit = audit_for(Action.VIEW_AUDIT, audit_id)
    return render_template(
        "audits/view-audit.html",
        audit=audit,
        spec=audit.form_version.as_spec(),
        comment_form=build_form_class(COMMENT_ON_AUDIT)(),
    )


@bp.route("/audits/<int:audit_id>/moderate", methods=["GET", "POST"])
@requires(Action.MODERATE_AUDIT)
@keeps_answers
def moderate(audit_id: int):  # type: ignore[no-untyped-def]
    audit = audit_for(Action.MODERATE_AUDIT, audit_id)
    spec = audit.form_version.as_spec()
    form = form_keeping_answers(build_form_class(MODERATE))
    grade = spec.grade
    form.set_options("moderated_grade", [(option.value, option.label) for option in grade.options] if grade else [])
    if form.validate_on_submit():
        changing = form.outcome.data == "change"
        if changing and not form.moderated_grade.data:
            form.add_error("moderated_grade", "Select the moderated grade")
        else:
            new_grade = form.moderated_grade.data if changing else None
            comment = form.comment.data

            def work() -> None:
                moderate_audit(
                    audit_for(Action.MODERATE_AUDIT, audit_id), spec, current_user, grade=new_grade, comment=comment
                )

            run_write_transaction(work)
            flash("Moderation recorded.")
            return redirect(url_for("audits.view_audit", audit_id=audit_id))
    return render_template("audits/moderate.html", form=form, audit=audit, spec=spec)
