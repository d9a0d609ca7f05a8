"""Load and check form definitions (forms/*.yaml).

``load_spec`` reads one file and ``load_forms`` a folder; both raise ``SpecError``
holding every problem found, each with file, line, where, what is wrong and a code.
"""

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from qaf.formspec.errors import Code, Problem, SpecError
from qaf.formspec.spec import (
    AUDIENCES,
    CHOICE_TYPES,
    CONTEXT_FIELDS,
    DATE_BOUNDS,
    DEFAULT_RETENTION_MONTHS,
    EQUALITY_AUDIENCES,
    HEADLINE_MEASURES,
    OPTION_SOURCES,
    PREFER_NOT_TO_SAY,
    QUESTION_TYPES,
    STAGED_AUDIENCES,
    STAGES,
    AlertRule,
    Alternative,
    FormSpec,
    Option,
    Question,
    Section,
)

PathKey = tuple[str | int, ...]

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,59}$")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Names WTForms or our own pages already use on a form.
RESERVED_IDS = frozenset(
    {"csrf_token", "team", "stage", "data", "errors", "meta", "process", "validate", "populate_obj"}
)

TOP_REQUIRED = ("key", "version", "title", "audience", "sections")
TOP_OPTIONAL = (
    "intro",
    "context",
    "respondent_type",
    "respondent_question",
    "privacy",
    "alternatives",
    "grade_question",
    "scaling_question",
    "alerts",
    "keep_case_reference",
    "rounds",
    "subject",
    "retention_months",
)
SUBJECTS = ("case", "team", "person")
ROUND_SETTINGS = ("optional", "required")
ALSO_TELL = ("practitioner", "director")
SECTION_FIELDS = ("title", "intro", "questions")
QUESTION_COMMON = ("id", "type", "label", "hint", "required", "thing", "positive", "headline", "equality", "stages")
QUESTION_EXTRA = {
    "radios": ("options", "options_from"),
    "checkboxes": ("options", "options_from"),
    "select": ("options", "options_from"),
    "text": ("max_length",),
    "long_text": ("max_length",),
    "number": ("min", "max"),
    "date": ("earliest", "latest"),
    "scale": ("low_label", "high_label"),
}
DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 1200}
# A spreadsheet cell holds 32,767 characters; stay well inside it.
LONGEST_ALLOWED_TEXT = 10000

FIXED_OPTIONS: dict[str, tuple[Option, ...]] = {
    "yes_no": (Option("yes", "Yes"), Option("no", "No")),
    "agreement": (
        Option("strongly_agree", "Strongly agree"),
        Option("agree", "Agree"),
        Option("neither", "Neither agree nor disagree"),
        Option("disagree", "Disagree"),
        Option("strongly_disagree", "Strongly disagree"),
    ),
    "scale": tuple(Option(str(number), str(number)) for number in range(11)),
    "standard": (
        Option("met", "Met"),
        Option("partly_met", "Partly met"),
        Option("not_met", "Not met"),
        Option("not_applicable", "Not applicable"),
    ),
    "faces": (
        Option("1", "Really bad", symbol="face-1"),
        Option("2", "Bad", symbol="face-2"),
        Option("3", "OK", symbol="face-3"),
        Option("4", "Good", symbol="face-4"),
        Option("5", "Really good", symbol="face-5"),
    ),
}
DEFAULT_POSITIVE: dict[str, tuple[str, ...]] = {
    "yes_no": ("yes",),
    "agreement": ("strongly_agree", "agree"),
    "faces": ("4", "5"),
    "standard": ("met",),
}
EVIDENCE_MAX_LENGTH = 2000


