"""The QA team's pages for partner contacts: the list, add, change, remove, and import from a CSV file."""

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.feedback import bp
from qaf.feedback.forms import PARTNER_CONTACT
from qaf.feedback.partner_contacts import (
    CSV_COLUMNS,
    ContactFileProblems,
    districts,
    email_taken,
    import_contacts,
    read_contacts_csv,
    remove_contact,
    save_contact,
)
from qaf.feedback.round_emails import agency_label, agency_types
from qaf.formspec import build_form_class
from qaf.models import PartnerContact
from qaf.objects import get_or_404
from qaf.policy import Action, requires
from qaf.uploads import accepts_upload, posted_file, problems_as_errors

MOST_BYTES = 1024 * 1024


@bp.get("/admin/partner-contacts")
@requires(Action.MANAGE_PARTNER_CONTACTS)
def partner_contacts() -> str:
    contacts = db.session.scalars(
        select(PartnerContact).order_by(PartnerContact.organisation, PartnerContact.email)
    ).all()
    return render_template("feedback/partner-contacts.html", contacts=contacts, agency_label=agency_label)


@bp.route("/admin/partner-contacts/new", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/admin/partner-contacts/<int:contact_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_PARTNER_CONTACTS)
def partner_contact(contact_id: int | None):  # type: ignore[no-untyped-def]
    existing = get_or_404(PartnerContact, contact_id) if contact_id else None
    data = None
    if existing and request.method == "GET":
        data = {
            "organisation": existing.organisation,
            "agency_type": existing.agency_type,
            "district": existing.district,
            "email": existing.email,
        }
    form = build_form_class(PARTNER_CONTACT)(data=data)
    form.set_options("agency_type", [(option.value, option.label) for option in agency_types()])
    form.set_options("district", [(name, name) for name in districts()])
    if form.validate_on_submit():
        values = {
            "organisation": form.organisation.data,
            "agency_type": form.agency_type.data,
            "district": form.district.data or "",
            "email": form.email.data,
        }
        if email_taken(values["email"], contact_id):
            form.add_error("email", "There is already a partner contact with that email address")
        else:
            run_write_transaction(lambda: save_contact(contact_id, values))
            flash(f"{values['organisation']} ({values['email'].lower()}) has been saved.")
            return redirect(url_for("feedback.partner_contacts"))
    return render_template("feedback/partner-contact.html", form=form, contact=existing)


@bp.route("/admin/partner-contacts/<int:contact_id>/remove", methods=["GET", "POST"])
@requires(Action.MANAGE_PARTNER_CONTACTS)
def remove_partner_contact(contact_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(PartnerContact, contact_id)
    if request.method == "POST":
        organisation = run_write_transaction(lambda: remove_contact(contact_id))
        flash(f"The contact at {organisation} has been removed.")
        return redirect(url_for("feedback.partner_contacts"))
    return render_template("feedback/partner-contact-remove.html", contact=found)


@bp.route("/admin/partner-contacts/import", methods=["GET", "POST"])
@requires(Action.MANAGE_PARTNER_CONTACTS)
@accepts_upload(MOST_BYTES + 64 * 1024)
def import_partner_contacts():  # type: ignore[no-untyped-def]
    problems: list[str] = []
    if request.method == "POST":
        data, problems = posted_file(MOST_BYTES, "Choose a CSV file of partner contacts")
        if not problems:
            try:
                rows, ignored = read_contacts_csv(data)
            except ContactFileProblems as error:
                problems = error.problems
            else:
                if ignored:
                    names = ", ".join(f"‘{name[:40]}’" for name in ignored[:10])
                    flash(f"Columns not read (QAF has no column for them): {names}")
                added, changed = run_write_transaction(lambda: import_contacts(rows))
                flash(f"{added} partner contact(s) added, {changed} changed.")
                return redirect(url_for("feedback.partner_contacts"))
    return render_template(
        "feedback/partner-contacts-import.html",
        problems=problems,
        page_errors=problems_as_errors(problems, "file"),
        columns=CSV_COLUMNS,
        agency_types=agency_types(),
        districts=districts(),
    )
