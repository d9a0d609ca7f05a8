"""Peer review: drawing audits for a blind second audit, settling them side by side, and agreement figures."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from qaf.auth.held_answers import form_keeping_answers, keeps_answers
from qaf.database import run_write_transaction
from qaf.forms_registry import template_title
from qaf.formspec import build_form_class
from qaf.models import PeerReview
from qaf.policy import Action, requires
from qaf.programme import bp
from qaf.programme.allocation_messages import flash_peer_review_draw
from qaf.programme.forms import DRAW_PEER_REVIEWS, SETTLE
from qaf.programme.lookups import get_or_404, template_choices
from qaf.programme.peer_review import agreement_rows, draw_peer_reviews, reviews_for, settle_peer_review, side_by_side
from qaf.programme.periods import add_months, month_start
from qaf.programme.sampling import new_seed
from qaf.programme.schedule import year_start_month
from qaf.reports.display import number_text


@bp.get("/peer-reviews")
@requires(Action.VIEW_PROGRAMME)
def peer_reviews() -> str:
    return render_template(
        "programme/peer-reviews.html",
        reviews=reviews_for(current_user),
        agreement=agreement_rows(year_start_month()),
        template_title=template_title,
        number_text=number_text,  # the reports' rounding, so agreement reads the same on every page
    )


@bp.route("/peer-reviews/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def draw_peer_review():  # type: ignore[no-untyped-def]
    last_month = add_months(month_start(date.today()), -1)
    defaults = {
        "submitted_from": last_month.isoformat(),
        "submitted_to": (month_start(date.today()) - timedelta(days=1)).isoformat(),
        "share": 10,
        "due_date": (date.today() + timedelta(days=28)).isoformat(),
    }
    form = build_form_class(DRAW_PEER_REVIEWS)(data=defaults if request.method == "GET" else None)
    form.set_options("form_key", template_choices(graded_only=True))
    if form.validate_on_submit():
        start, end = form.submitted_from.data, form.submitted_to.data
        if end < start:
            form.add_error("submitted_to", "The last day must be on or after the first day")
        else:
            answers = form.answers()
            seed = answers["seed"] if answers.get("seed") is not None else new_seed()

            def work():  # type: ignore[no-untyped-def]
                return draw_peer_reviews(
                    form_key=answers["form_key"],
                    start=start,
                    end=end,
                    share=answers["share"],
                    seed=seed,
                    due_date=form.due_date.data,
                    by=current_user,
                )

            outcome = run_write_transaction(work)
            flash_peer_review_draw(outcome, seed)
            return redirect(url_for("programme.peer_reviews"))
    return render_template("programme/draw-peer-reviews.html", form=form)


@bp.route("/peer-reviews/<int:review_id>", methods=["GET", "POST"])
@requires(Action.SETTLE_PEER_REVIEW)
@keeps_answers
def peer_review(review_id: int):  # type: ignore[no-untyped-def]
    review = get_or_404(PeerReview, review_id, Action.SETTLE_PEER_REVIEW)
    first, second = review.first_audit, review.second_audit
    spec = first.form_version.as_spec()
    form = form_keeping_answers(build_form_class(SETTLE))
    grade = spec.grade
    form.set_options("grade", [(option.value, option.label) for option in grade.options] if grade else [])
    settling = review.both_submitted and review.settled_at is None
    if settling and form.validate_on_submit():
        chosen, comment = form.grade.data, form.comment.data

        def work() -> None:
            settle_peer_review(
                get_or_404(PeerReview, review_id, Action.SETTLE_PEER_REVIEW),
                current_user,
                grade=chosen,
                comment=comment,
            )

        run_write_transaction(work)
        flash("The final grade has been settled.")
        return redirect(url_for("programme.peer_review", review_id=review_id))
    return render_template(
        "programme/peer-review.html",
        review=review,
        first=first,
        second=second,
        spec=spec,
        sections=side_by_side(first, second) if second is not None and review.both_submitted else [],
        form=form if settling else None,
    )