def _read_yaml(text: str) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML keeping the line of every value, so messages can point at it."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}

        def build(current: yaml.Node | None, path: PathKey) -> Any:
            if current is None:
                return None
            lines[path] = current.start_mark.line + 1
            if isinstance(current, yaml.MappingNode):
                result: dict[Any, Any] = {}
                for key_node, value_node in current.value:
                    key = loader.construct_object(key_node, deep=True)
                    if key in result:
                        raise yaml.MarkedYAMLError(
                            problem=f"the key '{key}' appears twice", problem_mark=key_node.start_mark
                        )
                    result[key] = build(value_node, (*path, str(key)))
                    lines[(*path, str(key))] = key_node.start_mark.line + 1
                return result
            if isinstance(current, yaml.SequenceNode):
                return [build(item, (*path, index)) for index, item in enumerate(current.value)]
            return loader.construct_object(current, deep=True)

        return build(node, ()), lines
    finally:
        loader.dispose()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60]


def _where(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Checker:
    """Collects problems while turning parsed YAML into a FormSpec."""

    def __init__(self, file: str, lines: dict[PathKey, int]):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, code: Code, path: PathKey, message: str, about: str = "") -> None:
        line = 1
        for length in range(len(path), -1, -1):
            if path[:length] in self.lines:
                line = self.lines[path[:length]]
                break
        where = _where(path) + (f" (question '{about}')" if about else "")
        self.problems.append(Problem(code, self.file, line, where, message))

    def unknown_fields(
        self, data: dict[str, Any], allowed: Iterable[str], path: PathKey, code: Code, about: str = ""
    ) -> None:
        allowed = tuple(allowed)
        for name in data:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), allowed, n=1)
                fix = f"; did you mean '{hint[0]}'?" if hint else f"; allowed here: {', '.join(allowed)}"
                self.problem(code, (*path, str(name)), f"unknown field '{name}'{fix}", about)

    def text(
        self, data: dict[str, Any], name: str, path: PathKey, code: Code, *, required: bool, about: str = ""
    ) -> str:
        value = data.get(name)
        if value is None:
            if required:
                self.problem(code, path, f"'{name}' is missing; add {name}: ...", about)
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(code, (*path, name), f"'{name}' must be text", about)
            return ""
        return value.strip()

    def integer(self, data: dict[str, Any], name: str, path: PathKey, about: str) -> int | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(Code.QUESTION_BAD_VALUE, (*path, name), f"'{name}' must be a whole number", about)
            return None
        return value


