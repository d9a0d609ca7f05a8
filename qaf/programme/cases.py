"""Importing the case list in one transaction, a batch at a time, and reading cases back for the sample rules."""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any, BinaryIO

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm import aliased

from qaf.audit_log import record_event
from qaf.csv_upload import fold
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import Audit, Case, CaseHeading, Service, Team, User, utc_now
from qaf.programme.casefile import COLUMNS, CaseFileCheck, TeamInfo, read_case_file
from qaf.programme.post_closure import NewlyClosed, PostClosureDraw, current_setting
from qaf.programme.sampling import NO_SUPERVISOR, CaseRow, new_seed
from qaf.reports.periods import uk_today

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
CLOSED_ON = COMPARED.index("closed_on")


# Rows a statement: big enough that a county's list takes a hundred statements, small enough to hold.
BATCH_ROWS = 5000

Progress = Callable[[str, int], None]


class CaseFileError(Exception):
    """The file was refused: nothing was imported. ``problems`` lists the first problems, by line;
    ``count`` says how many there were in all."""

    def __init__(self, problems: list[str], count: int | None = None):
        self.count = len(problems) if count is None else count
        super().__init__(f"{self.count} problem(s) in the case file")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    # The file's headings that are no column, as written: read past.
    ignored: tuple[str, ...] = ()
    # The teams the file had cases for.
    team_ids: tuple[int, ...] = ()
    # The draw of newly closed cases for post-closure feedback; None when the QA team has it off.
    post_closure: PostClosureDraw | None = None

    def __str__(self) -> str:
        text = f"{self.added:,} cases added, {self.updated:,} updated, {self.unchanged:,} unchanged"
        if draw := self.post_closure:
            text += (
                f"; post-closure feedback: {draw.found:,} newly closed, {draw.chosen:,} chosen ({draw.percent}%,"
                f" seed {draw.seed}), {draw.sent:,} sent, {draw.listed:,} listed for their workers"
            )
        return text


def saved_headings() -> dict[str, str]:
    """The headings the QA team mapped to columns, folded, as the case file reader takes them."""
    return {
        fold(heading): column for column, heading in db.session.execute(select(CaseHeading.column, CaseHeading.heading))
    }


def heading_problems(headings: dict[str, str]) -> list[tuple[str, str]]:
    """``(column, message)`` for each heading that cannot be saved: one that names another column, or two alike."""
    own = {fold(alias): column.name for column in COLUMNS for alias in (column.name, *column.aliases)}
    problems: list[tuple[str, str]] = []
    first: dict[str, str] = {}
    for column, heading in headings.items():
        folded = fold(heading)
        if not folded:
            continue
        if own.get(folded, column) != column:
            problems.append((column, f"‘{heading}’ is already a heading for the column {own[folded]}"))
        elif folded in first:
            problems.append((column, f"‘{heading}’ is also the heading for the column {first[folded]}"))
        first.setdefault(folded, column)
    return problems


def save_headings(headings: dict[str, str]) -> None:
    """Keep the council's headings (column -> heading; empty for none), in the caller's transaction."""
    stored = {found.column: found for found in db.session.scalars(select(CaseHeading))}
    for column, heading in headings.items():
        heading = heading.strip()
        if column in stored and not heading:
            db.session.delete(stored[column])
        elif column in stored:
            stored[column].heading = heading
        elif heading:
            db.session.add(CaseHeading(column=column, heading=heading))
    record_event(
        "case_headings_changed",
        ", ".join(f"{column}: {heading}" for column, heading in headings.items() if heading)[:500],
    )


def _team_lookup() -> dict[str, TeamInfo]:
    lookup: dict[str, TeamInfo] = {}
    for team, service in db.session.execute(select(Team, Service).join(Service, Team.service_id == Service.id)):
        info = TeamInfo(team.id, frozenset({service.name.casefold(), service.slug.casefold()}))
        lookup[team.slug.casefold()] = info
        lookup.setdefault(team.name.casefold(), info)
    return lookup


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch


