"""Invitations: a worker invites a family to give feedback for a case at a stage, singly or from a CSV,
and cancels or re-issues a link."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as HTTPResponse

from qaf.contacts import email_address, uk_mobile_number
from qaf.database import run_write_transaction
from qaf.feedback import bp
from qaf.feedback.forms import BULK_INVITATIONS, invitation_spec
from qaf.feedback.qr import qr_svg
from qaf.forms_registry import all_forms
from qaf.formspec import SpecForm, build_form_class
from qaf.formspec.widgets import error_summary_items
from qaf.invitation_messages import channels_available, send_link
from qaf.invitations import (
    CSV_COLUMNS,
    CSVProblems,
    NewInvitation,
    answered_counts,
    cancel_invitation,
    create_invitation,
    read_invitation_csv,
    reissue_invitation,
    unanswered_invitations,
)
from qaf.models import Invitation, PostClosureDue, utc_now
from qaf.objects import get_or_404
from qaf.organisation import TeamChoice, team_choices
from qaf.policy import Action, allowed_or_403, can, requires, works_in
from qaf.programme.post_closure import due_for, make_due_link
from qaf.query_args import text_arg
from qaf.uploads import accepts_upload, posted_file, problems_as_errors

MOST_BYTES = 1024 * 1024
TOO_LATE = "The link was answered or cancelled before you could change it, so nothing was changed."


def _teams() -> list[TeamChoice]:
    """The teams the worker may invite families for: their own, their service's for a service manager."""
    return [team for team in team_choices() if works_in(current_user, team)]


def _family_forms() -> list[tuple[str, str]]:
    return [(key, spec.title) for key, spec in all_forms().items() if spec.audience in ("family", "child")]


def _slips(created: list[NewInvitation], sent: int = 0) -> str:
    """The page after making links: a slip for each ``created`` one, and how many more are being ``sent``."""
    slips = [
        (new, qr_svg(new.link, f"QR code for the feedback link for case {new.invitation.case_reference}"))
        for new in created
    ]
    forms = all_forms()
    return render_template("feedback/invitations-created.html", slips=slips, sent=sent, forms=forms)


@bp.get("/invitations")
@requires(Action.INVITE_FAMILIES)
def invitations() -> str:
    team_ids = [team.id for team in _teams()]
    # Managers see every invitation of their teams; other workers their own.
    made_by = None if can(current_user, Action.MANAGE_TEAM_INVITATIONS) else current_user.id
    return render_template(
        "feedback/invitations.html",
        invitations=unanswered_invitations(team_ids, made_by),
        counts=answered_counts(team_ids),
        due=due_for(team_ids),
        sends=any(channels_available().values()),
        now=utc_now(),
        forms=all_forms(),
    )


@bp.post("/invitations/post-closure/<int:due_id>")
@requires(Action.INVITE_FAMILIES)
def make_post_closure_link(due_id: int):  # type: ignore[no-untyped-def]
    allowed_or_403(Action.INVITE_FAMILIES, get_or_404(PostClosureDue, due_id).team)
    new = run_write_transaction(lambda: make_due_link(due_id, current_user))
    if new is None:
        flash("The link for this case was made by someone else first, so nothing was changed.")
        return redirect(url_for("feedback.invitations"))
    return _slips([new])


@bp.get("/invitations/<int:invitation_id>")
@requires(Action.CANCEL_INVITATION)
def invitation(invitation_id: int) -> str:
    found = get_or_404(Invitation, invitation_id, Action.CANCEL_INVITATION)
    return render_template(
        "feedback/invitation.html", invitation=found, state=found.state(utc_now()), forms=all_forms()
    )


@bp.post("/invitations/<int:invitation_id>/cancel")
@requires(Action.CANCEL_INVITATION)
def cancel(invitation_id: int) -> HTTPResponse:
    found = get_or_404(Invitation, invitation_id, Action.CANCEL_INVITATION)
    case_reference = found.case_reference
    if run_write_transaction(lambda: cancel_invitation(get_or_404(Invitation, invitation_id))):
        flash(f"The link for case {case_reference} was cancelled: it no longer works.")
    else:
        flash(TOO_LATE)
    return redirect(url_for("feedback.invitations"))


@bp.post("/invitations/<int:invitation_id>/reissue")
@requires(Action.CANCEL_INVITATION)
def reissue(invitation_id: int):  # type: ignore[no-untyped-def]
    get_or_404(Invitation, invitation_id, Action.CANCEL_INVITATION)
    new = run_write_transaction(lambda: reissue_invitation(get_or_404(Invitation, invitation_id), by=current_user))
    if new is None:
        flash(TOO_LATE)
        return redirect(url_for("feedback.invitations"))
    return _slips([new])


