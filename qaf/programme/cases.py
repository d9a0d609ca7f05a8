"""Importing the case list in one transaction, and reading cases back for the sample rules."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm import aliased

from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import Audit, Case, Service, Team, User, utc_now
from qaf.programme.casefile import TeamInfo, parse_case_file
from qaf.programme.sampling import NO_SUPERVISOR, CaseRow

COMPARED = (
    "team_id",
    "worker_email",
    "worker_id",
    "supervisor_email",
    "opened_on",
    "assessed_on",
    "last_reviewed_on",
    "closed_on",
    "step_up",
    "step_down",
    "returning",
    "agency_type",
)


class CaseFileError(Exception):
    """The file was refused: nothing was imported. ``problems`` lists every problem, by line."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the case file")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.added:,} cases added, {self.updated:,} updated, {self.unchanged:,} unchanged"


def _team_lookup() -> dict[str, TeamInfo]:
    lookup: dict[str, TeamInfo] = {}
    for team, service in db.session.execute(select(Team, Service).join(Service, Team.service_id == Service.id)):
        info = TeamInfo(team.id, frozenset({service.name.casefold(), service.slug.casefold()}))
        lookup[team.slug.casefold()] = info
        lookup.setdefault(team.name.casefold(), info)
    return lookup


def import_cases(data: bytes, filename: str) -> ImportResult:
    """Add new cases and update changed ones, by reference, in one transaction; or refuse the whole file.

    Importing the same file again changes nothing. A case that a later file leaves out is kept.
    Raises ``CaseFileError`` with every problem found.
    """
    users = dict(db.session.execute(select(User.email, User.id)).all())
    parsed = parse_case_file(data, teams=_team_lookup(), users=users)
    if parsed.problems:
        raise CaseFileError(parsed.problems)

    def work() -> ImportResult:
        query = select(Case.reference, Case.id, *(getattr(Case, name) for name in COMPARED))
        existing = {reference: (case_id, tuple(values)) for reference, case_id, *values in db.session.execute(query)}
        now = utc_now()
        added: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for row in parsed.rows:
            stored = existing.get(row["reference"])
            if stored is None:
                added.append(row | {"imported_at": now, "updated_at": now})
            elif stored[1] != tuple(row[name] for name in COMPARED):
                changed.append({"case_id": stored[0], **{name: row[name] for name in COMPARED}, "updated_at": now})
        # Core statements, one each, run for every row: the ORM's bulk insert would split the rows
        # into a batch for each pattern of empty values. Core names values by column, not attribute.
        table = Case.__table__
        column = {attribute.key: attribute.columns[0].key for attribute in inspect(Case).column_attrs}
        if added:
            db.session.execute(insert(table), [{column[name]: value for name, value in row.items()} for row in added])
        if changed:
            statement = update(table).where(table.c.id == bindparam("case_id"))
            db.session.execute(
                statement,
                [{column.get(name, name): value for name, value in row.items()} for row in changed],
            )
        result = ImportResult(len(added), len(changed), len(parsed.rows) - len(added) - len(changed))
        record_event("cases_imported", f"{filename[:200]}: {result}")
        return result

    return run_write_transaction(work)


def case_rows() -> list[CaseRow]:
    """Every case as the sample rules see it; the supervisor is the file's, else the worker's line manager."""
    worker, manager = aliased(User), aliased(User)
    query = (
        select(
            Case.id,
            Case.reference,
            Case.team_id,
            Case.opened_on,
            Case.assessed_on,
            Case.last_reviewed_on,
            Case.closed_on,
            Case.step_up,
            Case.step_down,
            Case.returning,
            Case.agency_type,
            Case.supervisor_email,
            manager.email,
            Case.worker_id,
            Case.worker_email,
        )
        .outerjoin(worker, Case.worker_id == worker.id)
        .outerjoin(manager, worker.line_manager_id == manager.id)
    )
    return [
        CaseRow(
            id=row[0],
            reference=row[1],
            team_id=row[2],
            opened_on=row[3],
            assessed_on=row[4],
            last_reviewed_on=row[5],
            closed_on=row[6],
            step_up=row[7],
            step_down=row[8],
            returning=row[9],
            agency_type=row[10],
            supervisor=row[11] or row[12] or NO_SUPERVISOR,
            worker_id=row[13],
            worker_email=row[14],
        )
        for row in db.session.execute(query)
    ]


def recently_audited(as_of: date, days: int) -> set[str]:
    """References of cases with an audit started in the ``days`` before ``as_of``."""
    since = as_of - timedelta(days=days)
    query = select(Audit.case_reference).where(Audit.created_at >= since).distinct()
    return set(db.session.scalars(query))