def import_cases(
    source: bytes | BinaryIO,
    filename: str,
    *,
    progress: Progress | None = None,
    actor: User | None = None,
    import_id: int | None = None,
    seed: int | None = None,
) -> ImportResult:
    """Add new cases and update changed ones, by reference, in one transaction; or refuse the whole file.

    Importing the same file again changes nothing. A case that a later file leaves out is kept; each case
    listed is marked with ``import_id`` (the upload's record), so that the cases a file left out can be
    found (qaf/programme/left_out.py), and a case closed for being left out is opened to the file again.
    Raises ``CaseFileError`` with the problems found. ``source`` is read twice, as it goes: every
    line is checked first, then the cases are stored a batch at a time, so memory stays flat
    however long the list. ``progress("checking" or "importing", rows)`` is told of each batch (while
    importing, from inside the transaction: it must not write to the database). ``actor`` is who
    the audit log names when no one is signed in (the worker), and who makes the post-closure
    invitations (qaf/programme/post_closure.py: cases newly closed, drawn with ``seed``, a new one
    if not given); a ``contact`` column is used only for those and stored nowhere.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    users = dict(db.session.execute(select(User.email, User.id)).all())
    teams = _team_lookup()
    headings = saved_headings()
    # The day in England: a date in the file after it is not real yet.
    today = uk_today()
    check = CaseFileCheck()
    for _row in read_case_file(stream, teams=teams, users=users, check=check, today=today, headings=headings):
        if progress and check.cases % BATCH_ROWS == 0:
            progress("checking", check.lines)
    if progress:
        progress("checking", check.lines)
    if check:
        raise CaseFileError(check.messages, check.count)
    if progress:
        progress("importing", 0)
    # Core statements, one each, run for every row: the ORM's bulk insert would split the rows
    # into a batch for each pattern of empty values. Core names values by column, not attribute.
    table = Case.__table__
    column = {attribute.key: attribute.columns[0].key for attribute in inspect(Case).column_attrs}
    compared = select(Case.reference, Case.id, Case.closed_by_import_id, *(getattr(Case, name) for name in COMPARED))
    update_statement = update(table).where(table.c.id == bindparam("case_id"))

    setting = current_setting()
    draw_seed = new_seed() if seed is None else seed

    def work() -> ImportResult:
        stream.seek(0)
        again = CaseFileCheck()
        closed = NewlyClosed(setting, today) if setting.enabled else None
        now = utc_now()
        added = changed = rows = 0
        team_ids: set[int] = set()
        rows_again = read_case_file(stream, teams=teams, users=users, check=again, today=today, headings=headings)
        for batch in _batches(rows_again):
            references = [row["reference"] for row in batch]
            existing = {
                reference: (case_id, closed_by_import, tuple(values))
                for reference, case_id, closed_by_import, *values in db.session.execute(
                    compared.where(Case.reference.in_(references))
                )
            }
            new: list[dict[str, Any]] = []
            differing: list[dict[str, Any]] = []
            for row in batch:
                contact = row.pop("contact")
                stored = existing.get(row["reference"])
                team_ids.add(row["team_id"])
                if closed is not None:
                    closed.note(row, contact, None if stored is None else stored[2][CLOSED_ON])
                if stored is None:
                    new.append(
                        {column[name]: value for name, value in row.items()}
                        | {"imported_at": now, "updated_at": now, "last_import_id": import_id}
                    )
                elif stored[1] is not None or stored[2] != tuple(row[name] for name in COMPARED):
                    differing.append(
                        {
                            "case_id": stored[0],
                            **{column[name]: row[name] for name in COMPARED},
                            "updated_at": now,
                            "closed_by_import_id": None,
                        }
                    )
            if new:
                db.session.execute(insert(table), new)
            if differing:
                db.session.execute(update_statement, differing)
            if import_id is not None and existing:
                listed = update(table).where(table.c.reference.in_(list(existing))).values(last_import_id=import_id)
                db.session.execute(listed)
            added, changed, rows = added + len(new), changed + len(differing), rows + len(batch)
            if progress:
                progress("importing", rows)
        if again:  # a team removed since the check: still nothing half-imported
            raise CaseFileError(again.messages, again.count)
        draw = closed.invite(seed=draw_seed, import_id=import_id, by=actor) if closed is not None else None
        result = ImportResult(
            added, changed, rows - added - changed, tuple(check.ignored), tuple(sorted(team_ids)), draw
        )
        record_event("cases_imported", f"{filename[:200]}: {result}", actor=actor)
        return result

    return run_write_transaction(work)


def case_rows() -> list[CaseRow]:
    """Every case as the sample rules see it; the supervisor is the file's, else the worker's line manager.

    A case the QA team closed because an import's file left it out is no longer in the case system's
    list: it is not among them (its closing date is the import's, not the case system's).
    """
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
        .where(Case.closed_by_import_id.is_(None))
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