@bp.route("/invitations/new", methods=["GET", "POST"])
@requires(Action.INVITE_FAMILIES)
def new_invitation():  # type: ignore[no-untyped-def]
    channels = tuple(channel for channel, available in channels_available().items() if available)
    data = _prefilled() if request.method == "GET" else None
    form = build_form_class(invitation_spec(channels))(data=data)
    form.set_options("form", _family_forms())
    form.set_options("team", [(str(team.id), team.label) for team in _teams()])
    if form.validate_on_submit() and _contact_checked(form):
        send = _send_to(form)
        new = run_write_transaction(lambda: _create(form, send))
        if send is not None:
            how = "text message" if send[0] == "sms" else "email"
            flash(f"The link is being sent to the family by {how}, with one reminder if it is not used.")
        return _slips([new])
    return render_template("feedback/new-invitation.html", form=form, channels=channels)


def _prefilled() -> dict[str, str]:
    """The form's first answers: the worker's team, the family form, a slip; or a case's, from the page's address."""
    given = {name: text_arg(name, 60) for name in ("case_reference", "stage", "team", "form")}
    defaults = {"team": str(current_user.team_id or ""), "form": "family", "send_by": "slip"}
    return defaults | {name: value for name, value in given.items() if value}


def _send_to(form: SpecForm) -> tuple[str, str] | None:
    """How to send the link: (channel, the number or address as QAF sends to it), or None for a slip."""
    channel = form.send_by.data if "send_by" in form else "slip"
    if channel == "sms":
        number = uk_mobile_number(form.mobile.data)
        return None if number is None else (channel, number)
    if channel == "email":
        address = email_address(form.email.data)
        return None if address is None else (channel, address)
    return None


def _contact_checked(form: SpecForm) -> bool:
    """Whether the number or address for the way chosen is right; if not, the error is on its field."""
    channel = form.send_by.data if "send_by" in form else "slip"
    if channel == "slip" or _send_to(form) is not None:
        return True
    name, typed = ("mobile", form.mobile.data) if channel == "sms" else ("email", form.email.data)
    if not typed.strip():
        form.add_error(name, f"Enter {form[name].thing}")
    elif channel == "sms":
        form.add_error(name, "Enter a UK mobile phone number, like 07700 900 982 or +44 7700 900 982")
    else:
        form.add_error(name, "Enter an email address in the correct format, like name@example.com")
    return False


def _create(form: SpecForm, send: tuple[str, str] | None) -> NewInvitation:
    new = create_invitation(
        form_key=form.form.data,
        team_id=int(form.team.data),
        stage=form.stage.data,
        case_reference=form.case_reference.data,
        by=current_user,
    )
    if send is not None:
        spec = all_forms().get(new.invitation.form_key)
        send_link(new, *send, minutes=spec.minutes if spec else None)
    return new


@bp.route("/invitations/bulk", methods=["GET", "POST"])
@requires(Action.INVITE_FAMILIES)
@accepts_upload(MOST_BYTES + 64 * 1024)
def bulk_invitations():  # type: ignore[no-untyped-def]
    form = build_form_class(BULK_INVITATIONS)(data={"form": "family"} if request.method == "GET" else None)
    form.set_options("form", _family_forms())
    problems: list[str] = []
    if form.validate_on_submit():
        data, problems = posted_file(MOST_BYTES, "Choose a CSV file of case references")
        if not problems:
            try:
                file = read_invitation_csv(
                    data,
                    forms={key for key, _title in _family_forms()},
                    default_form=form.form.data,
                    teams_allowed={team.id for team in _teams()},
                    channels=[channel for channel, available in channels_available().items() if available],
                )
            except CSVProblems as error:
                problems = error.problems
            else:
                if file.ignored:
                    names = ", ".join(f"‘{name[:40]}’" for name in file.ignored[:10])
                    flash(f"Columns not read (QAF has no column for them): {names}")

                def work() -> tuple[list[NewInvitation], int]:
                    printed, sent = [], 0
                    forms = all_forms()
                    for row in file.rows:
                        new = create_invitation(
                            form_key=row.form_key,
                            team_id=row.team_id,
                            stage=row.stage,
                            case_reference=row.case_reference,
                            by=current_user,
                        )
                        if row.contact is None:
                            printed.append(new)
                        else:
                            spec = forms.get(row.form_key)
                            send_link(new, *row.contact, minutes=spec.minutes if spec else None)
                            sent += 1
                    return printed, sent

                return _slips(*run_write_transaction(work))
    page_errors = problems_as_errors(problems, "file")
    if not page_errors:
        page_errors = error_summary_items(form.question_fields())
    return render_template(
        "feedback/bulk-invitations.html",
        form=form,
        problems=problems,
        page_errors=page_errors,
        columns=CSV_COLUMNS,
        teams=_teams(),
        channels=channels_available(),
    )
