"""Open cases an import's file left out: found among the teams the file covered, closed together if asked.

A file for one service or one team says nothing about the other teams' cases, so only the open
cases of the teams the file has at least one case for are compared with it. A case is left out
when an earlier import (or the command line) brought it in and this file does not list it; a
later file that lists it again takes it back (qaf/programme/cases.py).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update

from qaf.audit_log import record_event
from qaf.extensions import db
from qaf.models import Case, CaseImport, Team, utc_now
from qaf.reports.periods import uk_date

# Cases listed on a page of the import's result: a county's 2,000 are paged, not printed at once.
PAGE_SIZE = 100


@dataclass(frozen=True)
class LeftOutCase:
    reference: str
    team: str
    # When a file last listed it; None for a case from the command line or from before QAF kept this.
    last_imported: datetime | None
    last_changed: datetime


def closing_date(record: CaseImport) -> date:
    """The date a left-out case is closed on: the day its file was uploaded, in England."""
    return uk_date(record.created_at)


def _conditions(record: CaseImport) -> list[Any]:
    return [
        Case.closed_on.is_(None),
        Case.team_id.in_(record.team_ids or []),
        Case.imported_at < record.created_at,
        or_(Case.last_import_id.is_(None), Case.last_import_id < record.id),
    ]


def left_out_count(record: CaseImport) -> int:
    if record.status != "done":
        return 0
    return db.session.scalar(select(func.count()).select_from(Case).where(*_conditions(record))) or 0


def left_out_cases(record: CaseImport, page: int) -> list[LeftOutCase]:
    """One page of them (from 1), by team and reference."""
    if record.status != "done":
        return []
    query = (
        select(Case.reference, Team.name, CaseImport.created_at, Case.updated_at)
        .join(Team, Team.id == Case.team_id)
        .outerjoin(CaseImport, CaseImport.id == Case.last_import_id)
        .where(*_conditions(record))
        .order_by(Team.name, Case.reference)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return [LeftOutCase(*row) for row in db.session.execute(query)]


def covered_teams(record: CaseImport) -> list[str]:
    """The names of the teams the file had cases for."""
    return list(db.session.scalars(select(Team.name).where(Team.id.in_(record.team_ids or [])).order_by(Team.name)))


def close_left_out(record: CaseImport) -> int:
    """Close the open cases the file left out, on the day it was uploaded, in the caller's transaction; how many."""
    day = closing_date(record)
    statement = (
        update(Case)
        .where(*_conditions(record))
        .values(closed_on=day, closed_by_import_id=record.id, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    closed: int = db.session.execute(statement).rowcount  # type: ignore[attr-defined]
    record_event(
        "left_out_cases_closed",
        f"{record.filename[:200]} (import {record.id}): {closed:,} open case{'' if closed == 1 else 's'} "
        f"not in the file closed on {day.isoformat()}",
    )
    return closed
