"""Counting a period's responses, audits and actions in the database, for every report.

One row comes back per period, version, team, question and distinct answer, never one per
response. Answers are JSON text; reading it is the cost, so each answer set is read as few
times as possible (see ``_answer_queries``). Pulling values out of JSON is the one thing
SQLite and PostgreSQL spell differently (``json_each`` and ``json_each_text``), chosen here
by dialect; the tests run on both.

The queries are independent, so the pages run them side by side on their own connections;
the workbook runs them one after another in its single snapshot.
"""

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal_column, or_, select, true
from sqlalchemy.orm import aliased

from qaf.extensions import db
from qaf.models import ActionChange, Allocation, Audit, AuditAction, FormVersion, PeerReview, Response
from qaf.reports.measures import CURRENT, FAMILY_AUDIENCES, HELPED_QUESTION, PARTNER_QUESTION
from qaf.reports.periods import Period, local_midnight_utc
from qaf.reports.report import STAFF_AUDIENCES, VersionInfo
from qaf.reports.versions import versions

# A version asking this many of the questions counted, or fewer, has them pulled out by name.
EXTRACT_AT_MOST = 3
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

    @classmethod
    def of(cls, period: Period, team_ids: Iterable[int] | None = None, *, by_team: bool = True) -> "Window":
        previous = period.previous()
        start, _ = previous.utc_bounds()
        split, end = period.utc_bounds()
        return cls(period, previous, start, split, end, None if team_ids is None else tuple(team_ids), by_team)

    def of_teams(self, column: Any) -> list[ColumnElement[bool]]:
        return [] if self.team_ids is None else [column.in_(self.team_ids)]

    def bucket(self, column: Any) -> ColumnElement[int]:
        # Aliases start "report_": PostgreSQL reads a name in GROUP BY as a table column before an alias.
        return case((column >= self.split, CURRENT), else_=1 - CURRENT).label("report_bucket")

    def holds(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)

    def current(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.split, column < self.end)


