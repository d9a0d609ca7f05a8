"""Pages that email a round's link: to partner contacts (a partner round), or to staff addresses (a staff wave)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from qaf.feedback import bp
from qaf.feedback.forms import EMAIL_PARTNERS, EMAIL_STAFF
from qaf.feedback.round_emails import (
    agency_label,
    all_contacts,
    contacts_not_emailed,
    email_partners,
    email_staff,
    emailed_count,
)
from qaf.feedback.staff_addresses import AddressProblems, pasted_addresses, uploaded_addresses
from qaf.forms_registry import all_forms
from qaf.formspec import build_form_class
from qaf.formspec.widgets import error_summary_items
from qaf.models import FeedbackRound, PartnerContact
from qaf.objects import get_or_404
from qaf.policy import Action, requires
from qaf.uploads import accepts_upload, posted_file, problems_as_errors

MOST_BYTES = 1024 * 1024


def round_for(round_id: int, audience: str) -> FeedbackRound:
    """The round, if its form is for ``audience`` (partner or staff); otherwise the page is not found."""
    found = get_or_404(FeedbackRound, round_id)
    spec = all_forms().get(found.form_key)
    if spec is None or spec.audience != audience:
        abort(404)
    return found


@bp.route("/admin/rounds/<int:round_id>/email-partners", methods=["GET", "POST"])
@requires(Action.MANAGE_ROUNDS)
def email_round_partners(round_id: int):  # type: ignore[no-untyped-def]
    found = round_for(round_id, "partner")
    today = date.today()
    waiting = contacts_not_emailed(found.id)
    form = build_form_class(EMAIL_PARTNERS)(
        data={"contacts": [str(contact.id) for contact in waiting]} if request.method == "GET" else None
    )
    # A page sent again (a double click, the back button) may name contacts emailed since: they are
    # valid choices, and email_partners leaves them out.
    form.set_options("contacts", _choices(all_contacts() if request.method == "POST" else waiting))
    closed = found.closes_on < today
    if not closed and waiting and form.validate_on_submit():
        sent = email_partners(found.id, [int(value) for value in form.contacts.data], today)
        flash(
            f"The link to {found.name} is being emailed to {sent} partner contact(s), "
            "with one reminder before it closes."
        )
        return redirect(url_for("feedback.feedback_round", round_id=found.id))
    form.set_options("contacts", _choices(waiting))
    return render_template(
        "feedback/round-email-partners.html",
        form=form,
        feedback_round=found,
        waiting=waiting,
        emailed=emailed_count(found.id),
        closed=closed,
        today=today,
    )


def _choices(contacts: list[PartnerContact]) -> list[tuple[str, str]]:
    return [
        (str(contact.id), f"{contact.organisation} ({agency_label(contact.agency_type)}): {contact.email}")
        for contact in contacts
    ]


@bp.route("/admin/rounds/<int:round_id>/email-staff", methods=["GET", "POST"])
@requires(Action.MANAGE_ROUNDS)
@accepts_upload(MOST_BYTES + 64 * 1024)
def email_wave_staff(round_id: int):  # type: ignore[no-untyped-def]
    found = round_for(round_id, "staff")
    today = date.today()
    form = build_form_class(EMAIL_STAFF)()
    problems: list[str] = []
    from_file = bool(request.files.get("file") and request.files["file"].filename)
    closed = found.closes_on < today
    if not closed and form.validate_on_submit():
        try:
            if from_file:
                data, problems = posted_file(MOST_BYTES, "Choose a CSV file with an email column")
                addresses = uploaded_addresses(data) if not problems else []
            else:
                addresses = pasted_addresses(form.addresses.data or "")
        except AddressProblems as error:
            problems = error.problems
        if not problems:
            sent = email_staff(found.id, addresses, today)
            flash(
                f"The link to {found.name} is being emailed to {sent} staff, with one reminder before it closes. "
                "Their addresses are deleted once the emails are sent."
            )
            return redirect(url_for("feedback.feedback_round", round_id=found.id))
        if not from_file:
            form.add_error("addresses", f"{_problem_count(problems)} in the addresses: nothing was sent")
    return render_template(
        "feedback/round-email-staff.html",
        form=form,
        feedback_round=found,
        file_problems=_problem_count(problems) if from_file and problems else "",
        page_errors=problems_as_errors(problems, "file" if from_file else "addresses")
        or error_summary_items(form.question_fields()),
        closed=closed,
    )


def _problem_count(problems: list[str]) -> str:
    return f"{len(problems):,} problem{'' if len(problems) == 1 else 's'}"
