"""Counting a period's responses, audits and actions in the database, for every report.

One row comes back per period, version, team, question and distinct answer, never one per
response. Reading the answers out of their JSON is the cost, so each answer set is read once
for all its questions, and the grouping reads the columns pulled out (see ``_answers_query``).
The same SQL runs on SQLite and PostgreSQL; the tests run on both.

The queries are independent, so the pages run them side by side on their own connections;
the workbook runs them one after another in its single snapshot.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from qaf.extensions import db
from qaf.models import ActionChange, Audit, AuditAction, FormVersion, Response, ResponseVoid
from qaf.programme.peer_review import graded_pairs
from qaf.reports.measures import CURRENT, question_measures
from qaf.reports.periods import Period, local_midnight_utc
from qaf.reports.report import VersionInfo
from qaf.reports.versions import versions

SIDE_BY_SIDE = 4
VALUE_COLUMNS = ["bucket", "version_id", "team_id", "question", "value", "count"]
TOTAL_COLUMNS = ["bucket", "version_id", "team_id", "count"]
GRADE_COLUMNS = ["bucket", "version_id", "team_id", "grade", "count", "scaling_sum", "scaling_n"]
ACTION_COLUMNS = ["bucket", "team_id", "raised", "completed", "overdue"]
PAIR_COLUMNS = ["bucket", "version_id", "team_id", "first", "second", "count"]
AnswerModel = type[Response] | type[Audit]


@dataclass(frozen=True)
class Window:
    """The period and the one before it, as one range of stored (UTC) times split in two.

    With ``team_ids`` only those teams' responses, audits and actions are read (a team summary,
    or the dashboard filtered to a service or team); with ``by_team`` False the teams' counts
    come back added together.
    """

    period: Period
    previous: Period
    start: datetime
    split: datetime
    end: datetime
    team_ids: tuple[int, ...] | None = None
    by_team: bool = True
    # Responses are read by id up to ``responses_up_to`` and, when only the newest are wanted (to add
    # to counts kept from before), after ``responses_after``; audits, grades and actions are not read then.
    responses_up_to: int | None = None
    responses_after: int | None = None
    # Audits left out of every count: the first audits of blind peer reviews the viewer has still to do.
    hidden_audits: tuple[int, ...] = ()

    @classmethod
    def of(cls, period: Period, team_ids: Iterable[int] | None = None, *, by_team: bool = True) -> "Window":
        previous = period.previous()
        start, _ = previous.utc_bounds()
        split, end = period.utc_bounds()
        return cls(period, previous, start, split, end, None if team_ids is None else tuple(team_ids), by_team)

    def of_teams(self, column: Any) -> list[ColumnElement[bool]]:
        return [] if self.team_ids is None else [column.in_(self.team_ids)]

    def shown_audits(self, column: Any) -> list[ColumnElement[bool]]:
        """No audit in ``hidden_audits``: what a second auditor may not see yet is in no figure for them."""
        return [column.not_in(self.hidden_audits)] if self.hidden_audits else []

    def bucket(self, column: Any) -> ColumnElement[int]:
        # Aliases start "report_": PostgreSQL reads a name in GROUP BY as a table column before an alias.
        return case((column >= self.split, CURRENT), else_=1 - CURRENT).label("report_bucket")

    def holds(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)

    def current(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.split, column < self.end)


def stamp() -> tuple[Any, ...]:
    """A value that changes whenever anything the reports count changes.

    Responses are only ever added; voids are added, and undone once at most (so the newest
    void and how many were undone say which responses are voided); audits change when saved, submitted or moderated
    (``updated_at``, ``moderated_at``); every change to an action adds an ActionChange.
    """
    parts = [
        select(func.max(Response.id)),
        select(func.count()).select_from(Response),
        select(func.max(Audit.id)),
        select(func.count()).select_from(Audit).where(Audit.status == "submitted"),
        select(func.max(Audit.updated_at)),
        select(func.max(Audit.moderated_at)),
        select(func.max(AuditAction.id)),
        select(func.max(ActionChange.id)),
        select(func.max(FormVersion.id)),
        select(func.max(ResponseVoid.id)),
        select(func.count(ResponseVoid.undone_at)),
    ]
    return tuple(db.session.execute(select(*(part.scalar_subquery() for part in parts))).one())


# The stamp's first two parts are the newest response's id and how many responses there are.
RESPONSE_PARTS = 2


def responses_up_to(response_id: int) -> int:
    """How many responses have ids up to ``response_id``: with none ever deleted, the same number
    as when the newest of them was the newest, unless one took its id earlier and was stored later."""
    return int(db.session.scalar(select(func.count()).select_from(Response).where(Response.id <= response_id)) or 0)


# --- What to count ---------------------------------------------------------------------------


def headline_questions(version: VersionInfo) -> set[str]:
    """The questions the headline measures read from this version."""
    return set(question_measures(version))


def choice_questions(version: VersionInfo) -> set[str]:
    """Every question whose answers can be counted: choices, scales and numbers."""
    if version.spec is None:
        return set()
    return {question.id for question in version.spec.questions if question.is_choice or question.type == "number"}


# --- The queries -----------------------------------------------------------------------------


def _base_filter(model: AnswerModel, window: Window) -> list[ColumnElement[bool]]:
    conditions = [window.holds(model.submitted_at), *window.of_teams(model.team_id)]
    if model is Audit:
        conditions.append(Audit.status == "submitted")
        conditions += window.shown_audits(Audit.id)
    if model is Response:
        conditions.append(Response.void_id.is_(None))  # voided responses count in no figure
    if model is Response and window.responses_up_to is not None:
        conditions.append(Response.id <= window.responses_up_to)
    if model is Response and window.responses_after is not None:
        conditions.append(Response.id > window.responses_after)
    return conditions


def version_rows(model: AnswerModel, window: Window, version: VersionInfo) -> list[ColumnElement[bool]]:
    """The conditions for one version's rows. The form key first: it leads the index on (form key,
    submitted). Not when only the newest responses are read: those are found by id, and with the form
    key named SQLite would read the whole period's rows of the form through that index instead."""
    same_version = model.form_version_id == version.id
    return [same_version] if window.responses_after is not None else [model.form_key == version.form_key, same_version]