def stamp() -> tuple[Any, ...]:
    """A value that changes whenever anything the reports count changes.

    Responses are only ever added; audits change when saved, submitted or moderated
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
    ]
    return tuple(db.session.execute(select(*(part.scalar_subquery() for part in parts))).one())


# --- What to count ---------------------------------------------------------------------------


def headline_questions(version: VersionInfo) -> set[str]:
    """The questions the headline measures read from this version."""
    if version.spec is None:
        return set()
    questions = version.spec.questions
    if version.audience in FAMILY_AUDIENCES:
        return {question.id for question in questions if question.id == HELPED_QUESTION}
    if version.audience == "partner":
        return {question.id for question in questions if question.id == PARTNER_QUESTION}
    if version.audience in STAFF_AUDIENCES:
        return {question.id for question in questions if question.positive and not question.allows_many}
    if version.is_audit:
        return {question.id for question in questions if question.type == "standard"}
    return set()


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
    return conditions


def _team(model: AnswerModel, window: Window) -> Any:
    return func.coalesce(model.team_id, 0) if window.by_team else literal_column("0")


def _grouping(model: AnswerModel, window: Window, *more: Any) -> list[Any]:
    teams = [model.team_id] if window.by_team else []
    return [literal_column("report_bucket"), model.form_version_id, *teams, *more]


@dataclass
class _AnswerQueries:
    """One pass counting rows and pulling out a few questions by name; one walk (json_each) for the rest.

    The pass has a column a "slot": a CASE on the version naming the question that version's
    answer in the slot comes from. Versions asking more than EXTRACT_AT_MOST of the questions
    are walked instead: json_each reads an answer set once whatever the number of questions.
    """

    scan: Select[Any]
    slots: list[dict[int, str]]
    walk: Select[Any] | None


def _answer_queries(model: AnswerModel, window: Window, wanted: dict[int, set[str]]) -> _AnswerQueries:
    walked = [version_id for version_id, asked in wanted.items() if len(asked) > EXTRACT_AT_MOST]
    slots: list[dict[int, str]] = [{} for _ in range(EXTRACT_AT_MOST)]
    for version_id, asked in wanted.items():
        if version_id not in walked:
            for slot, question_id in zip(slots, sorted(asked), strict=False):
                slot[version_id] = question_id
    slots = [slot for slot in slots if slot]
    columns = [
        case(
            *(
                (model.form_version_id == version_id, model.answers[asked].as_string())
                for version_id, asked in slot.items()
            )
        ).label(f"report_slot_{number}")
        for number, slot in enumerate(slots)
    ]
    names: list[Any] = [literal_column(f"report_slot_{number}") for number in range(len(slots))]
    scan = (
        select(window.bucket(model.submitted_at), model.form_version_id, _team(model, window), *columns, func.count())
        .where(*_base_filter(model, window))
        .group_by(*_grouping(model, window, *names))
    )
    walk = None
    if walked:
        walked_questions = sorted(set[str]().union(*(wanted[version_id] for version_id in walked)))
        each_function = "json_each_text" if db.engine.dialect.name == "postgresql" else "json_each"
        each = getattr(func, each_function)(model.answers).table_valued("key", "value").alias("answer")
        walk = (
            select(
                window.bucket(model.submitted_at),
                model.form_version_id,
                _team(model, window),
                each.c.key,
                each.c.value,
                func.count(),
            )
            .select_from(model)
            .join(each, true())
            .where(*_base_filter(model, window), model.form_version_id.in_(walked), each.c.key.in_(walked_questions))
            .group_by(*_grouping(model, window, each.c.key, each.c.value))
        )
    return _AnswerQueries(scan, slots, walk)


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
        select(
            window.bucket(first.submitted_at),
            first.form_version_id,
            _team(first, window),
            first.grade.label("report_first_grade"),
            second.grade.label("report_second_grade"),
            func.count(),
        )
        .select_from(PeerReview)
        .join(first, PeerReview.first_audit_id == first.id)
        .join(Allocation, PeerReview.allocation_id == Allocation.id)
        .join(second, Allocation.audit_id == second.id)
        .where(
            window.holds(first.submitted_at),
            *window.of_teams(first.team_id),
            first.status == "submitted",
            second.status == "submitted",
            first.grade.is_not(None),
            second.grade.is_not(None),
        )
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
        .where(AuditAction.created_at < end, *window.of_teams(Audit.team_id))
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
    many = {
        (version_id, question.id)
        for version_id, version in known.items()
        if version.spec is not None
        for question in version.spec.questions
        if question.allows_many
    }
    plans: list[tuple[AnswerModel, dict[int, set[str]], _AnswerQueries]] = []
    for model, is_audit in ((Response, False), (Audit, True)):
        wanted = {}
        if not totals_only:
            wanted = {
                version_id: asked
                for version_id, version in known.items()
                if version.is_audit == is_audit and (asked := questions(version))
            }
        plans.append((model, wanted, _answer_queries(model, window, wanted)))
    # The responses' queries are the long ones: first, so that side by side they start at once.
    named: list[tuple[str, Select[Any]]] = []
    for number, (_model, _wanted, plan) in enumerate(plans):
        named += [(f"scan {number}", plan.scan)] + ([(f"walk {number}", plan.walk)] if plan.walk is not None else [])
    if not totals_only:
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
    for number, (_model, wanted, plan) in enumerate(plans):
        counted, answers = _read_scan(results[f"scan {number}"], plan.slots)
        answers += results.get(f"walk {number}", [])
        totals.append(counted)
        values.append(_tidy_values(answers, wanted, many))
    total_frame = _joined(totals, TOTAL_COLUMNS)
    found_ids = {int(version_id) for version_id in total_frame["version_id"]}
    counts = Counts(total_frame, _joined(values, VALUE_COLUMNS), _empty(GRADE_COLUMNS), _empty(ACTION_COLUMNS))
    counts.found = {version_id: known[version_id] for version_id in found_ids if version_id in known}
    if not totals_only:
        grades, current, previous = results["grades"], results["actions"], results["actions before"]
        counts.grades = pd.DataFrame(grades, columns=GRADE_COLUMNS).astype(
            {"scaling_sum": "int64", "scaling_n": "int64"}
        )
        counts.actions = pd.DataFrame(
            [(CURRENT, *row) for row in current] + [(1 - CURRENT, *row) for row in previous], columns=ACTION_COLUMNS
        ).fillna(0)
        counts.pairs = pd.DataFrame([tuple(row) for row in results["pairs"]], columns=PAIR_COLUMNS)
    return counts


def _read_scan(rows: list[Any], slots: list[dict[int, str]]) -> tuple[pd.DataFrame, list[tuple[Any, ...]]]:
    totals: dict[tuple[int, int, int], int] = {}
    answers: list[tuple[Any, ...]] = []
    for row in rows:
        key = (int(row[0]), int(row[1]), int(row[2]))
        count = int(row[-1])
        totals[key] = totals.get(key, 0) + count
        for slot, value in zip(slots, row[3:-1], strict=True):
            if key[1] in slot:
                answers.append((*key, slot[key[1]], value, count))
    return pd.DataFrame([(*key, count) for key, count in totals.items()], columns=TOTAL_COLUMNS), answers


def _tidy_values(rows: list[Any], wanted: dict[int, set[str]], many: set[tuple[int, str]]) -> pd.DataFrame:
    """Answers as text (SQLite returns numbers as numbers), lists as tuples, empty answers dropped."""
    tidy = []
    for bucket, version_id, team_id, question, value, count in rows:
        if value is None or value == "" or question not in wanted.get(version_id, ()):
            continue
        if (version_id, question) in many:
            try:
                items = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                items = [value]
            value = tuple(str(item) for item in (items if isinstance(items, list) else [items]))
            if not value:
                continue
        else:
            value = str(value)
        tidy.append((int(bucket), int(version_id), int(team_id), str(question), value, int(count)))
    frame = pd.DataFrame(tidy, columns=VALUE_COLUMNS)
    if frame.empty:
        return frame
    return frame.groupby(VALUE_COLUMNS[:-1], as_index=False, sort=False)["count"].sum()


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def _joined(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else _empty(columns)
