"""Staff accounts from a CSV file: every row checked first, then every new person added and sent a link.

Read as every uploaded CSV is (qaf/csv_upload.py). A row whose email address already has an
account is reported and left alone, never added twice; if any row has a problem nothing is stored.
"""

import io
from dataclasses import dataclass

from sqlalchemy import func, select

from qaf.audit_log import record_event
from qaf.csv_upload import Column, CSVFile, Problems, fold, shown
from qaf.extensions import db
from qaf.formspec.fields import EMAIL_PATTERN
from qaf.models import User
from qaf.organisation import team_ids_by_name
from qaf.people import create_person, send_sign_in_details
from qaf.policy import ROLE_LABELS

COLUMNS = (
    Column("name", True, "their full name", ("full name",)),
    Column("email", True, "their work email address: they sign in with it", ("email address", "work email")),
    Column(
        "role",
        True,
        "practitioner, auditor, service_manager or qa_admin, or the role's name (Service manager)",
        ("qaf role",),
    ),
    Column("team", False, "their team's name or slug, as in Services and teams", ("team name",)),
    Column(
        "line_manager",
        False,
        "their line manager's email address: someone with an account, or another row of the file",
        ("line manager email", "manager", "manager email"),
    ),
)
MOST_ROWS = 1000
ROLES = {fold(name): role.value for role, label in ROLE_LABELS.items() for name in (role.value, label)}
ROLES_SHOWN = [role.value for role in ROLE_LABELS]


@dataclass(frozen=True)
class StaffRow:
    line: int
    name: str
    email: str
    role: str
    team_id: int | None
    line_manager: str


@dataclass(frozen=True)
class StaffFile:
    new: list[StaffRow]
    # (line, email) of the rows whose address already has an account: left as they are.
    existing: list[tuple[int, str]]
    ignored: list[str]


class StaffFileProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_staff_csv(data: bytes) -> StaffFile:
    """Every row of a staff file checked; ``StaffFileProblems`` with each problem by line if any is wrong."""
    found = Problems(kept=MOST_ROWS)
    file = CSVFile(io.BytesIO(data), COLUMNS, found)
    teams = team_ids_by_name()
    accounts = set(db.session.scalars(select(func.lower(User.email))))
    rows: list[StaffRow] = []
    existing: list[tuple[int, str]] = []
    first_seen: dict[str, int] = {}
    for line, values in file.rows():
        if len(rows) + len(existing) >= MOST_ROWS:
            found.add(0, f"The file has more than {MOST_ROWS:,} rows: split it into smaller files")
            break
        before = found.count
        name, email = values["name"], values["email"].lower()
        if not name:
            found.add(line, "name: enter their full name")
        elif len(name) > 120:
            found.add(line, "name: must be 120 characters or less")
        if not email:
            found.add(line, "email: enter their email address")
        elif len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
            found.add(line, f"email: ‘{shown(email)}’ is not an email address")
        elif email in first_seen:
            found.add(line, f"email: {email} is also on line {first_seen[email]}")
        first_seen.setdefault(email, line)
        role = ROLES.get(fold(values["role"]))
        if role is None:
            found.add(line, f"role: ‘{shown(values['role'])}’ is not a role; the roles are {', '.join(ROLES_SHOWN)}")
        team_id = teams.get(values["team"].casefold()) if values["team"] else None
        if values["team"] and team_id is None:
            found.add(line, f"team: there is no team ‘{shown(values['team'])}’ in Services and teams")
        manager = values["line_manager"].lower()
        if found.count > before or role is None:
            continue
        if email in accounts:
            existing.append((line, email))
        else:
            rows.append(StaffRow(line, name, email, role, team_id, manager))
    known = accounts | set(first_seen)
    for row in rows:
        if row.line_manager == row.email:
            found.add(row.line, "line_manager: someone cannot be their own line manager")
        elif row.line_manager and row.line_manager not in known:
            found.add(
                row.line,
                f"line_manager: ‘{shown(row.line_manager)}’ is not the email address of an account or of a row "
                "in the file",
            )
    found.finish()
    if not found and not rows and not existing:
        found.add(0, "The file has no rows under its header")
    if found:
        raise StaffFileProblems(found.messages)
    return StaffFile(rows, existing, file.ignored)


def add_staff(file: StaffFile) -> list[User]:
    """Add the file's new people in the caller's transaction, then email each how to sign in (qaf.people)."""
    added = [create_person(email=row.email, name=row.name, role=row.role, team_id=row.team_id) for row in file.new]
    ids = {email: user_id for email, user_id in db.session.execute(select(func.lower(User.email), User.id))}
    for row, user in zip(file.new, added, strict=True):
        if row.line_manager:
            user.line_manager_id = ids[row.line_manager]
    for user in added:
        send_sign_in_details(user)
    record_event("staff_imported", f"{len(added)} added, {len(file.existing)} already had accounts")
    return added
