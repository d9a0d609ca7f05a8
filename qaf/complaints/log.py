"""The complaints and compliments log: checking and storing an entry, the entries a person sees,
and a period's entries counted for the dashboard, the workbook and the CSV file."""

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TextIO

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from qaf.audit_log import record_event
from qaf.complaints.forms import LEARNING_THING
from qaf.complaints.identifiers import identifier_problem
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import SpecForm
from qaf.models import (
    COMPLAINT_KINDS,
    COMPLAINT_OUTCOMES,
    COMPLAINT_THEMES,
    Case,
    ComplaintOrCompliment,
    Team,
    User,
    utc_now,
)
from qaf.policy import Action, Role, can
from qaf.reports.csv_export import safe_cell
from qaf.reports.periods import Period
from qaf.reports.report import ComplaintRow, ComplaintsData

CSV_HEADERS = ("ID", "Received", "Kind", "Team", "Service", "Theme", "Outcome", "What was learnt")


@dataclass(frozen=True)
class Entry:
    """What the form says about one complaint or compliment."""

    kind: str
    received_on: date
    team_id: int
    theme: str
    outcome: str | None
    learning: str


def entry_from(form: SpecForm) -> Entry:
    return Entry(
        kind=form.kind.data,
        received_on=form.received_on.data,
        team_id=int(form.team.data),
        theme=form.theme.data,
        outcome=form.outcome.data or None,
        learning=form.learning.data,
    )


def form_data(record: ComplaintOrCompliment) -> dict[str, str]:
    """A stored entry as the form shows it again."""
    return {
        "kind": record.kind,
        "received_on": record.received_on.isoformat(),
        "team": str(record.team_id),
        "theme": record.theme,
        "outcome": record.outcome or "",
        "learning": record.learning,
    }


def _known_references(text: str) -> set[str]:
    """The words of ``text`` that are references in the imported case list, upper case."""
    words = {word.upper() for word in text.replace(",", " ").split() if len(word) <= 40}
    if not words:
        return set()
    query = select(func.upper(Case.reference)).where(func.upper(Case.reference).in_(words))
    return set(db.session.scalars(query))


def entry_problems(user: User, entry: Entry, today: date) -> list[tuple[str, str]]:
    """Why this entry may not be stored, as (question id, message) pairs; none when it may."""
    problems = []
    if entry.received_on > today:
        problems.append(("received_on", "The date it was received must be today or in the past"))
    team = db.session.get(Team, entry.team_id)
    if team is None or not can(user, Action.LOG_COMPLAINTS, team):
        problems.append(("team", "Select a team you work in from the list"))
    if entry.kind == "complaint" and entry.outcome is None:
        problems.append(("outcome", "Select the outcome of the complaint, or ‘In progress’"))
    if entry.kind == "compliment" and entry.outcome is not None:
        problems.append(("outcome", "Leave the outcome at ‘Choose one’ for a compliment: outcomes are for complaints"))
    problem = identifier_problem(entry.learning, LEARNING_THING, _known_references(entry.learning))
    if problem:
        problems.append(("learning", problem))
    return problems


def log_entry(entry: Entry, by: User) -> int:
    record = ComplaintOrCompliment(**asdict(entry), logged_by_id=by.id)
    db.session.add(record)
    db.session.flush()
    record_event("complaint_logged", f"{record.kind_label.lower()} {record.id} for team {record.team_id}")
    return int(record.id)


def change_entry(record: ComplaintOrCompliment, entry: Entry) -> None:
    changed = [name for name, value in asdict(entry).items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, getattr(entry, name))
    if changed:
        record.updated_at = utc_now()
        record_event("complaint_changed", f"{record.kind_label.lower()} {record.id}: {', '.join(changed)} changed")


def _received_in(period: Period, team_ids: list[int] | None = None) -> Select[Any]:
    query = select(ComplaintOrCompliment).where(
        ComplaintOrCompliment.received_on >= period.first_day, ComplaintOrCompliment.received_on <= period.last_day
    )
    return query if team_ids is None else query.where(ComplaintOrCompliment.team_id.in_(team_ids))


def visible_entries(user: User, period: Period) -> list[ComplaintOrCompliment]:
    """The period's entries in the user's part of the organisation: all, their service's, or their team's."""
    query = _received_in(period).join(Team).options(selectinload(ComplaintOrCompliment.team).selectinload(Team.service))
    role = Role(user.role)
    if role is Role.SERVICE_MANAGER:
        query = query.where(Team.service_id == user.service_id)
    elif role is not Role.QA_ADMIN:
        query = query.where(ComplaintOrCompliment.team_id == user.team_id)
    query = query.order_by(ComplaintOrCompliment.received_on.desc(), ComplaintOrCompliment.id.desc())
    return list(db.session.scalars(query))


def kind_counts(period: Period, team_ids: list[int] | None = None) -> dict[str, int]:
    """How many of each kind were received in the period (for these teams), and how many complaints upheld."""
    query = (
        _received_in(period, team_ids)
        .with_only_columns(ComplaintOrCompliment.kind, ComplaintOrCompliment.outcome, func.count())
        .group_by(ComplaintOrCompliment.kind, ComplaintOrCompliment.outcome)
    )
    counts = dict.fromkeys([*COMPLAINT_KINDS, "upheld"], 0)
    for kind, outcome, count in db.session.execute(query):
        counts[kind] = counts.get(kind, 0) + count
        if kind == "complaint" and outcome in ("upheld", "partly_upheld"):
            counts["upheld"] += count
    return counts


def complaints_data(period: Period, previous: Period) -> ComplaintsData:
    """Every entry received in ``period``, and how many of each kind in ``previous``, for the workbook."""
    query = _received_in(period).options(selectinload(ComplaintOrCompliment.team).selectinload(Team.service))
    records = db.session.scalars(query.order_by(ComplaintOrCompliment.received_on, ComplaintOrCompliment.id))
    before = kind_counts(previous)
    return ComplaintsData(
        kinds=tuple(COMPLAINT_KINDS.values()),
        themes=tuple(COMPLAINT_THEMES.values()),
        outcomes=tuple(COMPLAINT_OUTCOMES.values()),
        rows=tuple(
            ComplaintRow(
                id=record.id,
                received_on=record.received_on,
                kind=record.kind_label,
                team=record.team.name,
                service=record.team.service.name,
                theme=record.theme_label,
                outcome=record.outcome_label,
                learning=record.learning,
            )
            for record in records
        ),
        previous=tuple(before[kind] for kind in COMPLAINT_KINDS),
    )


def write_entries_csv(data: ComplaintsData, stream: TextIO) -> int:
    """The period's entries as CSV, text defused as in every CSV file QAF writes; returns the number of rows."""
    writer = csv.writer(stream)
    writer.writerow(CSV_HEADERS)
    for row in data.rows:
        values = (row.id, row.received_on, row.kind, row.team, row.service, row.theme, row.outcome, row.learning)
        writer.writerow([safe_cell(value) for value in values])
    return len(data.rows)


def entries_csv_bytes(period: Period, user: User) -> bytes:
    """Every entry received in ``period`` as a CSV file (for every team), logged as the user's export."""
    stream = io.StringIO()
    rows = write_entries_csv(complaints_data(period, period.previous()), stream)

    def log() -> None:
        record_event("export", f"CSV of complaints and compliments for {period.name}: {rows:,} rows; downloaded")

    run_write_transaction(log)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")
