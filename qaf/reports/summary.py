"""Each form's part of the Summary: responses by team, how each choice question was answered, scales.

Built from the counts the database returned (``qaf.reports.data``): one row per period,
version, team, question and distinct answer, never one per response.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from qaf.formspec.conditions import HIDDEN_LABELS, Hidden, can_be_hidden
from qaf.formspec.spec import Question
from qaf.formspec.types import question_type
from qaf.reports.columns import merge_columns
from qaf.reports.measures import CURRENT, PREVIOUS
from qaf.reports.not_shown import not_shown_counts
from qaf.reports.report import (
    NO_TEAM,
    STAFF_AUDIENCES,
    SUPPRESS_BELOW,
    FormSummary,
    OptionCount,
    QuestionSummary,
    ScaleChange,
    TeamInfo,
    TeamRow,
    VersionInfo,
)

# A before-and-after pair of questions, by the ends of their ids: how things were when the help (or the
# training) started, and how they are now. The first of a pair is a baseline (see forms/README.md).
PAIRS = (("_at_start", "_now"), ("_before", "_after"))


def after_of(question_id: str, question_ids: Collection[str]) -> str | None:
    """The id of the "now" question paired with ``question_id``, if it is the "before" of a pair."""
    for before, after in PAIRS:
        if question_id.endswith(before) and (later := question_id[: -len(before)] + after) in question_ids:
            return later
    return None


@dataclass(frozen=True)
class FormVersions:
    key: str
    title: str
    audience: str
    versions: tuple[VersionInfo, ...]  # newest first


def _hidden(count: int, suppress: bool) -> int | None:
    return None if suppress and 0 < count < SUPPRESS_BELOW else count


def form_summaries(
    forms: Sequence[FormVersions],
    totals: pd.DataFrame,
    values: pd.DataFrame,
    teams: dict[int, TeamInfo],
    not_shown: pd.DataFrame | None = None,
) -> list[FormSummary]:
    """One summary per form with anything given in the period or the one before.

    With ``not_shown`` (``qaf.reports.not_shown.count_not_shown``), a question some responses did not
    show counts those apart from the ones shown it that did not answer.
    """
    summaries = []
    for form in forms:
        ids = [version.id for version in form.versions]
        form_totals = totals[totals["version_id"].isin(ids)]
        current = int(form_totals.loc[form_totals["bucket"] == CURRENT, "count"].sum())
        previous = int(form_totals.loc[form_totals["bucket"] == PREVIOUS, "count"].sum())
        if not current and not previous:
            continue
        suppress = form.audience in STAFF_AUDIENCES
        form_values = values[values["version_id"].isin(ids)]
        questions = _questions(form, form_values)
        if not_shown is not None:
            questions = _with_not_shown(form, questions, form_totals, not_shown)
        team_totals = _team_counts(form_totals)
        positive = [question for question in questions if question.positive_labels]
        team_shares = _team_positive_shares(form, form_values, {question.id for question in positive})
        by_team = []
        for team_id, (team_current, team_previous) in sorted(
            team_totals.items(), key=lambda item: _team_sort_key(teams, item[0])
        ):
            hide = suppress and 0 < team_current < SUPPRESS_BELOW
            shares = tuple(None if hide else team_shares.get((team_id, question.id)) for question in positive)
            service, team = _team_names(teams, team_id)
            by_team.append(
                TeamRow(service, team, _hidden(team_current, suppress), _hidden(team_previous, suppress), shares)
            )
        if suppress and (0 < current < SUPPRESS_BELOW):
            questions = []
        summaries.append(
            FormSummary(
                key=form.key,
                title=form.title,
                audience=form.audience,
                noun="audits" if form.audience == "auditor" else "responses",
                current=current,
                previous=previous,
                by_team=tuple(by_team),
                questions=tuple(questions),
                positive_questions=tuple(question.label for question in positive) if questions else (),
                changes=tuple(_changes(questions)),
                suppressed=suppress,
            )
        )
    return summaries


def _team_sort_key(teams: dict[int, TeamInfo], team_id: int) -> tuple[int, str, str]:
    if team_id in teams:
        return (0, teams[team_id].service, teams[team_id].name)
    return (1, "", "")


def _team_names(teams: dict[int, TeamInfo], team_id: int) -> tuple[str, str]:
    if team_id in teams:
        return teams[team_id].service, teams[team_id].name
    return "", NO_TEAM


def _team_counts(form_totals: pd.DataFrame) -> dict[int, tuple[int, int]]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for bucket, team_id, count in zip(form_totals["bucket"], form_totals["team_id"], form_totals["count"], strict=True):
        counts[int(team_id)][0 if bucket == CURRENT else 1] += int(count)
    return {team_id: (pair[0], pair[1]) for team_id, pair in counts.items()}


def _newest_questions(form: FormVersions) -> dict[str, Question]:
    newest: dict[str, Question] = {}
    for version in form.versions:
        if version.spec is not None:
            for question in version.spec.questions:
                newest.setdefault(question.id, question)
    return newest


def _option_labels(form: FormVersions, question_id: str) -> dict[str, str]:
    """Every option any version offered, newest wording and order first."""
    labels: dict[str, str] = {}
    for version in form.versions:
        if version.spec is None:
            continue
        for question in version.spec.questions:
            if question.id == question_id:
                for option in question.options:
                    labels.setdefault(option.value, option.label)
    return labels


def _questions(form: FormVersions, form_values: pd.DataFrame) -> list[QuestionSummary]:
    newest = _newest_questions(form)
    counts: dict[str, dict[tuple[int, int, object], int]] = defaultdict(lambda: defaultdict(int))
    for bucket, version_id, question, value, count in zip(
        form_values["bucket"],
        form_values["version_id"],
        form_values["question"],
        form_values["value"],
        form_values["count"],
        strict=True,
    ):
        counts[str(question)][(int(bucket), int(version_id), value)] += int(count)
    summaries = []
    for column in merge_columns(form.versions):
        question = newest[column.id]
        if not question.kind.shows_distribution and not question.kind.has_mean:
            continue
        summary = _question_summary(form, question, column.header, counts.get(column.id, {}))
        summaries.append(replace(summary, baseline=after_of(question.id, newest) is not None))
    return summaries


def _with_not_shown(
    form: FormVersions, questions: list[QuestionSummary], form_totals: pd.DataFrame, not_shown: pd.DataFrame
) -> list[QuestionSummary]:
    """Each question some version can hide, with how many did not see it (by reason) and how many
    saw it and did not answer. Its shares stay those of the answers given."""
    hideable = {question_id for version in form.versions if version.spec for question_id in can_be_hidden(version.spec)}
    if not hideable:
        return questions
    counts = not_shown_counts(not_shown, [version.id for version in form.versions])
    # How many responses each question was asked in: those of the versions that have it.
    specs = {version.id: version.spec for version in form.versions if version.spec is not None}
    asked: dict[tuple[int, str], int] = defaultdict(int)
    for bucket, version_id, count in zip(
        form_totals["bucket"], form_totals["version_id"], form_totals["count"], strict=True
    ):
        spec = specs.get(int(version_id))
        for question in spec.questions if spec is not None else ():
            asked[(int(bucket), question.id)] += int(count)
    result = []
    for summary in questions:
        if summary.id not in hideable:
            result.append(summary)
            continue
        current, previous = counts.get((CURRENT, summary.id), {}), counts.get((PREVIOUS, summary.id), {})
        reasons = tuple(
            (HIDDEN_LABELS[reason], current.get(reason, 0), previous.get(reason, 0))
            for reason in Hidden
            if current.get(reason) or previous.get(reason)
        )
        result.append(
            replace(
                summary,
                can_be_hidden=True,
                not_shown=reasons,
                not_answered=asked[(CURRENT, summary.id)] - summary.answered - sum(current.values()),
                previous_not_answered=asked[(PREVIOUS, summary.id)]
                - summary.previous_answered
                - sum(previous.values()),
            )
        )
    return result


def _positives(form: FormVersions, question_id: str) -> dict[int, tuple[str, ...]]:
    """Each version's positive answers to the question: an answer is judged by its own version."""
    positives = {}
    for version in form.versions:
        if version.spec is not None:
            for question in version.spec.questions:
                if question.id == question_id and not question.allows_many:
                    positives[version.id] = question.positive
    return positives


