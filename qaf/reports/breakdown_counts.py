"""Counting the period's responses for the breakdowns, in the database: one query a form version.

Each response's groups (stage, round, respondent, district, equality answers) and its positive
and answered counts for every measure are worked out once, in a materialized CTE; each
dimension is then grouped from there, and the arms are joined with UNION ALL. One row comes back
per version, dimension and group, never one per response. The same SQL runs on SQLite and
PostgreSQL.
"""

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import ColumnElement, Integer, Select, String, and_, case, cast, func, literal, select, union_all

from qaf.extensions import db
from qaf.models import FeedbackRound, Response
from qaf.reports.breakdowns import (
    AGENCY,
    DISTRICT,
    DISTRICT_QUESTION,
    EQUALITY,
    RESPONDENT,
    ROUND,
    STAGE,
    GroupTally,
    breakdowns,
    dimensions_of,
    equality_breakdowns,
    measures_of,
)
from qaf.reports.data import Window, run_queries, version_rows
from qaf.reports.measures import CURRENT, Definition
from qaf.reports.report import Breakdown, TeamInfo, VersionInfo

if TYPE_CHECKING:
    from qaf.reports.collect import Measured


def report_breakdowns(
    window: Window,
    found: dict[int, VersionInfo],
    totals: pd.DataFrame,
    definitions: Sequence[Definition],
    teams: dict[int, TeamInfo],
) -> tuple[list[Breakdown], list[Breakdown]]:
    """The period's breakdowns and equality tables, for the versions answered in it (``totals``)."""
    tallies = count_groups(window, answered_versions(found, totals))
    return breakdown_tables(tallies, found, totals, definitions, teams)


def breakdown_tables(
    tallies: Iterable[GroupTally],
    found: dict[int, VersionInfo],
    totals: pd.DataFrame,
    definitions: Sequence[Definition],
    teams: dict[int, TeamInfo],
) -> tuple[list[Breakdown], list[Breakdown]]:
    """The breakdowns and equality tables of tallies counted by ``count_groups``."""
    tallies = list(tallies)
    rounds = round_names({version.form_key for version in answered_versions(found, totals)})
    return (
        breakdowns(tallies, found, definitions, teams, rounds),
        equality_breakdowns(tallies, found, definitions),
    )


def answered_versions(found: dict[int, VersionInfo], totals: pd.DataFrame) -> list[VersionInfo]:
    """The versions with responses in the period itself (not only in the one before)."""
    current = {int(version_id) for version_id in totals.loc[totals["bucket"] == CURRENT, "version_id"]}
    return [found[version_id] for version_id in sorted(current) if version_id in found]


def count_groups(window: Window, versions: Iterable[VersionInfo], *, side_by_side: bool = False) -> list[GroupTally]:
    """Every feedback version's responses of the window's period (and teams), by group and measure.

    ``side_by_side`` runs the versions' queries at once on their own connections (for pages).
    """
    asked = []
    for version in versions:
        dimensions = dimensions_of(version)
        if dimensions:
            measures = list(measures_of(version).items())
            asked.append((version, measures, _version_query(window, version, dimensions, measures)))
    results = run_queries([query for _version, _measures, query in asked], side_by_side=side_by_side)
    found: list[GroupTally] = []
    for (version, measures, _query), rows in zip(asked, results, strict=True):
        for dimension, group, team_district, responses, *sums in rows:
            found.append(
                GroupTally(
                    version.id,
                    str(dimension),
                    "" if group is None else str(group),
                    int(responses),
                    tuple(
                        (measure, int(sums[2 * n] or 0), int(sums[2 * n + 1] or 0))
                        for n, (measure, _questions) in enumerate(measures)
                    ),
                    team_district=bool(team_district),
                )
            )
    return found


def added_tallies(kept: Iterable[GroupTally], new: Iterable[GroupTally]) -> list[GroupTally]:
    """Tallies kept from before with those of the responses stored since added in: each group's
    responses, positive answers and answers are sums over its responses, so the sums of both are
    what counting them all again gives."""
    sums: dict[tuple[int, str, str, bool], list[Any]] = {}
    for tally in (*kept, *new):
        key = (tally.version_id, tally.dimension, tally.group, tally.team_district)
        found = sums.setdefault(key, [0, {}])
        found[0] += tally.responses
        for measure, positive, answered in tally.measures:
            before = found[1].get(measure, (0, 0))
            found[1][measure] = (before[0] + positive, before[1] + answered)
    return [
        GroupTally(
            version_id,
            dimension,
            group,
            responses,
            tuple((measure, positive, answered) for measure, (positive, answered) in measures.items()),
            team_district=team_district,
        )
        for (version_id, dimension, group, team_district), (responses, measures) in sums.items()
    ]


