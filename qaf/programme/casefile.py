"""Reading the case list the case system exports (CSV): every problem found, by line number.

Plain Python, no Flask and no database: the caller passes in the teams and staff it knows.
The columns are documented in the README ("QA programme") and in ``COLUMNS`` below.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from qaf.contacts import contact
from qaf.csv_upload import Column, CSVFile, Problems, parse_date, shown

CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{0,39}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# The columns, in the order the import page lists them. Headings are matched ignoring case,
# spaces, underscores and hyphens, under the name or an alias, or as the QA team mapped them.
COLUMNS = (
    Column(
        "reference",
        True,
        "the pseudonymous case reference from the case system, e.g. EH-104233; never a name",
        ("case reference", "case ref", "case number", "reference number"),
    ),
    Column(
        "team",
        True,
        "the team that holds the case: its slug (ashford-ehu) or its name, as in Services and teams",
        ("team name", "team slug", "allocated team"),
    ),
    Column("service", False, "the team's service, checked against the team if given", ("service name",)),
    Column(
        "worker",
        False,
        "the allocated worker's work email address",
        ("worker email", "allocated worker", "key worker", "lead practitioner"),
    ),
    Column(
        "supervisor",
        False,
        "the worker's supervisor's work email address (else their line manager in QAF)",
        ("supervisor email",),
    ),
    Column("opened", True, "the date the case was opened", ("opened on", "date opened", "open date", "start date")),
    Column(
        "assessed",
        False,
        "the date the assessment was completed (the plan starts then)",
        ("assessed on", "date assessed", "assessment date", "assessment completed"),
    ),
    Column(
        "last_reviewed",
        False,
        "the date of the last review",
        ("last reviewed on", "last review", "last review date", "date of last review"),
    ),
    Column(
        "closed",
        False,
        "the date the case was closed; empty while it is open",
        ("closed on", "date closed", "close date", "closure date", "end date"),
    ),
    Column("step_up", False, "yes if the case stepped up to social work", ("stepped up",)),
    Column("step_down", False, "yes if the case stepped down to early help", ("stepped down",)),
    Column("returning", False, "yes if the family has returned", ("returning family", "returner")),
    Column("agency_type", False, "the type of agency delivering the work, e.g. Health visiting", ("agency",)),
    Column(
        "contact",
        False,
        "the family's UK mobile number or email address, for post-closure feedback: a case closed since the last"
        " import is sent its link (if chosen), then the contact is deleted; it is never stored with the case",
        ("mobile", "email", "phone", "mobile or email", "mobile number", "phone number", "email address"),
    ),
)
REQUIRED = {column.name for column in COLUMNS if column.required}
DATE_COLUMNS = {
    "opened": "opened_on",
    "assessed": "assessed_on",
    "last_reviewed": "last_reviewed_on",
    "closed": "closed_on",
}
FLAG_COLUMNS = ("step_up", "step_down", "returning")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
DATE_WORDS = "use YYYY-MM-DD or DD/MM/YYYY"


@dataclass(frozen=True)
class TeamInfo:
    id: int
    # The names and slug of the team's service, folded, for checking the service column.
    service_names: frozenset[str]


class CaseFileCheck(Problems):
    """What reading a case file found so far: lines read, good cases, ignored columns and the problems.

    Only the first ``kept`` problems are kept (a file of the wrong columns can have one on every
    line), with the count of them all.
    """

    def __init__(self, kept: int = 100):
        super().__init__(kept)
        self.lines = 0
        self.cases = 0
        self.ignored: list[str] = []


def read_case_file(
    stream: BinaryIO,
    *,
    teams: Mapping[str, TeamInfo],
    users: Mapping[str, int],
    check: CaseFileCheck,
    today: date,
    headings: Mapping[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """The cases in ``stream`` as rows of column values, one at a time; every problem found goes in ``check``.

    ``teams`` maps each team's slug and name (folded) to the team; ``users`` maps staff email
    addresses to their ids, so a worker who has an account is linked to it; ``headings`` maps
    the council's own headings (folded) to columns. No date may be after ``today``: the case
    system wrote the file on or before the day it is imported. The file is read as it goes (a county's list
    need not fit in memory); only the references seen are kept, to find a case listed twice.
    """
    file = CSVFile(stream, COLUMNS, check, headings=headings)
    first_seen: dict[str, int] = {}
    for line, values in file.rows():
        check.lines = file.lines
        row = _row(values, line, teams, users, check, today)
        if row is None:
            continue
        reference = row["reference"]
        if reference in first_seen:
            check.add(line, f"the case reference {reference} is also on line {first_seen[reference]}")
            continue
        first_seen[reference] = line
        check.cases += 1
        yield row
    check.lines, check.ignored = file.lines, file.ignored
    check.finish(f"{{rows}} rows are not real dates; {DATE_WORDS}")
    if not check.cases and not check:
        check.add(0, "The file has no cases: only the line naming the columns")


def _row(
    values: dict[str, str],
    line: int,
    teams: Mapping[str, TeamInfo],
    users: Mapping[str, int],
    check: CaseFileCheck,
    today: date,
) -> dict[str, Any] | None:
    bad = False

    def found(problem: str) -> None:
        nonlocal bad
        bad = True
        check.add(line, problem)

    reference = values["reference"]
    if not reference:
        found("reference: enter the case reference")
    elif not CASE_REFERENCE.fullmatch(reference):
        # Not repeated back: a value that is not a reference may be a child's name, and the problems are kept.
        found("reference: this is not a case reference (letters, numbers, hyphens, slashes and underscores, up to 40)")
    team = teams.get(values["team"].casefold())
    if not values["team"]:
        found("team: enter the team")
    elif team is None:
        found(f"team: there is no team ‘{shown(values['team'])}’ in Services and teams")
    elif values["service"] and values["service"].casefold() not in team.service_names:
        found(f"service: ‘{shown(values['service'])}’ is not the service of team ‘{shown(values['team'])}’")
    emails = {}
    for name in ("worker", "supervisor"):
        email = values[name].lower()
        if email and not EMAIL.fullmatch(email):
            found(f"{name}: ‘{shown(email)}’ is not an email address")
        emails[name] = email[:254]

    def held(column: str, problem: str, many: str) -> None:
        # Told by column when many rows have it: a column mapped from the wrong heading is one problem.
        nonlocal bad
        bad = True
        check.add_in_column(column, line, values[column], f"{column}: {problem}", many)

    dates: dict[str, date | None] = {}
    today_words = f"today is {today.day} {today:%B %Y}"
    for column, attribute in DATE_COLUMNS.items():
        text = values[column]
        dates[attribute] = None
        if not text:
            if column in REQUIRED:
                found(f"{column}: enter the date the case was opened")
            continue
        try:
            given = parse_date(text)
        except (ValueError, OverflowError):  # OverflowError: a day or month of 20 digits
            # Held by column: a whole column of dates the wrong way round is one problem, not thousands.
            check.add_in_column(column, line, text, f"{column}: ‘{shown(text)}’ is not a real date; {DATE_WORDS}")
            bad = True
            continue
        if given > today:
            held(
                column,
                f"‘{shown(text)}’ is in the future ({today_words})",
                f"{{rows}} dates are in the future ({today_words})",
            )
        dates[attribute] = given
    opened, reviewed, closed = dates["opened_on"], dates["last_reviewed_on"], dates["closed_on"]
    if opened and closed and closed < opened:
        found("closed: the case is closed before it was opened")
    if opened and reviewed and reviewed < opened:
        held(
            "last_reviewed",
            "the case was reviewed before it was opened",
            "{rows} cases were reviewed before they were opened",
        )
    if closed and reviewed and reviewed > closed:
        held(
            "last_reviewed",
            "the case was reviewed after it was closed",
            "{rows} cases were reviewed after they were closed",
        )
    flags = {}
    for column in FLAG_COLUMNS:
        text = values[column].lower()
        if text not in YES | NO:
            found(f"{column}: ‘{shown(text)}’ is not yes or no")
        flags[column] = text in YES
    agency_type = values["agency_type"]
    if len(agency_type) > 120:
        found("agency_type: must be 120 characters or less")
    reach = contact(values["contact"]) if values["contact"].strip() else None
    if values["contact"].strip() and reach is None:
        # Not repeated back: the problems are kept with the import, and a contact is kept nowhere.
        found("contact: this is not a UK mobile number or an email address")
    if bad:
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
        # ("sms", number) or ("email", address), or None: for post-closure feedback only, never stored.
        "contact": reach,
    }
