"""Check one question of a definition: the keys every question has, then its type's own."""

import difflib
import re
from typing import Any

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.errors import Code
from qaf.formspec.spec import HEADLINE_MEASURES, STAGES, Question
from qaf.formspec.types import DEFINITION_TYPES, question_type

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Names WTForms or our own pages already use on a form.
RESERVED_IDS = frozenset(
    {"csrf_token", "team", "stage", "data", "errors", "meta", "process", "validate", "populate_obj"}
)

# The keys every question takes; its type adds its own (``QuestionType.keys``).
QUESTION_COMMON = (
    "id",
    "type",
    "label",
    "hint",
    "required",
    "thing",
    "positive",
    "headline",
    "equality",
    "stages",
    "show_if",
)


def check_question(checker: Checker, raw: Any, path: PathKey, seen_ids: set[str]) -> Question | None:
    if not isinstance(raw, dict):
        checker.problem(Code.QUESTION_BAD_VALUE, path, "a question is a mapping with id, type and label")
        return None
    question_id = raw.get("id")
    about = question_id if isinstance(question_id, str) else ""
    if not isinstance(question_id, str) or not ID_PATTERN.match(question_id) or question_id in RESERVED_IDS:
        if question_id is None:
            checker.problem(Code.QUESTION_MISSING_FIELD, path, "'id' is missing; add id: a_stable_name")
        elif question_id in RESERVED_IDS:
            checker.problem(Code.QUESTION_BAD_ID, (*path, "id"), f"'{question_id}' is reserved; choose another id")
        else:
            checker.problem(
                Code.QUESTION_BAD_ID, (*path, "id"), f"id '{question_id}' must be lower case letters, digits and _"
            )
    elif question_id in seen_ids:
        checker.problem(Code.QUESTION_DUPLICATE_ID, (*path, "id"), f"the id '{question_id}' is used twice", about)
    else:
        seen_ids.add(question_id)

    type_name = raw.get("type")
    if type_name not in DEFINITION_TYPES:
        if type_name is None:
            checker.problem(Code.QUESTION_MISSING_FIELD, path, "'type' is missing", about)
        else:
            hint = difflib.get_close_matches(str(type_name), DEFINITION_TYPES, n=1)
            fix = f"; did you mean '{hint[0]}'?" if hint else f"; use one of {', '.join(DEFINITION_TYPES)}"
            checker.problem(Code.QUESTION_UNKNOWN_TYPE, (*path, "type"), f"unknown type '{type_name}'{fix}", about)
        return None
    kind = question_type(type_name)

    checker.unknown_fields(raw, QUESTION_COMMON + kind.keys, path, Code.QUESTION_UNKNOWN_FIELD, about)
    label = checker.text(raw, "label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)
    required = raw.get("required", True)
    if not isinstance(required, bool):
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, "required"), "'required' must be true or false", about)
        required = True

    own = kind.definition(checker, raw, path, about)
    options = own.get("options", ())
    options_from = own.get("options_from", "")
    positive: tuple[str, ...] = kind.positive
    if "positive" in raw and not options_from:
        if not options or not isinstance(raw["positive"], list):
            checker.problem(
                Code.QUESTION_BAD_VALUE, (*path, "positive"), "'positive' is a list of option values", about
            )
        else:
            positive = tuple(str(value) for value in raw["positive"])
            known = {option.value for option in options}
            for index, value in enumerate(raw["positive"]):
                if isinstance(value, bool) and checker.not_text(value, (*path, "positive", index), about):
                    continue
                if str(value) not in known:
                    checker.problem(
                        Code.CHOICE_UNKNOWN_POSITIVE,
                        (*path, "positive"),
                        f"'{value}' is not one of the options ({', '.join(sorted(known))})",
                        about,
                    )

    headline = raw.get("headline") or ""
    if headline and headline not in HEADLINE_MEASURES:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "headline"),
            f"unknown headline measure '{headline}'; use one of {', '.join(HEADLINE_MEASURES)}",
            about,
        )
    elif headline and not positive:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "headline"),
            "a headline question needs positive answers: add positive: [...] with the option values that count",
            about,
        )

    return Question(
        id=about,
        type=type_name,
        label=label,
        hint=checker.text(raw, "hint", path, Code.QUESTION_BAD_VALUE, required=False, about=about),
        required=required,
        thing=checker.text(raw, "thing", path, Code.QUESTION_BAD_VALUE, required=False, about=about),
        positive=positive,
        headline=str(headline),
        equality=raw.get("equality") is True,
        stages=_check_stages(checker, raw, path, about),
        **own,
    )


def _check_stages(checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> tuple[str, ...]:
    """``stages``: the stages a question is asked at; the form-level checks are in ``qaf.formspec.form_checks``."""
    stages = raw.get("stages")
    if stages is None:
        return ()
    known = [value for value, _label in STAGES]
    if (
        not isinstance(stages, list)
        or not stages
        or any(stage not in known for stage in stages)
        or len(set(stages)) != len(stages)
    ):
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "stages"),
            f"'stages' is a list drawn from {', '.join(known)}, each once, e.g. stages: [review, closure]",
            about,
        )
        return ()
    # In the order of STAGES, so the same stages in another order mean (and digest) the same.
    return tuple(stage for stage in known if stage in stages)


def evidence_for(checker: Checker, question: Question, path: PathKey, seen_ids: set[str]) -> Question | None:
    """The evidence box the question's type adds after it (every quality standard's), if any."""
    evidence = question.kind.evidence_question(question)
    if evidence is None:
        return None
    evidence_id = evidence.id
    if evidence_id in seen_ids:
        checker.problem(
            Code.QUESTION_DUPLICATE_ID, path, f"the id '{evidence_id}' is taken by this standard's evidence"
        )
    seen_ids.add(evidence_id)
    return evidence
