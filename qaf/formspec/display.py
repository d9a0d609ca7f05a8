"""Answers as people read them: option labels instead of stored values, in page order.

A question the answers did not show says why (qaf.formspec.conditions), as the workbook does, and a
section the auditor marked not applicable says so once instead of a row a question.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qaf.formspec.conditions import Hidden, hidden_questions, marks_not_applicable, section_not_applicable
from qaf.formspec.spec import FormSpec, Question


def display_answer(question: Question, value: Any) -> str:
    """The text a person reads for a stored answer: labels for options, '' when unanswered."""
    if value is None or value == "" or value == []:
        return ""
    return question.kind.answer_text(question, value)


def shown_answer(question: Question, answers: Mapping[str, Any], hidden: Mapping[str, Hidden]) -> str:
    """What a page says for ``question``: why it was not shown, its answer, or '' when not answered.

    A draft keeps answers its other answers hide (the auditor may change them back): they are not shown.
    """
    if question.id in hidden:
        return hidden[question.id].label
    return display_answer(question, answers.get(question.id))


@dataclass(frozen=True)
class AnswerRow:
    label: str
    answer: str
    evidence: str = ""
    # Why the question was not shown ("Not shown"), said in place of an answer.
    not_shown: str = ""


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: tuple[AnswerRow, ...]
    # "Section not applicable" when the auditor marked it so: it then has no rows.
    not_shown: str = ""


def answer_sections(spec: FormSpec, answers: Mapping[str, Any]) -> list[AnswerSection]:
    """Each section's questions with their answers; a standard's evidence sits beside it.

    A section marked not applicable has no rows; the tick box marking a section is not a row either.
    """
    hidden = hidden_questions(spec, answers, None)
    sections = []
    for section in spec.sections:
        if section_not_applicable(section, answers):
            sections.append(AnswerSection(section.title, (), Hidden.SECTION_NOT_APPLICABLE.label))
            continue
        rows: list[AnswerRow] = []
        for question in section.questions:
            if question.evidence_for or marks_not_applicable(section, question):
                continue
            if question.id in hidden:
                rows.append(AnswerRow(question.label, "", not_shown=hidden[question.id].label))
                continue
            evidence_question = question.kind.evidence_question(question)
            evidence = answers.get(evidence_question.id, "") if evidence_question else ""
            rows.append(AnswerRow(question.label, display_answer(question, answers.get(question.id)), evidence))
        sections.append(AnswerSection(section.title, tuple(rows)))
    return sections
