"""Answers as people read them: option labels instead of stored values, in page order."""

from dataclasses import dataclass
from typing import Any

from qaf.formspec.spec import FormSpec, Question


def display_answer(question: Question, value: Any) -> str:
    """The text a person reads for a stored answer: labels for options, '' when unanswered."""
    if value is None or value == "" or value == []:
        return ""
    return question.kind.answer_text(question, value)


@dataclass(frozen=True)
class AnswerRow:
    label: str
    answer: str
    evidence: str = ""


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: tuple[AnswerRow, ...]


def answer_sections(spec: FormSpec, answers: dict[str, Any]) -> list[AnswerSection]:
    """Each section's questions with their answers; a standard's evidence sits beside it."""
    sections = []
    for section in spec.sections:
        rows: list[AnswerRow] = []
        for question in section.questions:
            if question.evidence_for:
                continue
            evidence_question = question.kind.evidence_question(question)
            evidence = answers.get(evidence_question.id, "") if evidence_question else ""
            rows.append(AnswerRow(question.label, display_answer(question, answers.get(question.id)), evidence))
        sections.append(AnswerSection(section.title, tuple(rows)))
    return sections
