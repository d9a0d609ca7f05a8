"""Reading the case list the case system exports (CSV): every problem found, by line number.

Plain Python, no Flask and no database: the caller passes in the teams and staff it knows.
The columns are documented in the README ("QA programme") and in ``COLUMNS`` below.
"""

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{0,39}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# Column -> (required, what it holds). Headers are matched ignoring case, spaces and hyphens.
COLUMNS = {
    "reference": (True, "the pseudonymous case reference from the case system, e.g. EH-104233; never a name"),
    "team": (True, "the team that holds the case: its slug (ashford-ehu) or its name, as in Services and teams"),
    "service": (False, "the team's service, checked against the team if given"),
    "worker": (False, "the allocated worker's work email address"),
    "supervisor": (False, "the worker's supervisor's work email address (else their line manager in QAF)"),
    "opened": (True, "the date the case was opened"),
    "assessed": (False, "the date the assessment was completed (the plan starts then)"),
    "last_reviewed": (False, "the date of the last review"),
    "closed": (False, "the date the case was closed; empty while it is open"),
    "step_up": (False, "yes if the case stepped up to social work"),
    "step_down": (False, "yes if the case stepped down to early help"),
    "returning": (False, "yes if the family has returned"),
    "agency_type": (False, "the type of agency delivering the work, e.g. Health visiting"),
}
DATE_COLUMNS = {
    "opened": "opened_on",
    "assessed": "assessed_on",
    "last_reviewed": "last_reviewed_on",
    "closed": "closed_on",
}
FLAG_COLUMNS = ("step_up", "step_down", "returning")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class TeamInfo:
    id: int
    # The names and slug of the team's service, folded, for checking the service column.
    service_names: frozenset[str]


@dataclass
class CaseFileCheck:
    """What reading a case file found so far: lines read, good cases, and its problems in line order.

    Only the first ``kept`` problems are kept (a file of the wrong columns can have one on every
    line), with the count of them all.
    """

    kept: int = 100
    lines: int = 0
    cases: int = 0
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    def add(self, problem: str) -> None:
        self.problem_count += 1
        if len(self.problems) < self.kept:
            self.problems.append(problem)