def _question_summary(
    form: FormVersions, question: Question, header: str, counts: dict[tuple[int, int, object], int]
) -> QuestionSummary:
    answered = {bucket: sum(n for (b, _v, _x), n in counts.items() if b == bucket) for bucket in (CURRENT, PREVIOUS)}
    per_option: dict[tuple[int, str], int] = defaultdict(int)
    for (bucket, _version_id, value), count in counts.items():
        for item in value if isinstance(value, tuple) else (value,):
            per_option[(bucket, str(item))] += count
    labels = _option_labels(form, question.id)
    seen = {value for _bucket, value in per_option}
    order = list(labels) + sorted(seen - set(labels))
    options = []
    if question.kind.shows_distribution:
        for value in order:
            current, previous = per_option.get((CURRENT, value), 0), per_option.get((PREVIOUS, value), 0)
            options.append(
                OptionCount(
                    labels.get(value, value),
                    current,
                    current / answered[CURRENT] if answered[CURRENT] else None,
                    previous,
                    previous / answered[PREVIOUS] if answered[PREVIOUS] else None,
                )
            )
    positive_labels: tuple[str, ...] = ()
    positive: dict[int, float | None] = {CURRENT: None, PREVIOUS: None}
    if question.positive and not question.allows_many:
        positive_labels = tuple(labels.get(value, value) for value in question.positive)
        positives = _positives(form, question.id)
        for bucket in (CURRENT, PREVIOUS):
            hits = sum(
                count
                for (b, version_id, value), count in counts.items()
                if b == bucket and value in positives.get(version_id, ())
            )
            positive[bucket] = hits / answered[bucket] if answered[bucket] else None
    means: dict[int, float | None] = {CURRENT: None, PREVIOUS: None}
    if question.kind.has_mean:
        for bucket in (CURRENT, PREVIOUS):
            means[bucket] = _mean((value, count) for (b, value), count in per_option.items() if b == bucket)
    return QuestionSummary(
        id=question.id,
        label=header,
        type=question.type,
        options=tuple(options),
        answered=answered[CURRENT],
        previous_answered=answered[PREVIOUS],
        positive_labels=positive_labels,
        positive=positive[CURRENT],
        previous_positive=positive[PREVIOUS],
        mean=means[CURRENT],
        previous_mean=means[PREVIOUS],
    )


