"""Rounds and waves: a QA administrator opens a partner feedback round or a staff survey wave."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.feedback import bp
from qaf.feedback.forms import ROUND
from qaf.feedback.qr import qr_svg
from qaf.forms_registry import all_forms
from qaf.formspec import build_form_class
from qaf.links import public_url
from qaf.models import FeedbackRound, Response, Team
from qaf.objects import get_or_404
from qaf.policy import Action, requires
from qaf.suppression import suppress_small_groups


def _round_forms() -> list[tuple[str, str]]:
    return [(key, spec.title) for key, spec in all_forms().items() if spec.rounds]


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
    if form.validate_on_submit():
        if form.closes_on.data < form.opens_on.data:
            form.add_error("closes_on", "The closing date must be the same as or after the opening date")
        else:
            values = {
                "form_key": form.form.data,
                "name": form.name.data,
                "opens_on": form.opens_on.data,
                "closes_on": form.closes_on.data,
            }

            def work() -> int:
                created = FeedbackRound(**values)
                db.session.add(created)
                db.session.flush()
                return created.id

            round_id = run_write_transaction(work)
            flash(f"{values['name']} is set up. Send its link to the people who should answer.")
            return redirect(url_for("feedback.feedback_round", round_id=round_id))
    return render_template("feedback/new-round.html", form=form)


@bp.get("/admin/rounds/<int:round_id>")
@requires(Action.MANAGE_ROUNDS)
def feedback_round(round_id: int) -> str:
    found = get_or_404(FeedbackRound, round_id)
    spec = all_forms().get(found.form_key)
    link = public_url("public.round_form", form_key=found.form_key, round_id=found.id)
    by_team = db.session.execute(
        select(func.coalesce(Team.name, "No team given"), func.count())
        .select_from(Response)
        .outerjoin(Team, Response.team_id == Team.id)
        .where(Response.round_id == found.id, Response.void_id.is_(None))
        .group_by(Team.name)
        .order_by(Team.name)
    ).all()
    return render_template(
        "feedback/round.html",
        feedback_round=found,
        spec=spec,
        link=link,
        qr=qr_svg(link, f"QR code for the link to {found.name}"),
        total=sum(count for _name, count in by_team),
        # Staff answers broken down into small groups could identify people.
        by_team=suppress_small_groups(by_team) if spec and spec.audience == "staff" else by_team,
        today=date.today(),
    )
