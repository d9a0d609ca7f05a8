"""The loader's problems with a draft in the editor's words, each linked to the page that fixes it."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from qaf.editor.edits import all_questions
from qaf.formspec import Problem

_PLACE = re.compile(r"^(?:sections\[(\d+)\](?:\.questions\[(\d+)\])?|alerts\[(\d+)\])")
# The definition's field names, as the editor's pages call them.
FIELD_WORDS = {
    "label": "the question",
    "hint": "the hint",
    "type": "the kind of answer",
    "options": "the answers to choose from",
    "positive": "the positive answers",
    "headline": "the headline measure",
    "stages": "the stages",
    "show_if": "the condition",
    "title": "the heading",
    "intro": "the introduction",
    "id": "the short name",
    "may_not_apply": "whether it can be marked not applicable",
    "low_label": "what 0 means",
    "high_label": "what 10 means",
    "max_length": "the longest answer",
    "answers": "the answers that raise the alert",
    "reason": "the reason",
    "question": "the question",
}
# What the loader tells someone editing YAML to type, which an editor page does for them.
_YAML_FIX = re.compile(r";\s*add [a-z_]+: .*$|\badd [a-z_]+: \[?\.\.\.\]? with ")


@dataclass(frozen=True)
class EditorProblem:
    text: str
    href: str


def editor_problem(problem: Problem, form_key: str, labels: Mapping[str, str] | None = None) -> EditorProblem:
    """One problem: where it is ("Section 2, question 3"), what is wrong, and the page to fix it on."""
    found = _PLACE.match(problem.where)
    href = url_for("editor.draft", form_key=form_key)
    place = "The form"
    if found and found.group(1) is not None:
        section = int(found.group(1))
        place = f"Section {section + 1}"
        href = url_for("editor.section", form_key=form_key, section=section)
        if found.group(2) is not None:
            question = int(found.group(2))
            place += f", question {question + 1}"
            href = url_for("editor.question", form_key=form_key, section=section, question=question)
    elif found and found.group(3) is not None:
        alert = int(found.group(3))
        place = f"Alert {alert + 1}"
        href = url_for("editor.alert", form_key=form_key, alert=alert)
    return EditorProblem(f"{place}: {plain_words(problem.message, labels or {})}", href)


def plain_words(message: str, labels: Mapping[str, str] | None = None) -> str:
    """A loader message without YAML: questions by their labels (``labels``: the draft's, by id), field
    names as the pages call them, no "add x: ..." fixes."""
    text = _YAML_FIX.sub("", message).strip()
    for question_id, label in (labels or {}).items():
        text = text.replace(f"'{question_id}'", f"“{label}”")
    for name, words in FIELD_WORDS.items():
        text = text.replace(f"'{name}'", words)
    return text[:1].upper() + text[1:]


def editor_problems(problems: list[Problem], form_key: str, definition: dict[str, Any]) -> list[EditorProblem]:
    labels = {key: str(raw.get("label", key)) for key, raw in all_questions(definition).items()}
    return [editor_problem(problem, form_key, labels) for problem in problems]