def round_names(form_keys: Collection[str]) -> dict[str, str]:
    """The names of the rounds and waves of these forms, by id (as text, as the groups hold it)."""
    query = select(FeedbackRound.id, FeedbackRound.name).where(FeedbackRound.form_key.in_(sorted(form_keys)))
    return {str(round_id): name for round_id, name in db.session.execute(query)}


def _answer(question_id: str) -> ColumnElement[Any]:
    # As text on both databases: SQLite's json_extract gives a number for a stored number.
    return cast(Response.answers[question_id].as_string(), String)


def _given(value: ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(value.is_not(None), value != "")


def _version_query(
    window: Window,
    version: VersionInfo,
    dimensions: list[str],
    measures: list[tuple[str, list[tuple[str, tuple[str, ...]]]]],
) -> Select[Any]:
    assert version.spec is not None
    asks_district = version.audience == "partner" and any(
        question.id == DISTRICT_QUESTION for question in version.spec.questions
    )
    groups: dict[str, Any] = {
        STAGE: Response.stage,
        ROUND: cast(Response.round_id, String),
        AGENCY: Response.respondent_type,
        RESPONDENT: Response.respondent_type,
        # The partner's own answer when given, else the team (named in Python: its district).
        DISTRICT: cast(func.coalesce(Response.team_id, 0), String),
    }
    columns: list[Any] = [
        groups[name].label(f"report_group_{n}") for n, name in enumerate(dimensions) if name in groups
    ]
    partner_district = func.nullif(_answer(DISTRICT_QUESTION), "") if asks_district else None
    if partner_district is not None:
        columns.append(partner_district.label("report_partner_district"))
    for n, name in enumerate(dimensions):
        if name.startswith(EQUALITY):
            columns.append(_answer(name[len(EQUALITY) :]).label(f"report_group_{n}"))
    for n, (_measure, questions) in enumerate(measures):
        positive: ColumnElement[Any] = literal(0, Integer)
        answered: ColumnElement[Any] = literal(0, Integer)
        for question_id, positives in questions:
            value = _answer(question_id)
            positive = positive + case((value.in_(positives), 1), else_=0) if positives else positive
            answered = answered + case((_given(value), 1), else_=0)
        columns += [positive.label(f"report_positive_{n}"), answered.label(f"report_answered_{n}")]
    conditions = [
        *version_rows(Response, window, version),
        window.current(Response.submitted_at),
        Response.void_id.is_(None),
        *window.of_teams(Response.team_id),
    ]
    if window.responses_up_to is not None:
        conditions.append(Response.id <= window.responses_up_to)
    if window.responses_after is not None:
        conditions.append(Response.id > window.responses_after)
    rows = select(*columns).where(*conditions)
    cte = rows.cte("report_breakdown_rows").prefix_with("MATERIALIZED")
    sums = [func.sum(cte.c[f"report_{kind}_{n}"]) for n in range(len(measures)) for kind in ("positive", "answered")]
    arms = []
    for n, name in enumerate(dimensions):
        group: ColumnElement[Any] = cte.c[f"report_group_{n}"]
        team_district: ColumnElement[Any] = literal(1, Integer)
        keys = [group]
        if name == DISTRICT and partner_district is not None:
            named = cte.c.report_partner_district
            team_district = case((named.is_(None), 1), else_=0)
            group = func.coalesce(named, group)
            keys = [named, cte.c[f"report_group_{n}"]]
        elif name != DISTRICT:
            team_district = literal(0, Integer)
        arms.append(select(literal(name, String), group, team_district, func.count(), *sums).group_by(*keys))
    return union_all(*arms)  # type: ignore[return-value]


def breakdowns_for_page(measured: "Measured") -> tuple[list[Breakdown], list[Breakdown]]:
    """``report_breakdowns`` for the dashboard's scope, from tallies kept with the measures beside them:
    counted the first time they are asked for, and kept (with only new responses added) as long as
    those are (``collect.measure_for_page``)."""
    if measured.group_tallies is None:
        versions = answered_versions(measured.found, measured.totals)
        measured.group_tallies = count_groups(measured.window, versions, side_by_side=True)
    return breakdown_tables(
        measured.group_tallies, measured.found, measured.totals, measured.definitions, measured.teams
    )