def _check_options(checker: _Checker, raw: Any, path: PathKey, about: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        checker.problem(
            Code.CHOICE_MISSING,
            path,
            f"a choice question needs a list of options, or options from {' or '.join(OPTION_SOURCES)}"
            f" (options_from: {next(iter(OPTION_SOURCES))})",
            about,
        )
        return ()
    options: list[Option] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = (*path, "options", index)
        if isinstance(item, str) and item.strip():
            option = Option(_slug(item), item.strip())
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            checker.unknown_fields(item, ("value", "label", "hint"), where, Code.QUESTION_UNKNOWN_FIELD, about)
            value = item.get("value", _slug(item["label"]))
            option = Option(str(value), item["label"].strip(), str(item.get("hint") or ""))
        else:
            checker.problem(
                Code.QUESTION_BAD_VALUE, where, "an option is text, or a mapping with value and label", about
            )
            continue
        if not option.value:
            checker.problem(Code.QUESTION_BAD_VALUE, where, "an option needs a value made of letters or digits", about)
        elif option.value in seen:
            checker.problem(Code.CHOICE_DUPLICATE_VALUE, where, f"the value '{option.value}' is used twice", about)
        seen.add(option.value)
        options.append(option)
    return tuple(options)


def _check_question(checker: _Checker, raw: Any, path: PathKey, seen_ids: set[str]) -> Question | None:
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

    question_type = raw.get("type")
    if question_type not in QUESTION_TYPES:
        if question_type is None:
            checker.problem(Code.QUESTION_MISSING_FIELD, path, "'type' is missing", about)
        else:
            hint = difflib.get_close_matches(str(question_type), sorted(QUESTION_TYPES), n=1)
            fix = f"; did you mean '{hint[0]}'?" if hint else f"; use one of {', '.join(sorted(QUESTION_TYPES))}"
            checker.problem(Code.QUESTION_UNKNOWN_TYPE, (*path, "type"), f"unknown type '{question_type}'{fix}", about)
        return None

    checker.unknown_fields(
        raw, QUESTION_COMMON + QUESTION_EXTRA.get(question_type, ()), path, Code.QUESTION_UNKNOWN_FIELD, about
    )
    label = checker.text(raw, "label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)
    required = raw.get("required", True)
    if not isinstance(required, bool):
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, "required"), "'required' must be true or false", about)
        required = True

    options = FIXED_OPTIONS.get(question_type, ())
    options_from = _check_options_from(checker, raw, path, about)
    if question_type in CHOICE_TYPES and "options_from" not in raw:
        options = _check_options(checker, raw.get("options"), path, about)

    positive: tuple[str, ...] = DEFAULT_POSITIVE.get(question_type, ())
    if "positive" in raw and not options_from:
        if not options or not isinstance(raw["positive"], list):
            checker.problem(
                Code.QUESTION_BAD_VALUE, (*path, "positive"), "'positive' is a list of option values", about
            )
        else:
            positive = tuple(str(value) for value in raw["positive"])
            known = {option.value for option in options}
            for value in positive:
                if value not in known:
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

    minimum = checker.integer(raw, "min", path, about)
    maximum = checker.integer(raw, "max", path, about)
    if minimum is not None and maximum is not None and minimum > maximum:
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, "min"), "'min' is larger than 'max'", about)

    max_length = checker.integer(raw, "max_length", path, about)
    if question_type in DEFAULT_MAX_LENGTH:
        if max_length is None:
            max_length = DEFAULT_MAX_LENGTH[question_type]
        elif not 1 <= max_length <= LONGEST_ALLOWED_TEXT:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, "max_length"),
                f"'max_length' must be 1 to {LONGEST_ALLOWED_TEXT}",
                about,
            )

    low_label = high_label = ""
    if question_type == "scale":
        low_label = checker.text(raw, "low_label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)
        high_label = checker.text(raw, "high_label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)

    return Question(
        id=about,
        type=question_type,
        label=label,
        hint=checker.text(raw, "hint", path, Code.QUESTION_BAD_VALUE, required=False, about=about),
        required=required,
        thing=checker.text(raw, "thing", path, Code.QUESTION_BAD_VALUE, required=False, about=about),
        options=options,
        positive=positive,
        headline=str(headline),
        equality=raw.get("equality") is True,
        stages=_check_stages(checker, raw, path, about),
        options_from=options_from,
        earliest=_check_date_bound(checker, raw, "earliest", path, about),
        latest=_check_date_bound(checker, raw, "latest", path, about),
        min=minimum,
        max=maximum,
        max_length=max_length,
        low_label=low_label,
        high_label=high_label,
    )


def _check_options_from(checker: _Checker, raw: dict[str, Any], path: PathKey, about: str) -> str:
    """``options_from``: options the caller supplies from a known source, instead of ``options``."""
    source = raw.get("options_from")
    if source is None:
        return ""
    known = ", ".join(OPTION_SOURCES)
    if source not in OPTION_SOURCES:
        hint = difflib.get_close_matches(str(source), OPTION_SOURCES, n=1)
        fix = f"did you mean '{hint[0]}'?" if hint else f"use one of {known}"
        checker.problem(
            Code.CHOICE_UNKNOWN_SOURCE, (*path, "options_from"), f"unknown options source '{source}'; {fix}", about
        )
        return ""
    if "options" in raw:
        checker.problem(
            Code.CHOICE_NOT_ALLOWED,
            (*path, "options"),
            f"the options come from {source}: remove 'options', or remove 'options_from' to list them here",
            about,
        )
    if "positive" in raw:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "positive"),
            f"options from {source} are not known in advance, so none can be positive: remove 'positive'",
            about,
        )
    return str(source)


def _check_stages(checker: _Checker, raw: dict[str, Any], path: PathKey, about: str) -> tuple[str, ...]:
    """``stages``: the stages a question is asked at; the form-level checks are in ``_check_staged_form``."""
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


