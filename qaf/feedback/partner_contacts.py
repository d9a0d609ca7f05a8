"""Partner contacts, kept by the QA team: added one at a time or from a CSV file, changed and removed.

A contact's agency type is one of the partner form's agency-type options (``agency_types``) and
their district one of the teams' districts, so who was invited and who answered can be compared.
A CSV file is read as every uploaded CSV is (qaf/csv_upload.py): if any row has a problem, each
is listed by line and nothing is stored. A row whose address is already a contact's changes that
contact; one address is one contact.
"""

import io
from dataclasses import dataclass

from sqlalchemy import func, select, update

from qaf.audit_log import record_event
from qaf.csv_upload import Column, CSVFile, Problems, fold, shown
from qaf.extensions import db
from qaf.feedback.round_emails import agency_types
from qaf.formspec.fields import EMAIL_PATTERN
from qaf.models import PartnerContact, RoundEmail, Team
from qaf.objects import get_or_404

CSV_COLUMNS = (
    Column("organisation", True, "the organisation's name", ("organisation name", "organization", "agency")),
    Column(
        "agency_type",
        True,
        "the type of organisation: its value or its words on the partner form",
        ("agency", "type", "organisation type", "type of organisation"),
    ),
    Column("district", False, "the district they mostly work in, one of the teams' districts", ("area",)),
    Column("email", True, "their work email address", ("email address", "work email")),
)
MOST_ROWS = 2000


def districts() -> list[str]:
    """The teams' districts, which a partner's district is one of (the partner form asks the same)."""
    names = db.session.scalars(select(Team.district).where(Team.district != "").distinct())
    return sorted(set(names), key=str.casefold)


def email_taken(email: str, leave_out: int | None) -> bool:
    found = db.session.scalar(select(PartnerContact.id).where(PartnerContact.email == email.lower()))
    return found is not None and found != leave_out


def save_contact(contact_id: int | None, values: dict[str, str]) -> PartnerContact:
    """Add a contact (``contact_id`` None) or change one, in the caller's transaction."""
    values = values | {"email": values["email"].lower()}
    if contact_id is None:
        contact = PartnerContact(**values)
        db.session.add(contact)
        db.session.flush()
        record_event("partner_contact_added", f"partner contact {contact.id}: {contact.organisation}")
        return contact
    contact = get_or_404(PartnerContact, contact_id)
    for name, value in values.items():
        setattr(contact, name, value)
    record_event("partner_contact_changed", f"partner contact {contact.id}: {contact.organisation}")
    return contact


def remove_contact(contact_id: int) -> str:
    """Remove a contact in the caller's transaction; the rounds they were emailed keep counting them."""
    contact = get_or_404(PartnerContact, contact_id)
    db.session.execute(update(RoundEmail).where(RoundEmail.contact_id == contact_id).values(contact_id=None))
    record_event("partner_contact_removed", f"partner contact {contact.id}: {contact.organisation}")
    db.session.delete(contact)
    return contact.organisation


@dataclass(frozen=True)
class ContactRow:
    line: int
    organisation: str
    agency_type: str
    district: str
    email: str


class ContactFileProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_contacts_csv(data: bytes) -> tuple[list[ContactRow], list[str]]:
    """Every row of a contacts file checked, and the headings not read; ``ContactFileProblems`` if any is wrong."""
    found = Problems(kept=MOST_ROWS)
    file = CSVFile(io.BytesIO(data), CSV_COLUMNS, found)
    types = {fold(name): option.value for option in agency_types() for name in (option.value, option.label)}
    type_names = ", ".join(option.value for option in agency_types())
    known_districts = {name.casefold(): name for name in districts()}
    rows: list[ContactRow] = []
    first_seen: dict[str, int] = {}
    for line, values in file.rows():
        if len(rows) >= MOST_ROWS:
            found.replace(f"The file has more than {MOST_ROWS:,} rows: split it into smaller files")
            break
        before = found.count
        organisation, email = values["organisation"], values["email"].lower()
        if not organisation:
            found.add(line, "organisation: enter the organisation's name")
        elif len(organisation) > 120:
            found.add(line, "organisation: must be 120 characters or less")
        agency_type = types.get(fold(values["agency_type"]))
        if agency_type is None:
            found.add(
                line, f"agency_type: ‘{shown(values['agency_type'])}’ is not a type of organisation; use {type_names}"
            )
        district = known_districts.get(values["district"].casefold(), "") if values["district"] else ""
        if values["district"] and not district:
            found.add(line, f"district: ‘{shown(values['district'])}’ is not one of the teams' districts")
        if not email:
            found.add(line, "email: enter their work email address")
        elif len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
            found.add(line, f"email: ‘{shown(email)}’ is not an email address")
        elif email in first_seen:
            found.add(line, f"email: {email} is also on line {first_seen[email]}")
        first_seen.setdefault(email, line)
        if found.count == before and agency_type is not None:
            rows.append(ContactRow(line, organisation, agency_type, district, email))
    if not found and not rows:
        found.add(0, "The file has no rows under its header")
    if found:
        raise ContactFileProblems(found.messages)
    return rows, file.ignored


def import_contacts(rows: list[ContactRow]) -> tuple[int, int]:
    """Add the file's new contacts and change those whose address is known, in the caller's transaction."""
    known: dict[str, int] = dict(db.session.execute(select(func.lower(PartnerContact.email), PartnerContact.id)).all())
    added = changed = 0
    for row in rows:
        values = {
            "organisation": row.organisation,
            "agency_type": row.agency_type,
            "district": row.district,
            "email": row.email,
        }
        if row.email in known:
            db.session.execute(update(PartnerContact).where(PartnerContact.id == known[row.email]).values(**values))
            changed += 1
        else:
            db.session.add(PartnerContact(**values))
            added += 1
    record_event("partner_contacts_imported", f"{added} added, {changed} changed")
    return added, changed
