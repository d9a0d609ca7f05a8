"""Whether a question was shown: its stages, its own and its section's ``show_if``, and a section
the auditor marked not applicable.

One rule for the pages (qaf.formspec.builder: what must be answered and what is kept) and the
reports (a question not shown is told apart from one not answered). Conditions name earlier
questions only (the loader checks it), so one pass in page order settles every question.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from qaf.formspec.spec import Condition, FormSpec, Question, Section

# The value of a section's not-applicable answer (``may_not_apply: true``).
NOT_APPLICABLE = "not_applicable"


class Hidden(StrEnum):
    """Why a question was not shown."""

    # Asked at other stages only (``stages``).
    STAGE = "stage"
    # Its own or its section's ``show_if`` was not met.
    CONDITION = "condition"
    # The auditor marked its section not applicable.
    SECTION_NOT_APPLICABLE = "section_not_applicable"

    @property
    def label(self) -> str:
        """How a report says it, in a cell or a count."""
        return HIDDEN_LABELS[self]


HIDDEN_LABELS = {
    Hidden.STAGE: "Not asked at this stage",
    Hidden.CONDITION: "Not shown",
    Hidden.SECTION_NOT_APPLICABLE: "Section not applicable",
}


def not_applicable_question_id(section: Section) -> str:
    """The id of the answer that marks a ``may_not_apply`` section not applicable."""
    return f"{section.id}_not_applicable"


def marks_not_applicable(section: Section, question: Question) -> bool:
    """Whether ``question`` is the tick box of a ``may_not_apply`` section (the loader adds it first)."""
    return section.may_not_apply and question.id == not_applicable_question_id(section)


def condition_met(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether the answers meet a ``show_if``: the question's answer is one of its values
    (for checkboxes, any ticked one is)."""
    answer = answers.get(condition.question)
    if isinstance(answer, (list, tuple)):
        return any(value in condition.values for value in answer)
    return answer is not None and str(answer) in condition.values


def section_not_applicable(section: Section, answers: Mapping[str, Any]) -> bool:
    """Whether the auditor marked ``section`` not applicable."""
    if not section.may_not_apply:
        return False
    answer = answers.get(not_applicable_question_id(section)) or ()
    return NOT_APPLICABLE in (answer if isinstance(answer, (list, tuple)) else (answer,))


def hidden_questions(spec: FormSpec, answers: Mapping[str, Any], stage: str | None) -> dict[str, Hidden]:
    """Every question of ``spec`` not shown for these answers at ``stage``, and why.

    ``stage`` None (not known yet) hides nothing by stage. A question whose condition names a
    hidden question is hidden too, whatever answer was sent for that one.
    """
    plan = _plan(spec)
    if not plan:
        return {}
    hidden: dict[str, Hidden] = {}
    visible = _VisibleAnswers(answers, hidden)
    for section, question in plan:
        reason = _why_hidden(section, question, visible, stage)
        if reason is not None:
            hidden[question.id] = reason
    return hidden


def has_conditions(spec: FormSpec) -> bool:
    """Whether any question of ``spec`` can be hidden (stages, conditions or not-applicable sections)."""
    return bool(_plan(spec))


def can_be_hidden(spec: FormSpec) -> tuple[str, ...]:
    """The ids of the questions of ``spec`` that some answers or stage would hide, in page order
    (not the tick box marking a section not applicable, which its own tick never hides)."""
    return tuple(
        question.id
        for section, question in _plan(spec)
        if question.stages
        or question.show_if is not None
        or section.show_if is not None
        or question.id != not_applicable_question_id(section)
    )


def condition_sources(spec: FormSpec) -> tuple[str, ...]:
    """The ids of the answers whether a question is shown depends on: the questions conditions
    name and each ``may_not_apply`` section's not-applicable answer, in page order."""
    named = {
        condition.question
        for section, question in _plan(spec)
        for condition in (section.show_if, question.show_if)
        if condition is not None
    }
    marks = {not_applicable_question_id(section) for section, _question in _plan(spec) if section.may_not_apply}
    return tuple(question.id for question in spec.questions if question.id in named | marks)


def _why_hidden(section: Section, question: Question, answers: Mapping[str, Any], stage: str | None) -> Hidden | None:
    if question.stages and stage is not None and stage not in question.stages:
        return Hidden.STAGE
    if section.show_if is not None and not condition_met(section.show_if, answers):
        return Hidden.CONDITION
    if question.id != not_applicable_question_id(section) and section_not_applicable(section, answers):
        return Hidden.SECTION_NOT_APPLICABLE
    if question.show_if is not None and not condition_met(question.show_if, answers):
        return Hidden.CONDITION
    return None


class _VisibleAnswers(Mapping[str, Any]):
    """The answers as a later condition sees them: a hidden question's answer counts as not given."""

    def __init__(self, answers: Mapping[str, Any], hidden: dict[str, Hidden]):
        self._answers = answers
        self._hidden = hidden

    def __getitem__(self, key: str) -> Any:
        if key in self._hidden:
            raise KeyError(key)
        return self._answers[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return (key for key in self._answers if key not in self._hidden)

    def __len__(self) -> int:
        return sum(1 for _ in self)


_plans: dict[str, tuple[tuple[Section, Question], ...]] = {}


def _plan(spec: FormSpec) -> tuple[tuple[Section, Question], ...]:
    """The questions that can be hidden, in page order: the rest are always shown.

    Remembered by digest (a report asks once a row); a definition built without one is planned each time.
    """
    if not spec.digest:
        return _make_plan(spec)
    if spec.digest not in _plans:
        _plans[spec.digest] = _make_plan(spec)
    return _plans[spec.digest]


def _make_plan(spec: FormSpec) -> tuple[tuple[Section, Question], ...]:
    return tuple(
        (section, question)
        for section in spec.sections
        for question in section.questions
        if question.stages or question.show_if is not None or section.show_if is not None or section.may_not_apply
    )
