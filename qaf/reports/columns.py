"""One column a question, merged across a form's versions, and how each version's answers fill them.

Columns follow the newest version's order, then the questions only older versions asked
(formpack's ``get_fields_for_versions``, done without dropping anything). An answer is
always read with the question of the version it was given against, so a question that
changed its options between versions still shows each answer's own label.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from qaf.formspec.conditions import can_be_hidden, hidden_questions
from qaf.formspec.spec import FormSpec, Question
from qaf.formspec.types import question_type

# How a cell is made from a stored answer, as each question type says (its ``cell``); named here for the
# workbook and CSV writers too.
from qaf.formspec.types.base import CHOICE as CHOICE
from qaf.formspec.types.base import DATE as DATE
from qaf.formspec.types.base import MANY as MANY
from qaf.formspec.types.base import NUMBER as NUMBER
from qaf.formspec.types.base import TEXT as TEXT
from qaf.reports.report import VersionInfo

LONGEST_HEADER = 120


@dataclass(frozen=True)
class QuestionColumn:
    id: str
    header: str
    type: str
    asked_in: tuple[str, ...]  # the labels of the versions that asked it
    all_versions: bool

    @property
    def is_free_text(self) -> bool:
        return question_type(self.type).is_free_text

    @property
    def width(self) -> float:
        return question_type(self.type).column_width

    @property
    def asked_in_text(self) -> str:
        """What the row above the header says: blank when every version asked it."""
        if self.all_versions:
            return ""
        names = ", ".join(self.asked_in)
        return f"Only in version {names}" if len(self.asked_in) == 1 else f"Only in versions {names}"


@dataclass(frozen=True)
class CellPlan:
    """For one version: where each of its questions goes and how its answers become cells."""

    # (column, question id, how its answers become cells (the type's ``cell``), option labels)
    positions: tuple[tuple[int, str, str, dict[str, str]], ...]
    known_ids: frozenset[str]
    labels: dict[str, str]  # question id -> label, for comments
    # Set when some of its questions can be hidden (qaf.formspec.conditions): the definition, and
    # (question id, column) for each of those questions.
    spec: FormSpec | None = None
    hideable: tuple[tuple[str, int], ...] = ()


def question_header(question: Question, labels: dict[str, str]) -> str:
    label = " ".join(question.label.split())
    if question.evidence_for:
        label = f"Evidence: {labels.get(question.evidence_for, question.evidence_for)}"
    return label if len(label) <= LONGEST_HEADER else label[: LONGEST_HEADER - 1].rstrip() + "…"


def merge_columns(versions: Sequence[VersionInfo]) -> list[QuestionColumn]:
    """The question columns for versions given newest first (unreadable versions are skipped).

    Equality monitoring questions get no column: their answers are shown only as group counts
    (``qaf.reports.breakdowns``), never on a row beside a response's comments.
    """
    readable = [version for version in versions if version.spec is not None]
    # Marked in any version, a question is left out of every version's rows.
    equality = {question.id for version in readable for question in version.spec.questions if question.equality}  # type: ignore[union-attr]
    order: list[str] = []
    newest: dict[str, Question] = {}
    headers: dict[str, str] = {}
    asked_in: dict[str, list[str]] = {}
    for version in readable:
        assert version.spec is not None
        labels = {question.id: " ".join(question.label.split()) for question in version.spec.questions}
        for question in version.spec.questions:
            if question.id in equality:
                continue
            if question.id not in newest:
                order.append(question.id)
                newest[question.id] = question
                headers[question.id] = question_header(question, labels)
            asked_in.setdefault(question.id, []).append(version.label)
    # The newest version's questions first, in its order; then each older version's extra ones.
    unique = _unique_headers([headers[question_id] for question_id in order], order)
    return [
        QuestionColumn(
            id=question_id,
            header=header,
            type=newest[question_id].type,
            asked_in=tuple(reversed(asked_in[question_id])),
            all_versions=len(asked_in[question_id]) == len(readable),
        )
        for question_id, header in zip(order, unique, strict=True)
    ]


def _unique_headers(headers: list[str], ids: list[str]) -> list[str]:
    """Excel tables need distinct column names (ignoring case); repeat names get the question id."""
    seen = {header.lower() for header in headers}
    counts: dict[str, int] = {}
    for header in headers:
        counts[header.lower()] = counts.get(header.lower(), 0) + 1
    result = []
    for header, question_id in zip(headers, ids, strict=True):
        if counts[header.lower()] > 1:
            candidate = f"{header} [{question_id}]"
            while candidate.lower() in seen:
                candidate += "*"
            seen.add(candidate.lower())
            header = candidate
        result.append(header)
    return result


def cell_plan(version: VersionInfo, columns: Sequence[QuestionColumn], first_column: int) -> CellPlan:
    assert version.spec is not None
    index = {column.id: first_column + number for number, column in enumerate(columns)}
    positions = []
    for question in version.spec.questions:
        if question.id not in index:
            continue  # an equality question has no column (see merge_columns), yet is known: not unmatched
        labels = {option.value: option.label for option in question.options}
        positions.append((index[question.id], question.id, question.kind.cell, labels))
    labels = {question.id: " ".join(question.label.split()) for question in version.spec.questions}
    for question in version.spec.questions:
        if question.evidence_for:
            labels[question.id] = f"Evidence: {labels.get(question.evidence_for, question.evidence_for)}"
    hideable = tuple(
        (question_id, index[question_id]) for question_id in can_be_hidden(version.spec) if question_id in index
    )
    return CellPlan(tuple(positions), frozenset(labels), labels, version.spec if hideable else None, hideable)


def mark_not_shown(plan: CellPlan, answers: Mapping[str, Any], stage: str | None, cells: list[Any]) -> list[int]:
    """Write why in the blank cell of each question the response did not show ("Not shown",
    "Section not applicable", "Not asked at this stage"): a blank cell stays "not answered".

    Returns the columns written: none, at once, for a version nothing can hide.
    """
    if plan.spec is None:
        return []
    hidden = hidden_questions(plan.spec, answers, stage)
    marked = []
    for question_id, column in plan.hideable:
        reason = hidden.get(question_id)
        if reason is not None and cells[column] is None:
            cells[column] = reason.label
            marked.append(column)
    return marked


def cell_value(kind: str, labels: dict[str, str], value: Any) -> Any:
    """A stored answer as a cell: option labels for choices, numbers for scales, dates for dates.

    Anything unexpected (an option since removed, a number stored as words) is kept as text.
    """
    if value is None or value == "" or value == []:
        return None
    if kind == CHOICE:
        return labels.get(str(value), str(value))
    if kind == MANY:
        items = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(item), str(item)) for item in items)
    if kind == NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        try:
            return int(str(value))
        except ValueError:
            return str(value)
    if kind == DATE:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return value if isinstance(value, str) else str(value)
