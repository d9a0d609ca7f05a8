"""The rows of the form sheets, streamed from the database in chunks, oldest first.

A staff form's rows leave out its small groups (``qaf.suppression``: the same team, role and
wave, fewer than 5 in the period) and carry the date they were sent, not the time. Times are
written as the clock in England showed them.
"""

import json
from collections.abc import Callable, Hashable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import aliased

from qaf.extensions import db
from qaf.formspec.spec import STAGES
from qaf.models import Audit, FeedbackRound, Response, User
from qaf.reports.periods import UK, Period
from qaf.reports.report import NO_TEAM, TeamInfo, VersionInfo
from qaf.suppression import held_back

# A staff group: (team id, respondent type, round id), any of them None.
StaffGroup = tuple[int | None, str | None, int | None]

CHUNK = 2000
STAGE_LABELS = dict(STAGES)


def local_time(moment: datetime) -> datetime:
    """A stored UTC time as the clock in England showed it (naive, for a spreadsheet cell)."""
    return moment.replace(tzinfo=UTC).astimezone(UK).replace(tzinfo=None)


def local_date(moment: datetime) -> date:
    """The day in England a stored UTC time fell on: what a staff answer carries, never the time."""
    return local_time(moment).date()


def staff_groups(form_key: str, period: Period) -> dict[StaffGroup, int]:
    """How many responses to a staff form each group (team, respondent, wave) gave in the period."""
    start, end = period.utc_bounds()
    query = (
        select(Response.team_id, Response.respondent_type, Response.round_id, func.count())
        .where(
            Response.form_key == form_key,
            Response.submitted_at >= start,
            Response.submitted_at < end,
            Response.void_id.is_(None),
        )
        .group_by(Response.team_id, Response.respondent_type, Response.round_id)
    )
    return {(team, respondent, round_id): int(count) for team, respondent, round_id, count in db.session.execute(query)}


def held_back_groups(groups: dict[StaffGroup, int], known: dict[int, TeamInfo]) -> set[StaffGroup]:
    """The staff groups whose rows are left off the sheets and CSV files (see ``qaf.suppression``)."""

    def totals_of(group: StaffGroup) -> list[Hashable]:
        team_id, respondent, round_id = group
        service = known[team_id].service_id if team_id in known else None
        return [("all",), ("team", team_id), ("service", service), ("respondent", respondent), ("round", round_id)]

    return held_back(groups, totals_of)


def team_cells(team_id: int | None, known: dict[int, TeamInfo]) -> tuple[str, str]:
    if team_id is None or team_id not in known:
        return NO_TEAM, ""
    team = known[team_id]
    return team.name, team.service


def rounds_for(form_key: str) -> bool:
    return bool(db.session.scalar(select(func.count()).where(FeedbackRound.form_key == form_key)))


