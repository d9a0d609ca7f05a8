"""The loader's checks of ``show_if`` (questions and sections) and of sections that ``may_not_apply``.

A condition names a choice question asked before it and values among that question's options, so
one pass in page order settles what a response showed (qaf.formspec.conditions). A section the
auditor may mark not applicable gets its own first question, the tick box that marks it.
"""

import difflib
import re
from collections.abc import Mapping
from typing import Any

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.conditions import NOT_APPLICABLE, not_applicable_question_id
from qaf.formspec.errors import Code
from qaf.formspec.spec import Condition, Option, Question, Section

SHOW_IF_KEYS = ("question", "is")
SECTION_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SHOW_IF_EXAMPLE = "show_if: {question: who_is_answering, is: [parent_carer]}"
# The questions every response needs: never hidden by a condition, a stage or a section not applicable.
ALWAYS_ASKED = {
    "grade_question": "the overall grade",
    "scaling_question": "the impact scaling",
    "respondent_question": "the respondent question",
}


def all_question_ids(raw_sections: Any) -> set[str]:
    """Every question id written in the definition, to tell a later question from an unknown one."""
    if not isinstance(raw_sections, list):
        return set()
    return {
        question["id"]
        for section in raw_sections
        if isinstance(section, dict) and isinstance(section.get("questions"), list)
        for question in section["questions"]
        if isinstance(question, dict) and isinstance(question.get("id"), str)
    }


def check_condition(
    checker: Checker,
    raw: dict[str, Any],
    path: PathKey,
    earlier: Mapping[str, Question],
    every_id: set[str],
    about: str = "",
) -> Condition | None:
    """``raw``'s ``show_if``, checked against the questions asked before it (``earlier``, in page order)."""
    if "show_if" not in raw:
        return None
    shown_if = raw["show_if"]
    where: PathKey = (*path, "show_if")
    if not isinstance(shown_if, dict) or "question" not in shown_if or "is" not in shown_if:
        checker.problem(
            Code.CONDITION_BAD,
            where,
            f"'show_if' names an earlier question and the answers that show this, e.g. {SHOW_IF_EXAMPLE}",
            about,
        )
        return None
    checker.unknown_fields(shown_if, SHOW_IF_KEYS, where, Code.CONDITION_BAD, about)
    name = shown_if["question"]
    target = earlier.get(name) if isinstance(name, str) else None
    if target is None:
        _name_problem(checker, where, name, earlier, every_id, about)
        return None
    if target.options_from:
        checker.problem(
            Code.CONDITION_NOT_CHOICE,
            (*where, "question"),
            f"'{name}' takes its options from {target.options_from} when the page is shown: a condition names "
            "a question whose options are written in the definition",
            about,
        )
        return None
    if not target.options and target.is_choice:
        # Its missing options are its own problem, already reported: nothing more to say here.
        return None
    if not target.options:
        checker.problem(
            Code.CONDITION_NOT_CHOICE,
            (*where, "question"),
            f"'{name}' is a {target.type} question: a condition names a question answered by choosing an option "
            "(radios, checkboxes, select, yes_no, agreement, scale...)",
            about,
        )
        return None
    values = _values(shown_if["is"])
    known = [option.value for option in target.options]
    if not values:
        checker.problem(
            Code.CONDITION_BAD,
            (*where, "is"),
            f"'is' is a list of the answers to '{name}' that show this, e.g. is: [{known[0]}]",
            about,
        )
        return None
    unknown = [value for value in values if value not in known]
    for value in unknown:
        checker.problem(
            Code.CONDITION_UNKNOWN_VALUE,
            (*where, "is"),
            f"'{value}' is not an answer to '{name}': its answers are {', '.join(known)}",
            about,
        )
    return None if unknown else Condition(name, tuple(values))


def _values(raw: Any) -> list[str]:
    """``is``: one value or a list; YAML's yes/no and numbers read as the option values they were written as."""
    items = raw if isinstance(raw, list) else [raw]
    values: list[str] = []
    for item in items:
        if isinstance(item, bool):
            values.append("yes" if item else "no")
        elif isinstance(item, (str, int)):
            values.append(str(item))
        else:
            return []
    return values