def _check_date_bound(checker: _Checker, raw: dict[str, Any], name: str, path: PathKey, about: str) -> str:
    """``earliest`` / ``latest`` on a date question: a day relative to the day it is answered."""
    value = raw.get(name)
    if value is None:
        return ""
    allowed = DATE_BOUNDS[name]
    if value not in allowed:
        choices = "; ".join(f"{name}: {key} (the date must be {words})" for key, (_days, words) in allowed.items())
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, name), f"'{name}' can be {choices}", about)
        return ""
    other = "earliest" if name == "latest" else "latest"
    if name == "latest" and raw.get(other) in DATE_BOUNDS[other]:
        if DATE_BOUNDS[other][raw[other]][0] > allowed[value][0]:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, name),
                f"no date is both {DATE_BOUNDS[other][raw[other]][1]} and {allowed[value][1]}:"
                f" change 'earliest' or 'latest'",
                about,
            )
    return str(value)


def _check_staged_form(checker: _Checker, raw: dict[str, Any], questions: dict[str, Question]) -> None:
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


def _evidence_for(checker: _Checker, standard: Question, path: PathKey, seen_ids: set[str]) -> Question:
    """Every quality standard gets an evidence box after it: the auditor says what they found."""
    evidence_id = f"{standard.id}_evidence"
    if evidence_id in seen_ids:
        checker.problem(
            Code.QUESTION_DUPLICATE_ID, path, f"the id '{evidence_id}' is taken by this standard's evidence"
        )
    seen_ids.add(evidence_id)
    return Question(
        id=evidence_id,
        type="long_text",
        label="Evidence",
        hint="What you found in the record",
        required=False,
        thing=f"the evidence for ‘{standard.label}’",
        max_length=EVIDENCE_MAX_LENGTH,
        evidence_for=standard.id,
        hidden_label=f"for ‘{standard.label}’",
    )


def _check_audit_fields(
    checker: _Checker, raw: dict[str, Any], questions: dict[str, Question]
) -> tuple[AlertRule, ...]:
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
        for answer in answers:
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


def _check_sections(checker: _Checker, raw: Any) -> tuple[Section, ...]:
    if not isinstance(raw, list) or not raw:
        checker.problem(Code.SPEC_BAD_VALUE, ("sections",), "'sections' must be a list with at least one section")
        return ()
    sections: list[Section] = []
    seen_ids: set[str] = set()
    for index, raw_section in enumerate(raw):
        path: PathKey = ("sections", index)
        if not isinstance(raw_section, dict):
            checker.problem(Code.SPEC_BAD_VALUE, path, "a section is a mapping with a title and questions")
            continue
        checker.unknown_fields(raw_section, SECTION_FIELDS, path, Code.SPEC_UNKNOWN_FIELD)
        raw_questions = raw_section.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            checker.problem(Code.SECTION_EMPTY, path, "a section needs a list of questions")
            raw_questions = []
        questions: list[Question | None] = []
        for number, raw_question in enumerate(raw_questions):
            question = _check_question(checker, raw_question, (*path, "questions", number), seen_ids)
            questions.append(question)
            if question is not None and question.type == "standard":
                questions.append(_evidence_for(checker, question, (*path, "questions", number), seen_ids))
        sections.append(
            Section(
                title=checker.text(raw_section, "title", path, Code.SPEC_MISSING_FIELD, required=True),
                intro=checker.text(raw_section, "intro", path, Code.SPEC_BAD_VALUE, required=False),
                questions=tuple(question for question in questions if question is not None),
            )
        )
    return tuple(sections)


def spec_digest(spec: FormSpec) -> str:
    """A digest of the content: two definitions that mean the same have the same digest."""
    return hashlib.sha256(json.dumps(spec.snapshot(), sort_keys=True).encode()).hexdigest()


