"""How many responses (or audits) did not show each question, and why: the Summary counts them apart
from those that were shown and not answered, and the Standards sheet counts the audits whose
auditor marked a standard's section not applicable.

Only versions with questions that can be hidden are read (``qaf.formspec.conditions``). The
database groups each version's rows by what decides what was shown (the stage, the answers
conditions name, the not-applicable ticks) and by whether each hideable question was answered;
the one rule, ``hidden_questions``, is then applied once a group, never once a row. A stored answer
counts as answered even if its question was hidden (the pages store none: nothing is dropped here).
"""

import json
from collections import defaultdict
from typing import Any

import pandas as pd
from sqlalchemy import Select, and_, case, func, null, select

from qaf.extensions import db
from qaf.formspec.conditions import Hidden, can_be_hidden, condition_sources, hidden_questions
from qaf.formspec.spec import FormSpec
from qaf.models import Audit, Response
from qaf.reports.data import AnswerModel, Window, _base_filter, _team, version_rows
from qaf.reports.report import VersionInfo

NOT_SHOWN_COLUMNS = ["bucket", "version_id", "team_id", "question", "reason", "count"]


def count_not_shown(window: Window, found: dict[int, VersionInfo]) -> pd.DataFrame:
    """Per period, version, team, question and reason (a ``Hidden`` value): how many did not show it."""
    counts: dict[tuple[int, int, int, str, str], int] = defaultdict(int)
    for version_id, version in sorted(found.items()):
        spec = version.spec
        if spec is None or not can_be_hidden(spec):
            continue
        hideable, sources = can_be_hidden(spec), condition_sources(spec)
        model: AnswerModel = Audit if version.is_audit else Response
        for bucket, team_id, stage, *values, count in db.session.execute(
            _grouped(model, window, version, hideable, sources)
        ):
            given, decided_by = values[: len(hideable)], values[len(hideable) :]
            answers = {
                question_id: _read(spec, question_id, value)
                for question_id, value in zip(sources, decided_by, strict=True)
                if value is not None
            }
            hidden = hidden_questions(spec, answers, stage)
            for question_id, answered in zip(hideable, given, strict=True):
                reason = hidden.get(question_id)
                if reason is not None and not answered:
                    counts[(int(bucket), version_id, int(team_id), question_id, reason.value)] += int(count)
    return pd.DataFrame([(*key, count) for key, count in counts.items()], columns=NOT_SHOWN_COLUMNS)


def not_shown_counts(frame: pd.DataFrame, version_ids: list[int]) -> dict[tuple[int, str], dict[Hidden, int]]:
    """The counts of these versions added up: (bucket, question id) -> reason -> how many."""
    found: dict[tuple[int, str], dict[Hidden, int]] = defaultdict(lambda: defaultdict(int))
    if frame.empty:
        return found
    rows = frame[frame["version_id"].isin(version_ids)]
    for bucket, question, reason, count in zip(
        rows["bucket"], rows["question"], rows["reason"], rows["count"], strict=True
    ):
        found[(int(bucket), str(question))][Hidden(reason)] += int(count)
    return found


def _grouped(
    model: AnswerModel, window: Window, version: VersionInfo, hideable: tuple[str, ...], sources: tuple[str, ...]
) -> Select[Any]:
    """One row per period, team, stage, answers to ``sources`` and which of ``hideable`` were answered.

    Pulled out below a fence (OFFSET 0) and grouped above it, as ``qaf.reports.data`` does.
    """
    columns: list[Any] = [
        window.bucket(model.submitted_at),
        _team(model, window).label("report_team"),
        (Response.stage if model is Response else null()).label("report_stage"),
    ]
    for number, question_id in enumerate(hideable):
        value = model.answers[question_id].as_string()
        given = and_(value.is_not(None), value != "", value != "[]")
        columns.append(case((given, 1), else_=0).label(f"report_given_{number}"))
    for number, question_id in enumerate(sources):
        columns.append(model.answers[question_id].as_string().label(f"report_source_{number}"))
    conditions = [*_base_filter(model, window), *version_rows(model, window, version)]
    rows = select(*columns).where(*conditions).offset(0).subquery("report_shown")
    keys = list(rows.c)
    return select(*keys, func.count()).group_by(*keys)


def _read(spec: FormSpec, question_id: str, value: Any) -> Any:
    """An answer as the database gave it, as the page stored it: a list of ticked boxes is JSON text."""
    if spec.question(question_id).allows_many and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return [value]
    return value
