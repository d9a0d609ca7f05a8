"""Thematic evaluations: terms of reference, a sample of cases, linked audits, findings, recommendations
raised as actions, and a printable summary."""

import re
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.audit_log import record_event
from qaf.audits.actions import RAISED, plan_form, submitted_plan
from qaf.audits.workflow import raise_action
from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.forms_registry import template_title
from qaf.formspec import SpecForm, build_form_class
from qaf.models import Allocation, Audit, AuditAction, Sample, SampleCase, ThematicEvaluation
from qaf.organisation import people_options, people_with_ids
from qaf.policy import Action, can, requires
from qaf.programme import bp
from qaf.programme.case_views import draw_form, drawn_sample
from qaf.programme.forms import FINDINGS, THEMATIC
from qaf.programme.lookups import audit_template_choices, get_or_404
from qaf.programme.samples import AUDITING_ROLES, sample_progress
from qaf.programme.sampling import describe
from qaf.query_args import id_arg

TERMS = ("title", "why", "scope", "who", "how", "timescale", "form_key")
# A recommendation's own numbering or bullet, left off when it becomes an action.
BULLET = re.compile(r"^\s*(?:[-*•]|\(?\d+[.)])\s*")


def recommendations(text: str) -> list[str]:
    """The evaluation's recommendations, one a line, each of which can be raised as an action."""
    return [item for line in text.splitlines() if (item := BULLET.sub("", line).strip())]


def _terms_form(thematic: ThematicEvaluation | None = None) -> SpecForm:
    data = None
    if thematic is not None and request.method == "GET":
        data = {name: getattr(thematic, name) for name in TERMS} | {
            "due_on": thematic.due_on.isoformat(),
            "people": [str(person.id) for person in thematic.people],
        }
    form = build_form_class(THEMATIC)(data=data)
    form.set_options("people", people_options(roles=AUDITING_ROLES))
    form.set_options("form_key", audit_template_choices())
    return form


def _terms(form: SpecForm) -> dict[str, Any]:
    answers = form.answers()
    return {name: answers.get(name) or "" for name in TERMS} | {
        "due_on": form.due_on.data,
        "people": [int(person) for person in answers.get("people") or []],
    }


def _save_terms(thematic: ThematicEvaluation, terms: dict[str, Any]) -> None:
    for name, value in terms.items():
        setattr(thematic, name, people_with_ids(value) if name == "people" else value)


def linked_audits(thematic_id: int) -> list[Audit]:
    """The audits started from the evaluation's samples."""
    query = (
        select(Audit)
        .join(Allocation, Allocation.audit_id == Audit.id)
        .join(SampleCase, Allocation.sample_case_id == SampleCase.id)
        .join(Sample, SampleCase.sample_id == Sample.id)
        .where(Sample.thematic_id == thematic_id)
        .options(selectinload(Audit.actions).selectinload(AuditAction.owner), selectinload(Audit.team))
        .order_by(Audit.id)
    )
    return list(db.session.scalars(query))


def shown_audits(thematic_id: int) -> dict[str, object]:
    """The linked audits the signed-in person may read, with their actions; the others only counted."""
    audits = linked_audits(thematic_id)
    readable = [audit for audit in audits if can(current_user, Action.VIEW_AUDIT, audit)]
    return {"audits": readable, "hidden": len(audits) - len(readable)}


def _shown(thematic: ThematicEvaluation) -> dict[str, object]:
    return {
        "thematic": thematic,
        **shown_audits(thematic.id),
        "recommendations": recommendations(thematic.recommendations),
        "template": template_title(thematic.form_key),
        "describe": describe,
        "today": date.today(),
    }


@bp.get("/thematic")
@requires(Action.VIEW_PROGRAMME)
def thematic_evaluations() -> str:
    evaluations = db.session.scalars(
        select(ThematicEvaluation).order_by(ThematicEvaluation.completed_on.is_not(None), ThematicEvaluation.due_on)
    ).all()
    return render_template("programme/thematic-list.html", evaluations=evaluations)


