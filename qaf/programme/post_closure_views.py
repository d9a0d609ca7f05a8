"""The QA team's setting for post-closure feedback: whether imports invite newly closed cases, and which share."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from qaf.database import run_write_transaction
from qaf.forms_registry import all_forms
from qaf.formspec import Option, Question, build_form_class, staff_form_spec
from qaf.policy import Action, requires
from qaf.programme import bp
from qaf.programme.post_closure import current_setting, save_setting

POST_CLOSURE = staff_form_spec(
    "post-closure",
    "Post-closure feedback",
    Question(
        id="enabled",
        type="yes_no",
        label="Invite families to give feedback when an imported case list shows their case closed?",
        thing="whether to invite families when their case closes",
        options=(Option("yes", "Yes"), Option("no", "No")),
    ),
    Question(
        id="percent",
        type="number",
        label="Percentage of newly closed cases invited",
        hint="100 invites every family. Less (Cumbria: 25) gives each case that chance, drawn at random",
        thing="the percentage of cases",
        min=1,
        max=100,
    ),
    Question(id="form", type="select", label="Feedback form", thing="the feedback form"),
    Question(
        id="within_days",
        type="number",
        label="Count cases closed in the last how many days?",
        hint="A case closed earlier than this before the import is not invited: the first list you import"
        " holds cases closed long ago",
        thing="the number of days",
        min=1,
        max=365,
    ),
)


def _family_forms() -> list[tuple[str, str]]:
    return [(key, spec.title) for key, spec in all_forms().items() if spec.audience in ("family", "child")]


@bp.route("/cases/post-closure", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def post_closure_setting():  # type: ignore[no-untyped-def]
    setting = current_setting()
    data = {
        "enabled": "yes" if setting.enabled else "no",
        "percent": setting.percent,
        "form": setting.form_key,
        "within_days": setting.within_days,
    }
    form = build_form_class(POST_CLOSURE)(data=data if request.method == "GET" else None)
    form.set_options("form", _family_forms())
    if form.validate_on_submit():
        answers = form.answers()

        def work() -> None:
            save_setting(
                enabled=answers["enabled"] == "yes",
                percent=answers["percent"],
                form_key=answers["form"],
                within_days=answers["within_days"],
                by=current_user,
            )

        run_write_transaction(work)
        flash("Post-closure feedback has been saved. Every import from now on follows it.")
        return redirect(url_for("programme.cases"))
    return render_template("programme/post-closure.html", form=form, setting=setting)
