"""Load and check form definitions (forms/*.yaml).

``load_spec`` reads one file and ``load_forms`` a folder; both raise ``SpecError``
holding every problem found, each with file, line, where, what is wrong and a code.
"""

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.condition_checks import (
    all_question_ids,
    check_always_asked,
    check_condition,
    check_may_not_apply,
    check_not_applicable_sections,
    check_section_id,
    not_applicable_question,
)
from qaf.formspec.errors import Code, Problem, SpecError
from qaf.formspec.form_checks import check_audit_fields, check_equality, check_headlines, check_staged_form
from qaf.formspec.questions import check_question, evidence_for
from qaf.formspec.spec import (
    AUDIENCES,
    CONTEXT_FIELDS,
    DEFAULT_RETENTION_MONTHS,
    Alternative,
    FormSpec,
    Question,
    Section,
)
from qaf.formspec.yaml_errors import KEY_NOT_A_NAME, explain

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,59}$")

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
SECTION_FIELDS = ("title", "intro", "questions", "id", "show_if", "may_not_apply")


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
                    if isinstance(key, (list, dict)):
                        raise yaml.MarkedYAMLError(problem=KEY_NOT_A_NAME, problem_mark=key_node.start_mark)
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


def _check_sections(checker: Checker, raw: Any, subject: str) -> tuple[Section, ...]:
    if not isinstance(raw, list) or not raw:
        checker.problem(Code.SPEC_BAD_VALUE, ("sections",), "'sections' must be a list with at least one section")
        return ()
    sections: list[Section] = []
    seen_ids: set[str] = set()
    section_ids: set[str] = set()
    every_id = all_question_ids(raw)
    # The questions so far, in page order: what a condition may name.
    earlier: dict[str, Question] = {}
    for index, raw_section in enumerate(raw):
        path: PathKey = ("sections", index)
        if not isinstance(raw_section, dict):
            checker.problem(Code.SPEC_BAD_VALUE, path, "a section is a mapping with a title and questions")
            continue
        checker.unknown_fields(raw_section, SECTION_FIELDS, path, Code.SPEC_UNKNOWN_FIELD)
        section_id = check_section_id(checker, raw_section, path, section_ids)
        may_not_apply = check_may_not_apply(checker, raw_section, path, section_id)
        section_condition = check_condition(checker, raw_section, path, earlier, every_id)
        raw_questions = raw_section.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            checker.problem(Code.SECTION_EMPTY, path, "a section needs a list of questions")
            raw_questions = []
        questions: list[Question | None] = []
        if may_not_apply:
            marker = not_applicable_question(section_id, subject)
            if marker.id in seen_ids or marker.id in every_id:
                checker.problem(
                    Code.QUESTION_DUPLICATE_ID,
                    (*path, "id"),
                    f"the id '{marker.id}' is taken by this section's tick box",
                )
            seen_ids.add(marker.id)
            questions.append(marker)
        for number, raw_question in enumerate(raw_questions):
            question_path: PathKey = (*path, "questions", number)
            question = check_question(checker, raw_question, question_path, seen_ids)
            if question is not None:
                condition = check_condition(checker, raw_question, question_path, earlier, every_id, question.id)
                question = replace(question, show_if=condition)
                earlier[question.id] = question
            questions.append(question)
            if question is not None:
                questions.append(evidence_for(checker, question, question_path, seen_ids))
        sections.append(
            Section(
                title=checker.text(raw_section, "title", path, Code.SPEC_MISSING_FIELD, required=True),
                intro=checker.text(raw_section, "intro", path, Code.SPEC_BAD_VALUE, required=False),
                questions=tuple(question for question in questions if question is not None),
                id=section_id,
                show_if=section_condition,
                may_not_apply=may_not_apply,
            )
        )
    return tuple(sections)


def spec_digest(spec: FormSpec) -> str:
    """A digest of the content: two definitions that mean the same have the same digest."""
    return hashlib.sha256(json.dumps(spec.snapshot(), sort_keys=True).encode()).hexdigest()


def parse_spec(text: str, file: str) -> FormSpec:
    """Check one definition given as YAML text; ``file`` names it in messages."""
    try:
        raw, lines = _read_yaml(text)
    except yaml.YAMLError as error:
        raise SpecError([explain(error, text, file)]) from None
    return check_definition(raw, file, lines, text)


def check_definition(raw: Any, file: str, lines: dict[PathKey, int] | None = None, text: str = "") -> FormSpec:
    """Check one definition already read (from YAML, or a published version stored in the database).

    Without ``lines`` every problem is on line 1: its ``where`` still says which field it is.
    """
    checker = Checker(file, lines or {}, text)
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

    subject = raw.get("subject", "case")
    sections = _check_sections(checker, raw.get("sections"), str(subject))
    all_questions = {question.id: question for section in sections for question in section.questions}
    question_types = {question_id: question.type for question_id, question in all_questions.items()}
    alerts = check_audit_fields(checker, raw, all_questions)

    check_headlines(checker, raw, str(audience))
    check_equality(checker, sections, raw, str(audience))
    check_staged_form(checker, raw, all_questions)
    check_not_applicable_sections(checker, raw)
    check_always_asked(checker, raw, sections)

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
    problems.extend(check_links(specs))
    if problems:
        raise SpecError(problems)
    return specs


def check_links(specs: dict[str, FormSpec]) -> list[Problem]:
    """The problems in what definitions say about each other: alternatives naming a form no one has."""
    return [
        Problem(Code.SPEC_BAD_REFERENCE, spec.path, 1, "alternatives", f"no form has the key '{alternative.form}'")
        for spec in specs.values()
        for alternative in spec.alternatives
        if alternative.form not in specs
    ]