def _name_problem(
    checker: Checker, where: PathKey, name: Any, earlier: Mapping[str, Question], every_id: set[str], about: str
) -> None:
    if name == about:
        message = f"'{name}' is this question: a question cannot be shown on its own answer"
        code = Code.CONDITION_LATER_QUESTION
    elif name in every_id:
        message = f"'{name}' is asked after this: a condition can only name a question asked before it"
        code = Code.CONDITION_LATER_QUESTION
    else:
        close = difflib.get_close_matches(str(name), list(earlier), n=1)
        fix = f"; did you mean '{close[0]}'?" if close else ""
        message = f"no question before this has the id '{name}'{fix}"
        code = Code.CONDITION_UNKNOWN_QUESTION
    checker.problem(code, (*where, "question"), message, about)


def check_section_id(checker: Checker, raw: dict[str, Any], path: PathKey, seen: set[str]) -> str:
    """A section's ``id``: lower case letters, digits and _, once a form."""
    section_id = raw.get("id")
    if section_id is None:
        return ""
    if not isinstance(section_id, str) or not SECTION_ID_PATTERN.match(section_id):
        checker.problem(
            Code.SECTION_BAD_ID, (*path, "id"), f"section id '{section_id}' must be lower case letters, digits and _"
        )
        return ""
    if section_id in seen:
        checker.problem(Code.SECTION_BAD_ID, (*path, "id"), f"the section id '{section_id}' is used twice")
        return ""
    seen.add(section_id)
    return section_id


def check_may_not_apply(checker: Checker, raw: dict[str, Any], path: PathKey, section_id: str) -> bool:
    """``may_not_apply: true``: on audit templates, in a section with an id."""
    value = raw.get("may_not_apply", False)
    if not isinstance(value, bool):
        checker.problem(Code.SPEC_BAD_VALUE, (*path, "may_not_apply"), "'may_not_apply' must be true or false")
        return False
    if value and not section_id:
        checker.problem(
            Code.SECTION_BAD_ID,
            (*path, "may_not_apply"),
            "a section the auditor may mark not applicable needs an id, e.g. id: family_network",
        )
        return False
    return value


def not_applicable_question(section_id: str, subject: str) -> Question:
    """The tick box at the top of a ``may_not_apply`` section."""
    section = Section(title="", id=section_id)
    return Question(
        id=not_applicable_question_id(section),
        type="checkboxes",
        label="Does this section apply?",
        hint=f"Tick if it does not apply to this {subject}: its questions are then left out, "
        "and its standards are not counted in the percentages.",
        required=False,
        options=(Option(NOT_APPLICABLE, "This section does not apply"),),
    )


def check_not_applicable_sections(checker: Checker, raw: dict[str, Any]) -> None:
    """Only audit templates have sections the auditor may mark not applicable."""
    if raw.get("audience") == "auditor":
        return
    for index, section in enumerate(raw.get("sections") or []):
        if isinstance(section, dict) and section.get("may_not_apply") is True:
            checker.problem(
                Code.SPEC_BAD_VALUE,
                ("sections", index, "may_not_apply"),
                "only audit templates (audience auditor) have sections the auditor may mark not applicable",
            )


def check_always_asked(checker: Checker, raw: dict[str, Any], sections: tuple[Section, ...]) -> None:
    """The grade, the scaling and the respondent question are asked in every response."""
    for name, what in ALWAYS_ASKED.items():
        question_id = raw.get(name)
        for section in sections:
            for question in section.questions:
                if question.id != question_id:
                    continue
                if question.show_if or section.show_if or section.may_not_apply:
                    checker.problem(
                        Code.CONDITION_ON_ALWAYS_ASKED,
                        (name,),
                        f"'{question_id}' is {what}, asked in every response: it cannot have show_if "
                        "or be in a section with show_if or may_not_apply",
                    )