def _team(model: AnswerModel, window: Window) -> Any:
    return func.coalesce(model.team_id, 0) if window.by_team else literal_column("0")


def _grouping(model: AnswerModel, window: Window, *more: Any) -> list[Any]:
    teams = [model.team_id] if window.by_team else []
    return [literal_column("report_bucket"), model.form_version_id, *teams, *more]


def _rows_query(model: AnswerModel, window: Window, asked: dict[int, str]) -> Select[Any]:
    """Rows per period, version and team and, for the versions in ``asked`` (each asking one of the
    questions counted), per answer to that question.

    The answer is pulled out below a fence (OFFSET 0) and grouped above it: grouping by the
    extraction itself, SQLite would read every JSON text again for the sort.
    """
    columns: list[Any] = [
        window.bucket(model.submitted_at),
        model.form_version_id.label("report_version"),
        _team(model, window).label("report_team"),
    ]
    if asked:
        picks = [
            (model.form_version_id == version, model.answers[question].as_string())
            for version, question in asked.items()
        ]
        columns.append(case(*picks).label("report_answer"))
    else:
        columns.append(null().label("report_answer"))
    rows = select(*columns).where(*_base_filter(model, window)).offset(0).subquery("report_rows")
    keys = list(rows.c)
    return select(*keys, func.count()).group_by(*keys)


def _version_query(model: AnswerModel, window: Window, version: VersionInfo, questions: list[str]) -> Select[Any]:
    """Each question's answers in one version, per period and team: (slot, answer, count) rows, the
    slot being the question's place in ``questions``.

    The answers are pulled out into columns once, in a materialized CTE (SQLite keeps a row's
    parsed JSON for its next ``json_extract``; PostgreSQL keeps answers as JSONB, so each answer
    set is read once), and each question is grouped from there.
    """
    columns: list[Any] = [
        window.bucket(model.submitted_at),
        model.form_version_id.label("report_version"),
        _team(model, window).label("report_team"),
        *(model.answers[question].as_string().label(f"report_slot_{n}") for n, question in enumerate(questions)),
    ]
    conditions = [*_base_filter(model, window), *version_rows(model, window, version)]
    rows = select(*columns).where(*conditions).cte("report_rows").prefix_with("MATERIALIZED")
    keys = [rows.c.report_bucket, rows.c.report_version, rows.c.report_team]
    arms = []
    for number in range(len(questions)):
        value = rows.c[f"report_slot_{number}"]
        counted = select(*keys, literal(number, Integer), value, func.count()).where(value.is_not(None))
        arms.append(counted.group_by(*keys, value))
    return union_all(*arms)  # type: ignore[return-value]


def _grades_query(window: Window) -> Select[Any]:
    grade = func.coalesce(Audit.moderated_grade, Audit.grade).label("report_grade")
    return (
        select(
            window.bucket(Audit.submitted_at),
            Audit.form_version_id,
            _team(Audit, window),
            grade,
            func.count(),
            func.coalesce(func.sum(Audit.scaling), 0),
            func.count(Audit.scaling),
        )
        .where(*_base_filter(Audit, window))
        .group_by(*_grouping(Audit, window, literal_column("report_grade")))
    )


