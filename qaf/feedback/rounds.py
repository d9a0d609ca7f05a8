"""Rounds and waves: a QA administrator opens, changes, closes early or deletes a partner feedback
round or a staff survey wave.

A round or wave that has answers is closed, never deleted: its responses are tagged with it. Waves of
one survey may not overlap, because the survey's plain link sends people to the one wave that is open.
"""

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.feedback import bp
from qaf.feedback.forms import ROUND, ROUND_CHANGES
from qaf.feedback.qr import qr_svg
from qaf.feedback.round_emails import (
    by_agency_type,
    contacts_not_emailed,
    emailed_count,
    forget_round_messages,
    reschedule_round_messages,
    round_link,
    round_totals,
)
from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec, SpecForm, build_form_class
from qaf.mail import withdraw_round_messages
from qaf.models import FeedbackRound, Response, Team
from qaf.objects import get_or_404
from qaf.policy import Action, can, requires
from qaf.reports.response_rates import share_of
from qaf.suppression import suppress_small_groups


def _round_forms() -> list[tuple[str, str]]:
    return [(key, spec.title) for key, spec in all_forms().items() if spec.rounds]


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def has_responses(feedback_round: FeedbackRound) -> bool:
    """Whether anything came through the round or wave (a voided response counts: it is kept)."""
    query = select(Response.id).where(Response.round_id == feedback_round.id).limit(1)
    return db.session.scalar(query) is not None


def overlapping_wave(form_key: str, opens_on: date, closes_on: date, leave_out: int | None) -> FeedbackRound | None:
    """Another wave of the form open on any of the days from ``opens_on`` to ``closes_on``."""
    query = select(FeedbackRound).where(
        FeedbackRound.form_key == form_key,
        FeedbackRound.opens_on <= closes_on,
        FeedbackRound.closes_on >= opens_on,
    )
    if leave_out is not None:
        query = query.where(FeedbackRound.id != leave_out)
    return db.session.scalars(query.order_by(FeedbackRound.opens_on).limit(1)).first()


def checked_values(form: SpecForm, form_key: str, current: FeedbackRound | None) -> dict[str, Any] | None:
    """The round's values from a valid form, or None after adding each problem to the form."""
    spec = all_forms().get(form_key)
    opens_on: date = form.opens_on.data
    closes_on: date = form.closes_on.data
    staff_count = form.answers().get("staff_count")
    problems = []
    if closes_on < opens_on:
        problems.append(("closes_on", "The closing date must be the same as or after the opening date"))
    elif spec is not None and spec.rounds == "required":
        clash = overlapping_wave(form_key, opens_on, closes_on, current.id if current else None)
        if clash is not None:
            problems.append(
                (
                    "opens_on",
                    f"{clash.name} is open from {_day(clash.opens_on)} to {_day(clash.closes_on)}: waves of "
                    f"{spec.title} cannot overlap, because its link goes to the one wave that is open. "
                    f"Choose dates after {clash.name} closes, or close it first",
                )
            )
    if staff_count is not None and spec is not None and spec.audience != "staff":
        problems.append(("staff_count", "Leave the number of staff empty: it is only for staff survey waves"))
    for name, message in problems:
        form.add_error(name, message)
    if problems:
        return None
    return {"name": form.name.data, "opens_on": opens_on, "closes_on": closes_on, "staff_count": staff_count}


def save_round(round_id: int | None, form_key: str, values: dict[str, Any]) -> int:
    """Open a round (``round_id`` None) or change one, and write it to the audit log."""

    def work() -> int:
        if round_id is None:
            found = FeedbackRound(form_key=form_key, **values)
            db.session.add(found)
            db.session.flush()
            record_event("round_added", f"round {found.id}: {found.name}")
            return found.id
        found = get_or_404(FeedbackRound, round_id)
        for name, value in values.items():
            setattr(found, name, value)
        reschedule_round_messages(found, date.today())
        record_event("round_changed", f"round {found.id}: {found.name}, {found.opens_on} to {found.closes_on}")
        return found.id

    return run_write_transaction(work)


def close_round(round_id: int, today: date) -> FeedbackRound:
    """Close an open round at the end of ``today``."""

    def work() -> FeedbackRound:
        found = get_or_404(FeedbackRound, round_id)
        found.closes_on = today
        # Closed early: the reminders waiting for a later day are never sent.
        withdraw_round_messages(found.id)
        record_event("round_closed", f"round {found.id}: {found.name}, closes {today}")
        return found

    return run_write_transaction(work)


def delete_round(round_id: int) -> bool:
    """Delete a round or wave nothing came through; False (nothing deleted) if something has."""

    def work() -> bool:
        found = get_or_404(FeedbackRound, round_id)
        if not can_delete(found):
            return False
        record_event("round_deleted", f"round {found.id}: {found.name}")
        forget_round_messages(found.id)
        db.session.delete(found)
        return True

    return run_write_transaction(work)


def can_delete(found: FeedbackRound) -> bool:
    return can(current_user, Action.DELETE_ROUND, found)