def response_rows(
    form_key: str,
    period: Period,
    found: dict[int, VersionInfo],
    known: dict[int, TeamInfo],
    hidden: set[StaffGroup] | None = None,
    *,
    with_round: bool,
    with_case: bool,
) -> Callable[[], Iterator[tuple[Any, ...]]]:
    """Every response to the form in the period, oldest first, read in chunks when the sheet asks.

    With ``hidden`` (a staff form): the rows of those groups are left out, and each row carries the
    date it was sent in England rather than the time.
    """
    start, end = period.utc_bounds()

    def rows() -> Iterator[tuple[Any, ...]]:
        names = select(FeedbackRound.id, FeedbackRound.name).where(FeedbackRound.form_key == form_key)
        round_names = dict(db.session.execute(names).all()) if with_round else {}
        respondents = {version_id: _respondent_labels(version) for version_id, version in found.items()}
        query = (
            select(
                Response.form_version_id,
                cast(Response.answers, Text),
                Response.id,
                Response.submitted_at,
                Response.team_id,
                Response.stage,
                Response.respondent_type,
                Response.round_id,
                Response.case_reference,
            )
            .where(
                Response.form_key == form_key,
                Response.submitted_at >= start,
                Response.submitted_at < end,
                Response.void_id.is_(None),
            )
            .order_by(Response.submitted_at, Response.id)
            .execution_options(yield_per=CHUNK)
        )
        for (
            version_id,
            answers_text,
            response_id,
            submitted_at,
            team_id,
            stage,
            respondent,
            round_id,
            case_ref,
        ) in db.session.execute(query):
            if hidden is not None and (team_id, respondent, round_id) in hidden:
                continue
            team, service = team_cells(team_id, known)
            labels = respondents.get(version_id, {})
            extra: tuple[Any, ...] = (
                STAGE_LABELS.get(stage, stage) if stage else None,
                labels.get(respondent, respondent) if respondent else None,
            )
            if with_round:
                extra += (round_names.get(round_id) if round_id else None,)
            if with_case:
                extra += (case_ref,)
            version = found.get(version_id)
            yield (
                version_id,
                _answers(answers_text),
                response_id,
                local_time(submitted_at) if hidden is None else local_date(submitted_at),
                team,
                service,
                *extra,
                version.label if version else f"#{version_id}",
            )

    return rows


def _answers(text: str | None) -> dict[str, Any]:
    # Read as text and parsed here: half the cost of the JSON column's own conversion, row by row.
    return json.loads(text) if text else {}


def _respondent_labels(version: VersionInfo) -> dict[str, str]:
    spec = version.spec
    if spec is None or not spec.respondent_question:
        return {}
    try:
        return {option.value: option.label for option in spec.question(spec.respondent_question).options}
    except KeyError:
        return {}


def audit_rows(
    form_key: str, period: Period, found: dict[int, VersionInfo], known: dict[int, TeamInfo]
) -> Callable[[], Iterator[tuple[Any, ...]]]:
    """Every audit of this template submitted in the period, oldest first, with its answers."""
    start, end = period.utc_bounds()
    auditor, practitioner = aliased(User), aliased(User)

    def rows() -> Iterator[tuple[Any, ...]]:
        query = (
            select(
                Audit.form_version_id,
                cast(Audit.answers, Text),
                Audit.id,
                Audit.submitted_at,
                Audit.team_id,
                Audit.case_reference,
                auditor.name,
                practitioner.name,
                Audit.grade,
                Audit.moderated_grade,
                Audit.moderated_at,
            )
            .join(auditor, Audit.auditor_id == auditor.id)
            .outerjoin(practitioner, Audit.practitioner_id == practitioner.id)
            .where(
                Audit.form_key == form_key,
                Audit.status == "submitted",
                Audit.submitted_at >= start,
                Audit.submitted_at < end,
            )
            .order_by(Audit.submitted_at, Audit.id)
            .execution_options(yield_per=CHUNK)
        )
        for (
            version_id,
            answers_text,
            audit_id,
            submitted_at,
            team_id,
            case_ref,
            by,
            about,
            grade,
            moderated,
            at,
        ) in db.session.execute(query):
            assert submitted_at is not None  # the query asks for submitted audits only
            team, service = team_cells(team_id, known)
            version = found.get(version_id)
            final = moderated or grade
            yield (
                version_id,
                _answers(answers_text),
                audit_id,
                local_time(submitted_at),
                team,
                service,
                case_ref,
                by,
                about,
                grade_label(version, final),
                moderation_state(grade, moderated, at),
                version.label if version else f"#{version_id}",
            )

    return rows


def grade_label(version: VersionInfo | None, value: str | None) -> str | None:
    if not value:
        return None
    grade = version.spec.grade if version is not None and version.spec is not None else None
    return grade.option_label(value) if grade is not None else value


def moderation_state(grade: str | None, moderated: str | None, moderated_at: datetime | None) -> str:
    if moderated_at is None:
        return "Waiting for moderation"
    return "Grade changed" if moderated and moderated != grade else "Grade agreed"