def _header(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _date(text: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY; ValueError otherwise. Hand-written: strptime is most of an import's time."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return date.fromisoformat(text)
    day, month, year = text.split("/")
    if len(year) != 4 or not (day.isdigit() and month.isdigit() and year.isdigit()):
        raise ValueError(text)
    return date(int(year), int(month), int(day))


def read_case_file(
    stream: BinaryIO, *, teams: Mapping[str, TeamInfo], users: Mapping[str, int], check: CaseFileCheck
) -> Iterator[dict[str, Any]]:
    """The cases in ``stream`` as rows of column values, one at a time; every problem found goes in ``check``.

    ``teams`` maps each team's slug and name (folded) to the team; ``users`` maps staff email
    addresses to their ids, so a worker who has an account is linked to it. The file is read as
    it goes (a county's list need not fit in memory); only the references seen are kept, to find
    a case listed twice.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from _cases(csv.reader(text), teams, users, check)
    except UnicodeDecodeError:
        check.problems.clear()
        check.problem_count = 0
        check.add("The file is not UTF-8 text: save it from your spreadsheet as ‘CSV UTF-8’")
    finally:
        text.detach()  # the caller's stream stays open: the import reads it a second time


def _cases(
    reader: Any, teams: Mapping[str, TeamInfo], users: Mapping[str, int], check: CaseFileCheck
) -> Iterator[dict[str, Any]]:
    try:
        header = next(reader, None)
    except csv.Error as error:
        check.add(f"Line 1: {error}")
        return
    if not header or not any(cell.strip() for cell in header):
        check.add("The file is empty: the first line must name the columns")
        return
    columns = [_header(name) for name in header]
    for name in columns:
        if name not in COLUMNS:
            check.add(f"Line 1: unknown column ‘{_shown(name)}’. The columns are: {', '.join(COLUMNS)}")
    for name in dict.fromkeys(name for name in columns if columns.count(name) > 1):
        check.add(f"Line 1: the column ‘{name}’ appears more than once")
    for name, (required, _meaning) in COLUMNS.items():
        if required and name not in columns:
            check.add(f"Line 1: the column ‘{name}’ is missing")
    if check.problem_count:
        return

    first_seen: dict[str, int] = {}
    line = 1
    try:
        for cells in reader:
            start = line + 1
            line = check.lines = reader.line_num
            if not cells or not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                check.add(f"Line {start}: has {len(cells)} values but the first line names {len(columns)} columns")
                continue
            values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
            found: list[str] = []
            row = _row(values, start, teams, users, found)
            for problem in found:
                check.add(problem)
            if row is None:
                continue
            reference = row["reference"]
            if reference in first_seen:
                check.add(f"Line {start}: the case reference {reference} is also on line {first_seen[reference]}")
                continue
            first_seen[reference] = start
            check.cases += 1
            yield row
    except csv.Error as error:
        check.add(f"Line {reader.line_num}: {error}")
    if not check.cases and not check.problem_count:
        check.add("The file has no cases: only the line naming the columns")


def _row(
    values: dict[str, str], line: int, teams: Mapping[str, TeamInfo], users: Mapping[str, int], problems: list[str]
) -> dict[str, Any] | None:
    found: list[str] = []
    reference = values["reference"]
    if not reference:
        found.append("reference: enter the case reference")
    elif not CASE_REFERENCE.fullmatch(reference):
        # Not repeated back: a value that is not a reference may be a child's name, and the problems are kept.
        found.append(
            "reference: this is not a case reference (letters, numbers, hyphens, slashes and underscores, up to 40)"
        )
    team = teams.get(values["team"].casefold())
    if not values["team"]:
        found.append("team: enter the team")
    elif team is None:
        found.append(f"team: there is no team ‘{_shown(values['team'])}’ in Services and teams")
    elif values.get("service") and values["service"].casefold() not in team.service_names:
        found.append(f"service: ‘{_shown(values['service'])}’ is not the service of team ‘{_shown(values['team'])}’")
    emails = {}
    for name in ("worker", "supervisor"):
        email = values.get(name, "").lower()
        if email and not EMAIL.fullmatch(email):
            found.append(f"{name}: ‘{_shown(email)}’ is not an email address")
        emails[name] = email[:254]
    dates: dict[str, date | None] = {}
    for column, attribute in DATE_COLUMNS.items():
        text = values.get(column, "")
        if not text:
            if COLUMNS[column][0]:
                found.append(f"{column}: enter the date the case was opened")
            dates[attribute] = None
            continue
        try:
            dates[attribute] = _date(text)
        except (ValueError, OverflowError):  # OverflowError: a day or month of 20 digits
            found.append(f"{column}: ‘{_shown(text)}’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY")
            dates[attribute] = None
    opened, closed = dates["opened_on"], dates["closed_on"]
    if opened and closed and closed < opened:
        found.append("closed: the case is closed before it was opened")
    flags = {}
    for column in FLAG_COLUMNS:
        text = values.get(column, "").lower()
        if text not in YES | NO:
            found.append(f"{column}: ‘{_shown(text)}’ is not yes or no")
        flags[column] = text in YES
    agency_type = values.get("agency_type", "")
    if len(agency_type) > 120:
        found.append("agency_type: must be 120 characters or less")
    if found:
        problems.extend(f"Line {line}: {problem}" for problem in found)
        return None
    assert team is not None
    return {
        "reference": reference.upper(),
        "team_id": team.id,
        "worker_email": emails["worker"],
        "worker_id": users.get(emails["worker"]) if emails["worker"] else None,
        "supervisor_email": emails["supervisor"],
        **dates,
        **flags,
        "agency_type": agency_type,
    }