def _pairs_query(window: Window) -> Select[Any]:
    """Peer reviews with both audits submitted, by the first audit's period, version and team, and the
    two auditors' own grades (before moderation: agreement is about how they judged the case)."""
    first, second = aliased(Audit, name="report_first_audit"), aliased(Audit, name="report_second_audit")
    return (
        graded_pairs(
            first,
            second,
            window.bucket(first.submitted_at),
            first.form_version_id,
            _team(first, window),
            first.grade.label("report_first_grade"),
            second.grade.label("report_second_grade"),
            func.count(),
        )
        .where(window.holds(first.submitted_at), *window.of_teams(first.team_id), *window.shown_audits(first.id))
        .group_by(
            *_grouping(first, window, literal_column("report_first_grade"), literal_column("report_second_grade"))
        )
    )


def as_at(period: Period, today: date) -> date:
    """The day overdue actions are counted on: the period's last day, or today if that is earlier."""
    return min(period.last_day, today)


def _actions_query(window: Window, period: Period, today: date) -> Select[Any]:
    """Actions raised and completed in the period, and overdue at its end (or today), per team."""
    start, end = period.utc_bounds()
    day = as_at(period, today)
    cutoff = local_midnight_utc(day + timedelta(days=1))
    overdue: ColumnElement[bool] = and_(
        AuditAction.created_at < cutoff,
        AuditAction.due_date < day,
        or_(AuditAction.completed_at.is_(None), AuditAction.completed_at >= cutoff),
    )
    if day < period.first_day:
        overdue = false()  # the period has not started: nothing can be overdue in it yet
    return (
        select(
            _team(Audit, window),
            func.sum(case((and_(AuditAction.created_at >= start, AuditAction.created_at < end), 1), else_=0)),
            func.sum(case((and_(AuditAction.completed_at >= start, AuditAction.completed_at < end), 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        )
        .join(Audit, AuditAction.audit_id == Audit.id)
        .where(AuditAction.created_at < end, *window.of_teams(Audit.team_id), *window.shown_audits(Audit.id))
        .group_by(*([Audit.team_id] if window.by_team else []))
    )


def run_queries(queries: list[Select[Any]], *, side_by_side: bool) -> list[list[Any]]:
    """Each query's rows: one after another in the session's transaction, or side by side."""
    if not side_by_side or len(queries) < 2:
        return [list(db.session.execute(query)) for query in queries]
    engine = db.engine

    def run(query: Select[Any]) -> list[Any]:
        with engine.connect() as connection:
            return list(connection.execute(query))

    with ThreadPoolExecutor(max_workers=min(SIDE_BY_SIDE, len(queries))) as pool:
        return list(pool.map(run, queries))


def voided_in(window: Window) -> int:
    """How many responses of the period (and teams) the QA team voided: the About sheet says so."""
    query = (
        select(func.count())
        .select_from(Response)
        .where(window.holds(Response.submitted_at), *window.of_teams(Response.team_id), Response.void_id.is_not(None))
    )
    return int(db.session.scalar(query) or 0)


# --- Counting --------------------------------------------------------------------------------


@dataclass
class Counts:
    """What every report is made from: rows, answers, grades and actions per period, version and team."""

    totals: pd.DataFrame
    values: pd.DataFrame
    grades: pd.DataFrame
    actions: pd.DataFrame
    pairs: pd.DataFrame = field(default_factory=lambda: _empty(PAIR_COLUMNS))
    found: dict[int, VersionInfo] = field(default_factory=dict)


def count_everything(
    window: Window,
    questions: Callable[[VersionInfo], set[str]],
    today: date,
    *,
    side_by_side: bool = False,
    totals_only: bool = False,
) -> Counts:
    """Count the window's responses, audits, answers to ``questions``, grades and actions.

    ``found`` holds the versions with anything given in the period or the one before.
    """
    known = versions()
    only_new = window.responses_after is not None
    if only_new:
        # Only the versions the new responses were given against have anything to count.
        new_versions = select(Response.form_version_id).distinct().where(*_base_filter(Response, window))
        given = set(db.session.scalars(new_versions))
        known = {version_id: version for version_id, version in known.items() if version_id in given}
    many = {
        (version_id, question.id)
        for version_id, version in known.items()
        if version.spec is not None
        for question in version.spec.questions
        if question.allows_many
    }
    rows: list[tuple[str, dict[int, str]]] = []
    each_version: list[tuple[str, int, list[str]]] = []
    named: list[tuple[str, Select[Any]]] = []
    for model, is_audit in ((Response, False),) if only_new else ((Response, False), (Audit, True)):
        one: dict[int, str] = {}
        several: list[tuple[str, int, list[str], Select[Any]]] = []
        for version_id, version in known.items():
            asked = sorted(questions(version)) if version.is_audit == is_audit and not totals_only else []
            if len(asked) == 1:
                one[version_id] = asked[0]
            elif asked:
                name = f"version {version_id}"
                several.append((name, version_id, asked, _version_query(model, window, version, asked)))
        # Every row first: the long query, so that side by side it starts at once.
        name = f"rows {len(rows)}"
        rows.append((name, one))
        named.append((name, _rows_query(model, window, one)))
        each_version += [(name, version_id, asked) for name, version_id, asked, _query in several]
        named += [(name, query) for name, _version_id, _asked, query in several]
    if not totals_only and not only_new:
        named += [("grades", _grades_query(window)), ("actions", _actions_query(window, window.period, today))]
        named += [("actions before", _actions_query(window, window.previous, today))]
        named += [("pairs", _pairs_query(window))]
    results = dict(
        zip(
            [name for name, _query in named],
            run_queries([q for _n, q in named], side_by_side=side_by_side),
            strict=True,
        )
    )

    totals, values = [], []
    for name, one_each in rows:
        counted, answers = _read_rows(results[name], one_each, many)
        totals.append(counted)
        values.append(answers)
    values += [_read_version(results[name], version_id, asked, many) for name, version_id, asked in each_version]
    total_frame = _joined(totals, TOTAL_COLUMNS)
    found_ids = {int(version_id) for version_id in total_frame["version_id"]}
    counts = Counts(total_frame, _joined(values, VALUE_COLUMNS), _empty(GRADE_COLUMNS), _empty(ACTION_COLUMNS))
    counts.found = {version_id: known[version_id] for version_id in found_ids if version_id in known}
    if not totals_only and not only_new:
        grades, current, previous = results["grades"], results["actions"], results["actions before"]
        counts.grades = pd.DataFrame(grades, columns=GRADE_COLUMNS).astype(
            {"scaling_sum": "int64", "scaling_n": "int64"}
        )
        counts.actions = pd.DataFrame(
            [(CURRENT, *row) for row in current] + [(1 - CURRENT, *row) for row in previous], columns=ACTION_COLUMNS
        ).fillna(0)
        counts.pairs = pd.DataFrame([tuple(row) for row in results["pairs"]], columns=PAIR_COLUMNS)
    return counts


def with_new_responses(kept: Counts, new: Counts) -> Counts:
    """Counts kept from before with those of the responses stored since added in; the audits,
    grades, actions and peer reviews are the kept ones (the caller checked they have not changed)."""
    totals = _joined([kept.totals, new.totals], TOTAL_COLUMNS)
    values = _joined([kept.values, new.values], VALUE_COLUMNS)
    if not totals.empty:
        totals = totals.groupby(TOTAL_COLUMNS[:-1], as_index=False, sort=False)["count"].sum()
    if not values.empty:
        values = values.groupby(VALUE_COLUMNS[:-1], as_index=False, sort=False)["count"].sum()
    return Counts(totals, values, kept.grades, kept.actions, kept.pairs, kept.found | new.found)


AnswerCounts = dict[tuple[int, int, int, str, Any], int]


def _read_rows(rows: list[Any], asked: dict[int, str], many: set[tuple[int, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Row counts, and counts of each answer of the versions asking one question."""
    totals: dict[tuple[int, int, int], int] = defaultdict(int)
    answers: AnswerCounts = defaultdict(int)
    for bucket, version_id, team_id, value, count in rows:
        key = (int(bucket), int(version_id), int(team_id))
        totals[key] += int(count)
        if version_id in asked:
            _add_answer(answers, key, asked[version_id], value, int(count), many)
    return (
        pd.DataFrame([(*key, count) for key, count in totals.items()], columns=TOTAL_COLUMNS),
        _answer_frame(answers),
    )


def _read_version(rows: list[Any], version_id: int, asked: list[str], many: set[tuple[int, str]]) -> pd.DataFrame:
    answers: AnswerCounts = defaultdict(int)
    for bucket, _version, team_id, slot, value, count in rows:
        _add_answer(answers, (int(bucket), version_id, int(team_id)), asked[slot], value, int(count), many)
    return _answer_frame(answers)


def _add_answer(
    answers: AnswerCounts, key: tuple[int, int, int], question: str, value: Any, count: int, many: set[tuple[int, str]]
) -> None:
    """Count an answer as text (a list of choices as a tuple of text); empty answers are left out."""
    if value is None or value == "":
        return
    if (key[1], question) in many:
        try:
            items = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            items = [value]
        value = tuple(str(item) for item in (items if isinstance(items, list) else [items]))
        if not value:
            return
    else:
        value = str(value)
    answers[(*key, question, value)] += count


def _answer_frame(answers: AnswerCounts) -> pd.DataFrame:
    return pd.DataFrame([(*key, count) for key, count in answers.items()], columns=VALUE_COLUMNS)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def _joined(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else _empty(columns)