@bp.route("/thematic/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def new_thematic():  # type: ignore[no-untyped-def]
    form = _terms_form()
    if form.validate_on_submit():
        terms = _terms(form)

        def work() -> int:
            thematic = ThematicEvaluation(created_by_id=current_user.id)
            _save_terms(thematic, terms)
            db.session.add(thematic)
            db.session.flush()
            record_event("thematic_added", f"thematic evaluation {thematic.id}: {thematic.title}"[:500])
            return thematic.id

        thematic_id = run_write_transaction(work)
        flash("Thematic evaluation added. Choose its cases next.")
        return redirect(url_for("programme.thematic", thematic_id=thematic_id))
    return render_template("programme/thematic-form.html", form=form, thematic=None)


@bp.get("/thematic/<int:thematic_id>")
@requires(Action.VIEW_PROGRAMME)
def thematic(thematic_id: int) -> str:
    found = get_or_404(ThematicEvaluation, thematic_id)
    progress = sample_progress([sample.id for sample in found.samples])
    return render_template("programme/thematic.html", **_shown(found), progress=progress)


@bp.route("/thematic/<int:thematic_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def edit_thematic(thematic_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(ThematicEvaluation, thematic_id)
    form = _terms_form(found)
    if form.validate_on_submit():
        terms = _terms(form)

        def work() -> None:
            _save_terms(get_or_404(ThematicEvaluation, thematic_id), terms)
            record_event("thematic_changed", f"thematic evaluation {thematic_id}: terms of reference")

        run_write_transaction(work)
        flash("The terms of reference have been saved.")
        return redirect(url_for("programme.thematic", thematic_id=thematic_id))
    return render_template("programme/thematic-form.html", form=form, thematic=found)


@bp.route("/thematic/<int:thematic_id>/findings", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
@keeps_answers
def thematic_findings(thematic_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(ThematicEvaluation, thematic_id)
    data = None
    if request.method == "GET":
        data = {
            "findings": found.findings,
            "recommendations": found.recommendations,
            "completed_on": found.completed_on.isoformat() if found.completed_on else "",
        }
    form = form_keeping_answers(build_form_class(FINDINGS), data=data)
    if form.validate_on_submit():
        findings, recommendations, completed_on = (
            form.findings.data,
            form.recommendations.data,
            form.completed_on.data,
        )

        def work() -> None:
            thematic = get_or_404(ThematicEvaluation, thematic_id)
            thematic.findings, thematic.recommendations = findings, recommendations
            thematic.completed_on = completed_on
            record_event("thematic_changed", f"thematic evaluation {thematic_id}: findings")

        run_write_transaction(work)
        flash("The findings and recommendations have been saved.")
        return redirect(url_for("programme.thematic", thematic_id=thematic_id))
    return render_template("programme/thematic-findings.html", form=form, thematic=found)


@bp.route("/thematic/<int:thematic_id>/samples/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def draw_thematic_sample(thematic_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(ThematicEvaluation, thematic_id)
    form = draw_form({"due_date": found.due_on.isoformat()})
    if (
        form.validate_on_submit()
        and (sample_id := drawn_sample(form, form_key=found.form_key, thematic_id=thematic_id)) is not None
    ):
        flash("Cases chosen. Allocate them to auditors below.")
        return redirect(url_for("programme.sample", sample_id=sample_id))
    return render_template("programme/draw-sample.html", form=form, activity=None, work=None, thematic=found)


@bp.get("/thematic/<int:thematic_id>/summary")
@requires(Action.VIEW_PROGRAMME)
def thematic_summary(thematic_id: int) -> str:
    return render_template("programme/thematic-summary.html", **_shown(get_or_404(ThematicEvaluation, thematic_id)))


@bp.route("/thematic/<int:thematic_id>/actions/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def new_thematic_action(thematic_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(ThematicEvaluation, thematic_id)
    items = recommendations(found.recommendations)
    number = id_arg("recommendation")
    recommendation = items[number - 1] if number and number <= len(items) else ""
    form = plan_form(data={"action": recommendation} if request.method == "GET" else None)
    if (plan := submitted_plan(form)) is not None:
        run_write_transaction(lambda: raise_action(plan, by=current_user, thematic_id=thematic_id))
        flash(RAISED)
        return redirect(url_for("programme.thematic", thematic_id=thematic_id))
    return render_template("programme/thematic-action.html", form=form, thematic=found, recommendation=recommendation)
