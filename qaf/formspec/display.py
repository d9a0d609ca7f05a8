"""Answers as people read them: option labels instead of stored values, in page order."""

from dataclasses import dataclass
from typing import Any

from qaf.formspec.spec import FormSpec, Question


def display_answer(question: Question, value: Any) -> str:
    """The text a person reads for a stored answer: labels for options, '' when unanswered."""
    if value is None or value == "" or value == []:
        return ""
    if question.type == "date":
        year, month, day = str(value).split("-")
        return f"{int(day)} {MONTH_NAMES[int(month) - 1]} {year}"
    if isinstance(value, list):
        return ", ".join(question.option_label(str(item)) for item in value)
    if question.options:
        return question.option_label(str(value))
    return str(value)


MONTH_NAMES = "January February March April May June July August September October November December".split()


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
            evidence = answers.get(f"{question.id}_evidence", "") if question.type == "standard" else ""
            rows.append(AnswerRow(question.label, display_answer(question, answers.get(question.id)), evidence))
        sections.append(AnswerSection(section.title, tuple(rows)))
    return sections
