"""Feedback pages: the form, the confirmation and the privacy notice."""

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug import Response as HTTPResponse

from qaf.forms_registry import PUBLIC_AUDIENCES, all_forms, public_form_or_404
from qaf.formspec import FormSpec, SpecForm, build_form_class
from qaf.formspec.spec import STAGES
from qaf.formspec.widgets import error_summary_items
from qaf.organisation import TeamChoice, team_choices
from qaf.page_cache import can_share_page, shared_page
from qaf.policy import Action, requires
from qaf.public import bp
from qaf.responses import store_response

EXPIRED_PAGE_MESSAGE = "Your page timed out before you sent it. Your answers are below: check them and send them again."


def _link_context(teams: tuple[TeamChoice, ...]) -> tuple[TeamChoice | None, str | None]:
    """The team and stage given by the link (``?team=<slug>&stage=<stage>``), if they are real."""
    team = next((team for team in teams if team.slug == request.args.get("team")), None)
    stage = request.args.get("stage")
    return team, stage if stage in dict(STAGES) else None


def _prepare_form(
    spec: FormSpec, teams: tuple[TeamChoice, ...], link_team: TeamChoice | None, link_stage: str | None
) -> SpecForm:
    form = build_form_class(spec)()
    form.set_options("team", [(team.slug, team.label) for team in teams])
    # A value the link already gives is not asked again.
    if link_team and "team" in spec.context:
        form["team"].data = link_team.slug
    if link_stage and "stage" in spec.context:
        form["stage"].data = link_stage
    return form


def _render_form(
    spec: FormSpec,
    form: SpecForm,
    link_team: TeamChoice | None,
    link_stage: str | None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> tuple[str, int]:
    return (
        render_template(
            "public/feedback-form.html",
            spec=spec,
            form=form,
            link_team=link_team,
            link_stage=dict(STAGES).get(link_stage or ""),
            page_errors=([{"text": EXPIRED_PAGE_MESSAGE}] if status == 400 else [])
            + error_summary_items(form.question_fields()),
            alternatives=[(all_forms()[alt.form], alt.text) for alt in spec.alternatives],
            **(extra or {}),
        ),
        status,
    )


def _blank_form(
    spec: FormSpec, teams: tuple[TeamChoice, ...], link_team: TeamChoice | None, link_stage: str | None
) -> str:
    """The form as first opened: the same for everyone with the same link, so rendered once."""
    key = (
        spec.digest,
        request.full_path,
        teams,
    )

    def render(extra: dict[str, Any]) -> str:
        return _render_form(
            spec, _prepare_form(spec, teams, link_team, link_stage), link_team, link_stage, extra=extra
        )[0]

    return shared_page(key, render)


@bp.get("/")
@requires(Action.READ_PUBLIC_INFORMATION)
def index() -> str:
    forms = [spec for spec in all_forms().values() if spec.audience in PUBLIC_AUDIENCES]
    return render_template("public/index.html", forms=forms)


@bp.get("/privacy")
@requires(Action.READ_PUBLIC_INFORMATION)
def privacy() -> str:
    return render_template("public/privacy.html")


@bp.route("/feedback/<form_key>", methods=["GET", "POST"])
@requires(Action.GIVE_FEEDBACK)
def feedback_form(form_key: str):  # type: ignore[no-untyped-def]
    spec = public_form_or_404(form_key)
    teams = team_choices()
    link_team, link_stage = _link_context(teams)
    if request.method == "GET" and can_share_page():
        return _blank_form(spec, teams, link_team, link_stage)
    form = _prepare_form(spec, teams, link_team, link_stage)
    if form.validate_on_submit():
        team = link_team or next((team for team in teams if team.slug == form.data.get("team")), None)
        stage = link_stage or form.data.get("stage") or None
        store_response(spec, form.answers(), team_id=team.id if team else None, stage=stage)
        return redirect(url_for("public.thank_you", form_key=spec.key))
    return _render_form(spec, form, link_team, link_stage)


@bp.errorhandler(CSRFError)
def expired_token(_error: CSRFError) -> tuple[str, int] | HTTPResponse:
    """A missing or stale token: store nothing, but give a family their answers back to send again."""
    if request.endpoint != "public.feedback_form" or request.view_args is None:
        abort(400)
    spec = public_form_or_404(request.view_args["form_key"])
    teams = team_choices()
    link_team, link_stage = _link_context(teams)
    form = _prepare_form(spec, teams, link_team, link_stage)
    return _render_form(spec, form, link_team, link_stage, status=400)


@bp.get("/feedback/<form_key>/thank-you")
@requires(Action.GIVE_FEEDBACK)
def thank_you(form_key: str) -> str:
    spec = public_form_or_404(form_key)
    return render_template("public/thank-you.html", spec=spec)