def _raw_questions(raw: dict[str, Any]) -> Iterable[tuple[PathKey, dict[str, Any]]]:
    """Each question of the parsed YAML that is a mapping, with its path: for checks across the form."""
    raw_sections = raw.get("sections")
    for section_number, section in enumerate(raw_sections if isinstance(raw_sections, list) else []):
        questions = section.get("questions") if isinstance(section, dict) else None
        for number, question in enumerate(questions if isinstance(questions, list) else []):
            if isinstance(question, dict):
                yield ("sections", section_number, "questions", number), question


def _check_headlines(checker: _Checker, raw: dict[str, Any], audience: str) -> None:
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


def _check_equality(checker: _Checker, sections: tuple[Section, ...], raw: dict[str, Any], audience: str) -> None:
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


def parse_spec(text: str, file: str) -> FormSpec:
    """Check one definition given as YAML text; ``file`` names it in messages."""
    try:
        raw, lines = _read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        raise SpecError([Problem(Code.SPEC_YAML, file, line, "", f"this is not valid YAML: {reason}")]) from None
    checker = _Checker(file, lines)
    if not isinstance(raw, dict):
        checker.problem(Code.SPEC_NOT_MAPPING, (), "a form definition is a mapping with key, title, sections...")
        raise SpecError(checker.problems)

    for name in TOP_REQUIRED:
        if name not in raw:
            checker.problem(Code.SPEC_MISSING_FIELD, (), f"'{name}' is missing; add {name}: ...")
    checker.unknown_fields(raw, TOP_REQUIRED + TOP_OPTIONAL, (), Code.SPEC_UNKNOWN_FIELD)

    key = raw.get("key")
    if key is not None and (not isinstance(key, str) or not KEY_PATTERN.match(key)):
        checker.problem(Code.SPEC_BAD_VALUE, ("key",), "'key' must be lower case letters, digits and -, as in the link")
    audience = raw.get("audience")
    if audience is not None and audience not in AUDIENCES:
        checker.problem(
            Code.SPEC_BAD_VALUE, ("audience",), f"unknown audience '{audience}'; use one of {', '.join(AUDIENCES)}"
        )
    context = raw.get("context") or []
    if not isinstance(context, list) or any(name not in CONTEXT_FIELDS for name in context):
        checker.problem(
            Code.SPEC_BAD_VALUE, ("context",), f"'context' is a list drawn from {', '.join(CONTEXT_FIELDS)}"
        )
        context = []

    sections = _check_sections(checker, raw.get("sections"))
    all_questions = {question.id: question for section in sections for question in section.questions}
    question_types = {question_id: question.type for question_id, question in all_questions.items()}
    alerts = _check_audit_fields(checker, raw, all_questions)

    _check_headlines(checker, raw, str(audience))
    _check_equality(checker, sections, raw, str(audience))
    _check_staged_form(checker, raw, all_questions)

    respondent_question = raw.get("respondent_question") or ""
    if respondent_question and question_types.get(respondent_question) not in ("radios", "select"):
        checker.problem(
            Code.SPEC_BAD_REFERENCE,
            ("respondent_question",),
            f"'{respondent_question}' must be the id of a radios or select question in this form",
        )

    alternatives: list[Alternative] = []
    for index, item in enumerate(raw.get("alternatives") or []):
        if isinstance(item, dict) and isinstance(item.get("form"), str) and isinstance(item.get("text"), str):
            alternatives.append(Alternative(item["form"], item["text"]))
        else:
            checker.problem(Code.SPEC_BAD_VALUE, ("alternatives", index), "an alternative has a form key and a text")

    subject = raw.get("subject", "case")
    if subject not in SUBJECTS:
        checker.problem(Code.SPEC_BAD_VALUE, ("subject",), "'subject' is case, team or person")
    elif subject != "case" and audience != "auditor":
        checker.problem(Code.SPEC_BAD_VALUE, ("subject",), "only audit templates (audience auditor) have a subject")

    keep_case_reference = raw.get("keep_case_reference", False)
    if not isinstance(keep_case_reference, bool):
        checker.problem(Code.SPEC_BAD_VALUE, ("keep_case_reference",), "'keep_case_reference' must be true or false")
    elif keep_case_reference and audience not in ("family", "child"):
        checker.problem(
            Code.SPEC_BAD_VALUE,
            ("keep_case_reference",),
            "only family and child forms can keep a case reference: partner and staff forms are anonymous",
        )
    rounds = raw.get("rounds", "")
    if rounds not in ("", *ROUND_SETTINGS):
        checker.problem(Code.SPEC_BAD_VALUE, ("rounds",), f"'rounds' is one of {', '.join(ROUND_SETTINGS)}")

    retention_months = raw.get("retention_months", DEFAULT_RETENTION_MONTHS)
    if isinstance(retention_months, bool) or not isinstance(retention_months, int) or not 1 <= retention_months <= 120:
        checker.problem(Code.SPEC_BAD_VALUE, ("retention_months",), "'retention_months' is a whole number, 1 to 120")

    version = raw.get("version")
    if version is not None and not isinstance(version, (str, int)):
        checker.problem(Code.SPEC_BAD_VALUE, ("version",), "'version' is a number or short text, e.g. 1 or 2026-04")

    if checker.problems:
        raise SpecError(checker.problems)

    spec = FormSpec(
        key=str(key),
        version=str(version),
        title=checker.text(raw, "title", (), Code.SPEC_MISSING_FIELD, required=True),
        audience=str(audience),
        intro=checker.text(raw, "intro", (), Code.SPEC_BAD_VALUE, required=False),
        sections=sections,
        context=tuple(context),
        respondent_type=str(raw.get("respondent_type") or ""),
        respondent_question=respondent_question,
        privacy=checker.text(raw, "privacy", (), Code.SPEC_BAD_VALUE, required=False),
        alternatives=tuple(alternatives),
        grade_question=str(raw.get("grade_question") or ""),
        scaling_question=str(raw.get("scaling_question") or ""),
        alerts=alerts,
        keep_case_reference=bool(keep_case_reference),
        rounds=str(rounds),
        subject=str(subject),
        retention_months=retention_months,
        path=file,
    )
    if checker.problems:
        raise SpecError(checker.problems)
    return FormSpec(**{**spec.__dict__, "digest": spec_digest(spec)})