def _mean(pairs: Iterable[tuple[str, int]]) -> float | None:
    total = weight = 0.0
    for value, count in pairs:
        try:
            number = float(value)
        except ValueError:
            continue
        total += number * count
        weight += count
    return total / weight if weight else None


def _changes(questions: Sequence[QuestionSummary]) -> list[ScaleChange]:
    """'How things were at the start' against 'how things are now': the difference of the means."""
    by_id = {question.id: question for question in questions}
    changes = []
    for question in questions:
        later = after_of(question.id, by_id)
        if later is not None and _has_mean(now := by_id[later]) and _has_mean(question):
            changes.append(
                ScaleChange(
                    f"{question.label} → {now.label}",
                    _difference(now.mean, question.mean),
                    _difference(now.previous_mean, question.previous_mean),
                )
            )
    return changes


def _has_mean(summary: QuestionSummary) -> bool:
    return question_type(summary.type).has_mean


def _difference(later: float | None, earlier: float | None) -> float | None:
    return later - earlier if later is not None and earlier is not None else None


def _team_positive_shares(
    form: FormVersions, form_values: pd.DataFrame, question_ids: set[str]
) -> dict[tuple[int, str], float | None]:
    """This period's share of positive answers per team and question (each version's own positives)."""
    positives = {}
    for version in form.versions:
        if version.spec is not None:
            for question in version.spec.questions:
                positives[(version.id, question.id)] = question.positive
    hits: dict[tuple[int, str], int] = defaultdict(int)
    answered: dict[tuple[int, str], int] = defaultdict(int)
    current = form_values[(form_values["bucket"] == CURRENT) & form_values["question"].isin(list(question_ids))]
    for version_id, team_id, question, value, count in zip(
        current["version_id"], current["team_id"], current["question"], current["value"], current["count"], strict=True
    ):
        key = (int(team_id), str(question))
        answered[key] += int(count)
        if value in positives.get((int(version_id), str(question)), ()):
            hits[key] += int(count)
    return {key: hits[key] / total for key, total in answered.items() if total}
