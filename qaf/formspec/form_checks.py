"""Checks across a definition's questions: audit fields, alerts, headlines, equality and stages."""

from collections.abc import Iterable
from typing import Any

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.errors import Code
from qaf.formspec.spec import (
    EQUALITY_AUDIENCES,
    HEADLINE_MEASURES,
    PREFER_NOT_TO_SAY,
    STAGED_AUDIENCES,
    AlertRule,
    Question,
    Section,
)

ALSO_TELL = ("practitioner", "director")


def check_staged_form(checker: Checker, raw: dict[str, Any], questions: dict[str, Question]) -> None:
    """Questions limited to stages belong on family and child forms, never as the respondent question."""
    audience = raw.get("audience")
    for path, question in _raw_questions(raw):
        about = str(question.get("id", ""))
        if "stages" not in question or about not in questions or not questions[about].stages:
            continue
        if audience not in STAGED_AUDIENCES:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, "stages"),
                f"only {' and '.join(STAGED_AUDIENCES)} forms are answered at a stage: remove 'stages'",
                about,
            )
        elif about == raw.get("respondent_question"):
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, "stages"),
                "the respondent question is asked at every stage: remove 'stages'",
                about,
            )


def check_audit_fields(checker: Checker, raw: dict[str, Any], questions: dict[str, Question]) -> tuple[AlertRule, ...]:
    for name, types in (("grade_question", ("radios", "select")), ("scaling_question", ("scale", "number"))):
        value = raw.get(name)
        if value is not None and (value not in questions or questions[value].type not in types):
            checker.problem(
                Code.SPEC_BAD_REFERENCE,
                (name,),
                f"'{value}' must be the id of a {' or '.join(types)} question in this form",
            )
    rules: list[AlertRule] = []
    raw_alerts = raw.get("alerts") or []
    if not isinstance(raw_alerts, list):
        checker.problem(Code.SPEC_BAD_VALUE, ("alerts",), "'alerts' is a list of {question, answers, reason}")
        return ()
    for index, item in enumerate(raw_alerts):
        path: PathKey = ("alerts", index)
        if not isinstance(item, dict):
            checker.problem(Code.SPEC_BAD_VALUE, path, "an alert is a mapping with question, answers and reason")
            continue
        checker.unknown_fields(item, ("question", "answers", "reason", "also_tell"), path, Code.SPEC_UNKNOWN_FIELD)
        also_tell = item.get("also_tell") or []
        if not isinstance(also_tell, list) or any(who not in ALSO_TELL for who in also_tell):
            checker.problem(
                Code.SPEC_BAD_VALUE, (*path, "also_tell"), f"'also_tell' is a list drawn from {', '.join(ALSO_TELL)}"
            )
            also_tell = []
        question = questions.get(str(item.get("question")))
        answers = item.get("answers")
        reason = item.get("reason")
        if question is None or not question.options:
            checker.problem(
                Code.SPEC_BAD_REFERENCE, (*path, "question"), "must be the id of a choice question in this form"
            )
            continue
        if not isinstance(answers, list) or not answers:
            checker.problem(Code.SPEC_BAD_VALUE, (*path, "answers"), "'answers' is a list of option values")
            continue
        known = {option.value for option in question.options}
        for index, answer in enumerate(answers):
            if isinstance(answer, bool) and checker.not_text(answer, (*path, "answers", index)):
                continue
            if str(answer) not in known:
                checker.problem(
                    Code.CHOICE_UNKNOWN_POSITIVE,
                    (*path, "answers"),
                    f"'{answer}' is not one of the options of '{question.id}' ({', '.join(sorted(known))})",
                )
        if not isinstance(reason, str) or not reason.strip():
            checker.problem(Code.SPEC_MISSING_FIELD, path, "'reason' is missing: say why this answer needs an alert")
            continue
        rules.append(AlertRule(question.id, tuple(str(answer) for answer in answers), reason.strip(), tuple(also_tell)))
    return tuple(rules)


def _raw_questions(raw: dict[str, Any]) -> Iterable[tuple[PathKey, dict[str, Any]]]:
    """Each question of the parsed YAML that is a mapping, with its path: for checks across the form."""
    raw_sections = raw.get("sections")
    for section_number, section in enumerate(raw_sections if isinstance(raw_sections, list) else []):
        questions = section.get("questions") if isinstance(section, dict) else None
        for number, question in enumerate(questions if isinstance(questions, list) else []):
            if isinstance(question, dict):
                yield ("sections", section_number, "questions", number), question


def check_headlines(checker: Checker, raw: dict[str, Any], audience: str) -> None:
    """A headline measure is fed by at most one question of a form, on a form of its audiences."""
    seen: set[str] = set()
    for question_path, question in _raw_questions(raw):
        headline = question.get("headline")
        if headline not in HEADLINE_MEASURES:
            continue
        path: PathKey = (*question_path, "headline")
        about = str(question.get("id", ""))
        if audience not in HEADLINE_MEASURES[headline]:
            allowed = " and ".join(HEADLINE_MEASURES[headline])
            checker.problem(Code.QUESTION_BAD_VALUE, path, f"'{headline}' is counted on {allowed} forms only", about)
        elif headline in seen:
            checker.problem(
                Code.QUESTION_BAD_VALUE, path, f"another question of this form already feeds '{headline}'", about
            )
        seen.add(headline)


def check_equality(checker: Checker, sections: tuple[Section, ...], raw: dict[str, Any], audience: str) -> None:
    """An equality monitoring question is an optional single choice offering 'Prefer not to say', on a
    family form, feeding no measure: people may skip it, and reports show it only as group counts."""
    raw_sections = raw.get("sections")
    for section_number, section in enumerate(raw_sections if isinstance(raw_sections, list) else []):
        questions = section.get("questions") if isinstance(section, dict) else None
        for number, question in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(question, dict) or "equality" not in question:
                continue
            path: PathKey = ("sections", section_number, "questions", number, "equality")
            about = str(question.get("id", ""))
            if not isinstance(question["equality"], bool):
                checker.problem(Code.QUESTION_BAD_VALUE, path, "'equality' must be true or false", about)
                continue
            if not question["equality"]:
                continue
            options = [option.value for s in sections for q in s.questions if q.id == about for option in q.options]
            if audience not in EQUALITY_AUDIENCES:
                allowed = " and ".join(EQUALITY_AUDIENCES)
                checker.problem(
                    Code.QUESTION_BAD_VALUE, path, f"equality questions are asked on {allowed} forms only", about
                )
            elif raw.get("keep_case_reference") is True:
                checker.problem(
                    Code.QUESTION_BAD_VALUE,
                    path,
                    "a form that keeps the case reference cannot ask equality questions: the answers would be "
                    "linked to a case (remove equality: true, or the question)",
                    about,
                )
            elif question.get("type") not in ("radios", "select"):
                checker.problem(
                    Code.QUESTION_BAD_VALUE, path, "an equality question is a radios or select question", about
                )
            elif question.get("required", True) is not False:
                checker.problem(
                    Code.QUESTION_BAD_VALUE, path, "an equality question must be optional: add required: false", about
                )
            elif question.get("headline") or "positive" in question:
                checker.problem(
                    Code.QUESTION_BAD_VALUE,
                    path,
                    "an equality question cannot feed a measure: remove positive and headline",
                    about,
                )
            elif PREFER_NOT_TO_SAY not in options:
                checker.problem(
                    Code.QUESTION_BAD_VALUE,
                    path,
                    f"an equality question needs the option {{value: {PREFER_NOT_TO_SAY}, label: Prefer not to say}}",
                    about,
                )