def load_spec(path: Path, root: Path | None = None) -> FormSpec:
    """Load one definition file; messages name it relative to ``root``."""
    name = str(path.relative_to(root.parent)) if root else str(path)
    return parse_spec(path.read_text(encoding="utf-8"), name)


_loaded: dict[tuple[str, tuple[tuple[str, int, int], ...]], dict[str, FormSpec]] = {}


def load_forms_once(folder: Path) -> dict[str, FormSpec]:
    """``load_forms``, remembered while no file in the folder changes (apps made in tests, workers)."""
    files = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in sorted(folder.rglob("*.yaml")))
    key = (str(folder.resolve()), files)
    if key not in _loaded:
        _loaded[key] = load_forms(folder)
    return _loaded[key]


def load_forms(folder: Path) -> dict[str, FormSpec]:
    """Load every definition under ``folder``, checking each and the links between them."""
    problems: list[Problem] = []
    specs: dict[str, FormSpec] = {}
    for path in sorted(folder.rglob("*.yaml")):
        try:
            spec = load_spec(path, folder)
        except SpecError as error:
            problems.extend(error.problems)
            continue
        if spec.key in specs:
            problems.append(
                Problem(
                    Code.SPEC_DUPLICATE_KEY,
                    spec.path,
                    1,
                    "key",
                    f"'{spec.key}' is also the key of {specs[spec.key].path}",
                )
            )
            continue
        specs[spec.key] = spec
    for spec in specs.values():
        for alternative in spec.alternatives:
            if alternative.form not in specs:
                problems.append(
                    Problem(
                        Code.SPEC_BAD_REFERENCE,
                        spec.path,
                        1,
                        "alternatives",
                        f"no form has the key '{alternative.form}'",
                    )
                )
    if problems:
        raise SpecError(problems)
    return specs