@bp.get("/admin/rounds")
@requires(Action.MANAGE_ROUNDS)
def rounds() -> str:
    counts = dict(
        db.session.execute(
            select(Response.round_id, func.count())
            .where(Response.round_id.is_not(None), Response.void_id.is_(None))
            .group_by(Response.round_id)
        ).all()
    )
    found = db.session.scalars(select(FeedbackRound).order_by(FeedbackRound.opens_on.desc())).all()
    return render_template("feedback/rounds.html", rounds=found, counts=counts, forms=all_forms(), today=date.today())


@bp.route("/admin/rounds/new", methods=["GET", "POST"])
@requires(Action.MANAGE_ROUNDS)
def new_round():  # type: ignore[no-untyped-def]
    form = build_form_class(ROUND)(data={"form": request.args.get("form", "")} if request.method == "GET" else None)
    form.set_options("form", _round_forms())
    if form.validate_on_submit() and (values := checked_values(form, form.form.data, None)) is not None:
        round_id = save_round(None, form.form.data, values)
        audience = spec.audience if (spec := all_forms().get(form.form.data)) else ""
        if audience == "partner" and contacts_not_emailed(round_id):
            flash(f"{values['name']} is set up. Choose the partner contacts to email its link to.")
            return redirect(url_for("feedback.email_round_partners", round_id=round_id))
        flash(f"{values['name']} is set up. Send its link to the people who should answer.")
        return redirect(url_for("feedback.feedback_round", round_id=round_id))
    return render_template("feedback/new-round.html", form=form)


@bp.route("/admin/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_ROUNDS)
def edit_round(round_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(FeedbackRound, round_id)
    data = {
        "name": found.name,
        "opens_on": found.opens_on.isoformat(),
        "closes_on": found.closes_on.isoformat(),
        "staff_count": found.staff_count,
    }
    form = build_form_class(ROUND_CHANGES)(data=data if request.method == "GET" else None)
    if form.validate_on_submit() and (values := checked_values(form, found.form_key, found)) is not None:
        save_round(found.id, found.form_key, values)
        flash("The changes have been saved.")
        return redirect(url_for("feedback.feedback_round", round_id=found.id))
    return render_template("feedback/round-edit.html", form=form, feedback_round=found)


@bp.post("/admin/rounds/<int:round_id>/close")
@requires(Action.CLOSE_ROUND)
def close_round_early(round_id: int):  # type: ignore[no-untyped-def]
    get_or_404(FeedbackRound, round_id, Action.CLOSE_ROUND)
    found = close_round(round_id, date.today())
    flash(f"{found.name} closes at the end of today: its link takes no answers after that.")
    return redirect(url_for("feedback.feedback_round", round_id=round_id))


@bp.route("/admin/rounds/<int:round_id>/delete", methods=["GET", "POST"])
@requires(Action.DELETE_ROUND)
def delete_round_page(round_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(FeedbackRound, round_id)
    name = found.name
    if request.method == "POST" and delete_round(round_id):
        flash(f"{name} has been deleted.")
        return redirect(url_for("feedback.rounds"))
    return render_template(
        "feedback/round-delete.html",
        feedback_round=found,
        deletable=can_delete(found),
        closable=can(current_user, Action.CLOSE_ROUND, found),
        today=date.today(),
    )


@bp.get("/admin/rounds/<int:round_id>")
@requires(Action.MANAGE_ROUNDS)
def feedback_round(round_id: int) -> str:
    found = get_or_404(FeedbackRound, round_id)
    spec = all_forms().get(found.form_key)
    link = round_link(found)
    by_team = db.session.execute(
        select(func.coalesce(Team.name, "No team given"), func.count())
        .select_from(Response)
        .outerjoin(Team, Response.team_id == Team.id)
        .where(Response.round_id == found.id, Response.void_id.is_(None))
        .group_by(Team.name)
        .order_by(Team.name)
    ).all()
    total = sum(count for _name, count in by_team)
    return render_template(
        "feedback/round.html",
        feedback_round=found,
        spec=spec,
        link=link,
        qr=qr_svg(link, f"QR code for the link to {found.name}"),
        total=total,
        rate=share_of(total, found.staff_count),
        # Staff answers broken down into small groups could identify people.
        by_team=suppress_small_groups(by_team) if spec and spec.audience == "staff" else by_team,
        today=date.today(),
        **_partner_figures(found, spec),
    )


def _partner_figures(found: FeedbackRound, spec: FormSpec | None) -> dict[str, Any]:
    """A partner round's contacts still to email, and its invited and responses by agency type."""
    if spec is None or spec.audience != "partner":
        return {}
    figures: dict[str, Any] = {"to_email": len(contacts_not_emailed(found.id)), "emailed": emailed_count(found.id)}
    if spec.respondent_question:
        figures["by_agency_type"] = by_agency_type(found, spec.respondent_question)
        figures["invited_total"] = round_totals(found)
    return figures
