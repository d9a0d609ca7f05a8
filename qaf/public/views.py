"""Feedback pages: open links, round and wave links, one-time invitations; confirmation and privacy."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError

from qaf.extensions import db
from qaf.forms_registry import PUBLIC_AUDIENCES, all_forms, public_form_or_404
from qaf.formspec import FormSpec, SpecForm, build_form_class
from qaf.formspec.spec import STAGES
from qaf.formspec.widgets import error_summary_items
from qaf.invitations import find_invitation
from qaf.models import FeedbackRound, Invitation, utc_now
from qaf.organisation import TeamChoice, team_choices
from qaf.page_cache import can_share_page, shared_page
from qaf.policy import Action, requires
from qaf.public import bp
from qaf.public.checks import Submission, new_token, read_submission, refusal
from qaf.public.limits import within_limits
from qaf.responses import InvitationUsed, store_response, stored_submission

EXPIRED_PAGE_MESSAGE = "Your page timed out before you sent it. Your answers are below: check them and send them again."
NOT_SAVED_MESSAGE = (
    "Your answers have not been saved because of a problem on our side. "
    "They are still below: send them again in a few minutes."
)
TOO_MANY_MESSAGE = (
    "More feedback has come from this device, or through this link, than we expect in an hour or a day, "
    "so your answers have not been saved yet. They are still below: if you share this device with other "
    "families, send them again later, or tell your worker."
)
ANSWERED = (
    "You have already answered",
    "Thank you: we already have your answers from this link. Nothing more was saved.",
)
OPEN_FORM = (
    "You can still tell us what you think on our open form. It does not ask your name, and your answers "
    "will not be linked to this link or to your family's case."
)
# Links that no longer take answers, and what their page says: both offer the open form instead.
DEAD_LINKS = {
    "expired": ("This link has expired", "Links to give feedback last a few weeks. " + OPEN_FORM),
    "cancelled": (
        "This link was cancelled",
        "Your worker cancelled this link, so nothing can be sent through it. They may give you a new one. " + OPEN_FORM,
    ),
}


@dataclass(frozen=True)
class LinkContext:
    """What the link a person followed already tells us, so the page does not ask it again."""

    teams: tuple[TeamChoice, ...]
    team: TeamChoice | None = None
    stage: str | None = None
    invitation: Invitation | None = None
    round: FeedbackRound | None = None
    # Open links are the same for everyone who follows them; invitation links are not.
    shareable: bool = True


def _open_link_context() -> LinkContext:
    """``?team=<slug>&stage=<stage>`` on an open link, where they name a real team and stage."""
    teams = team_choices()
    team = next((team for team in teams if team.slug == request.args.get("team")), None)
    stage = request.args.get("stage")
    return LinkContext(teams, team, stage if stage in dict(STAGES) else None)


def _prepare_form(spec: FormSpec, link: LinkContext) -> SpecForm:
    form = build_form_class(spec)()
    form.set_options("team", [(team.slug, team.label) for team in link.teams])
    form.fill_options("districts", (team.district for team in link.teams))
    # A value the link already gives is not asked again.
    if link.team and "team" in spec.context:
        form["team"].data = link.team.slug
    if link.stage:
        form.set_stage(link.stage)
    return form


def _render_form(
    spec: FormSpec,
    form: SpecForm,
    link: LinkContext,
    status: int = 200,
    *,
    problem: str | None = None,
    submission: Submission | None = None,
    extra: dict[str, Any] | None = None,
    template: str = "public/feedback-form.html",
) -> tuple[str, int]:
    """The form; shown again, it keeps the submission it was first rendered with (same id, same start)."""
    context = {
        "spec": spec,
        "form": form,
        "link_team": link.team,
        "link_stage": dict(STAGES).get(link.stage or ""),
        "feedback_round": link.round,
        "page_errors": ([{"text": problem}] if problem else []) + error_summary_items(form.question_fields()),
        # An invitation is for one form: no links away to another version.
        "alternatives": [] if link.invitation else [(all_forms()[alt.form], alt.text) for alt in spec.alternatives],
        "submission_token": (lambda: submission.token) if submission else new_token,
        # Through an invitation to a form that keeps the case reference, the page says so before sending.
        "keeps_case_reference": link.invitation is not None and spec.keep_case_reference,
    }
    return render_template(template, **(context | (extra or {}))), status


def _blank_form(spec: FormSpec, link: LinkContext) -> str:
    """The form as first opened: the same for everyone following the same link, so rendered once."""

    def render(extra: dict[str, Any]) -> str:
        return _render_form(spec, _prepare_form(spec, link), link, extra=extra)[0]

    return shared_page((spec.digest, request.full_path, link.teams), render, {"submission_token": new_token})


def _link_key(spec: FormSpec, link: LinkContext) -> str:
    """The link a response came through, as the limits count it: the form and what the link fixed."""
    parts = (
        spec.key,
        link.team.slug if link.team else "",
        link.stage or "",
        link.round.id if link.round else "",
        link.invitation.id if link.invitation else "",
    )
    return "|".join(str(part) for part in parts)


def _answer(spec: FormSpec, link: LinkContext):  # type: ignore[no-untyped-def]
    """The one flow every feedback link shares: show the form, check it, store it once, thank them."""
    if request.method == "GET" and link.shareable and can_share_page():
        return _blank_form(spec, link)
    form = _prepare_form(spec, link)
    submission = read_submission(request.form) if request.method == "POST" else None
    if not form.validate_on_submit():
        return _render_form(spec, form, link, submission=submission)
    problem = refusal(submission, request.form)
    if problem:
        return _render_form(spec, form, link, problem=problem, submission=submission)
    if not within_limits(_link_key(spec, link)):
        # Nothing is stored, and nothing the person typed is lost.
        return _render_form(spec, form, link, 429, problem=TOO_MANY_MESSAGE, submission=submission)
    team = link.team or next((team for team in link.teams if team.slug == form.data.get("team")), None)
    try:
        store_response(
            spec,
            form.answers(),
            team_id=team.id if team else None,
            stage=link.stage or form.data.get("stage") or None,
            invitation_id=link.invitation.id if link.invitation else None,
            round_id=link.round.id if link.round else None,
            case_reference=link.invitation.case_reference if link.invitation else None,
            submission_id=submission.id if submission else None,
        )
    except InvitationUsed:
        return _message_page(*ANSWERED)
    except (OperationalError, InterfaceError):
        # The database cannot take it now (read-only, full, restarting): give the answers back.
        current_app.logger.exception("A response could not be stored; the form was shown again")
        return _render_form(spec, form, link, 503, problem=NOT_SAVED_MESSAGE, submission=submission)
    return redirect(_thank_you_url(spec, through_invitation=link.invitation is not None))


def _thank_you_url(spec: FormSpec, *, through_invitation: bool) -> str:
    """The thank-you page, saying the answers are kept with the case reference where they are."""
    if through_invitation and spec.keep_case_reference:
        return url_for("public.thank_you", form_key=spec.key, kept="case-reference")
    return url_for("public.thank_you", form_key=spec.key)


def _message_page(
    title: str, message: str, status: int = 200, *, fallback: tuple[str, str] | None = None
) -> tuple[str, int]:
    """A page instead of the form; ``fallback`` is a (link, text) to answer some other way."""
    # The help offered is the one for the people the link is for (invitations are for families).
    spec = all_forms().get(str((request.view_args or {}).get("form_key", "")))
    audience = spec.audience if spec else "family"
    page = render_template("public/message.html", title=title, message=message, fallback=fallback, audience=audience)
    return page, status


def _open_rounds(form_key: str, today: date) -> list[FeedbackRound]:
    query = select(FeedbackRound).where(
        FeedbackRound.form_key == form_key, FeedbackRound.opens_on <= today, FeedbackRound.closes_on >= today
    )
    return list(db.session.scalars(query.order_by(FeedbackRound.opens_on, FeedbackRound.id)))


# The start page is for families: partners and staff are sent the links to their own forms.
FAMILY_AUDIENCES = ("family", "child")
# Partner forms may ask, optionally, which organisation is answering (forms/partners/partner.yaml).
ORGANISATION_QUESTION = "organisation"


def _public_forms() -> list[FormSpec]:
    return [spec for spec in all_forms().values() if spec.audience in PUBLIC_AUDIENCES]


@bp.get("/")
@requires(Action.READ_PUBLIC_INFORMATION)
def index() -> str:
    forms = [spec for spec in all_forms().values() if spec.audience in FAMILY_AUDIENCES]
    return render_template("public/index.html", forms=forms)


@bp.get("/privacy")
@requires(Action.READ_PUBLIC_INFORMATION)
def privacy() -> str:
    return render_template("public/privacy.html", forms=_public_forms())


@bp.get("/accessibility")
@requires(Action.READ_PUBLIC_INFORMATION)
def accessibility() -> str:
    return render_template("public/accessibility.html")


class PageInstead(Exception):
    """The link cannot take answers now (closed, expired, already used): show this page instead."""

    def __init__(self, page: Any):
        super().__init__()
        self.page = page


def _open_link(form_key: str) -> tuple[FormSpec, LinkContext]:
    spec = public_form_or_404(form_key)
    if spec.rounds == "required":
        # A survey answered in waves has no link of its own: send people to the wave that is open.
        rounds = _open_rounds(spec.key, date.today())
        if rounds:
            # Waves of one survey may not overlap; where two do (set up before that rule), the newest is meant.
            raise PageInstead(redirect(url_for("public.round_form", form_key=spec.key, round_id=rounds[-1].id)))
        raise PageInstead(
            _message_page(
                spec.title, "This survey is not open at the moment. Your manager will send the link when it opens."
            )
        )
    return spec, _open_link_context()


def _round_link(form_key: str, round_id: int) -> tuple[FormSpec, LinkContext]:
    spec = public_form_or_404(form_key)
    found = db.session.get(FeedbackRound, round_id)
    if found is None or found.form_key != spec.key:
        abort(404)
    if not found.is_open(date.today()):
        when = "has not opened yet" if found.opens_on > date.today() else "has closed"
        raise PageInstead(
            _message_page(
                f"{found.name} {when}",
                f"This link is for {found.name} ({spec.title}), which {when}. Nothing can be sent through it now.",
            )
        )
    return spec, LinkContext(team_choices(), round=found)


def _invitation_link(token: str) -> tuple[FormSpec, LinkContext]:
    invitation = find_invitation(token)
    if invitation is None or invitation.form_key not in all_forms():
        raise PageInstead(
            _message_page(
                "This link does not work", "Check you copied the whole link, or ask your worker for a new one.", 404
            )
        )
    state = invitation.state(utc_now())
    if state == "answered":
        if request.method == "POST" and _sent_before():
            raise PageInstead(redirect(_thank_you_url(all_forms()[invitation.form_key], through_invitation=True)))
        raise PageInstead(_message_page(*ANSWERED))
    if state in DEAD_LINKS:
        title, message = DEAD_LINKS[state]
        raise PageInstead(_message_page(title, message, fallback=_open_form_instead(invitation)))
    teams = team_choices()
    team = next((team for team in teams if team.id == invitation.team_id), None)
    link = LinkContext(teams, team=team, stage=invitation.stage, invitation=invitation, shareable=False)
    return all_forms()[invitation.form_key], link


def _sent_before() -> bool:
    """Whether this post is a page already stored, sent again (its reply was lost)."""
    submission = read_submission(request.form)
    return submission is not None and stored_submission(submission.id) is not None


def _open_form_instead(invitation: Invitation) -> tuple[str, str]:
    """The same form's open link for the invitation's team and stage: anonymous, not counted against it."""
    link = url_for(
        "public.feedback_form", form_key=invitation.form_key, team=invitation.team.slug, stage=invitation.stage
    )
    return link, "Give your feedback on our open form"


# Each kind of feedback link: what it is called, and how it finds its form and what it already tells us.
LINKS: dict[str, Callable[[dict[str, Any]], tuple[FormSpec, LinkContext]]] = {
    "public.feedback_form": lambda args: _open_link(args["form_key"]),
    "public.round_form": lambda args: _round_link(args["form_key"], args["round_id"]),
    "public.invitation": lambda args: _invitation_link(args["token"]),
}


def _follow_link() -> Any:
    assert request.endpoint is not None
    assert request.view_args is not None
    try:
        spec, link = LINKS[request.endpoint](request.view_args)
    except PageInstead as instead:
        return instead.page
    return _answer(spec, link)


@bp.route("/feedback/<form_key>", methods=["GET", "POST"])
@requires(Action.GIVE_FEEDBACK)
def feedback_form(form_key: str):  # type: ignore[no-untyped-def]
    return _follow_link()


@bp.route("/feedback/<form_key>/rounds/<int:round_id>", methods=["GET", "POST"])
@requires(Action.GIVE_FEEDBACK)
def round_form(form_key: str, round_id: int):  # type: ignore[no-untyped-def]
    return _follow_link()


@bp.route("/i/<token>", methods=["GET", "POST"])
@requires(Action.GIVE_FEEDBACK)
def invitation(token: str):  # type: ignore[no-untyped-def]
    return _follow_link()


@bp.errorhandler(CSRFError)
def expired_token(_error: CSRFError):  # type: ignore[no-untyped-def]
    """A missing or stale token: store nothing, but give people their answers back to send again."""
    if request.endpoint not in LINKS or request.view_args is None:
        abort(400)
    try:
        spec, link = LINKS[request.endpoint](request.view_args)
    except PageInstead as instead:
        return instead.page
    form = _prepare_form(spec, link)
    return _render_form(spec, form, link, 400, problem=EXPIRED_PAGE_MESSAGE, submission=read_submission(request.form))


@bp.get("/feedback/<form_key>/thank-you")
@requires(Action.GIVE_FEEDBACK)
def thank_you(form_key: str) -> str:
    spec = public_form_or_404(form_key)
    # Said only where it is true: an invitation to a form that keeps the case reference.
    case_kept = spec.keep_case_reference and request.args.get("kept") == "case-reference"
    asks_organisation = any(question.id == ORGANISATION_QUESTION for question in spec.questions)
    return render_template("public/thank-you.html", spec=spec, case_kept=case_kept, asks_organisation=asks_organisation)


def preview_form(spec: FormSpec, template: str) -> tuple[str, int]:
    """The form exactly as its open link shows it, for the form editor's preview (``template`` extends
    the feedback page): answers sent are checked as on the real page and never stored."""
    link = _open_link_context()
    form = _prepare_form(spec, link)
    checked = form.validate_on_submit()
    return _render_form(spec, form, link, template=template, extra={"preview_checked": checked})
